import { SynthopsError } from '../../errors.js';
import type { FeatureMatrix } from '../../learners/features.js';
import { rocAucSorted } from '../../model-eval/ranking.js';
import { createRng } from '../../random.js';
import type { AlignedColumn } from '../aligned.js';

/**
 * Scores the `test` rows of `x` after learning from the `train` rows (label 1 = synthetic): returns one score per
 * test row, higher = more likely synthetic. Must be deterministic in `seed`.
 */
export type DetectorFit = (x: FeatureMatrix, y: Int32Array, train: Int32Array, test: Int32Array, seed: number) => Float64Array;

/** Result of a cross-validated classifier two-sample test. */
export interface TwoSampleResult {
  /** Out-of-fold ROC AUC: 0.5 = indistinguishable, 1 = always told apart, well below 0.5 = suspicious. */
  auc: number;
  /** Rows used from each table (equal numbers). */
  rowsPerSide: number;
  folds: number;
  /** True when the larger tables were sampled down to `maxRowsPerSide` rows per side. */
  sampled: boolean;
  /** 95% interval of the AUC (Hanley–McNeil standard error, normal approximation). */
  aucInterval: [number, number];
  /** Propensity mean squared error: mean of (p − ½)² over the out-of-fold scores; 0 = indistinguishable, ¼ = perfect. */
  pmse: number;
  /**
   * Out-of-fold score of every stacked row (the chosen real rows, then the chosen rows of table `other`), kept so
   * intervals (pMSE's bootstrap) resample these cached per-row contributions instead of refitting detectors.
   */
  scores: Float64Array;
}

/**
 * Classifier two-sample test between table 0 and table `other` of `cols`: draws equal numbers of rows from each
 * (all rows of the smaller table, a seeded sample of the larger), labels them, and computes the ROC AUC of
 * `fit`'s out-of-fold scores under stratified k-fold cross-validation (default 5). O(folds × fit cost).
 * @example twoSampleAuc(cols, 1, forestDetector(), { seed: 1 }).auc
 */
export function twoSampleAuc(cols: readonly AlignedColumn[], other: number, fit: DetectorFit, opts: { seed: number; folds?: number; maxRowsPerSide?: number }): TwoSampleResult {
  const plan = planTwoSample(cols, other, opts);
  return finishTwoSample(plan, plan.folds.map((f) => fit(plan.x, plan.y, f.train, f.test, f.seed)));
}

/** The stacked rows, labels and stratified folds of a two-sample test, before any detector is fitted. */
export interface TwoSamplePlan {
  x: FeatureMatrix;
  y: Int32Array;
  /** Rows per side. */
  n: number;
  sampled: boolean;
  /** Per fold: training rows, test rows and the detector's seed. */
  folds: { train: Int32Array; test: Int32Array; seed: number }[];
}

/**
 * Everything of {@link twoSampleAuc} up to the detector fits, so the (independent) fold fits can run elsewhere
 * (worker threads) and come back to {@link finishTwoSample}; the result is the same as twoSampleAuc's.
 * @example const plan = planTwoSample(cols, 1, { seed: 1 }); finishTwoSample(plan, plan.folds.map((f) => fit(plan.x, plan.y, f.train, f.test, f.seed)))
 */
export function planTwoSample(cols: readonly AlignedColumn[], other: number, opts: { seed: number; folds?: number; maxRowsPerSide?: number }): TwoSamplePlan {
  const folds = opts.folds ?? 5;
  if (cols.length === 0) throw new SynthopsError('invalid_argument', 'invalid columns: none to compare. Detection needs at least one numerical, datetime, categorical or boolean column.');
  const first = cols[0];
  const nr = first.kind === 'numeric' ? first.values[0].length : first.codes[0].length;
  const ns = first.kind === 'numeric' ? first.values[other].length : first.codes[other].length;
  let n = Math.min(nr, ns);
  if (opts.maxRowsPerSide !== undefined) n = Math.min(n, opts.maxRowsPerSide);
  if (n < folds) throw new SynthopsError('invalid_input', `invalid tables: ${n} rows on the smaller side. Detection needs at least ${folds} rows on each side.`);
  const rng = createRng(opts.seed, 'two-sample');
  const pick = (total: number, stream: string): Int32Array => (total === n ? identity(n) : rng.split(stream).permutation(total).subarray(0, n).sort());
  const rowsR = pick(nr, 'real'), rowsS = pick(ns, 'other');
  const x = stackRows(cols, other, rowsR, rowsS);
  const y = new Int32Array(2 * n);
  y.fill(1, n);
  // Stratified folds: each side is permuted and dealt round-robin.
  const fold = new Int32Array(2 * n);
  const pr = rng.split('folds-real').permutation(n), ps = rng.split('folds-other').permutation(n);
  for (let i = 0; i < n; i++) {
    fold[pr[i]] = i % folds;
    fold[n + ps[i]] = i % folds;
  }
  const out: TwoSamplePlan['folds'] = [];
  for (let f = 0; f < folds; f++) {
    let nt = 0;
    for (let i = 0; i < 2 * n; i++) if (fold[i] === f) nt++;
    const test = new Int32Array(nt), train = new Int32Array(2 * n - nt);
    let a = 0, b = 0;
    for (let i = 0; i < 2 * n; i++) {
      if (fold[i] === f) test[a++] = i;
      else train[b++] = i;
    }
    out.push({ train, test, seed: opts.seed * 31 + f });
  }
  return { x, y, n, sampled: n < Math.min(nr, ns), folds: out };
}

/**
 * The test's result from each fold's detector scores (`scores[f]` for `plan.folds[f].test`, in order).
 * @example finishTwoSample(plan, foldScores).auc
 */
export function finishTwoSample(plan: TwoSamplePlan, scores: readonly Float64Array[]): TwoSampleResult {
  const { n, y } = plan;
  const score = new Float64Array(2 * n);
  plan.folds.forEach((f, k) => {
    const s = scores[k];
    for (let i = 0; i < f.test.length; i++) score[f.test[i]] = s[i];
  });
  const auc = aucOf(score, y);
  let pm = 0;
  for (let i = 0; i < 2 * n; i++) pm += (score[i] - 0.5) ** 2;
  const se = hanleyMcNeilSe(auc, n, n);
  return { auc, rowsPerSide: n, folds: plan.folds.length, sampled: plan.sampled, aucInterval: [Math.max(0, auc - 1.96 * se), Math.min(1, auc + 1.96 * se)], pmse: pm / (2 * n), scores: score };
}

/**
 * Standard error of an ROC AUC `a` with `nPos` positives and `nNeg` negatives (Hanley & McNeil, 1982).
 * @example hanleyMcNeilSe(0.5, 1000, 1000) // ≈ 0.0129
 */
export function hanleyMcNeilSe(a: number, nPos: number, nNeg: number): number {
  const q1 = a / (2 - a), q2 = (2 * a * a) / (1 + a);
  const v = (a * (1 - a) + (nPos - 1) * (q1 - a * a) + (nNeg - 1) * (q2 - a * a)) / (nPos * nNeg);
  return Math.sqrt(Math.max(0, v));
}

/**
 * ROC AUC of `score` for labels `y` (1 positive), ties counted half. O(n log n): each class's scores sorted natively
 * (no comparator callback) and merged, negatives first among equal scores — rocAucSorted counts a run of equal scores
 * as one group, so the order inside it does not matter.
 */
export function aucOf(score: Float64Array, y: ArrayLike<number>): number {
  const n = score.length;
  let np = 0;
  for (let i = 0; i < n; i++) if (y[i]) np++;
  const pos = new Float64Array(np), neg = new Float64Array(n - np);
  let a = 0, b = 0;
  for (let i = 0; i < n; i++) {
    if (y[i]) pos[a++] = score[i];
    else neg[b++] = score[i];
  }
  pos.sort();
  neg.sort();
  const s = new Float64Array(n), p = new Uint8Array(n);
  a = 0;
  b = 0;
  for (let k = 0; k < n; k++) {
    if (b < neg.length && (a >= pos.length || neg[b] <= pos[a])) s[k] = neg[b++];
    else {
      s[k] = pos[a++];
      p[k] = 1;
    }
  }
  return rocAucSorted(s, p);
}

function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** Feature matrix of the chosen real rows followed by the chosen rows of table `other`. */
function stackRows(cols: readonly AlignedColumn[], other: number, rowsR: Int32Array, rowsS: Int32Array): FeatureMatrix {
  const n = rowsR.length + rowsS.length;
  const columns: (Float64Array | Int32Array)[] = [];
  const levels: number[] = [];
  for (const c of cols) {
    if (c.kind === 'numeric') {
      const out = new Float64Array(n);
      gatherF64(out, 0, c.values[0], rowsR);
      gatherF64(out, rowsR.length, c.values[other], rowsS);
      columns.push(out);
      levels.push(0);
    } else {
      const out = new Int32Array(n);
      gatherI32(out, 0, c.codes[0], rowsR);
      gatherI32(out, rowsR.length, c.codes[other], rowsS);
      columns.push(out);
      levels.push(Math.max(1, c.levels));
    }
  }
  return { numRows: n, names: cols.map((c) => c.name), columns, levels };
}

// out[at + i] = src[rows[i]]: small monomorphic loops, optimised after a call or two (this runs once per report, so
// loops written inline above ran mostly in the interpreter).
function gatherF64(out: Float64Array, at: number, src: Float64Array, rows: Int32Array): void {
  for (let i = 0; i < rows.length; i++) out[at + i] = src[rows[i]];
}

function gatherI32(out: Int32Array, at: number, src: Int32Array, rows: Int32Array): void {
  for (let i = 0; i < rows.length; i++) out[at + i] = src[rows[i]];
}
