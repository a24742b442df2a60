/**
 * Two-way count table of two coded columns (codes in [0, sizeA) and [0, sizeB)), row-major sizeA × sizeB,
 * written into `out` when given (it is zeroed first). O(n + sizeA·sizeB).
 * @example contingency(Int32Array.of(0, 1), Int32Array.of(1, 1), 2, 2) // [0, 1, 0, 1]
 */
export function contingency(a: Int32Array, b: Int32Array, sizeA: number, sizeB: number, out?: Float64Array): Float64Array {
  const cells = sizeA * sizeB;
  const t = out && out.length >= cells ? out.subarray(0, cells) : new Float64Array(cells);
  t.fill(0);
  for (let i = 0; i < a.length; i++) t[a[i] * sizeB + b[i]]++;
  return t;
}

/**
 * Total variation distance between two count tables of the same shape, each normalised by its own total:
 * ½ Σ |p − q|. 0 = same joint shares, 1 = disjoint. NaN when either total is 0.
 * @example contingencyTv(Float64Array.of(1, 1), Float64Array.of(2, 0)) // 0.5
 */
export function contingencyTv(p: Float64Array, q: Float64Array): number {
  let np = 0, nq = 0;
  for (let i = 0; i < p.length; i++) {
    np += p[i];
    nq += q[i];
  }
  if (np === 0 || nq === 0) return NaN;
  let s = 0;
  for (let i = 0; i < p.length; i++) s += Math.abs(p[i] / np - q[i] / nq);
  return s / 2;
}

/**
 * Cramér's V of a count table (sizeA × sizeB, row-major): √(χ² / (n · (min(r, c) − 1))) over the rows and columns
 * with a non-zero total. 0 = independent, 1 = each value of one determines the other. 0 when either side has a
 * single non-empty level. O(cells).
 * @example cramersV(Float64Array.of(5, 0, 0, 5), 2, 2) // 1
 */
export function cramersV(t: Float64Array, sizeA: number, sizeB: number): number {
  const ra = new Float64Array(sizeA), cb = new Float64Array(sizeB);
  let n = 0;
  for (let i = 0; i < sizeA; i++) {
    for (let j = 0; j < sizeB; j++) {
      const v = t[i * sizeB + j];
      ra[i] += v;
      cb[j] += v;
      n += v;
    }
  }
  let r = 0, c = 0;
  for (let i = 0; i < sizeA; i++) if (ra[i] > 0) r++;
  for (let j = 0; j < sizeB; j++) if (cb[j] > 0) c++;
  const k = Math.min(r, c) - 1;
  if (n === 0 || k <= 0) return 0;
  let chi2 = 0;
  for (let i = 0; i < sizeA; i++) {
    if (ra[i] === 0) continue;
    for (let j = 0; j < sizeB; j++) {
      if (cb[j] === 0) continue;
      const e = (ra[i] * cb[j]) / n;
      const d = t[i * sizeB + j] - e;
      chi2 += (d * d) / e;
    }
  }
  return Math.min(1, Math.sqrt(chi2 / (n * k)));
}
