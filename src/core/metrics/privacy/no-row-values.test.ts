import { describe, expect, it } from 'vitest';
import { adultSplit } from '../../../../test/privacy/adult-split.js';
import { hasShared } from '../../../../test/helpers/datasets.js';
import { PRIVACY_METRICS } from './index.js';

describe.runIf(hasShared)('privacy results', async () => {
  const { train, holdout, copy5 } = await adultSplit();
  it('never contain a label of the real data (no row values in details, warnings or errors)', async () => {
    const labels = new Set<string>();
    for (const c of train.columnNames) {
      const col = train.column(c);
      if (col.storage === 'categorical') for (const l of col.dictionary) if (l.length > 3) labels.add(l);
    }
    expect(labels.size).toBeGreaterThan(20);
    for (const m of PRIVACY_METRICS) {
      const r = await m.compute({ real: train, holdout, synthetic: copy5, schema: train.schema, seed: 2, sensitive: ['income'] });
      expect(r.status, m.info.id).toBe('ok');
      expect(r.score!).toBeGreaterThanOrEqual(0);
      expect(r.score!).toBeLessThanOrEqual(1);
      const text = JSON.stringify(r);
      for (const l of labels) expect(text.includes(JSON.stringify(l)), `${m.info.id} leaks a label`).toBe(false);
    }
  });
});

describe.runIf(hasShared)('privacy metrics on edge inputs', async () => {
  const { train, holdout } = await adultSplit();
  it('skip (never NaN scores) for an empty synthetic table, and run without a holdout where they can', async () => {
    for (const m of PRIVACY_METRICS) {
      const empty = await m.compute({ real: train, holdout, synthetic: train.slice(0, 0), schema: train.schema, seed: 1, sensitive: ['income'] });
      expect(empty.status, m.info.id).toBe('skipped');
      const noHold = await m.compute({ real: train.slice(0, 300), synthetic: holdout.slice(0, 100), schema: train.schema, seed: 1, sensitive: ['income'] });
      expect(['ok', 'skipped'], m.info.id).toContain(noHold.status);
      if (noHold.status === 'ok') {
        expect(Number.isFinite(noHold.score), m.info.id).toBe(true);
        expect(noHold.reference, m.info.id).toBeUndefined();
        expect(noHold.warnings.length, m.info.id).toBeGreaterThan(0);
      }
    }
  });
});
