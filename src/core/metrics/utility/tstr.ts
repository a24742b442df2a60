import type { FeatureMatrix } from '../../learners/features.js';
import { fitLearner, type LearnerKind, type LearnerOptions } from '../../learners/learner.js';
import type { TreeTarget } from '../../learners/tree.js';
import { confusionMatrix, confusionScores } from '../../model-eval/confusion.js';
import { regressionScores } from '../../model-eval/regression.js';
import { createRng } from '../../random.js';
import { alignTables, type AlignedColumn } from '../aligned.js';
import { aucOf } from '../detection/two-sample.js';
import type { Metric, MetricResult } from '../metric.js';
import { round6, runGuarded, skippedResult } from '../run-guarded.js';
import type { ParallelRunner } from '../../parallel.js';
import type { Table } from '../../table/table.js';

const ID = 'utility-tstr@1';
/** Poisson-bootstrap resamples of the holdout rows for the interval. */
export const UTILITY_RESAMPLES = 100;
/**
 * Rows per boosted tree. Every model trains on all rows with a target; above this many training rows the gradient
 * boosting becomes stochastic: each tree fits a seeded subsample of this many of the rows (subsample =
 * UTILITY_MAX_TRAIN_ROWS / rows, so every row is used across the ensemble; stated in the result's warnings and
 * details). Adult (26k / 33k rows) is far below it and unaffected. At 1M × 20 a full-data fit per tree cost ≈ 440 CPU s
 * for the five models, ≈ 200 this way (see docs/metrics.md).
 */
export const UTILITY_MAX_TRAIN_ROWS = 100_000;

interface Side { x: FeatureMatrix; target: TreeTarget }

function side(cols: readonly AlignedColumn[], t: number, targetName: string): Side & { rows: number } {
  const tc = cols.find((c) => c.name === targetName)!;
  const feats = cols.filter((c) => c.name !== targetName);
  const yAll = tc.kind === 'numeric' ? tc.values[t] : tc.codes[t];
  const keep: number[] = [];
  for (let i = 0; i < yAll.length; i++) if (tc.kind === 'numeric' ? Number.isFinite(yAll[i]) : yAll[i] >= 0) keep.push(i);
  const rows = keep.length;
  const columns = feats.map((c) => {
    const src = c.kind === 'numeric' ? c.values[t] : c.codes[t];
    const out = c.kind === 'numeric' ? new Float64Array(keep.length) : new Int32Array(keep.length);
    for (let i = 0; i < keep.length; i++) out[i] = src[keep[i]];
    return out;
  });
  const x: FeatureMatrix = { numRows: keep.length, names: feats.map((c) => c.name), columns, levels: feats.map((c) => (c.kind === 'numeric' ? 0 : Math.max(1, c.levels))) };
  // Indexed loops rather than TypedArray.from with a callback (slow however often it runs).
  const y = tc.kind === 'numeric' ? new Float64Array(rows) : new Int32Array(rows);
  for (let i = 0; i < rows; i++) y[i] = yAll[keep[i]];
  if (tc.kind === 'numeric') return { x, rows, target: { kind: 'regression', y: y as Float64Array } };
  return { x, rows, target: { kind: 'classification', y: y as Int32Array, numClasses: Math.max(2, tc.levels) } };
}

/** What the metric needs from one fitted model: its holdout predictions, positive-class probabilities (binary), importances. */
export interface UtilityFit {
  pred: Float64Array;
  /** P(class 1) per holdout row for a binary target, else null. */
  pos: Float64Array | null;
  importance: Float64Array;
}

/**
 * Fits one of the metric's models and scores the holdout: a plain function of cloneable arguments, so a
 * ParallelRunner (src/core/parallel.ts) can fit the models on worker threads with the same result.
 * @example utilityFit('gradient-boosting', x, target, { seed: 1, nEstimators: 60 }, holdX)
 */
export function utilityFit(kind: LearnerKind, x: FeatureMatrix, target: TreeTarget, opts: LearnerOptions, holdX: FeatureMatrix): UtilityFit {
  const m = fitLearner(kind, x, target, opts);
  let pos: Float64Array | null = null;
  if (target.kind === 'classification' && target.numClasses === 2) {
    const p = m.predictProba(holdX);
    pos = new Float64Array(holdX.numRows);
    for (let i = 0; i < pos.length; i++) pos[i] = p[2 * i + 1];
  }
  return { pred: m.predict(holdX), pos, importance: m.featureImportance() };
}

function learnerOptions(kind: LearnerKind, seed: number, rows: number): LearnerOptions {
  if (kind !== 'gradient-boosting') return { seed, maxIter: 100 };
  return { seed, nEstimators: 60, ...(rows > UTILITY_MAX_TRAIN_ROWS ? { subsample: UTILITY_MAX_TRAIN_ROWS / rows } : {}) };
}

/** The metric's inputs for one (training, synthetic, holdout) triple, or a reason to skip. */
interface Plan {
  real: Side & { rows: number };
  synth: Side & { rows: number };
  hold: Side;
  kinds: LearnerKind[];
  /** Job key → arguments of utilityFit. */
  jobs: Map<string, Parameters<typeof utilityFit>>;
}

function plan(real: Table, synthetic: Table, holdout: Table | undefined, target: string | undefined, seed: number): Plan | string {
  if (!target) return 'No target column given (--target).';
  if (!holdout) return 'No real holdout to test on.';
  if (!real.has(target)) return `The target column "${target}" is not in the data.`;
  const cols = alignTables([real, synthetic, holdout]);
  if (!cols.some((c) => c.name === target)) return `The target column "${target}" is an id or text column.`;
  const r = side(cols, 0, target), s = side(cols, 1, target), hold = side(cols, 2, target);
  if (r.x.numRows < 10 || s.x.numRows < 10 || hold.x.numRows < 10) return 'Fewer than 10 rows with a target on one side.';
  const kinds: LearnerKind[] = r.target.kind === 'classification' ? ['gradient-boosting', 'logistic-regression'] : ['gradient-boosting', 'linear-regression'];
  const jobs = new Map<string, Parameters<typeof utilityFit>>();
  for (const kind of kinds) {
    jobs.set(`${kind}:real`, [kind, r.x, r.target, learnerOptions(kind, seed, r.x.numRows), hold.x]);
    jobs.set(`${kind}:synth`, [kind, s.x, s.target, learnerOptions(kind, seed, s.x.numRows), hold.x]);
    if (kind === 'gradient-boosting') {
      const both = concatSides(r, s);
      jobs.set(`${kind}:both`, [kind, both.x, both.target, learnerOptions(kind, seed, both.x.numRows), hold.x]);
    }
  }
  return { real: r, synth: s, hold, kinds, jobs };
}

/** Per (training, synthetic, holdout, target, seed): the plan (made once, for the prefetch and the metric) and the fits. */
interface Entry { plan?: Plan | string; fits: Map<string, UtilityFit> }

const fitCache = new WeakMap<Table, WeakMap<Table, WeakMap<Table, Map<string, Entry>>>>();

function entryFor(real: Table, synthetic: Table, holdout: Table, target: string, seed: number): Entry {
  let a = fitCache.get(real);
  if (!a) fitCache.set(real, (a = new WeakMap()));
  let b = a.get(synthetic);
  if (!b) a.set(synthetic, (b = new WeakMap()));
  let c = b.get(holdout);
  if (!c) b.set(holdout, (c = new Map()));
  const key = `${target}:${seed}`;
  let m = c.get(key);
  if (!m) c.set(key, (m = { fits: new Map() }));
  return m;
}

/** plan(), cached per input when it has a holdout and a target (else nothing to cache: a reason to skip). */
function cachedPlan(real: Table, synthetic: Table, holdout: Table | undefined, target: string | undefined, seed: number): Plan | string {
  if (!holdout || !target) return plan(real, synthetic, holdout, target, seed);
  const e = entryFor(real, synthetic, holdout, target, seed);
  return (e.plan ??= plan(real, synthetic, holdout, target, seed));
}

/**
 * Fits the utility metric's models through `runner` (e.g. on worker threads: they are independent) and caches their
 * holdout predictions, so utility-tstr@1 then only scores them. Same seeds as in process, so the result is identical.
 * Does nothing when the metric would be skipped.
 * @example await prefetchUtility(training, synthetic, holdout, 'income', 1, poolRunner(pool));
 */
export async function prefetchUtility(real: Table, synthetic: Table, holdout: Table | undefined, target: string | undefined, seed: number, runner: ParallelRunner): Promise<void> {
  const p = cachedPlan(real, synthetic, holdout, target, seed);
  if (typeof p === 'string') return;
  const cache = entryFor(real, synthetic, holdout!, target!, seed).fits;
  const keys = [...p.jobs.keys()].filter((k) => !cache.has(k));
  const out = await runner<UtilityFit>('metrics/utility/tstr', 'utilityFit', keys.map((k) => p.jobs.get(k)!));
  keys.forEach((k, i) => cache.set(k, out[i]));
}

/** Primary figure of predictions on the holdout (macro F1 or R²), optionally under row weights. */
function primary(target: TreeTarget, pred: Float64Array, w: Float64Array | null): number {
  if (target.kind === 'classification') return confusionScores(confusionMatrix(target.y, pred, target.numClasses, w), target.numClasses).macro.f1;
  return regressionScores(target.y, pred, w).r2;
}

function ratio(synth: number, real: number): number {
  if (!(real > 0)) return synth >= real ? 1 : 0;
  return Math.max(0, Math.min(1, Math.max(0, synth) / real));
}

function spearman(a: Float64Array, b: Float64Array): number {
  const rank = (v: Float64Array) => {
    const o = Array.from(v.keys()).sort((i, j) => v[i] - v[j]);
    const r = new Float64Array(v.length);
    for (let i = 0; i < o.length; ) {
      let j = i;
      while (j + 1 < o.length && v[o[j + 1]] === v[o[i]]) j++;
      for (let k = i; k <= j; k++) r[o[k]] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  const ra = rank(a), rb = rank(b);
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) {
    ma += ra[i] / n;
    mb += rb[i] / n;
  }
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (ra[i] - ma) * (rb[i] - mb);
    saa += (ra[i] - ma) ** 2;
    sbb += (rb[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

function concatSides(a: Side, b: Side): Side {
  const columns = a.x.columns.map((c, j) => {
    const d = b.x.columns[j];
    const out = c instanceof Float64Array ? new Float64Array(c.length + d.length) : new Int32Array(c.length + d.length);
    out.set(c);
    out.set(d, c.length);
    return out;
  });
  const x = { ...a.x, numRows: a.x.numRows + b.x.numRows, columns };
  if (a.target.kind === 'classification' && b.target.kind === 'classification') {
    const y = new Int32Array(a.target.y.length + b.target.y.length);
    y.set(a.target.y);
    y.set(b.target.y, a.target.y.length);
    return { x, target: { ...a.target, y } };
  }
  const ya = a.target.y, yb = b.target.y;
  const y = new Float64Array(ya.length + yb.length);
  y.set(ya);
  y.set(yb, ya.length);
  return { x, target: { kind: 'regression', y } };
}

/**
 * Machine-learning utility (train on synthetic, test on real): for a tree ensemble (gradient boosting) and a linear
 * model (logistic or ridge regression), a model trained on the synthetic data and one trained on the real training
 * data are both scored on the real holdout. Score = mean over the learners of min(1, synthetic figure / real figure)
 * with macro F1 (classification) or R² (regression). 1 = the synthetic data trains models as good as the real data;
 * 0 = useless. Details per learner: accuracy, macro F1, AUC (binary), or R², MAE, for both; feature-importance rank
 * agreement (Spearman, boosted trees); augmentation lift (real + synthetic vs real alone, boosted trees). Interval:
 * Poisson bootstrap of the holdout rows (UTILITY_RESAMPLES). Needs `target` and a holdout; skipped otherwise.
 * @example utilityTstr.compute({ real, synthetic, holdout, schema: real.schema, seed: 1, target: 'income' }).score
 */
export const utilityTstr: Metric = {
  info: {
    id: ID,
    name: 'Machine-learning utility (train synthetic, test real)',
    category: 'utility',
    goal: 'maximize',
    range: [0, 1],
    appliesTo: [],
    description: 'Whether models trained on the synthetic data predict the target on unseen real data as well as models trained on real data: 1 = as well, 0 = not at all.',
    reference: 'self',
  },
  compute: (input): MetricResult =>
    runGuarded(ID, () => {
      const p = cachedPlan(input.real, input.synthetic, input.holdout, input.target, input.seed);
      if (typeof p === 'string') return skippedResult(ID, p);
      const { real, synth, hold, kinds } = p;
      const cache = entryFor(input.real, input.synthetic, input.holdout!, input.target!, input.seed).fits;
      const fit = (key: string): UtilityFit => {
        let f = cache.get(key);
        if (!f) cache.set(key, (f = utilityFit(...p.jobs.get(key)!)));
        return f;
      };
      const classification = real.target.kind === 'classification';
      const rng = createRng(input.seed, ID, 'bootstrap');
      const weights: Float64Array[] = [];
      for (let b = 0; b < UTILITY_RESAMPLES; b++) {
        const w = new Float64Array(hold.x.numRows);
        const r = rng.split(b);
        for (let i = 0; i < w.length; i++) w[i] = poisson1(r.next());
        weights.push(w);
      }
      const learners: Record<string, unknown>[] = [];
      const ratios: number[] = [];
      const boot = new Float64Array(UTILITY_RESAMPLES);
      let importance: number | null = null, lift: number | null = null;
      for (const kind of kinds) {
        const fReal = fit(`${kind}:real`), fSynth = fit(`${kind}:synth`);
        const pReal = fReal.pred, pSynth = fSynth.pred;
        const fr = primary(hold.target, pReal, null), fs = primary(hold.target, pSynth, null);
        ratios.push(ratio(fs, fr));
        for (let b = 0; b < UTILITY_RESAMPLES; b++) boot[b] += ratio(primary(hold.target, pSynth, weights[b]), primary(hold.target, pReal, weights[b])) / kinds.length;
        const entry: Record<string, unknown> = { learner: kind };
        if (classification && hold.target.kind === 'classification') {
          const k = hold.target.numClasses;
          const sr = confusionScores(confusionMatrix(hold.target.y, pReal, k), k), ss = confusionScores(confusionMatrix(hold.target.y, pSynth, k), k);
          Object.assign(entry, { real: { accuracy: round6(sr.accuracy), f1: round6(sr.macro.f1) }, synthetic: { accuracy: round6(ss.accuracy), f1: round6(ss.macro.f1) } });
          if (k === 2 && fReal.pos && fSynth.pos) {
            (entry.real as Record<string, number>).auc = round6(aucOf(fReal.pos, hold.target.y));
            (entry.synthetic as Record<string, number>).auc = round6(aucOf(fSynth.pos, hold.target.y));
          }
        } else {
          const rr = regressionScores(hold.target.y, pReal), rs = regressionScores(hold.target.y, pSynth);
          Object.assign(entry, { real: { r2: round6(rr.r2), mae: round6(rr.mae) }, synthetic: { r2: round6(rs.r2), mae: round6(rs.mae) } });
        }
        entry.score = round6(ratio(fs, fr));
        learners.push(entry);
        if (kind === 'gradient-boosting') {
          importance = spearman(fReal.importance, fSynth.importance);
          lift = primary(hold.target, fit(`${kind}:both`).pred, null) - fr;
        }
      }
      const stochastic = Math.max(real.x.numRows, synth.x.numRows) > UTILITY_MAX_TRAIN_ROWS;
      const warnings = stochastic
        ? [`Stochastic boosting: every model trained on all rows (real ${real.x.numRows}, synthetic ${synth.x.numRows}); above ${UTILITY_MAX_TRAIN_ROWS} rows each boosted tree fits a seeded subsample of ${UTILITY_MAX_TRAIN_ROWS} of them, so every row is used across the ensemble. All ${hold.x.numRows} holdout rows are scored.`]
        : [];
      const sorted = Float64Array.from(boot).sort();
      const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))))];
      return {
        metric: ID,
        status: 'ok',
        score: ratios.reduce((a, b) => a + b, 0) / ratios.length,
        interval: [q(0.025), q(0.975)],
        details: {
          task: classification ? 'classification' : 'regression',
          primary: classification ? 'macro F1' : 'R²',
          learners: learners as never,
          featureImportanceRankAgreement: importance === null ? null : round6(importance),
          augmentationLift: lift === null ? null : round6(lift),
          holdoutRows: hold.x.numRows,
          resamples: UTILITY_RESAMPLES,
          ...(stochastic ? { trainingRows: { real: real.x.numRows, synthetic: synth.x.numRows, boostingRowsPerTree: UTILITY_MAX_TRAIN_ROWS } } : {}),
        },
        warnings,
      };
    }),
};

/** Poisson(1) draw from one uniform (inverse CDF). */
function poisson1(u: number): number {
  let k = 0, p = Math.exp(-1), c = p;
  while (u > c && k < 20) {
    k++;
    p /= k;
    c += p;
  }
  return k;
}
