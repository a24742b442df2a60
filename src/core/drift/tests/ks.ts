import { bucketRange } from '../../profile/quantile-sketch.js';
import { alignBuckets } from '../distribution.js';
import { decide, skippedResult, skipReason, type DriftTest, type DriftTestInfo } from '../drift-test.js';
import { ksPValue } from '../math/kolmogorov.js';

const info: DriftTestInfo = {
  id: 'ks@1',
  title: 'Kolmogorov–Smirnov',
  statistic: 'p-value',
  defaultThreshold: 0.05,
  appliesTo: ['numeric'],
  symmetric: ['numeric'],
  description:
    'Two-sample KS test: D is the largest gap between the two empirical CDFs; p-value exact for n·m ≤ 250,000, else asymptotic (Kolmogorov with Stephens’ correction).',
};

/**
 * Kolmogorov–Smirnov two-sample test on quantile sketches. D is read at bucket edges, where the sketch CDFs are
 * exact, so it is a lower bound of the data's D; the gap is at most `errorBound` = the largest share of one side
 * in a single bucket that can hold more than one value (buckets ≤ 1 wide hold one integer, so integer columns
 * below 256 in magnitude are exact). The decision uses the lower
 * bound (never flags drift the data do not show); when D + errorBound would flip it, `note` says so.
 * Default threshold: p < 0.05. Use for numeric columns with up to ~1000 rows per side (larger samples make
 * tiny shifts significant: use an effect size such as `wasserstein@1`).
 * @example ksTest.run(ref, cur) // { statistic: 'p-value', value: 0.41, drifted: false, details: { d: 0.12, ... } }
 */
export const ksTest: DriftTest = {
  info,
  run(ref, cur, opts = {}) {
    const threshold = opts.threshold ?? info.defaultThreshold;
    const why = skipReason(info, ref, cur);
    if (why) return skippedResult(info, ref.name, threshold, why);
    const al = alignBuckets(ref.sketch!, cur.sketch!);
    const integers = ref.integer && cur.integer;
    let fr = 0, fc = 0, d = 0, errorBound = 0;
    for (let k = 0; k < al.keys.length; k++) {
      fr += al.ref[k];
      fc += al.cur[k];
      const gap = Math.abs(fr / al.nRef - fc / al.nCur);
      if (gap > d) d = gap;
      // A bucket can hide spread unless it holds one value: zero, a constant, or integers in a bucket ≤ 1 wide.
      const [lo, hi] = bucketRange(al.keys[k]);
      const single = al.keys[k] === 0 || al.keys.length === 1 || (integers && hi - lo <= 1);
      if (!single) errorBound = Math.max(errorBound, al.ref[k] / al.nRef, al.cur[k] / al.nCur);
    }
    const p = ksPValue(d, al.nRef, al.nCur);
    const pWorst = errorBound > 0 ? ksPValue(Math.min(1, d + errorBound), al.nRef, al.nCur) : p;
    const note = p >= threshold && pWorst < threshold ? `inconclusive within the sketch's error bound (D ≤ ${+(d + errorBound).toFixed(4)})` : undefined;
    return decide(info, ref.name, p, threshold, { details: { d, errorBound, nReference: al.nRef, nCurrent: al.nCur }, note });
  },
};

