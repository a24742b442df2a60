import type { AlignedColumn } from '../aligned.js';
import { contingency, contingencyTv, cramersV } from './contingency.js';
import type { Discretised } from './discretise.js';
import { pearson } from './pearson.js';

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
  const out: PairTrend[] = [];
  let buf = new Float64Array(0), buf2 = new Float64Array(0);
  for (let i = 0; i < cols.length; i++) {
    for (let j = i + 1; j < cols.length; j++) {
      const ci = cols[i], cj = cols[j];
      if (ci.kind === 'numeric' && cj.kind === 'numeric') {
        const rr = pearson(ci.values[0], cj.values[0]);
        const rs = pearson(ci.values[other], cj.values[other]);
        if (rr === rr && rs === rs) {
          const abs = Math.abs(rr);
          out.push({ a: ci.name, b: cj.name, method: 'correlation', realStrength: abs, realCorrelation: rr, otherCorrelation: rs, score: 1 - Math.abs(rr - rs) / 2, related: abs > RELATED_PEARSON });
          continue;
        }
      }
      const di = disc[i], dj = disc[j];
      const cells = di.size * dj.size;
      if (buf.length < cells) {
        buf = new Float64Array(cells);
        buf2 = new Float64Array(cells);
      }
      const tr = contingency(di.codes[0], dj.codes[0], di.size, dj.size, buf);
      const ts = contingency(di.codes[other], dj.codes[other], di.size, dj.size, buf2);
      const v = cramersV(tr, di.size, dj.size);
      const tv = contingencyTv(tr, ts);
      out.push({ a: ci.name, b: cj.name, method: 'contingency', realStrength: v, score: tv === tv ? 1 - tv : NaN, related: v > RELATED_CRAMERS_V });
    }
  }
  return out;
}
