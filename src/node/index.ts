/** synthops/node: Node adapters around the pure core (files, artifacts, workers). */
export { readTable, readTableChunks, type ReadOptions, type ChunkReadOptions } from './io/read.js';
export { writeFileAtomic, withAtomicFile } from './io/atomic.js';
export { writeTable, cellPrinter, type WriteOptions } from './io/write.js';
export { formatOf, EXTENSIONS, type TableFormat } from './io/format.js';
export { decodedText, detectDelimiter } from './io/read.js';
// Worker pool and parallel learners.
export { WorkerPool, coreModule, type PoolTask, type WorkerPoolOptions } from './workers/pool.js';
export { fitRandomForestInPool, fitLearnersInPool, type LearnerJob } from './workers/parallel-learners.js';
export { poolRunner } from './workers/parallel-runner.js';
export { parallelKnn, workerKnnProvider, type ParallelKnnOptions } from './workers/neighbors.js';
export { evaluateInPool } from './workers/evaluate-in-pool.js';
export { startGemmHelper } from './workers/gemm-helper.js';
// Models behind HTTP endpoints, and what serving them costs.
export { endpointModel, type EndpointOptions } from './endpoint/client.js';
export { measureInferenceCost, type InferenceCostOptions } from './endpoint/inference-cost.js';
// A DOM for rendering reports (HTML with SVG charts) in Node.
export { nodeDocument } from './render/document.js';
