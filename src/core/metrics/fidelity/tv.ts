/**
 * Total variation distance between the category distributions of two coded samples (codes in [0, levels),
 * -1 = missing, counted as a category of its own): ½ Σ |p_a(k) − p_b(k)|. 0 = same shares, 1 = disjoint.
 * NaN when either sample is empty. O(n + m + levels).
 * @example tvDistance(Int32Array.of(0, 0, 1, -1), Int32Array.of(0, 1, 1, 1), 2) // 0.5
 */
export function tvDistance(a: Int32Array, b: Int32Array, levels: number): number {
  const n = a.length, m = b.length;
  if (n === 0 || m === 0) return NaN;
  const ca = new Float64Array(levels + 1), cb = new Float64Array(levels + 1);
  for (let i = 0; i < n; i++) ca[a[i] + 1]++;
  for (let i = 0; i < m; i++) cb[b[i] + 1]++;
  let s = 0;
  for (let k = 0; k <= levels; k++) s += Math.abs(ca[k] / n - cb[k] / m);
  return s / 2;
}
