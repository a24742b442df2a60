import { describe, expect, it } from 'vitest';
import { adultSplit } from '../../../../test/privacy/adult-split.js';
import { hasShared } from '../../../../test/helpers/datasets.js';
import { rareRecordReproduction } from './rare-records.js';

describe.runIf(hasShared)('rareRecordReproduction on adult', async () => {
  const { train, holdout, fresh, copy5 } = await adultSplit();
  const qi = ['age', 'sex', 'race', 'education', 'marital-status'];
  const base = { real: train, holdout, schema: train.schema, seed: 1, quasiIdentifiers: qi };

  it('reproduces every unique combination for a copy of the training data', async () => {
    const r = await rareRecordReproduction.compute({ ...base, synthetic: train });
    const d = r.details as Record<string, number>;
    expect(d.uniqueCombinations).toBeGreaterThan(100);
    expect(d.uniqueReproducedShare).toBe(1);
    expect(r.score!).toBeLessThan(r.reference!);
  });

  it('for unseen real rows matches rare combinations about as often as the holdout does', async () => {
    const r = await rareRecordReproduction.compute({ ...base, synthetic: fresh });
    const d = r.details as Record<string, number>;
    expect(Math.abs(d.rareMatchShare - d.holdoutRareMatchShare)).toBeLessThan(0.05);
  });

  it('with every column as quasi-identifier, sees the 5% copies', async () => {
    const r = await rareRecordReproduction.compute({ ...base, quasiIdentifiers: undefined, synthetic: copy5 });
    const d = r.details as Record<string, number>;
    expect(d.uniqueMatchShare).toBeGreaterThanOrEqual(0.045);
    expect(d.holdoutUniqueMatchShare).toBeLessThan(0.01);
  });

  it('with every column, the shared privacy-context index gives the same result as its own index (columns listed in another order)', async () => {
    const shared = await rareRecordReproduction.compute({ ...base, quasiIdentifiers: undefined, synthetic: copy5 });
    const reversed = [...train.columnNames].reverse();
    const own = await rareRecordReproduction.compute({ ...base, quasiIdentifiers: reversed, synthetic: copy5 });
    expect({ ...shared, details: { ...(shared.details as object), quasiIdentifiers: null } }).toEqual({ ...own, details: { ...(own.details as object), quasiIdentifiers: null } });
  });

  it('reports an unknown quasi-identifier by name', async () => {
    const r = await rareRecordReproduction.compute({ ...base, synthetic: fresh, quasiIdentifiers: ['age', 'zip'] });
    expect(r.status).toBe('error');
    expect(r.error!.message).toMatch(/zip/);
  });
});
