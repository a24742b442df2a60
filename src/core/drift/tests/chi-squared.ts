import { binnedCounts } from '../distribution.js';
import { decide, skippedResult, skipReason, type DriftTest, type DriftTestInfo } from '../drift-test.js';
import { chiSquaredSurvival } from '../math/gamma.js';

const info: DriftTestInfo = {
  id: 'chi-squared@1',
  title: 'Chi-squared',
  statistic: 'p-value',
  defaultThreshold: 0.05,
  appliesTo: ['categorical', 'numeric'],
  symmetric: ['categorical'],
  description: 'Pearson chi-squared test of homogeneity on the 2 × k table of counts (categories, or reference-decile bins for numbers).',
};

/**
 * Pearson's chi-squared test of homogeneity: X² = Σ (O − E)² / E over the 2 × k table of reference and current
 * counts, E from the margins, k − 1 degrees of freedom (categories seen on neither side are dropped); p-value from
 * the regularised incomplete gamma function. Numeric columns use reference-decile bins. Default: p < 0.05.
 * @example chiSquaredTest.run(ref, cur).details // { chi2: 12.3, df: 3, ... }
 */
export const chiSquaredTest: DriftTest = {
  info,
  run(ref, cur, opts = {}) {
    const threshold = opts.threshold ?? info.defaultThreshold;
    const why = skipReason(info, ref, cur);
    if (why) return skippedResult(info, ref.name, threshold, why);
    const b = binnedCounts(ref, cur)!;
    const { chi2, df } = chiSquaredStatistic(b.ref, b.cur);
    return decide(info, ref.name, chiSquaredSurvival(chi2, df), threshold, { details: { chi2, df } });
  },
};

/**
 * Pearson X² and degrees of freedom for two count vectors over the same bins. Bins empty on both sides are
 * dropped; fewer than two bins gives X² = 0 and df = 0.
 * @example chiSquaredStatistic(Float64Array.of(10, 20), Float64Array.of(20, 10)) // { chi2: 6.67, df: 1 }
 */
export function chiSquaredStatistic(a: Float64Array, b: Float64Array): { chi2: number; df: number } {
  let na = 0, nb = 0, k = 0;
  for (let i = 0; i < a.length; i++) {
    na += a[i];
    nb += b[i];
    if (a[i] + b[i] > 0) k++;
  }
  const n = na + nb;
  if (k < 2 || na === 0 || nb === 0) return { chi2: 0, df: 0 };
  let chi2 = 0;
  for (let i = 0; i < a.length; i++) {
    const col = a[i] + b[i];
    if (col === 0) continue;
    const ea = (col * na) / n, eb = (col * nb) / n;
    chi2 += (a[i] - ea) ** 2 / ea + (b[i] - eb) ** 2 / eb;
  }
  return { chi2, df: k - 1 };
}
