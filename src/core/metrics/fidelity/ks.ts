/**
 * Two-sample Kolmogorov–Smirnov statistic with missing values kept: a missing value is ordered below every number,
 * so D = max over thresholds t of |F_a(t) − F_b(t)| where F(t) = (missing + values ≤ t) / n. Without missing
 * values this is the textbook statistic; a difference in missing share alone raises D by that difference.
 * Returns a value in [0, 1]; 0 = same distribution, 1 = no overlap. NaN when either sample is empty.
 * O((n + m) log(n + m)) (one sort of each sample; inputs are not modified).
 * @example ksStatistic(Float64Array.of(1, 2, 3), Float64Array.of(1, 2, 4)) // 1/3
 */
export function ksStatistic(a: Float64Array, b: Float64Array): number {
  const n = a.length, m = b.length;
  if (n === 0 || m === 0) return NaN;
  const sa = Float64Array.from(a).sort(); // NaN sorts last
  const sb = Float64Array.from(b).sort();
  let na = n, nb = m;
  while (na > 0 && sa[na - 1] !== sa[na - 1]) na--;
  while (nb > 0 && sb[nb - 1] !== sb[nb - 1]) nb--;
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
