import { makeArtifact, type Artifact } from '../artifact.js';
import { SynthopsError, throwIfAborted } from '../errors.js';
import { alignTables } from '../metrics/aligned.js';
import type { Metric, MetricCategory, MetricInput, MetricResult } from '../metrics/metric.js';
import { METRICS, getMetric } from '../metrics/registry.js';
import { pairTrendsOf } from '../metrics/fidelity/pair-metrics.js';
import type { KnnProvider } from '../neighbors/knn-provider.js';
import { prefetchBallCounts, type BallCountProvider } from '../metrics/diversity/prdc.js';
import { prefetchDetection } from '../metrics/detection/detection-metrics.js';
import { prefetchUtility } from '../metrics/utility/tstr.js';
import type { DetectorName } from '../metrics/detection/detectors.js';
import type { ParallelRunner } from '../parallel.js';
import { DIVERSITY_SEARCHES, PRIVACY_SEARCHES, privacyContext, type PrivacyContextOptions } from '../metrics/privacy/privacy-context.js';
import { createRng } from '../random.js';
import type { Table } from '../table/table.js';
import { bootstrapRows, rowResamples, type RowResamples } from './bootstrap-rows.js';
import { columnCharts, type ColumnChart } from './chart-data.js';
import { summarise, type CategorySummary } from './summary.js';

/** Artifact kind and payload version of an evaluation report. */
export const EVALUATION_KIND = 'report/evaluation';
export const EVALUATION_REPORT_VERSION = 1;

/** What to evaluate: the real data, the synthetic data and optionally a real holdout the synthesizer never saw. */
export interface EvaluationInput {
  real: Table;
  synthetic: Table;
  /** Real rows the synthesizer never saw. Without it, `real` is split (seeded) into training and holdout. */
  holdout?: Table;
}

/**
 * How to evaluate. Defaults: every registered metric, 20% holdout split when no holdout is given, 30 bootstrap
 * resamples of all n rows of each table (n-out-of-n; drawn once per report as row multiplicities and shared by the
 * cheap metrics: `rowResamples`).
 * @example { seed: 1, target: 'income', sensitive: ['race'] }
 */
export interface EvaluationSpec {
  /** Seeds the split, the bootstrap and every metric. Same seed → same report. */
  seed: number;
  /** Prediction target for the utility metrics. */
  target?: string;
  /** Sensitive columns for attribute inference. */
  sensitive?: string[];
  /** Share of `real` held out when no holdout is given; default 0.2. */
  holdoutFraction?: number;
  /** Metric ids to run; default all registered. */
  metrics?: string[];
  /** Bootstrap resamples for cheap metrics; default 30 (0 = no intervals). */
  resamples?: number;
  /**
   * Most rows per table in one bootstrap resample; default: all (n-out-of-n). A smaller value gives the m-out-of-n
   * bootstrap with the spread rescaled by √(m/n) (see bootstrapRows; the default until session 12 was 5000).
   */
  bootstrapMaxRows?: number;
  signal?: AbortSignal;
  /**
   * Runs the shared nearest-neighbour searches of the privacy (and diversity) metrics. Default: in this thread, when a
   * metric first needs them. A Node caller passes `workerKnnProvider(pool)` (src/node/workers/neighbors.ts): the
   * searches then start on worker threads at once and overlap the other metrics. Results are identical.
   */
  knn?: KnnProvider;
  /** Runs the diversity metrics' ball counts (after the searches), e.g. `workerBallProvider(pool)`. Default: in this thread. */
  balls?: BallCountProvider;
  /**
   * Runs the detection metrics' cross-validation folds and the utility metric's models (independent fits), e.g.
   * `poolRunner(pool)` (src/node/workers/parallel-runner.ts): they then start at once on worker threads, for the
   * synthetic table and the holdout reference. Default: in this thread, when the metric runs. Results are identical.
   */
  parallel?: ParallelRunner;
  /**
   * When privacy searches stop being exact over every query row (see PrivacyContextOptions): default exact up to
   * 1e10 row pairs per search (e.g. 100k × 100k); beyond, a seeded sample of query rows per table (2·10⁹ / largest
   * table's rows, between 2,000 and 20,000: 2,000 at 1M rows), stated in the affected metrics' warnings with its error
   * bound.
   */
  neighbours?: Omit<PrivacyContextOptions, 'seed'>;
  /** Called after each metric with its id (for progress bars), in the order they finish (see evaluate). */
  onMetric?: (id: string, done: number, total: number) => void;
}

/** One metric's entry in the report. */
export interface ReportMetric extends MetricResult {
  name: string;
  category: MetricCategory;
  description: string;
  /** How the interval was obtained, in words (resamples, method, approximation). */
  intervalMethod?: string;
}

/** The report payload (plain JSON). */
export interface EvaluationPayload {
  seed: number;
  rows: { training: number; synthetic: number; holdout: number };
  /** 'given' when the user passed a holdout, 'split' when it was split off the real data. */
  holdoutSource: 'given' | 'split';
  target: string | null;
  columns: string[];
  metrics: ReportMetric[];
  categories: CategorySummary[];
  /** Plain-language summary sentences for a non-expert. */
  summary: string[];
  /** Aggregated data for charts: never rows. */
  charts: { columns: ColumnChart[]; pairs: { a: string; b: string; score: number; related: boolean }[] };
  warnings: string[];
}

export type EvaluationReport = Artifact<EvaluationPayload>;

/**
 * Evaluates synthetic data against real data: runs every selected metric for synthetic-vs-training and, as the "as
 * good as real" reference, holdout-vs-training; adds bootstrap intervals for cheap metrics (seeded n-out-of-n row
 * bootstrap, scored from row multiplicities where the metric supports it; metrics with their own interval keep it);
 * summarises per category. A metric that throws becomes `status: 'error'` and the report goes on. Returns a versioned artifact (`report/evaluation`).
 * @example const report = await evaluate({ real, synthetic }, { seed: 1, target: 'income' });
 */
export async function evaluate(input: EvaluationInput, spec: EvaluationSpec): Promise<EvaluationReport> {
  if (!Number.isFinite(spec.seed)) throw new SynthopsError('invalid_argument', `invalid seed: ${String(spec.seed)}. Pass a finite number.`);
  const frac = spec.holdoutFraction ?? 0.2;
  if (!(frac > 0 && frac < 1)) throw new SynthopsError('invalid_argument', `invalid holdoutFraction: ${frac}. Use a number between 0 and 1.`);
  if (spec.target !== undefined && !input.real.has(spec.target)) throw new SynthopsError('invalid_argument', `invalid target: "${spec.target}" is not a column of the real data. Pick one of its columns.`, { column: spec.target });
  for (const s of spec.sensitive ?? []) if (!input.real.has(s)) throw new SynthopsError('invalid_argument', `invalid sensitive column: "${s}" is not a column of the real data.`, { column: s });
  const warnings: string[] = [];
  let training = input.real, holdout = input.holdout;
  if (!holdout) {
    const perm = createRng(spec.seed, 'holdout-split').permutation(input.real.numRows);
    const nh = Math.round(frac * input.real.numRows);
    holdout = input.real.take(perm.subarray(0, nh).sort());
    training = input.real.take(perm.subarray(nh).sort());
    warnings.push(`No holdout given: ${Math.round(frac * 100)}% of the real rows were held out as the reference. Privacy references assume the synthesizer was trained on the other ${Math.round((1 - frac) * 100)}% only; pass --holdout for a holdout it never saw.`);
  }
  const metrics: Metric[] = spec.metrics ? spec.metrics.map((id) => getMetric(id)) : METRICS;
  const base = { schema: training.schema, seed: spec.seed, ...(spec.target ? { target: spec.target } : {}), ...(spec.sensitive ? { sensitive: spec.sensitive } : {}), ...(spec.signal ? { signal: spec.signal } : {}) };
  // Work started ahead of the metrics (on worker threads when the caller injected providers), as promises that never
  // reject (a failure resurfaces in the metrics: they recompute in this thread). Each metric waits only for its own.
  // The shared neighbour searches: created here with the report's options and seed (metrics get the same context).
  const needsNeighbours = (m: Metric) => m.info.category === 'privacy' || m.info.neighbours === true;
  // `track` marks work as ready when it settles (before anyone awaiting the returned promise resumes).
  const ready = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>): Promise<unknown> => {
    const q: Promise<unknown> = p.then(() => ready.add(q));
    return q;
  };
  let searched: Promise<unknown> | null = null, balled: Promise<unknown> | null = null;
  if (metrics.some(needsNeighbours) && training.numRows > 0 && input.synthetic.numRows > 0) {
    try {
      const ctx = privacyContext(training, input.synthetic, holdout, { ...spec.neighbours, seed: spec.seed });
      const searches = [...(metrics.some((m) => m.info.category === 'privacy') ? PRIVACY_SEARCHES : []), ...(metrics.some((m) => m.info.neighbours) ? DIVERSITY_SEARCHES : [])];
      const balls = spec.balls;
      if (spec.knn) {
        const s = ctx.prefetch(spec.knn, searches, spec.signal);
        searched = track(s.catch((e: unknown) => e));
        // The diversity metrics' ball counts need the searches' radii; the privacy metrics need only the searches.
        balled = balls && metrics.some((m) => m.info.neighbours) ? track(s.then(() => prefetchBallCounts(ctx, balls, spec.signal)).catch((e: unknown) => e)) : searched;
      }
    } catch {
      // unusable tables: each metric reports its own error
    }
  }
  // The detectors' folds (detection-tree, detection-logistic; pMSE shares the tree's), queued after the searches, one
  // promise per detector so each metric waits only for its own folds.
  const detectorOf = (id: string): DetectorName | null => (id === 'detection-tree@1' || id === 'pmse@1' ? 'tree' : id === 'detection-logistic@1' ? 'logistic' : null);
  const detectors = [...new Set(metrics.map((m) => detectorOf(m.info.id)).filter((d): d is DetectorName => d !== null))];
  const detection = new Map<DetectorName, Promise<unknown>>();
  if (spec.parallel)
    for (const d of detectors) detection.set(d, track(prefetchDetection(training, [input.synthetic, holdout], [d], spec.seed, spec.parallel).catch((e: unknown) => e)));
  // The utility metric's models (independent fits), queued after the detectors' folds.
  let utility: Promise<unknown> | null = null;
  if (spec.parallel && metrics.some((m) => m.info.id === 'utility-tstr@1'))
    utility = track(prefetchUtility(training, input.synthetic, holdout, spec.target, spec.seed, spec.parallel).catch((e: unknown) => e));
  const waitsFor = (m: Metric): Promise<unknown> | null => {
    const d = detectorOf(m.info.id);
    if (d) return detection.get(d) ?? null;
    if (m.info.id === 'utility-tstr@1') return utility;
    if (m.info.neighbours === true) return balled;
    return m.info.category === 'privacy' ? searched : null;
  };
  // Metrics run in registry order, except that one whose prefetched work is not ready yet lets the next ready ones go
  // first (this thread keeps busy while the workers finish); results keep registry order. Every metric's result
  // depends only on its inputs and seed, so the report is the same whatever the order.
  // The cheap metrics' bootstrap resamples, drawn once (when first needed) and shared by all of them.
  let shared: RowResamples | null | undefined;
  const resamples = () => (shared === undefined ? (shared = rowResamples(training, input.synthetic, spec.seed, { resamples: spec.resamples ?? 30, ...(spec.bootstrapMaxRows !== undefined ? { maxRows: spec.bootstrapMaxRows } : {}) })) : shared);
  const slots: (ReportMetric | undefined)[] = new Array(metrics.length);
  const todo = metrics.map((_, i) => i);
  let done = 0;
  while (todo.length) {
    throwIfAborted(spec.signal);
    const at = todo.findIndex((i) => {
      const w = waitsFor(metrics[i]);
      return w === null || ready.has(w);
    });
    if (at < 0) {
      // Nothing ready: wait for the first pending work that a remaining metric needs.
      await Promise.race(todo.map((i) => waitsFor(metrics[i])!));
      continue;
    }
    const i = todo.splice(at, 1)[0];
    const m = metrics[i];
    slots[i] = await runMetric(m, training, input.synthetic, holdout, base, spec, resamples);
    spec.onMetric?.(m.info.id, ++done, metrics.length);
  }
  const results = slots as ReportMetric[];
  const cols = alignTables([training, input.synthetic]);
  // The pair metrics' cached trends (same tables → no second pass over every column pair).
  const pairs = pairTrendsOf({ real: training, synthetic: input.synthetic }).map((p) => ({ a: p.a, b: p.b, score: round(p.score), related: p.related }));
  const { categories, sentences } = summarise(results);
  const payload: EvaluationPayload = {
    seed: spec.seed,
    rows: { training: training.numRows, synthetic: input.synthetic.numRows, holdout: holdout.numRows },
    holdoutSource: input.holdout ? 'given' : 'split',
    target: spec.target ?? null,
    columns: training.columnNames,
    metrics: results,
    categories,
    summary: sentences,
    charts: { columns: columnCharts(cols).map((c) => ({ ...c, real: c.real.map(round), synthetic: c.synthetic.map(round) })), pairs },
    warnings,
  };
  return makeArtifact(EVALUATION_KIND, EVALUATION_REPORT_VERSION, JSON.parse(JSON.stringify(payload, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))) as EvaluationPayload);
}

/** One metric's report entry: its result, the holdout reference and the bootstrap interval where they apply. */
async function runMetric(m: Metric, training: Table, synthetic: Table, holdout: Table, base: Omit<MetricInput, 'real' | 'synthetic' | 'holdout'>, spec: EvaluationSpec, resamples: () => RowResamples | null): Promise<ReportMetric> {
  const info = m.info;
  const input1 = { ...base, real: training, synthetic, holdout };
  let r: MetricResult;
  try {
    r = await m.compute(input1);
  } catch (e) {
    r = { metric: info.id, status: 'error', warnings: [], error: { code: (e as { code?: string }).code ?? 'internal', message: e instanceof Error ? e.message : String(e) } };
  }
  const entry: ReportMetric = { ...r, name: info.name, category: info.category, description: info.description };
  if (r.status === 'ok' && r.score !== undefined) {
    const refMode = info.reference ?? (info.category === 'privacy' ? 'self' : 'holdout');
    if (refMode === 'holdout' && entry.reference === undefined) {
      try {
        const ref = await m.compute({ ...base, real: training, synthetic: holdout, holdout });
        if (ref.status === 'ok' && Number.isFinite(ref.score)) entry.reference = ref.score;
      } catch {
        // the reference is optional; the score stands
      }
    }
    if (entry.interval) entry.intervalMethod = 'computed by the metric (see its documentation)';
    else if (info.bootstrap === 'rows' && (spec.resamples ?? 30) > 0) {
      const b = await bootstrapRows(m, input1, r.score, {}, resamples());
      if (b) {
        entry.interval = b.interval;
        entry.intervalMethod =
          b.fraction < 1
            ? `${b.resamples} row-bootstrap resamples of ${Math.round(b.fraction * 1000) / 10}% of the rows (m-out-of-n, spread rescaled by √${Math.round(b.fraction * 1000) / 1000}); an approximation for the full data`
            : `${b.resamples} row-bootstrap resamples of all rows (n-out-of-n: each draws n rows of each table with replacement; basic interval, centred on the score)`;
      }
    }
  }
  return entry;
}

function round(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 1e6) / 1e6 : x;
}
