import { binnedCounts, proportions } from '../distribution.js';
import { decide, skippedResult, skipReason, type DriftTest, type DriftTestInfo } from '../drift-test.js';

const info: DriftTestInfo = {
  id: 'psi@1',
  title: 'Population stability index',
  statistic: 'distance',
  defaultThreshold: 0.1,
  appliesTo: ['numeric', 'categorical'],
  symmetric: ['categorical'],
  description: 'PSI = Σ (c − r)·ln(c / r) over bins (categories, or reference deciles plus two out-of-range bins); shares floored at 0.0001.',
};

/** Share floor that keeps empty bins finite. */
export const PSI_FLOOR = 1e-4;

/**
 * Population stability index over shared bins: Σ (cᵢ − rᵢ)·ln(cᵢ / rᵢ), shares floored at 0.0001. Numeric
 * columns use the reference's deciles plus a bin below and above its range. Rule of thumb: < 0.1 stable,
 * 0.1–0.25 moderate, > 0.25 large. Default threshold 0.1 (drift when PSI ≥ 0.1).
 * @example psiTest.run(ref, cur).value // 0.02
 */
export const psiTest: DriftTest = {
  info,
  run(ref, cur, opts = {}) {
    const threshold = opts.threshold ?? info.defaultThreshold;
    const why = skipReason(info, ref, cur);
    if (why) return skippedResult(info, ref.name, threshold, why);
    const b = binnedCounts(ref, cur)!;
    return decide(info, ref.name, psi(proportions(b.ref), proportions(b.cur)), threshold, { details: { bins: b.labels.length } });
  },
};

/**
 * PSI of two share vectors over the same bins. 0 for identical shares; symmetric in its arguments.
 * @example psi(Float64Array.of(0.5, 0.5), Float64Array.of(0.25, 0.75)) // 0.25·ln 2 + 0.25·ln(3/2)... ≈ 0.2747
 */
export function psi(r: Float64Array, c: Float64Array): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) {
    if (r[i] === 0 && c[i] === 0) continue;
    const a = Math.max(r[i], PSI_FLOOR), b = Math.max(c[i], PSI_FLOOR);
    s += (b - a) * Math.log(b / a);
  }
  return s;
}
