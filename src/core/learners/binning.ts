import { SynthopsError } from '../errors.js';
import type { JsonValue } from '../json.js';
import type { FeatureMatrix } from './features.js';
import { checkFeatureMatrix } from './features.js';

/** Bin 0 of every feature: missing values (and, for categoricals, codes not seen when binning was fitted). */
export const MISSING_BIN = 0;
/** Most categories that get a bin of their own; rarer ones share the last bin (255). */
export const MAX_CATEGORY_BINS = 254;

/**
 * How raw features map to small integer bins (Uint8), fitted once and applied to any matrix with the
 * same features.
 * - numeric: quantile bins, at most `maxBins` value bins (default 64) plus bin 0 = missing. Bin `k ≥ 1`
 *   holds values `v` with `edges[k-2] < v ≤ edges[k-1]`; edges are midpoints between neighbouring distinct
 *   training values, so ties never straddle a bin edge.
 * - categorical: category code `c` → bin `c + 1` when there are at most 254 categories; otherwise the 254
 *   most frequent categories get bins 1..254 and the rest share bin 255. Bin 0 = missing / unseen code.
 *
 * @example
 * const b = fitBinning(x, { maxBins: 64 });
 * const xb = applyBinning(x, b); // xb.bins[j][i] in [0, b.numBins[j])
 */
export interface Binning {
  /** Bins per feature, including bin 0 (missing). ≤ 256. */
  numBins: number[];
  /** Numeric features: the value-bin upper edges (length numBins - 2); null for categoricals. */
  edges: (Float64Array | null)[];
  categorical: boolean[];
  /** Categorical features: bin of each category code; null for numeric features. */
  catBins: (Uint8Array | null)[];
  /** Feature names, checked when applying. */
  names: string[];
}

/** A binned feature matrix: one Uint8Array of bins per feature (row-indexed). */
export interface BinnedMatrix {
  numRows: number;
  bins: Uint8Array[];
  numBins: number[];
  categorical: boolean[];
}

/** Options of `fitBinning`. */
export interface BinningOptions {
  /** Most value bins per numeric feature (2..255); default 64. */
  maxBins?: number;
  /** Rows to fit the bins on (e.g. the training fold); default all rows. */
  rows?: Int32Array;
}

/**
 * Fits bins on `x` (or on `opts.rows` of it). O(n log n) per numeric feature (one sort), O(n) per categorical.
 * @example const b = fitBinning(x, { maxBins: 32, rows: trainRows });
 */
export function fitBinning(x: FeatureMatrix, opts: BinningOptions = {}): Binning {
  checkFeatureMatrix(x);
  const maxBins = opts.maxBins ?? 64;
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > 255)
    throw new SynthopsError('invalid_argument', `invalid maxBins: ${maxBins}. Use a whole number from 2 to 255.`);
  const rows = opts.rows;
  if (rows) for (let i = 0; i < rows.length; i++) if (!(rows[i] >= 0 && rows[i] < x.numRows))
    throw new SynthopsError('invalid_argument', `invalid row index in rows: ${rows[i]}. The matrix has ${x.numRows} rows.`);
  const n = rows ? rows.length : x.numRows;
  const out: Binning = { numBins: [], edges: [], categorical: [], catBins: [], names: [...x.names] };
  for (let j = 0; j < x.columns.length; j++) {
    const col = x.columns[j];
    if (col instanceof Int32Array) {
      const levels = x.levels[j];
      const map = new Uint8Array(levels);
      if (levels <= MAX_CATEGORY_BINS) {
        for (let c = 0; c < levels; c++) map[c] = c + 1;
        out.numBins.push(levels + 1);
      } else {
        const freq = new Float64Array(levels);
        for (let i = 0; i < n; i++) {
          const c = col[rows ? rows[i] : i];
          if (c >= 0 && c < levels) freq[c]++;
        }
        const order = Array.from({ length: levels }, (_, c) => c).sort((a, b) => freq[b] - freq[a] || a - b);
        map.fill(MAX_CATEGORY_BINS + 1);
        for (let k = 0; k < MAX_CATEGORY_BINS; k++) map[order[k]] = k + 1;
        out.numBins.push(MAX_CATEGORY_BINS + 2);
      }
      out.edges.push(null);
      out.categorical.push(true);
      out.catBins.push(map);
    } else {
      const sorted = finiteValues(col, rows, n).sort();
      const edges = quantileEdges(sorted, maxBins);
      out.numBins.push(edges.length + 2);
      out.edges.push(edges);
      out.categorical.push(false);
      out.catBins.push(null);
    }
  }
  return out;
}

/** The non-missing values of `col` at `rows` (all rows when null), in a new array. */
function finiteValues(col: Float64Array, rows: Int32Array | undefined, n: number): Float64Array {
  const vals = new Float64Array(n);
  let m = 0;
  if (rows)
    for (let i = 0; i < n; i++) {
      const v = col[rows[i]];
      if (v === v) vals[m++] = v;
    }
  else
    for (let i = 0; i < n; i++) {
      const v = col[i];
      if (v === v) vals[m++] = v;
    }
  return vals.subarray(0, m);
}

/**
 * Edges for sorted finite values: greedy equal-frequency bins over distinct values (a heavy tie such
 * as a column that is mostly 0 takes one bin, and the remaining bins split the rest evenly).
 */
function quantileEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const n = sorted.length;
  if (n === 0) return new Float64Array(0);
  // Distinct values and their counts.
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < n; ) {
    let k = i + 1;
    while (k < n && sorted[k] === sorted[i]) k++;
    distinct.push(sorted[i]);
    counts.push(k - i);
    i = k;
  }
  const d = distinct.length;
  const edges: number[] = [];
  if (d <= maxBins) {
    for (let i = 0; i + 1 < d; i++) edges.push(midpoint(distinct[i], distinct[i + 1]));
    return Float64Array.from(edges);
  }
  let remaining = n;
  let binsLeft = maxBins;
  let acc = 0;
  for (let i = 0; i + 1 < d; i++) {
    acc += counts[i];
    const target = remaining / binsLeft;
    // Close the bin when it is full, or when adding the next value would overshoot more than stopping now.
    if (acc >= target || acc + counts[i + 1] - target > target - acc) {
      if (binsLeft <= 1) break;
      edges.push(midpoint(distinct[i], distinct[i + 1]));
      remaining -= acc;
      binsLeft--;
      acc = 0;
    }
  }
  return Float64Array.from(edges);
}

function midpoint(a: number, b: number): number {
  const m = a + (b - a) / 2;
  // Guard against rounding onto b (adjacent doubles): the edge must satisfy a ≤ edge < b.
  return m < b ? m : a;
}

/**
 * Applies bins to a matrix with the same features as the one `b` was fitted on. O(n log B) per numeric
 * feature (binary search over edges), O(n) per categorical. Unseen category codes go to bin 0.
 * @example const xb = applyBinning(xTest, fitBinning(xTrain));
 */
export function applyBinning(x: FeatureMatrix, b: Binning): BinnedMatrix {
  checkFeatureMatrix(x);
  if (x.columns.length !== b.numBins.length)
    throw new SynthopsError('schema_mismatch', `invalid features: ${x.columns.length} given, the binning has ${b.numBins.length}.`);
  const n = x.numRows;
  const bins: Uint8Array[] = [];
  for (let j = 0; j < x.columns.length; j++) {
    const col = x.columns[j];
    const out = new Uint8Array(n);
    if (b.categorical[j]) {
      if (!(col instanceof Int32Array))
        throw new SynthopsError('schema_mismatch', `invalid feature "${x.names[j]}": numeric, but it was categorical when binned.`, { column: x.names[j] });
      binCodes(col, b.catBins[j]!, out);
    } else {
      if (col instanceof Int32Array)
        throw new SynthopsError('schema_mismatch', `invalid feature "${x.names[j]}": categorical, but it was numeric when binned.`, { column: x.names[j] });
      binValues(col, b.edges[j]!, out);
    }
    bins.push(out);
  }
  return { numRows: n, bins, numBins: [...b.numBins], categorical: [...b.categorical] };
}

// applyBinning's per-column passes as small functions of their own: optimised after a column or two instead of
// running in the interpreter inside the long loop over columns (a worker bins only a few matrices). Same bins.
function binCodes(col: Int32Array, map: Uint8Array, out: Uint8Array): void {
  const L = map.length;
  for (let i = 0; i < col.length; i++) {
    const c = col[i];
    out[i] = c >= 0 && c < L ? map[c] : MISSING_BIN;
  }
}

function binValues(col: Float64Array, e: Float64Array, out: Uint8Array): void {
  const E = e.length;
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (v !== v) {
      out[i] = MISSING_BIN;
      continue;
    }
    // Number of edges strictly below v → value bin index.
    let lo = 0, hi = E;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (e[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo + 1;
  }
}

/** Plain-JSON form of a Binning (numbers as arrays). */
export function binningToJSON(b: Binning): JsonValue {
  return {
    numBins: b.numBins,
    categorical: b.categorical,
    names: b.names,
    edges: b.edges.map((e) => (e ? Array.from(e) : null)),
    catBins: b.catBins.map((m) => (m ? Array.from(m) : null)),
  };
}

/** Reads what `binningToJSON` wrote; throws `incompatible_artifact` on a malformed value. */
export function binningFromJSON(json: JsonValue): Binning {
  const o = json as Record<string, unknown>;
  const bad = () => new SynthopsError('incompatible_artifact', 'invalid binning: the saved bins are malformed.');
  if (!o || typeof o !== 'object' || !Array.isArray(o.numBins) || !Array.isArray(o.edges) || !Array.isArray(o.catBins) || !Array.isArray(o.categorical) || !Array.isArray(o.names))
    throw bad();
  const k = o.numBins.length;
  if (o.edges.length !== k || o.catBins.length !== k || o.categorical.length !== k || o.names.length !== k) throw bad();
  return {
    numBins: o.numBins.map(Number),
    categorical: o.categorical.map(Boolean),
    names: o.names.map(String),
    edges: (o.edges as (number[] | null)[]).map((e) => (e ? Float64Array.from(e) : null)),
    catBins: (o.catBins as (number[] | null)[]).map((m) => (m ? Uint8Array.from(m) : null)),
  };
}
