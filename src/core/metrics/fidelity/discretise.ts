import type { AlignedColumn } from '../aligned.js';

/**
 * A column of several tables as small integer codes: 0 = missing, 1..k-1 = a category or a numeric bin.
 * Numeric bins use cut points taken from the first table (the real data), so every table is binned on the same
 * edges; values beyond the real range fall into the end bins.
 */
export interface Discretised {
  name: string;
  /** Number of codes including the missing code 0. */
  size: number;
  codes: Int32Array[];
  /** Inner cut points for numeric columns (bin i covers (cut[i-2], cut[i-1]]); null for categorical ones. */
  cuts: Float64Array | null;
}

/** Default number of quantile bins for numeric columns. */
export const DEFAULT_BINS = 10;

/**
 * Cut points at the 1/bins … (bins−1)/bins quantiles of the non-missing values (duplicates removed).
 * O(n log n). Empty when there are no values.
 * @example quantileCuts(Float64Array.of(1, 2, 3, 4), 2) // [2]
 */
export function quantileCuts(values: Float64Array, bins = DEFAULT_BINS): Float64Array {
  const s = Float64Array.from(values).sort();
  let n = s.length;
  while (n > 0 && s[n - 1] !== s[n - 1]) n--;
  if (n === 0) return new Float64Array(0);
  const cuts: number[] = [];
  for (let q = 1; q < bins; q++) {
    const v = s[Math.min(n - 1, Math.floor((q * n) / bins))];
    if (v !== s[n - 1] && (cuts.length === 0 || v > cuts[cuts.length - 1])) cuts.push(v);
  }
  return Float64Array.from(cuts);
}

/**
 * Codes every table's copy of `col` (see Discretised); numeric edges come from `col`'s first table.
 * O(rows · log bins).
 * @example discretise(aligned[0]).codes[1] // codes of the synthetic copy
 */
export function discretise(col: AlignedColumn, bins = DEFAULT_BINS): Discretised {
  if (col.kind === 'categorical') {
    return {
      name: col.name,
      size: col.levels + 1,
      cuts: null,
      codes: col.codes.map((c) => {
        const out = new Int32Array(c.length);
        for (let i = 0; i < c.length; i++) out[i] = c[i] + 1;
        return out;
      }),
    };
  }
  const cuts = quantileCuts(col.values[0], bins);
  const codes = col.values.map((v) => {
    const out = new Int32Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x !== x) continue; // missing → 0
      let lo = 0, hi = cuts.length; // number of cuts < x
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cuts[mid] < x) lo = mid + 1;
        else hi = mid;
      }
      out[i] = lo + 1;
    }
    return out;
  });
  return { name: col.name, size: cuts.length + 2, codes, cuts };
}
