import { describe, expect, it } from 'vitest';
import { adultSplit } from '../../../../test/privacy/adult-split.js';
import { hasShared } from '../../../../test/helpers/datasets.js';
import { attributeInference, inferenceAdvantage } from './attribute-inference.js';

describe('inferenceAdvantage', () => {
  it('is 0 at or below the baseline, 1 at perfect accuracy, linear between', () => {
    expect(inferenceAdvantage(0.5, 0.6)).toBe(0);
    expect(inferenceAdvantage(1, 0.6)).toBe(1);
    expect(inferenceAdvantage(0.8, 0.6)).toBeCloseTo(0.5, 12);
    expect(inferenceAdvantage(1, 1)).toBe(0);
  });
});

describe.runIf(hasShared)('attributeInference on adult', async () => {
  const { train, holdout, fresh } = await adultSplit();
  const base = { real: train, holdout, schema: train.schema, seed: 1, quasiIdentifiers: ['age', 'sex', 'race', 'education', 'occupation', 'hours-per-week'] };
  it('is skipped when nothing is marked sensitive', async () => {
    expect((await attributeInference.compute({ ...base, synthetic: fresh })).status).toBe('skipped');
  });
  it('gives unseen real rows about the reference advantage, and a copy of the training data more', async () => {
    const ok = await attributeInference.compute({ ...base, synthetic: fresh, sensitive: ['income', 'capital-gain'] });
    expect(ok.status).toBe('ok');
    expect(Math.abs(ok.score! - ok.reference!)).toBeLessThan(0.15);
    const leak = await attributeInference.compute({ ...base, synthetic: train, sensitive: ['income', 'capital-gain'] });
    expect(leak.score!).toBeLessThan(ok.score!);
    const cols = (leak.details as { columns: { memberGap: number }[] }).columns;
    expect(cols.length).toBe(2);
    expect(cols[0].memberGap).toBeGreaterThan(0);
  });
  it('reports an unknown sensitive column by name', async () => {
    const r = await attributeInference.compute({ ...base, synthetic: fresh, sensitive: ['salary'] });
    expect(r.status).toBe('error');
    expect(r.error!.message).toMatch(/salary/);
  });
});
