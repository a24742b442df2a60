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

/** Poisson(1) quantile of every 16-bit uniform: LUT16[u] = smallest k with P(X ≤ k) > u / 65536. The 1/65536
 *  resolution moves each probability by less than 1.6e-5 (counts above 7 fold into 7). */
const LUT16 = (() => {
  const lut = new Uint8Array(65536);
  let k = 0;
  for (let u = 0; u < 65536; u++) {
    while (k < MAX_K - 1 && u * 65536 >= CDF32[k]) k++;
    lut[u] = k;
  }
  return lut;
})();

/**
 * Fills `out` with Poisson(1) counts drawn from `rng` (two rows per 32-bit draw, via a 16-bit quantile table).
 * @example const w = new Uint8Array(n); poissonWeights(createRng(7), w);
 */
export function poissonWeights(rng: Rng, out: Uint8Array): Uint8Array {
  const n = out.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const u = rng.nextUint32();
    out[i] = LUT16[u & 0xffff];
    out[i + 1] = LUT16[u >>> 16];
  }
  if (i < n) out[i] = LUT16[rng.nextUint32() & 0xffff];
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

/**
 * Poisson-bootstrap weights for aggregated rows: key j stands for `mult[j]` identical rows, and the sum of their
 * independent Poisson(1) weights is one Poisson(mult[j]) draw. Exact inversion up to a mean of 40, a rounded
 * normal draw above (its error is far below the bootstrap's own). Returns `out`.
 * @example poissonCounts(createRng(1), Float64Array.of(1, 5, 1000), new Float64Array(3))
 */
export function poissonCounts(rng: Rng, mult: Float64Array, out: Float64Array): Float64Array {
  for (let j = 0; j < mult.length; j++) {
    const m = mult[j];
    if (m === 1) out[j] = LUT16[rng.nextUint32() & 0xffff];
    else if (m <= 0) out[j] = 0;
    else if (m <= 40) {
      const u = rng.next();
      let p = Math.exp(-m), c = p, k = 0;
      while (u >= c && k < 200) {
        k++;
        p *= m / k;
        c += p;
      }
      out[j] = k;
    } else out[j] = Math.max(0, Math.round(m + Math.sqrt(m) * rng.normal()));
  }
  return out;
}
