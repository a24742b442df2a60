import type { Table } from '../../table/table.js';
import { alignTables, type AlignedColumn } from '../aligned.js';
import { binCodes, discretise, quantileCuts, type Discretised } from './discretise.js';
import { FIELD, packBlock, unpackLanes } from './packed-lanes.js';
import { pearsonPairs } from './pearson-pairs.js';

/** Rows per block in {@link allPairCounts}: a block of every column (4 bytes × columns × rows) stays in cache. */
const BLOCK_ROWS = 4096;
/** Largest three-way table {@link allPairCounts} counts (cells), so it stays in the first-level cache (16 KB). */
const MAX_TRIPLE_CELLS = 4096;

/**
 * Two-way count tables of every pair of coded columns, pairs in the order (0,1), (0,2), …, (1,2), … and each table
 * row-major sizes[i] × sizes[j] (codes of column i in [0, sizes[i])): the same counts as `contingency` per pair.
 * Pairs are grouped greedily into column triples whose three-way table is small (≤ 4096 cells): one increment per
 * row then counts three pairs, which are summed out of the three-way table afterwards (exact integer counts), so
 * 190 pairs of 20 columns take about 70 increments per row instead of 190. Rows are read in blocks of 4096 so each
 * block of each column comes from memory once. `weights` (optional): row r counts weights[r] times (a row resample
 * given as multiplicities; the counts of the gathered resample). O(rows · pairs / 3 + cells).
 * @example allPairCounts([Int32Array.of(0, 1), Int32Array.of(1, 1)], [2, 2]) // [[0, 1, 0, 1]]
 */
export function allPairCounts(codes: readonly Int32Array[], sizes: readonly number[], weights?: Uint8Array): Float64Array[] {
  const p = codes.length;
  const n = p ? codes[0].length : 0;
  const groups = pairGroups(sizes, 1);
  for (let s = 0; s < n; s += BLOCK_ROWS) {
    const e = Math.min(n, s + BLOCK_ROWS);
    for (const g of groups) {
      const t = g.counts;
      if (weights) {
        if (g.cols.length === 2) {
          const a = codes[g.cols[0]], b = codes[g.cols[1]], sb = sizes[g.cols[1]];
          for (let r = s; r < e; r++) t[a[r] * sb + b[r]] += weights[r];
        } else {
          const a = codes[g.cols[0]], b = codes[g.cols[1]], c = codes[g.cols[2]], sb = sizes[g.cols[1]], sc = sizes[g.cols[2]];
          for (let r = s; r < e; r++) t[(a[r] * sb + b[r]) * sc + c[r]] += weights[r];
        }
      } else if (g.cols.length === 2) {
        const a = codes[g.cols[0]], b = codes[g.cols[1]], sb = sizes[g.cols[1]];
        for (let r = s; r < e; r++) t[a[r] * sb + b[r]]++;
      } else {
        const a = codes[g.cols[0]], b = codes[g.cols[1]], c = codes[g.cols[2]], sb = sizes[g.cols[1]], sc = sizes[g.cols[2]];
        for (let r = s; r < e; r++) t[(a[r] * sb + b[r]) * sc + c[r]]++;
      }
    }
  }
  return sumOut(groups, sizes, 1)[0];
}

/**
 * {@link allPairCounts} of `lanes` weightings of the same rows at once: `weights` holds row r's weights for lanes
 * 0..lanes-1 at [r·lanes, (r+1)·lanes) (e.g. the multiplicities of 30 bootstrap resamples). Each row's cell is found
 * once per group and its lanes' weights are added to consecutive counters, three lanes per double (17-bit fields of
 * an exact integer: one addition adds three weights), flushed to per-lane integer counters before any field could
 * carry; so this costs far less than `lanes` weighted calls. Returns the tables by lane, the same integer counts.
 * O(rows · pairs / 3 · lanes / 3 + cells · lanes).
 * @example allPairCountsLanes(codes, sizes, transposedWeights, 30)[b] // = allPairCounts(codes, sizes, weightsOf(b))
 */
export function allPairCountsLanes(codes: readonly Int32Array[], sizes: readonly number[], weights: Uint8Array, lanes: number): Float64Array[][] {
  const p = codes.length;
  const n = p ? codes[0].length : 0;
  const L = lanes, P = Math.ceil(L / 3);
  const groups = pairGroups(sizes, L);
  const packed = groups.map((g) => new Float64Array((g.counts.length / L) * P));
  const block = new Float64Array(BLOCK_ROWS * P);
  const laneSum = new Float64Array(L);
  let sinceFlush = 0;
  const flush = () => {
    groups.forEach((g, x) => unpackLanes(packed[x], g.counts, L, P));
    sinceFlush = 0;
  };
  for (let s = 0; s < n; s += BLOCK_ROWS) {
    const e = Math.min(n, s + BLOCK_ROWS);
    // The block's weights packed three lanes per double, and the largest lane total it adds to any counter.
    const most = packBlock(weights, L, P, s, e, block, laneSum);
    if (most >= FIELD) {
      // A block heavy enough to carry (not seen with bootstrap multiplicities): lane by lane into the counters.
      for (const g of groups) {
        const c = g.cols.length === 3 ? codes[g.cols[2]] : ZERO_CODES, sc = g.cols.length === 3 ? sizes[g.cols[2]] : 1;
        const a = codes[g.cols[0]], b = codes[g.cols[1]], sb = sizes[g.cols[1]];
        for (let r = s; r < e; r++) {
          const at = ((a[r] * sb + b[r]) * sc + (c === ZERO_CODES ? 0 : c[r])) * L;
          for (let l = 0; l < L; l++) g.counts[at + l] += weights[r * L + l];
        }
      }
      continue;
    }
    if (sinceFlush + most >= FIELD) flush();
    sinceFlush += most;
    groups.forEach((g, x) => {
      if (g.cols.length === 2) laneBlock(packed[x], codes[g.cols[0]], codes[g.cols[1]], ZERO_CODES, sizes[g.cols[1]], 1, block, P, s, e);
      else laneBlock(packed[x], codes[g.cols[0]], codes[g.cols[1]], codes[g.cols[2]], sizes[g.cols[1]], sizes[g.cols[2]], block, P, s, e);
    });
  }
  flush();
  return sumOut(groups, sizes, L);
}


/** Codes of a missing third column: all 0 (long enough for any block). */
const ZERO_CODES = new Int32Array(BLOCK_ROWS);

/**
 * Rows [s, e) of one group: cell ((a·sb + b)·sc + c), its `P` packed counters += the row's packed weights (`block`,
 * rows from s). A small function called once per group and block, so the engine optimises it early (the loop nest
 * inlined in one long call ran far slower). A two-column group passes c = ZERO_CODES and sc = 1.
 */
function laneBlock(t: Float64Array, a: Int32Array, b: Int32Array, c: Int32Array, sb: number, sc: number, block: Float64Array, P: number, s: number, e: number): void {
  const two = c === ZERO_CODES;
  for (let r = s; r < e; r++) {
    const at = ((a[r] * sb + b[r]) * sc + (two ? 0 : c[r])) * P, wr = (r - s) * P;
    for (let k = 0; k < P; k++) t[at + k] += block[wr + k];
  }
}

interface PairGroup {
  cols: number[];
  owns: [number, number][];
  /** The group's (two- or three-way) table, `lanes` counters per cell. */
  counts: Int32Array;
}

/**
 * Greedy cover of the pairs of columns with these sizes: each uncovered pair (i, j) takes the third column k that
 * covers most other uncovered pairs within the cell limit; a pair with no such k is counted on its own.
 */
function pairGroups(sizes: readonly number[], lanes: number): PairGroup[] {
  const p = sizes.length;
  const covered = new Uint8Array(p * p);
  const groups: PairGroup[] = [];
  for (let i = 0; i < p; i++) {
    for (let j = i + 1; j < p; j++) {
      if (covered[i * p + j]) continue;
      let best = -1, bestGain = 0;
      for (let k = 0; k < p; k++) {
        if (k === i || k === j || sizes[i] * sizes[j] * sizes[k] > MAX_TRIPLE_CELLS) continue;
        const gain = (covered[Math.min(i, k) * p + Math.max(i, k)] ? 0 : 1) + (covered[Math.min(j, k) * p + Math.max(j, k)] ? 0 : 1);
        if (gain > bestGain) { bestGain = gain; best = k; }
      }
      const cols = best < 0 ? [i, j] : [i, j, best].sort((x, y) => x - y);
      const owns: [number, number][] = [];
      for (let x = 0; x < cols.length; x++) {
        for (let y = x + 1; y < cols.length; y++) {
          const key = cols[x] * p + cols[y];
          if (!covered[key]) { covered[key] = 1; owns.push([x, y]); }
        }
      }
      groups.push({ cols, owns, counts: new Int32Array(cols.reduce((a, c) => a * sizes[c], 1) * lanes) });
    }
  }
  return groups;
}

/** Sums each group's table out onto the pairs it owns: the pair tables by lane. */
function sumOut(groups: readonly PairGroup[], sizes: readonly number[], lanes: number): Float64Array[][] {
  const p = sizes.length, L = lanes;
  const out: Float64Array[][] = [];
  for (let l = 0; l < L; l++) {
    const tables: Float64Array[] = [];
    for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) tables.push(new Float64Array(sizes[i] * sizes[j]));
    out.push(tables);
  }
  for (const g of groups) {
    const sz = g.cols.map((c) => sizes[c]);
    for (const [x, y] of g.owns) {
      const k = pairIndex(g.cols[x], g.cols[y], p), sy = sz[y];
      if (g.cols.length === 2) {
        for (let l = 0; l < L; l++) {
          const o = out[l][k];
          for (let q = 0; q < o.length; q++) o[q] = g.counts[q * L + l];
        }
        continue;
      }
      const [s0, s1, s2] = sz;
      for (let u = 0; u < s0; u++) {
        for (let v = 0; v < s1; v++) {
          for (let w = 0; w < s2; w++) {
            const base = ((u * s1 + v) * s2 + w) * L;
            const cell = (x === 0 ? u : v) * sy + (y === 1 ? v : w);
            for (let l = 0; l < L; l++) {
              const c = g.counts[base + l];
              if (c !== 0) out[l][k][cell] += c;
            }
          }
        }
      }
    }
  }
  return out;
}

/** Index of pair (i, j), i < j, of p columns in the order of {@link allPairCounts}. */
export function pairIndex(i: number, j: number, p: number): number {
  return i * p - (i * (i + 1)) / 2 + (j - i - 1);
}

/**
 * Everything the pair metrics (pair trends, contingency and correlation similarity, k-marginal) compare between a
 * real table and another one (synthetic, or the holdout for the reference), for every column pair:
 * - `cols` / `disc`: the aligned columns and their codes (real = 0, other = 1; numbers binned on the real deciles);
 * - `real[k]`: the real two-way counts of pair k in the real table's own layout, `realSizes[i]` × `realSizes[j]`
 *   (its own categories; the aligned layout may add categories only the other table has, whose real counts are 0);
 * - `other[k]`: the other table's counts in the aligned layout `disc[i].size` × `disc[j].size`;
 * - `realCorrelation[k]` / `otherCorrelation[k]`: the Pearson correlations of numeric pairs (NaN otherwise).
 * The real side is computed once per real table and shared by every comparison (score and holdout reference); the
 * other side once per (real, other) pair and shared by the pair metrics and k-marginal.
 */
export interface PairTables {
  cols: AlignedColumn[];
  disc: Discretised[];
  realSizes: number[];
  real: Float64Array[];
  other: Float64Array[];
  realCorrelation: Float64Array;
  otherCorrelation: Float64Array;
}

interface RealSide {
  sizes: number[];
  counts: Float64Array[];
  correlation: Float64Array;
}

/** Real side by real table (see PairTables). Tables are immutable, so caching by identity is safe. */
const realSides = new WeakMap<Table, RealSide>();
/** Pair tables by (real, other) table. */
const pairCache = new WeakMap<Table, WeakMap<Table, PairTables>>();

function realSide(real: Table): RealSide {
  let r = realSides.get(real);
  if (r) return r;
  // The real table aligned alone: the same columns, and its categories in the same order, as in any alignment that
  // lists it first (alignTables numbers the first table's labels first).
  const cols = alignTables([real]);
  const disc = cols.map((c) => discretise(c));
  const sizes = disc.map((d) => d.size);
  const counts = allPairCounts(disc.map((d) => d.codes[0]), sizes);
  const correlation = pearsonPairs(cols.map((c) => (c.kind === 'numeric' ? c.values[0] : null)));
  realSides.set(real, (r = { sizes, counts, correlation }));
  return r;
}

/**
 * The {@link PairTables} of (real, other), cached per pair of table objects.
 * @example pairTables(train, synthetic).other[0] // the synthetic counts of the first column pair
 */
export function pairTables(real: Table, other: Table): PairTables {
  let inner = pairCache.get(real);
  if (!inner) pairCache.set(real, (inner = new WeakMap()));
  let t = inner.get(other);
  if (t) return t;
  const r = realSide(real);
  const cols = alignTables([real, other]);
  const disc: Discretised[] = cols.map((c) => {
    if (c.kind === 'categorical') {
      const plus1 = (x: Int32Array) => {
        const out = new Int32Array(x.length);
        for (let i = 0; i < x.length; i++) out[i] = x[i] + 1;
        return out;
      };
      return { name: c.name, size: c.levels + 1, cuts: null, codes: [EMPTY, plus1(c.codes[1])] };
    }
    const cuts = quantileCuts(c.values[0]);
    return { name: c.name, size: cuts.length + 2, cuts, codes: [EMPTY, binCodes(c.values[1], cuts)] };
  });
  const counts = allPairCounts(disc.map((d) => d.codes[1]), disc.map((d) => d.size));
  const otherCorrelation = pearsonPairs(cols.map((c) => (c.kind === 'numeric' ? c.values[1] : null)));
  t = { cols, disc, realSizes: r.sizes, real: r.counts, other: counts, realCorrelation: r.correlation, otherCorrelation };
  inner.set(other, t);
  return t;
}

/** Placeholder for the real codes in {@link PairTables.disc}: the real counts are precomputed instead. */
const EMPTY = new Int32Array(0);

/**
 * Total variation distance between a real count table in its own layout (ra × rb) and another table's counts in a
 * layout that may have more categories (oa × ob ≥ ra × rb, the real categories first): the real counts of the extra
 * cells are 0. Each table is normalised by its own total; the sums run in the larger layout's row-major order, so
 * the result is bit-for-bit `contingencyTv` of the two tables in the larger layout. NaN when either total is 0.
 * @example contingencyTvEmbedded(Float64Array.of(1, 1), 1, 2, Float64Array.of(1, 1, 0, 2), 2, 2) // 0.5
 */
export function contingencyTvEmbedded(real: Float64Array, ra: number, rb: number, other: Float64Array, oa: number, ob: number): number {
  let np = 0, nq = 0;
  for (let a = 0; a < oa; a++) {
    for (let b = 0; b < ob; b++) {
      np += a < ra && b < rb ? real[a * rb + b] : 0;
      nq += other[a * ob + b];
    }
  }
  if (np === 0 || nq === 0) return NaN;
  let s = 0;
  for (let a = 0; a < oa; a++) {
    for (let b = 0; b < ob; b++) {
      const pv = a < ra && b < rb ? real[a * rb + b] : 0;
      s += Math.abs(pv / np - other[a * ob + b] / nq);
    }
  }
  return s / 2;
}
