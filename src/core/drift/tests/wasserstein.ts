import { alignBuckets } from '../distribution.js';
import { decide, skippedResult, skipReason, type DriftTest, type DriftTestInfo } from '../drift-test.js';

const info: DriftTestInfo = {
  id: 'wasserstein@1',
  title: 'Wasserstein distance (normalised)',
  statistic: 'distance',
  defaultThreshold: 0.1,
  appliesTo: ['numeric'],
  symmetric: [],
  description: 'Earth mover’s distance W₁ = ∫|F_ref − F_cur| dx between the two distributions, divided by the reference’s standard deviation.',
};

/**
 * Wasserstein-1 distance from the quantile sketches, in units of the reference's standard deviation:
 * W₁ = Σ |F_ref(xᵢ) − F_cur(xᵢ)|·(xᵢ₊₁ − xᵢ) over bucket representatives. 0.1 means the mass moved on average a
 * tenth of a standard deviation. Scale when the reference is constant: the current std, else the larger
 * magnitude of the two constants (a relative difference), else 1. Default threshold 0.1. Not symmetric (the
 * scale is the reference's). Sketch error: each value is within 0.39 % (relative) of its bucket's midpoint.
 * @example wassersteinTest.run(ref, cur).details // { w1: 0.8, scale: 12.6 }
 */
export const wassersteinTest: DriftTest = {
  info,
  run(ref, cur, opts = {}) {
    const threshold = opts.threshold ?? info.defaultThreshold;
    const why = skipReason(info, ref, cur);
    if (why) return skippedResult(info, ref.name, threshold, why);
    const al = alignBuckets(ref.sketch!, cur.sketch!);
    let fr = 0, fc = 0, w1 = 0;
    for (let k = 0; k + 1 < al.keys.length; k++) {
      fr += al.ref[k] / al.nRef;
      fc += al.cur[k] / al.nCur;
      w1 += Math.abs(fr - fc) * (al.values[k + 1] - al.values[k]);
    }
    const sr = ref.sketch!.moments().std, sc = cur.sketch!.moments().std;
    const scale = sr > 0 ? sr : sc > 0 ? sc : Math.max(Math.abs(ref.sketch!.min), Math.abs(cur.sketch!.min)) || 1;
    return decide(info, ref.name, w1 / scale, threshold, { details: { w1, scale } });
  },
};
