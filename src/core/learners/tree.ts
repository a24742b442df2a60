import { SynthopsError } from '../errors.js';
import type { JsonValue } from '../json.js';
import type { Rng } from '../random.js';
import { MISSING_BIN, type BinnedMatrix } from './binning.js';

/**
 * What a tree learns: class indices in [0, numClasses) (Gini impurity) or finite real values
 * (squared error).
 * @example { kind: 'classification', y: Int32Array.from([0, 1, 1]), numClasses: 2 }
 */
export type TreeTarget =
  | { kind: 'classification'; y: Int32Array; numClasses: number }
  | { kind: 'regression'; y: Float64Array };

/**
 * Options of `fitTree`. Defaults grow a full CART tree on every row with every feature.
 * @example fitTree(xb, target, { rng: createRng(1), maxDepth: 8, minSamplesLeaf: 5, maxFeatures: 'sqrt' })
 */
export interface TreeOptions {
  /** Source of randomness (feature sampling per split). Same rng seed → same tree. */
  rng: Rng;
  /** Deepest level a node may sit at (root = 0); default unlimited. */
  maxDepth?: number;
  /** Fewest training rows (bootstrap repeats counted) in a leaf; default 1. */
  minSamplesLeaf?: number;
  /** Fewest rows a node needs to be split; default 2. */
  minSamplesSplit?: number;
  /** Features tried per split: a count, a fraction in (0, 1), 'sqrt' or 'all' (default). */
  maxFeatures?: number | 'sqrt' | 'all';
  /** Training rows (bootstrap: repeats allowed); default all rows. */
  rows?: Int32Array;
  /** Weight of each row of x (indexed by row, not by position in `rows`); default 1. */
  sampleWeight?: Float64Array;
  /** Smallest impurity decrease (weighted, absolute) a split must bring; default 0. */
  minImpurityDecrease?: number;
}

/**
 * A fitted tree as flat typed arrays (JSON-serialisable via treeToJSON/treeFromJSON). Node 0 is the root.
 * A row goes left at a numeric split when its bin ≤ threshold, at a categorical split when
 * `catLeft[node][bin] === 1`; a missing value (bin 0) goes left when `missingLeft[node] === 1`.
 */
export interface Tree {
  numNodes: number;
  /** Split feature, -1 at leaves. */
  feature: Int32Array;
  /** Numeric split: bin <= threshold goes left (-1 for categorical splits and leaves). */
  threshold: Int32Array;
  /** Categorical split: catLeft[node][bin] = 1 → left; null elsewhere. */
  catLeft: (Uint8Array | null)[];
  /** Where bin 0 (missing) goes. */
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  /** (Weighted) training rows per node. */
  count: Float64Array;
  /** Regression: mean per node; classification: numClasses probabilities per node (row-major). */
  value: Float64Array;
  /** 0 for regression. */
  numClasses: number;
  /** Impurity decrease at each split node (weighted Gini × rows, or squared-error decrease); 0 at leaves. */
  gain: Float64Array;
}

/** Internal: the best split found for a node. */
interface Split {
  gain: number;
  feature: number;
  threshold: number;
  missingLeft: boolean;
  catLeft: Uint8Array | null;
}

/**
 * Fits a CART tree on binned features: histogram split search, O(rows × features tried) per depth level.
 * Categorical splits order the categories present in the node by mean target (regression), by the
 * positive-class share (binary) or by each of the larger classes' shares (multiclass), then scan
 * the prefixes — the optimal partition for regression and binary Gini.
 *
 * @example
 * const tree = fitTree(applyBinning(x, fitBinning(x)), { kind: 'regression', y }, { rng: createRng(7) });
 */
export function fitTree(x: BinnedMatrix, target: TreeTarget, opts: TreeOptions): Tree {
  const n = x.numRows;
  const p = x.bins.length;
  const isClf = target.kind === 'classification';
  const K = isClf ? target.numClasses : 0;
  checkTarget(target, n);
  const maxDepth = opts.maxDepth ?? Infinity;
  const minLeaf = Math.max(1, opts.minSamplesLeaf ?? 1);
  const minSplit = Math.max(2, opts.minSamplesSplit ?? 2, 2 * minLeaf);
  const minGain = opts.minImpurityDecrease ?? 0;
  const mtry = resolveMaxFeatures(opts.maxFeatures ?? 'all', p);
  const rng = opts.rng;
  const w = opts.sampleWeight ?? null;
  if (w && w.length !== n) throw new SynthopsError('invalid_argument', `invalid sampleWeight length: ${w.length}. Expected ${n}.`);

  // Rows sorted ascending (the multiset is what matters) so that histogram passes read memory in order.
  const idx = opts.rows ? Int32Array.from(opts.rows).sort() : identity(n);
  const tmpRows = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++)
    if (!(idx[i] >= 0 && idx[i] < n)) throw new SynthopsError('invalid_argument', `invalid row index in rows: ${idx[i]}. The matrix has ${n} rows.`);

  const yc = isClf ? target.y : null;
  const yr = isClf ? null : target.y;
  // Per-bin stats: classification → K class weights + row count; regression → weight, weighted sum, row count.
  const S = isClf ? K + 1 : 3;
  const CNT = S - 1;
  const maxB = Math.max(1, ...x.numBins);
  const hist = new Float64Array(maxB * S);
  const totals = new Float64Array(S);
  const cum = new Float64Array(S);
  const tmpL = new Float64Array(S);
  const tmpR = new Float64Array(S);
  const features = identity(p);

  // Growable node storage.
  const nFeature: number[] = [], nThreshold: number[] = [], nMissingLeft: number[] = [];
  const nCatLeft: (Uint8Array | null)[] = [], nLeft: number[] = [], nRight: number[] = [];
  const nCount: number[] = [], nValue: number[] = [], nGain: number[] = [];

  const score = (s: Float64Array): number => {
    if (isClf) {
      let W = 0, q = 0;
      for (let c = 0; c < K; c++) {
        W += s[c];
        q += s[c] * s[c];
      }
      return W > 0 ? q / W : 0;
    }
    return s[0] > 0 ? (s[1] * s[1]) / s[0] : 0;
  };

  // Per-node stats (S values, plus Σ w·y² for regression), kept so children never rescan their rows.
  const nStats: Float64Array[] = [];
  const addNode = (stats: Float64Array): number => {
    const id = nFeature.length;
    nStats.push(stats);
    nFeature.push(-1);
    nThreshold.push(-1);
    nMissingLeft.push(0);
    nCatLeft.push(null);
    nLeft.push(-1);
    nRight.push(-1);
    nGain.push(0);
    if (isClf) {
      let W = 0;
      for (let c = 0; c < K; c++) W += stats[c];
      nCount.push(W);
      for (let c = 0; c < K; c++) nValue.push(W > 0 ? stats[c] / W : 1 / K);
    } else {
      nCount.push(stats[0]);
      nValue.push(stats[0] > 0 ? stats[1] / stats[0] : 0);
    }
    return id;
  };
  let nodeSq = 0;
  let parentScore = 0;

  const isPure = (): boolean => {
    if (isClf) {
      let nz = 0;
      for (let c = 0; c < K; c++) if (totals[c] > 0) nz++;
      return nz <= 1;
    }
    const W = totals[0];
    if (W <= 0) return true;
    const sse = nodeSq - (totals[1] * totals[1]) / W;
    return sse <= 1e-12 * (Math.abs(nodeSq) + 1e-300);
  };

  const best: Split = { gain: 0, feature: -1, threshold: -1, missingLeft: false, catLeft: null };
  const consider = (gain: number, f: number, threshold: number, missingLeft: boolean, catLeft: Uint8Array | null): void => {
    if (gain > best.gain) {
      best.gain = gain;
      best.feature = f;
      best.threshold = threshold;
      best.missingLeft = missingLeft;
      best.catLeft = catLeft;
    }
  };
  // Bins [binLo, binHi] of the current feature hold every row of the node (set while building the histogram);
  // scans and clears touch only that range, so small nodes cost O(their rows), not O(bins).
  let binLo = 0, binHi = 0;
  const searchNumeric = (f: number): void => {
    const missCount = hist[CNT];
    cum.fill(0);
    for (let t = Math.max(1, binLo); t < binHi; t++) {
      const o = t * S;
      if (hist[o + CNT] === 0) continue; // same split as the previous bin
      for (let s = 0; s < S; s++) cum[s] += hist[o + s];
      // Missing goes right.
      for (let s = 0; s < S; s++) tmpR[s] = totals[s] - cum[s];
      if (tmpR[CNT] - missCount <= 0) break; // nothing non-missing on the right any more
      // With no missing row in the node, an unseen missing value later follows the larger side.
      if (cum[CNT] >= minLeaf && tmpR[CNT] >= minLeaf)
        consider(score(cum) + score(tmpR) - parentScore, f, t, missCount === 0 && cum[CNT] > tmpR[CNT], null);
      if (missCount > 0) {
        for (let s = 0; s < S; s++) {
          tmpL[s] = cum[s] + hist[s];
          tmpR[s] = totals[s] - tmpL[s];
        }
        if (tmpL[CNT] >= minLeaf && tmpR[CNT] >= minLeaf) consider(score(tmpL) + score(tmpR) - parentScore, f, t, true, null);
      }
    }
    // Missing vs everything else.
    if (missCount > 0 && missCount < totals[CNT]) {
      for (let s = 0; s < S; s++) {
        tmpL[s] = hist[s];
        tmpR[s] = totals[s] - hist[s];
      }
      if (tmpL[CNT] >= minLeaf && tmpR[CNT] >= minLeaf) consider(score(tmpL) + score(tmpR) - parentScore, f, 0, true, null);
    }
  };

  // Scratch for categorical splits: the bins present in the node and their sort keys.
  const order = new Int32Array(maxB);
  const keyOf = new Float64Array(maxB);
  const byKey = (a: number, b: number): number => keyOf[a] - keyOf[b] || a - b;
  const classOrder = Int32Array.from({ length: K }, (_, c) => c);
  const searchCategorical = (f: number, B: number): void => {
    let m = 0;
    for (let bin = binLo; bin <= binHi; bin++) if (hist[bin * S + CNT] > 0) order[m++] = bin;
    if (m < 2) return;
    // Orderings to scan: regression → mean target; binary → positive share; multiclass → share of each of
    // the (up to 4) largest classes in the node.
    const uses = !isClf || K === 2 ? 1 : Math.min(4, K);
    if (isClf && K > 2) classOrder.sort((a, b) => totals[b] - totals[a] || a - b);
    for (let u = 0; u < uses; u++) {
      const c = !isClf ? -1 : K === 2 ? 1 : classOrder[u];
      for (let i = 0; i < m; i++) {
        const o = order[i] * S;
        if (!isClf) keyOf[order[i]] = hist[o] > 0 ? hist[o + 1] / hist[o] : 0;
        else {
          let W = 0;
          for (let q = 0; q < K; q++) W += hist[o + q];
          keyOf[order[i]] = W > 0 ? hist[o + c] / W : 0;
        }
      }
      const sorted = order.subarray(0, m).sort(byKey);
      cum.fill(0);
      let bestPrefix = -1, bestGain = -Infinity;
      for (let i = 0; i < m - 1; i++) {
        const o = sorted[i] * S;
        for (let s = 0; s < S; s++) cum[s] += hist[o + s];
        for (let s = 0; s < S; s++) tmpR[s] = totals[s] - cum[s];
        if (cum[CNT] < minLeaf || tmpR[CNT] < minLeaf) continue;
        const g = score(cum) + score(tmpR) - parentScore;
        if (g > bestGain) {
          bestGain = g;
          bestPrefix = i;
        }
      }
      if (bestPrefix < 0 || bestGain <= best.gain) continue;
      let leftCount = 0;
      for (let i = 0; i <= bestPrefix; i++) leftCount += hist[sorted[i] * S + CNT];
      // Categories absent from this node (and missing, if absent) follow the larger side.
      const left = new Uint8Array(B).fill(leftCount * 2 >= totals[CNT] ? 1 : 0);
      for (let i = 0; i < m; i++) left[sorted[i]] = i <= bestPrefix ? 1 : 0;
      consider(bestGain, f, -1, left[MISSING_BIN] === 1, left);
    }
  };

  // Root stats.
  const rootStats = new Float64Array(S + 1);
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i];
    const wr = w ? w[r] : 1;
    if (yc) rootStats[yc[r]] += wr;
    else {
      rootStats[0] += wr;
      rootStats[1] += wr * yr![r];
      rootStats[S] += wr * yr![r] * yr![r];
    }
  }
  rootStats[CNT] = idx.length;
  // Explicit stack of (node, start, end, depth).
  const stack: number[] = [];
  const root = addNode(rootStats);
  stack.push(root, 0, idx.length, 0);
  while (stack.length) {
    const depth = stack.pop()!, end = stack.pop()!, start = stack.pop()!, node = stack.pop()!;
    const rowsHere = end - start;
    if (depth >= maxDepth || rowsHere < minSplit) continue;
    const ns = nStats[node];
    for (let s = 0; s < S; s++) totals[s] = ns[s];
    nodeSq = ns[S];
    if (isPure()) continue;
    parentScore = score(totals);

    // Sample mtry features without replacement (partial Fisher–Yates).
    if (mtry < p) for (let k = 0; k < mtry; k++) {
      const j = k + rng.int(p - k);
      const t = features[k];
      features[k] = features[j];
      features[j] = t;
    }
    best.gain = 0;
    best.feature = -1;
    best.threshold = -1;
    best.missingLeft = false;
    best.catLeft = null;
    for (let k = 0; k < mtry; k++) {
      const f = mtry < p ? features[k] : k;
      const B = x.numBins[f];
      if (B <= 1) continue;
      const bins = x.bins[f];
      // hist is all zeros here (cleared over the used range after each search).
      let lo = 255, hi = 0;
      if (yc) {
        for (let i = start; i < end; i++) {
          const r = idx[i];
          const bin = bins[r];
          if (bin < lo) lo = bin;
          if (bin > hi) hi = bin;
          const o = bin * S;
          hist[o + yc[r]] += w ? w[r] : 1;
          hist[o + CNT]++;
        }
      } else {
        for (let i = start; i < end; i++) {
          const r = idx[i];
          const bin = bins[r];
          if (bin < lo) lo = bin;
          if (bin > hi) hi = bin;
          const o = bin * 3;
          const wr = w ? w[r] : 1;
          hist[o] += wr;
          hist[o + 1] += wr * yr![r];
          hist[o + 2]++;
        }
      }
      binLo = lo;
      binHi = hi;
      if (lo < hi) {
        if (x.categorical[f]) searchCategorical(f, B);
        else searchNumeric(f);
      }
      hist.fill(0, lo * S, (hi + 1) * S);
    }
    if (best.feature < 0 || best.gain <= minGain || best.gain <= 1e-12 * Math.abs(parentScore)) continue;

    // Partition idx[start, end) in place: left rows first.
    const bins = x.bins[best.feature];
    const cat = best.catLeft;
    const thr = best.threshold;
    const ml = best.missingLeft;
    // Stable partition: rows stay ascending inside every node, so bin columns are read front to back.
    let a = start, nr = 0;
    const ls = new Float64Array(S + 1);
    for (let i = start; i < end; i++) {
      const r = idx[i];
      const bin = bins[r];
      if (bin === MISSING_BIN ? ml : cat ? cat[bin] === 1 : bin <= thr) {
        const wr = w ? w[r] : 1;
        if (yc) ls[yc[r]] += wr;
        else {
          ls[0] += wr;
          ls[1] += wr * yr![r];
          ls[S] += wr * yr![r] * yr![r];
        }
        idx[a++] = r;
      } else tmpRows[nr++] = r;
    }
    idx.set(tmpRows.subarray(0, nr), a);
    const mid = a;
    if (mid === start || mid === end) continue; // cannot happen with a valid split; stay safe
    nFeature[node] = best.feature;
    nThreshold[node] = cat ? -1 : thr;
    nMissingLeft[node] = ml ? 1 : 0;
    nCatLeft[node] = cat;
    nGain[node] = best.gain;
    ls[CNT] = mid - start;
    const rs = new Float64Array(S + 1);
    for (let s = 0; s <= S; s++) rs[s] = ns[s] - ls[s];
    rs[CNT] = end - mid;
    const l = addNode(ls);
    const r = addNode(rs);
    nLeft[node] = l;
    nRight[node] = r;
    // Push right first so the left subtree is built first (node order is depth-first, left to right).
    stack.push(r, mid, end, depth + 1, l, start, mid, depth + 1);
  }

  const numNodes = nFeature.length;
  const tree: Tree = {
    numNodes,
    feature: Int32Array.from(nFeature),
    threshold: Int32Array.from(nThreshold),
    catLeft: nCatLeft,
    missingLeft: Uint8Array.from(nMissingLeft),
    left: Int32Array.from(nLeft),
    right: Int32Array.from(nRight),
    count: Float64Array.from(nCount),
    value: Float64Array.from(nValue),
    numClasses: K,
    gain: Float64Array.from(nGain),
  };
  return tree;
}

/**
 * Leaf node index for every row of x. O(rows × depth).
 * @example const leaves = applyTree(tree, xb); const p1 = tree.value[leaves[0] * tree.numClasses + 1];
 */
export function applyTree(tree: Tree, x: BinnedMatrix): Int32Array {
  const n = x.numRows;
  const out = new Int32Array(n);
  const { feature, threshold, catLeft, missingLeft, left, right } = tree;
  const bins = x.bins;
  for (let i = 0; i < n; i++) {
    let node = 0;
    let f = feature[0];
    while (f >= 0) {
      const bin = bins[f][i];
      const cl = catLeft[node];
      const goLeft = bin === MISSING_BIN ? missingLeft[node] === 1 : cl ? cl[bin] === 1 : bin <= threshold[node];
      node = goLeft ? left[node] : right[node];
      f = feature[node];
    }
    out[i] = node;
  }
  return out;
}

/**
 * Predictions of one tree: regression → n values; classification → n × numClasses probabilities (row-major).
 * @example const proba = predictTree(tree, xb);
 */
export function predictTree(tree: Tree, x: BinnedMatrix): Float64Array {
  const leaves = applyTree(tree, x);
  const K = tree.numClasses;
  if (K === 0) {
    const out = new Float64Array(x.numRows);
    for (let i = 0; i < out.length; i++) out[i] = tree.value[leaves[i]];
    return out;
  }
  const out = new Float64Array(x.numRows * K);
  for (let i = 0; i < x.numRows; i++) {
    const o = leaves[i] * K;
    for (let c = 0; c < K; c++) out[i * K + c] = tree.value[o + c];
  }
  return out;
}

/** Depth of the deepest leaf (root alone = 0). */
export function treeDepth(tree: Tree): number {
  const depth = new Int32Array(tree.numNodes);
  let max = 0;
  for (let i = 0; i < tree.numNodes; i++) {
    if (tree.feature[i] >= 0) {
      depth[tree.left[i]] = depth[i] + 1;
      depth[tree.right[i]] = depth[i] + 1;
      if (depth[i] + 1 > max) max = depth[i] + 1;
    }
  }
  return max;
}

/** Plain-JSON form of a tree (typed arrays as number arrays; catLeft as lists of left bins). */
export function treeToJSON(tree: Tree): JsonValue {
  return {
    numNodes: tree.numNodes,
    numClasses: tree.numClasses,
    feature: Array.from(tree.feature),
    threshold: Array.from(tree.threshold),
    catLeft: tree.catLeft.map((c) => (c ? Array.from(c) : null)),
    missingLeft: Array.from(tree.missingLeft),
    left: Array.from(tree.left),
    right: Array.from(tree.right),
    count: Array.from(tree.count),
    value: Array.from(tree.value),
    gain: Array.from(tree.gain),
  };
}

/** Reads what `treeToJSON` wrote; throws `incompatible_artifact` when it is malformed. */
export function treeFromJSON(json: JsonValue): Tree {
  const o = json as Record<string, unknown>;
  const bad = (what: string) => new SynthopsError('incompatible_artifact', `invalid tree: ${what}.`);
  if (!o || typeof o !== 'object') throw bad('not an object');
  const n = o.numNodes;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw bad('numNodes is not a positive whole number');
  const K = o.numClasses;
  if (typeof K !== 'number' || !Number.isInteger(K) || K < 0) throw bad('numClasses is not a whole number ≥ 0');
  const arr = (k: string, len: number): number[] => {
    const a = o[k];
    if (!Array.isArray(a) || a.length !== len || a.some((v) => typeof v !== 'number')) throw bad(`${k} is malformed`);
    return a as number[];
  };
  const cat = o.catLeft;
  if (!Array.isArray(cat) || cat.length !== n) throw bad('catLeft is malformed');
  const tree: Tree = {
    numNodes: n,
    numClasses: K,
    feature: Int32Array.from(arr('feature', n)),
    threshold: Int32Array.from(arr('threshold', n)),
    catLeft: cat.map((c) => (c === null ? null : Uint8Array.from(c as number[]))),
    missingLeft: Uint8Array.from(arr('missingLeft', n)),
    left: Int32Array.from(arr('left', n)),
    right: Int32Array.from(arr('right', n)),
    count: Float64Array.from(arr('count', n)),
    value: Float64Array.from(arr('value', K === 0 ? n : n * K)),
    gain: Float64Array.from(arr('gain', n)),
  };
  for (let i = 0; i < n; i++)
    if (tree.feature[i] >= 0 && !(tree.left[i] > i && tree.left[i] < n && tree.right[i] > i && tree.right[i] < n)) throw bad('child links are out of range');
  return tree;
}

/** Number of features tried per split for a `maxFeatures` option and `p` features. */
export function resolveMaxFeatures(m: number | 'sqrt' | 'all', p: number): number {
  if (p === 0) return 0;
  if (m === 'all') return p;
  if (m === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(p)));
  if (!(m > 0) || !Number.isFinite(m))
    throw new SynthopsError('invalid_argument', `invalid maxFeatures: ${m}. Use a count ≥ 1, a fraction in (0, 1), 'sqrt' or 'all'.`);
  if (m < 1) return Math.max(1, Math.round(m * p));
  return Math.min(p, Math.floor(m));
}

function checkTarget(target: TreeTarget, n: number): void {
  if (target.y.length !== n) throw new SynthopsError('invalid_argument', `invalid target length: ${target.y.length}. Expected ${n} rows.`);
  if (target.kind === 'classification') {
    const K = target.numClasses;
    if (!Number.isInteger(K) || K < 1) throw new SynthopsError('invalid_argument', `invalid numClasses: ${K}. Use a whole number ≥ 1.`);
    for (let i = 0; i < n; i++) {
      const c = target.y[i];
      if (!(c >= 0 && c < K)) throw new SynthopsError('invalid_input', `invalid class index at row ${i}. Classes must be in [0, ${K}).`, { row: i });
    }
  } else {
    for (let i = 0; i < n; i++)
      if (!Number.isFinite(target.y[i])) throw new SynthopsError('invalid_input', `invalid target at row ${i}: not a finite number.`, { row: i });
  }
}

function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}
