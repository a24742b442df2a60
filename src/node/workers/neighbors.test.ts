import { afterAll, describe, expect, it } from 'vitest';
import { MixedSpace } from '../../core/neighbors/mixed-space.js';
import { MixedTree } from '../../core/neighbors/mixed-tree.js';
import { createRng } from '../../core/random.js';
import { hasShared, loadShared } from '../../../test/helpers/datasets.js';
import { parallelKnn } from './neighbors.js';
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
});
