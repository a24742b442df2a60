import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adultSplit } from '../../../../test/privacy/adult-split.js';
import { hasShared } from '../../../../test/helpers/datasets.js';
import { dcr, dcrScore, sizeCorrectedShare } from './dcr.js';
import { defaultSampleRows } from './privacy-context.js';

describe('sizeCorrectedShare', () => {
  it('is 0.5 at the chance share, 1 at 1, 0 at 0, and increasing (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 1e6 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (nT, nH, a, b) => {
        expect(sizeCorrectedShare(nT / (nT + nH), nT, nH)).toBeCloseTo(0.5, 9);
        expect(sizeCorrectedShare(1, nT, nH)).toBe(1);
        expect(sizeCorrectedShare(0, nT, nH)).toBe(0);
        const [lo, hi] = a < b ? [a, b] : [b, a];
        expect(sizeCorrectedShare(lo, nT, nH)).toBeLessThanOrEqual(sizeCorrectedShare(hi, nT, nH) + 1e-12);
      }),
      { seed: 3 },
    );
  });
  it('equals the raw share when the sets have equal size', () => {
    expect(sizeCorrectedShare(0.7, 10, 10)).toBeCloseTo(0.7, 12);
  });
  it('dcrScore is 1 up to 0.5 and 0 at 1', () => {
    expect(dcrScore(0.3)).toBe(1);
    expect(dcrScore(0.5)).toBe(1);
    expect(dcrScore(0.75)).toBe(0.5);
    expect(dcrScore(1)).toBe(0);
  });
});

describe.runIf(hasShared)('dcr on adult', async () => {
  const { train, holdout, fresh } = await adultSplit();
  const base = { real: train, holdout, schema: train.schema, seed: 1 };

  it('gives a DCR share near 0.5 for unseen real rows, and a reference near 0.5', async () => {
    const r = await dcr.compute({ ...base, synthetic: fresh });
    const d = r.details as Record<string, number>;
    expect(r.status).toBe('ok');
    expect(d.dcrShare).toBeGreaterThan(0.4);
    expect(d.dcrShare).toBeLessThan(0.6);
    expect(d.holdoutDcrShare).toBeGreaterThan(0.4);
    expect(d.holdoutDcrShare).toBeLessThan(0.6);
    // The raw share is inflated by the larger training set; the correction brings it down.
    expect(d.dcrShareRaw).toBeGreaterThan(d.dcrShare);
    expect(r.score).toBeGreaterThan(0.75);
    expect(r.interval![0]).toBeLessThanOrEqual(r.interval![1]);
  });

  it('gives a DCR share near 1 and fails the gate for a copy of the training data', async () => {
    const r = await dcr.compute({ ...base, synthetic: train });
    const d = r.details as Record<string, number | boolean>;
    expect(d.dcrShare).toBeGreaterThan(0.95);
    expect(d.passed).toBe(false);
    expect(d.zeroDcrShare).toBe(1);
    expect(r.score).toBeLessThan(0.1);
  });

  it('is deterministic in the seed and skipped without a holdout', async () => {
    const a = await dcr.compute({ ...base, synthetic: fresh });
    const b = await dcr.compute({ ...base, synthetic: fresh });
    expect(b).toEqual(a);
    const s = await dcr.compute({ real: train, synthetic: fresh, schema: train.schema, seed: 1 });
    expect(s.status).toBe('skipped');
  });
});

describe.runIf(hasShared)('dcr with sampled queries (the large-data approximation)', async () => {
  const { train, holdout, fresh } = await adultSplit();
  it('states the sample and its bound, and stays within the bound of the exact share', async () => {
    const { PrivacyContext } = await import('./privacy-context.js');
    const exact = await dcr.compute({ real: train, holdout, synthetic: fresh, schema: train.schema, seed: 1 });
    // A context that samples: 400 query rows per table (forced by a tiny pair limit).
    const ctx = new PrivacyContext(train, fresh, holdout, { maxExactPairs: 1, sampleRows: 400, seed: 2 });
    const approx = ctx.approximation();
    expect(approx?.sampledRows.synthetic).toEqual({ sampled: 400, of: 1000, hoeffding95: expect.any(Number) as number });
    const raw = (ctx: InstanceType<typeof PrivacyContext>) => {
      const st = ctx.synthToTrain(), sh = ctx.synthToHold();
      let s = 0;
      for (let i = 0; i < st.numQueries; i++) s += st.distances[2 * i] < sh.distances[i] ? 1 : st.distances[2 * i] === sh.distances[i] ? 0.5 : 0;
      return s / st.numQueries;
    };
    expect(Math.abs(raw(ctx) - (exact.details as { dcrShareRaw: number }).dcrShareRaw)).toBeLessThan(approx!.sampledRows.synthetic.hoeffding95);
    // Every sampled query's neighbours are exact over the full training data.
    const full = new PrivacyContext(train, fresh, holdout).synthToTrain();
    const sample = ctx.querySample('synth')!;
    const st = ctx.synthToTrain();
    for (let i = 0; i < sample.length; i++) expect(st.distances[2 * i]).toBe(full.distances[2 * sample[i]]);
  });
});

describe('defaultSampleRows', () => {
  it('keeps about 2·10⁹ query × data pairs per search, between 2,000 and 20,000 queries', () => {
    expect(defaultSampleRows(1_000_000)).toBe(2_000);
    expect(defaultSampleRows(200_000)).toBe(10_000);
    expect(defaultSampleRows(100_000)).toBe(20_000);
    expect(defaultSampleRows(50_000_000)).toBe(2_000);
  });
});
