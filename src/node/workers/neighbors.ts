import { toBatch, type KnnProvider } from '../../core/neighbors/knn-provider.js';
import type { BallCountProvider } from '../../core/metrics/diversity/prdc.js';
import type { EncodedRows } from '../../core/neighbors/mixed-space.js';
import type { KnnResult } from '../../core/neighbors/mixed-tree.js';
import { coreModule, type WorkerPool } from './pool.js';

/** Options of {@link parallelKnn}. */
export interface ParallelKnnOptions {
  /** Neighbours per query. Default 1. */
  k?: number;
  /** Leave-one-out when the queries are the indexed rows themselves (or a sample of them: see `selfRows`). Default false. */
  excludeSelf?: boolean;
  /** With `excludeSelf`: the data row of query i (default i). */
  selfRows?: Int32Array;
  /** Query chunks; default 2 per worker (so a slow chunk does not leave a worker idle). */
  chunks?: number;
}

/** Rows [from, to) of encoded rows, as views (structured clone copies only the viewed bytes). */
function sliceRows(rows: EncodedRows, from: number, to: number): EncodedRows {
  return { numRows: to - from, num: rows.num.map((c) => c.slice(from, to)), cat: rows.cat.map((c) => c.slice(from, to)) };
}

/**
 * Exact k nearest neighbours with the query rows split into chunks over a worker pool; each worker builds the
 * (deterministic) index over `data` and searches its chunk, so the result equals a single-thread
 * `MixedTree.knn` exactly. Each task receives all of `data` and only its chunk of `queries` (copied: about
 * (8·numeric + 4·categorical columns) bytes per row).
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
  const excludeSelf = opts.excludeSelf ?? false;
  const parts = await pool.runAll<KnnResult>(
    bounds.slice(0, -1).map((start, c) => {
      const end = bounds[c + 1];
      // Leave-one-out needs each chunk's query → data row map (query i of the chunk is data row start + i by default).
      const selfRows = excludeSelf ? (opts.selfRows ? opts.selfRows.slice(start, end) : Int32Array.from({ length: end - start }, (_, i) => start + i)) : undefined;
      return {
        module: coreModule('neighbors/knn-chunk'),
        name: 'knnChunk',
        args: [data, sliceRows(queries, start, end), { k, excludeSelf, ...(selfRows ? { selfRows } : {}) }],
      };
    }),
  );
  const distances = new Float64Array(nq * k), indices = new Int32Array(nq * k);
  let rowsScanned = 0;
  parts.forEach((p, c) => {
    distances.set(p.distances, bounds[c] * k);
    indices.set(p.indices, bounds[c] * k);
    rowsScanned += p.rowsScanned;
  });
  return { k, start: 0, numQueries: nq, distances, indices, rowsScanned };
}

/**
 * A {@link KnnProvider} for the core report (`evaluate(..., { knn })`) that runs a batch of searches on the pool's
 * worker threads: one task per data table, holding every search against that table (`knnBatch`), so each index is
 * built once in all (an index over 1M rows × 20 columns costs seconds; splitting every search's queries over the
 * workers built every index on each of them). Larger tasks are queued first; the pool hands the next task to whichever
 * worker is free, and the detection and utility fits queued behind keep both workers busy. Results are exactly the
 * in-thread ones.
 * @example const report = await evaluate({ real, synthetic, holdout }, { seed: 1, knn: workerKnnProvider(pool) });
 */
export function workerKnnProvider(pool: WorkerPool): KnnProvider {
  return async (requests) => {
    const { data, searches } = toBatch(requests);
    const groups = data.map((_, d) => searches.map((s, i) => ({ s, i })).filter((x) => x.s.data === d)).filter((g) => g.length > 0);
    // Rough cost of a group: its query rows × log of the indexed rows (plus the build).
    const cost = (g: { s: (typeof searches)[number] }[]) => {
      const n = data[g[0].s.data].numRows;
      return n + g.reduce((a, x) => a + x.s.queries.numRows, 0) * Math.log2(2 + n);
    };
    groups.sort((x, y) => cost(y) - cost(x));
    const parts = await pool.runAll<KnnResult[]>(
      groups.map((g) => ({
        module: coreModule('neighbors/knn-provider'),
        name: 'knnBatch',
        args: [[data[g[0].s.data]], g.map(({ s }) => ({ ...s, data: 0 }))],
      })),
    );
    const out: KnnResult[] = new Array(searches.length);
    groups.forEach((g, t) => g.forEach(({ i }, j) => (out[i] = parts[t][j])));
    return out;
  };
}

/**
 * A `BallCountProvider` for the diversity metrics on the pool's worker threads. With at least as many requests as
 * workers (the report's four), each request is one task; with fewer, each request's ball centres (with their radii)
 * are split into one share per worker. A task counts its balls for every query row (`ballCounts` in
 * src/core/metrics/diversity/prdc.ts, which indexes the query rows and searches from each centre), and the shares are
 * added (or, with `stopAtOne`, or-ed). Counts are exactly the in-thread ones. Splitting the centres rather than the
 * queries halves each worker's searches (a query share would still be searched from every centre); not splitting at
 * all, when the requests alone keep the workers busy, builds each query index once instead of on every worker. The
 * tasks are queued with priority 1 (the diversity metrics wait for them).
 * @example await evaluate(input, { seed: 1, knn: workerKnnProvider(pool), balls: workerBallProvider(pool) });
 */
export function workerBallProvider(pool: WorkerPool): BallCountProvider {
  return async (requests) => {
    // Shares per request: one when there are at least as many requests as workers (each share indexes all of its
    // request's query rows, so splitting a request builds that index on every worker); else one per worker.
    const w = requests.length >= pool.size ? 1 : pool.size;
    const bounds = requests.map((r) => Array.from({ length: w + 1 }, (_, c) => Math.round((c * r.centres.numRows) / w)));
    const tasks = requests.flatMap((r, i) =>
      Array.from({ length: w }, (_, c) => ({
        module: coreModule('metrics/diversity/prdc'),
        name: 'ballCounts',
        priority: 1, // ahead of queued detection / utility fits: the diversity metrics wait for these
        args: [sliceRows(r.centres, bounds[i][c], bounds[i][c + 1]), r.radii.slice(bounds[i][c], bounds[i][c + 1]), r.queries, r.stopAtOne],
      })),
    );
    const parts = await pool.runAll<Int32Array>(tasks);
    return requests.map((r, i) => {
      const out = new Int32Array(r.queries.numRows);
      for (let c = 0; c < w; c++) {
        const part = parts[i * w + c];
        if (r.stopAtOne) for (let q = 0; q < out.length; q++) out[q] |= part[q];
        else for (let q = 0; q < out.length; q++) out[q] += part[q];
      }
      return out;
    });
  };
}
