import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng } from '../random.js';
import type { FeatureMatrix } from './features.js';
import { fitLogistic, predictLogistic } from './logistic.js';

/** n rows: two numerics (one with missing values), two categoricals (one with a rare level); y depends on all. */
function data(n: number, seed: number, strength = 1): { x: FeatureMatrix; y: Int32Array } {
  const r = createRng(seed);
  const a = new Float64Array(n), b = new Float64Array(n), c = new Int32Array(n), d = new Int32Array(n), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = r.normal() * 3 + 10;
    b[i] = r.next() < 0.1 ? NaN : r.normal();
    c[i] = r.int(5);
    d[i] = r.next() < 0.01 ? 3 : r.int(3);
    const s = strength * (0.4 * (a[i] - 10) - 0.8 * (b[i] === b[i] ? b[i] : 0) + (c[i] === 2 ? 1 : 0) - (d[i] === 3 ? 1.5 : 0)) + r.normal() * 0.5;
    y[i] = s > 0 ? 1 : 0;
  }
  return { x: { numRows: n, names: ['a', 'b', 'c', 'd'], columns: [a, b, c, d], levels: [0, 0, 5, 4] }, y };
}

describe('two-class logistic regression by Newton', () => {
  it('reaches the minimum L-BFGS approaches when run to convergence (same objective, same probabilities)', () => {
    const { x, y } = data(3000, 1);
    const newton = fitLogistic(x, y, 2, {});
    expect(newton.converged).toBe(true);
    expect(newton.iterations).toBeLessThan(20);
    const lbfgs = fitLogistic(x, y, 2, { solver: 'lbfgs', maxIter: 5000, tol: 1e-10 });
    const pn = predictLogistic(newton, x), pl = predictLogistic(lbfgs, x);
    let worst = 0;
    for (let i = 0; i < pn.length; i++) worst = Math.max(worst, Math.abs(pn[i] - pl[i]));
    expect(worst).toBeLessThan(1e-4);
  });

  it('converges on (nearly) separable classes and on indistinguishable ones, with finite probabilities', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.constantFrom(0, 1, 30), (seed, strength) => {
        const { x, y } = data(400, seed, strength);
        const m = fitLogistic(x, y, 2, { l2: 1 });
        expect(m.converged).toBe(true);
        const p = predictLogistic(m, x);
        for (const v of p) expect(Number.isFinite(v)).toBe(true);
        // Deterministic: the same rows give the same bits.
        expect(Array.from(predictLogistic(fitLogistic(x, y, 2, { l2: 1 }), x))).toEqual(Array.from(p));
      }),
      { numRuns: 15 },
    );
  });

  it('uses only the training rows', () => {
    const { x, y } = data(1000, 2);
    const rows = Int32Array.from({ length: 500 }, (_, i) => 2 * i);
    const sub: FeatureMatrix = { ...x, numRows: 500, columns: x.columns.map((c) => (c instanceof Float64Array ? Float64Array.from(rows, (r) => c[r]) : Int32Array.from(rows, (r) => c[r]))) };
    const a = fitLogistic(x, y, 2, { rows }), b = fitLogistic(sub, Int32Array.from(rows, (r) => y[r]), 2, {});
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(Array.from(a.intercepts)).toEqual(Array.from(b.intercepts));
  });
});
