import { SynthopsError, throwIfAborted } from '../errors.js';
import type { JsonValue } from '../json.js';
import { createRng } from '../random.js';
import { applyBinning, binningFromJSON, binningToJSON, fitBinning, type BinnedMatrix, type Binning } from './binning.js';
import { checkFeatureMatrix, type FeatureMatrix } from './features.js';
import { gainImportance } from './gradient-boosting.js';
import { fitTree, treeFromJSON, treeToJSON, type Tree, type TreeTarget } from './tree.js';

/**
 * Options of a random forest (bagged CART trees with random feature subsets per split).
 * @example fitRandomForest(x, target, { seed: 1, nEstimators: 200, minSamplesLeaf: 2 })
 */
export interface RandomForestOptions {
  /** Seed; tree t draws from createRng(seed, 'random-forest').split(t), so trees can be fitted in any order or place. */
  seed: number;
  /** Number of trees; default 100. */
  nEstimators?: number;
  /** Deepest tree level; default unlimited. */
  maxDepth?: number;
  /** Fewest rows in a leaf; default 1. */
  minSamplesLeaf?: number;
  /** Fewest rows to split a node; default 2. */
  minSamplesSplit?: number;
  /** Features tried per split; default 'sqrt' for classification, 1/3 of them for regression. */
  maxFeatures?: number | 'sqrt' | 'all';
  /** Draw each tree's rows with replacement; default true. Off → every tree sees all rows. */
  bootstrap?: boolean;
  /** Rows per bootstrap sample as a fraction of the training rows; default 1. */
  maxSamples?: number;
  /** Value bins per numeric feature; default 64. */
  maxBins?: number;
  /** Training rows of x; default all. */
  rows?: Int32Array;
  signal?: AbortSignal;
}

/** Everything a worker needs to fit trees [from, to) of a forest; plain data (structured-clone safe). */
export interface ForestTreeSpec {
  seed: number;
  rows: Int32Array;
  maxDepth: number;
  minSamplesLeaf: number;
  minSamplesSplit: number;
  maxFeatures: number | 'sqrt' | 'all';
  bootstrap: boolean;
  maxSamples: number;
}

/** A fitted random forest. */
export interface RandomForestModel {
  task: 'classification' | 'regression';
  /** 0 for regression. */
  numClasses: number;
  trees: Tree[];
  binning: Binning;
  featureNames: string[];
  levels: number[];
}

/**
 * Resolves options and bins the features: the serial part of fitting a forest. The trees then come
 * from `fitForestTrees` (here, or in worker threads) and `fitRandomForest` puts them together.
 */
export function prepareRandomForest(x: FeatureMatrix, target: TreeTarget, opts: RandomForestOptions): { binning: Binning; xb: BinnedMatrix; spec: ForestTreeSpec; nEstimators: number } {
  checkFeatureMatrix(x);
  const n = x.numRows;
  if (target.y.length !== n) throw new SynthopsError('invalid_argument', `invalid target length: ${target.y.length}. Expected ${n} rows.`);
  const nEstimators = opts.nEstimators ?? 100;
  if (!Number.isInteger(nEstimators) || nEstimators < 1) throw new SynthopsError('invalid_argument', `invalid nEstimators: ${nEstimators}. Use a whole number ≥ 1.`);
  const maxSamples = opts.maxSamples ?? 1;
  if (!(maxSamples > 0 && maxSamples <= 1)) throw new SynthopsError('invalid_argument', `invalid maxSamples: ${maxSamples}. Use a fraction in (0, 1].`);
  const rows = opts.rows ? Int32Array.from(opts.rows) : Int32Array.from({ length: n }, (_, i) => i);
  if (rows.length === 0) throw new SynthopsError('invalid_input', 'invalid training rows: none. A random forest needs at least one row.');
  const binning = fitBinning(x, { maxBins: opts.maxBins ?? 64, rows });
  const xb = applyBinning(x, binning);
  const spec: ForestTreeSpec = {
    seed: opts.seed,
    rows,
    maxDepth: opts.maxDepth ?? Infinity,
    minSamplesLeaf: opts.minSamplesLeaf ?? 1,
    minSamplesSplit: opts.minSamplesSplit ?? 2,
    maxFeatures: opts.maxFeatures ?? (target.kind === 'classification' ? 'sqrt' : 1 / 3),
    bootstrap: opts.bootstrap ?? true,
    maxSamples,
  };
  return { binning, xb, spec, nEstimators };
}

/**
 * Fits trees `from` ≤ t < `to` of a forest. Tree t depends only on (spec, t): its bootstrap sample and
 * feature choices come from createRng(spec.seed, 'random-forest').split(t). Pure; safe to run in a worker.
 * @example const trees = fitForestTrees(xb, target, spec, 0, 50);
 */
export function fitForestTrees(xb: BinnedMatrix, target: TreeTarget, spec: ForestTreeSpec, from: number, to: number, signal?: AbortSignal): Tree[] {
  const trees: Tree[] = [];
  const base = createRng(spec.seed, 'random-forest');
  const m = spec.rows.length;
  const draw = Math.max(1, Math.round(m * spec.maxSamples));
  for (let t = from; t < to; t++) {
    throwIfAborted(signal);
    const rng = base.split(t);
    let rows = spec.rows;
    if (spec.bootstrap) {
      rows = new Int32Array(draw);
      for (let i = 0; i < draw; i++) rows[i] = spec.rows[rng.int(m)];
    }
    trees.push(
      fitTree(xb, target, {
        rng,
        rows,
        maxDepth: spec.maxDepth,
        minSamplesLeaf: spec.minSamplesLeaf,
        minSamplesSplit: spec.minSamplesSplit,
        maxFeatures: spec.maxFeatures,
      }),
    );
  }
  return trees;
}

/**
 * Fits a random forest in this thread. Classification averages the trees' class probabilities; regression
 * averages their values. Cost ≈ trees × rows × log(rows) × features tried.
 * @example
 * const rf = fitRandomForest(x, { kind: 'regression', y }, { seed: 3, nEstimators: 50 });
 * const yhat = predictRandomForest(rf, xTest);
 */
export function fitRandomForest(x: FeatureMatrix, target: TreeTarget, opts: RandomForestOptions): RandomForestModel {
  const { binning, xb, spec, nEstimators } = prepareRandomForest(x, target, opts);
  const trees = fitForestTrees(xb, target, spec, 0, nEstimators, opts.signal);
  return assembleRandomForest(x, target, binning, trees);
}

/** Puts fitted trees (in tree order) into a model. */
export function assembleRandomForest(x: FeatureMatrix, target: TreeTarget, binning: Binning, trees: Tree[]): RandomForestModel {
  return {
    task: target.kind,
    numClasses: target.kind === 'classification' ? target.numClasses : 0,
    trees,
    binning,
    featureNames: [...x.names],
    levels: [...x.levels],
  };
}

/**
 * Predictions: regression → n values; classification → n × numClasses mean probabilities (row-major).
 */
export function predictRandomForest(model: RandomForestModel, x: FeatureMatrix): Float64Array {
  const xb = applyBinning(x, model.binning);
  const n = x.numRows;
  const K = model.numClasses;
  const S = K === 0 ? 1 : K;
  const out = new Float64Array(n * S);
  for (const tree of model.trees) {
    const { feature, threshold, catLeft, missingLeft, left, right, value } = tree;
    for (let i = 0; i < n; i++) {
      let node = 0;
      let f = feature[0];
      while (f >= 0) {
        const bin = xb.bins[f][i];
        const cl = catLeft[node];
        node = (bin === 0 ? missingLeft[node] === 1 : cl ? cl[bin] === 1 : bin <= threshold[node]) ? left[node] : right[node];
        f = feature[node];
      }
      if (K === 0) out[i] += value[node];
      else for (let c = 0; c < K; c++) out[i * K + c] += value[node * K + c];
    }
  }
  const T = model.trees.length;
  for (let i = 0; i < out.length; i++) out[i] /= T;
  return out;
}

/** Mean decrease in impurity per feature, normalised to sum to 1. */
export function randomForestImportance(model: RandomForestModel): Float64Array {
  return gainImportance(model.trees, model.featureNames.length);
}

/** Plain-JSON form of a random forest. */
export function randomForestToJSON(m: RandomForestModel): JsonValue {
  return { task: m.task, numClasses: m.numClasses, featureNames: m.featureNames, levels: m.levels, binning: binningToJSON(m.binning), trees: m.trees.map(treeToJSON) };
}

/** Reads what `randomForestToJSON` wrote. */
export function randomForestFromJSON(json: JsonValue): RandomForestModel {
  const o = json as Record<string, JsonValue>;
  if (!o || typeof o !== 'object' || !Array.isArray(o.trees) || o.trees.length === 0 || !Array.isArray(o.featureNames) || !Array.isArray(o.levels) || (o.task !== 'classification' && o.task !== 'regression'))
    throw new SynthopsError('incompatible_artifact', 'invalid random-forest model: fields are missing.');
  return {
    task: o.task,
    numClasses: Number(o.numClasses),
    featureNames: (o.featureNames as string[]).map(String),
    levels: (o.levels as number[]).map(Number),
    binning: binningFromJSON(o.binning),
    trees: o.trees.map(treeFromJSON),
  };
}
