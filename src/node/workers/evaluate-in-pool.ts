import { evaluate, type EvaluationInput, type EvaluationReport, type EvaluationSpec } from '../../core/reports/evaluation.js';
import { workerBallProvider, workerKnnProvider } from './neighbors.js';
import { poolRunner } from './parallel-runner.js';
import { WorkerPool } from './pool.js';

/**
 * The Node evaluation path: the core `evaluate()` with its nearest-neighbour searches (privacy and diversity) and the
 * diversity ball counts and the detection metrics' cross-validation folds on worker threads, overlapping the metrics computed on this thread. The report is identical to `evaluate()`'s (same
 * seed → same report). Uses `pool` when given (left open), else a pool of min(2, cores) workers closed at the end.
 * @example const report = await evaluateInPool({ real, synthetic, holdout }, { seed: 1, target: 'income' });
 */
export async function evaluateInPool(input: EvaluationInput, spec: EvaluationSpec, pool?: WorkerPool): Promise<EvaluationReport> {
  const own = pool ?? new WorkerPool();
  try {
    return await evaluate(input, { ...spec, knn: spec.knn ?? workerKnnProvider(own), balls: spec.balls ?? workerBallProvider(own), parallel: spec.parallel ?? poolRunner(own) });
  } finally {
    if (!pool) await own.close();
  }
}
