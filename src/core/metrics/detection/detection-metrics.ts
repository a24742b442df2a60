import { createRng } from '../../random.js';
import type { Table } from '../../table/table.js';
import { meanBootstrapInterval } from '../privacy/stats.js';
import { alignTables } from '../aligned.js';
import type { Metric, MetricInput, MetricResult } from '../metric.js';
import { round6, runGuarded } from '../run-guarded.js';
import type { ParallelRunner } from '../../parallel.js';
import { detectorFold, detectorInput, type DetectorName } from './detectors.js';
import { finishTwoSample, planTwoSample, type TwoSamplePlan, type TwoSampleResult } from './two-sample.js';

/** Rows per side above which the detector works on a seeded sample (stated in the result). */
export const DETECTION_MAX_ROWS_PER_SIDE = 50_000;
/** An AUC below this is reported as a privacy finding: synthetic rows sitting on top of real ones. */
export const SUSPICIOUS_AUC = 0.4;

const cache = new WeakMap<Table, WeakMap<Table, Map<string, TwoSampleResult>>>();

/** The gradient-boosted two-sample test of one input, computed once per (real, synthetic, seed). */
export function treeDetection(input: MetricInput): TwoSampleResult {
  return cachedDetection(input, 'tree');
}

function cacheFor(real: Table, synthetic: Table): Map<string, TwoSampleResult> {
  let inner = cache.get(real);
  if (!inner) cache.set(real, (inner = new WeakMap()));
  let m = inner.get(synthetic);
  if (!m) inner.set(synthetic, (m = new Map()));
  return m;
}

const plans = new WeakMap<Table, WeakMap<Table, Map<number, TwoSamplePlan>>>();

/** The two-sample plan of (real, other, seed), made once and shared by both detectors (it does not depend on them). */
function planFor(real: Table, other: Table, seed: number): TwoSamplePlan {
  let inner = plans.get(real);
  if (!inner) plans.set(real, (inner = new WeakMap()));
  let m = inner.get(other);
  if (!m) inner.set(other, (m = new Map()));
  let p = m.get(seed);
  if (!p) m.set(seed, (p = planTwoSample(alignTables([real, other]), 1, { seed, maxRowsPerSide: DETECTION_MAX_ROWS_PER_SIDE })));
  return p;
}

function cachedDetection(input: MetricInput, which: DetectorName): TwoSampleResult {
  const m = cacheFor(input.real, input.synthetic);
  const key = `${which}:${input.seed}`;
  let r = m.get(key);
  if (!r) {
    const plan = planFor(input.real, input.synthetic, input.seed);
    const data = detectorInput(which, plan.x);
    r = finishTwoSample(plan, plan.folds.map((f) => detectorFold(which, data, plan.y, f.train, f.test, f.seed)));
    m.set(key, r);
  }
  return r;
}

/**
 * Runs the detectors' cross-validation folds through `runner` (e.g. on worker threads: the folds are independent)
 * for each (real, other) pair — the synthetic table and the holdout reference — and caches the results, so the
 * detection metrics and pMSE then find them. Same seeds per fold as in process, so the results are identical.
 * A pair that cannot be tested is left to the metrics (they report their own error).
 * @example await prefetchDetection(training, [synthetic, holdout], ['tree', 'logistic'], 1, poolRunner(pool));
 */
export async function prefetchDetection(real: Table, others: readonly Table[], which: readonly DetectorName[], seed: number, runner: ParallelRunner): Promise<void> {
  const jobs: Promise<void>[] = [];
  for (const other of others) {
    const m = cacheFor(real, other);
    for (const w of which) {
      const key = `${w}:${seed}`;
      if (m.has(key)) continue;
      let plan;
      try {
        plan = planFor(real, other, seed);
      } catch {
        continue;
      }
      const p = plan;
      const data = detectorInput(w, p.x);
      jobs.push(
        runner<Float64Array>('metrics/detection/detectors', 'detectorFold', p.folds.map((f) => [w, data, p.y, f.train, f.test, f.seed])).then((scores) => {
          m.set(key, finishTwoSample(p, scores));
        }),
      );
    }
  }
  await Promise.all(jobs);
}

function findings(r: TwoSampleResult): string[] {
  const w: string[] = [];
  if (r.auc < SUSPICIOUS_AUC)
    w.push(`Privacy finding: the detector's AUC is ${r.auc.toFixed(3)}, well below 0.5 — synthetic rows sit closer to real rows than real rows do to each other (possible copies).`);
  if (r.sampled) w.push(`Approximation: the detector used a seeded sample of ${r.rowsPerSide} rows per side; the AUC interval reflects that sample size.`);
  return w;
}

function detectionMetric(id: string, name: string, which: DetectorName, description: string): Metric {
  return {
    info: { id, name, category: 'fidelity', goal: 'minimize', range: [0, 1], appliesTo: [], description },
    compute: (input): MetricResult =>
      runGuarded(id, () => {
        const r = cachedDetection(input, which);
        const score = 1 - 2 * Math.abs(r.auc - 0.5);
        const [lo, hi] = r.aucInterval;
        const s = (a: number) => 1 - 2 * Math.abs(a - 0.5);
        const interval: [number, number] = lo <= 0.5 && hi >= 0.5 ? [Math.min(s(lo), s(hi)), 1] : [Math.min(s(lo), s(hi)), Math.max(s(lo), s(hi))];
        return {
          metric: id,
          status: 'ok',
          score,
          interval,
          details: { auc: round6(r.auc), aucInterval: [round6(lo), round6(hi)], detector: which === 'tree' ? 'gradient-boosting' : 'logistic-regression', folds: r.folds, rowsPerSide: r.rowsPerSide, sampled: r.sampled, suspicious: r.auc < SUSPICIOUS_AUC },
          warnings: findings(r),
        };
      }),
  };
}

const TREE = 'detection-tree@1';

/**
 * Detection (tree ensemble): a classifier two-sample test — gradient-boosted trees learn to tell real from
 * synthetic rows (equal numbers, stratified 5-fold cross-validation) and its out-of-fold ROC AUC is turned into
 * score = 1 − 2·|AUC − 0.5|. 1 = indistinguishable; 0 = always told apart (AUC 1) or suspiciously never confused
 * (AUC 0). An AUC below 0.4 is never clamped away: it is reported as a privacy finding. Trees see broken
 * relationships between columns that a linear detector misses. The numeric columns are binned once per test (64
 * quantile bins fitted on every stacked row, no labels) and every fold's trees use those bins. Details: `auc`,
 * `aucInterval`, `rowsPerSide`.
 * @example detectionTree.compute({ real, synthetic, schema: real.schema, seed: 1 }).details // { auc: 0.51, … }
 */
export const detectionTree: Metric = detectionMetric(
  TREE,
  'Detection (gradient-boosted trees)',
  'tree',
  'Whether a machine-learning model can tell synthetic rows from real ones: 1 = it cannot (like a second real sample), 0 = it always can.',
);

/**
 * Detection (logistic): the same two-sample test with a linear (logistic regression) detector. It only sees
 * differences in single columns and linear trends: data with each column shuffled on its own fools it (AUC ≈ 0.5),
 * so read it beside detection-tree@1, never alone. 1 = indistinguishable to a linear model.
 * @example detectionLogistic.compute({ real, synthetic, schema: real.schema, seed: 1 }).details
 */
export const detectionLogistic: Metric = detectionMetric(
  'detection-logistic@1',
  'Detection (logistic regression)',
  'logistic',
  'Whether a simple linear model can tell synthetic rows from real ones: 1 = it cannot. Weaker than the tree detector: read both.',
);

const PMSE = 'pmse@1';

/**
 * pMSE (propensity mean squared error): from the same out-of-fold propensities as detection-tree@1, the mean of
 * (p − ½)² over all rows (equal numbers per side, so ½ is the synthetic share). Score = 1 − pMSE / ¼: 1 = the
 * model's propensities stay at ½ (cannot tell), 0 = it is certain of every row.
 * Interval: 200 bootstrap resamples of the cached per-row terms (p − ½)² (each the mean of n terms drawn with
 * replacement; percentile, 95%); the detector is not refitted, so the interval reflects the evaluation rows, not the
 * variance of refitting the model (seed to seed, adult's pMSE moves ≈ ±0.003, its interval is ≈ ±0.0006).
 * @example pmse.compute({ real, synthetic, schema: real.schema, seed: 1 }).details // { pmse: 0.003 }
 */
export const pmse: Metric = {
  info: {
    id: PMSE,
    name: 'Propensity MSE',
    category: 'fidelity',
    goal: 'minimize',
    range: [0, 1],
    appliesTo: [],
    description: 'How confidently a model separates synthetic from real rows: 1 = never confident (good), 0 = always certain.',
  },
  compute: (input): MetricResult =>
    runGuarded(PMSE, () => {
      const r = treeDetection(input);
      const terms = new Float64Array(r.scores.length);
      for (let i = 0; i < terms.length; i++) terms[i] = (r.scores[i] - 0.5) ** 2;
      // Each resample: the mean of n terms drawn with replacement (summed as drawn, no per-row count array).
      const interval = meanBootstrapInterval(terms, createRng(input.seed, PMSE), (m) => Math.max(0, 1 - m / 0.25));
      return { metric: PMSE, status: 'ok', score: Math.max(0, 1 - r.pmse / 0.25), ...(interval ? { interval } : {}), details: { pmse: round6(r.pmse), rowsPerSide: r.rowsPerSide, sampled: r.sampled }, warnings: findings(r).filter((w) => w.startsWith('Approximation')) };
    }),
};
