/**
 * Model evaluation from predictions: every metric with a bootstrap interval, calibration, per-slice metrics,
 * fairness gaps and weak-slice discovery, as one plain JSON result.
 *
 * Speed: nothing is re-sorted or copied per resample. Rows are aggregated once into keys: (slice crossing cell,
 * confusion cell) for the confusion-matrix metrics, (score or score bucket, outcome) for the score metrics.
 * A Poisson bootstrap resample gives each key one Poisson(row count) weight (the sum of its rows' Poisson(1)
 * weights), and every metric is a pass over the keys. Cost: O(n log n) once, then O(R · keys) for R resamples.
 * Multiclass probabilities and regression keep per-row Poisson(1) weights: O(R · n).
 */
import { throwIfAborted } from '../errors.js';
import { createRng } from '../random.js';
import type { Table } from '../table/table.js';
import { SynthopsError } from '../errors.js';
import { poissonCounts, poissonWeights } from './bootstrap.js';
import { calibrationBins, calibrationScores, type ReliabilityBin } from './calibration.js';
import { confusionScores, groupConfusion } from './confusion.js';
import { withIntervals, type Estimate, type Figures } from './estimate.js';
import { columnGrouping, crossGroupings, describeGroup, type Grouping } from './grouping.js';
import type { Predictions } from './predictions.js';
import { multiclassLosses, rocAucSorted, thresholdSweep, type ThresholdPoint } from './ranking.js';
import { calibrationFromSums, distinctScores, scoreKeysFrom, scorePass, type DistinctScores, type ScorePassResult } from './score-pass.js';
import { groupErrors, regressionScores } from './regression.js';
import { SliceAuc, ranksFrom } from './slice-auc.js';
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
   *  the table with at most 50 categories (numeric columns in quantile bins), except the label and prediction
   *  columns (`preds.sourceColumns`). [] turns discovery off. */
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

/**
 * Fairness gaps across the groups of one column. Binary classification: for the positive class. Multiclass: one
 * result per class, one-vs-rest (`class` says which: selection = predicted that class, true positive = predicted it
 * when it is the truth). Lower differences are fairer; a ratio of 1 is parity.
 */
export interface FairnessResult {
  columns: string[];
  /** Multiclass: the class these one-vs-rest gaps are for. Absent for binary classification. */
  class?: string;
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

/** How a fairness result is named in reports: its column(s), and for multiclass its class. */
export function fairnessLabel(f: Pick<FairnessResult, 'columns' | 'class'>): string {
  return f.columns.join(' × ') + (f.class !== undefined ? ` · class ${f.class}` : '');
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
   *  else macro), macroPrecision…, weightedF1, and with scores rocAuc, prAuc, logLoss, brier (multiclass probabilities:
   *  rocAuc = macro one-vs-rest, logLoss, brier). Regression: mae, rmse, r2, mape. */
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

/** Score buckets used by bootstrap resamples when there are more distinct scores than twice this. */
const SCORE_BUCKETS = 4096;
/** Score buckets of the per-slice AUC resamples (the point figures are exact; see slice-auc.ts). */
const SLICE_AUC_BUCKETS = 128;

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
    const exclude = new Set<string>(preds.sourceColumns ?? []);
    const discover =
      opts.discoverColumns ??
      [...sliceBy, ...table.columnNames.filter((c) => !sliceBy.includes(c) && !exclude.has(c) && smallEnough(table, c))];
    const dg = discover.map((c) => singles[sliceBy.indexOf(c)] ?? columnGrouping(table, c, { numericBins: opts.numericBins }));
    if (dg.length) weakSlices = findWeakSlices(preds, dg, { minSupport, alpha: opts.alpha });
  }

  const codes = groupings.map((g) => g.codes);
  const rng = createRng(seed, 'model-eval-bootstrap');
  const wbuf = new Uint8Array(n);
  const rowWeights = (r: number) => (r < 0 ? null : poissonWeights(rng, wbuf));
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
    const est = withIntervals((r) => {
      const w = rowWeights(r);
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
    }, resamples, level, onResample);
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
  // Multiclass (no positive class): fairness gaps per class, one-vs-rest.
  const fairByClass = !binary && k >= 3;
  const { y, pred } = preds;
  const cell = new Uint8Array(n);
  if (kk > 255) throw new SynthopsError('invalid_input', `invalid label: ${k} classes. Model evaluation supports up to 15 classes.`);
  for (let i = 0; i < n; i++) cell[i] = y[i] * k + pred[i];
  const score = preds.score;
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
      calO[i] = y[i] === best ? 1 : 0;
    }
  }
  const nb = opts.calibrationBins ?? 10;
  // Row-level bins are needed only for multiclass probabilities; binary scores use edges on score keys.
  // Per-row distinct-score ranks are kept when slices need their AUC.
  const rowRank = score && groupings.length ? new Int32Array(n) : undefined;
  const distinct = score ? distinctScores(score, isPos, rowRank) : null;
  const binsW = calP ? (distinct ? { bin: new Uint8Array(0), edges: widthEdges(nb) } : calibrationBins(calP, nb, 'width')) : null;
  const binsM = calP ? (distinct ? { bin: new Uint8Array(0), edges: massEdges(distinct, nb) } : calibrationBins(calP, nb, 'mass')) : null;
  // Score metrics work on keys: exact keys (one per distinct score and outcome) for the point values; for
  // resamples of data with many distinct scores, SCORE_BUCKETS buckets, with each resampled value shifted by
  // (exact − bucketed) point value so the interval is centred on the exact figure.
  const exact = distinct ? scoreKeysFrom(distinct, binsW!.edges, binsM!.edges) : null;
  const approx = exact && exact.n > 2 * SCORE_BUCKETS ? scoreKeysFrom(distinct!, binsW!.edges, binsM!.edges, SCORE_BUCKETS) : exact;
  const exactPoint = exact ? scorePass(exact) : null;
  const approxPoint = approx && approx !== exact ? scorePass(approx) : exactPoint;
  const scoreW = approx ? new Float64Array(approx.n) : null;
  const singleCount = singles.length;
  // Multiclass probabilities: one-vs-rest ROC AUC per class present in the truth, sorted once per class.
  const ovr = !score && preds.proba ? ovrLayout(preds.proba, y, k) : null;
  // Every grouping is a marginal of the full crossing of the slice columns: one O(n) pass per resample fills
  // the crossing's confusion matrices, and each grouping (and the overall matrix) sums its cells.
  const cross = marginalLayout(groupings, codes, singles.length, n);
  const cellKeys = confusionKeys(cross.codes, cross.numGroups, cell, kk);
  const cellW = new Float64Array(cellKeys.mult.length);
  // Binary scores: ROC AUC per slice group (exact point; resamples on SLICE_AUC_BUCKETS score buckets, own stream).
  const sliceAuc = distinct && rowRank
    ? new SliceAuc(ranksFrom(distinct, rowRank), isPos, cross.codes, cross.numGroups, groupings.map((g, gi) => ({ subOf: cross.subOf[gi], numGroups: g.numGroups })), SLICE_AUC_BUCKETS)
    : null;
  const aucRng = createRng(seed, 'model-eval-slice-auc');

  const est = withIntervals((r) => {
    const cw = r < 0 ? cellKeys.mult : poissonCounts(rng, cellKeys.mult, cellW);
    const fm = new Float64Array(cross.numGroups * kk);
    for (let j = 0; j < cw.length; j++) fm[cellKeys.key[j]] += cw[j];
    const w = preds.proba ? rowWeights(r) : null;
    const cm = new Float64Array(kk);
    for (let f = 0; f < cross.numGroups; f++) for (let c = 0; c < kk; c++) cm[c] += fm[f * kk + c];
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
    let calibration = {};
    if (exact) {
      const sp = r < 0 ? exactPoint! : scorePass(approx!, poissonCounts(rng, approx!.mult, scoreW!));
      const shift = (f: (x: ScorePassResult) => number) => (r < 0 ? f(sp) : f(sp) + f(exactPoint!) - f(approxPoint!));
      overall.rocAuc = shift((x) => x.auc);
      overall.prAuc = shift((x) => x.ap);
      overall.logLoss = shift((x) => x.logLoss);
      overall.brier = shift((x) => x.brier);
      const cw = (x: ScorePassResult) => calibrationFromSums(x.calA), cm2 = (x: ScorePassResult) => calibrationFromSums(x.calB);
      calibration = {
        width: { ece: shift((x) => cw(x).ece), mce: shift((x) => cw(x).mce) },
        mass: { ece: shift((x) => cm2(x).ece), mce: shift((x) => cm2(x).mce) },
      };
    } else if (preds.proba) {
      overall.rocAuc = ovr ? ovrAuc(ovr, w) : NaN;
      const l = multiclassLosses(preds.proba, preds.y, k, w);
      overall.logLoss = l.logLoss;
      overall.brier = l.brier;
      calibration = {
        width: (({ ece, mce }) => ({ ece, mce }))(calibrationScores(calP!, calO!, binsW!, w)),
        mass: (({ ece, mce }) => ({ ece, mce }))(calibrationScores(calP!, calO!, binsM!, w)),
      };
    }
    const perClass = s.perClass.map((c) => ({ precision: c.precision, recall: c.recall, f1: c.f1 }));
    const slices: Figures[][] = [];
    const fairness: Figures[] = [];
    const aucs = sliceAuc?.figures(r, aucRng);
    groupings.forEach((g, gi) => {
      const m = new Float64Array(g.numGroups * kk);
      const sub = cross.subOf[gi];
      for (let f = 0; f < cross.numGroups; f++) {
        const t = sub[f] * kk;
        for (let c = 0; c < kk; c++) m[t + c] += fm[f * kk + c];
      }
      const out: Figures[] = [];
      const rates: { sel: number; tpr: number; fpr: number }[] = [];
      const ovrRates: { sel: number; tpr: number; fpr: number }[][] = fairByClass ? preds.classes.map(() => []) : [];
      for (let j = 0; j < g.numGroups; j++) {
        if (supports[gi][j] < minSupport) continue;
        const sub = m.subarray(j * kk, (j + 1) * kk);
        const gs = confusionScores(sub, k);
        const h = binary ? gs.perClass[pos] : gs.macro;
        const f: Record<string, number> = { accuracy: gs.accuracy, precision: h.precision, recall: h.recall, f1: h.f1 };
        if (aucs) f.rocAuc = aucs[gi][j];
        if (binary) {
          const neg = 1 - pos;
          const tp = sub[pos * k + pos], fn = sub[pos * k + neg], fp = sub[neg * k + pos], tn = sub[neg * k + neg];
          const tot = tp + fn + fp + tn;
          const r = { sel: tot > 0 ? (tp + fp) / tot : NaN, tpr: tp + fn > 0 ? tp / (tp + fn) : NaN, fpr: fp + tn > 0 ? fp / (fp + tn) : NaN };
          f.selectionRate = r.sel;
          rates.push(r);
        } else if (fairByClass && gi < singleCount) {
          for (let c = 0; c < k; c++) ovrRates[c].push(oneVsRest(sub, k, c));
        }
        out.push(f);
      }
      slices.push(out);
      if (binary && gi < singleCount) fairness.push(fairnessFigures(rates));
      else if (fairByClass && gi < singleCount) for (const cr of ovrRates) fairness.push(fairnessFigures(cr));
    });
    return { overall, perClass, calibration, slices, fairness };
  }, resamples, level, onResample);

  const full = groupConfusion(new Int32Array(n), 1, cell, kk);
  const fullScores = confusionScores(full, k);
  for (const [c, cs] of fullScores.perClass.entries()) {
    if (cs.support === 0) warnings.push(`class "${preds.classes[c]}" never occurs in the truth: its recall is undefined and it is left out of balanced accuracy.`);
  }
  const calFull = calP
    ? exact
      ? { width: { bins: binsFromSums(exactPoint!.calA, binsW!.edges) }, mass: { bins: binsFromSums(exactPoint!.calB, binsM!.edges) } }
      : { width: calibrationScores(calP, calO!, binsW!), mass: calibrationScores(calP, calO!, binsM!) }
    : null;
  const estCal = est.calibration as unknown as { width?: { ece: Estimate; mce: Estimate }; mass?: { ece: Estimate; mce: Estimate } };
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
    ...(exact ? { thresholds: thresholdSweep(exact.score, exact.isPos, opts.thresholds ?? DEFAULT_THRESHOLDS, exact.mult) } : {}),
    ...(calFull && estCal.width && estCal.mass
      ? {
          calibration: {
            width: { ece: estCal.width.ece, mce: estCal.width.mce, bins: calFull.width.bins },
            mass: { ece: estCal.mass.ece, mce: estCal.mass.mce, bins: calFull.mass.bins },
          },
        }
      : {}),
    slices: sliceResults(groupings, supports, minSupport, est.slices as unknown as Record<string, Estimate>[][]),
    fairness: binary || fairByClass ? fairnessResults(singles, supports, minSupport, est.fairness as unknown as FairEst[], fairByClass ? preds.classes : null) : [],
    weakSlices,
    warnings,
  };
  if (!binary && !fairByClass && sliceBy.length) warnings.push('fairness gaps need a binary label with a positive class, or 3–15 classes.');
  for (const s of result.slices) {
    const small = s.groups.filter((g) => g.tooSmall).length;
    if (small === s.groups.length) warnings.push(`every slice of ${s.columns.join(' × ')} has fewer than ${minSupport} rows: no slice metrics.`);
  }
  return result;
}

/** The full crossing of the groupings' columns and, per grouping, the map from crossing cell to its group. */
function marginalLayout(groupings: Grouping[], codes: Int32Array[], numSingles: number, n: number): { codes: Int32Array; numGroups: number; subOf: Int32Array[] } {
  if (!groupings.length) return { codes: new Int32Array(n), numGroups: 1, subOf: [] };
  // Key each row by its tuple of single-column group codes (mixed radix; pairs are functions of the singles),
  // then compact to the observed keys.
  const key = new Float64Array(n);
  let radix = 1;
  for (let gi = 0; gi < numSingles; gi++) {
    const c = codes[gi];
    for (let i = 0; i < n; i++) key[i] += c[i] * radix;
    radix *= groupings[gi].numGroups;
  }
  const out = new Int32Array(n);
  const rep: number[] = [];
  if (radix <= 1 << 22) {
    const dense = new Int32Array(radix).fill(-1);
    for (let i = 0; i < n; i++) {
      let f = dense[key[i]];
      if (f < 0) { f = dense[key[i]] = rep.length; rep.push(i); }
      out[i] = f;
    }
  } else {
    const map = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      let f = map.get(key[i]);
      if (f === undefined) { f = rep.length; map.set(key[i], f); rep.push(i); }
      out[i] = f;
    }
  }
  return { codes: out, numGroups: rep.length, subOf: codes.map((c) => Int32Array.from(rep, (i) => c[i])) };
}

function smallEnough(table: Table, c: string): boolean {
  const col = table.column(c);
  return col.storage === 'numeric' || col.dictionary.length <= 50;
}

/** Distinct (crossing cell, confusion cell) keys with their row counts. */
function confusionKeys(codes: Int32Array, numGroups: number, cell: Uint8Array, kk: number): { key: Int32Array; mult: Float64Array } {
  // numGroups ≤ n, so the dense count array has at most n · kk entries.
  const counts = new Float64Array(numGroups * kk);
  for (let i = 0; i < codes.length; i++) counts[codes[i] * kk + cell[i]]++;
  const keys: number[] = [];
  for (let k = 0; k < counts.length; k++) if (counts[k] > 0) keys.push(k);
  return { key: Int32Array.from(keys), mult: Float64Array.from(keys, (k) => counts[k]) };
}

interface OvrLayout { order: Int32Array[]; score: Float64Array[]; isPos: Uint8Array[]; buf: Float64Array }

function ovrLayout(proba: Float64Array, y: Int32Array, k: number): OvrLayout {
  const n = y.length;
  const L: OvrLayout = { order: [], score: [], isPos: [], buf: new Float64Array(n) };
  for (let c = 0; c < k; c++) {
    let present = false;
    for (let i = 0; i < n && !present; i++) if (y[i] === c) present = true;
    if (!present) continue;
    const s = Float64Array.from({ length: n }, (_, i) => proba[i * k + c]);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => s[a] - s[b]);
    L.order.push(order);
    L.score.push(Float64Array.from(order, (i) => s[i]));
    L.isPos.push(Uint8Array.from(order, (i) => (y[i] === c ? 1 : 0)));
  }
  return L;
}

/** Macro one-vs-rest ROC AUC: the mean over classes present in the truth of P(score_c(positive) > score_c(other)). */
function ovrAuc(L: OvrLayout, w: Uint8Array | null): number {
  let sum = 0, m = 0;
  for (let c = 0; c < L.order.length; c++) {
    let wc: Float64Array | null = null;
    if (w) {
      wc = L.buf;
      const o = L.order[c];
      for (let j = 0; j < o.length; j++) wc[j] = w[o[j]];
    }
    const a = rocAucSorted(L.score[c], L.isPos[c], wc);
    if (Number.isFinite(a)) { sum += a; m++; }
  }
  return m ? sum / m : NaN;
}

function widthEdges(k: number): number[] {
  return Array.from({ length: k + 1 }, (_, i) => i / k);
}

/** Equal-mass edges from distinct-score counts: the score at each k-quantile of the rows (as `calibrationBins`). */
function massEdges(d: DistinctScores, k: number): number[] {
  const edges = [0];
  let t = 0, seen = 0;
  for (let b = 1; b < k; b++) {
    const target = Math.min(d.n - 1, Math.floor((b * d.n) / k)); // 0-based row rank
    while (seen + d.cnt[2 * t] + d.cnt[2 * t + 1] <= target) { seen += d.cnt[2 * t] + d.cnt[2 * t + 1]; t++; }
    edges.push(d.uniq[t]);
  }
  edges.push(1);
  return edges;
}

/** Reliability bins from [count, Σp, Σoutcome] sums. */
function binsFromSums(sums: Float64Array, edges: number[]): ReliabilityBin[] {
  const out: ReliabilityBin[] = [];
  for (let j = 0; j + 1 < edges.length; j++) {
    const c = sums[j * 3];
    out.push({ lower: edges[j], upper: edges[j + 1], count: c, confidence: c > 0 ? sums[j * 3 + 1] / c : NaN, frequency: c > 0 ? sums[j * 3 + 2] / c : NaN });
  }
  return out;
}

/** One-vs-rest rates of class c from a k × k confusion matrix (rows = truth, columns = prediction). */
function oneVsRest(m: Float64Array, k: number, c: number): { sel: number; tpr: number; fpr: number } {
  let tot = 0, predC = 0, trueC = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) tot += m[i * k + j];
    predC += m[i * k + c];
    trueC += m[c * k + i];
  }
  const tp = m[c * k + c], fp = predC - tp, neg = tot - trueC;
  return { sel: tot > 0 ? predC / tot : NaN, tpr: trueC > 0 ? tp / trueC : NaN, fpr: neg > 0 ? fp / neg : NaN };
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

/** `classes`: multiclass, est holds one entry per (column, class), classes fastest. */
function fairnessResults(singles: Grouping[], supports: Float64Array[], minSupport: number, est: FairEst[], classes: string[] | null): FairnessResult[] {
  const per = classes ? classes.length : 1;
  return est.map((f, at) => {
    const gi = Math.floor(at / per), g = singles[gi];
    const kept = g.conditions.map((c, j) => ({ c, j })).filter(({ j }) => supports[gi][j] >= minSupport);
    return {
      columns: g.columns,
      ...(classes ? { class: classes[at % per] } : {}),
      demographicParityDifference: f.demographicParityDifference,
      demographicParityRatio: f.demographicParityRatio,
      equalOpportunityDifference: f.equalOpportunityDifference,
      equalizedOddsDifference: f.equalizedOddsDifference,
      groups: kept.map(({ c, j }, e) => ({ description: describeGroup(c), support: supports[gi][j], ...f.groups[e] })),
    };
  });
}
