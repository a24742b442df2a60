import { describe, expect, it } from 'vitest';
import { adultSplit } from '../../../../test/privacy/adult-split.js';
import { hasShared } from '../../../../test/helpers/datasets.js';
import { MixedSpace } from '../../neighbors/mixed-space.js';
import { bruteForceKnn } from '../../neighbors/brute-force.js';
import { MixedTree } from '../../neighbors/mixed-tree.js';
import type { MetricResult } from '../metric.js';
import { PrivacyContext } from '../privacy/privacy-context.js';
import { densityScore, prdcCoverage, prdcDensity, prdcPrecision, prdcRecall } from './prdc.js';

const details = (r: MetricResult) => r.details as Record<string, number>;

describe('densityScore', () => {
  it('is min(1, d): 1 at and above 1, d below, 0 at 0', () => {
    expect(densityScore(1)).toBe(1);
    expect(densityScore(1.2)).toBe(1);
    expect(densityScore(0.5)).toBe(0.5);
    expect(densityScore(0)).toBe(0);
  });
});

describe.runIf(hasShared)('precision / recall / density / coverage on adult', async () => {
  const { train, holdout, fresh } = await adultSplit();
  const base = { real: train, holdout, schema: train.schema, seed: 1 };
  const all = async (synthetic: typeof train) => Promise.all([prdcPrecision, prdcRecall, prdcDensity, prdcCoverage].map((m) => m.compute({ ...base, synthetic })));

  it('countWithin equals a brute-force ball count (k-NN radii from brute force)', () => {
    const space = MixedSpace.fromTable(train);
    const E = space.encode(train.slice(0, 600)), Q = space.encode(fresh.slice(0, 300));
    const nn = bruteForceKnn(space, E, E, { k: 5, excludeSelf: true });
    const radii = Float64Array.from({ length: E.numRows }, (_, i) => nn.distances[5 * i + 4]);
    const got = MixedTree.build(space, E).countWithin(Q, radii);
    const want = Array.from({ length: Q.numRows }, (_, q) => {
      let c = 0;
      for (let i = 0; i < E.numRows; i++) if (space.distance(Q, q, E, i) <= radii[i]) c++;
      return c;
    });
    expect(Array.from(got)).toEqual(want);
    const once = MixedTree.build(space, E).countWithin(Q, radii, { stopAtOne: true });
    expect(Array.from(once)).toEqual(want.map((c) => (c > 0 ? 1 : 0)));
  });

  it('a table against itself: precision, recall and coverage are exactly 1', async () => {
    const small = train.slice(0, 1000);
    const [p, r, d, c] = await Promise.all([prdcPrecision, prdcRecall, prdcDensity, prdcCoverage].map((m) => m.compute({ ...base, real: small, synthetic: small })));
    expect(p.score).toBe(1);
    expect(details(d).density).toBeGreaterThanOrEqual(1.2 - 1e-9); // each row in its own ball and in its k neighbours' balls (ties add more)
    expect(r.score).toBe(1);
    expect(c.score).toBe(1);
  });

  it('fresh real rows score like the holdout reference', async () => {
    const rs = await all(fresh);
    for (const r of rs) {
      expect(r.status).toBe('ok');
      // fresh and holdout are both 1,000 unseen real rows: same sizes, so the figures are comparable.
      expect(Math.abs(r.score! - r.reference!)).toBeLessThan(0.06);
      expect(r.interval![0]).toBeLessThanOrEqual(r.score!);
      expect(r.interval![1]).toBeGreaterThanOrEqual(r.score!);
    }
  });

  it('a mode-collapsed sample (1,000 draws of 20 training rows) keeps precision but loses recall and coverage', async () => {
    const idx = Int32Array.from({ length: 1000 }, (_, i) => (i * 7) % 20);
    const collapsed = train.take(idx);
    const [p, r, d, c] = await all(collapsed);
    const [, rRef, , cRef] = await all(fresh);
    expect(p.score).toBe(1); // every row is a training row: inside its own ball
    expect(r.score!).toBeLessThan(0.2);
    expect(c.score!).toBeLessThan(0.1);
    expect(r.score!).toBeLessThan(rRef.score! - 0.5);
    expect(c.score!).toBeLessThan(cRef.score! - 0.5);
    expect(details(d).density).toBeGreaterThan(0);
  });

  it('uses the same neighbour results as the privacy searches (t→s is the coverage search when nothing is sampled)', () => {
    const ctx = new PrivacyContext(train, fresh, holdout);
    expect(ctx.search('tq→sq')).toBe(ctx.trainToSynth());
  });
});
