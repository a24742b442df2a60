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

/**
 * A reference sample prepared for many KS comparisons ({@link ksAgainst}): its distinct present values ascending,
 * how many of its values are ≤ each, its missing count, and a bucket table over [min, max] that finds a value's place
 * among the distinct values in a few steps.
 */
export interface KsReference {
  distinct: Float64Array;
  /** cumulative[k] = present values ≤ distinct[k]. */
  cumulative: Int32Array;
  present: number;
  missing: number;
  /** Bucket g covers [min + g / scale, min + (g + 1) / scale): first[g] = first distinct index ≥ its start. */
  first: Int32Array;
  min: number;
  scale: number;
}

/**
 * Prepares `values` as the reference side of {@link ksAgainst} (one sort). O(n log n).
 * @example const ref = ksReference(real); ksAgainst(ref, synthetic) === ksStatistic(real, synthetic)
 */
export function ksReference(values: Float64Array): KsReference {
  const { sorted, missing } = sortedPresent(values);
  const n = sorted.length;
  let u = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) u++;
  const distinct = new Float64Array(u), cumulative = new Int32Array(u);
  for (let i = 0, k = -1; i < n; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct[++k] = sorted[i];
    cumulative[k] = i + 1;
  }
  return { distinct, cumulative, present: n, missing, ...bucketStarts(distinct) };
}

/**
 * A bucket table over ascending distinct values (2 buckets per value, at most 2^16, over [min, max]): bucket g covers
 * [min + g / scale, min + (g + 1) / scale) and first[g] is the first value's index ≥ its start (g = 0..buckets,
 * `buckets` = first.length − 1), so a search for x starts among a few values. scale = 0 (plain binary search) for
 * one value, none, or infinite ones. O(u + buckets).
 */
export function bucketStarts(distinct: Float64Array): { first: Int32Array; min: number; scale: number } {
  const u = distinct.length;
  const min = u ? distinct[0] : 0, max = u ? distinct[u - 1] : 0;
  const buckets = Math.max(1, Math.min(1 << 16, 2 * u));
  let scale = buckets / (max - min);
  if (!(Number.isFinite(scale) && scale > 0 && Number.isFinite(min))) scale = 0;
  const first = new Int32Array(buckets + 1);
  if (scale > 0) {
    for (let g = 0, k = 0; g <= buckets; g++) {
      const start = min + g / scale;
      while (k < u && distinct[k] < start) k++;
      first[g] = k;
    }
  }
  return { first, min, scale };
}

/**
 * {@link ksStatistic} of a prepared reference sample against `b`, without sorting `b`: each value of b is placed among
 * the reference's distinct values (equal to one, or strictly between two), and the statistic is the largest gap at the
 * candidate points — each reference value, and the largest b value below it (between two reference values the
 * reference CDF is flat and b's CDF rises, so the largest gap there is at one end). Every CDF value is computed from
 * the same counts by the same formula as ksStatistic, so the result is the same number bit for bit. O(m) expected.
 * @example ksAgainst(ksReference(Float64Array.of(1, 2, 3)), Float64Array.of(1, 2, 4)) // 1/3
 */
export function ksAgainst(ref: KsReference, b: Float64Array): number {
  const n = ref.present + ref.missing, m = b.length;
  if (n === 0 || m === 0) return NaN;
  const { distinct, cumulative, first, min, scale } = ref;
  const u = distinct.length, buckets = first.length - 1;
  // equal[k]: b values equal to distinct[k]; below[k]: b values strictly between distinct[k-1] and distinct[k]
  // (k = u: above the last).
  const equal = new Int32Array(u), below = new Int32Array(u + 1);
  let nb = 0;
  for (let i = 0; i < m; i++) {
    const x = b[i];
    if (x !== x) continue;
    nb++;
    // k = number of distinct values < x.
    let lo = 0, hi = u;
    if (scale > 0) {
      const g = Math.floor((x - min) * scale);
      if (g < 0) hi = 0;
      else if (g >= buckets) lo = first[buckets];
      else {
        lo = first[g];
        hi = first[g + 1];
      }
      // Rounding at bucket edges: widen until the answer is inside [lo, hi].
      while (lo > 0 && distinct[lo - 1] >= x) lo--;
      while (hi < u && distinct[hi] < x) hi++;
    }
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (distinct[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    if (lo < u && distinct[lo] === x) equal[lo]++;
    else below[lo]++;
  }
  const na = ref.present;
  let d = Math.abs((n - na) / n - (m - nb) / m);
  let j = 0; // b values ≤ the current point
  for (let k = 0; k < u; k++) {
    const ia = k > 0 ? cumulative[k - 1] : 0;
    if (below[k] > 0) {
      j += below[k];
      const diff = Math.abs((n - na + ia) / n - (m - nb + j) / m);
      if (diff > d) d = diff;
    }
    j += equal[k];
    const diff = Math.abs((n - na + cumulative[k]) / n - (m - nb + j) / m);
    if (diff > d) d = diff;
  }
  // Above the last reference value the reference CDF is 1 and b's rises towards it: no larger gap than at that value.
  return d;
}
