import type { Table } from '../../table/table.js';
import type { RowWeights } from '../metric.js';
import { allPairCounts, allPairCountsLanes, pairIndex, type PairTables } from './pair-tables.js';
import { quantileCuts } from './discretise.js';
import { pairTrendsOfTables, type PairTrend } from './pair-trends.js';
import { columnSummaries, laneWeights, weightedColumns, type ColumnSummary, type WeightedColumns } from './weighted-columns.js';

/** Rows per block of shifted values in the weighted correlations. */
const BLOCK_ROWS = 2048;

/** Per (real, synthetic): fixed codes of categorical columns, scratch codes of numeric ones, column shifts. */
interface PairPrep {
  /** [real, synthetic] codes per aligned column: categorical = code + 1 (fixed), numeric = bin codes (rewritten per resample). */
  codes: [Int32Array[], Int32Array[]];
  /** Per numeric column and table: the mean of its present values (the shift of the one-pass weighted moments). */
  shift: [Float64Array, Float64Array];
  /** Per numeric column and table: whether it has a missing value anywhere (then its pairs are pairwise-complete). */
  missing: [Uint8Array, Uint8Array];
  binOf: Int32Array[];
}

const preps = new WeakMap<WeightedColumns, PairPrep | null>();

function pairPrep(wc: WeightedColumns): PairPrep | null {
  let p = preps.get(wc);
  if (p !== undefined) return p;
  if (wc.grids.some((g) => g?.infinite)) p = null;
  else {
    const plus1 = (x: Int32Array) => {
      const out = new Int32Array(x.length);
      for (let i = 0; i < x.length; i++) out[i] = x[i] + 1;
      return out;
    };
    const codes: [Int32Array[], Int32Array[]] = [[], []];
    const shift: [Float64Array, Float64Array] = [new Float64Array(wc.cols.length), new Float64Array(wc.cols.length)];
    const missing: [Uint8Array, Uint8Array] = [new Uint8Array(wc.cols.length), new Uint8Array(wc.cols.length)];
    wc.cols.forEach((c, i) => {
      for (const side of [0, 1] as const) {
        if (c.kind === 'categorical') {
          codes[side].push(plus1(c.codes[side]));
          continue;
        }
        const v = c.values[side];
        codes[side].push(new Int32Array(0)); // bin codes: allocated by the first per-resample build
        let s = 0, k = 0;
        for (let r = 0; r < v.length; r++) {
          const x = v[r];
          if (x === x) {
            s += x;
            k++;
          }
        }
        shift[side][i] = k ? s / k : 0;
        missing[side][i] = k < v.length ? 1 : 0;
      }
    });
    p = { codes, shift, missing, binOf: wc.grids.map((g) => (g ? new Int32Array(g.grid.length + 1) : new Int32Array(0))) };
  }
  preps.set(wc, p);
  return p;
}

/**
 * The {@link PairTables} of the resample `w` of (real, synthetic), as `pairTables` computes them on the gathered
 * resample, from the full tables: numbers binned on the resampled real data's quantile cuts (from the weighted
 * histograms of {@link columnSummaries}), every pair's two-way counts weighted by the multiplicities (the same integer
 * counts), laid out in the aligned layout for both tables (the real table's own layout differs only by empty
 * categories, which change no sum). Pearson correlations from one pass of weighted moments about each column's mean
 * (agrees with the two-pass gathered value to ~1e-15); a column constant on the resample gives NaN. Cached per
 * resample. Null when the tables do not align or hold infinite values (the gathered path then serves).
 * O((real + synthetic rows) · (pairs / 3 + numeric pairs)) per resample.
 * @example weightedPairTables(train, synthetic, weights)?.other[0]
 */
export function weightedPairTables(real: Table, synthetic: Table, w: RowWeights): PairTables | null {
  return cached(real, synthetic, w)?.tables ?? null;
}

/**
 * The pair trends of the resample `w` (pairTrendsOfTables of {@link weightedPairTables}), cached per resample and
 * shared by the pair metrics.
 * @example weightedPairTrends(train, synthetic, weights)?.filter((p) => p.related)
 */
export function weightedPairTrends(real: Table, synthetic: Table, w: RowWeights): PairTrend[] | null {
  const c = cached(real, synthetic, w);
  if (!c) return null;
  return (c.trends ??= pairTrendsOfTables(c.tables));
}

interface Cached {
  tables: PairTables;
  trends?: PairTrend[];
}

function cached(real: Table, synthetic: Table, w: RowWeights): Cached | null {
  const wc = weightedColumns(real, synthetic);
  if (!wc) return null;
  const prep = pairPrep(wc);
  if (!prep) return null;
  let c = wc.extra.get(w) as Cached | undefined;
  if (!c && w.batch && w.batch.length > 1 && w.batch.includes(w) && wc.cols.every((col) => col.kind === 'numeric' || col.levels < 65535)) {
    buildBatch(wc, prep, w.batch);
    c = wc.extra.get(w) as Cached | undefined;
  }
  if (!c) {
    c = { tables: build(wc, prep, w) };
    wc.extra.set(w, c);
  }
  return c;
}

/**
 * The full-data binning of (real, synthetic) that the batched pair counts start from: numbers on the real quantile
 * cuts, each table's codes, and each numeric column's rows grouped by grid position (to find the rows a resample's
 * cuts move to another bin).
 */
interface BaseBins {
  cuts: (Float64Array | null)[];
  binOf: Int32Array[];
  sizes: number[];
  codes: [Int32Array[], Int32Array[]];
  /** Per side and numeric column: rows ordered by grid position; rows at position k are rows[start[k]..start[k+1]). */
  byPos: [({ start: Int32Array; rows: Int32Array } | null)[], ({ start: Int32Array; rows: Int32Array } | null)[]];
}

const bases = new WeakMap<WeightedColumns, BaseBins>();

function baseBins(wc: WeightedColumns, prep: PairPrep): BaseBins {
  let b = bases.get(wc);
  if (b) return b;
  const cuts: (Float64Array | null)[] = [], binOf: Int32Array[] = [], sizes: number[] = [];
  const codes: [Int32Array[], Int32Array[]] = [[], []];
  const byPos: BaseBins['byPos'] = [[], []];
  wc.cols.forEach((c, i) => {
    if (c.kind === 'categorical') {
      cuts.push(null);
      binOf.push(new Int32Array(0));
      sizes.push(c.levels + 1);
      for (const side of [0, 1] as const) {
        codes[side].push(prep.codes[side][i]);
        byPos[side].push(null);
      }
      return;
    }
    const g = wc.grids[i]!, cu = quantileCuts(c.values[0]);
    const bo = new Int32Array(g.grid.length + 1);
    fillBins(g.grid, cu, bo);
    cuts.push(cu);
    binOf.push(bo);
    sizes.push(cu.length + 2);
    for (const side of [0, 1] as const) {
      const pos = side === 0 ? g.realPos : g.synthPos;
      const out = new Int32Array(pos.length);
      for (let r = 0; r < pos.length; r++) out[r] = bo[pos[r]];
      codes[side].push(out);
      // Counting sort of the rows by grid position.
      const start = new Int32Array(g.grid.length + 2);
      for (let r = 0; r < pos.length; r++) start[pos[r] + 1]++;
      for (let k = 1; k < start.length; k++) start[k] += start[k - 1];
      const rows = new Int32Array(pos.length), at = start.slice(0, g.grid.length + 1);
      for (let r = 0; r < pos.length; r++) rows[at[pos[r]]++] = r;
      byPos[side].push({ start, rows });
    }
  });
  bases.set(wc, (b = { cuts, binOf, sizes, codes, byPos }));
  return b;
}

function sameBins(a: Int32Array, b: Int32Array): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** Codes of p columns row-major: [r·p + c] (codes below 65,536: a category count above that never batches). */
function rowMajor(codes: Int32Array[]): Uint16Array {
  const p = codes.length, n = p ? codes[0].length : 0;
  const m = new Uint16Array(n * p);
  for (let c = 0; c < p; c++) {
    const x = codes[c];
    for (let r = 0, o = c; r < n; r++, o += p) m[o] = x[r];
  }
  return m;
}

/**
 * Moves numeric column i of the drawn rows (weight > 0) at the grid positions whose bin differs from its full-data bin
 * bo to its resample bin bn: in each pair (i, j), the row's weight leaves cell (old bin, code j) for (new bin, code j),
 * with code j as already moved (moves of several columns compose), and its row code is updated (restoreColumn puts
 * it back after the resample).
 */
function moveColumn(i: number, bo: Int32Array, bn: Int32Array, by: { start: Int32Array; rows: Int32Array }, ws: Uint8Array, m: Uint16Array, p: number, tables: Float64Array[], sizes: Int32Array, pairAt: Int32Array): void {
  const { start, rows } = by;
  const si = sizes[i];
  for (let k = 1; k < bn.length; k++) {
    const o = bo[k], nn = bn[k];
    if (o === nn) continue;
    for (let q = start[k]; q < start[k + 1]; q++) {
      const r = rows[q], w = ws[r];
      if (w === 0) continue;
      const at = r * p;
      for (let j = 0; j < p; j++) {
        if (j === i) continue;
        const cj = m[at + j], t = tables[pairAt[i * p + j]];
        if (i < j) {
          const sz = sizes[j];
          t[o * sz + cj] -= w;
          t[nn * sz + cj] += w;
        } else {
          t[cj * si + o] -= w;
          t[cj * si + nn] += w;
        }
      }
      m[at + i] = nn;
    }
  }
}

/** Puts column i's full-data bin codes back after {@link moveColumn}. */
function restoreColumn(i: number, bo: Int32Array, bn: Int32Array, by: { start: Int32Array; rows: Int32Array }, m: Uint16Array, p: number): void {
  const { start, rows } = by;
  for (let k = 1; k < bn.length; k++) {
    if (bo[k] === bn[k]) continue;
    for (let q = start[k]; q < start[k + 1]; q++) m[rows[q] * p + i] = bo[k];
  }
}

/** Bin code of each grid value (index k + 1; index 0 = missing → 0): 1 + the cuts below it, as binCodes gives. */
function fillBins(grid: Float64Array, cuts: Float64Array, out: Int32Array): void {
  out[0] = 0;
  for (let k = 0, q = 0; k < grid.length; k++) {
    while (q < cuts.length && cuts[q] < grid[k]) q++;
    out[k + 1] = q + 1;
  }
}

/**
 * The pair tables of every resample of a report at once: each table's rows are counted once on the full-data bins
 * with the resamples' weights side by side (allPairCountsLanes), then, per resample, the rows whose bin its own cuts
 * change (those between a full-data cut and the resample's) are moved from their old cell to their new one in every
 * pair that holds them. Integer counts, so the tables equal the per-resample counts exactly. A resample whose cuts
 * give another number of bins than the full data is counted on its own.
 */
function buildBatch(wc: WeightedColumns, prep: PairPrep, batch: readonly RowWeights[]): void {
  const base = baseBins(wc, prep);
  const B = batch.length, p = wc.cols.length;
  const lw = laneWeights(batch);
  const lanes = [allPairCountsLanes(base.codes[0], base.sizes, lw.real, B), allPairCountsLanes(base.codes[1], base.sizes, lw.synthetic, B)];
  // Each table's codes row-major (one cache line per row for the row moves), and pair indices.
  const rowCodes = [rowMajor(base.codes[0]), rowMajor(base.codes[1])];
  const pairAt = new Int32Array(p * p);
  for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) pairAt[i * p + j] = pairAt[j * p + i] = pairIndex(i, j, p);
  const sizes = Int32Array.from(base.sizes);
  for (let b = 0; b < B; b++) {
    const w = batch[b];
    if (wc.extra.has(w)) continue;
    const sums = columnSummaries(wc, w);
    if (wc.cols.some((c, i) => c.kind === 'numeric' && (sums[i] as { cuts: Float64Array }).cuts.length !== base.cuts[i]!.length)) {
      wc.extra.set(w, { tables: build(wc, prep, w) });
      continue;
    }
    // The resample's bins (prep.binOf: scratch) and the numeric columns whose bins differ from the full data's.
    const changed: number[] = [];
    const disc = wc.cols.map((c, i) => {
      if (c.kind === 'categorical') return { name: c.name, size: base.sizes[i], cuts: null, codes: [] };
      const cuts = (sums[i] as { cuts: Float64Array }).cuts;
      fillBins(wc.grids[i]!.grid, cuts, prep.binOf[i]);
      if (!sameBins(prep.binOf[i], base.binOf[i])) changed.push(i);
      return { name: c.name, size: base.sizes[i], cuts, codes: [] };
    });
    for (const side of [0, 1] as const) {
      const ws = side === 0 ? w.real : w.synthetic;
      for (const i of changed) moveColumn(i, base.binOf[i], prep.binOf[i], base.byPos[side][i]!, ws, rowCodes[side], p, lanes[side][b], sizes, pairAt);
      for (const i of changed) restoreColumn(i, base.binOf[i], prep.binOf[i], base.byPos[side][i]!, rowCodes[side], p);
    }
    wc.extra.set(w, {
      tables: { cols: wc.cols, disc, realSizes: base.sizes, real: lanes[0][b], other: lanes[1][b], realCorrelation: correlations(wc, prep, sums, 0, w.real), otherCorrelation: correlations(wc, prep, sums, 1, w.synthetic) },
    });
  }
}

function build(wc: WeightedColumns, prep: PairPrep, w: RowWeights): PairTables {
  const sums = columnSummaries(wc, w);
  const disc = wc.cols.map((c, i) => {
    const s = sums[i];
    if (c.kind === 'categorical' || s.kind !== 'numeric') return { name: c.name, size: c.kind === 'categorical' ? c.levels + 1 : 1, cuts: null, codes: [] };
    // Bin code of each grid value: 1 + cuts below it (binCodes), then of each row through its grid position.
    const g = wc.grids[i]!, binOf = prep.binOf[i], cuts = s.cuts;
    for (let k = 0, q = 0; k < g.grid.length; k++) {
      while (q < cuts.length && cuts[q] < g.grid[k]) q++;
      binOf[k + 1] = q + 1;
    }
    const pos = [g.realPos, g.synthPos];
    for (const side of [0, 1]) {
      const p = pos[side];
      if (prep.codes[side][i].length !== p.length) prep.codes[side][i] = new Int32Array(p.length);
      const out = prep.codes[side][i];
      for (let r = 0; r < out.length; r++) out[r] = binOf[p[r]];
    }
    return { name: c.name, size: cuts.length + 2, cuts, codes: [] };
  });
  const sizes = disc.map((d) => d.size);
  return {
    cols: wc.cols,
    disc,
    realSizes: sizes,
    real: allPairCounts(prep.codes[0], sizes, w.real),
    other: allPairCounts(prep.codes[1], sizes, w.synthetic),
    realCorrelation: correlations(wc, prep, sums, 0, w.real),
    otherCorrelation: correlations(wc, prep, sums, 1, w.synthetic),
  };
}

/** Weighted Pearson correlations of every numeric pair of one table (order of pearsonPairs; NaN elsewhere). */
function correlations(wc: WeightedColumns, prep: PairPrep, sums: ColumnSummary[], side: 0 | 1, w: Uint8Array): Float64Array {
  const p = wc.cols.length;
  const out = new Float64Array((p * (p - 1)) / 2).fill(NaN);
  const pairOf = (i: number, j: number) => i * p - (i * (i + 1)) / 2 + (j - i - 1);
  // Columns that vary on the resample (pearson is NaN for a constant column or fewer than two values).
  const varies = (i: number) => {
    const s = sums[i];
    if (s.kind !== 'numeric') return false;
    return side === 0 ? s.realLo >= 0 && s.realLo !== s.realHi : s.synthLo >= 0 && s.synthLo !== s.synthHi;
  };
  const num: number[] = [];
  wc.cols.forEach((c, i) => c.kind === 'numeric' && varies(i) && num.push(i));
  const values = (i: number) => (wc.cols[i] as { values: Float64Array[] }).values[side];
  const shift = prep.shift[side], missing = prep.missing[side];
  const full = num.filter((i) => !missing[i]);
  const f = full.length, n = w.length;
  if (f >= 2) {
    // One pass of weighted first and second moments about each column's mean, in blocks of rows.
    let W = 0;
    for (let r = 0; r < n; r++) W += w[r];
    const s1 = new Float64Array(f), s2 = new Float64Array(f * f);
    const d = full.map(() => new Float64Array(BLOCK_ROWS)), dw = full.map(() => new Float64Array(BLOCK_ROWS));
    const drawn = new Int32Array(BLOCK_ROWS);
    for (let s = 0; s < n; s += BLOCK_ROWS) {
      // Only the rows drawn (weight > 0; about 63% of them) enter the block's sums.
      const e = Math.min(n, s + BLOCK_ROWS);
      let m = 0;
      for (let r = s; r < e; r++) if (w[r] !== 0) drawn[m++] = r;
      for (let a = 0; a < f; a++) {
        const x = values(full[a]), mu = shift[full[a]], da = d[a], wa = dw[a];
        let acc = s1[a];
        for (let q = 0; q < m; q++) {
          const r = drawn[q];
          const v = x[r] - mu, vw = v * w[r];
          da[q] = v;
          wa[q] = vw;
          acc += vw;
        }
        s1[a] = acc;
      }
      for (let a = 0; a < f; a++) {
        const wa = dw[a];
        let b = a;
        // Four pairs at a time share each load of wa (the sums' order per pair is unchanged).
        for (; b + 3 < f; b += 4) {
          const d0 = d[b], d1 = d[b + 1], d2 = d[b + 2], d3 = d[b + 3];
          let c0 = s2[a * f + b], c1 = s2[a * f + b + 1], c2 = s2[a * f + b + 2], c3 = s2[a * f + b + 3];
          for (let r = 0; r < m; r++) {
            const x = wa[r];
            c0 += x * d0[r];
            c1 += x * d1[r];
            c2 += x * d2[r];
            c3 += x * d3[r];
          }
          s2[a * f + b] = c0;
          s2[a * f + b + 1] = c1;
          s2[a * f + b + 2] = c2;
          s2[a * f + b + 3] = c3;
        }
        for (; b < f; b++) {
          const db = d[b];
          let acc = s2[a * f + b];
          for (let r = 0; r < m; r++) acc += wa[r] * db[r];
          s2[a * f + b] = acc;
        }
      }
    }
    if (W >= 2) {
      for (let a = 0; a < f; a++) {
        for (let b = a + 1; b < f; b++) {
          const ma = s1[a] / W, mb = s1[b] / W;
          const va = s2[a * f + a] / W - ma * ma, vb = s2[b * f + b] / W - mb * mb, cov = s2[a * f + b] / W - ma * mb;
          out[pairOf(full[a], full[b])] = corr(cov, va, vb);
        }
      }
    }
  }
  // Pairs with a column that has missing values: pairwise-complete rows.
  for (let x = 0; x < num.length; x++) {
    for (let y = x + 1; y < num.length; y++) {
      const i = num[x], j = num[y];
      if (!missing[i] && !missing[j]) continue;
      const a = values(i), b = values(j), mi = shift[i], mj = shift[j];
      let W = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
      for (let r = 0; r < n; r++) {
        const wr = w[r], u = a[r], v = b[r];
        if (wr === 0 || u !== u || v !== v) continue;
        const du = u - mi, dv = v - mj;
        W += wr;
        sa += wr * du;
        sb += wr * dv;
        saa += wr * du * du;
        sbb += wr * dv * dv;
        sab += wr * du * dv;
      }
      if (W < 2) continue;
      const ma = sa / W, mb = sb / W;
      const va = saa / W - ma * ma, vb = sbb / W - mb * mb;
      // Constant on the complete rows (the moments leave a rounding residue instead of 0).
      if (!(va > 1e-12 * (saa / W)) || !(vb > 1e-12 * (sbb / W))) continue;
      out[pairOf(i, j)] = corr(sab / W - ma * mb, va, vb);
    }
  }
  return out;
}

function corr(cov: number, va: number, vb: number): number {
  if (!(va > 0 && vb > 0)) return NaN;
  const r = cov / Math.sqrt(va * vb);
  return r > 1 ? 1 : r < -1 ? -1 : r;
}
