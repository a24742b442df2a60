import type { EncodedRows, MixedSpace } from './mixed-space.js';
import type { KnnOptions, KnnResult } from './mixed-tree.js';

/**
 * Exact k nearest neighbours by scanning every data row: O(queries × rows × columns). The reference that
 * {@link MixedTree} is tested against; fine for small tables.
 *
 * @example
 * const nn = bruteForceKnn(space, space.encode(train), space.encode(synthetic), { k: 1 });
 */
export function bruteForceKnn(space: MixedSpace, data: EncodedRows, queries: EncodedRows, opts: KnnOptions = {}): KnnResult {
  const k = Math.max(1, Math.floor(opts.k ?? 1));
  const start = opts.start ?? 0;
  const end = opts.end ?? queries.numRows;
  const nq = Math.max(0, end - start);
  const distances = new Float64Array(nq * k).fill(Infinity);
  const indices = new Int32Array(nq * k).fill(-1);
  const all = new Float64Array(data.numRows);
  const order = new Int32Array(data.numRows);
  for (let q = start; q < end; q++) {
    let m = 0;
    for (let i = 0; i < data.numRows; i++) {
      if (opts.excludeSelf && i === (opts.selfRows ? opts.selfRows[q] : q)) continue;
      all[m] = space.distance(queries, q, data, i);
      order[m++] = i;
    }
    const pairs: [number, number][] = [];
    for (let t = 0; t < m; t++) pairs.push([all[t], order[t]]);
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (let t = 0; t < Math.min(k, m); t++) {
      distances[(q - start) * k + t] = pairs[t][0];
      indices[(q - start) * k + t] = pairs[t][1];
    }
  }
  return { k, start, numQueries: nq, distances, indices, rowsScanned: nq * data.numRows };
}
