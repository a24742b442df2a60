import { describe, expect, it } from 'vitest';
import { detectDrift } from '../../src/core/drift/detect.js';
import { domainClassifierDrift, rocAuc } from '../../src/core/drift/multivariate/domain-classifier.js';
import { profileTable } from '../../src/core/profile/profile.js';
import { createRng } from '../../src/core/random.js';
import { loadShared } from '../helpers/datasets.js';

describe('rocAuc', () => {
  it('matches hand-computed values, with ties at half credit', () => {
    // positives 0.35, 0.8 vs negatives 0.1, 0.4: pairs won 3 of 4.
    expect(rocAuc(Float64Array.of(0.1, 0.4, 0.35, 0.8), Int32Array.of(0, 0, 1, 1))).toBe(0.75);
    expect(rocAuc(Float64Array.of(0.5, 0.5), Int32Array.of(0, 1))).toBe(0.5);
    expect(rocAuc(Float64Array.of(0.1, 0.9), Int32Array.of(0, 1))).toBe(1);
  });
});

describe('domainClassifierDrift on adult', () => {
  it('two random halves: AUC near 0.5, no drift; a broken correlation with unchanged marginals: drift', async () => {
    const t = (await loadShared('adult')).slice(0, 12000);
    const rng = createRng(5);
    const perm = rng.permutation(t.numRows);
    const a = t.take(perm.subarray(0, 6000)), b = t.take(perm.subarray(6000));
    const same = domainClassifierDrift(a, b, { seed: 1, maxRowsPerSide: 3000 });
    expect(same.drifted).toBe(false);
    expect(Math.abs(same.value - 0.5)).toBeLessThan(0.04);
    // Shuffle education-num independently of education: every column's marginal is unchanged.
    const shuffled = b.withColumn(b.spec('education-num'), b.column('education-num').take(rng.permutation(b.numRows)));
    expect(detectDrift(profileTable(a), profileTable(shuffled)).dataset.drifted).toBe(0);
    const broken = domainClassifierDrift(a, shuffled, { seed: 1, maxRowsPerSide: 3000 });
    expect(broken.drifted).toBe(true);
    expect(broken.topColumns.slice(0, 2).map((c) => c.column)).toEqual(expect.arrayContaining(['education-num']));
  }, 60_000);
});
