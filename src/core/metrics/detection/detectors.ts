import { applyBinning, fitBinning } from '../../learners/binning.js';
import { fitGradientBoostingPreBinnedScored, fitGradientBoostingScored, preBin, type PreBinned } from '../../learners/gradient-boosting.js';
import { fitTree, predictTree } from '../../learners/tree.js';
import type { FeatureMatrix } from '../../learners/features.js';
import { fitLearner, type LearnerKind, type LearnerOptions } from '../../learners/learner.js';
import { createRng } from '../../random.js';
import type { DetectorFit } from './two-sample.js';

/**
 * A bagged tree ensemble (random forest) on binned features as a detector: `trees` CART trees (default 30), each
 * on a bootstrap sample of the training rows, √features tried per split, depth ≤ `maxDepth` (default 12), leaves
 * of ≥ 5 rows. Sees interactions between columns, which a linear detector cannot. Bins are fitted on the
 * training rows only.
 * @example twoSampleAuc(cols, 1, forestDetector({ trees: 50 }), { seed: 7 })
 */
export function forestDetector(opts: { trees?: number; maxDepth?: number } = {}): DetectorFit {
  const trees = opts.trees ?? 30, maxDepth = opts.maxDepth ?? 12;
  return (x, y, train, test, seed) => {
    const binning = fitBinning(x, { rows: train, maxBins: 32 });
    const xb = applyBinning(x, binning);
    const rng = createRng(seed, 'forest-detector');
    const out = new Float64Array(test.length);
    const testX = { ...xb, numRows: test.length, bins: xb.bins.map((b) => takeBins(b, test)) };
    for (let t = 0; t < trees; t++) {
      const r = rng.split(t);
      const rows = new Int32Array(train.length);
      for (let i = 0; i < rows.length; i++) rows[i] = train[r.int(train.length)];
      const tree = fitTree(xb, { kind: 'classification', y, numClasses: 2 }, { rng: r.split('tree'), rows, maxDepth, minSamplesLeaf: 5, maxFeatures: 'sqrt' });
      const p = predictTree(tree, testX);
      for (let i = 0; i < test.length; i++) out[i] += p[2 * i + 1] / trees;
    }
    return out;
  };
}

function takeBins(b: Uint8Array, rows: Int32Array): Uint8Array {
  const out = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = b[rows[i]];
  return out;
}

/**
 * A built-in learner from src/core/learners as a detector (gradient boosting by default in the scorecard; logistic
 * regression for the linear detector). `options` are passed to `fitLearner` (e.g. `{ nEstimators: 100 }`).
 * @example twoSampleAuc(cols, 1, learnerDetector('logistic-regression'), { seed: 1 })
 */
export function learnerDetector(kind: LearnerKind, options: Omit<LearnerOptions, 'seed' | 'rows'> = {}): DetectorFit {
  return (x, y, train, test, seed) => {
    const model = fitLearner(kind, x, { kind: 'classification', y, numClasses: 2 }, { ...options, seed, rows: train });
    const p = model.predictProba(takeRows(x, test));
    const out = new Float64Array(test.length);
    for (let i = 0; i < test.length; i++) out[i] = p[2 * i + 1];
    return out;
  };
}

/** The rows `rows` of a feature matrix (copied, column by column). */
export function takeRows(x: FeatureMatrix, rows: Int32Array): FeatureMatrix {
  const columns = x.columns.map((c) => {
    const out = c instanceof Float64Array ? new Float64Array(rows.length) : new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = c[rows[i]];
    return out;
  });
  return { numRows: rows.length, names: x.names, columns, levels: x.levels };
}

/** Options of the gradient-boosted detector used by the scorecard and detection-tree@1. */
export const BOOSTED_DETECTOR_OPTIONS = { nEstimators: 60, learningRate: 0.15, maxDepth: 6 } as const;

/**
 * The gradient-boosted tree detector (BOOSTED_DETECTOR_OPTIONS): sees interactions between columns.
 * @example twoSampleAuc(cols, 1, boostedDetector(), { seed: 1 })
 */
export function boostedDetector(): DetectorFit {
  // learnerDetector('gradient-boosting', BOOSTED_DETECTOR_OPTIONS) gives the same scores; this scores the test rows
  // from the fit's own bins instead of copying and binning them again.
  return (x, y, train, test, seed) => {
    const { predictions } = fitGradientBoostingScored(x, { kind: 'classification', y, numClasses: 2 }, { ...BOOSTED_DETECTOR_OPTIONS, seed, rows: train }, test);
    const out = new Float64Array(test.length);
    for (let i = 0; i < test.length; i++) out[i] = predictions[2 * i + 1];
    return out;
  };
}

/** The report's two detectors by name: 'tree' = {@link boostedDetector}, 'logistic' = logistic regression (Newton's method to convergence, at most 50 steps). */
export type DetectorName = 'tree' | 'logistic';

/**
 * The detector of the report's detection metrics named `which`.
 * @example twoSampleAuc(cols, 1, namedDetector('tree'), { seed: 1 })
 */
export function namedDetector(which: DetectorName): DetectorFit {
  return which === 'tree' ? boostedDetector() : learnerDetector('logistic-regression', { maxIter: 50 });
}

/** What every fold of a named detector starts from: the feature matrix ('logistic') or its bins ('tree'). */
export type DetectorInput = FeatureMatrix | PreBinned;

/**
 * The input shared by every fold of detector `which` on the stacked rows `x` of a two-sample plan, made once per plan:
 * for 'tree' the rows binned once (gradient boosting's 64 quantile bins per numeric, fitted on every row of the plan,
 * both sides — no labels — instead of on each fold's training rows: one sort per numeric column instead of one per
 * fold, and ~1/8 of the bytes to send to a worker); for 'logistic' `x` itself (its design is fitted per fold).
 * @example const input = detectorInput('tree', plan.x); plan.folds.map((f) => detectorFold('tree', input, plan.y, f.train, f.test, f.seed))
 */
export function detectorInput(which: DetectorName, x: FeatureMatrix): DetectorInput {
  return which === 'tree' ? preBin(x) : x;
}

/**
 * One cross-validation fold of a named detector (its test rows' scores) from {@link detectorInput}: a plain function of
 * cloneable arguments, so a ParallelRunner (src/core/parallel.ts) can run the folds of a two-sample test on worker
 * threads with the same results. The tree detector is {@link boostedDetector}'s model on the plan's bins.
 * @example detectorFold('tree', detectorInput('tree', plan.x), plan.y, f.train, f.test, f.seed)
 */
export function detectorFold(which: DetectorName, input: DetectorInput, y: Int32Array, train: Int32Array, test: Int32Array, seed: number): Float64Array {
  if (which === 'logistic' || !('xb' in input)) return namedDetector(which)(input as FeatureMatrix, y, train, test, seed);
  const { predictions } = fitGradientBoostingPreBinnedScored(input, { kind: 'classification', y, numClasses: 2 }, { ...BOOSTED_DETECTOR_OPTIONS, seed, rows: train }, test);
  const out = new Float64Array(test.length);
  for (let i = 0; i < test.length; i++) out[i] = predictions[2 * i + 1];
  return out;
}
