import type { Rng } from '../../random.js';

/** Below this many trials a binomial is drawn by counting uniforms directly. */
const DIRECT_TRIALS = 48;

/**
 * One exact draw from Binomial(n, p): the number of n independent uniforms below p, found without drawing them all.
 * The a-th smallest of n uniforms (a ≈ n/2) is Beta(a, n − a + 1) (drawn as a ratio of gammas); given it is x, the
 * a − 1 smaller uniforms are uniform on (0, x) and the n − a larger on (x, 1). So when x ≤ p the a smallest count and
 * the n − a larger are a Binomial(n − a, (p − x)/(1 − x)); otherwise only the a − 1 smaller can count, each with
 * probability p / x. Each step halves n; below 48 trials the uniforms are drawn. O(log n) gamma draws (Devroye 1986,
 * ch. X.4, the recursive method). `n` is rounded down; p ≤ 0 → 0, p ≥ 1 → n.
 * @example binomial(createRng(1), 1_000_000, 0.3) // ≈ 300,000 ± 460
 */
export function binomial(rng: Rng, n: number, p: number): number {
  n = Math.floor(n);
  if (!(n > 0) || !(p > 0)) return 0;
  if (p >= 1) return n;
  let k = 0;
  while (n > DIRECT_TRIALS) {
    if (p <= 0) return k;
    if (p >= 1) return k + n;
    const a = (n >> 1) + 1;
    const ga = rng.gamma(a), gb = rng.gamma(n - a + 1);
    const x = ga / (ga + gb);
    if (x <= p) {
      k += a;
      n -= a;
      p = (p - x) / (1 - x);
    } else {
      n = a - 1;
      p = p / x;
    }
  }
  for (let i = 0; i < n; i++) if (rng.next() < p) k++;
  return k;
}
