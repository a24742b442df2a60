import type { Rng } from '../../random.js';
import { binomial } from './binomial.js';

/** Resamples used for every privacy interval. */
export const BOOTSTRAP_RESAMPLES = 200;

/**
 * Most rows drawn per bootstrap resample by default in {@link bootstrapInterval} (pMSE and precision / recall /
 * density / coverage use it). Above it a resample draws this many rows (m-out-of-n) and the interval is the full-data
 * statistic + √(m/n) · (quantiles of the resampled statistics − their mean), which carries the spread of m-row samples
 * over to n rows. The privacy metrics do not use it: they resample all rows ({@link meanBootstrapInterval}, or
 * `maxRows` Infinity), because at 1M rows the grouped resampling costs milliseconds.
 */
export const BOOTSTRAP_MAX_ROWS = 100_000;

/**
 * 95% percentile bootstrap interval of `stat` over rows: each resample draws n rows with replacement (as counts per
 * row) and calls `stat(counts)`. Returns null for fewer than 2 rows. Above `maxRows` (default
 * {@link BOOTSTRAP_MAX_ROWS}) rows, each resample draws that many rows and the spread is rescaled (m-out-of-n; `stat`
 * must accept counts summing to m). The privacy metrics pass `maxRows` Infinity (every resample draws all n rows) or
 * use {@link meanBootstrapInterval}; pMSE and precision / recall / density / coverage keep the default.
 * @example bootstrapInterval(n, createRng(seed, 'dcr'), (w) => weightedMean(values, w))
 */
export function bootstrapInterval(n: number, rng: Rng, stat: (counts: Int32Array) => number, resamples = BOOTSTRAP_RESAMPLES, maxRows = BOOTSTRAP_MAX_ROWS): [number, number] | undefined {
  if (n < 2) return undefined;
  const m = Math.min(n, maxRows);
  const counts = new Int32Array(n);
  const out = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    counts.fill(0);
    for (let i = 0; i < m; i++) counts[rng.int(n)]++;
    out[b] = stat(counts);
  }
  const v = Array.from(out).filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length < 2) return undefined;
  if (m === n) return [quantile(v, 0.025), quantile(v, 0.975)];
  counts.fill(1);
  const full = stat(counts);
  const mean = v.reduce((a, x) => a + x, 0) / v.length, k = Math.sqrt(m / n);
  let lo = full + k * (quantile(v, 0.025) - mean), hi = full + k * (quantile(v, 0.975) - mean);
  // Scores in [0, 1] stay there (every use is a score): clamp when the statistic and its resamples are in range.
  if (full >= 0 && full <= 1 && v[0] >= 0 && v[v.length - 1] <= 1) {
    lo = Math.max(0, lo);
    hi = Math.min(1, hi);
  }
  return [lo, hi];
}

/** Distinct values up to which {@link meanBootstrapInterval} resamples group counts instead of rows. */
const MAX_GROUPS = 64;

/**
 * 95% percentile bootstrap interval of `stat(mean of values)` over all n rows (no m-out-of-n): each of `resamples`
 * resamples draws n rows with replacement, as {@link bootstrapInterval} does with `maxRows` Infinity, but cheaply.
 * When `values` take at most 64 distinct values (shares: 0 / 1 indicators, ties as 0.5), a resample depends on the
 * rows only through how many it draws of each value, and those counts are Multinomial(n, group shares): drawn exactly
 * by one conditional binomial per value ({@link binomial}, O(log n)), so a resample costs O(values · log n) instead
 * of O(n). Otherwise each resample sums n values at uniformly drawn rows (O(n), no per-row count array).
 * Returns undefined for fewer than 2 rows or fewer than 2 finite resampled statistics.
 * @example meanBootstrapInterval(hits, createRng(seed, 'identical-match'), (m) => 1 - m) // e.g. [0.9991, 0.9995]
 */
export function meanBootstrapInterval(values: Float64Array, rng: Rng, stat: (mean: number) => number = (m) => m, resamples = BOOTSTRAP_RESAMPLES): [number, number] | undefined {
  const n = values.length;
  if (n < 2) return undefined;
  const levels: number[] = [], sizes: number[] = [];
  let grouped = true, last = 0;
  for (let i = 0; i < n && grouped; i++) {
    const v = values[i];
    if (levels.length && Object.is(levels[last], v)) { sizes[last]++; continue; }
    let g = levels.findIndex((x) => Object.is(x, v));
    if (g < 0) {
      if (levels.length === MAX_GROUPS) { grouped = false; break; }
      g = levels.push(v) - 1;
      sizes.push(0);
    }
    sizes[g]++;
    last = g;
  }
  const out: number[] = [];
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    if (grouped) {
      let left = n, rest = n;
      for (let g = 0; g < levels.length && left > 0; g++) {
        const c = g === levels.length - 1 ? left : binomial(rng, left, sizes[g] / rest);
        if (c) sum += c * levels[g];
        left -= c;
        rest -= sizes[g];
      }
    } else for (let i = 0; i < n; i++) sum += values[rng.int(n)];
    const s = stat(sum / n);
    if (Number.isFinite(s)) out.push(s);
  }
  if (out.length < 2) return undefined;
  out.sort((a, b) => a - b);
  return [quantile(out, 0.025), quantile(out, 0.975)];
}

/** Mean of `values` weighted by `counts` (all weights 1 when omitted). */
export function weightedMean(values: ArrayLike<number>, counts?: Int32Array): number {
  let s = 0, w = 0;
  for (let i = 0; i < values.length; i++) {
    const c = counts ? counts[i] : 1;
    s += c * values[i];
    w += c;
  }
  return w > 0 ? s / w : NaN;
}

/** Linear-interpolated quantile of an ascending array (type 7). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (!sorted.length) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Quantiles (p5, median, p95), mean of finite values; never row values, only summaries of distances. */
export function summarize(values: Float64Array): { mean: number; p5: number; median: number; p95: number } {
  const v = values.filter(Number.isFinite).sort();
  return { mean: round(weightedMean(v)), p5: round(quantile(v, 0.05)), median: round(quantile(v, 0.5)), p95: round(quantile(v, 0.95)) };
}

/** Rounds to 6 significant digits for JSON details (NaN → NaN). */
export function round(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : x;
}

/**
 * Area under the ROC curve of `scores` for positives (`label` 1) against negatives (0), ties counted half
 * (Mann–Whitney U / (n₁ n₀)), with optional per-row counts for the bootstrap. `order` is the ascending order of
 * `scores` (computed once and reused across resamples). O(n).
 * @example auc(Float64Array.of(0.1, 0.9), Uint8Array.of(0, 1), Int32Array.of(0, 1)) // 1
 */
export function auc(scores: Float64Array, label: Uint8Array, order: Int32Array, counts?: Int32Array): number {
  let negBelow = 0, u = 0, pos = 0, neg = 0;
  const n = order.length;
  let i = 0;
  while (i < n) {
    let j = i;
    let tiePos = 0, tieNeg = 0;
    const s = scores[order[i]];
    while (j < n && scores[order[j]] === s) {
      const r = order[j];
      const w = counts ? counts[r] : 1;
      if (label[r]) tiePos += w;
      else tieNeg += w;
      j++;
    }
    u += tiePos * (negBelow + tieNeg / 2);
    negBelow += tieNeg;
    pos += tiePos;
    neg += tieNeg;
    i = j;
  }
  return pos > 0 && neg > 0 ? u / (pos * neg) : NaN;
}

/** Ascending order of `scores` (NaN last). */
export function ascendingOrder(scores: Float64Array): Int32Array {
  const idx = new Int32Array(scores.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  const keyed = Array.from(idx).sort((a, b) => {
    const x = scores[a], y = scores[b];
    return x < y ? -1 : x > y ? 1 : x === y ? a - b : x !== x ? (y !== y ? a - b : 1) : -1;
  });
  return Int32Array.from(keyed);
}

/** Histogram of finite `values` on `edges` (ascending; the last bin includes its right edge). */
export function histogram(values: Float64Array, edges: number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  const lo = edges[0], hi = edges[edges.length - 1];
  const nb = counts.length;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!(x >= lo && x <= hi)) continue;
    let b = Math.floor(((x - lo) / (hi - lo)) * nb);
    if (b >= nb) b = nb - 1;
    counts[b]++;
  }
  return counts;
}
