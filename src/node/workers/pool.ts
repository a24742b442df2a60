import { availableParallelism } from 'node:os';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SynthopsError, type ErrorCode } from '../../core/errors.js';

/**
 * One unit of work for the pool: call export `name` of the core module at `module` (a file URL inside
 * this package's `core/` folder) with `args`. Arguments are structured-cloned (typed arrays included);
 * buffers listed in `transfer` are moved instead of copied.
 */
export interface PoolTask {
  module: string;
  name: string;
  args: unknown[];
  transfer?: ArrayBuffer[];
  /**
   * Queued tasks with a higher priority start first (default 0; first in, first out within a priority). A task that
   * others wait on (e.g. the ball counts a report's diversity metrics need) can overtake long independent fits.
   */
  priority?: number;
}

/** Options of `WorkerPool`. */
export interface WorkerPoolOptions {
  /** Worker threads; default min(2, available cores). 1 still runs the tasks in one worker thread. */
  size?: number;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  busy: boolean;
  /** Runs dist/'s compiled worker: task modules are sent as their dist/core .js twins. */
  compiled: boolean;
}

const HERE = import.meta.url;
/** True when this file runs from TypeScript sources (through tsx or vitest) rather than compiled dist. */
const FROM_SOURCES = HERE.endsWith('.ts');
const CORE_DIR = new URL('../../core/', HERE).href;
const requireHere = createRequire(HERE);
/** From sources: the compiled package beside them (`npm run build`), whose worker can start without tsx. */
const DIST_DIR = new URL('../../../dist/', HERE);
/** `compiledIsFresh` answers by entry file (checked once per process each). */
const compiledFresh = new Map<string, boolean>();

/**
 * Running from sources, whether pool workers start from the compiled JavaScript in dist/ instead of loading tsx: when
 * dist/ is fresh — every source file of src/core (tests aside) and the worker entry has its compiled .js, modified no
 * earlier than the source (so an edit since the last `npm run build` sends the workers back to the sources). The code
 * is the same; a tsx worker costs ≈ 0.4 CPU s more to start and transpiles each module it imports on a hooks thread
 * of its own. SYNTHOPS_POOL_WORKERS=sources (or =compiled) overrides the check. Checked once per process
 * (≈ 300 file stats).
 */
export function workersFromCompiled(): boolean {
  return compiledIsFresh(['node/workers/worker.ts']);
}

/**
 * As `workersFromCompiled`, for a worker whose entry and Node-side modules are `entries` (paths under src/, e.g.
 * `node/io/csv-worker.ts`); it may import anything in src/core. False when not running from sources.
 */
export function compiledIsFresh(entries: readonly string[]): boolean {
  if (!FROM_SOURCES) return false;
  const forced = process.env.SYNTHOPS_POOL_WORKERS;
  if (forced === 'sources') return false;
  const key = entries.join('\n');
  let fresh = compiledFresh.get(key);
  if (fresh === undefined) {
    fresh = forced === 'compiled' ? entries.every((e) => existsSync(new URL(e.replace(/\.ts$/, '.js'), DIST_DIR))) : distIsFresh(entries);
    compiledFresh.set(key, fresh);
  }
  return fresh;
}

function distIsFresh(entries: readonly string[]): boolean {
  try {
    const src = fileURLToPath(new URL('../../', HERE)), dist = fileURLToPath(DIST_DIR);
    const fresh = (rel: string): boolean => {
      const js = join(dist, rel.replace(/\.ts$/, '.js'));
      return existsSync(js) && statSync(js).mtimeMs >= statSync(join(src, rel)).mtimeMs;
    };
    if (!entries.every((e) => fresh(join(...e.split('/'))))) return false;
    const walk = (rel: string): boolean =>
      readdirSync(join(src, rel), { withFileTypes: true }).every((e) => {
        const r = join(rel, e.name);
        if (e.isDirectory()) return walk(r);
        return !e.name.endsWith('.ts') || e.name.endsWith('.test.ts') || e.name.endsWith('.d.ts') || fresh(r);
      });
    return walk('core');
  } catch {
    return false;
  }
}

/**
 * A small pool of worker threads that run named pure functions from core modules, so independent pieces
 * of work (a forest's trees, cross-validation folds) use every core. Tasks queue in order; results come
 * back in task order from `runAll`, whatever worker ran them. Workers start lazily and hold the process
 * open only while tasks are pending. Works from TypeScript sources (workers load tsx) and from dist.
 *
 * Determinism is the caller's contract: give each task its seed (e.g. createRng(seed).split(taskIndex))
 * so results do not depend on scheduling.
 *
 * @example
 * const pool = new WorkerPool({ size: 2 });
 * try {
 *   const trees = await pool.runAll(chunks.map((c) => ({ module: coreModule('learners/random-forest'), name: 'fitForestTrees', args: [xb, target, spec, c.from, c.to] })));
 * } finally { await pool.close(); }
 */
export class WorkerPool {
  readonly size: number;
  private slots: Slot[] = [];
  private queue: { task: PoolTask; id: number }[] = [];
  private pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;

  constructor(opts: WorkerPoolOptions = {}) {
    const size = opts.size ?? Math.min(2, availableParallelism());
    if (!Number.isInteger(size) || size < 1 || size > 64)
      throw new SynthopsError('invalid_argument', `invalid pool size: ${size}. Use a whole number from 1 to 64.`);
    this.size = size;
  }

  /** Runs one task; resolves with the function's return value. */
  run<T>(task: PoolTask): Promise<T> {
    if (this.closed) return Promise.reject(new SynthopsError('internal', 'invalid use: the worker pool is closed.'));
    if (!task.module.startsWith(CORE_DIR))
      return Promise.reject(new SynthopsError('internal', `invalid task module: ${task.module}. Tasks must come from the core folder.`));
    const id = this.nextId++;
    const p = new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
    // Behind every queued task of the same or a higher priority.
    const pr = task.priority ?? 0;
    let at = this.queue.length;
    while (at > 0 && (this.queue[at - 1].task.priority ?? 0) < pr) at--;
    this.queue.splice(at, 0, { task, id });
    this.pump();
    return p;
  }

  /** Runs every task (at most `size` at a time) and returns their results in task order. */
  runAll<T>(tasks: PoolTask[]): Promise<T[]> {
    return Promise.all(tasks.map((t) => this.run<T>(t)));
  }

  /** Stops every worker; pending tasks fail. Safe to call twice. */
  async close(): Promise<void> {
    this.closed = true;
    const err = new SynthopsError('aborted', 'the worker pool was closed before the task finished.');
    for (const { id } of this.queue) this.settle(id, false, err);
    this.queue = [];
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots = [];
    for (const [id] of this.pending) this.settle(id, false, err);
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const { task, id } = this.queue.shift()!;
      slot.busy = true;
      slot.worker.ref();
      (slot as Slot & { current?: number }).current = id;
      const module = slot.compiled ? new URL(`core/${task.module.slice(CORE_DIR.length).replace(/\.ts$/, '.js')}`, DIST_DIR).href : task.module;
      slot.worker.postMessage({ id, module, name: task.name, args: task.args }, task.transfer ?? []);
    }
  }

  private spawn(): Slot {
    const compiled = workersFromCompiled();
    const worker = compiled
      ? // No execArgv: the parent's `--import tsx` would load tsx's hooks in this worker too, for nothing.
        new Worker(fileURLToPath(new URL('node/workers/worker.js', DIST_DIR)), { execArgv: [] })
      : FROM_SOURCES
      ? // From sources: a tiny bootstrap registers tsx's loader in the worker, then imports worker.ts
        // (an `--import tsx` execArgv does not reach a worker's entry module on Node 20).
        new Worker(
          `import(${JSON.stringify(tsxApiUrl())}).then((m) => { m.register(); return import(${JSON.stringify(new URL('./worker.ts', HERE).href)}); });`,
          { eval: true },
        )
      : new Worker(fileURLToPath(new URL('./worker.js', HERE)));
    const slot: Slot & { current?: number } = { worker, busy: false, compiled };
    worker.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: { name: string; message: string; code?: string; location?: object } }) => {
      slot.busy = false;
      slot.current = undefined;
      if (m.ok) this.settle(m.id, true, m.result);
      else {
        const e = m.error!;
        this.settle(
          m.id,
          false,
          e.name === 'SynthopsError' && e.code ? new SynthopsError(e.code as ErrorCode, e.message, (e.location ?? {}) as object) : new SynthopsError('internal', `worker task failed: ${e.message}`),
        );
      }
      if (!this.queue.length) worker.unref();
      this.pump();
    });
    worker.on('error', (err) => {
      // A crashed worker: fail its task, drop it, carry on with a fresh one.
      if (slot.current !== undefined) this.settle(slot.current, false, new SynthopsError('internal', `worker crashed: ${err.message}`));
      this.slots = this.slots.filter((s) => s !== slot);
      void worker.terminate();
      this.pump();
    });
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private settle(id: number, ok: boolean, value: unknown): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (ok) p.resolve(value);
    else p.reject(value);
  }
}

/** File URL of tsx's ESM register API (the `import` build: the CommonJS one cannot register from a worker). */
function tsxApiUrl(): string {
  const cjs = requireHere.resolve('tsx/esm/api');
  const mjs = cjs.replace(/\.cjs$/, '.mjs');
  return pathToFileURL(existsSync(mjs) ? mjs : cjs).href;
}

/**
 * The URL of a core module for a pool task, e.g. `coreModule('learners/random-forest')`; picks `.ts` or
 * `.js` to match how this code runs.
 */
export function coreModule(path: string): string {
  return new URL(`${path}${FROM_SOURCES ? '.ts' : '.js'}`, CORE_DIR).href;
}
