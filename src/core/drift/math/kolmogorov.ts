/**
 * The Kolmogorov distribution and two-sample Kolmogorov–Smirnov p-values, written from the math:
 * - asymptotic: Q(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²} (for small λ the equivalent theta-function form
 *   1 − √(2π)/λ Σ_{k≥1} e^{−(2k−1)²π²/(8λ²)} converges faster), with Stephens' small-sample correction
 *   λ = (√nₑ + 0.12 + 0.11/√nₑ)·D, nₑ = n·m/(n+m);
 * - exact: the probability that a uniformly random interleaving of the two samples (a lattice path from
 *   (0,0) to (n,m)) stays strictly inside |i/n − j/m| < D, by dynamic programming over the lattice.
 */

/**
 * Kolmogorov survival function Q(λ) = P(K > λ), in [0, 1], decreasing in λ.
 * @example kolmogorovQ(1.358) // ≈ 0.05
 */
export function kolmogorovQ(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1.18) {
    const y = Math.exp((-Math.PI * Math.PI) / (8 * lambda * lambda));
    // Σ y^{(2k-1)^2}
    let s = 0;
    for (let k = 1; k < 50; k++) {
      const t = Math.pow(y, (2 * k - 1) * (2 * k - 1));
      s += t;
      if (t < 1e-17) break;
    }
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / lambda) * s));
  }
  let s = 0;
  for (let k = 1; k < 100; k++) {
    const t = Math.exp(-2 * k * k * lambda * lambda);
    s += (k % 2 ? 1 : -1) * t;
    if (t < 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * s));
}

/** Largest n·m for which `ksPValue` uses the exact lattice computation (O(n·m) time, O(m) memory). */
export const KS_EXACT_LIMIT = 250_000;

/**
 * Two-sided p-value of the two-sample KS statistic `d` for sample sizes n and m: exact when n·m ≤
 * `KS_EXACT_LIMIT`, otherwise asymptotic with Stephens' correction. Returns 1 when a sample is empty.
 * @example ksPValue(0.5, 10, 10) // exact P(D ≥ 0.5) for two samples of 10
 */
export function ksPValue(d: number, n: number, m: number): number {
  if (!(n > 0) || !(m > 0) || !(d > 0)) return 1;
  if (d >= 1 && n * m <= KS_EXACT_LIMIT) return ksExactSurvival(1, n, m);
  if (n * m <= KS_EXACT_LIMIT) return ksExactSurvival(d, n, m);
  const en = Math.sqrt((n * m) / (n + m));
  return kolmogorovQ((en + 0.12 + 0.11 / en) * d);
}

/**
 * Exact P(D_{n,m} ≥ d) under the null (continuous data, no ties): one minus the probability that the
 * lattice path of a random interleaving stays strictly within |i/n − j/m| < d.
 * @example ksExactSurvival(1, 3, 3) // 2 / C(6,3) = 0.1
 */
export function ksExactSurvival(d: number, n: number, m: number): number {
  if (!(d > 0)) return 1;
  // Tolerance: D takes values k/lcm(n,m); compare with a small slack so D exactly equal to d counts as ≥ d.
  const eps = 1e-9;
  const inside = (i: number, j: number) => Math.abs(i / n - j / m) < d - eps;
  // prob[j] = probability of being at (i, j) having stayed inside; a step adds to i with probability
  // (n − i) / (n + m − i − j), which makes every interleaving equally likely.
  let prev = new Float64Array(m + 1);
  let cur = new Float64Array(m + 1);
  prev[0] = 1;
  for (let j = 1; j <= m; j++) prev[j] = inside(0, j) ? (prev[j - 1] * (m - (j - 1))) / (n + m - (j - 1)) : 0;
  for (let i = 1; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      if (!inside(i, j)) {
        cur[j] = 0;
        continue;
      }
      const left = n + m - (i - 1) - j; // remaining steps from (i-1, j)
      let p = prev[j] * ((n - (i - 1)) / left);
      if (j > 0) p += cur[j - 1] * ((m - (j - 1)) / (n + m - i - (j - 1)));
      cur[j] = p;
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(1, Math.max(0, 1 - prev[m]));
}
