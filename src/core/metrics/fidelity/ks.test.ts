import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../random.js';
import { ksAgainst, ksReference, ksSorted, ksStatistic, sortedPresent } from './ks.js';
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

describe('ksSorted', () => {
  it('ksSorted on presorted samples equals the definition max_t |F_a(t) − F_b(t)| (missing first), reusing one sort', () => {
    const sample = fc.array(fc.oneof(fc.integer({ min: -4, max: 4 }), fc.double({ noNaN: true, min: -3, max: 3 }), fc.constant(NaN), fc.constant(-0)), { minLength: 1, maxLength: 30 }).map((v) => Float64Array.from(v));
    fc.assert(
      fc.property(sample, sample, sample, (a, b, c) => {
        const sa = sortedPresent(a);
        const def = (x: Float64Array, y: Float64Array) => {
          const cdf = (v: Float64Array, t: number) => v.filter((z) => z !== z || z <= t).length / v.length;
          let d = Math.abs(x.filter((z) => z !== z).length / x.length - y.filter((z) => z !== z).length / y.length);
          for (const t of [...x, ...y]) if (t === t) d = Math.max(d, Math.abs(cdf(x, t) - cdf(y, t)));
          return d;
        };
        expect(ksSorted(sa, sortedPresent(b))).toBeCloseTo(def(a, b), 12);
        expect(ksSorted(sa, sortedPresent(c))).toBeCloseTo(def(a, c), 12);
        expect(ksSorted(sa, sortedPresent(b))).toBe(ksStatistic(a, b));
      }),
      { seed: 6 },
    );
  });
});

describe('ksAgainst', () => {
  it('ksAgainst(ksReference(a), b) is bit for bit ksStatistic(a, b) (ties, missing, -0, infinities, one value)', () => {
    const value = fc.oneof(fc.integer({ min: -6, max: 6 }), fc.double({ noNaN: true, min: -4, max: 4 }), fc.constant(NaN), fc.constant(-0), fc.constant(Infinity), fc.constant(-Infinity), fc.double({ noNaN: true }));
    const sample = fc.array(value, { minLength: 0, maxLength: 40 }).map((v) => Float64Array.from(v));
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        expect(Object.is(ksAgainst(ksReference(a), b), ksStatistic(a, b))).toBe(true);
      }),
      { numRuns: 2000, seed: 8 },
    );
  });

  it('ksAgainst equals ksStatistic on large rounded and continuous samples (bucket table in use)', () => {
    const r = createRng(4);
    for (const round of [true, false]) {
      const v = (s: number) => Float64Array.from({ length: 20_000 }, () => { const x = r.normal() * s + (r.next() < 0.01 ? NaN : 0); return round ? Math.round(x * 100) / 100 : x; });
      const a = v(1), b = v(1.05);
      expect(Object.is(ksAgainst(ksReference(a), b), ksStatistic(a, b))).toBe(true);
    }
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
