/**
 * Marginal calibration of a generator's numeric outputs. After training, the generator's own marginal of a numeric
 * column is summarised by `knots` quantiles of a large generated sample (G); a generated value v is then replaced
 * by Q(G(v)), where Q is the column's protected training quantile function (the shared column model's marginal).
 * The map is monotone, so the order of values — and with it the rank dependence the network learned — is kept,
 * while the column's distribution becomes the training one (up to the resolution of the knots). No training row is
 * stored: the knots are quantiles of *generated* values.
 */

/** Knots of a calibration: `count` quantiles (0 … 1, evenly spaced) of the finite values; null with fewer than 2. */
export function calibrationKnots(values: ArrayLike<number>, count = 129): Float64Array | null {
  const v: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) v.push(values[i]);
  if (v.length < 2) return null;
  v.sort((a, b) => a - b);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = v[Math.round((i / (count - 1)) * (v.length - 1))];
  return out;
}

/**
 * G(v): the cumulative probability of v under the piecewise-linear CDF through the knots (0 below the first knot,
 * 1 above the last). On a run of equal knots (a point mass of the generator) v gets the run's middle probability.
 * O(log knots).
 * @example calibratedProbability(knots, x) // in [0, 1]
 */
export function calibratedProbability(knots: ArrayLike<number>, v: number): number {
  const K = knots.length;
  if (v < knots[0]) return 0;
  if (v > knots[K - 1]) return 1;
  // first index with knot > v, and first with knot >= v
  let lo = 0, hi = K;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (knots[mid] > v) hi = mid;
    else lo = mid + 1;
  }
  const above = lo;
  lo = 0;
  hi = K;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (knots[mid] >= v) hi = mid;
    else lo = mid + 1;
  }
  const from = lo;
  if (above - from >= 2) return (from + above - 1) / 2 / (K - 1); // v equals a run of knots
  const j = above - 1; // knots[j] <= v < knots[j + 1]
  if (j >= K - 1) return 1;
  const a = knots[j], b = knots[j + 1];
  return (j + (b > a ? (v - a) / (b - a) : 0)) / (K - 1);
}
