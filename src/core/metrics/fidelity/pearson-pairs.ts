import { pearson } from './pearson.js';

/** Rows per block of centred values in {@link pearsonPairs}. */
const BLOCK_ROWS = 2048;

/**
 * Pearson correlations of every pair of `columns` (i < j, in the order (0,1), (0,2), …, (1,2), …; null entries are
 * skipped and give NaN). Pairs of columns without missing values share one pass: column means first, then each block
 * of rows is centred once and every pair's centred sums accumulate over it, in row order — the same additions as
 * {@link pearson} makes for the pair, so the same value bit for bit, while the columns are read twice instead of twice
 * per pair. Pairs with a missing value (NaN) in either column use `pearson` (pairwise-complete rows).
 * O(rows · pairs).
 * @example pearsonPairs([x, y, z]) // [ρ(x,y), ρ(x,z), ρ(y,z)]
 */
export function pearsonPairs(columns: readonly (Float64Array | null)[]): Float64Array {
  const p = columns.length;
  const out = new Float64Array((p * (p - 1)) / 2).fill(NaN);
  const n = columns.find((c) => c)?.length ?? 0;
  // Columns without NaN (and of the common length) join the shared pass.
  const full: number[] = [];
  const mean = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    const c = columns[i];
    if (!c || c.length !== n) continue;
    let s = 0, ok = true;
    for (let r = 0; r < n; r++) {
      const x = c[r];
      if (x !== x) { ok = false; break; }
      s += x;
    }
    if (ok) {
      full.push(i);
      mean[i] = s / n;
    }
  }
  const f = full.length;
  const pairOf = (i: number, j: number) => i * p - (i * (i + 1)) / 2 + (j - i - 1);
  if (n >= 2 && f >= 2) {
    const sq = new Float64Array(f), cross = new Float64Array((f * (f - 1)) / 2);
    const blocks = full.map(() => new Float64Array(BLOCK_ROWS));
    for (let s = 0; s < n; s += BLOCK_ROWS) {
      const m = Math.min(BLOCK_ROWS, n - s);
      for (let a = 0; a < f; a++) {
        const c = columns[full[a]]!, mu = mean[full[a]], d = blocks[a];
        let acc = sq[a];
        for (let r = 0; r < m; r++) {
          const v = c[s + r] - mu;
          d[r] = v;
          acc += v * v;
        }
        sq[a] = acc;
      }
      let q = 0;
      for (let a = 0; a < f; a++) {
        const da = blocks[a];
        for (let b = a + 1; b < f; b++, q++) {
          const db = blocks[b];
          let acc = cross[q];
          for (let r = 0; r < m; r++) acc += da[r] * db[r];
          cross[q] = acc;
        }
      }
    }
    let q = 0;
    for (let a = 0; a < f; a++) {
      for (let b = a + 1; b < f; b++, q++) {
        const sxx = sq[a], syy = sq[b];
        if (sxx <= 0 || syy <= 0) continue; // NaN, as pearson gives for a constant column
        const r = cross[q] / Math.sqrt(sxx * syy);
        out[pairOf(full[a], full[b])] = r > 1 ? 1 : r < -1 ? -1 : r;
      }
    }
  }
  const inFull = new Uint8Array(p);
  if (n >= 2) for (const i of full) inFull[i] = 1;
  for (let i = 0; i < p; i++) {
    const ci = columns[i];
    if (!ci) continue;
    for (let j = i + 1; j < p; j++) {
      const cj = columns[j];
      if (!cj || (inFull[i] && inFull[j])) continue;
      out[pairOf(i, j)] = pearson(ci, cj);
    }
  }
  return out;
}
