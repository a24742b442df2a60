import type { Table } from '../../table/table.js';
import type { RowWeights } from '../metric.js';
import { allPairCounts, type PairTables } from './pair-tables.js';
import { pairTrendsOfTables, type PairTrend } from './pair-trends.js';
import { columnSummaries, weightedColumns, type ColumnSummary, type WeightedColumns } from './weighted-columns.js';

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
        codes[side].push(new Int32Array(v.length));
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
  if (!c) {
    c = { tables: build(wc, prep, w) };
    wc.extra.set(w, c);
  }
  return c;
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
      const out = prep.codes[side][i], p = pos[side];
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
    for (let s = 0; s < n; s += BLOCK_ROWS) {
      const m = Math.min(BLOCK_ROWS, n - s);
      for (let a = 0; a < f; a++) {
        const x = values(full[a]), mu = shift[full[a]], da = d[a], wa = dw[a];
        let acc = s1[a];
        for (let r = 0; r < m; r++) {
          const v = x[s + r] - mu, vw = v * w[s + r];
          da[r] = v;
          wa[r] = vw;
          acc += vw;
        }
        s1[a] = acc;
      }
      for (let a = 0; a < f; a++) {
        const wa = dw[a];
        for (let b = a; b < f; b++) {
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
