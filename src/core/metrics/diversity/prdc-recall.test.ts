import { describe, expect, it } from 'vitest';
import { createRng } from '../../random.js';
import { hasShared, loadShared } from '../../../../test/helpers/datasets.js';
import { privacyContext } from '../privacy/privacy-context.js';
import { ballCounts, prdcRows } from './prdc.js';

describe.runIf(hasShared)('prdc recall shortcut', () => {
  it('deciding real rows by their nearest other row gives exactly the full ball search', async () => {
    const adult = await loadShared('adult');
    const perm = createRng(3).permutation(adult.numRows);
    const train = adult.take(perm.subarray(0, 3000)), synth = adult.take(perm.subarray(3000, 5000)), hold = adult.take(perm.subarray(5000, 6000));
    const ctx = privacyContext(train, synth, hold, { seed: 2 });
    for (const [other, search] of [['synth', 'sq→sq'], ['hold', 'hq→hq']] as const) {
      const nn = ctx.search(search);
      const radii = Float64Array.from({ length: nn.numQueries }, (_, i) => nn.distances[nn.k * i + nn.k - 1]);
      const full = ballCounts(ctx.queries(other), radii, ctx.queries('train'), true);
      const rows = prdcRows(ctx, other);
      expect(Array.from(rows.recallRows)).toEqual(Array.from(full, (c) => (c > 0 ? 1 : 0)));
      // Not trivial: some real rows are inside a ball and some are not.
      const inside = rows.recallRows.reduce((a, b) => a + b, 0);
      expect(inside).toBeGreaterThan(0);
      expect(inside).toBeLessThan(rows.realRows);
    }
  });
});
