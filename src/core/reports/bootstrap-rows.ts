import type { Metric, MetricInput, RowWeights } from '../metrics/metric.js';
import { createRng, type Rng } from '../random.js';
import type { Table } from '../table/table.js';

/** Options of `bootstrapRows` and `rowResamples`. */
export interface RowBootstrapOptions {
  /** Resamples; default 30. */
  resamples?: number;
  /**
   * Most rows per resampled table; default Infinity: every resample draws n rows of each table (n-out-of-n, the
   * ordinary bootstrap). A smaller value gives the m-out-of-n bootstrap with the spread rescaled (see bootstrapRows).
   */
  maxRows?: number;
  /** Interval level; default 0.95. */
  level?: number;
}

/**
 * Row resamples of a (real, synthetic) pair, drawn once and shared by every cheap metric of a report: resample b draws
 * with replacement, seeded by (seed, b), ⌈f·n⌉ rows of each table with f = min(1, maxRows / largest table) (f = 1 by
 * default). A resample is kept as per-row multiplicities ({@link RowWeights}: 1 byte per row); metrics with
 * `computeWeighted` score it from the full tables without gathering rows, the others get the gathered tables
 * (`gathered(b)`, built on demand; kept for reuse only when f < 1, where they are small).
 */
export interface RowResamples {
  /** f above. */
  fraction: number;
  /** Resample b's multiplicities; null when a multiplicity exceeded 255 (then only `gathered` serves). */
  weights: (RowWeights | null)[];
  /** Resample b as tables: each row repeated its multiplicity times, in row order. */
  gathered(b: number): { real: Table; synthetic: Table };
}

/**
 * Draws the shared row resamples for `bootstrapRows` (see {@link RowResamples}); null when a table is empty.
 * O(resamples × f × (real + synthetic rows)) draws and 1 byte per row and resample.
 * @example const shared = rowResamples(real, synthetic, 1, { resamples: 30 });
 */
export function rowResamples(real: Table, synthetic: Table, seed: number, opts: RowBootstrapOptions = {}): RowResamples | null {
  return drawResamples(real, synthetic, createRng(seed, 'bootstrap-rows'), opts);
}

/**
 * Bootstrap interval of a cheap metric's score on resampled rows. Each resample draws, with replacement and seeded,
 * a fraction f = min(1, maxRows / largest table) of the rows of the real and of the synthetic table — by default
 * f = 1: n rows of each (n-out-of-n, the ordinary bootstrap); the interval is score + √f · (quantiles of the
 * resampled scores minus their mean), clamped to [0, 1] (basic, centred on the score). With f < 1 (m-out-of-n) the
 * √f rescaling carries the spread of m-row samples over to n rows (valid for statistics with √n behaviour).
 * A metric with `computeWeighted` scores each resample from its row multiplicities (no row gathers; the same scores
 * to 1e-12 as recomputing on the gathered rows); the others recompute on the gathered resample.
 * `shared` gives resamples drawn once for a whole report ({@link rowResamples}, the report's path; `resamples` and
 * `maxRows` are then theirs); without it the metric draws its own, seeded by its id. Returns null when fewer than 5
 * resamples succeed. O(resamples × metric cost on the resample).
 * @example bootstrapRows(ksComplement, input, 0.97, { resamples: 50 }) // [0.95, 0.985]
 */
export async function bootstrapRows(metric: Metric, input: MetricInput, score: number, opts: RowBootstrapOptions = {}, shared?: RowResamples | null): Promise<{ interval: [number, number]; resamples: number; fraction: number } | null> {
  const level = opts.level ?? 0.95;
  const own = shared ?? drawResamples(input.real, input.synthetic, createRng(input.seed, 'bootstrap', metric.info.id), opts);
  if (!own) return null;
  const f = own.fraction;
  const scores: number[] = [];
  for (let b = 0; b < own.weights.length; b++) {
    const w = own.weights[b];
    let s = w && metric.computeWeighted ? metric.computeWeighted(input, w) : null;
    if (s === null) {
      const t = own.gathered(b);
      const res = await metric.compute({ ...input, real: t.real, synthetic: t.synthetic, seed: input.seed + b + 1 });
      s = res.status === 'ok' && res.score !== undefined ? res.score : NaN;
    }
    if (Number.isFinite(s)) scores.push(s);
  }
  if (scores.length < 5) return null;
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const dev = Float64Array.from(scores, (s) => s - mean).sort();
  const q = (p: number) => dev[Math.min(dev.length - 1, Math.max(0, Math.round(p * (dev.length - 1))))];
  const k = Math.sqrt(f);
  const lo = Math.max(0, Math.min(1, score + k * q((1 - level) / 2))), hi = Math.max(0, Math.min(1, score + k * q(1 - (1 - level) / 2)));
  return { interval: [Math.min(lo, score), Math.max(hi, score)], resamples: scores.length, fraction: f };
}

/**
 * The resampled table that multiplicities `w` describe: row i repeated w[i] times, in row order (the metrics are
 * invariant to row order, so this scores the same as the rows in the order they were drawn).
 * @example gatherWeighted(real, weights.real).numRows === weights.realRows
 */
export function gatherWeighted(table: Table, w: Uint8Array): Table {
  let total = 0;
  for (let i = 0; i < w.length; i++) total += w[i];
  const idx = new Int32Array(total);
  for (let i = 0, k = 0; i < w.length; i++) for (let c = w[i]; c > 0; c--) idx[k++] = i;
  return table.take(idx);
}

/**
 * Resample b: ⌈f·n⌉ rows of each table drawn with replacement from `rng.split(b)` (the same draws as when the rows
 * were gathered directly), counted into multiplicities.
 */
function drawResamples(real: Table, synthetic: Table, rng: Rng, opts: RowBootstrapOptions): RowResamples | null {
  const B = opts.resamples ?? 30, maxRows = opts.maxRows ?? Infinity;
  const nr = real.numRows, ns = synthetic.numRows;
  if (nr === 0 || ns === 0) return null;
  const f = Math.min(1, maxRows / Math.max(nr, ns));
  const mr = Math.max(1, Math.ceil(f * nr)), ms = Math.max(1, Math.ceil(f * ns));
  const weights: (RowWeights | null)[] = [];
  for (let b = 0; b < B; b++) {
    const r = rng.split(b);
    const wr = count(r, nr, mr), ws = wr && count(r, ns, ms);
    weights.push(wr && ws ? { real: wr, synthetic: ws, realRows: mr, syntheticRows: ms } : null);
  }
  const batch = weights.filter((w): w is RowWeights => w !== null);
  for (const w of batch) w.batch = batch;
  const keep = f < 1 ? new Map<number, { real: Table; synthetic: Table }>() : null;
  const gathered = (b: number): { real: Table; synthetic: Table } => {
    let t = keep?.get(b);
    if (t) return t;
    const w = weights[b];
    if (w) t = { real: gatherWeighted(real, w.real), synthetic: gatherWeighted(synthetic, w.synthetic) };
    else {
      // A multiplicity above 255: redraw the same rows as indices.
      const r = rng.split(b);
      const ir = new Int32Array(mr), is = new Int32Array(ms);
      for (let i = 0; i < mr; i++) ir[i] = r.int(nr);
      for (let i = 0; i < ms; i++) is[i] = r.int(ns);
      t = { real: real.take(ir), synthetic: synthetic.take(is) };
    }
    keep?.set(b, t);
    return t;
  };
  return { fraction: f, weights, gathered };
}

/** Multiplicities of `draws` uniform draws among n rows; null if one exceeds 255 (the draws are consumed anyway). */
function count(r: Rng, n: number, draws: number): Uint8Array | null {
  const w = new Uint8Array(n);
  let overflow = false;
  for (let i = 0; i < draws; i++) {
    const k = r.int(n);
    if (w[k] === 255) overflow = true;
    else w[k]++;
  }
  return overflow ? null : w;
}
