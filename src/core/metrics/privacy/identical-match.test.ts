import { describe, expect, it } from 'vitest';
import { adultSplit } from '../../../../test/privacy/adult-split.js';
import { hasShared } from '../../../../test/helpers/datasets.js';
import { identicalMatch } from './identical-match.js';

describe.runIf(hasShared)('identicalMatch on adult', async () => {
  const { train, holdout, fresh, copy5 } = await adultSplit();
  const base = { real: train, holdout, schema: train.schema, seed: 1 };

  it('finds every row of a copy of the training data', async () => {
    const r = await identicalMatch.compute({ ...base, synthetic: train });
    const d = r.details as Record<string, number>;
    expect(d.identicalShare).toBe(1);
    expect(r.score).toBe(0);
    expect(d.trainingRowsCopied).toBe(train.numRows);
  });

  it('flags a generator that copies 5% of training rows: share ≥ 5% and above the holdout share', async () => {
    const r = await identicalMatch.compute({ ...base, synthetic: copy5 });
    const d = r.details as Record<string, number>;
    expect(d.identicalShare).toBeGreaterThanOrEqual(0.05);
    expect(d.identicalShare).toBeGreaterThan(d.holdoutShare);
    expect(r.score!).toBeLessThan(r.reference!);
    expect(d.distinctTrainingRowsCopied).toBeGreaterThanOrEqual(49); // 50 copied rows (two may be duplicates)
  });

  it('finds about as many matches for unseen real rows as the holdout has', async () => {
    const r = await identicalMatch.compute({ ...base, synthetic: fresh });
    const d = r.details as Record<string, number>;
    expect(d.identicalShare).toBeLessThan(0.01);
    expect(Math.abs(d.identicalShare - d.holdoutShare)).toBeLessThan(0.01);
  });

  it('matches by label even when the synthetic dictionaries are in another order', async () => {
    const reordered = train.take(Int32Array.from({ length: train.numRows }, (_, i) => train.numRows - 1 - i));
    const shuffledDict = reordered.withColumn(reordered.spec('sex'), reordered.categorical('sex').recode([...reordered.categorical('sex').dictionary].reverse()));
    const r = await identicalMatch.compute({ ...base, synthetic: shuffledDict });
    expect((r.details as Record<string, number>).identicalShare).toBe(1);
  });

  it('returns an error status naming the missing column for mismatched synthetic data', async () => {
    const r = await identicalMatch.compute({ ...base, synthetic: fresh.select(fresh.columnNames.filter((c) => c !== 'age')) });
    expect(r.status).toBe('error');
    expect(r.error!.code).toBe('schema_mismatch');
    expect(r.error!.message).toMatch(/synthetic data: columns age/);
  });
});
