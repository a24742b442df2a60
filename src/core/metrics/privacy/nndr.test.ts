import { describe, expect, it } from 'vitest';
import { adultSplit } from '../../../../test/privacy/adult-split.js';
import { hasShared } from '../../../../test/helpers/datasets.js';
import { nndr, nndrRatios } from './nndr.js';

describe('nndrRatios', () => {
  it('divides the first by the second distance, 0/0 counting as 1', () => {
    const r = nndrRatios({ k: 2, start: 0, numQueries: 3, distances: Float64Array.of(0.1, 0.4, 0, 0, 0, 0.2), indices: new Int32Array(6), rowsScanned: 0 });
    expect(Array.from(r)).toEqual([0.25, 1, 0]);
  });
});

describe.runIf(hasShared)('nndr on adult', async () => {
  const { train, holdout, fresh } = await adultSplit();
  const base = { real: train, holdout, schema: train.schema, seed: 1 };
  it('is near the holdout reference for unseen real rows', async () => {
    const r = await nndr.compute({ ...base, synthetic: fresh });
    expect(Math.abs(r.score! - r.reference!)).toBeLessThan(0.05);
    expect(r.reference!).toBeGreaterThan(0.3);
  });
  it('is near 0 for a copy of (mostly unique) training rows', async () => {
    const r = await nndr.compute({ ...base, synthetic: train });
    expect(r.score!).toBeLessThan(0.01);
  });
});
