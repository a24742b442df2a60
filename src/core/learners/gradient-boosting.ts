import { SynthopsError, throwIfAborted } from '../errors.js';
import type { JsonValue } from '../json.js';
import { createRng } from '../random.js';
import { applyBinning, binningFromJSON, binningToJSON, fitBinning, type BinnedMatrix, type Binning } from './binning.js';
import { checkFeatureMatrix, type FeatureMatrix } from './features.js';
import { boostingWorkspace, type BoostingKernelName } from './boosting-kernels.js';
import { fitGradientTree, histLayout } from './gradient-tree.js';
import { treeFromJSON, treeToJSON, type Tree, type TreeTarget } from './tree.js';

/**
 * Options of gradient boosting. Defaults suit tables of 1k–1M rows.
 * @example fitGradientBoosting(x, target, { seed: 1, nEstimators: 200, learningRate: 0.05, validationFraction: 0.1 })
 */
export interface GradientBoostingOptions {
  /** Seed for row/column subsampling and the validation split. */
  seed: number;
  /** Boosting rounds (trees per class for multiclass); default 100. */
  nEstimators?: number;
  /** Shrinkage applied to every tree; default 0.1. Lower → more rounds needed, usually better. */
  learningRate?: number;
  /** Deepest tree level; default 6. */
  maxDepth?: number;
  /** Most leaves per tree (best-first growth); default 31. */
  maxLeaves?: number;
  /** Fewest rows in a leaf; default 20. */
  minSamplesLeaf?: number;
  /** Smallest hessian sum in a leaf; default 1e-3. */
  minChildWeight?: number;
  /** L2 penalty on leaf values; default 1. Higher → smoother. */
  lambda?: number;
  /** Smallest split gain; default 0. */
  minSplitGain?: number;
  /** Fraction of training rows drawn (without replacement) for each round; default 1. */
  subsample?: number;
  /** Fraction of features tried by each tree; default 1. */
  colsample?: number;
  /** Value bins per numeric feature; default 64. */
  maxBins?: number;
  /** Fraction of training rows held out to stop early when their loss stops improving; default 0 (off). */
  validationFraction?: number;
  /** Rounds without improvement on the held-out rows before stopping; default 10. */
  earlyStoppingRounds?: number;
  /** Training rows of x (e.g. a cross-validation fold); default all. */
  rows?: Int32Array;
  /** Stops between rounds with an `aborted` error. */
  signal?: AbortSignal;
  /**
   * Inner loops: `'wasm-simd'` (WebAssembly SIMD) or `'ts'` (plain TypeScript). Both give the same model bit for bit;
   * default WebAssembly SIMD when the runtime has it.
   */
  kernel?: BoostingKernelName;
}

/** Loss minimised: squared error (regression), binary log loss, or softmax cross-entropy (multiclass). */
export type BoostingLoss = 'squared-error' | 'logloss' | 'softmax';

/** A fitted gradient-boosting model: trees over bins, raw score = baseScore + Σ tree outputs. */
export interface GradientBoostingModel {
  loss: BoostingLoss;
  /** 0 for regression; the number of classes otherwise. */
  numClasses: number;
  /** Trees per round: 1, or numClasses for softmax. Tree t belongs to output t % treesPerRound. */
  treesPerRound: number;
  baseScore: Float64Array;
  trees: Tree[];
  binning: Binning;
  featureNames: string[];
  levels: number[];
  /** Rounds kept (after early stopping). */
  rounds: number;
}

/**
 * Fits gradient-boosted trees (second-order, histogram based): squared error for regression targets,
 * binary log loss for 2 classes, softmax for more. O(rounds × rows × features) overall with histogram
 * subtraction.
 *
 * @example
 * const m = fitGradientBoosting(x, { kind: 'classification', y, numClasses: 2 }, { seed: 1 });
 * const proba = predictGradientBoosting(m, xTest); // n × 2
 */
export function fitGradientBoosting(x: FeatureMatrix, target: TreeTarget, opts: GradientBoostingOptions): GradientBoostingModel {
  return fitBoosting(x, target, opts).model;
}

/**
 * {@link fitGradientBoosting} on `opts.rows`, plus the predictions (as {@link predictGradientBoosting}) for
 * `scoreRows`, other rows of the same x (e.g. a cross-validation fold's test rows), read from the bins made for the
 * fit: the same numbers as `predictGradientBoosting(model, <those rows of x>)` without copying and binning them again.
 * @example const { predictions } = fitGradientBoostingScored(x, target, { seed: 1, rows: train }, test); // p(class 1) = predictions[2 * i + 1]
 */
export function fitGradientBoostingScored(x: FeatureMatrix, target: TreeTarget, opts: GradientBoostingOptions, scoreRows: Int32Array): { model: GradientBoostingModel; predictions: Float64Array } {
  const { model, xb } = fitBoosting(x, target, opts);
  for (let i = 0; i < scoreRows.length; i++)
    if (!(scoreRows[i] >= 0 && scoreRows[i] < x.numRows)) throw new SynthopsError('invalid_argument', `invalid row index in scoreRows: ${scoreRows[i]}. The matrix has ${x.numRows} rows.`);
  return { model, predictions: link(model, rawOf(model, xb, scoreRows), scoreRows.length) };
}

/**
 * A feature matrix binned once for several fits on its rows (e.g. every fold of a cross-validation): the bins, the
 * binning that made them (fitted on whichever rows the caller chose, e.g. all of them) and the matrix's feature names
 * and levels. Plain data: it can cross to a worker thread.
 */
export interface PreBinned {
  xb: BinnedMatrix;
  binning: Binning;
  names: string[];
  levels: number[];
}

/**
 * Bins `x` once with gradient boosting's binning (`maxBins`, default 64), fitted on `rows` (default all), for
 * {@link fitGradientBoostingPreBinnedScored}.
 * @example const pre = preBin(x); folds.map((f) => fitGradientBoostingPreBinnedScored(pre, target, { seed: 1, rows: f.train }, f.test));
 */
export function preBin(x: FeatureMatrix, opts: { maxBins?: number; rows?: Int32Array } = {}): PreBinned {
  const binning = fitBinning(x, { maxBins: opts.maxBins ?? 64, ...(opts.rows ? { rows: opts.rows } : {}) });
  return { xb: applyBinning(x, binning), binning, names: [...x.names], levels: [...x.levels] };
}

/**
 * {@link fitGradientBoostingScored} on a matrix binned beforehand ({@link preBin}): the fit skips its own binning (on
 * its training rows), so the model differs from fitGradientBoostingScored's only by its bin edges; `opts.maxBins` is
 * ignored (the bins are given).
 * @example const { predictions } = fitGradientBoostingPreBinnedScored(preBin(x), target, { seed: 1, rows: train }, test);
 */
export function fitGradientBoostingPreBinnedScored(pre: PreBinned, target: TreeTarget, opts: GradientBoostingOptions, scoreRows: Int32Array): { model: GradientBoostingModel; predictions: Float64Array } {
  const { model, xb } = fitBoosting(pre, target, opts);
  const n = xb.numRows;
  for (let i = 0; i < scoreRows.length; i++)
    if (!(scoreRows[i] >= 0 && scoreRows[i] < n)) throw new SynthopsError('invalid_argument', `invalid row index in scoreRows: ${scoreRows[i]}. The matrix has ${n} rows.`);
  return { model, predictions: link(model, rawOf(model, xb, scoreRows), scoreRows.length) };
}

function fitBoosting(source: FeatureMatrix | PreBinned, target: TreeTarget, opts: GradientBoostingOptions): { model: GradientBoostingModel; xb: BinnedMatrix } {
  const pre = 'xb' in source ? source : null;
  const x = pre ? null : (source as FeatureMatrix);
  if (x) checkFeatureMatrix(x);
  else if (pre!.xb.bins.length !== pre!.names.length || pre!.levels.length !== pre!.names.length)
    throw new SynthopsError('invalid_argument', 'invalid pre-binned matrix: bins, names and levels differ in length.');
  const o = {
    nEstimators: opts.nEstimators ?? 100,
    learningRate: opts.learningRate ?? 0.1,
    maxDepth: opts.maxDepth ?? 6,
    maxLeaves: opts.maxLeaves ?? 31,
    minSamplesLeaf: opts.minSamplesLeaf ?? 20,
    minChildWeight: opts.minChildWeight ?? 1e-3,
    lambda: opts.lambda ?? 1,
    minSplitGain: opts.minSplitGain ?? 0,
    subsample: opts.subsample ?? 1,
    colsample: opts.colsample ?? 1,
    maxBins: opts.maxBins ?? 64,
    validationFraction: opts.validationFraction ?? 0,
    earlyStoppingRounds: opts.earlyStoppingRounds ?? 10,
  };
  checkOptions(o);
  const n = x ? x.numRows : pre!.xb.numRows;
  if (target.y.length !== n) throw new SynthopsError('invalid_argument', `invalid target length: ${target.y.length}. Expected ${n} rows.`);
  const rng = createRng(opts.seed, 'gradient-boosting');
  let train: Int32Array;
  if (opts.rows) train = Int32Array.from(opts.rows);
  else {
    train = new Int32Array(n);
    for (let i = 0; i < n; i++) train[i] = i;
  }
  let valid: Int32Array | null = null;
  if (o.validationFraction > 0) {
    const perm = rng.split('validation').shuffle(Int32Array.from(train));
    const nv = Math.floor(perm.length * o.validationFraction);
    if (nv >= 1 && perm.length - nv >= 2) {
      valid = perm.slice(0, nv).sort();
      train = perm.slice(nv).sort();
    }
  }
  if (train.length === 0) throw new SynthopsError('invalid_input', 'invalid training rows: none. Gradient boosting needs at least one row.');

  const isClf = target.kind === 'classification';
  const K = isClf ? target.numClasses : 0;
  const loss: BoostingLoss = !isClf ? 'squared-error' : K <= 2 ? 'logloss' : 'softmax';
  const T = loss === 'softmax' ? K : 1;
  const yc = isClf ? target.y : null;
  const yr = isClf ? null : target.y;
  for (let i = 0; i < train.length; i++) {
    const r = train[i];
    if (yc && !(yc[r] >= 0 && yc[r] < K)) throw new SynthopsError('invalid_input', `invalid class index at row ${r}. Classes must be in [0, ${K}).`, { row: r });
    if (yr && !Number.isFinite(yr[r])) throw new SynthopsError('invalid_input', `invalid target at row ${r}: not a finite number.`, { row: r });
  }

  const binning = x ? fitBinning(x, { maxBins: o.maxBins, rows: train }) : pre!.binning;
  const xb = x ? applyBinning(x, binning) : pre!.xb;
  const layout = histLayout(xb);
  const ws = boostingWorkspace(xb, layout, train.length, o.maxLeaves, opts.kernel);

  // Base score: the constant minimising the loss on the training rows.
  const base = new Float64Array(T);
  if (loss === 'squared-error') {
    let s = 0;
    for (let i = 0; i < train.length; i++) s += yr![train[i]];
    base[0] = s / train.length;
  } else {
    const cnt = new Float64Array(Math.max(K, 2));
    for (let i = 0; i < train.length; i++) cnt[yc![train[i]]]++;
    if (loss === 'logloss') {
      const p = clampP(cnt[1] / train.length);
      base[0] = Math.log(p / (1 - p));
    } else for (let k = 0; k < K; k++) base[k] = Math.log(clampP(cnt[k] / train.length));
  }

  // Raw scores for every row of x (only training and validation rows are kept up to date).
  const F = new Float64Array(n * T);
  for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) F[i * T + t] = base[t];
  const { grad, hess } = ws;
  const probs = loss === 'softmax' ? new Float64Array(n * K) : null;
  const trees: Tree[] = [];
  const p = xb.bins.length;
  const nSample = Math.max(1, Math.round(train.length * o.subsample));
  const nCols = Math.max(1, Math.round(p * o.colsample));
  const single = K === 1; // one class: nothing to learn
  // Subsampled rounds update every training row by traversal: from a row-major copy of the bins (made once), so a
  // row's features share a cache line and a step reads one array instead of a column's.
  let rowBins: Uint8Array | null = null;
  let bestLoss = valid ? lossOn(valid) : Infinity;
  let bestRounds = 0;
  let sinceBest = 0;

  for (let round = 0; round < o.nEstimators && !single; round++) {
    throwIfAborted(opts.signal);
    const rr = rng.split(round);
    let rows = train;
    if (nSample < train.length) {
      const a = Int32Array.from(train);
      for (let k = 0; k < nSample; k++) {
        const j = k + rr.int(a.length - k);
        const tmp = a[k];
        a[k] = a[j];
        a[j] = tmp;
      }
      rows = a.slice(0, nSample).sort();
    }
    if (probs) for (let i = 0; i < rows.length; i++) softmaxRow(F, rows[i], K, probs);
    for (let t = 0; t < T; t++) {
      gradients(loss, rows, F, K, t, yr, yc, probs, grad, hess);
      let features: Int32Array | undefined;
      if (nCols < p) features = rr.split(t).permutation(p).slice(0, nCols).sort();
      ws.rows.set(rows);
      const fit = fitGradientTree(xb, grad, hess, ws.rows.subarray(0, rows.length), layout, {
        maxDepth: o.maxDepth,
        maxLeaves: o.maxLeaves,
        minSamplesLeaf: o.minSamplesLeaf,
        minChildWeight: o.minChildWeight,
        lambda: o.lambda,
        minSplitGain: o.minSplitGain,
        shrinkage: o.learningRate,
        features,
        kernels: ws.kernels,
        scratch: ws.scratch,
      });
      trees.push(fit.tree);
      // Update raw scores: sampled rows from the leaf ranges, the rest (and validation rows) by traversal.
      if (rows === train) addLeafValues(fit.tree, fit.nodeStart, fit.nodeEnd, fit.rows, F, T, t);
      else addTreeOutputRows(fit.tree, (rowBins ??= rowMajorBins(xb)), p, train, F, T, t);
      if (valid) addTreeOutput(fit.tree, xb, valid, F, T, t);
    }
    if (valid) {
      const l = lossOn(valid);
      if (l < bestLoss - 1e-12 * Math.abs(bestLoss)) {
        bestLoss = l;
        bestRounds = round + 1;
        sinceBest = 0;
      } else if (++sinceBest >= o.earlyStoppingRounds) break;
    } else bestRounds = round + 1;
  }
  if (valid) trees.length = bestRounds * T;

  const names = x ? x.names : pre!.names, levels = x ? x.levels : pre!.levels;
  const model: GradientBoostingModel = { loss, numClasses: K, treesPerRound: T, baseScore: base, trees, binning, featureNames: [...names], levels: [...levels], rounds: trees.length / T };
  return { model, xb };

  function lossOn(rows: Int32Array): number {
    let s = 0;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (loss === 'squared-error') {
        const d = F[r] - yr![r];
        s += d * d;
      } else if (loss === 'logloss') {
        const z = F[r];
        // log(1 + e^-z) for y = 1, log(1 + e^z) for y = 0, computed stably.
        const m = yc![r] === 1 ? -z : z;
        s += m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
      } else {
        let mx = -Infinity;
        for (let k = 0; k < K; k++) mx = Math.max(mx, F[r * K + k]);
        let z = 0;
        for (let k = 0; k < K; k++) z += Math.exp(F[r * K + k] - mx);
        s += mx + Math.log(z) - F[r * K + yc![r]];
      }
    }
    return s / rows.length;
  }
}

/**
 * Adds each leaf's value to the raw scores F (stride T, output t) of the rows in its range of `rows` (the fit's
 * partitioned row order). A small function of its own so it is optimised after a few trees (inside the long fit loop it
 * ran mostly unoptimised).
 */
function addLeafValues(tree: Tree, starts: Int32Array, ends: Int32Array, rows: Int32Array, F: Float64Array, T: number, t: number): void {
  const { feature, value, numNodes } = tree;
  for (let node = 0; node < numNodes; node++) {
    if (feature[node] >= 0) continue;
    const v = value[node];
    for (let i = starts[node], e = ends[node]; i < e; i++) F[rows[i] * T + t] += v;
  }
}

/**
 * Gradient and hessian of the loss at the raw scores F for the given rows (output t): squared error → (F − y, 1);
 * log loss and softmax → (q − [y = t], max(q(1 − q), 1e-16)) with q the predicted probability.
 */
function gradients(loss: BoostingLoss, rows: Int32Array, F: Float64Array, K: number, t: number, yr: Float64Array | null, yc: Int32Array | null, probs: Float64Array | null, grad: Float64Array, hess: Float64Array): void {
  const m = rows.length;
  if (loss === 'squared-error') {
    for (let i = 0; i < m; i++) {
      const r = rows[i];
      grad[r] = F[r] - yr![r];
      hess[r] = 1;
    }
  } else if (loss === 'logloss') {
    for (let i = 0; i < m; i++) {
      const r = rows[i];
      const q = 1 / (1 + Math.exp(-F[r]));
      grad[r] = q - (yc![r] === 1 ? 1 : 0);
      hess[r] = Math.max(q * (1 - q), 1e-16);
    }
  } else {
    for (let i = 0; i < m; i++) {
      const r = rows[i];
      const q = probs![r * K + t];
      grad[r] = q - (yc![r] === t ? 1 : 0);
      hess[r] = Math.max(q * (1 - q), 1e-16);
    }
  }
}

/**
 * Adds tree t's output for the given rows (all when null) into raw scores F (stride T), at the row's index, or at
 * its position in `rows` when `byPosition`. Each split is a 256-entry bin → child table, so a step is two loads.
 */
function addTreeOutput(tree: Tree, xb: BinnedMatrix, rows: Int32Array | null, F: Float64Array, T: number, t: number, byPosition = false): void {
  const { feature, value } = tree;
  const next = nextTable(tree);
  const bins = xb.bins;
  const m = rows ? rows.length : xb.numRows;
  const f0 = feature[0];
  for (let i = 0; i < m; i++) {
    const r = rows ? rows[i] : i;
    let node = 0;
    let f = f0;
    while (f >= 0) {
      node = next[node * 256 + bins[f][r]];
      f = feature[node];
    }
    F[(byPosition ? i : r) * T + t] += value[node];
  }
}

/** The bins row-major: out[r * p + f] = xb.bins[f][r]. */
function rowMajorBins(xb: BinnedMatrix): Uint8Array {
  const p = xb.bins.length, n = xb.numRows;
  const out = new Uint8Array(n * p);
  for (let f = 0; f < p; f++) {
    const col = xb.bins[f];
    for (let r = 0, o = f; r < n; r++, o += p) out[o] = col[r];
  }
  return out;
}

/**
 * A tree as a branch-free walk: next[node * 256 + bin] is the child a row with that bin goes to, a leaf's entries
 * point back to itself and it reads feature 0 (ignored), so every row takes exactly `steps` (the tree's depth) steps:
 * no mispredicted loop exit, and the walks of several rows overlap in the processor.
 */
interface TreeWalk { next: Int32Array; fe: Int32Array; steps: number; value: Float64Array }

function treeWalk(tree: Tree): TreeWalk {
  const { feature, left, right } = tree;
  const nn = tree.numNodes;
  const next = nextTable(tree);
  const fe = new Int32Array(nn);
  const depth = new Int32Array(nn);
  let steps = 0;
  for (let node = 0; node < nn; node++) {
    if (feature[node] >= 0) {
      fe[node] = feature[node];
      // Children come after their parent in the node arrays.
      depth[left[node]] = depth[node] + 1;
      depth[right[node]] = depth[node] + 1;
    } else {
      next.fill(node, node * 256, node * 256 + 256);
      if (depth[node] > steps) steps = depth[node];
    }
  }
  return { next, fe, steps, value: tree.value };
}

/**
 * addTreeOutput for the rows `rows` (by row index) read from row-major bins (rowMajorBins, p features): the same
 * leaves and the same additions, eight rows at a time (eight independent chains of loads per step). Stochastic
 * boosting runs it on every training row after every tree, its largest cost at 1M rows.
 */
function addTreeOutputRows(tree: Tree, rb: Uint8Array, p: number, rows: Int32Array, F: Float64Array, T: number, t: number): void {
  const { next, fe, steps, value } = treeWalk(tree);
  const m = rows.length;
  let i = 0;
  for (; i + 8 <= m; i += 8) {
    const r0 = rows[i], r1 = rows[i + 1], r2 = rows[i + 2], r3 = rows[i + 3], r4 = rows[i + 4], r5 = rows[i + 5], r6 = rows[i + 6], r7 = rows[i + 7];
    const o0 = r0 * p, o1 = r1 * p, o2 = r2 * p, o3 = r3 * p, o4 = r4 * p, o5 = r5 * p, o6 = r6 * p, o7 = r7 * p;
    let n0 = 0, n1 = 0, n2 = 0, n3 = 0, n4 = 0, n5 = 0, n6 = 0, n7 = 0;
    for (let d = 0; d < steps; d++) {
      n0 = next[(n0 << 8) + rb[o0 + fe[n0]]];
      n1 = next[(n1 << 8) + rb[o1 + fe[n1]]];
      n2 = next[(n2 << 8) + rb[o2 + fe[n2]]];
      n3 = next[(n3 << 8) + rb[o3 + fe[n3]]];
      n4 = next[(n4 << 8) + rb[o4 + fe[n4]]];
      n5 = next[(n5 << 8) + rb[o5 + fe[n5]]];
      n6 = next[(n6 << 8) + rb[o6 + fe[n6]]];
      n7 = next[(n7 << 8) + rb[o7 + fe[n7]]];
    }
    F[r0 * T + t] += value[n0];
    F[r1 * T + t] += value[n1];
    F[r2 * T + t] += value[n2];
    F[r3 * T + t] += value[n3];
    F[r4 * T + t] += value[n4];
    F[r5 * T + t] += value[n5];
    F[r6 * T + t] += value[n6];
    F[r7 * T + t] += value[n7];
  }
  for (; i < m; i++) {
    const r = rows[i];
    const o = r * p;
    let node = 0;
    for (let d = 0; d < steps; d++) node = next[(node << 8) + rb[o + fe[node]]];
    F[r * T + t] += value[node];
  }
}

/** addTreeOutputRows for every row 0..m-1 of the row-major bins (the prediction of a whole matrix). */
function addTreeOutputAll(tree: Tree, rb: Uint8Array, p: number, m: number, F: Float64Array, T: number, t: number): void {
  const { next, fe, steps, value } = treeWalk(tree);
  let r = 0;
  for (; r + 4 <= m; r += 4) {
    const o0 = r * p, o1 = o0 + p, o2 = o1 + p, o3 = o2 + p;
    let n0 = 0, n1 = 0, n2 = 0, n3 = 0;
    for (let d = 0; d < steps; d++) {
      n0 = next[(n0 << 8) + rb[o0 + fe[n0]]];
      n1 = next[(n1 << 8) + rb[o1 + fe[n1]]];
      n2 = next[(n2 << 8) + rb[o2 + fe[n2]]];
      n3 = next[(n3 << 8) + rb[o3 + fe[n3]]];
    }
    F[r * T + t] += value[n0];
    F[(r + 1) * T + t] += value[n1];
    F[(r + 2) * T + t] += value[n2];
    F[(r + 3) * T + t] += value[n3];
  }
  for (; r < m; r++) {
    const o = r * p;
    let node = 0;
    for (let d = 0; d < steps; d++) node = next[(node << 8) + rb[o + fe[node]]];
    F[r * T + t] += value[node];
  }
}

/** next[node * 256 + bin]: the child a row with that bin goes to (split nodes; leaves' entries are 0). */
function nextTable(tree: Tree): Int32Array {
  const { feature, threshold, catLeft, missingLeft, left, right } = tree;
  const nn = tree.numNodes;
  const next = new Int32Array(nn * 256);
  for (let node = 0; node < nn; node++) {
    const f = feature[node];
    if (f < 0) continue;
    const cl = catLeft[node], thr = threshold[node], o = node * 256;
    for (let b = 1; b < 256; b++) next[o + b] = (cl ? cl[b] === 1 : b <= thr) ? left[node] : right[node];
    next[o] = missingLeft[node] === 1 ? left[node] : right[node];
  }
  return next;
}

/** Raw scores of `rows` of a binned matrix (rows.length × treesPerRound, in the order of `rows`). */
function rawOf(model: GradientBoostingModel, xb: BinnedMatrix, rows: Int32Array | null): Float64Array {
  const T = model.treesPerRound;
  const m = rows ? rows.length : xb.numRows;
  const F = new Float64Array(m * T);
  for (let i = 0; i < m; i++) for (let t = 0; t < T; t++) F[i * T + t] = model.baseScore[t];
  if (rows) model.trees.forEach((tree, j) => addTreeOutput(tree, xb, rows, F, T, j % T, true));
  else if (model.trees.length > 0) {
    const rb = rowMajorBins(xb), p = xb.bins.length;
    model.trees.forEach((tree, j) => addTreeOutputAll(tree, rb, p, m, F, T, j % T));
  }
  return F;
}

/** Raw scores (n × treesPerRound, row-major): the model's margin before the link function. */
export function gradientBoostingRaw(model: GradientBoostingModel, x: FeatureMatrix): Float64Array {
  return rawOf(model, applyBinning(x, model.binning), null);
}

/**
 * Predictions: regression → n values; classification → n × numClasses probabilities (row-major).
 * @example const p = predictGradientBoosting(model, x); const pPositive = p[i * 2 + 1];
 */
export function predictGradientBoosting(model: GradientBoostingModel, x: FeatureMatrix): Float64Array {
  return link(model, gradientBoostingRaw(model, x), x.numRows);
}

/** Raw scores F of n rows → predictions (regression: F itself; classification: probabilities). */
function link(model: GradientBoostingModel, F: Float64Array, n: number): Float64Array {
  if (model.loss === 'squared-error') return F;
  if (model.numClasses === 1) return new Float64Array(n).fill(1);
  if (model.loss === 'logloss') {
    const out = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      const q = 1 / (1 + Math.exp(-F[i]));
      out[i * 2] = 1 - q;
      out[i * 2 + 1] = q;
    }
    return out;
  }
  const K = model.numClasses;
  const out = new Float64Array(n * K);
  for (let i = 0; i < n; i++) softmaxRow(F, i, K, out);
  return out;
}

/** Total split gain per feature, normalised to sum to 1 (all zeros when no split was made). */
export function gradientBoostingImportance(model: GradientBoostingModel): Float64Array {
  return gainImportance(model.trees, model.featureNames.length);
}

/** Sum of split gains per feature over trees, normalised to sum 1. */
export function gainImportance(trees: readonly Tree[], numFeatures: number): Float64Array {
  const imp = new Float64Array(numFeatures);
  for (const t of trees) for (let k = 0; k < t.numNodes; k++) if (t.feature[k] >= 0) imp[t.feature[k]] += t.gain[k];
  let s = 0;
  for (const v of imp) s += v;
  if (s > 0) for (let j = 0; j < numFeatures; j++) imp[j] /= s;
  return imp;
}

/** Plain-JSON form of a gradient-boosting model. */
export function gradientBoostingToJSON(m: GradientBoostingModel): JsonValue {
  return {
    loss: m.loss,
    numClasses: m.numClasses,
    treesPerRound: m.treesPerRound,
    baseScore: Array.from(m.baseScore),
    rounds: m.rounds,
    featureNames: m.featureNames,
    levels: m.levels,
    binning: binningToJSON(m.binning),
    trees: m.trees.map(treeToJSON),
  };
}

/** Reads what `gradientBoostingToJSON` wrote. */
export function gradientBoostingFromJSON(json: JsonValue): GradientBoostingModel {
  const o = json as Record<string, JsonValue>;
  if (!o || typeof o !== 'object' || !Array.isArray(o.trees) || !Array.isArray(o.baseScore) || !Array.isArray(o.featureNames) || !Array.isArray(o.levels))
    throw new SynthopsError('incompatible_artifact', 'invalid gradient-boosting model: fields are missing.');
  const loss = o.loss as BoostingLoss;
  if (loss !== 'squared-error' && loss !== 'logloss' && loss !== 'softmax')
    throw new SynthopsError('incompatible_artifact', `invalid gradient-boosting loss: ${String(loss)}.`);
  return {
    loss,
    numClasses: Number(o.numClasses),
    treesPerRound: Number(o.treesPerRound),
    baseScore: Float64Array.from(o.baseScore as number[]),
    rounds: Number(o.rounds),
    featureNames: (o.featureNames as string[]).map(String),
    levels: (o.levels as number[]).map(Number),
    binning: binningFromJSON(o.binning),
    trees: o.trees.map(treeFromJSON),
  };
}

function softmaxRow(F: Float64Array, r: number, K: number, out: Float64Array): void {
  let mx = -Infinity;
  for (let k = 0; k < K; k++) mx = Math.max(mx, F[r * K + k]);
  let z = 0;
  for (let k = 0; k < K; k++) {
    const e = Math.exp(F[r * K + k] - mx);
    out[r * K + k] = e;
    z += e;
  }
  for (let k = 0; k < K; k++) out[r * K + k] /= z;
}

function clampP(p: number): number {
  return Math.min(1 - 1e-12, Math.max(1e-12, p));
}

function checkOptions(o: Record<string, number>): void {
  const bad = (name: string, hint: string) => new SynthopsError('invalid_argument', `invalid ${name}: ${o[name]}. ${hint}`);
  if (!Number.isInteger(o.nEstimators) || o.nEstimators < 0) throw bad('nEstimators', 'Use a whole number ≥ 0.');
  if (!(o.learningRate > 0)) throw bad('learningRate', 'Use a number > 0 (typically 0.01–0.3).');
  if (!(o.maxDepth >= 1)) throw bad('maxDepth', 'Use a whole number ≥ 1.');
  if (!Number.isInteger(o.maxLeaves) || o.maxLeaves < 2) throw bad('maxLeaves', 'Use a whole number ≥ 2.');
  if (!(o.minSamplesLeaf >= 1)) throw bad('minSamplesLeaf', 'Use a whole number ≥ 1.');
  if (!(o.minChildWeight >= 0)) throw bad('minChildWeight', 'Use a number ≥ 0.');
  if (!(o.lambda >= 0)) throw bad('lambda', 'Use a number ≥ 0.');
  if (!(o.subsample > 0 && o.subsample <= 1)) throw bad('subsample', 'Use a fraction in (0, 1].');
  if (!(o.colsample > 0 && o.colsample <= 1)) throw bad('colsample', 'Use a fraction in (0, 1].');
  if (!(o.validationFraction >= 0 && o.validationFraction < 1)) throw bad('validationFraction', 'Use a fraction in [0, 1).');
  if (!Number.isInteger(o.earlyStoppingRounds) || o.earlyStoppingRounds < 1) throw bad('earlyStoppingRounds', 'Use a whole number ≥ 1.');
}
