import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import { calibratedProbability, calibrationKnots } from './marginalCalibration.js';

describe('marginal calibration', () => {
  it('G is monotone, in [0, 1], 0 below and 1 above the knots', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 300 }), fc.array(fc.double({ min: -2e6, max: 2e6, noNaN: true }), { minLength: 2, maxLength: 50 }), (vals, probes) => {
        const k = calibrationKnots(vals, 17)!;
        const sorted = [...probes].sort((a, b) => a - b);
        let last = -1;
        for (const p of sorted) {
          const u = calibratedProbability(k, p);
          expect(u).toBeGreaterThanOrEqual(0);
          expect(u).toBeLessThanOrEqual(1);
          expect(u).toBeGreaterThanOrEqual(last - 1e-12);
          last = u;
        }
        expect(calibratedProbability(k, k[0] - 1)).toBe(0);
        expect(calibratedProbability(k, k[16] + 1)).toBe(1);
      }),
      { numRuns: 100, seed: 3 },
    );
  });

  it('maps a sample of the calibrated distribution to nearly uniform probabilities', () => {
    const r = createRng(4);
    const draw = () => Math.exp(r.normal()); // skewed
    const knots = calibrationKnots(Float64Array.from({ length: 20000 }, draw))!;
    const u = Array.from({ length: 20000 }, () => calibratedProbability(knots, draw())).sort((a, b) => a - b);
    let ks = 0;
    u.forEach((x, i) => (ks = Math.max(ks, Math.abs(x - (i + 0.5) / u.length))));
    expect(ks).toBeLessThan(0.03);
  });

  it('skips missing values, needs two finite values, and gives a point mass its middle probability', () => {
    expect(calibrationKnots([1, NaN])).toBeNull();
    const k = calibrationKnots([0, 0, 0, 0, 0, 0, 1, 2], 9)!;
    expect(Array.from(k.subarray(0, 7))).toEqual([0, 0, 0, 0, 0, 0, 0]); // knots 0–6 fall on the zeros
    expect(calibratedProbability(k, 0)).toBeCloseTo((0 + 6) / 2 / 8, 12);
  });
});
