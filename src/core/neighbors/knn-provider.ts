import type { EncodedRows } from './mixed-space.js';
import { MixedTree, type KnnResult } from './mixed-tree.js';

/** One exact k-nearest-neighbour search: every row of `queries` against every row of `data` (both encoded in one space). */
export interface KnnRequest {
  data: EncodedRows;
  queries: EncodedRows;
  /** Neighbours per query (≥ 1). */
  k: number;
  /** Leave-one-out: skip the data row that each query is (see `selfRows`). */
  excludeSelf: boolean;
  /** With `excludeSelf`: the data row of query i (default i). */
  selfRows?: Int32Array;
}

/**
 * Runs a batch of k-nearest-neighbour searches for the core metrics. The core's default runs them in this thread
 * ({@link inThreadKnn}); a Node caller injects one that splits the queries over worker threads
 * (`workerKnnProvider` in src/node/workers/neighbors.ts), so the core stays pure. A provider must return, in request
 * order, exactly what `MixedTree.build(null, data).knn(queries, { k, excludeSelf, selfRows })` returns (results are
 * exact either way). Requests sharing a `data` object share one index.
 *
 * @example
 * const report = await evaluate({ real, synthetic }, { seed: 1, knn: workerKnnProvider(pool) });
 */
export type KnnProvider = (requests: KnnRequest[], signal?: AbortSignal) => Promise<KnnResult[]>;

/** One search of a {@link knnBatch}: `data` is an index into the batch's data tables. */
export interface KnnBatchSearch {
  data: number;
  queries: EncodedRows;
  k: number;
  excludeSelf: boolean;
  selfRows?: Int32Array;
}

/**
 * Runs several searches over a few data tables, building each table's {@link MixedTree} once: a plain function of
 * cloneable arguments, so one worker task can run a whole batch (no round trips to the main thread between searches).
 * @example knnBatch([train], [{ data: 0, queries: synth, k: 2, excludeSelf: false }])
 */
export function knnBatch(data: EncodedRows[], searches: KnnBatchSearch[], signal?: AbortSignal): KnnResult[] {
  const trees = new Map<number, MixedTree>();
  return searches.map((s) => {
    let t = trees.get(s.data);
    if (!t) trees.set(s.data, (t = MixedTree.build(null, data[s.data])));
    return t.knn(s.queries, { k: s.k, excludeSelf: s.excludeSelf, ...(s.selfRows ? { selfRows: s.selfRows } : {}), ...(signal ? { signal } : {}) });
  });
}

/** Groups requests by `data` object identity: the distinct data tables and the searches indexing into them. */
export function toBatch(requests: KnnRequest[]): { data: EncodedRows[]; searches: KnnBatchSearch[] } {
  const data: EncodedRows[] = [];
  const searches = requests.map((r) => {
    let d = data.indexOf(r.data);
    if (d < 0) d = data.push(r.data) - 1;
    return { data: d, queries: r.queries, k: r.k, excludeSelf: r.excludeSelf, ...(r.selfRows ? { selfRows: r.selfRows } : {}) };
  });
  return { data, searches };
}

/**
 * The in-thread provider: builds each tree once and searches on the calling thread.
 * @example await inThreadKnn([{ data, queries, k: 1, excludeSelf: false }])
 */
export const inThreadKnn: KnnProvider = (requests, signal) => {
  const b = toBatch(requests);
  return Promise.resolve(knnBatch(b.data, b.searches, signal));
};
