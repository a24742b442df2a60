import { categoryCounts } from '../distribution.js';
import { decide, skippedResult, skipReason, type DriftTest, type DriftTestInfo } from '../drift-test.js';
import { twoSidedNormalP } from '../math/gamma.js';

const info: DriftTestInfo = {
  id: 'two-proportion-z@1',
  title: 'Two-proportion z-test',
  statistic: 'p-value',
  defaultThreshold: 0.05,
  appliesTo: ['categorical'],
  symmetric: ['categorical'],
  description: 'z-test for equal shares of one of the two values of a binary column, with the pooled standard error.',
};

/**
 * Two-proportion z-test for binary columns (at most two distinct values over both sides): z = (p₁ − p₂) /
 * √(p̂(1 − p̂)(1/n₁ + 1/n₂)) with the pooled share p̂; two-sided normal p-value. p̂ of 0 or 1 gives z = 0, p = 1.
 * Default: p < 0.05.
 * @example twoProportionTest.run(ref, cur).details // { z: 2.4, shareReference: 0.31, shareCurrent: 0.35 }
 */
export const twoProportionTest: DriftTest = {
  info,
  run(ref, cur, opts = {}) {
    const threshold = opts.threshold ?? info.defaultThreshold;
    const why = skipReason(info, ref, cur);
    if (why) return skippedResult(info, ref.name, threshold, why);
    const c = categoryCounts(ref, cur)!;
    if (c.labels.length > 2) return skippedResult(info, ref.name, threshold, `the column has ${c.labels.length} values; the z-test needs at most 2`);
    const n1 = c.ref.reduce((s, x) => s + x, 0), n2 = c.cur.reduce((s, x) => s + x, 0);
    const { z, p } = twoProportionZ(c.ref[0], n1, c.cur[0], n2);
    return decide(info, ref.name, p, threshold, { details: { z, shareReference: c.ref[0] / n1, shareCurrent: c.cur[0] / n2 } });
  },
};

/**
 * Pooled two-proportion z statistic and its two-sided p-value for x₁ successes of n₁ and x₂ of n₂.
 * @example twoProportionZ(30, 100, 45, 100) // z ≈ −2.19, p ≈ 0.029
 */
export function twoProportionZ(x1: number, n1: number, x2: number, n2: number): { z: number; p: number } {
  if (!(n1 > 0) || !(n2 > 0)) return { z: 0, p: 1 };
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return { z: 0, p: 1 };
  const z = (x1 / n1 - x2 / n2) / se;
  return { z, p: twoSidedNormalP(z) };
}
