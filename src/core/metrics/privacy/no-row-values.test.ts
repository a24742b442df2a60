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
