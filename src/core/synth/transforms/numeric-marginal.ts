import { decodeFloats, encodeFloats } from '../../artifact.js';
import { normalQuantile } from './normal.js';

/** Serialised numeric marginal: knots of the protected inverse CDF (no training rows). */
export interface NumericMarginalState {
  /** Cumulative probabilities of the knots, non-decreasing, from 0 to 1. */
  u: ReturnType<typeof encodeFloats>;
  /** Values at the knots, non-decreasing; the ends are the k-th smallest and k-th largest values. */
  x: ReturnType<typeof encodeFloats>;
  /** Round sampled values to this many decimals (numerical); absent = no rounding. */
  decimals?: number;
  /** Round sampled values to a multiple of this step (datetime: 86 400 000 for dates, 1000 for seconds). */
  step?: number;
}

/** Options for {@link fitNumericMarginal}. */
export interface NumericMarginalOptions {
  /** Extremes are clipped to the k-th smallest / largest value; values shared by ≥ max(k, atomShare·n) rows become point masses. Default 5. */
  k?: number;
  /** Number of grid intervals of the inverse CDF. More = closer fit, fewer = smoother. Default 1000. */
  gridSize?: number;
  /** Minimum share of rows for a repeated value to be kept as an exact point mass (zero-inflation, popular values). Default 0.001. */
  atomShare?: number;
  decimals?: number;
  step?: number;
}

/**
 * A one-dimensional distribution for a numeric or datetime column, stored as a monotone piecewise-linear
 * inverse CDF (quantile function) Q(u). Point masses (e.g. the zeros of a zero-inflated column such as
 * capital-gain, or the popular values of an integer column) are flat segments, so they are reproduced
 * exactly; the continuous part is interpolated between grid knots, so sampled values are not copies of
 * training values. Extremes are protected: Q(0) is the k-th smallest value and Q(1) the k-th largest.
 *
 * @example
 * const m = fitNumericMarginal(values, { k: 5, decimals: 0 });
 * m.inverse(0.5); // the median, rounded to whole numbers
 */
export class NumericMarginal {
  readonly u: Float64Array;
  readonly x: Float64Array;
  /** Φ⁻¹ of `u`, for sampling straight from normal scores. */
  readonly z: Float64Array;
  readonly decimals: number | undefined;
  readonly step: number | undefined;
  private readonly scale: number;
  /** For each of ZCELLS cells of z in [−ZMAX, ZMAX], the last knot index with z-knot ≤ the cell's left edge. */
  private readonly zStart: Int32Array;

  constructor(u: Float64Array, x: Float64Array, decimals?: number, step?: number) {
    this.u = u;
    this.x = x;
    this.decimals = decimals;
    this.step = step;
    this.scale = decimals !== undefined ? Math.pow(10, decimals) : 0;
    this.z = new Float64Array(u.length);
    for (let i = 0; i < u.length; i++) this.z[i] = normalQuantile(u[i]);
    this.zStart = new Int32Array(ZCELLS + 1);
    let k = 0;
    for (let c = 0; c <= ZCELLS; c++) {
      const left = -ZMAX + (c * 2 * ZMAX) / ZCELLS;
      while (k + 1 < this.z.length && this.z[k + 1] <= left) k++;
      this.zStart[c] = k;
    }
  }

  get min(): number {
    return this.x[0];
  }
  get max(): number {
    return this.x[this.x.length - 1];
  }

  /** Q(u) for u in [0, 1], rounded to the column's precision and kept within [min, max]. */
  inverse(u: number): number {
    return this.finish(interp(this.u, this.x, u));
  }

  /** Q(Φ(z)) computed directly on normal-score knots (no Φ evaluation: the sampling hot path). */
  inverseZ(z: number): number {
    const zs = this.z, n = zs.length;
    if (!(z > zs[0]) || z >= zs[n - 1] || z <= -ZMAX || z >= ZMAX) return this.finish(interp(zs, this.x, z));
    let lo = this.zStart[((z + ZMAX) * (ZCELLS / (2 * ZMAX))) | 0];
    while (lo + 1 < n && zs[lo + 1] <= z) lo++;
    const hi = lo + 1;
    const d = zs[hi] - zs[lo];
    const xs = this.x;
    let v: number;
    if (d === Infinity) v = zs[lo] === -Infinity ? xs[hi] : xs[lo];
    else v = d > 0 ? xs[lo] + ((z - zs[lo]) / d) * (xs[hi] - xs[lo]) : xs[hi];
    return this.finish(v);
  }

  /** Rounds to the stored precision and clamps to the protected range. */
  finish(v: number): number {
    if (this.step !== undefined && this.step > 0) v = Math.round(v / this.step) * this.step;
    else if (this.scale > 0 && Math.abs(v) < 1e15) v = Math.round(v * this.scale) / this.scale;
    const lo = this.x[0], hi = this.x[this.x.length - 1];
    return v < lo ? lo : v > hi ? hi : v;
  }

  /**
   * The range of u where Q(u) = v: a proper interval for a point mass, a single point for a continuous
   * value, and null when v lies outside [min, max]. Used for exact conditional sampling.
   */
  cdfInterval(v: number): [number, number] | null {
    const x = this.x, u = this.u, n = x.length;
    if (!(v >= x[0] && v <= x[n - 1])) return null;
    let lo = 0, hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    if (x[lo] === v) {
      let last = lo;
      while (last + 1 < n && x[last + 1] === v) last++;
      return [u[lo], u[last]];
    }
    const a = lo - 1;
    const t = (v - x[a]) / (x[lo] - x[a]);
    const p = u[a] + t * (u[lo] - u[a]);
    return [p, p];
  }

  /** The u-range where Q(u) lies in [min, max] (either may be omitted). */
  rangeInterval(min?: number, max?: number): [number, number] {
    const lo = min === undefined || min <= this.x[0] ? 0 : (this.cdfInterval(min)?.[0] ?? 1);
    const hi = max === undefined || max >= this.max ? 1 : (this.cdfInterval(max)?.[1] ?? 0);
    return [lo, hi];
  }

  toJSON(): NumericMarginalState {
    const s: NumericMarginalState = { u: encodeFloats(this.u), x: encodeFloats(this.x) };
    if (this.decimals !== undefined) s.decimals = this.decimals;
    if (this.step !== undefined) s.step = this.step;
    return s;
  }

  static fromJSON(s: NumericMarginalState): NumericMarginal {
    return new NumericMarginal(Float64Array.from(decodeFloats(s.u)), Float64Array.from(decodeFloats(s.x)), s.decimals, s.step);
  }
}

const ZMAX = 8;
const ZCELLS = 4096;

/** Linear interpolation of the monotone knot function (xs → ys) at t; flat beyond the ends. */
function interp(xs: Float64Array, ys: Float64Array, t: number): number {
  const n = xs.length;
  if (!(t > xs[0])) return ys[0];
  if (t >= xs[n - 1]) return ys[n - 1];
  let lo = 0, hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= t) lo = mid;
    else hi = mid;
  }
  const d = xs[hi] - xs[lo];
  if (d === Infinity) return xs[lo] === -Infinity ? ys[hi] : ys[lo];
  return d > 0 ? ys[lo] + ((t - xs[lo]) / d) * (ys[hi] - ys[lo]) : ys[hi];
}

/**
 * Fits a {@link NumericMarginal} to the finite values of a column (missing values excluded by the caller).
 * O(n log n) for the sort. Needs at least one value.
 */
export function fitNumericMarginal(values: Float64Array, opts: NumericMarginalOptions = {}): NumericMarginal {
  const k = opts.k ?? 5;
  const grid = Math.max(2, opts.gridSize ?? 1000);
  const n = values.length;
  const s = Float64Array.from(values).sort();
  const loI = Math.min(k - 1, Math.floor((n - 1) / 2));
  const hiI = Math.max(n - k, Math.ceil((n - 1) / 2));
  const lo = s[Math.max(0, loI)], hi = s[Math.min(n - 1, hiI)];
  for (let i = 0; i < n; i++) s[i] = s[i] < lo ? lo : s[i] > hi ? hi : s[i];
  const minAtom = Math.max(k, Math.ceil((opts.atomShare ?? 0.001) * n), 2);
  // Knots on the graph of the empirical quantile function Q(u) = s[floor(u·n)].
  const ku: number[] = [];
  const kx: number[] = [];
  for (let j = 0; j <= grid; j++) {
    const u = j / grid;
    ku.push(u);
    kx.push(s[Math.min(n - 1, Math.floor(u * n))]);
  }
  for (let i = 0; i < n; ) {
    let e = i + 1;
    while (e < n && s[e] === s[i]) e++;
    if (e - i >= minAtom) {
      ku.push(i / n, e / n);
      kx.push(s[i], s[i]);
    }
    i = e;
  }
  const order = Array.from(ku.keys()).sort((a, b) => ku[a] - ku[b] || kx[a] - kx[b]);
  const u: number[] = [];
  const x: number[] = [];
  for (const i of order) {
    const lu = u.length - 1;
    if (lu >= 0 && u[lu] === ku[i] && x[lu] === kx[i]) continue;
    // Keep at most two knots per u (a jump); drop interior duplicates of flat runs.
    if (lu >= 1 && x[lu] === kx[i] && x[lu - 1] === kx[i]) {
      u[lu] = ku[i];
      continue;
    }
    u.push(ku[i]);
    x.push(kx[i]);
  }
  u[0] = 0;
  u[u.length - 1] = 1;
  return new NumericMarginal(Float64Array.from(u), Float64Array.from(x), opts.decimals, opts.step);
}
