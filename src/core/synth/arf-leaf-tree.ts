import { base64ToBytes, bytesToBase64, decodeFloats, encodeFloats } from '../artifact.js';
import { SynthopsError, throwIfAborted } from '../errors.js';
import type { JsonValue } from '../json.js';
import { AliasTable, type Rng } from '../random.js';
import type { ResolvedCondition } from './conditions.js';
import type { JointEngine, ModelledValues } from './tabular-fitted.js';
import type { ColumnModel } from './transforms/column-model.js';

// The arf density's v2 leaf model: inside each density leaf the columns follow a dependence tree (one tree
// structure for the whole model, learnt by Chow–Liu on the mutual information of binned columns given the leaf),
// instead of being independent (v1). Per leaf and per edge parent → child the model stores the counts of the
// child's bin given the parent's bin over the leaf's real rows; numbers are drawn inside their bin from the
// leaf's quantile summary of ranks. Every stored figure is a count or a quantile over a leaf of ≥ minLeaf rows.

/**
 * Bins of the columns for the dependence tree. Categorical: the label index, L = missing. Numeric: a bin of
 * the rank u (equal-frequency cuts snapped to boundaries between distinct values, so a repeated value such as
 * education-num = 13 or capital-gain = 0 falls in one bin), nb = missing.
 */
export interface LeafBinning {
  /** Bins per column, the missing bin included. */
  size: Int32Array;
  /** Numeric columns: the bins' u-edges (0 = e_0 < … < e_nb = 1); null for categorical columns. */
  edges: (Float64Array | null)[];
}

/** One column's counts in every leaf of a tree: per leaf (CSR), entries (parent bin, child bin, count) sorted by parent then child bin. */
interface LeafTable {
  start: Int32Array;
  pb: Int32Array;
  cb: Int32Array;
  cnt: Float64Array;
  /** Derived: the child's leaf marginal (CSR, sorted by bin). */
  mstart: Int32Array;
  mb: Int32Array;
  mcnt: Float64Array;
}

/** One tree of the v2 density. */
export interface TreeDensity {
  /** Real rows per leaf. */
  count: Float64Array;
  /** Numeric columns: `q` quantile points of the present ranks per leaf; null for categorical columns. */
  quantiles: (Float32Array | null)[];
  tables: LeafTable[];
}

interface TreeDensityState {
  count: number[];
  quantiles: (ReturnType<typeof encodeFloats> | null)[];
  tables: { entries: IntsState; key: IntsState; cnt: IntsState }[];
}

/** Non-negative integers, base64 in the narrowest of u8 / u16 / i32 that holds them (little-endian). */
type IntsState = {
  dtype: 'u8' | 'u16' | 'i32';
  length: number;
  base64: string;
};

const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
function swapBytes(bytes: Uint8Array, width: number): Uint8Array {
  if (LE || width === 1) return bytes;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += width) for (let k = 0; k < width; k++) out[i + k] = bytes[i + width - 1 - k];
  return out;
}
function encodeInts(a: ArrayLike<number>): IntsState {
  let max = 0;
  for (let i = 0; i < a.length; i++) if (a[i] > max) max = a[i];
  const v = max < 256 ? Uint8Array.from(a) : max < 65536 ? Uint16Array.from(a) : Int32Array.from(a);
  const dtype = v instanceof Uint8Array ? 'u8' : v instanceof Uint16Array ? 'u16' : 'i32';
  return { dtype, length: v.length, base64: bytesToBase64(swapBytes(new Uint8Array(v.buffer), v.BYTES_PER_ELEMENT)) };
}
function decodeInts(e: IntsState): Int32Array {
  const width = e?.dtype === 'u8' ? 1 : e?.dtype === 'u16' ? 2 : e?.dtype === 'i32' ? 4 : 0;
  if (!width || !Number.isInteger(e.length)) throw new SynthopsError('incompatible_artifact', 'invalid arf state: an integer array is not encoded as u8, u16 or i32.');
  const bytes = swapBytes(base64ToBytes(e.base64), width);
  if (bytes.length !== e.length * width) throw new SynthopsError('incompatible_artifact', `invalid encoded array: ${bytes.length} bytes for ${e.length} × ${e.dtype}.`);
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return Int32Array.from(width === 1 ? new Uint8Array(buf) : width === 2 ? new Uint16Array(buf) : new Int32Array(buf));
}

// ---------------------------------------------------------------------------------------------------------
// Leaf quantile summaries (shared with the v1 leaf model).

/** Piecewise-linear CDF of a leaf's quantile summary (points qs[s..s+q)) at u. */
export function leafCdf(qs: Float32Array, s: number, q: number, u: number): number {
  if (u < qs[s]) return 0;
  if (u >= qs[s + q - 1]) return 1;
  let a = 0;
  while (a < q - 2 && qs[s + a + 1] <= u) a++;
  const lo = qs[s + a], hi = qs[s + a + 1];
  return (a + (hi > lo ? (u - lo) / (hi - lo) : 1)) / (q - 1);
}

/** Inverse of {@link leafCdf}: the u at cumulative probability f. */
export function leafInverse(qs: Float32Array, s: number, q: number, f: number): number {
  const t = f * (q - 1);
  const a = Math.min(Math.floor(t), q - 2);
  const lo = qs[s + a], hi = qs[s + a + 1];
  return lo + (t - a) * (hi - lo);
}

/**
 * The u-window of a numeric condition. A numeric `equals` on a value without a point mass has an empty window;
 * it is widened to the values that round to it (half a rounding unit either side; ±1e-9 relative when the column
 * has no rounding), so the condition keeps positive probability. Documented fallback.
 */
export function conditionWindow(c: ResolvedCondition, mg: { decimals: number | undefined; step: number | undefined; rangeInterval(min?: number, max?: number): [number, number] }): [number, number] {
  if (c.value === undefined || c.uHi > c.uLo) return [c.uLo, c.uHi];
  const half = mg.step ? mg.step / 2 : mg.decimals !== undefined ? 0.5 * Math.pow(10, -mg.decimals) : 1e-9 * Math.max(1, Math.abs(c.value));
  return mg.rangeInterval(c.value - half, c.value + half);
}

/** Per-leaf quantile summary (q points) of the present values of u, rows grouped by leaf. */
export function leafQuantiles(groups: { start: Int32Array; rows: Int32Array }, numLeaves: number, u: Float64Array, q: number): { nulls: Float64Array; quantiles: Float32Array } {
  const nulls = new Float64Array(numLeaves);
  const quantiles = new Float32Array(numLeaves * q);
  const buf = new Float64Array(groups.rows.length);
  for (let l = 0; l < numLeaves; l++) {
    let k = 0;
    for (let e = groups.start[l]; e < groups.start[l + 1]; e++) {
      const v = u[groups.rows[e]];
      if (v === v) buf[k++] = v;
      else nulls[l]++;
    }
    const v = buf.subarray(0, k).sort();
    for (let p = 0; p < q; p++) {
      if (!k) {
        quantiles[l * q + p] = p / (q - 1);
        continue;
      }
      const pos = (p / (q - 1)) * (k - 1);
      const a = Math.floor(pos);
      quantiles[l * q + p] = v[a] + (pos - a) * (v[Math.min(a + 1, k - 1)] - v[a]);
    }
  }
  return { nulls, quantiles };
}

// ---------------------------------------------------------------------------------------------------------
// Fitting: bins, structure, per-leaf tables.

/**
 * Bins every modelled column (see {@link LeafBinning}); `work` holds numbers (NaN missing) and label indices
 * (−1 missing), `ranks` the randomised ranks of the numbers. Numeric cuts: `maxBins` equal-frequency targets,
 * each moved to the nearest boundary between distinct values.
 */
export function fitLeafBinning(models: readonly ColumnModel[], work: ModelledValues, ranks: (Float64Array | null)[], maxBins: number): { binning: LeafBinning; bins: Int32Array[] } {
  const size = new Int32Array(models.length);
  const edges: (Float64Array | null)[] = [];
  const bins = models.map((m, j) => {
    const n = work[j].length;
    const out = new Int32Array(n);
    if (m.kind === 'categorical') {
      const L = m.marginal.labels.length;
      const y = work[j] as Int32Array;
      for (let i = 0; i < n; i++) out[i] = y[i] < 0 ? L : y[i];
      size[j] = L + 1;
      edges.push(null);
      return out;
    }
    const y = work[j] as Float64Array, u = ranks[j]!;
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if (y[i] === y[i]) idx.push(i);
    idx.sort((a, b) => u[a] - u[b]);
    const m2 = idx.length;
    const boundary = (r: number) => r > 0 && r < m2 && y[idx[r - 1]] !== y[idx[r]];
    const cuts = [0];
    let distinct = m2 ? 1 : 0;
    for (let r = 1; r < m2 && distinct <= 2 * maxBins; r++) if (boundary(r)) distinct++;
    // Few distinct values (education-num): one bin per value. Otherwise equal-frequency cuts.
    if (distinct <= 2 * maxBins) for (let r = 1; r < m2; r++) if (boundary(r)) cuts.push(r);
    for (let k = 1; k < maxBins && distinct > 2 * maxBins; k++) {
      const t = Math.round((k * m2) / maxBins);
      let a = t, b = t;
      while (a > 0 && !boundary(a)) a--;
      while (b < m2 && !boundary(b)) b++;
      const r = a > 0 && (t - a <= b - t || b >= m2) ? a : b < m2 ? b : -1;
      if (r > cuts[cuts.length - 1]) cuts.push(r);
    }
    const e = new Float64Array(cuts.length + 1);
    for (let k = 0; k < cuts.length; k++) e[k] = m2 ? cuts[k] / m2 : 0;
    e[cuts.length] = 1;
    const nb = cuts.length;
    for (let i = 0; i < n; i++) out[i] = u[i] === u[i] ? binOf(e, u[i]) : nb;
    size[j] = nb + 1;
    edges.push(e);
    return out;
  });
  return { binning: { size, edges }, bins };
}

/** The bin of u: the largest b < nb with e_b ≤ u. */
function binOf(e: Float64Array, u: number): number {
  let lo = 0, hi = e.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (e[mid] <= u) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Chow–Liu structure: the maximum spanning tree over the columns of the mutual information of their bins given
 * the density leaf (averaged over the given trees' leaves, each leaf's plug-in estimate minus the plug-in estimate
 * on the leaf's rows paired with unrelated rows of the same leaf, which removes the small-leaf bias). Returns the
 * parent of every column (−1 for the root — the column with the largest summed information — and for the
 * columns whose best edge carries less than `minInfo` nats) and a visiting order (parents first).
 */
export function learnDependenceTree(groups: { start: Int32Array; rows: Int32Array }[], bins: Int32Array[], size: Int32Array, minInfo = 0): { parent: Int32Array; order: Int32Array } {
  const P = bins.length;
  const mi = new Float64Array(P * P);
  let maxCells = 1;
  for (let j = 0; j < P; j++) for (let k = j + 1; k < P; k++) maxCells = Math.max(maxCells, size[j] * size[k]);
  const cell = new Int32Array(maxCells);
  const touched = new Int32Array(Math.max(1, ...groups.map((g) => g.rows.length)));
  // n·log n for every count a leaf can hold (a table: the same numbers as computing them inline, without the logs).
  const nlogn = new Float64Array(touched.length + 1);
  for (let x = 1; x < nlogn.length; x++) nlogn[x] = x * Math.log(x);
  // Σ n·log n over the cells of (column j, column k of the row `shift` places further in the leaf).
  const cellSum = (rows: Int32Array, a: number, b: number, bj: Int32Array, bk: Int32Array, sk: number, shift: number): number => {
    const N = b - a;
    let t = 0, s = 0;
    for (let e = a; e < b; e++) {
      const f = e + shift < b ? e + shift : e + shift - N;
      const key = bj[rows[e]] * sk + bk[rows[f]];
      if (cell[key]++ === 0) touched[t++] = key;
    }
    for (let x = 0; x < t; x++) {
      s += nlogn[cell[touched[x]]];
      cell[touched[x]] = 0;
    }
    return s;
  };
  for (const g of groups) {
    const numLeaves = g.start.length - 1;
    const total = g.rows.length;
    for (let l = 0; l < numLeaves; l++) {
      const a = g.start[l], b = g.start[l + 1], N = b - a;
      if (N < 4) continue;
      const shift = N >> 1;
      for (let j = 0; j < P; j++)
        for (let k = j + 1; k < P; k++) {
          // Plug-in information of the leaf's rows minus that of unrelated rows (k taken from the row half a leaf
          // away): the same margins, so the difference removes the small-leaf bias of the plug-in estimate.
          const v = (cellSum(g.rows, a, b, bins[j], bins[k], size[k], 0) - cellSum(g.rows, a, b, bins[j], bins[k], size[k], shift)) / (total * groups.length);
          mi[j * P + k] += v;
          mi[k * P + j] += v;
        }
    }
  }
  const parent = new Int32Array(P).fill(-1);
  const order = new Int32Array(P);
  if (!P) return { parent, order };
  let root = 0, best = -Infinity;
  for (let j = 0; j < P; j++) {
    let s = 0;
    for (let k = 0; k < P; k++) if (k !== j) s += mi[j * P + k];
    if (s > best) {
      best = s;
      root = j;
    }
  }
  // Prim: grow from the root, always adding the outside column with the largest information to a column inside.
  const inTree = new Uint8Array(P);
  const bestTo = new Float64Array(P).fill(-Infinity), bestFrom = new Int32Array(P).fill(root);
  inTree[root] = 1;
  order[0] = root;
  for (let k = 0; k < P; k++) if (k !== root) bestTo[k] = mi[root * P + k];
  for (let step = 1; step < P; step++) {
    let pick = -1;
    for (let k = 0; k < P; k++) if (!inTree[k] && (pick < 0 || bestTo[k] > bestTo[pick])) pick = k;
    inTree[pick] = 1;
    // An edge carrying less than minInfo nats leaves the column independent inside the leaves (a new root).
    parent[pick] = bestTo[pick] >= minInfo ? bestFrom[pick] : -1;
    order[step] = pick;
    for (let k = 0; k < P; k++)
      if (!inTree[k] && mi[pick * P + k] > bestTo[k]) {
        bestTo[k] = mi[pick * P + k];
        bestFrom[k] = pick;
      }
  }
  return { parent, order };
}

/** The density of one tree: leaf counts, numeric leaf quantiles and, per column, the (parent bin, bin) counts per leaf. */
export function summariseTreeV2(
  groups: { start: Int32Array; rows: Int32Array },
  numLeaves: number,
  models: readonly ColumnModel[],
  bins: Int32Array[],
  size: Int32Array,
  parent: Int32Array,
  ranks: (Float64Array | null)[],
  q: number,
): TreeDensity {
  const count = new Float64Array(numLeaves);
  for (let l = 0; l < numLeaves; l++) count[l] = groups.start[l + 1] - groups.start[l];
  const quantiles = models.map((m, j) => (m.kind === 'numeric' ? leafQuantiles(groups, numLeaves, ranks[j]!, q).quantiles : null));
  const distinct = new Int32Array(groups.rows.length);
  const tables = models.map((_, j): LeafTable => {
    const pj = parent[j], sj = size[j];
    const child = bins[j], par = pj >= 0 ? bins[pj] : null;
    const start = new Int32Array(numLeaves + 1);
    const key: number[] = [], cnt: number[] = [];
    // Dense counts over the (parent bin, bin) cells; only the leaf's distinct cells are sorted and emitted.
    const cell = new Int32Array((pj >= 0 ? size[pj] : 1) * sj);
    for (let l = 0; l < numLeaves; l++) {
      const a = groups.start[l], b = groups.start[l + 1];
      let t = 0;
      for (let e = a; e < b; e++) {
        const r = groups.rows[e];
        const k = (par ? par[r] : 0) * sj + child[r];
        if (cell[k]++ === 0) distinct[t++] = k;
      }
      const v = distinct.subarray(0, t).sort();
      for (let e = 0; e < t; e++) {
        key.push(v[e]);
        cnt.push(cell[v[e]]);
        cell[v[e]] = 0;
      }
      start[l + 1] = key.length;
    }
    return makeTable(start, Int32Array.from(key), Float64Array.from(cnt), sj);
  });
  return { count, quantiles, tables };
}

function makeTable(start: Int32Array, key: Int32Array, cnt: Float64Array, sj: number): LeafTable {
  const E = key.length;
  const pb = new Int32Array(E), cb = new Int32Array(E);
  for (let e = 0; e < E; e++) {
    pb[e] = Math.floor(key[e] / sj);
    cb[e] = key[e] - pb[e] * sj;
  }
  const numLeaves = start.length - 1;
  const mstart = new Int32Array(numLeaves + 1);
  const mb: number[] = [], mcnt: number[] = [];
  const acc = new Float64Array(sj);
  for (let l = 0; l < numLeaves; l++) {
    for (let e = start[l]; e < start[l + 1]; e++) acc[cb[e]] += cnt[e];
    for (let c = 0; c < sj; c++)
      if (acc[c] > 0) {
        mb.push(c);
        mcnt.push(acc[c]);
        acc[c] = 0;
      }
    mstart[l + 1] = mb.length;
  }
  return { start, pb, cb, cnt, mstart, mb: Int32Array.from(mb), mcnt: Float64Array.from(mcnt) };
}

// ---------------------------------------------------------------------------------------------------------
// The engine.

/**
 * Adversarial-random-forest engine, v2 leaf model. A tree uniformly, a leaf ∝ its real rows; then the columns
 * in the dependence tree's order: the root's bin from the leaf's counts, each other column's bin from the leaf's
 * counts of its bin given its parent's drawn bin, mixed with the leaf's marginal of the column by `alpha`
 * pseudo-rows: P(b | p) = (N(p, b) + α·N(b)/N) / (N(p) + α). A category is its bin; a number is drawn inside its
 * bin's u-window from the leaf's quantile summary of ranks (uniform on the window if the summary gives it no
 * mass) and mapped through the protected marginal; the missing bin gives a missing value.
 * Conditions are exact for this density: evidence is propagated up the dependence tree in every leaf (upward
 * messages), leaves are reweighted by their real rows × the probability of the evidence, and bins are then
 * drawn downwards ∝ P(b | parent) × message(b); a conditioned number is drawn in its bin's window ∩ the
 * condition's window.
 */
export class ArfTreeEngine implements JointEngine {
  private readonly alias: AliasTable[];
  private readonly children: number[][];
  /** Per column: lift(p, b) = P(b | p) / P(b) over all training rows (smoothed by one pseudo-row), dense [p · size + b]; null for roots. */
  private readonly lift: (Float64Array | null)[];

  constructor(
    private readonly models: ColumnModel[],
    private readonly q: number,
    private readonly binning: LeafBinning,
    private readonly parent: Int32Array,
    private readonly order: Int32Array,
    private readonly alpha: number,
    private readonly pairs: (Int32Array | null)[],
    private readonly forest: TreeDensity[],
  ) {
    this.alias = forest.map((t) => new AliasTable(t.count));
    this.lift = pairs.map((c, j) => (c ? liftTable(c, binning.size[j]) : null));
    this.children = models.map(() => []);
    for (const j of order) if (parent[j] >= 0) this.children[parent[j]].push(j);
  }

  toJSON(): JsonValue {
    return {
      q: this.q,
      alpha: this.alpha,
      parent: Array.from(this.parent),
      order: Array.from(this.order),
      size: Array.from(this.binning.size),
      edges: this.binning.edges.map((e) => (e ? encodeFloats(e) : null)),
      pairs: this.pairs.map((c) => (c ? encodeInts(c) : null)),
      trees: this.forest.map(
        (t): TreeDensityState => ({
          count: Array.from(t.count),
          quantiles: t.quantiles.map((qs) => (qs ? encodeFloats(qs) : null)),
          tables: t.tables.map((tb, j) => {
            const sj = this.binning.size[j];
            return { entries: encodeInts(tb.start.subarray(1).map((v, l) => v - tb.start[l])), key: encodeInts(tb.pb.map((p, e) => p * sj + tb.cb[e])), cnt: encodeInts(tb.cnt) };
          }),
        }),
      ) as unknown as JsonValue,
    };
  }

  static fromJSON(json: JsonValue, models: ColumnModel[]): ArfTreeEngine {
    const o = json as unknown as { q: number; alpha: number; parent: number[]; order: number[]; size: number[]; edges: (ReturnType<typeof encodeFloats> | null)[]; pairs: (IntsState | null)[]; trees: TreeDensityState[] };
    const P = models.length;
    const bad = (why: string) => new SynthopsError('incompatible_artifact', `invalid arf state: ${why}.`);
    if (!o || !Number.isInteger(o.q) || o.q < 2 || !Array.isArray(o.trees) || !o.trees.length) throw bad('no trees');
    if (!(o.alpha >= 0) || !Array.isArray(o.parent) || o.parent.length !== P || !Array.isArray(o.order) || o.order.length !== P || !Array.isArray(o.size) || o.size.length !== P || !Array.isArray(o.edges) || !Array.isArray(o.pairs) || o.pairs.length !== P)
      throw bad('the dependence tree does not match the columns');
    const size = Int32Array.from(o.size);
    const parent = Int32Array.from(o.parent);
    const edges = o.edges.map((e) => (e ? Float64Array.from(decodeFloats(e)) : null));
    const seen = new Uint8Array(P);
    for (const j of o.order) {
      if (!Number.isInteger(j) || j < 0 || j >= P || seen[j] || (parent[j] >= 0 && !seen[parent[j]])) throw bad('the dependence tree order is not parents first');
      seen[j] = 1;
    }
    models.forEach((m, j) => {
      const e = edges[j];
      if (!(size[j] >= 1) || (m.kind === 'numeric') !== !!e || (e && (e.length !== size[j] || e[0] !== 0 || e[e.length - 1] !== 1)) || (parent[j] >= P || parent[j] < -1))
        throw bad(`column ${m.name} does not match its bins`);
    });
    const forest = o.trees.map((t): TreeDensity => {
      if (!Array.isArray(t.tables) || t.tables.length !== P || !Array.isArray(t.quantiles) || t.quantiles.length !== P) throw bad('a tree does not match the columns');
      if (!Array.isArray(t.count) || !t.count.length || !t.count.every((c) => c > 0)) throw bad('a tree has no leaves');
      const count = Float64Array.from(t.count);
      return {
        count,
        quantiles: t.quantiles.map((qs, j) => {
          const v = qs ? Float32Array.from(decodeFloats(qs)) : null;
          if (!!v !== !!edges[j] || (v && v.length !== count.length * o.q)) throw bad('a leaf quantile summary does not match the leaves');
          return v;
        }),
        tables: t.tables.map((tb, j) => {
          const entries = decodeInts(tb.entries);
          if (entries.length !== count.length) throw bad('a leaf table does not match the leaves');
          const start = new Int32Array(entries.length + 1);
          for (let l = 0; l < entries.length; l++) start[l + 1] = start[l] + entries[l];
          const key = decodeInts(tb.key), cnt = decodeInts(tb.cnt);
          if (key.length !== start[entries.length] || cnt.length !== key.length) throw bad('a leaf table has the wrong number of entries');
          for (let e = 0; e < key.length; e++) if (key[e] >= size[Math.max(0, parent[j])] * size[j] || cnt[e] <= 0) throw bad('a leaf table entry is out of range');
          return makeTable(start, key, Float64Array.from(cnt), size[j]);
        }),
      };
    });
    const pairs = o.pairs.map((c, j) => {
      if (!c) return null;
      const v = decodeInts(c);
      if (parent[j] < 0 || v.length !== size[parent[j]] * size[j]) throw bad('a pair table does not match the dependence tree');
      return v;
    });
    return new ArfTreeEngine(models, o.q, { size, edges }, parent, Int32Array.from(o.order), o.alpha, pairs, forest);
  }

  sample(n: number, rng: Rng, conditions: readonly ResolvedCondition[], signal?: AbortSignal): ModelledValues {
    const models = this.models;
    const P = models.length;
    const out: ModelledValues = models.map((m) => (m.kind === 'numeric' ? new Float64Array(n) : new Int32Array(n)));
    const treeOf = new Int32Array(n), leafOf = new Int32Array(n);
    const pick = rng.split('leaves');
    // Evidence per column: categorical label, or numeric u-window.
    const label = new Int32Array(P).fill(-1);
    const window: ([number, number] | null)[] = models.map(() => null);
    for (const c of conditions) {
      const m = models[c.modelled];
      if (m.kind === 'categorical') label[c.modelled] = c.label ?? -1;
      else if (m.kind === 'numeric') window[c.modelled] = conditionWindow(c, m.marginal);
    }
    let msgs: (Float64Array | null)[][] | null = null;
    let weight: ((t: number, l: number) => number) | null = null;
    if (conditions.length) {
      const evidence = conditions.map((c) => c.modelled);
      const m = (msgs = this.forest.map((tree) => this.messages(tree, evidence, label, window)));
      // P(evidence | leaf): the product over the dependence forest's roots of Σ_b P(root = b) · message(b).
      const roots = Array.from(this.order).filter((j) => this.parent[j] < 0);
      weight = (t, l) => {
        const tree = this.forest[t];
        let z = 1;
        for (const root of roots) {
          const mr = m[t][root];
          if (!mr) continue;
          const sr = this.binning.size[root];
          const tb = tree.tables[root];
          let zr = 0;
          for (let e = tb.start[l]; e < tb.start[l + 1]; e++) zr += tb.cnt[e] * mr[l * sr + tb.cb[e]];
          z *= zr / tree.count[l];
        }
        return tree.count[l] * z;
      };
    }
    drawLeaves(this.forest.map((t) => t.count.length), this.alias, pick, weight, treeOf, leafOf);
    const bins: Int32Array[] = new Array(P);
    const zeros = new Int32Array(n);
    const alpha = this.alpha;
    const buf = new Float64Array(Math.max(2, ...Array.from(this.binning.size)) * 2);
    const prior = new Float64Array(buf.length);
    for (const j of this.order) {
      throwIfAborted(signal);
      const r = rng.split(`column-${j}`);
      const pb = this.parent[j] >= 0 ? bins[this.parent[j]] : zeros;
      const b = new Int32Array(n);
      const sj = this.binning.size[j];
      for (let i = 0; i < n; i++) {
        const t = treeOf[i], l = leafOf[i];
        const tb = this.forest[t].tables[j];
        const msg = msgs ? msgs[t][j] : null;
        const p = pb[i];
        let s = tb.start[l];
        const e = tb.start[l + 1];
        while (s < e && tb.pb[s] < p) s++;
        let f = s, N = 0;
        while (f < e && tb.pb[f] === p) N += tb.cnt[f++];
        const root = this.parent[j] < 0;
        // P(b | p, leaf) = (N(p, b) + α·prior(b | p)) / (N(p) + α), prior(b | p) ∝ N(b)·lift(p, b); × msg(b) under evidence.
        const off = l * sj;
        let tot = 0, m = 0;
        for (let k = s; k < f; k++) tot += buf[m++] = msg ? tb.cnt[k] * msg[off + tb.cb[k]] : tb.cnt[k];
        const a = root ? 0 : N > 0 ? alpha : 1;
        if (a > 0) {
          const lift = this.lift[j];
          const ms = tb.mstart[l], me = tb.mstart[l + 1];
          let z = 0;
          for (let k = ms; k < me; k++) z += prior[k - ms] = tb.mcnt[k] * (lift ? lift[p * sj + tb.mb[k]] : 1);
          if (z > 0) for (let k = ms; k < me; k++) tot += buf[m++] = ((a * prior[k - ms]) / z) * (msg ? msg[off + tb.mb[k]] : 1);
        }
        let u = r.next() * tot;
        let k = 0;
        for (; k < m - 1; k++) {
          u -= buf[k];
          if (u < 0) break;
        }
        while (k > 0 && buf[k] === 0) k--;
        const runLen = f - s;
        b[i] = k < runLen ? tb.cb[s + k] : tb.mb[tb.mstart[l] + k - runLen];
      }
      bins[j] = b;
      const m = models[j];
      if (m.kind === 'categorical') {
        const o = out[j] as Int32Array;
        const L = m.marginal.labels.length;
        for (let i = 0; i < n; i++) o[i] = b[i] >= L ? -1 : b[i];
      } else if (m.kind === 'numeric') {
        const o = out[j] as Float64Array;
        const edges = this.binning.edges[j]!;
        const nb = edges.length - 1;
        const win = window[j];
        const q = this.q;
        const mg = m.marginal;
        for (let i = 0; i < n; i++) {
          if (b[i] >= nb) {
            o[i] = NaN;
            continue;
          }
          const qs = this.forest[treeOf[i]].quantiles[j]!;
          let lo = edges[b[i]], hi = edges[b[i] + 1];
          if (win) {
            lo = Math.max(lo, win[0]);
            hi = Math.min(hi, win[1]);
          }
          o[i] = mg.inverse(drawInWindow(qs, leafOf[i] * q, q, lo, hi, r.next()));
        }
      }
    }
    return out;
  }

  /**
   * Upward messages of one tree for the evidence columns: per column whose subtree holds evidence, per leaf and
   * bin, P(evidence in the subtree | the column's bin, leaf); null elsewhere (all ones).
   */
  private messages(tree: TreeDensity, evidence: number[], label: Int32Array, window: ([number, number] | null)[]): (Float64Array | null)[] {
    const P = this.models.length;
    const active = new Uint8Array(P);
    for (const j of evidence) for (let k = j; k >= 0 && !active[k]; k = this.parent[k]) active[k] = 1;
    const L = tree.count.length;
    const msg: (Float64Array | null)[] = new Array(P).fill(null);
    const q = this.q;
    for (let step = P - 1; step >= 0; step--) {
      const j = this.order[step];
      if (!active[j]) continue;
      const sj = this.binning.size[j];
      const m = new Float64Array(L * sj).fill(1);
      if (label[j] >= 0) {
        for (let l = 0; l < L; l++) for (let b = 0; b < sj; b++) if (b !== label[j]) m[l * sj + b] = 0;
      } else if (window[j]) {
        const [wlo, whi] = window[j]!;
        const edges = this.binning.edges[j]!;
        const nb = edges.length - 1;
        const qs = tree.quantiles[j]!;
        for (let l = 0; l < L; l++) {
          for (let b = 0; b < nb; b++) {
            const lo = edges[b], hi = edges[b + 1];
            const a = Math.max(lo, wlo), z = Math.min(hi, whi);
            m[l * sj + b] = z < a ? 0 : windowShare(qs, l * q, q, lo, hi, a, z);
          }
          m[l * sj + nb] = 0;
        }
      }
      for (const c of this.children[j]) {
        const mc = msg[c];
        if (!mc) continue;
        const tb = tree.tables[c];
        const sc = this.binning.size[c];
        const num = new Float64Array(sj), den = new Float64Array(sj);
        for (let l = 0; l < L; l++) {
          num.fill(0);
          den.fill(0);
          for (let e = tb.start[l]; e < tb.start[l + 1]; e++) {
            num[tb.pb[e]] += tb.cnt[e] * mc[l * sc + tb.cb[e]];
            den[tb.pb[e]] += tb.cnt[e];
          }
          // The same mixture as the sampler: (Σ N(p, b)·msg(b) + a·E_prior(b | p)[msg]) / (N(p) + a).
          const lift = this.lift[c];
          const ms = tb.mstart[l], me = tb.mstart[l + 1];
          for (let b = 0; b < sj; b++) {
            const a = den[b] > 0 ? this.alpha : 1;
            let pm = 0;
            if (a > 0) {
              let z = 0, zm = 0;
              for (let e = ms; e < me; e++) {
                const w = tb.mcnt[e] * (lift ? lift[b * sc + tb.mb[e]] : 1);
                z += w;
                zm += w * mc[l * sc + tb.mb[e]];
              }
              pm = z > 0 ? (a * zm) / z : 0;
            }
            m[l * sj + b] *= pm > 0 || num[b] > 0 ? (num[b] + pm) / (den[b] + (pm > 0 ? a : 0)) : 0;
          }
        }
      }
      msg[j] = m;
    }
    return msg;
  }
}

/** lift(p, b) = (N(p, b) + P(b)) / ((N(p) + 1)·P(b)) from dense counts [p · size + b]; 0 where P(b) = 0. */
function liftTable(c: Int32Array, size: number): Float64Array {
  const np = c.length / size;
  const colSum = new Float64Array(size), rowSum = new Float64Array(np);
  let N = 0;
  for (let p = 0; p < np; p++)
    for (let b = 0; b < size; b++) {
      colSum[b] += c[p * size + b];
      rowSum[p] += c[p * size + b];
      N += c[p * size + b];
    }
  const out = new Float64Array(c.length);
  for (let p = 0; p < np; p++)
    for (let b = 0; b < size; b++) {
      const pb = colSum[b] / N;
      out[p * size + b] = pb > 0 ? (c[p * size + b] + pb) / ((rowSum[p] + 1) * pb) : 0;
    }
  return out;
}

/** Dense counts of (parent bin, bin) over all training rows for every non-root column. */
export function pairCounts(bins: Int32Array[], size: Int32Array, parent: Int32Array): (Int32Array | null)[] {
  return bins.map((b, j) => {
    const pj = parent[j];
    if (pj < 0) return null;
    const out = new Int32Array(size[pj] * size[j]);
    const pbins = bins[pj];
    for (let i = 0; i < b.length; i++) out[pbins[i] * size[j] + b[i]]++;
    return out;
  });
}

/** A u in [lo, hi] from a leaf's quantile summary restricted to that window (uniform on it if the summary gives it no mass). */
function drawInWindow(qs: Float32Array, s: number, q: number, lo: number, hi: number, f: number): number {
  const a = leafCdf(qs, s, q, lo), b = leafCdf(qs, s, q, hi);
  const u = b > a ? leafInverse(qs, s, q, a + f * (b - a)) : lo + f * (hi - lo);
  return u < lo ? lo : u > hi ? hi : u;
}

/** P(u ∈ [a, z] | u in the bin window [lo, hi]) under the same rule as {@link drawInWindow}. */
function windowShare(qs: Float32Array, s: number, q: number, lo: number, hi: number, a: number, z: number): number {
  const fa = leafCdf(qs, s, q, lo), fb = leafCdf(qs, s, q, hi);
  if (fb > fa) return (leafCdf(qs, s, q, z) - leafCdf(qs, s, q, a)) / (fb - fa);
  return hi > lo ? (z - a) / (hi - lo) : 1;
}

/**
 * Each sampled row's (tree, leaf), written into `treeOf` / `leafOf`. Without `weight`: a tree uniformly, then a leaf
 * by its alias table (its training rows). With it: one (tree, leaf) over the whole forest with probability ∝
 * weight(t, l) (exact conditioning); a zero total is the user's impossible conditions (invalid_argument).
 * @example drawLeaves(forest.map((t) => t.count.length), alias, rng.split('leaves'), null, treeOf, leafOf)
 */
export function drawLeaves(leaves: readonly number[], alias: readonly AliasTable[], pick: Rng, weight: ((t: number, l: number) => number) | null, treeOf: Int32Array, leafOf: Int32Array): void {
  const T = leaves.length, n = treeOf.length;
  if (!weight) {
    for (let i = 0; i < n; i++) {
      const t = pick.int(T);
      treeOf[i] = t;
      leafOf[i] = alias[t].sample(pick);
    }
    return;
  }
  const offsets = new Int32Array(T + 1);
  for (let t = 0; t < T; t++) offsets[t + 1] = offsets[t] + leaves[t];
  const w = new Float64Array(offsets[T]);
  let total = 0;
  for (let t = 0; t < T; t++)
    for (let l = 0; l < leaves[t]; l++) {
      w[offsets[t] + l] = weight(t, l);
      total += w[offsets[t] + l];
    }
  if (!(total > 0))
    throw new SynthopsError('invalid_argument', 'invalid conditions: they have zero probability under the fitted model (no leaf of the forest holds them together). Loosen or remove a condition.');
  const table = new AliasTable(w);
  for (let i = 0; i < n; i++) {
    const k = table.sample(pick);
    let t = 0;
    while (offsets[t + 1] <= k) t++;
    treeOf[i] = t;
    leafOf[i] = k - offsets[t];
  }
}
