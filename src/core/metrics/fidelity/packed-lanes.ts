/**
 * Exact integer counters for many bootstrap resamples at once: three resamples' weights share one double as 17-bit
 * fields of an exact integer, so one addition per row updates three counters. Counters are flushed to per-lane integer
 * counters before any lane's total since the last flush could reach 2^17 (no field ever carries). Used by the batched
 * column histograms (weighted-columns.ts) and the batched pair counts (pair-tables.ts).
 */

/** One 17-bit field of a packed counter: a counter can take 2^17 − 1 before carrying into the next lane. */
export const FIELD = 131072;

/**
 * Rows [s, e)'s lane weights packed three per double into `block` (from 0); returns the largest lane total of the
 * block (what it adds to a counter at most). `sums` is room for the L lane totals.
 */
export function packBlock(weights: Uint8Array, L: number, P: number, s: number, e: number, block: Float64Array, sums: Float64Array): number {
  sums.fill(0);
  for (let r = s; r < e; r++) {
    const wr = r * L, o = (r - s) * P;
    for (let t = 0; t < P; t++) {
      const l = 3 * t;
      const w0 = weights[wr + l], w1 = l + 1 < L ? weights[wr + l + 1] : 0, w2 = l + 2 < L ? weights[wr + l + 2] : 0;
      block[o + t] = w0 + w1 * FIELD + w2 * FIELD * FIELD;
      sums[l] += w0;
      if (l + 1 < L) sums[l + 1] += w1;
      if (l + 2 < L) sums[l + 2] += w2;
    }
  }
  let most = 0;
  for (let l = 0; l < L; l++) if (sums[l] > most) most = sums[l];
  return most;
}

/** Adds packed counters' fields to the per-lane counters and clears them. */
export function unpackLanes(packed: Float64Array, h: Int32Array, L: number, P: number): void {
  const cells = packed.length / P;
  for (let c = 0; c < cells; c++) {
    for (let t = 0; t < P; t++) {
      let v = packed[c * P + t];
      if (v === 0) continue;
      packed[c * P + t] = 0;
      const l = 3 * t, at = c * L + l;
      const f0 = v % FIELD;
      v = (v - f0) / FIELD;
      const f1 = v % FIELD;
      h[at] += f0;
      if (l + 1 < L) h[at + 1] += f1;
      if (l + 2 < L) h[at + 2] += (v - f1) / FIELD;
    }
  }
}
