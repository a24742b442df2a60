/** synthops/node: Node adapters around the pure core (files, artifacts, workers). */
export { readTable, type ReadOptions } from './io/read.js';
export { writeFileAtomic, withAtomicFile } from './io/atomic.js';
