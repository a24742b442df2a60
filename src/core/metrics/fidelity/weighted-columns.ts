import type { Table } from '../../table/table.js';
import type { ColumnType } from '../../table/schema.js';
import { alignTables, type AlignedColumn } from '../aligned.js';
import type { RowWeights } from '../metric.js';
import { DEFAULT_BINS } from './discretise.js';
import { FIELD, packBlock, unpackLanes } from './packed-lanes.js';
import { bucketStarts } from './ks.js';

/**
 * A numeric column of (real, synthetic) prepared for weighted row resamples: the distinct present values of both
 * tables ascending (`grid`), and each row's place in it plus one (0 = missing), so a resample's weighted histogram
 * of either table is one pass over its rows without a sort.
 */
export interface NumericGrid {
  grid: Float64Array;
  realPos: Int32Array;
  synthPos: Int32Array;
  /** True when a value is ±Infinity (the weighted correlations then defer to the gathered path). */
  infinite: boolean;
  /** Scratch histograms (length grid + 1, index 0 = missing), reused by every resample. */
  realHist: Int32Array;
  synthHist: Int32Array;
}

/**
 * What the weighted paths of the cheap metrics share for one (real, synthetic) pair: the aligned columns (every
 * compared type, as `alignTables([real, synthetic])` gives them), the numeric grids, and per resample the column
 * summaries ({@link columnSummaries}), cached by the resample's weights.
 */
export interface WeightedColumns {
  cols: AlignedColumn[];
  grids: (NumericGrid | null)[];
  summaries: WeakMap<RowWeights, ColumnSummary[]>;
  /** Caches of other modules keyed by resample (the pair tables). */
  extra: WeakMap<RowWeights, unknown>;
}

/** One column of one resample, with every count and order statistic the cheap metrics read. */
export type ColumnSummary =
  | {
      kind: 'numeric';
      /** KS statistic (missing first) between the resampled real and synthetic columns. */
      distance: number;
      realRows: number;
      synthRows: number;
      realMissing: number;
      synthMissing: number;
      /** Grid index of the smallest and largest real / synthetic value drawn; -1 when none. */
      realLo: number;
      realHi: number;
      synthLo: number;
      synthHi: number;
      /** Synthetic values drawn inside [real min, real max] (with multiplicity). */
      synthInside: number;
      /** Quantile cut points of the resampled real values (as `quantileCuts` on the gathered column). */
      cuts: Float64Array;
    }
  | {
      kind: 'categorical';
      /** Total variation distance between the resampled real and synthetic category shares (missing a category). */
      distance: number;
      realRows: number;
      synthRows: number;
      /** Counts by code + 1 (index 0 = missing), length levels + 1. */
      realCounts: Float64Array;
      synthCounts: Float64Array;
    };

const prepared = new WeakMap<Table, WeakMap<Table, WeightedColumns | null>>();

/**
 * The {@link WeightedColumns} of (real, synthetic), built once per pair of tables (tables are immutable; entries live
 * as long as the tables); null when the tables do not align (the metric's gathered path reports the error).
 * O((n + m) log(n + m)) per numeric column (one sort of both columns' values).
 * @example const wc = weightedColumns(train, synthetic); columnSummaries(wc, weights)[0].distance
 */
export function weightedColumns(real: Table, synthetic: Table): WeightedColumns | null {
  let inner = prepared.get(real);
  if (!inner) prepared.set(real, (inner = new WeakMap()));
  let p = inner.get(synthetic);
  if (p !== undefined) return p;
  let cols: AlignedColumn[] | null = null;
  try {
    cols = alignTables([real, synthetic]);
  } catch {
    cols = null;
  }
  p = cols ? { cols, grids: cols.map((c) => (c.kind === 'numeric' ? numericGrid(c.values[0], c.values[1]) : null)), summaries: new WeakMap(), extra: new WeakMap() } : null;
  inner.set(synthetic, p);
  return p;
}

/** Indices of the aligned columns whose type is one of `types`. */
export function columnsOfTypes(wc: WeightedColumns, types: readonly ColumnType[]): number[] {
  const out: number[] = [];
  wc.cols.forEach((c, i) => types.includes(c.type) && out.push(i));
  return out;
}

function numericGrid(a: Float64Array, b: Float64Array): NumericGrid {
  const all = new Float64Array(a.length + b.length);
  all.set(a);
  all.set(b, a.length);
  all.sort(); // NaN last; -0 before +0 (equal, merged below)
  let n = all.length;
  while (n > 0 && all[n - 1] !== all[n - 1]) n--;
  let u = 0;
  for (let i = 0; i < n; i++) if (i === 0 || all[i] !== all[i - 1]) all[u++] = all[i];
  const grid = all.slice(0, u);
  const infinite = u > 0 && (grid[0] === -Infinity || grid[u - 1] === Infinity);
  return { grid, realPos: positions(grid, a), synthPos: positions(grid, b), infinite, realHist: new Int32Array(u + 1), synthHist: new Int32Array(u + 1) };
}

/**
 * 1 + the index of each value in `grid` (which holds it), 0 for NaN. A bucket table over the grid (`bucketStarts`)
 * narrows each binary search to a few values. O(n) expected.
 */
function positions(grid: Float64Array, v: Float64Array): Int32Array {
  const out = new Int32Array(v.length);
  const u = grid.length;
  if (u === 0) return out;
  const { first, min, scale } = bucketStarts(grid), buckets = first.length - 1;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x !== x) continue;
    let lo = 0, hi = u - 1;
    if (scale > 0) {
      const g = Math.min(buckets, Math.max(0, Math.floor((x - min) * scale)));
      lo = Math.max(0, first[g] - 1);
      hi = g < buckets ? Math.min(u - 1, first[g + 1]) : u - 1;
      // Rounding at bucket edges: widen until x is inside [grid[lo], grid[hi]].
      while (lo > 0 && grid[lo] > x) lo--;
      while (hi < u - 1 && grid[hi] < x) hi++;
    }
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (grid[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo + 1;
  }
  return out;
}

/**
 * The summaries of every aligned column on the resample `w` (cached per resample): for numeric columns one weighted
 * histogram of each table on the grid, then the KS statistic, missing counts, extents, the synthetic values inside
 * the real range and the real quantile cuts; for categorical ones the weighted category counts and the TV distance.
 * Every count is an integer, and each statistic is computed from the same counts by the same formula as the metric
 * computes it on the gathered resample, so they are the same numbers. O(n + m + grid) per column.
 * @example columnSummaries(wc, weights).map((s) => 1 - s.distance)
 */
export function columnSummaries(wc: WeightedColumns, w: RowWeights): ColumnSummary[] {
  let s = wc.summaries.get(w);
  if (!s && w.batch && w.batch.length > 1 && w.batch.includes(w)) {
    summariesOfBatch(wc, w.batch);
    s = wc.summaries.get(w);
  }
  if (!s) {
    s = wc.cols.map((c, i) => (c.kind === 'numeric' ? numericSummary(wc.grids[i]!, w) : categoricalSummary(c.codes[0], c.codes[1], c.levels, w)));
    wc.summaries.set(w, s);
  }
  return s;
}

/** Most histogram counters (grid values × resamples) a numeric column is counted with in one pass (16 MB). */
const MAX_LANE_CELLS = 1 << 22;

/**
 * The summaries of every resample of a batch at once: each column's rows are read once and their resamples' weights
 * (side by side, {@link laneWeights}) added to consecutive counters — no dependency between successive additions,
 * unlike one histogram per resample where repeated categories chain them. Same counts, so the same summaries.
 */
function summariesOfBatch(wc: WeightedColumns, batch: readonly RowWeights[]): void {
  const B = batch.length;
  const lw = laneWeights(batch);
  const out: ColumnSummary[][] = batch.map(() => []);
  // Columns counted in the batched pass (all but numeric ones with very many distinct values), both tables.
  const laned = wc.cols.map((c, i) => c.kind === 'categorical' || (wc.grids[i]!.grid.length + 1) * B <= MAX_LANE_CELLS);
  const keysOf = (side: 0 | 1) =>
    wc.cols.flatMap((c, i) => (laned[i] ? [c.kind === 'categorical' ? { keys: c.codes[side], offset: 1, cells: c.levels + 1 } : { keys: side === 0 ? wc.grids[i]!.realPos : wc.grids[i]!.synthPos, offset: 0, cells: wc.grids[i]!.grid.length + 1 }] : []));
  const hrs = laneCounts(keysOf(0), lw.real, B), hss = laneCounts(keysOf(1), lw.synthetic, B);
  let x = 0;
  wc.cols.forEach((c, i) => {
    const g = wc.grids[i];
    if (laned[i]) {
      const hr = hrs[x], hs = hss[x++];
      const cells = c.kind === 'categorical' ? c.levels + 1 : g!.grid.length + 1;
      for (let b = 0; b < B; b++) {
        if (c.kind === 'categorical') {
          const ca = new Float64Array(cells), cb = new Float64Array(cells);
          for (let k = 0, o = b; k < cells; k++, o += B) {
            ca[k] = hr[o];
            cb[k] = hs[o];
          }
          out[b].push(categoricalFromCounts(ca, cb, c.levels, batch[b]));
        } else {
          const rh = g!.realHist, sh = g!.synthHist;
          for (let k = 0, o = b; k < cells; k++, o += B) {
            rh[k] = hr[o];
            sh[k] = hs[o];
          }
          out[b].push(numericFromHist(g!, batch[b]));
        }
      }
    } else for (let b = 0; b < B; b++) out[b].push(numericSummary(g!, batch[b]));
  });
  batch.forEach((w, b) => wc.summaries.set(w, out[b]));
}

/** Rows per block of packed weights in {@link laneCounts}. */
const LANE_BLOCK = 4096;

/**
 * For each key column: counters [key·lanes + b] of Σ weights of the rows whose key (+ its offset) is `key`, for every
 * lane b (`weights`: row r's lanes at [r·lanes, (r+1)·lanes)). Rows go in blocks whose weights are packed once, three
 * lanes per double (17-bit fields of an exact integer), and added to every column's packed counters, which are
 * flushed to the integer counters before any lane's total since the last flush could reach 2^17 (no field carries):
 * the same integer counts, a third of the additions.
 */
function laneCounts(cols: { keys: Int32Array; offset: number; cells: number }[], weights: Uint8Array, lanes: number): Int32Array[] {
  const L = lanes, P = Math.ceil(L / 3);
  const n = cols.length ? cols[0].keys.length : 0;
  const h = cols.map((c) => new Int32Array(c.cells * L)), packed = cols.map((c) => new Float64Array(c.cells * P));
  const block = new Float64Array(LANE_BLOCK * P), sums = new Float64Array(L);
  let since = 0;
  const flush = () => {
    cols.forEach((c, x) => unpackLanes(packed[x], h[x], L, P));
    since = 0;
  };
  for (let s = 0; s < n; s += LANE_BLOCK) {
    const e = Math.min(n, s + LANE_BLOCK);
    const most = packBlock(weights, L, P, s, e, block, sums);
    if (most >= FIELD) {
      // A block heavy enough to carry (not seen with bootstrap multiplicities): lane by lane.
      cols.forEach((c, x) => {
        for (let r = s; r < e; r++) for (let l = 0; l < L; l++) h[x][(c.keys[r] + c.offset) * L + l] += weights[r * L + l];
      });
      continue;
    }
    if (since + most >= FIELD) flush();
    since += most;
    cols.forEach((c, x) => addBlock(packed[x], c.keys, c.offset, block, P, s, e));
  }
  flush();
  return h;
}

function addBlock(packed: Float64Array, keys: Int32Array, offset: number, block: Float64Array, P: number, s: number, e: number): void {
  for (let r = s; r < e; r++) {
    const at = (keys[r] + offset) * P, o = (r - s) * P;
    for (let t = 0; t < P; t++) packed[at + t] += block[o + t];
  }
}


const lanesOf = new WeakMap<readonly RowWeights[], { real: Uint8Array; synthetic: Uint8Array }>();

/**
 * A batch's multiplicities side by side: row r's weights in resamples 0..B-1 at [r·B, (r+1)·B) of each table
 * (computed once per batch and shared by the summaries and the pair counts).
 * @example laneWeights(weights[0].batch!).real[r * 30 + b] === weights[b].real[r]
 */
export function laneWeights(batch: readonly RowWeights[]): { real: Uint8Array; synthetic: Uint8Array } {
  let l = lanesOf.get(batch);
  if (!l) {
    const B = batch.length;
    const side = (get: (w: RowWeights) => Uint8Array) => {
      const n = get(batch[0]).length;
      const t = new Uint8Array(n * B);
      for (let b = 0; b < B; b++) {
        const w = get(batch[b]);
        for (let r = 0, o = b; r < n; r++, o += B) t[o] = w[r];
      }
      return t;
    };
    lanesOf.set(batch, (l = { real: side((w) => w.real), synthetic: side((w) => w.synthetic) }));
  }
  return l;
}

function numericSummary(g: NumericGrid, w: RowWeights): ColumnSummary {
  const { realPos, synthPos, realHist: rh, synthHist: sh } = g;
  rh.fill(0);
  sh.fill(0);
  const wr = w.real, ws = w.synthetic;
  for (let i = 0; i < wr.length; i++) rh[realPos[i]] += wr[i];
  for (let i = 0; i < ws.length; i++) sh[synthPos[i]] += ws[i];
  return numericFromHist(g, w);
}

/** The numeric summary from the histograms in g.realHist / g.synthHist. */
function numericFromHist(g: NumericGrid, w: RowWeights): ColumnSummary {
  const { grid, realHist: rh, synthHist: sh } = g;
  const u = grid.length;
  const n = w.realRows, m = w.syntheticRows;
  const missA = rh[0], missB = sh[0];
  // KS with missing values first: at every grid value, F(t) = (missing + values ≤ t) / rows (ksSorted's formula).
  let d = Math.abs(missA / n - missB / m);
  let ia = missA, jb = missB;
  let realLo = -1, realHi = -1, synthLo = -1, synthHi = -1;
  for (let k = 0; k < u; k++) {
    const a = rh[k + 1], b = sh[k + 1];
    if (a === 0 && b === 0) continue;
    if (a > 0) {
      if (realLo < 0) realLo = k;
      realHi = k;
    }
    if (b > 0) {
      if (synthLo < 0) synthLo = k;
      synthHi = k;
    }
    ia += a;
    jb += b;
    const diff = Math.abs(ia / n - jb / m);
    if (diff > d) d = diff;
  }
  let inside = 0;
  if (realLo >= 0) for (let k = realLo; k <= realHi; k++) inside += sh[k + 1];
  // Quantile cuts of the resampled real values (quantileCuts: order statistics at ⌊q·n / bins⌋, duplicates and the
  // maximum dropped).
  const present = n - missA;
  const cuts: number[] = [];
  if (present > 0) {
    const max = grid[realHi];
    let k = realLo, below = 0; // below = real values before grid index k
    for (let q = 1; q < DEFAULT_BINS; q++) {
      const p = Math.min(present - 1, Math.floor((q * present) / DEFAULT_BINS));
      while (below + rh[k + 1] <= p) below += rh[1 + k++];
      const v = grid[k];
      if (v !== max && (cuts.length === 0 || v > cuts[cuts.length - 1])) cuts.push(v);
    }
  }
  return { kind: 'numeric', distance: d, realRows: n, synthRows: m, realMissing: missA, synthMissing: missB, realLo, realHi, synthLo, synthHi, synthInside: inside, cuts: Float64Array.from(cuts) };
}

function categoricalSummary(a: Int32Array, b: Int32Array, levels: number, w: RowWeights): ColumnSummary {
  const ca = new Float64Array(levels + 1), cb = new Float64Array(levels + 1);
  const wr = w.real, ws = w.synthetic;
  for (let i = 0; i < a.length; i++) ca[a[i] + 1] += wr[i];
  for (let i = 0; i < b.length; i++) cb[b[i] + 1] += ws[i];
  return categoricalFromCounts(ca, cb, levels, w);
}

function categoricalFromCounts(ca: Float64Array, cb: Float64Array, levels: number, w: RowWeights): ColumnSummary {
  const n = w.realRows, m = w.syntheticRows;
  let s = 0;
  for (let k = 0; k <= levels; k++) s += Math.abs(ca[k] / n - cb[k] / m);
  return { kind: 'categorical', distance: s / 2, realRows: n, synthRows: m, realCounts: ca, synthCounts: cb };
}

/**
 * The weighted score of a metric that averages a per-column score over the aligned columns of some types: NaN when
 * there is no such column (the metric is skipped), else the mean of the finite per-column scores (finiteMean).
 */
export function meanOverColumns(wc: WeightedColumns, w: RowWeights, types: readonly ColumnType[], score: (s: ColumnSummary, g: NumericGrid | null, c: AlignedColumn) => number): number {
  const idx = columnsOfTypes(wc, types);
  if (!idx.length) return NaN;
  const sums = columnSummaries(wc, w);
  let s = 0, k = 0;
  for (const i of idx) {
    const x = score(sums[i], wc.grids[i], wc.cols[i]);
    if (Number.isFinite(x)) {
      s += x;
      k++;
    }
  }
  return k ? s / k : NaN;
}
