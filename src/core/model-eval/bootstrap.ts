import type { Rng } from '../random.js';

/**
 * Poisson bootstrap: instead of drawing n rows with replacement (which needs a re-sort or a gather per
 * resample), every row gets an independent Poisson(1) weight. For large n this matches the multinomial
 * bootstrap, and every metric can be computed from the original (pre-sorted) order with weights in O(n).
 */

/** Cumulative Poisson(1) probabilities scaled to 2^32, for k = 0..MAX_K-1 (the tail beyond is folded into MAX_K). */
const MAX_K = 12;
const CDF32 = (() => {
  const out = new Float64Array(MAX_K);
  let p = Math.exp(-1);
  let c = 0;
  for (let k = 0; k < MAX_K; k++) {
    c += p;
    out[k] = c * 4294967296;
    p /= k + 1;
  }
  return out;
})();

/**
 * Fills `out` with Poisson(1) counts drawn from `rng` (one 32-bit draw per row).
 * @example const w = new Uint8Array(n); poissonWeights(createRng(7), w);
 */
export function poissonWeights(rng: Rng, out: Uint8Array): Uint8Array {
  const c0 = CDF32[0], c1 = CDF32[1], c2 = CDF32[2];
  for (let i = 0; i < out.length; i++) {
    const u = rng.nextUint32();
    if (u < c0) out[i] = 0;
    else if (u < c1) out[i] = 1;
    else if (u < c2) out[i] = 2;
    else {
      let k = 3;
      while (k < MAX_K && u >= CDF32[k]) k++;
      out[i] = k;
    }
  }
  return out;
}

/**
 * Percentile interval of the finite values of `samples` (NaN resamples, e.g. a slice with no rows in that
 * resample, are skipped). `level` defaults to 0.95. Returns null when fewer than 2 finite values remain.
 * @example percentileInterval(Float64Array.of(0.1, 0.2, 0.3), 0.95) // ≈ [0.105, 0.295]
 */
export function percentileInterval(samples: Float64Array, level = 0.95): [number, number] | null {
  const v = samples.filter((x) => Number.isFinite(x)).sort();
  if (v.length < 2) return null;
  const a = (1 - level) / 2;
  return [quantileSorted(v, a), quantileSorted(v, 1 - a)];
}

/** Linear-interpolated quantile of an ascending array (type 7, as in R's default). */
export function quantileSorted(v: ArrayLike<number>, q: number): number {
  const h = (v.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(v.length - 1, lo + 1);
  return v[lo] + (h - lo) * (v[hi] - v[lo]);
}
