import { describe, expect, it } from 'vitest';
import { reconstructionDrift, symmetricEigen } from '../../src/core/drift/multivariate/reconstruction.js';
import { createRng } from '../../src/core/random.js';
import { loadShared } from '../helpers/datasets.js';

describe('symmetricEigen', () => {
  it('[[2,1],[1,2]] has eigenvalues 1 and 3, and A·v = λ·v for a random symmetric matrix', () => {
    expect(symmetricEigen(Float64Array.of(2, 1, 1, 2), 2).values.sort()).toEqual([expect.closeTo(1, 12), expect.closeTo(3, 12)]);
    const rng = createRng(3), d = 6, a = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++) a[i * d + j] = a[j * d + i] = rng.normal();
    const { values, vectors } = symmetricEigen(a, d);
    for (let c = 0; c < d; c++)
      for (let i = 0; i < d; i++) {
        let av = 0;
        for (let j = 0; j < d; j++) av += a[i * d + j] * vectors[j * d + c];
        expect(av).toBeCloseTo(values[c] * vectors[i * d + c], 9);
      }
  });
});

describe('reconstructionDrift on credit_default', () => {
  it('random halves do not drift; breaking the bill-amount correlations (marginals unchanged) does', async () => {
    const t = (await loadShared('credit_default')).slice(0, 10000);
    const rng = createRng(8);
    const perm = rng.permutation(t.numRows);
    const a = t.take(perm.subarray(0, 5000)), b = t.take(perm.subarray(5000));
    const same = reconstructionDrift(a, b, { seed: 2 });
    expect(same.drifted).toBe(false);
    let broken = b;
    for (const c of ['BILL_AMT2', 'BILL_AMT4', 'PAY_AMT1']) broken = broken.withColumn(broken.spec(c), broken.column(c).take(rng.permutation(b.numRows)));
    const r = reconstructionDrift(a, broken, { seed: 2 });
    expect(r.drifted).toBe(true);
    expect(r.value).toBeGreaterThan(same.value);
    expect(same.threshold).toBeGreaterThanOrEqual(0.1);
  }, 60_000);
});
