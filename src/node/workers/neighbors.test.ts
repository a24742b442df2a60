import { afterAll, describe, expect, it } from 'vitest';
import { MixedSpace } from '../../core/neighbors/mixed-space.js';
import { MixedTree } from '../../core/neighbors/mixed-tree.js';
import { createRng } from '../../core/random.js';
import { hasShared, loadShared } from '../../../test/helpers/datasets.js';
import { inThreadKnn } from '../../core/neighbors/knn-provider.js';
import { ballCounts } from '../../core/metrics/diversity/prdc.js';
import { parallelKnn, workerBallProvider, workerKnnProvider } from './neighbors.js';
import { WorkerPool } from './pool.js';

const pool = new WorkerPool({ size: 2 });
afterAll(() => pool.close());

describe.runIf(hasShared)('parallelKnn', () => {
  it('gives exactly the single-thread k-NN on adult (3,000 rows, 1,000 queries, 5 chunks)', async () => {
    const adult = await loadShared('adult');
    const perm = createRng(5).permutation(adult.numRows);
    const train = adult.take(perm.subarray(0, 3000)), queries = adult.take(perm.subarray(3000, 4000));
    const space = MixedSpace.fromTable(train);
    const E = space.encode(train), Q = space.encode(queries);
    const single = MixedTree.build(space, E).knn(Q, { k: 2 });
    const par = await parallelKnn(pool, E, Q, { k: 2, chunks: 5 });
    expect(Array.from(par.distances)).toEqual(Array.from(single.distances));
    expect(Array.from(par.indices)).toEqual(Array.from(single.indices));
    const self = await parallelKnn(pool, E, E, { k: 1, excludeSelf: true, chunks: 3 });
    expect(Array.from(self.distances)).toEqual(Array.from(MixedTree.build(space, E).knn(E, { k: 1, excludeSelf: true }).distances));
  });

  it('workerKnnProvider gives exactly the in-thread batch (shared data, leave-one-out on a sample)', async () => {
    const adult = await loadShared('adult');
    const perm = createRng(6).permutation(adult.numRows);
    const train = adult.take(perm.subarray(0, 2000)), other = adult.take(perm.subarray(2000, 2700));
    const space = MixedSpace.fromTable(train);
    const E = space.encode(train), Q = space.encode(other);
    const sample = Int32Array.from({ length: 300 }, (_, i) => i * 6);
    const S = { numRows: sample.length, num: E.num.map((c) => Float64Array.from(sample, (i) => c[i])), cat: E.cat.map((c) => Int32Array.from(sample, (i) => c[i])) };
    const requests = [
      { data: E, queries: Q, k: 2, excludeSelf: false },
      { data: Q, queries: E, k: 1, excludeSelf: false },
      { data: E, queries: S, k: 3, excludeSelf: true, selfRows: sample },
    ];
    const want = await inThreadKnn(requests);
    const got = await workerKnnProvider(pool)(requests);
    got.forEach((g, i) => {
      expect(Array.from(g.distances)).toEqual(Array.from(want[i].distances));
      expect(Array.from(g.indices)).toEqual(Array.from(want[i].indices));
    });
    // Leave-one-out on a sample really skips the sampled row itself.
    for (let i = 0; i < sample.length; i++) expect(got[2].indices.subarray(3 * i, 3 * i + 3)).not.toContain(sample[i]);
  });

  it('workerBallProvider gives exactly the in-thread ball counts', async () => {
    const adult = await loadShared('adult');
    const perm = createRng(8).permutation(adult.numRows);
    const a = adult.take(perm.subarray(0, 1500)), b = adult.take(perm.subarray(1500, 2300));
    const space = MixedSpace.fromTable(a);
    const A = space.encode(a), B = space.encode(b);
    const nn = MixedTree.build(space, A).knn(A, { k: 5, excludeSelf: true });
    const radii = Float64Array.from({ length: A.numRows }, (_, i) => nn.distances[5 * i + 4]);
    const [dens, once] = await workerBallProvider(pool)([
      { centres: A, radii, queries: B, stopAtOne: false },
      { centres: A, radii, queries: B, stopAtOne: true },
    ]);
    expect(Array.from(dens)).toEqual(Array.from(ballCounts(A, radii, B, false)));
    expect(Array.from(once)).toEqual(Array.from(ballCounts(A, radii, B, true)));
    expect(dens.some((c) => c > 1)).toBe(true);
    // One request (fewer than the workers): its centres are split into shares and the counts added.
    const [alone] = await workerBallProvider(pool)([{ centres: A, radii, queries: B, stopAtOne: false }]);
    expect(Array.from(alone)).toEqual(Array.from(dens));
  });
});
