import { decide, skippedResult, type DriftTest, type DriftTestInfo } from '../drift-test.js';
import { twoProportionZ } from './two-proportion.js';

const info: DriftTestInfo = {
  id: 'missing-share@1',
  title: 'Share of missing values',
  statistic: 'distance',
  defaultThreshold: 0.1,
  appliesTo: ['numeric', 'categorical'],
  symmetric: ['numeric', 'categorical'],
  description: "Cohen's h between the shares of missing values, h = |2·asin√p₁ − 2·asin√p₂|; drift when h ≥ threshold and the change is significant (two-proportion p < 0.05).",
};

/**
 * Change in the share of missing values, as Cohen's h = |2·asin√p_ref − 2·asin√p_cur| (0 = same share; 0.2 is a
 * "small" effect). Drift when h ≥ threshold (default 0.1, e.g. 1 % → 3 % missing) and a two-proportion z-test
 * finds the change significant at 0.05, so a handful of rows cannot raise it. Runs on every column type,
 * id and text included.
 * @example missingShareTest.run(ref, cur).details // { shareReference: 0.01, shareCurrent: 0.08, p: 1e-12 }
 */
export const missingShareTest: DriftTest = {
  info,
  run(ref, cur, opts = {}) {
    const threshold = opts.threshold ?? info.defaultThreshold;
    if (ref.rows === 0 || cur.rows === 0) return skippedResult(info, ref.name, threshold, 'no rows on one side');
    const p1 = ref.nulls / ref.rows, p2 = cur.nulls / cur.rows;
    const h = Math.abs(2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p2)));
    const { p } = twoProportionZ(ref.nulls, ref.rows, cur.nulls, cur.rows);
    const r = decide(info, ref.name, h, threshold, { details: { shareReference: p1, shareCurrent: p2, p } });
    if (r.drifted && !(p < 0.05)) {
      r.drifted = false;
      r.note = 'the change in missing share is not significant at 0.05 for these sample sizes';
    }
    return r;
  },
};
