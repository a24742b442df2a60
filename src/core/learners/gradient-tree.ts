import { MISSING_BIN, type BinnedMatrix } from './binning.js';
import type { Tree } from './tree.js';

/**
 * Options of `fitGradientTree` (one regression tree on gradients and hessians, as in second-order
 * gradient boosting). All fields are required here; `gradient-boosting.ts` supplies the defaults.
 */
export interface GradientTreeOptions {
  /** Deepest level (root = 0). */
  maxDepth: number;
  /** Most leaves; the tree grows best-first (largest gain first) until it has this many. */
  maxLeaves: number;
  /** Fewest rows in a leaf. */
  minSamplesLeaf: number;
  /** Smallest hessian sum in a leaf. */
  minChildWeight: number;
  /** L2 penalty on leaf values (λ in −G / (H + λ)). */
  lambda: number;
  /** Smallest gain a split must bring. */
  minSplitGain: number;
  /** Leaf values are multiplied by this (the learning rate). */
  shrinkage: number;
  /** Features that may be split on (column subsampling); default all. */
  features?: Int32Array;
  /**
   * Row-major histogram cells of the matrix (`codes[r * features + f] = offset[f] + bin`, from {@link rowMajorCodes}),
   * when the caller fits many trees on one matrix; computed here when absent. Histograms are built row by row (one
   * contiguous read per row). Same result either way.
   */
  codes?: Uint16Array | Int32Array;
  /** Scratch rows (length ≥ rows), reused across trees to spare allocations. */
  scratch?: Int32Array;
  /**
   * The inner loops (histogram build, partition, subtraction) and the histogram buffers, when the caller fits many
   * trees on one matrix (see `boostingWorkspace` in boosting-kernels.ts); default {@link tsTreeKernels} over `codes`.
   * They must work on the same `grad` and `hess` arrays as the call.
   */
  kernels?: TreeKernels;
}

/**
 * The inner loops of growing a gradient tree over one binned matrix and one pair of gradient/hessian arrays. Every
 * implementation gives the same bits (same float operations in the same order); they differ only in speed.
 */
export interface TreeKernels {
  /** Zeroes `hist` and adds (g, h, 1) of rows idx[start, end) into cell `(offset[f] + bin) * 3` of each feature (all, or `features`). */
  build(hist: Float64Array, idx: Int32Array, start: number, end: number, features: Int32Array | null): void;
  /**
   * Stable partition of idx[start, end) by `side[bin of feature f]` (1 = left; left rows first, `tmp` as scratch).
   * Returns the first right position; G and H of the left rows, summed in row order, in `sums[0]`, `sums[1]`.
   */
  partition(idx: Int32Array, tmp: Int32Array, start: number, end: number, feature: number, side: Uint8Array, sums: Float64Array): number;
  /** large −= small, cell by cell. */
  subtract(large: Float64Array, small: Float64Array): void;
  /** A histogram buffer (contents undefined) and its return. */
  alloc(): Float64Array;
  release(hist: Float64Array): void;
}

/**
 * The plain-TypeScript {@link TreeKernels} over a binned matrix, its row-major `codes` and `grad` / `hess`.
 * @example const k = tsTreeKernels(xb, rowMajorCodes(xb, layout), layout, grad, hess);
 */
export function tsTreeKernels(x: BinnedMatrix, codes: Uint16Array | Int32Array, layout: HistLayout, grad: Float64Array, hess: Float64Array): TreeKernels {
  const p = x.bins.length, size = layout.total * 3;
  const free: Float64Array[] = [];
  return {
    build: (hist, idx, start, end, features) => {
      if (features) buildSome(hist, codes, p, features, idx, start, end, grad, hess);
      else buildAll(hist, codes, p, idx, start, end, grad, hess);
    },
    partition: (idx, tmp, start, end, feature, side, sums) => partitionRows(idx, tmp, start, end, x.bins[feature], side, grad, hess, sums),
    subtract: (large, small) => {
      for (let k = 0; k < size; k++) large[k] -= small[k];
    },
    alloc: () => free.pop() ?? new Float64Array(size),
    release: (hist) => {
      free.push(hist);
    },
  };
}

/**
 * Row-major histogram cell of every (row, feature) of a binned matrix: `out[r * p + f] = layout.offset[f] + bin`
 * (Uint16 when every cell index fits, else Int32), for {@link GradientTreeOptions.codes}.
 * @example const codes = rowMajorCodes(xb, histLayout(xb));
 */
export function rowMajorCodes(x: BinnedMatrix, layout: HistLayout): Uint16Array | Int32Array {
  const p = x.bins.length, n = x.numRows;
  const out = layout.total <= 0x10000 ? new Uint16Array(n * p) : new Int32Array(n * p);
  for (let f = 0; f < p; f++) {
    const b = x.bins[f], o = layout.offset[f];
    for (let r = 0, k = f; r < n; r++, k += p) out[k] = o + b[r];
  }
  return out;
}

/** A fitted gradient tree and where the training rows ended: rows[nodeStart[leaf], nodeEnd[leaf]). */
export interface GradientTreeFit {
  tree: Tree;
  /** The training rows, permuted so that each leaf's rows are contiguous. */
  rows: Int32Array;
  nodeStart: Int32Array;
  nodeEnd: Int32Array;
}

/** Histogram memory layout for a binned matrix: bin `b` of feature `f` sits at `(offset[f] + b) * 3` (g, h, count). */
export interface HistLayout {
  offset: Int32Array;
  total: number;
}

/** Histogram offsets of a binned matrix. */
export function histLayout(x: BinnedMatrix): HistLayout {
  const offset = new Int32Array(x.numBins.length);
  let t = 0;
  for (let f = 0; f < x.numBins.length; f++) {
    offset[f] = t;
    t += x.numBins[f];
  }
  return { offset, total: t };
}

interface Candidate {
  node: number;
  start: number;
  end: number;
  depth: number;
  hist: Float64Array;
  G: number;
  H: number;
  gain: number;
  feature: number;
  threshold: number;
  missingLeft: boolean;
  catLeft: Uint8Array | null;
}

/**
 * Fits one second-order regression tree: gradient/hessian histograms over Uint8 bins, the smaller
 * child's histogram built from its rows and the larger one's by subtraction from the parent, best-first
 * growth. Split gain is G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ); leaf value −G/(H+λ) × shrinkage.
 * Missing values (bin 0) go to whichever side gains more; categorical bins are ordered by G/(H+λ)
 * and cut at the best prefix. `rows` (ascending order is fastest) is permuted in place.
 *
 * Cost per tree: O(rows × features) for the root, then O(smaller child rows × features) per split,
 * plus O(bins) per feature per split search.
 *
 * @example
 * const { tree } = fitGradientTree(xb, grad, hess, rows, layout, { maxDepth: 6, maxLeaves: 31, ... });
 */
export function fitGradientTree(
  x: BinnedMatrix,
  grad: Float64Array,
  hess: Float64Array,
  rows: Int32Array,
  layout: HistLayout,
  opts: GradientTreeOptions,
): GradientTreeFit {
  const { maxDepth, maxLeaves, minSamplesLeaf, minChildWeight, lambda, minSplitGain, shrinkage } = opts;
  const p = x.bins.length;
  const features = opts.features ?? Int32Array.from({ length: p }, (_, i) => i);
  const { offset } = layout;
  const idx = rows;
  const tmp = opts.scratch && opts.scratch.length >= idx.length ? opts.scratch : new Int32Array(idx.length);
  const kernels = opts.kernels ?? tsTreeKernels(x, opts.codes ?? rowMajorCodes(x, layout), layout, grad, hess);
  const alloc = (): Float64Array => kernels.alloc();
  const sums = new Float64Array(2);

  const nFeature: number[] = [], nThreshold: number[] = [], nMissingLeft: number[] = [];
  const nCatLeft: (Uint8Array | null)[] = [], nLeft: number[] = [], nRight: number[] = [];
  const nCount: number[] = [], nValue: number[] = [], nGain: number[] = [];
  const nStart: number[] = [], nEnd: number[] = [];
  const newNode = (start: number, end: number, G: number, H: number): number => {
    const id = nFeature.length;
    nFeature.push(-1);
    nThreshold.push(-1);
    nMissingLeft.push(0);
    nCatLeft.push(null);
    nLeft.push(-1);
    nRight.push(-1);
    nCount.push(end - start);
    nValue.push((-G / (H + lambda)) * shrinkage);
    nGain.push(0);
    nStart.push(start);
    nEnd.push(end);
    return id;
  };

  const someFeatures = features.length === p ? null : features;
  // Every histogram cell receives its rows' values in row order, whichever kernel runs.
  const build = (hist: Float64Array, start: number, end: number): void => kernels.build(hist, idx, start, end, someFeatures);

  const score = (g: number, h: number): number => (g * g) / (h + lambda);

  const present = new Int32Array(256), keys = new Float64Array(256);
  const search = (c: Candidate): void => {
    c.gain = 0;
    c.feature = -1;
    const n = c.end - c.start;
    if (c.depth >= maxDepth || n < 2 * minSamplesLeaf) return;
    const { hist, G, H } = c;
    const parent = score(G, H);
    for (let k = 0; k < features.length; k++) {
      const f = features[k];
      const B = x.numBins[f];
      if (B <= 1) continue;
      const base = offset[f] * 3;
      const g0 = hist[base], h0 = hist[base + 1], c0 = hist[base + 2];
      if (!x.categorical[f]) {
        let gl = 0, hl = 0, cl = 0;
        for (let t = 1; t < B - 1; t++) {
          const o = base + t * 3;
          gl += hist[o];
          hl += hist[o + 1];
          cl += hist[o + 2];
          if (cl === 0) continue;
          const cr = n - cl - c0;
          if (cr <= 0) break;
          // Missing right.
          {
            const gr = G - gl, hr = H - hl, crr = cr + c0;
            if (cl >= minSamplesLeaf && crr >= minSamplesLeaf && hl >= minChildWeight && hr >= minChildWeight) {
              const gain = score(gl, hl) + score(gr, hr) - parent;
              if (gain > c.gain) set(c, gain, f, t, c0 === 0 && cl > crr, null);
            }
          }
          if (c0 > 0) {
            const gL = gl + g0, hL = hl + h0, cL = cl + c0;
            const gr = G - gL, hr = H - hL;
            if (cL >= minSamplesLeaf && cr >= minSamplesLeaf && hL >= minChildWeight && hr >= minChildWeight) {
              const gain = score(gL, hL) + score(gr, hr) - parent;
              if (gain > c.gain) set(c, gain, f, t, true, null);
            }
          }
        }
        if (c0 > 0 && c0 < n && c0 >= minSamplesLeaf && n - c0 >= minSamplesLeaf && h0 >= minChildWeight && H - h0 >= minChildWeight) {
          const gain = score(g0, h0) + score(G - g0, H - h0) - parent;
          if (gain > c.gain) set(c, gain, f, 0, true, null);
        }
      } else {
        // Present bins in increasing G/(H+λ), ties by bin (insertion sort on typed scratch: few bins, no closures).
        let np = 0;
        for (let b = 0; b < B; b++) {
          const o = base + b * 3;
          if (!(hist[o + 2] > 0)) continue;
          const k = hist[o] / (hist[o + 1] + lambda);
          let j = np++;
          while (j > 0 && keys[j - 1] > k) {
            keys[j] = keys[j - 1];
            present[j] = present[j - 1];
            j--;
          }
          keys[j] = k;
          present[j] = b;
        }
        if (np < 2) continue;
        let gl = 0, hl = 0, cl = 0, bestM = -1, bestGain = c.gain;
        for (let m = 0; m < np - 1; m++) {
          const o = base + present[m] * 3;
          gl += hist[o];
          hl += hist[o + 1];
          cl += hist[o + 2];
          const cr = n - cl, hr = H - hl;
          if (cl < minSamplesLeaf || cr < minSamplesLeaf || hl < minChildWeight || hr < minChildWeight) continue;
          const gain = score(gl, hl) + score(G - gl, hr) - parent;
          if (gain > bestGain) {
            bestGain = gain;
            bestM = m;
          }
        }
        if (bestM < 0) continue;
        const left = new Uint8Array(B);
        let leftCount = 0;
        for (let m = 0; m <= bestM; m++) {
          left[present[m]] = 1;
          leftCount += hist[base + present[m] * 3 + 2];
        }
        const absent = leftCount * 2 >= n ? 1 : 0;
        for (let b = 0; b < B; b++) if (hist[base + b * 3 + 2] === 0) left[b] = absent;
        set(c, bestGain, f, -1, left[MISSING_BIN] === 1, left);
      }
    }
    if (c.gain <= minSplitGain) c.feature = -1;
  };

  // Root.
  // (A helper, not a loop here: a loop before the first call would have this function compiled on stack replacement
  // without feedback for the calls below, and thrown back to the interpreter on every tree.)
  sumRows(idx, grad, hess, sums);
  const G = sums[0], H = sums[1];
  const root = newNode(0, idx.length, G, H);
  const rootHist = alloc();
  build(rootHist, 0, idx.length);
  const open: Candidate[] = [];
  const rc: Candidate = { node: root, start: 0, end: idx.length, depth: 0, hist: rootHist, G, H, gain: 0, feature: -1, threshold: -1, missingLeft: false, catLeft: null };
  search(rc);
  open.push(rc);
  let leaves = 1;
  while (leaves < maxLeaves) {
    let bi = -1;
    for (let i = 0; i < open.length; i++) if (open[i].feature >= 0 && (bi < 0 || open[i].gain > open[bi].gain)) bi = i;
    if (bi < 0) break;
    const c = open[bi];
    open.splice(bi, 1);
    // Partition through a bin → side table (1 = left), without branches. Stable: rows stay in ascending order
    // inside every node, so histogram building reads rows front to back (far fewer cache misses).
    const cat = c.catLeft, thr = c.threshold, ml = c.missingLeft;
    const mid = kernels.partition(idx, tmp, c.start, c.end, c.feature, goesLeft(x.numBins[c.feature], cat, thr, ml), sums);
    const gl = sums[0], hl = sums[1];
    nFeature[c.node] = c.feature;
    nThreshold[c.node] = cat ? -1 : thr;
    nMissingLeft[c.node] = ml ? 1 : 0;
    nCatLeft[c.node] = cat;
    nGain[c.node] = c.gain;
    const l = newNode(c.start, mid, gl, hl);
    const r = newNode(mid, c.end, c.G - gl, c.H - hl);
    nLeft[c.node] = l;
    nRight[c.node] = r;
    leaves++;
    // Smaller child by scan, larger by subtraction (reusing the parent's buffer).
    const leftSmaller = mid - c.start <= c.end - mid;
    const small = alloc();
    if (leftSmaller) build(small, c.start, mid);
    else build(small, mid, c.end);
    const large = c.hist;
    kernels.subtract(large, small);
    const lc: Candidate = { node: l, start: c.start, end: mid, depth: c.depth + 1, hist: leftSmaller ? small : large, G: gl, H: hl, gain: 0, feature: -1, threshold: -1, missingLeft: false, catLeft: null };
    const rc2: Candidate = { node: r, start: mid, end: c.end, depth: c.depth + 1, hist: leftSmaller ? large : small, G: c.G - gl, H: c.H - hl, gain: 0, feature: -1, threshold: -1, missingLeft: false, catLeft: null };
    if (leaves < maxLeaves) {
      search(lc);
      search(rc2);
    }
    for (const ch of [lc, rc2]) {
      if (ch.feature >= 0) open.push(ch);
      else kernels.release(ch.hist);
    }
  }

  for (const c of open) kernels.release(c.hist);

  const tree: Tree = {
    numNodes: nFeature.length,
    feature: Int32Array.from(nFeature),
    threshold: Int32Array.from(nThreshold),
    catLeft: nCatLeft,
    missingLeft: Uint8Array.from(nMissingLeft),
    left: Int32Array.from(nLeft),
    right: Int32Array.from(nRight),
    count: Float64Array.from(nCount),
    value: Float64Array.from(nValue),
    numClasses: 0,
    gain: Float64Array.from(nGain),
  };
  return { tree, rows: idx, nodeStart: Int32Array.from(nStart), nodeEnd: Int32Array.from(nEnd) };
}

function set(c: Candidate, gain: number, feature: number, threshold: number, missingLeft: boolean, catLeft: Uint8Array | null): void {
  c.gain = gain;
  c.feature = feature;
  c.threshold = threshold;
  c.missingLeft = missingLeft;
  c.catLeft = catLeft;
}

/**
 * Histogram of rows idx[start, end) over every feature: cell `codes[r * p + f]` gets (g, h, 1) at `cell * 3`.
 * Three features per step (independent cells, so the adds overlap); the same per-cell order as one at a time.
 */
function buildAll(hist: Float64Array, codes: Uint16Array | Int32Array, p: number, idx: Int32Array, start: number, end: number, grad: Float64Array, hess: Float64Array): void {
  hist.fill(0);
  for (let i = start; i < end; i++) {
    const r = idx[i];
    const g = grad[r], h = hess[r];
    let k = r * p;
    const ke = k + p;
    for (; k + 2 < ke; k += 3) {
      const o1 = codes[k] * 3, o2 = codes[k + 1] * 3, o3 = codes[k + 2] * 3;
      hist[o1] += g;
      hist[o1 + 1] += h;
      hist[o1 + 2] += 1;
      hist[o2] += g;
      hist[o2 + 1] += h;
      hist[o2 + 2] += 1;
      hist[o3] += g;
      hist[o3 + 1] += h;
      hist[o3 + 2] += 1;
    }
    for (; k < ke; k++) {
      const o = codes[k] * 3;
      hist[o] += g;
      hist[o + 1] += h;
      hist[o + 2] += 1;
    }
  }
}

/** {@link buildAll} over the listed features only (column subsampling). */
function buildSome(hist: Float64Array, codes: Uint16Array | Int32Array, p: number, features: Int32Array, idx: Int32Array, start: number, end: number, grad: Float64Array, hess: Float64Array): void {
  hist.fill(0);
  const m = features.length;
  for (let i = start; i < end; i++) {
    const r = idx[i];
    const g = grad[r], h = hess[r];
    const ro = r * p;
    for (let k = 0; k < m; k++) {
      const o = codes[ro + features[k]] * 3;
      hist[o] += g;
      hist[o + 1] += h;
      hist[o + 2] += 1;
    }
  }
}

/** Σ grad and Σ hess over idx, in order, into sums[0], sums[1]. */
function sumRows(idx: Int32Array, grad: Float64Array, hess: Float64Array, sums: Float64Array): void {
  let G = 0, H = 0;
  for (let i = 0; i < idx.length; i++) {
    G += grad[idx[i]];
    H += hess[idx[i]];
  }
  sums[0] = G;
  sums[1] = H;
}

/** Side of every bin of a split (1 = left): bin 0 by `missingLeft`, others by `catLeft` or `bin ≤ threshold`. */
function goesLeft(numBins: number, catLeft: Uint8Array | null, threshold: number, missingLeft: boolean): Uint8Array {
  const side = new Uint8Array(256);
  for (let b = 1; b < numBins; b++) side[b] = catLeft ? (catLeft[b] === 1 ? 1 : 0) : b <= threshold ? 1 : 0;
  side[MISSING_BIN] = missingLeft ? 1 : 0;
  return side;
}

/**
 * Stable partition of idx[start, end) by `side[bins[row]]`: left rows first (in place), right rows after (through
 * `tmp`). Branch-free; G and H of the left rows are summed in row order (× 1 or × 0, which adds exactly nothing).
 */
function partitionRows(idx: Int32Array, tmp: Int32Array, start: number, end: number, bins: Uint8Array, side: Uint8Array, grad: Float64Array, hess: Float64Array, sums: Float64Array): number {
  let a = start, nr = 0, gl = 0, hl = 0;
  for (let i = start; i < end; i++) {
    const r = idx[i];
    const s = side[bins[r]];
    idx[a] = r;
    tmp[nr] = r;
    a += s;
    nr += 1 - s;
    gl += grad[r] * s;
    hl += hess[r] * s;
  }
  idx.set(tmp.subarray(0, nr), a);
  sums[0] = gl;
  sums[1] = hl;
  return a;
}
