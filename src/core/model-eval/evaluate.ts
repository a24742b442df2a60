/**
 * Model evaluation from predictions: every metric with a bootstrap interval, calibration, per-slice metrics,
 * fairness gaps and weak-slice discovery, as one plain JSON result.
 *
 * Speed: rows are sorted by score once; every bootstrap resample is a vector of Poisson(1) row weights, and
 * each metric is an O(n) weighted pass over the fixed layout (no re-sorting, no row copies). With n rows, R
 * resamples and G slice groupings the cost is O(n log n + R · n · (G + 6)).
 */
import { throwIfAborted } from '../errors.js';
import { createRng } from '../random.js';
import type { Table } from '../table/table.js';
import { SynthopsError } from '../errors.js';
import { poissonWeights } from './bootstrap.js';
import { calibrationBins, calibrationScores, type ReliabilityBin } from './calibration.js';
import { confusionScores, groupConfusion } from './confusion.js';
import { withIntervals, type Estimate, type Figures } from './estimate.js';
import { columnGrouping, crossGroupings, describeGroup, type Grouping } from './grouping.js';
import type { Predictions } from './predictions.js';
import { averagePrecisionSorted, multiclassLosses, probabilityLosses, rocAucSorted, thresholdSweep, type ThresholdPoint } from './ranking.js';
import { groupErrors, regressionScores } from './regression.js';
import { findWeakSlices, type WeakSliceResult } from './weak-slices.js';

/** Options of `evaluatePredictions`; every field has a default. */
export interface ModelEvalOptions {
  /** Columns of the table to slice by; each alone and every pair crossed. Default none. */
  sliceBy?: string[];
  /** Slices with fewer rows get no metrics (reported as too small). Default 30. */
  minSupport?: number;
  /** Bootstrap resamples for the intervals (0 = no intervals). Default 200. */
  resamples?: number;
  /** Confidence level of the intervals. Default 0.95. */
  level?: number;
  /** Seed of the bootstrap. Default 0. */
  seed?: number;
  /** Bins of the calibration errors and reliability diagram. Default 10. */
  calibrationBins?: number;
  /** Thresholds of the threshold sweep (binary with scores). Default 0.05, 0.10, …, 0.95. */
  thresholds?: number[];
  /** Columns searched for weak slices (singles and pairs). Default: the slice columns plus every other column of
   *  the table with at most 50 categories (numeric columns in quantile bins). [] turns discovery off. */
  discoverColumns?: string[];
  /** Quantile bins for numeric slice columns. Default 4. */
  numericBins?: number;
  /** False discovery rate of weak-slice discovery. Default 0.05. */
  alpha?: number;
  signal?: AbortSignal;
}

/** Metrics of one slice group. */
export interface SliceGroupResult {
  description: string;
  conditions: string[];
  support: number;
  /** True when support < minSupport: no metrics are given. */
  tooSmall: boolean;
  metrics: Record<string, Estimate> | null;
}

/** All slices of one grouping (a column or a crossing of two). */
export interface SliceResult {
  columns: string[];
  groups: SliceGroupResult[];
}

/** Fairness gaps across the groups of one column (binary classification). Lower differences are fairer; a ratio of 1 is parity. */
export interface FairnessResult {
  columns: string[];
  /** max − min selection rate (share predicted positive) across groups. */
  demographicParityDifference: Estimate;
  /** min / max selection rate. */
  demographicParityRatio: Estimate;
  /** max − min true-positive rate. */
  equalOpportunityDifference: Estimate;
  /** max of the true-positive-rate and false-positive-rate ranges. */
  equalizedOddsDifference: Estimate;
  groups: { description: string; support: number; selectionRate: Estimate; truePositiveRate: Estimate; falsePositiveRate: Estimate }[];
}

/** The result of a model evaluation: plain JSON, rendered by the HTML, Markdown and terminal renderers. */
export interface ModelEvalResult {
  task: 'classification' | 'regression';
  rows: number;
  classes?: string[];
  positiveClass?: string;
  threshold?: number | null;
  bootstrap: { method: 'poisson'; resamples: number; level: number; seed: number };
  /** Headline metrics. Classification: accuracy, balancedAccuracy, precision/recall/f1 (positive class when binary,
   *  else macro), macroPrecision…, weightedF1, and with scores rocAuc, prAuc, logLoss, brier. Regression: mae, rmse, r2, mape. */
  overall: Record<string, Estimate>;
  perClass?: { class: string; support: number; precision: Estimate; recall: Estimate; f1: Estimate }[];
  /** Rows = true class, columns = predicted class, in `classes` order. */
  confusion?: number[][];
  thresholds?: ThresholdPoint[];
  calibration?: { width: { ece: Estimate; mce: Estimate; bins: ReliabilityBin[] }; mass: { ece: Estimate; mce: Estimate; bins: ReliabilityBin[] } };
  slices: SliceResult[];
  fairness: FairnessResult[];
  weakSlices: WeakSliceResult | null;
  warnings: string[];
}

const DEFAULT_THRESHOLDS = Array.from({ length: 19 }, (_, i) => Math.round((i + 1) * 5) / 100);

/**
 * Evaluates `preds`; `table` (same rows, same order) supplies the slice and discovery columns.
 * @example evaluatePredictions(predictionsFromTable(t, { label: 'income', score: 'p' }), t, { sliceBy: ['sex', 'race'] })
 */
export function evaluatePredictions(preds: Predictions, table: Table | null, opts: ModelEvalOptions = {}): ModelEvalResult {
  const n = preds.y.length;
  const minSupport = opts.minSupport ?? 30;
  const resamples = Math.max(0, Math.floor(opts.resamples ?? 200));
  const level = opts.level ?? 0.95;
  const seed = opts.seed ?? 0;
  const warnings: string[] = [];
  if (table && table.numRows !== n) throw new SynthopsError('internal', `table has ${table.numRows} rows but there are ${n} predictions.`);
  const sliceBy = opts.sliceBy ?? [];
  if (sliceBy.length && !table) throw new SynthopsError('invalid_argument', 'invalid slice columns: no table to slice was given.');
  for (const c of sliceBy) if (!table!.has(c)) throw new SynthopsError('invalid_argument', `invalid slice column: "${c}" is not in the data.`, { column: c });

  const singles = sliceBy.map((c) => columnGrouping(table!, c, { numericBins: opts.numericBins }));
  const groupings: Grouping[] = [...singles];
  for (let a = 0; a < singles.length; a++) for (let b = a + 1; b < singles.length; b++) groupings.push(crossGroupings(singles[a], singles[b]));

  // Weak-slice discovery on the unsorted data (order-free).
  let weakSlices: WeakSliceResult | null = null;
  if (table) {
    const exclude = new Set<string>();
    const discover =
      opts.discoverColumns ??
      [...sliceBy, ...table.columnNames.filter((c) => !sliceBy.includes(c) && !exclude.has(c) && smallEnough(table, c))];
    const dg = discover.map((c) => singles[sliceBy.indexOf(c)] ?? columnGrouping(table, c, { numericBins: opts.numericBins }));
    if (dg.length) weakSlices = findWeakSlices(preds, dg, { minSupport, alpha: opts.alpha });
  }

  // Sort rows by score once (binary with scores) so ranking metrics are O(n) per resample.
  const order = preds.task === 'classification' && preds.score ? argsort(preds.score) : null;
  const perm = <A extends Int32Array | Float64Array | Uint8Array>(a: A): A => {
    if (!order) return a;
    const out = new (a.constructor as new (n: number) => A)(a.length);
    for (let j = 0; j < a.length; j++) out[j] = a[order[j]];
    return out;
  };
  const codes = groupings.map((g) => perm(g.codes));
  const rng = createRng(seed, 'model-eval-bootstrap');
  const wbuf = new Uint8Array(n);
  const nextWeights = () => poissonWeights(rng, wbuf);
  const onResample = () => throwIfAborted(opts.signal);
  const supportOf = (g: Grouping) => {
    const s = new Float64Array(g.numGroups);
    for (let i = 0; i < n; i++) s[g.codes[i]]++;
    return s;
  };
  const supports = groupings.map(supportOf);
  const bootstrap = { method: 'poisson' as const, resamples, level, seed };

  if (preds.task === 'regression') {
    const err = new Float64Array(n);
    for (let i = 0; i < n; i++) err[i] = preds.pred[i] - preds.y[i];
    const est = withIntervals((w) => {
      const s = regressionScores(preds.y, preds.pred, w);
      const slices = codes.map((c, gi) => {
        const sums = groupErrors(c, groupings[gi].numGroups, err, w);
        const out: Figures[] = [];
        for (let j = 0; j < groupings[gi].numGroups; j++) {
          if (supports[gi][j] < minSupport) continue;
          const W = sums[j * 4];
          out.push({ mae: W > 0 ? sums[j * 4 + 1] / W : NaN, rmse: W > 0 ? Math.sqrt(sums[j * 4 + 2] / W) : NaN, meanError: W > 0 ? sums[j * 4 + 3] / W : NaN });
        }
        return out;
      });
      return { overall: { mae: s.mae, rmse: s.rmse, r2: s.r2, mape: s.mape }, slices };
    }, resamples, nextWeights, level, onResample);
    const full = regressionScores(preds.y, preds.pred);
    if (full.mapeExcluded > 0) warnings.push(`MAPE leaves out ${full.mapeExcluded} row(s) whose true value is 0.`);
    return {
      task: 'regression',
      rows: n,
      bootstrap,
      overall: est.overall as unknown as Record<string, Estimate>,
      slices: sliceResults(groupings, supports, minSupport, est.slices as unknown as Record<string, Estimate>[][]),
      fairness: [],
      weakSlices,
      warnings,
    };
  }

  // Classification.
  const k = preds.classes.length, kk = k * k;
  const pos = preds.positive;
  const binary = pos >= 0 && k === 2;
  const y = perm(preds.y), pred = perm(preds.pred);
  const cell = new Uint8Array(n);
  if (kk > 255) throw new SynthopsError('invalid_input', `invalid label: ${k} classes. Model evaluation supports up to 15 classes.`);
  for (let i = 0; i < n; i++) cell[i] = y[i] * k + pred[i];
  const score = order ? perm(preds.score!) : null;
  const isPos = new Uint8Array(n);
  if (pos >= 0) for (let i = 0; i < n; i++) isPos[i] = y[i] === pos ? 1 : 0;
  // Calibration: binary → P(positive) vs outcome; multiclass with probabilities → top-label confidence vs correct.
  let calP: Float64Array | null = null, calO: Uint8Array | null = null;
  if (score) { calP = score; calO = isPos; }
  else if (preds.proba) {
    calP = new Float64Array(n);
    calO = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (preds.proba[i * k + c] > preds.proba[i * k + best]) best = c;
      calP[i] = preds.proba[i * k + best];
      calO[i] = preds.y[i] === best ? 1 : 0;
    }
  }
  const nb = opts.calibrationBins ?? 10;
  const binsW = calP ? calibrationBins(calP, nb, 'width') : null;
  const binsM = calP ? calibrationBins(calP, nb, 'mass') : null;
  const zeros = new Int32Array(n);
  const singleCount = singles.length;

  const est = withIntervals((w) => {
    const cm = groupConfusion(zeros, 1, cell, kk, w);
    const s = confusionScores(cm, k);
    const head = binary ? s.perClass[pos] : s.macro;
    const overall: Record<string, number> = {
      accuracy: s.accuracy,
      balancedAccuracy: s.balancedAccuracy,
      precision: head.precision,
      recall: head.recall,
      f1: head.f1,
      macroPrecision: s.macro.precision,
      macroRecall: s.macro.recall,
      macroF1: s.macro.f1,
      weightedPrecision: s.weighted.precision,
      weightedRecall: s.weighted.recall,
      weightedF1: s.weighted.f1,
    };
    if (score) {
      overall.rocAuc = rocAucSorted(score, isPos, w);
      overall.prAuc = averagePrecisionSorted(score, isPos, w);
      const l = probabilityLosses(score, isPos, w);
      overall.logLoss = l.logLoss;
      overall.brier = l.brier;
    } else if (preds.proba) {
      const l = multiclassLosses(preds.proba, preds.y, k, w);
      overall.logLoss = l.logLoss;
      overall.brier = l.brier;
    }
    const perClass = s.perClass.map((c) => ({ precision: c.precision, recall: c.recall, f1: c.f1 }));
    const calibration = calP
      ? {
          width: (({ ece, mce }) => ({ ece, mce }))(calibrationScores(calP, calO!, binsW!, w)),
          mass: (({ ece, mce }) => ({ ece, mce }))(calibrationScores(calP, calO!, binsM!, w)),
        }
      : {};
    const slices: Figures[][] = [];
    const fairness: Figures[] = [];
    codes.forEach((c, gi) => {
      const g = groupings[gi];
      const m = groupConfusion(c, g.numGroups, cell, kk, w);
      const out: Figures[] = [];
      const rates: { sel: number; tpr: number; fpr: number }[] = [];
      for (let j = 0; j < g.numGroups; j++) {
        if (supports[gi][j] < minSupport) continue;
        const sub = m.subarray(j * kk, (j + 1) * kk);
        const gs = confusionScores(sub, k);
        const h = binary ? gs.perClass[pos] : gs.macro;
        const f: Record<string, number> = { accuracy: gs.accuracy, precision: h.precision, recall: h.recall, f1: h.f1 };
        if (binary) {
          const neg = 1 - pos;
          const tp = sub[pos * k + pos], fn = sub[pos * k + neg], fp = sub[neg * k + pos], tn = sub[neg * k + neg];
          const tot = tp + fn + fp + tn;
          const r = { sel: tot > 0 ? (tp + fp) / tot : NaN, tpr: tp + fn > 0 ? tp / (tp + fn) : NaN, fpr: fp + tn > 0 ? fp / (fp + tn) : NaN };
          f.selectionRate = r.sel;
          rates.push(r);
        }
        out.push(f);
      }
      slices.push(out);
      if (binary && gi < singleCount) fairness.push(fairnessFigures(rates));
    });
    return { overall, perClass, calibration, slices, fairness };
  }, resamples, nextWeights, level, onResample);

  const full = groupConfusion(zeros, 1, cell, kk);
  const fullScores = confusionScores(full, k);
  for (const [c, cs] of fullScores.perClass.entries()) {
    if (cs.support === 0) warnings.push(`class "${preds.classes[c]}" never occurs in the truth: its recall is undefined and it is left out of balanced accuracy.`);
  }
  const calFull = calP
    ? { width: calibrationScores(calP, calO!, binsW!), mass: calibrationScores(calP, calO!, binsM!) }
    : null;
  const estCal = est.calibration as unknown as { width?: { ece: Estimate; mce: Estimate }; mass?: { ece: Estimate; mce: Estimate } };
  const sortedScore = score;
  const result: ModelEvalResult = {
    task: 'classification',
    rows: n,
    classes: preds.classes,
    ...(pos >= 0 ? { positiveClass: preds.classes[pos] } : {}),
    threshold: preds.threshold,
    bootstrap,
    overall: est.overall as unknown as Record<string, Estimate>,
    perClass: preds.classes.map((c, i) => ({ class: c, support: fullScores.perClass[i].support, ...(est.perClass as unknown as { precision: Estimate; recall: Estimate; f1: Estimate }[])[i] })),
    confusion: preds.classes.map((_, t) => Array.from(full.subarray(t * k, (t + 1) * k))),
    ...(sortedScore ? { thresholds: thresholdSweep(sortedScore, isPos, opts.thresholds ?? DEFAULT_THRESHOLDS) } : {}),
    ...(calFull && estCal.width && estCal.mass
      ? {
          calibration: {
            width: { ece: estCal.width.ece, mce: estCal.width.mce, bins: calFull.width.bins },
            mass: { ece: estCal.mass.ece, mce: estCal.mass.mce, bins: calFull.mass.bins },
          },
        }
      : {}),
    slices: sliceResults(groupings, supports, minSupport, est.slices as unknown as Record<string, Estimate>[][]),
    fairness: binary ? fairnessResults(singles, supports, minSupport, est.fairness as unknown as FairEst[]) : [],
    weakSlices,
    warnings,
  };
  if (!binary && sliceBy.length) warnings.push('fairness gaps are computed for binary classification only.');
  for (const s of result.slices) {
    const small = s.groups.filter((g) => g.tooSmall).length;
    if (small === s.groups.length) warnings.push(`every slice of ${s.columns.join(' × ')} has fewer than ${minSupport} rows: no slice metrics.`);
  }
  return result;
}

function smallEnough(table: Table, c: string): boolean {
  const col = table.column(c);
  return col.storage === 'numeric' || col.dictionary.length <= 50;
}

/** Indices that sort `a` ascending (stable). */
function argsort(a: Float64Array): Int32Array {
  const idx = new Int32Array(a.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  // Sort by (value, index) packed into a Float64Array pair sort: use typed-array sort on keys for speed.
  const keys = Float64Array.from(a);
  const tmp = Array.from(idx);
  tmp.sort((i, j) => keys[i] - keys[j] || i - j);
  return Int32Array.from(tmp);
}

function fairnessFigures(rates: { sel: number; tpr: number; fpr: number }[]): Figures {
  const range = (xs: number[]) => {
    const f = xs.filter((x) => Number.isFinite(x));
    return f.length ? { min: Math.min(...f), max: Math.max(...f) } : { min: NaN, max: NaN };
  };
  const s = range(rates.map((r) => r.sel)), t = range(rates.map((r) => r.tpr)), f = range(rates.map((r) => r.fpr));
  return {
    demographicParityDifference: s.max - s.min,
    demographicParityRatio: s.max > 0 ? s.min / s.max : NaN,
    equalOpportunityDifference: t.max - t.min,
    equalizedOddsDifference: Math.max(t.max - t.min, f.max - f.min),
    groups: rates.map((r) => ({ selectionRate: r.sel, truePositiveRate: r.tpr, falsePositiveRate: r.fpr })),
  };
}

type FairEst = { demographicParityDifference: Estimate; demographicParityRatio: Estimate; equalOpportunityDifference: Estimate; equalizedOddsDifference: Estimate; groups: { selectionRate: Estimate; truePositiveRate: Estimate; falsePositiveRate: Estimate }[] };

function sliceResults(groupings: Grouping[], supports: Float64Array[], minSupport: number, est: Record<string, Estimate>[][]): SliceResult[] {
  return groupings.map((g, gi) => {
    let e = 0;
    return {
      columns: g.columns,
      groups: g.conditions.map((cond, j) => {
        const tooSmall = supports[gi][j] < minSupport;
        return { description: describeGroup(cond), conditions: cond, support: supports[gi][j], tooSmall, metrics: tooSmall ? null : est[gi][e++] };
      }),
    };
  });
}

function fairnessResults(singles: Grouping[], supports: Float64Array[], minSupport: number, est: FairEst[]): FairnessResult[] {
  return singles.map((g, gi) => {
    const kept = g.conditions.map((c, j) => ({ c, j })).filter(({ j }) => supports[gi][j] >= minSupport);
    const f = est[gi];
    return {
      columns: g.columns,
      demographicParityDifference: f.demographicParityDifference,
      demographicParityRatio: f.demographicParityRatio,
      equalOpportunityDifference: f.equalOpportunityDifference,
      equalizedOddsDifference: f.equalizedOddsDifference,
      groups: kept.map(({ c, j }, e) => ({ description: describeGroup(c), support: supports[gi][j], ...f.groups[e] })),
    };
  });
}
