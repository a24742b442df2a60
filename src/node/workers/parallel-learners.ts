import type { FeatureMatrix } from '../../core/learners/features.js';
import { fitLearner, loadLearner, wrapRandomForest, type FittedModel, type LearnerKind, type LearnerOptions } from '../../core/learners/learner.js';
import { assembleRandomForest, prepareRandomForest, type RandomForestOptions } from '../../core/learners/random-forest.js';
import type { Tree, TreeTarget } from '../../core/learners/tree.js';
import { coreModule, type WorkerPool } from './pool.js';

/**
 * Fits a random forest with its trees spread over the pool's workers. Tree t always comes from
 * createRng(seed, 'random-forest').split(t), so the model is identical to `fitLearner('random-forest', ...)`
 * with the same options, for any pool size. Binning happens once, here; workers receive the bins.
 * @example
 * const rf = await fitRandomForestInPool(pool, x, target, { seed: 1, nEstimators: 200 }, classes);
 */
export async function fitRandomForestInPool(pool: WorkerPool, x: FeatureMatrix, target: TreeTarget, opts: RandomForestOptions, classes?: string[]): Promise<FittedModel> {
  const { binning, xb, spec, nEstimators } = prepareRandomForest(x, target, opts);
  // A few chunks per worker so a slow chunk does not leave the other worker idle.
  const chunks = Math.min(nEstimators, pool.size * 4);
  const tasks = [];
  for (let c = 0; c < chunks; c++) {
    const from = Math.floor((c * nEstimators) / chunks), to = Math.floor(((c + 1) * nEstimators) / chunks);
    tasks.push({ module: coreModule('learners/random-forest'), name: 'fitForestTrees', args: [xb, target, spec, from, to] });
  }
  const parts = await pool.runAll<Tree[]>(tasks);
  return wrapRandomForest(assembleRandomForest(x, target, binning, parts.flat()), classes);
}

/** One model to fit in `fitLearnersInPool`. */
export interface LearnerJob {
  kind: LearnerKind;
  x: FeatureMatrix;
  target: TreeTarget;
  opts: LearnerOptions;
}

/**
 * Fits independent models (e.g. one per cross-validation fold: same x and target, different `opts.rows`)
 * on the pool's workers; returns them in job order. Each job carries its own seed, so results do not depend
 * on which worker ran it. With a pool of size 0 (`pool` null) the jobs run here, one after another.
 * @example
 * const models = await fitLearnersInPool(pool, folds.map((rows, k) => ({ kind: 'gradient-boosting', x, target, opts: { seed: k, rows } })));
 */
export async function fitLearnersInPool(pool: WorkerPool | null, jobs: LearnerJob[]): Promise<FittedModel[]> {
  if (!pool) return jobs.map((j) => fitLearner(j.kind, j.x, j.target, j.opts));
  const json = await pool.runAll<import('../../core/json.js').JsonValue>(
    jobs.map((j) => ({ module: coreModule('learners/learner'), name: 'fitLearnerToJSON', args: [j.kind, j.x, j.target, stripSignal(j.opts)] })),
  );
  return json.map(loadLearner);
}

function stripSignal(o: LearnerOptions): LearnerOptions {
  // An AbortSignal cannot cross threads; cancellation stops between jobs instead.
  const { signal: _signal, ...rest } = o;
  return rest;
}
