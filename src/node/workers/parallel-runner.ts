import type { ParallelRunner } from '../../core/parallel.js';
import { coreModule, type WorkerPool } from './pool.js';

/**
 * A {@link ParallelRunner} that runs each call as one task on the pool's worker threads (results in call
 * order). Core code that accepts `parallel` (e.g. the `arf` synthesizer's trees) then uses every core.
 * @example
 * const pool = new WorkerPool({ size: 2 });
 * try { await arf.create().fit(table, { seed: 1, parallel: poolRunner(pool) }); } finally { await pool.close(); }
 */
export function poolRunner(pool: WorkerPool): ParallelRunner {
  return <T>(module: string, name: string, calls: unknown[][]) => pool.runAll<T>(calls.map((args) => ({ module: coreModule(module), name, args })));
}
