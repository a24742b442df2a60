import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ksStatistic } from './ks.js';
import { tvDistance } from './tv.js';

describe('ksStatistic', () => {
  it('matches hand-computed cases', () => {
    // a: 1 2 3, b: 1 2 4 → at t = 3, F_a = 1, F_b = 2/3.
    expect(ksStatistic(Float64Array.of(1, 2, 3), Float64Array.of(1, 2, 4))).toBeCloseTo(1 / 3, 12);
    // disjoint supports → 1
    expect(ksStatistic(Float64Array.of(1, 2), Float64Array.of(5, 6, 7))).toBe(1);
    // a: 0 0 1 1, b: 0 1 1 1 → at t = 0, 1/2 vs 1/4.
    expect(ksStatistic(Float64Array.of(0, 0, 1, 1), Float64Array.of(1, 0, 1, 1))).toBeCloseTo(0.25, 12);
  });

  it('counts a difference in missing share (nulls are not dropped)', () => {
    const a = Float64Array.of(1, 2, 3, 4);
    const b = Float64Array.of(1, NaN, 3, 4); // same values otherwise, one missing
    expect(ksStatistic(a, a)).toBe(0);
    expect(ksStatistic(a, b)).toBeGreaterThanOrEqual(0.25);
  });

  it('is symmetric, in [0, 1], 0 on itself and invariant to order (property)', () => {
    const sample = fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(NaN)), { minLength: 1, maxLength: 40 }).map((v) => Float64Array.from(v));
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const d = ksStatistic(a, b);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(1);
        expect(ksStatistic(b, a)).toBeCloseTo(d, 12);
        expect(ksStatistic(a, a)).toBe(0);
        expect(ksStatistic(Float64Array.from(a).reverse(), b)).toBeCloseTo(d, 12);
      }),
    );
  });
});

describe('tvDistance', () => {
  it('matches hand-computed cases, with missing as a category', () => {
    // a: {0: 2, 1: 1, missing: 1}/4, b: {0: 1, 1: 3}/4 → ½(1/4 + 2/4 + 1/4) = 0.5
    expect(tvDistance(Int32Array.of(0, 0, 1, -1), Int32Array.of(0, 1, 1, 1), 2)).toBe(0.5);
    expect(tvDistance(Int32Array.of(0, 0), Int32Array.of(1, 1, 1), 2)).toBe(1);
    expect(tvDistance(Int32Array.of(0, 1), Int32Array.of(1, 0), 2)).toBe(0);
  });
});
