import type { EncodedRows } from '../../core/neighbors/mixed-space.js';
import type { KnnResult } from '../../core/neighbors/mixed-tree.js';
import { coreModule, type WorkerPool } from './pool.js';

/** Options of {@link parallelKnn}. */
export interface ParallelKnnOptions {
  /** Neighbours per query. Default 1. */
  k?: number;
  /** Leave-one-out when the queries are the indexed rows themselves. Default false. */
  excludeSelf?: boolean;
  /** Query chunks; default 2 per worker (so a slow chunk does not leave a worker idle). */
  chunks?: number;
}

/**
 * Exact k nearest neighbours with the query rows split into chunks over a worker pool; each worker builds the
 * (deterministic) index over `data` and searches its chunk, so the result equals a single-thread
 * `MixedTree.knn` exactly. Arguments are copied to each worker (about (8·numeric + 4·categorical columns) bytes per
 * row of `data` and `queries` per task).
 *
 * @example
 * const pool = new WorkerPool();
 * try { const nn = await parallelKnn(pool, space.encode(train), space.encode(synthetic), { k: 2 }); } finally { await pool.close(); }
 */
export async function parallelKnn(pool: WorkerPool, data: EncodedRows, queries: EncodedRows, opts: ParallelKnnOptions = {}): Promise<KnnResult> {
  const k = Math.max(1, Math.floor(opts.k ?? 1));
  const nq = queries.numRows;
  const chunks = Math.max(1, Math.min(nq, opts.chunks ?? pool.size * 2));
  const bounds = Array.from({ length: chunks + 1 }, (_, c) => Math.round((c * nq) / chunks));
  const parts = await pool.runAll<KnnResult>(
    bounds.slice(0, -1).map((start, c) => ({
      module: coreModule('neighbors/knn-chunk'),
      name: 'knnChunk',
      args: [data, queries, { k, excludeSelf: opts.excludeSelf ?? false, start, end: bounds[c + 1] }],
    })),
  );
  const distances = new Float64Array(nq * k), indices = new Int32Array(nq * k);
  let rowsScanned = 0;
  for (const p of parts) {
    distances.set(p.distances, p.start * k);
    indices.set(p.indices, p.start * k);
    rowsScanned += p.rowsScanned;
  }
  return { k, start: 0, numQueries: nq, distances, indices, rowsScanned };
}
