/** Gower-style mixed-type distance and exact nearest-neighbour search. */
export { MixedSpace, numericTerm, type EncodedRows, type MixedSpaceOptions } from './mixed-space.js';
export { MixedTree, type KnnOptions, type KnnResult, type MixedTreeOptions } from './mixed-tree.js';
export { bruteForceKnn } from './brute-force.js';
export { knnChunk } from './knn-chunk.js';
export { inThreadKnn, knnBatch, toBatch, type KnnProvider, type KnnRequest, type KnnBatchSearch } from './knn-provider.js';
