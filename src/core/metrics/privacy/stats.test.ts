import { describe, expect, it } from 'vitest';
import { createRng } from '../../random.js';
import { BOOTSTRAP_MAX_ROWS, bootstrapInterval, weightedMean } from './stats.js';

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
