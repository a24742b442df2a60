import { describe, expect, it } from 'vitest';
import { identicalMatch } from '../../src/core/metrics/privacy/index.js';
import { createRng } from '../../src/core/random.js';
import { synthesizerKind } from '../../src/core/synth/registry.js';
import { hasShared, loadShared } from '../helpers/datasets.js';

// Privacy at the default settings on real data: fit cart on 80 % of adult, sample as many rows, and compare the
// share of synthetic rows identical to a training row with the share of holdout rows that are (real duplicates).
// Full scorecard and DCR figures are in `npm run bench -- synth` (too heavy for the unit suite).
describe.skipIf(!hasShared)('cart privacy on adult (80/20)', () => {
  it('copies no more training rows than a real holdout does, and never writes a unique real extreme', async () => {
    const adult = await loadShared('adult');
    const perm = createRng(7, 'split').permutation(adult.numRows);
    const cut = Math.floor(0.8 * adult.numRows);
    const train = adult.take(perm.subarray(0, cut)), hold = adult.take(perm.subarray(cut));
    const fitted = await synthesizerKind('cart').create().fit(train, { seed: 1 });
    const synth = fitted.sample(train.numRows, { seed: 2 });
    const r = await identicalMatch.compute({ real: train, synthetic: synth, holdout: hold, schema: adult.schema, seed: 1 });
    const d = r.details as { identicalShare: number; holdoutShare: number };
    expect(d.identicalShare).toBeLessThanOrEqual(d.holdoutShare);
    for (const name of ['age', 'fnlwgt', 'capital-gain', 'hours-per-week']) {
      const real = Array.from(train.numeric(name).values).sort((a, b) => a - b);
      const [lo, hi] = synth.numeric(name).extent();
      if (real[0] < real[4]) expect(lo).toBeGreaterThan(real[0]);
      if (real[real.length - 1] > real[real.length - 5]) expect(hi).toBeLessThan(real[real.length - 1]);
    }
  }, 180000);
});
