import { describe, expect, it } from 'vitest';
import { hasShared, loadShared } from '../../../../test/helpers/datasets.js';
import { createRng } from '../../random.js';
import { pmse } from './detection-metrics.js';

describe.runIf(hasShared)('pmse@1 interval', () => {
  it('brackets the score, from cached per-row propensities (same seed → same interval)', async () => {
    const adult = await loadShared('adult');
    const perm = createRng(11).permutation(adult.numRows);
    const real = adult.take(perm.subarray(0, 800)), synthetic = adult.take(perm.subarray(800, 1600));
    const input = { real, synthetic, schema: real.schema, seed: 3 };
    const r = await pmse.compute(input);
    expect(r.status).toBe('ok');
    const [lo, hi] = r.interval!;
    expect(lo).toBeLessThanOrEqual(r.score!);
    expect(hi).toBeGreaterThanOrEqual(r.score!);
    expect(hi - lo).toBeGreaterThan(0);
    expect((await pmse.compute(input)).interval).toEqual(r.interval);
  });
});
