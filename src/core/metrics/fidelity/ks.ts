/**
 * Two-sample Kolmogorov–Smirnov statistic with missing values kept: a missing value is ordered below every number,
 * so D = max over thresholds t of |F_a(t) − F_b(t)| where F(t) = (missing + values ≤ t) / n. Without missing
 * values this is the textbook statistic; a difference in missing share alone raises D by that difference.
 * Returns a value in [0, 1]; 0 = same distribution, 1 = no overlap. NaN when either sample is empty.
 * O((n + m) log(n + m)) (one sort of each sample; inputs are not modified; see {@link ksSorted} to reuse a sort).
 * @example ksStatistic(Float64Array.of(1, 2, 3), Float64Array.of(1, 2, 4)) // 1/3
 */
export function ksStatistic(a: Float64Array, b: Float64Array): number {
  if (a.length === 0 || b.length === 0) return NaN;
  return ksSorted(sortedPresent(a), sortedPresent(b));
}

/** The present (non-NaN) values of a sample, ascending, and how many values were missing. */
export interface SortedSample {
  sorted: Float64Array;
  missing: number;
}

/**
 * The present values of `values` ascending (a copy; -0 before +0, which compare equal) and the count of NaNs.
 * O(n log n).
 * @example sortedPresent(Float64Array.of(2, NaN, 1)) // { sorted: [1, 2], missing: 1 }
 */
export function sortedPresent(values: Float64Array): SortedSample {
  const s = Float64Array.from(values).sort(); // NaN sorts last
  let n = s.length;
  while (n > 0 && s[n - 1] !== s[n - 1]) n--;
  return { sorted: n === s.length ? s : s.subarray(0, n), missing: s.length - n };
}

/**
 * {@link ksStatistic} of two samples already sorted by {@link sortedPresent} (so one sort of a sample serves
 * several comparisons, e.g. the real column against the synthetic and the holdout one). The same value as
 * ksStatistic on the unsorted samples. O(n + m).
 * @example ksSorted(sortedPresent(real), sortedPresent(synthetic))
 */
export function ksSorted(a: SortedSample, b: SortedSample): number {
  const sa = a.sorted, sb = b.sorted;
  const na = sa.length, nb = sb.length;
  const n = na + a.missing, m = nb + b.missing;
  if (n === 0 || m === 0) return NaN;
  // Missing mass first.
  let fa = (n - na) / n, fb = (m - nb) / m;
  let d = Math.abs(fa - fb);
  let i = 0, j = 0;
  while (i < na || j < nb) {
    const t = j >= nb || (i < na && sa[i] <= sb[j]) ? sa[i] : sb[j];
    while (i < na && sa[i] <= t) i++;
    while (j < nb && sb[j] <= t) j++;
    fa = (n - na + i) / n;
    fb = (m - nb + j) / m;
    const diff = Math.abs(fa - fb);
    if (diff > d) d = diff;
  }
  return d;
}
