import type { EncodedRows } from './mixed-space.js';
import { MixedTree, type KnnOptions, type KnnResult } from './mixed-tree.js';

/**
 * One chunk of an exact k-NN search, as a plain function of cloneable arguments so a worker thread can run it:
 * builds a {@link MixedTree} over `data` and searches query rows `opts.start..opts.end`. Every chunk gets the same
 * exact answer as one search over all queries would (the tree is deterministic in the data).
 *
 * @example
 * knnChunk(space.encode(train), space.encode(synthetic), { k: 2, start: 0, end: 10_000 });
 */
export function knnChunk(data: EncodedRows, queries: EncodedRows, opts: Omit<KnnOptions, 'signal'> & { leafSize?: number } = {}): KnnResult {
  const { leafSize, ...search } = opts;
  return MixedTree.build(null, data, leafSize !== undefined ? { leafSize } : {}).knn(queries, search);
}
