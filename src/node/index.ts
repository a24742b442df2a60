/** synthops/node: Node adapters around the pure core (files, artifacts, workers). */
export { readTable, type ReadOptions } from './io/read.js';
export { writeFileAtomic, withAtomicFile } from './io/atomic.js';
export { writeTable, cellPrinter, type WriteOptions } from './io/write.js';
export { formatOf, EXTENSIONS, type TableFormat } from './io/format.js';
export { decodedText, detectDelimiter } from './io/read.js';
// Worker pool and parallel learners.
export { WorkerPool, coreModule, type PoolTask, type WorkerPoolOptions } from './workers/pool.js';
export { fitRandomForestInPool, fitLearnersInPool, type LearnerJob } from './workers/parallel-learners.js';
