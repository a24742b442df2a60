import { binnedCounts, proportions } from '../distribution.js';
import { decide, skippedResult, skipReason, type DriftTest, type DriftTestInfo } from '../drift-test.js';

const info: DriftTestInfo = {
  id: 'jensen-shannon@1',
  title: 'Jensen–Shannon distance',
  statistic: 'distance',
  defaultThreshold: 0.1,
  appliesTo: ['numeric', 'categorical'],
  symmetric: ['categorical'],
  description: 'Square root of the Jensen–Shannon divergence (base 2) between the two distributions over shared bins; 0 identical, 1 disjoint.',
};

/**
 * Jensen–Shannon distance √JSD with base-2 logarithms, in [0, 1]: 0 for identical distributions, 1 for disjoint
 * ones. Categories as bins, or reference deciles plus out-of-range bins for numbers. Default threshold 0.1.
 * @example jensenShannonTest.run(ref, cur).value // 0.03
 */
export const jensenShannonTest: DriftTest = {
  info,
  run(ref, cur, opts = {}) {
    const threshold = opts.threshold ?? info.defaultThreshold;
    const why = skipReason(info, ref, cur);
    if (why) return skippedResult(info, ref.name, threshold, why);
    const b = binnedCounts(ref, cur)!;
    return decide(info, ref.name, jensenShannonDistance(proportions(b.ref), proportions(b.cur)), threshold, { details: { bins: b.labels.length } });
  },
};

/**
 * √(½ KL(p‖m) + ½ KL(q‖m)), m = (p + q)/2, base 2. Symmetric, in [0, 1].
 * @example jensenShannonDistance(Float64Array.of(1, 0), Float64Array.of(0, 1)) // 1
 */
export function jensenShannonDistance(p: Float64Array, q: Float64Array): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i] + q[i]) / 2;
    if (p[i] > 0) s += 0.5 * p[i] * Math.log2(p[i] / m);
    if (q[i] > 0) s += 0.5 * q[i] * Math.log2(q[i] / m);
  }
  return Math.sqrt(Math.min(1, Math.max(0, s)));
}
