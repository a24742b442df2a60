import { describe, expect, it } from 'vitest';
import { minimizeLbfgs } from './lbfgs.js';

describe('minimizeLbfgs', () => {
  it('finds the minimum of a badly scaled convex quadratic', () => {
    const scales = [1, 10, 100, 1000];
    const target = [3, -2, 0.5, 7];
    const r = minimizeLbfgs((w, grad) => {
      let f = 0;
      for (let i = 0; i < 4; i++) {
        const d = w[i] - target[i];
        f += 0.5 * scales[i] * d * d;
        grad[i] = scales[i] * d;
      }
      return f;
    }, new Float64Array(4), { gradTol: 1e-9, funcTol: 0, maxIter: 500 });
    expect(r.converged).toBe(true);
    for (let i = 0; i < 4; i++) expect(r.x[i]).toBeCloseTo(target[i], 6);
  });
});
