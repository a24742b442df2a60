import type { Metric, MetricInput } from '../metrics/metric.js';
import { createRng, type Rng } from '../random.js';
import type { Table } from '../table/table.js';

/** Options of `bootstrapRows` and `rowResamples`. */
export interface RowBootstrapOptions {
  /** Resamples; default 30. */
  resamples?: number;
  /** Most rows per resampled table (m-out-of-n); default 5000. */
  maxRows?: number;
  /** Interval level; default 0.95. */
  level?: number;
}

/**
 * Row resamples of a (real, synthetic) pair, drawn once and shared by every cheap metric of a report: resample b draws
 * with replacement, seeded by (seed, b), ⌈f·n⌉ rows of each table with f = min(1, maxRows / largest table). Sharing
 * them means the rows are gathered once per resample for all metrics (the gathers were most of the bootstrap's cost),
 * and metrics that cache per table (the pair metrics' trends) compute once per resample.
 */
export interface RowResamples {
  /** f above. */
  fraction: number;
  tables: { real: Table; synthetic: Table }[];
}

/**
 * Draws the shared row resamples for `bootstrapRows` (see {@link RowResamples}); null when a table is empty.
 * O(resamples × f × (real + synthetic rows) × columns).
 * @example const shared = rowResamples(real, synthetic, 1, { resamples: 30 });
 */
export function rowResamples(real: Table, synthetic: Table, seed: number, opts: RowBootstrapOptions = {}): RowResamples | null {
  return drawResamples(real, synthetic, createRng(seed, 'bootstrap-rows'), opts);
}

/**
 * Bootstrap interval of a cheap metric's score by recomputing it on resampled rows. Each resample draws, with
 * replacement and seeded, a fraction f = min(1, maxRows / largest table) of the rows of the real and of the
 * synthetic table (m-out-of-n bootstrap); the interval is score + √f · (quantiles of the resampled scores minus
 * their mean), clamped to [0, 1]. With f = 1 this is the ordinary (basic, centred) bootstrap; with f < 1 the √f
 * rescaling carries the spread of m-row samples over to n rows (valid for statistics with √n behaviour).
 * `shared` gives resamples drawn once for a whole report ({@link rowResamples}, the report's path; `resamples` and
 * `maxRows` are then theirs); without it the metric draws its own, seeded by its id. Returns null when fewer than 5
 * resamples succeed. O(resamples × metric cost on m rows).
 * @example bootstrapRows(ksComplement, input, 0.97, { resamples: 50 }) // [0.95, 0.985]
 */
export async function bootstrapRows(metric: Metric, input: MetricInput, score: number, opts: RowBootstrapOptions = {}, shared?: RowResamples | null): Promise<{ interval: [number, number]; resamples: number; fraction: number } | null> {
  const level = opts.level ?? 0.95;
  const own = shared ?? drawResamples(input.real, input.synthetic, createRng(input.seed, 'bootstrap', metric.info.id), opts);
  if (!own) return null;
  const f = own.fraction;
  const scores: number[] = [];
  for (let b = 0; b < own.tables.length; b++) {
    const t = own.tables[b];
    const res = await metric.compute({ ...input, real: t.real, synthetic: t.synthetic, seed: input.seed + b + 1 });
    if (res.status === 'ok' && Number.isFinite(res.score)) scores.push(res.score!);
  }
  if (scores.length < 5) return null;
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const dev = Float64Array.from(scores, (s) => s - mean).sort();
  const q = (p: number) => dev[Math.min(dev.length - 1, Math.max(0, Math.round(p * (dev.length - 1))))];
  const k = Math.sqrt(f);
  const lo = Math.max(0, Math.min(1, score + k * q((1 - level) / 2))), hi = Math.max(0, Math.min(1, score + k * q(1 - (1 - level) / 2)));
  return { interval: [Math.min(lo, score), Math.max(hi, score)], resamples: scores.length, fraction: f };
}

/** Resample b: ⌈f·n⌉ rows of each table drawn with replacement from `rng.split(b)`. */
function drawResamples(real: Table, synthetic: Table, rng: Rng, opts: RowBootstrapOptions): RowResamples | null {
  const B = opts.resamples ?? 30, maxRows = opts.maxRows ?? 5000;
  const nr = real.numRows, ns = synthetic.numRows;
  if (nr === 0 || ns === 0) return null;
  const f = Math.min(1, maxRows / Math.max(nr, ns));
  const mr = Math.max(1, Math.ceil(f * nr)), ms = Math.max(1, Math.ceil(f * ns));
  const tables: RowResamples['tables'] = [];
  for (let b = 0; b < B; b++) {
    const r = rng.split(b);
    const ir = new Int32Array(mr), is = new Int32Array(ms);
    for (let i = 0; i < mr; i++) ir[i] = r.int(nr);
    for (let i = 0; i < ms; i++) is[i] = r.int(ns);
    tables.push({ real: real.take(ir), synthetic: synthetic.take(is) });
  }
  return { fraction: f, tables };
}
