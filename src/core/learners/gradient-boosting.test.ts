import { describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import type { FeatureMatrix } from './features.js';
import { fitGradientBoosting, fitGradientBoostingPreBinnedScored, fitGradientBoostingScored, gradientBoostingToJSON, preBin, predictGradientBoosting } from './gradient-boosting.js';

function take(x: FeatureMatrix, rows: Int32Array): FeatureMatrix {
  const columns = x.columns.map((c) => {
    const out = c instanceof Float64Array ? new Float64Array(rows.length) : new Int32Array(rows.length);
    rows.forEach((r, i) => (out[i] = c[r]));
    return out;
  });
  return { ...x, numRows: rows.length, columns };
}

describe('fitGradientBoostingScored', () => {
  it('gives the model of fitGradientBoosting and the predictions of predictGradientBoosting on the scored rows, bit for bit', () => {
    const n = 900;
    const rng = createRng(5, 'scored');
    const a = new Float64Array(n), c = new Int32Array(n), y = new Int32Array(n), ym = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = rng.next() < 0.05 ? NaN : rng.normal();
      c[i] = rng.next() < 0.05 ? -1 : rng.int(6);
      const s = (a[i] || 0) + (c[i] === 3 ? 1 : 0) + rng.normal() * 0.7;
      y[i] = s > 0.3 ? 1 : 0;
      ym[i] = s < -0.5 ? 0 : s < 0.8 ? 1 : 2;
    }
    const x: FeatureMatrix = { numRows: n, names: ['a', 'c'], columns: [a, c], levels: [0, 6] };
    const perm = rng.permutation(n);
    const train = perm.slice(0, 700).sort(), test = perm.slice(700); // test rows in shuffled order
    for (const target of [{ kind: 'classification' as const, y, numClasses: 2 }, { kind: 'classification' as const, y: ym, numClasses: 3 }]) {
      const opts = { seed: 3, rows: train, nEstimators: 15 };
      const { model, predictions } = fitGradientBoostingScored(x, target, opts, test);
      expect(gradientBoostingToJSON(model)).toEqual(gradientBoostingToJSON(fitGradientBoosting(x, target, opts)));
      expect(Array.from(predictions)).toEqual(Array.from(predictGradientBoosting(model, take(x, test))));
      // Binned beforehand on the same (training) rows: the same model and predictions; on every row: its own bins.
      const pre = fitGradientBoostingPreBinnedScored(preBin(x, { rows: train }), target, opts, test);
      expect(gradientBoostingToJSON(pre.model)).toEqual(gradientBoostingToJSON(model));
      expect(Array.from(pre.predictions)).toEqual(Array.from(predictions));
      const all = fitGradientBoostingPreBinnedScored(preBin(x), target, opts, test);
      expect(Array.from(all.predictions)).toEqual(Array.from(predictGradientBoosting(all.model, take(x, test))));
    }
    expect(() => fitGradientBoostingScored(x, { kind: 'classification', y, numClasses: 2 }, { seed: 1, rows: train }, Int32Array.of(n))).toThrow(/scoreRows/);
  });
});
