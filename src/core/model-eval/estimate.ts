/**
 * A figure with its bootstrap confidence interval, and the machinery to attach intervals to a nested
 * structure of figures computed once on the data and once per resample.
 */
import { percentileInterval } from './bootstrap.js';

/** A measured figure: `value` on all rows, `interval` the bootstrap percentile interval (null when undefined). */
export interface Estimate {
  value: number | null;
  interval: [number, number] | null;
}

/** Nested figures: numbers, arrays and records of them. */
export type Figures = number | Figures[] | { [key: string]: Figures };

/** The same shape with every number replaced by an Estimate (kept loose on purpose: deep mapped types slow the checker). */
export type Estimated = { [key: string]: any };

/** Appends every number of `f` to `out` in a fixed order (keys in insertion order, arrays in index order). */
export function flattenFigures(f: Figures, out: number[]): void {
  if (typeof f === 'number') out.push(f);
  else if (Array.isArray(f)) for (const x of f) flattenFigures(x, out);
  else for (const k of Object.keys(f)) flattenFigures(f[k], out);
}

/**
 * Runs `compute(-1)` for the point figures (all rows, weight 1) and `compute(r)` for resamples r = 0…R−1 (the
 * callback draws its own seeded weights), and returns the point figures with percentile intervals at `level`.
 * Each call must produce the same shape.
 * @example withIntervals((r) => ({ acc: accuracy(r < 0 ? null : poissonWeights(rng, buf)) }), 200)
 */
export function withIntervals(compute: (resample: number) => object, resamples: number, level = 0.95, onResample?: (r: number) => void): Estimated {
  const point = compute(-1) as Figures;
  const flat: number[] = [];
  flattenFigures(point, flat);
  const F = flat.length;
  const samples = new Float64Array(F * resamples);
  const buf: number[] = [];
  for (let r = 0; r < resamples; r++) {
    onResample?.(r);
    buf.length = 0;
    flattenFigures(compute(r) as Figures, buf);
    for (let f = 0; f < F; f++) samples[f * resamples + r] = buf[f];
  }
  let idx = 0;
  const attach = (x: Figures): unknown => {
    if (typeof x === 'number') {
      const iv = resamples > 1 ? percentileInterval(samples.subarray(idx * resamples, (idx + 1) * resamples), level) : null;
      idx++;
      return { value: Number.isFinite(x) ? x : null, interval: iv };
    }
    if (Array.isArray(x)) return x.map(attach);
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(x)) o[k] = attach(x[k]);
    return o;
  };
  return attach(point) as Estimated;
}
