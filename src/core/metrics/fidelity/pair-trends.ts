import type { AlignedColumn } from '../aligned.js';
import { contingency, cramersV } from './contingency.js';
import type { Discretised } from './discretise.js';
import { pearson } from './pearson.js';
import { contingencyTvEmbedded, pairIndex, type PairTables } from './pair-tables.js';

/** Real |Pearson| above which a numeric pair counts as strongly related. */
export const RELATED_PEARSON = 0.5;
/** Real Cramér's V (binned table) above which a non-numeric pair counts as strongly related. */
export const RELATED_CRAMERS_V = 0.3;

/** How well one column pair's relationship is kept. */
export interface PairTrend {
  a: string;
  b: string;
  /** 'correlation' for numeric pairs with defined correlations, 'contingency' otherwise. */
  method: 'correlation' | 'contingency';
  /** Strength in the real data: |Pearson| or Cramér's V. */
  realStrength: number;
  /** Real Pearson (correlation pairs) — the signed value. */
  realCorrelation?: number;
  /** Compared table's Pearson (correlation pairs). */
  otherCorrelation?: number;
  /** 1 − |ρ_real − ρ_other| / 2, or 1 − TVD of the two-way tables. 1 = relationship kept. */
  score: number;
  /** True when the real pair is strongly related (see RELATED_PEARSON, RELATED_CRAMERS_V). */
  related: boolean;
}

/**
 * Pair trends between table 0 (real) and table `other` of the aligned columns, over every column pair:
 * numeric pairs compare Pearson correlations (1 − |ρ_r − ρ_s|/2); other pairs — and numeric pairs whose
 * correlation is undefined — compare the two-way contingency tables of the discretised codes (numbers binned on
 * the real edges, missing as its own code): 1 − TVD. O(pairs · rows).
 * @example pairTrends(cols, cols.map((c) => discretise(c)), 1).filter((p) => p.related)
 */
export function pairTrends(cols: readonly AlignedColumn[], disc: readonly Discretised[], other = 1): PairTrend[] {
  return trends(cols, disc, other, null);
}

/**
 * {@link pairTrends} of a real and another table from their precomputed {@link PairTables} (real counts and
 * correlations shared across comparisons, every pair counted in one blocked pass): the same trends, value for value.
 * @example pairTrendsOfTables(pairTables(train, synthetic))
 */
export function pairTrendsOfTables(t: PairTables): PairTrend[] {
  return trends(t.cols, t.disc, 1, t);
}

function trends(cols: readonly AlignedColumn[], disc: readonly Discretised[], other: number, pre: PairTables | null): PairTrend[] {
  const out: PairTrend[] = [];
  const p = cols.length;
  let buf = new Float64Array(0), buf2 = new Float64Array(0);
  for (let i = 0; i < p; i++) {
    for (let j = i + 1; j < p; j++) {
      const ci = cols[i], cj = cols[j];
      const k = pairIndex(i, j, p);
      if (ci.kind === 'numeric' && cj.kind === 'numeric') {
        const rr = pre ? pre.realCorrelation[k] : pearson(ci.values[0], cj.values[0]);
        const rs = pre ? pre.otherCorrelation[k] : pearson(ci.values[other], cj.values[other]);
        if (rr === rr && rs === rs) {
          const abs = Math.abs(rr);
          out.push({ a: ci.name, b: cj.name, method: 'correlation', realStrength: abs, realCorrelation: rr, otherCorrelation: rs, score: 1 - Math.abs(rr - rs) / 2, related: abs > RELATED_PEARSON });
          continue;
        }
      }
      const di = disc[i], dj = disc[j];
      let tr: Float64Array, ts: Float64Array, ra: number, rb: number;
      if (pre) {
        tr = pre.real[k];
        ts = pre.other[k];
        ra = pre.realSizes[i];
        rb = pre.realSizes[j];
      } else {
        const cells = di.size * dj.size;
        if (buf.length < cells) {
          buf = new Float64Array(cells);
          buf2 = new Float64Array(cells);
        }
        tr = contingency(di.codes[0], dj.codes[0], di.size, dj.size, buf);
        ts = contingency(di.codes[other], dj.codes[other], di.size, dj.size, buf2);
        ra = di.size;
        rb = dj.size;
      }
      const v = cramersV(tr, ra, rb);
      const tv = contingencyTvEmbedded(tr, ra, rb, ts, di.size, dj.size);
      out.push({ a: ci.name, b: cj.name, method: 'contingency', realStrength: v, score: tv === tv ? 1 - tv : NaN, related: v > RELATED_CRAMERS_V });
    }
  }
  return out;
}
