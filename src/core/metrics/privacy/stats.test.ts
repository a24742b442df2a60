import { describe, expect, it } from 'vitest';
import { createRng } from '../../random.js';
import { BOOTSTRAP_MAX_ROWS, bootstrapInterval, meanBootstrapInterval, weightedMean } from './stats.js';

describe('bootstrapInterval', () => {
  it('above BOOTSTRAP_MAX_ROWS (m-out-of-n, rescaled) matches the normal interval of a share', () => {
    const n = 4 * BOOTSTRAP_MAX_ROWS, r = createRng(3);
    const hit = Float64Array.from({ length: n }, () => (r.next() < 0.3 ? 1 : 0));
    const p = weightedMean(hit);
    const [lo, hi] = bootstrapInterval(n, createRng(4), (w) => weightedMean(hit, w))!;
    const half = 1.96 * Math.sqrt((p * (1 - p)) / n);
    expect(lo).toBeLessThan(p);
    expect(hi).toBeGreaterThan(p);
    expect((hi - lo) / 2).toBeGreaterThan(0.75 * half);
    expect((hi - lo) / 2).toBeLessThan(1.25 * half);
  });

  it('at or below it resamples every row (percentile interval)', () => {
    const n = 2000, r = createRng(5);
    const x = Float64Array.from({ length: n }, () => r.next());
    const [lo, hi] = bootstrapInterval(n, createRng(6), (w) => weightedMean(x, w))!;
    const half = 1.96 * Math.sqrt(1 / 12 / n);
    expect((hi - lo) / 2).toBeGreaterThan(0.75 * half);
    expect((hi - lo) / 2).toBeLessThan(1.25 * half);
  });
});

describe('meanBootstrapInterval', () => {
  it('on a 0/1 share of 1M rows (grouped, exact binomial counts) matches the normal interval p ± 1.96·√(p(1−p)/n)', () => {
    const n = 1_000_000, r = createRng(7);
    const hit = Float64Array.from({ length: n }, () => (r.next() < 0.01 ? 1 : 0));
    const p = weightedMean(hit);
    const [lo, hi] = meanBootstrapInterval(hit, createRng(8))!;
    const half = 1.96 * Math.sqrt((p * (1 - p)) / n);
    expect(lo).toBeLessThan(p);
    expect(hi).toBeGreaterThan(p);
    expect((hi - lo) / 2).toBeGreaterThan(0.8 * half);
    expect((hi - lo) / 2).toBeLessThan(1.2 * half);
  });

  it('grouped resampling (≤ 64 values) and row resampling give the same interval up to resampling noise', () => {
    const n = 20_000, r = createRng(9);
    const v = Float64Array.from({ length: n }, () => [0, 0.5, 1][r.int(3)]);
    const rows = bootstrapInterval(n, createRng(10), (w) => weightedMean(v, w), 400, Infinity)!;
    const grouped = meanBootstrapInterval(v, createRng(10), (m) => m, 400)!;
    const width = rows[1] - rows[0];
    expect(Math.abs(grouped[0] - rows[0])).toBeLessThan(0.2 * width);
    expect(Math.abs(grouped[1] - rows[1])).toBeLessThan(0.2 * width);
  });

  it('continuous values (row resampling of all rows) match the normal interval of a mean', () => {
    const n = 50_000, r = createRng(11);
    const x = Float64Array.from({ length: n }, () => r.next());
    const [lo, hi] = meanBootstrapInterval(x, createRng(12))!;
    const half = 1.96 * Math.sqrt(1 / 12 / n);
    expect((hi - lo) / 2).toBeGreaterThan(0.8 * half);
    expect((hi - lo) / 2).toBeLessThan(1.2 * half);
  });

  it('same seed → same interval; a constant column gives a zero-width interval at the statistic', () => {
    const v = Float64Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? 1 : 0));
    expect(meanBootstrapInterval(v, createRng(3))).toEqual(meanBootstrapInterval(v, createRng(3)));
    expect(meanBootstrapInterval(new Float64Array(100).fill(1), createRng(3), (m) => 1 - m)).toEqual([0, 0]);
    expect(meanBootstrapInterval(Float64Array.of(1), createRng(3))).toBeUndefined();
  });
});

