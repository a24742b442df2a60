/**
 * Benjamini–Hochberg adjustment of p-values: controls the false discovery rate (the expected share of false
 * findings among those reported) when many slices are tested at once.
 */

/**
 * BH-adjusted p-values ("q-values"), in the input order: q_(i) = min over j ≥ i of p_(j) · m / j, capped at 1.
 * A finding with q ≤ α is reported at false discovery rate α.
 * @example benjaminiHochberg([0.01, 0.04, 0.03]) // [0.03, 0.04, 0.04]
 */
export function benjaminiHochberg(p: readonly number[]): number[] {
  const m = p.length;
  const order = [...p.keys()].sort((a, b) => p[a] - p[b]);
  const q = new Array<number>(m);
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    const i = order[r];
    running = Math.min(running, (p[i] * m) / (r + 1));
    q[i] = running;
  }
  return q;
}
