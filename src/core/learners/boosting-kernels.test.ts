import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson } from '../json.js';
import { createRng } from '../random.js';
import type { FeatureMatrix } from './features.js';
import { fitGradientBoosting, gradientBoostingToJSON, type GradientBoostingOptions } from './gradient-boosting.js';
import type { TreeTarget } from './tree.js';

/** Mixed matrix: numeric columns with missing values, categoricals (one with more levels than bins). */
function table(n: number, seed: number): { x: FeatureMatrix; bin: TreeTarget; multi: TreeTarget; reg: TreeTarget } {
  const rng = createRng(seed, 'kernels-test');
  const a = new Float64Array(n), b = new Float64Array(n), c = new Int32Array(n), d = new Int32Array(n);
  const yb = new Int32Array(n), ym = new Int32Array(n), yr = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = rng.next() < 0.05 ? NaN : rng.normal();
    b[i] = Math.round(rng.normal() * 3);
    c[i] = rng.next() < 0.03 ? -1 : rng.int(5);
    d[i] = rng.int(300);
    const s = (a[i] || 0) + 0.5 * b[i] * (c[i] === 2 ? 1 : -0.3) + (d[i] % 7) * 0.1 + rng.normal() * 0.5;
    yb[i] = s > 0 ? 1 : 0;
    ym[i] = s < -1 ? 0 : s < 1 ? 1 : 2;
    yr[i] = s;
  }
  const x: FeatureMatrix = { numRows: n, names: ['a', 'b', 'c', 'd'], columns: [a, b, c, d], levels: [0, 0, 5, 300] };
  return { x, bin: { kind: 'classification', y: yb, numClasses: 2 }, multi: { kind: 'classification', y: ym, numClasses: 3 }, reg: { kind: 'regression', y: yr } };
}

describe('boosting kernels', () => {
  it('fitGradientBoosting gives the same model bit for bit with the wasm-simd and ts kernels', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 30, max: 600 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom<'bin' | 'multi' | 'reg'>('bin', 'multi', 'reg'),
        fc.constantFrom(1, 0.7),
        fc.constantFrom(1, 0.5),
        (n, seed, task, subsample, colsample) => {
          const t = table(n, seed);
          const opts: GradientBoostingOptions = { seed, nEstimators: 6, maxLeaves: 8, minSamplesLeaf: 3, subsample, colsample, maxBins: 16 };
          const ts = fitGradientBoosting(t.x, t[task], { ...opts, kernel: 'ts' });
          const wasm = fitGradientBoosting(t.x, t[task], { ...opts, kernel: 'wasm-simd' });
          expect(canonicalJson(gradientBoostingToJSON(wasm))).toBe(canonicalJson(gradientBoostingToJSON(ts)));
        },
      ),
      { seed: 11, numRuns: 25 },
    );
  });
});
