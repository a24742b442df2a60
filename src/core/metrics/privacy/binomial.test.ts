import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../random.js';
import { binomial } from './binomial.js';

describe('binomial', () => {
  it('binomial(rng, n, p) has mean n·p and variance n·p·(1 − p) (2,000 draws, n = 1M)', () => {
    const rng = createRng(11);
    const n = 1_000_000, p = 0.3, m = 2000;
    let s = 0, s2 = 0;
    for (let i = 0; i < m; i++) {
      const k = binomial(rng, n, p);
      s += k;
      s2 += k * k;
    }
    const mean = s / m, variance = s2 / m - mean * mean;
    const sd = Math.sqrt(n * p * (1 - p));
    expect(Math.abs(mean - n * p)).toBeLessThan((4 * sd) / Math.sqrt(m));
    expect(variance / (sd * sd)).toBeGreaterThan(0.85);
    expect(variance / (sd * sd)).toBeLessThan(1.15);
  });

  it('binomial(rng, n, p) matches the exact probabilities for n = 200, p = 0.07 (chi-square over 20,000 draws)', () => {
    const rng = createRng(12);
    const n = 200, p = 0.07, m = 20_000;
    const counts = new Float64Array(n + 1);
    for (let i = 0; i < m; i++) counts[binomial(rng, n, p)]++;
    // Exact pmf by the recurrence P(k+1) = P(k)·(n−k)/(k+1)·p/(1−p); cells with expected < 5 pooled into their neighbours.
    const pmf = new Float64Array(n + 1);
    pmf[0] = Math.pow(1 - p, n);
    for (let k = 0; k < n; k++) pmf[k + 1] = (pmf[k] * (n - k) * p) / ((k + 1) * (1 - p));
    let chi2 = 0, cells = 0, eAcc = 0, oAcc = 0;
    for (let k = 0; k <= n; k++) {
      eAcc += pmf[k] * m;
      oAcc += counts[k];
      if (eAcc >= 5 || k === n) {
        chi2 += ((oAcc - eAcc) * (oAcc - eAcc)) / Math.max(eAcc, 1e-9);
        cells++;
        eAcc = 0;
        oAcc = 0;
      }
    }
    // 99.9% point of chi-square with ~cells − 1 degrees of freedom is below cells + 4·√(2·cells) + 10.
    expect(chi2).toBeLessThan(cells + 4 * Math.sqrt(2 * cells) + 10);
  });

  it('binomial stays in [0, n], is n at p = 1, 0 at p = 0, and repeats for a seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5_000_000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer(), (n, p, seed) => {
        const k = binomial(createRng(seed), n, p);
        expect(k).toBeGreaterThanOrEqual(0);
        expect(k).toBeLessThanOrEqual(n);
        expect(Number.isInteger(k)).toBe(true);
        expect(binomial(createRng(seed), n, p)).toBe(k);
        expect(binomial(createRng(seed), n, 1)).toBe(n);
        expect(binomial(createRng(seed), n, 0)).toBe(0);
      }),
      { numRuns: 200, seed: 5 },
    );
  });
});
