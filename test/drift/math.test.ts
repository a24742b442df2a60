import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chiSquaredSurvival, gammaP, gammaQ, logGamma, normalCdf, twoSidedNormalP } from '../../src/core/drift/math/gamma.js';
import { kolmogorovQ, ksExactSurvival, ksPValue } from '../../src/core/drift/math/kolmogorov.js';

function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

describe('special functions', () => {
  it('logGamma matches factorials', () => {
    for (let n = 1; n < 20; n++) {
      let f = 1;
      for (let k = 2; k < n; k++) f *= k;
      expect(logGamma(n)).toBeCloseTo(Math.log(f), 9);
    }
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 10);
  });

  it('gammaP(1, x) is 1 − e^−x and P + Q = 1', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 60, noNaN: true }), fc.double({ min: 0.1, max: 50, noNaN: true }), (x, a) => {
        expect(gammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 10);
        expect(gammaP(a, x) + gammaQ(a, x)).toBeCloseTo(1, 10);
      }),
    );
  });

  it('chi-squared critical values from the textbook table give their p-values', () => {
    // (x, df, p) from standard chi-squared tables.
    const table: [number, number, number][] = [
      [3.841, 1, 0.05], [6.635, 1, 0.01], [5.991, 2, 0.05], [7.815, 3, 0.05], [18.307, 10, 0.05], [23.209, 10, 0.01], [43.773, 30, 0.05],
    ];
    for (const [x, df, p] of table) expect(chiSquaredSurvival(x, df)).toBeCloseTo(p, 3);
    expect(chiSquaredSurvival(0, 3)).toBe(1);
  });

  it('normal CDF matches the table', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 12);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655254, 8);
    expect(twoSidedNormalP(2.575829)).toBeCloseTo(0.01, 6);
  });
});

describe('Kolmogorov distribution', () => {
  it('asymptotic critical values: Q(1.358) ≈ 0.05, Q(1.628) ≈ 0.01, Q(1.224) ≈ 0.10', () => {
    expect(kolmogorovQ(1.3581)).toBeCloseTo(0.05, 3);
    expect(kolmogorovQ(1.6276)).toBeCloseTo(0.01, 3);
    expect(kolmogorovQ(1.2238)).toBeCloseTo(0.1, 3);
    expect(kolmogorovQ(0)).toBe(1);
  });

  it('the two series agree where they switch and Q decreases', () => {
    expect(kolmogorovQ(1.18 - 1e-9)).toBeCloseTo(kolmogorovQ(1.18 + 1e-9), 7);
    let prev = 1;
    for (let l = 0.05; l < 3; l += 0.05) {
      const q = kolmogorovQ(l);
      expect(q).toBeLessThanOrEqual(prev + 1e-12);
      prev = q;
    }
  });

  it('exact two-sample survival equals the closed form for equal sizes', () => {
    // P(D_{n,n} ≥ k/n) = 2 Σ_{j≥1} (−1)^{j+1} C(2n, n − jk) / C(2n, n)   (Gnedenko–Korolyuk)
    for (const n of [3, 5, 8, 13, 20]) {
      for (let k = 1; k <= n; k++) {
        let s = 0;
        for (let j = 1; n - j * k >= 0; j++) s += (j % 2 ? 1 : -1) * Math.exp(logChoose(2 * n, n - j * k) - logChoose(2 * n, n));
        expect(ksExactSurvival(k / n, n, n)).toBeCloseTo(Math.min(1, 2 * s), 9);
      }
    }
    expect(ksExactSurvival(1, 3, 3)).toBeCloseTo(0.1, 12);
  });

  it('the asymptotic form approaches the exact one for large samples', () => {
    const exact = ksExactSurvival(0.1, 400, 450);
    const en = Math.sqrt((400 * 450) / 850);
    expect(kolmogorovQ((en + 0.12 + 0.11 / en) * 0.1)).toBeCloseTo(exact, 2);
    expect(ksPValue(0, 10, 10)).toBe(1);
  });
});
