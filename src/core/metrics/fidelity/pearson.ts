/**
 * Pearson correlation of `x` and `y` over the rows where both are present (NaN = missing), in two passes
 * (means, then centred sums) for numerical stability. NaN when fewer than two such rows or either is constant.
 * O(n).
 * @example pearson(Float64Array.of(1, 2, 3), Float64Array.of(2, 4, 7)) // ≈ 0.993
 */
export function pearson(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let sx = 0, sy = 0, k = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i], b = y[i];
    if (a !== a || b !== b) continue;
    sx += a;
    sy += b;
    k++;
  }
  if (k < 2) return NaN;
  const mx = sx / k, my = sy / k;
  let sxx = 0, syy = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i], b = y[i];
    if (a !== a || b !== b) continue;
    const dx = a - mx, dy = b - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (sxx <= 0 || syy <= 0) return NaN;
  const r = sxy / Math.sqrt(sxx * syy);
  return r > 1 ? 1 : r < -1 ? -1 : r;
}
