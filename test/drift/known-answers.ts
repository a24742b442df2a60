import { expect } from 'vitest';
import { chiSquaredStatistic, chiSquaredTest } from '../../src/core/drift/tests/chi-squared.js';
import { jensenShannonDistance, jensenShannonTest } from '../../src/core/drift/tests/jensen-shannon.js';
import { ksTest } from '../../src/core/drift/tests/ks.js';
import { missingShareTest } from '../../src/core/drift/tests/missing-share.js';
import { psi, psiTest } from '../../src/core/drift/tests/psi.js';
import { twoProportionTest, twoProportionZ } from '../../src/core/drift/tests/two-proportion.js';
import { wassersteinTest } from '../../src/core/drift/tests/wasserstein.js';
import { catProfile, numProfile, rep } from './helpers.js';

/** Known answers, each computed by hand (formulas in the comments) or from a textbook table. */
export const KNOWN_ANSWERS: Record<string, () => void> = {
  'ks@1': () => {
    // Disjoint samples of 5: D = 1, exact p = 2 / C(10, 5) = 2/252.
    const a = ksTest.run(numProfile([1, 2, 3, 4, 5]), numProfile([6, 7, 8, 9, 10]));
    expect(a.details!.d).toBe(1);
    expect(a.value).toBeCloseTo(2 / 252, 10);
    expect(a.drifted).toBe(true);
    // Overlap by 3: D = 0.4, p = 2·[C(10,3) − C(10,1)] / C(10,5) = 220/252 (Gnedenko–Korolyuk).
    const b = ksTest.run(numProfile([1, 2, 3, 4, 5]), numProfile([3, 4, 5, 6, 7]));
    expect(b.details!.d).toBeCloseTo(0.4, 12);
    expect(b.value).toBeCloseTo(220 / 252, 9);
    expect(b.details!.errorBound).toBe(0); // small integers sit alone in their buckets
  },
  'chi-squared@1': () => {
    // Counts (10, 20, 30) vs (20, 20, 20): expected 15, 20, 25 on each side, X² = 2·(25/15 + 0 + 25/25) = 16/3;
    // df = 2, so p = e^{−X²/2}.
    const { chi2, df } = chiSquaredStatistic(Float64Array.of(10, 20, 30), Float64Array.of(20, 20, 20));
    expect(chi2).toBeCloseTo(16 / 3, 12);
    expect(df).toBe(2);
    const r = chiSquaredTest.run(catProfile([...rep('a', 10), ...rep('b', 20), ...rep('c', 30)]), catProfile([...rep('a', 20), ...rep('b', 20), ...rep('c', 20)]));
    expect(r.value).toBeCloseTo(Math.exp(-8 / 3), 10);
    expect(r.drifted).toBe(false);
  },
  'two-proportion-z@1': () => {
    // 30/100 vs 45/100: pooled 0.375, se = √(0.375·0.625·0.02) = 0.068465, z = −2.1909, p = 0.02846.
    const { z, p } = twoProportionZ(30, 100, 45, 100);
    expect(z).toBeCloseTo(-2.1909, 4);
    expect(p).toBeCloseTo(0.02846, 4);
    const r = twoProportionTest.run(catProfile([...rep('a', 30), ...rep('b', 70)]), catProfile([...rep('a', 45), ...rep('b', 55)]));
    expect(r.value).toBeCloseTo(0.02846, 4);
    expect(r.drifted).toBe(true);
  },
  'psi@1': () => {
    // (0.5, 0.5) → (0.25, 0.75): (−0.25)·ln 0.5 + 0.25·ln 1.5 = 0.27465.
    expect(psi(Float64Array.of(0.5, 0.5), Float64Array.of(0.25, 0.75))).toBeCloseTo(0.25 * Math.log(2) + 0.25 * Math.log(1.5), 12);
    const r = psiTest.run(catProfile([...rep('a', 50), ...rep('b', 50)]), catProfile([...rep('a', 25), ...rep('b', 75)]));
    expect(r.value).toBeCloseTo(0.27465, 4);
    expect(r.drifted).toBe(true);
  },
  'jensen-shannon@1': () => {
    // p = (½, ½), q = (1, 0), m = (¾, ¼): KL(p‖m) = ½log₂(2/3) + ½log₂2, KL(q‖m) = log₂(4/3); JSD = mean.
    const jsd = 0.5 * (0.5 * Math.log2(2 / 3) + 0.5) + 0.5 * Math.log2(4 / 3);
    expect(jensenShannonDistance(Float64Array.of(0.5, 0.5), Float64Array.of(1, 0))).toBeCloseTo(Math.sqrt(jsd), 12);
    expect(jensenShannonDistance(Float64Array.of(1, 0), Float64Array.of(0, 1))).toBe(1);
    const r = jensenShannonTest.run(catProfile([...rep('a', 5), ...rep('b', 5)]), catProfile(rep('a', 10)));
    expect(r.value).toBeCloseTo(Math.sqrt(jsd), 12);
  },
  'wasserstein@1': () => {
    // (0,1,2,3) → (1,2,3,4): every unit moves by 1, W₁ = 1; reference std = √1.25. Buckets: 0.39 % relative error.
    const r = wassersteinTest.run(numProfile([0, 1, 2, 3]), numProfile([1, 2, 3, 4]));
    expect(r.details!.w1).toBeCloseTo(1, 1);
    expect(Math.abs(r.value - 1 / Math.sqrt(1.25))).toBeLessThan(0.01);
  },
  'missing-share@1': () => {
    // 1 % → 8 % missing over 1000 rows: h = 2·asin√0.08 − 2·asin√0.01 = 0.3731.
    const r = missingShareTest.run(numProfile([...rep(null, 10), ...rep(1, 990)]), numProfile([...rep(null, 80), ...rep(1, 920)]));
    expect(r.value).toBeCloseTo(2 * Math.asin(Math.sqrt(0.08)) - 2 * Math.asin(Math.sqrt(0.01)), 12);
    expect(r.drifted).toBe(true);
    // 0 → 2 missing out of 20 rows is a large h but not significant: not drift.
    const s = missingShareTest.run(numProfile(rep(1, 20)), numProfile([null, null, ...rep(1, 18)]));
    expect(s.value).toBeGreaterThan(0.1);
    expect(s.drifted).toBe(false);
  },
};
