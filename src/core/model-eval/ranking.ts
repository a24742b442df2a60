/**
 * Threshold-free scores of a binary classifier: ROC AUC and average precision (PR AUC). Both run in O(n) on
 * rows already sorted by score (ascending), so bootstrap resamples reuse one sort and only change weights.
 */
import type { Weights } from './confusion.js';

/**
 * ROC AUC: the probability that a random positive row scores higher than a random negative one, ties
 * counting one half (the Mann–Whitney statistic). `scores` must be ascending; `positive[i]` is 1 for a
 * positive row. NaN when either class has zero weight. 1 is perfect ranking, 0.5 is chance.
 * @example rocAucSorted(Float64Array.of(0.1, 0.4, 0.4, 0.8), Uint8Array.of(0, 0, 1, 1)) // 0.875
 */
export function rocAucSorted(scores: ArrayLike<number>, positive: ArrayLike<number>, w: Weights = null): number {
  let negBefore = 0, sum = 0, P = 0, N = 0, bp = 0, bn = 0;
  const n = scores.length;
  for (let j = 0; j < n; j++) {
    if (j > 0 && scores[j] !== scores[j - 1]) {
      sum += bp * (negBefore + 0.5 * bn);
      negBefore += bn;
      P += bp;
      N += bn;
      bp = bn = 0;
    }
    const wj = w ? w[j] : 1;
    if (positive[j]) bp += wj;
    else bn += wj;
  }
  sum += bp * (negBefore + 0.5 * bn);
  P += bp;
  N += bn;
  return P > 0 && N > 0 ? sum / (P * N) : NaN;
}

/**
 * Average precision (area under the precision–recall curve as a step function, without interpolation):
 * Σ over distinct thresholds of (recall gain) × precision, thresholds taken from high to low score and tied
 * scores forming one threshold. `scores` ascending. NaN when there is no positive weight. 1 is perfect; a random
 * ranking scores about the positive rate.
 * @example averagePrecisionSorted(Float64Array.of(0.1, 0.35, 0.4, 0.8), Uint8Array.of(0, 1, 0, 1)) // 0.8333…
 */
export function averagePrecisionSorted(scores: ArrayLike<number>, positive: ArrayLike<number>, w: Weights = null): number {
  const n = scores.length;
  let P = 0;
  for (let j = 0; j < n; j++) if (positive[j]) P += w ? w[j] : 1;
  if (!(P > 0)) return NaN;
  let tp = 0, fp = 0, ap = 0, bp = 0, bn = 0;
  for (let j = n - 1; j >= 0; j--) {
    const wj = w ? w[j] : 1;
    if (positive[j]) bp += wj;
    else bn += wj;
    if (j === 0 || scores[j - 1] !== scores[j]) {
      tp += bp;
      fp += bn;
      if (bp > 0) ap += (bp / P) * (tp / (tp + fp));
      bp = bn = 0;
    }
  }
  return ap;
}

/**
 * Binary log loss (cross-entropy, natural log) and Brier score (mean squared error of the probability).
 * Probabilities are clipped to [1e-15, 1 − 1e-15] for the log. Lower is better for both; Brier is in [0, 1].
 * @example probabilityLosses(Float64Array.of(0.9, 0.2), Uint8Array.of(1, 0)).brier // 0.025
 */
export function probabilityLosses(p: ArrayLike<number>, positive: ArrayLike<number>, w: Weights = null): { logLoss: number; brier: number } {
  let W = 0, ll = 0, br = 0;
  for (let j = 0; j < p.length; j++) {
    const wj = w ? w[j] : 1;
    if (wj === 0) continue;
    const q = Math.min(1 - 1e-15, Math.max(1e-15, p[j]));
    const o = positive[j] ? 1 : 0;
    ll -= wj * (o ? Math.log(q) : Math.log(1 - q));
    br += wj * (p[j] - o) * (p[j] - o);
    W += wj;
  }
  return W > 0 ? { logLoss: ll / W, brier: br / W } : { logLoss: NaN, brier: NaN };
}

/**
 * Multiclass log loss and Brier score from an n × k row-major probability matrix: log loss = −mean log p[true];
 * Brier = mean Σ_c (p_c − [c = true])², in [0, 2]. Lower is better.
 * @example multiclassLosses(Float64Array.of(0.7, 0.2, 0.1), Int32Array.of(0), 3).brier // 0.14
 */
export function multiclassLosses(proba: ArrayLike<number>, y: ArrayLike<number>, k: number, w: Weights = null): { logLoss: number; brier: number } {
  let W = 0, ll = 0, br = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = w ? w[i] : 1;
    if (wi === 0) continue;
    const t = y[i];
    ll -= wi * Math.log(Math.min(1 - 1e-15, Math.max(1e-15, proba[i * k + t])));
    let s = 0;
    for (let c = 0; c < k; c++) {
      const d = proba[i * k + c] - (c === t ? 1 : 0);
      s += d * d;
    }
    br += wi * s;
    W += wi;
  }
  return W > 0 ? { logLoss: ll / W, brier: br / W } : { logLoss: NaN, brier: NaN };
}

/** One point of a threshold sweep for a binary classifier (predict positive when score ≥ threshold). */
export interface ThresholdPoint {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
  /** False-positive rate (1 − specificity). */
  fpr: number;
  /** Share of rows predicted positive. */
  selectionRate: number;
  accuracy: number;
}

/**
 * Scores at each threshold in `thresholds` (predict positive when score ≥ t), in one pass over rows (or keys with
 * row counts `w`) sorted by ascending score. Precision is NaN where nothing is predicted positive.
 * @example thresholdSweep(sortedScores, positive, [0.25, 0.5, 0.75])
 */
export function thresholdSweep(scores: ArrayLike<number>, positive: ArrayLike<number>, thresholds: readonly number[], w: Weights = null): ThresholdPoint[] {
  const len = scores.length;
  let P = 0, n = 0;
  for (let j = 0; j < len; j++) {
    const wj = w ? w[j] : 1;
    n += wj;
    if (positive[j]) P += wj;
  }
  const N = n - P;
  const ts = [...thresholds].sort((a, b) => a - b);
  const out: ThresholdPoint[] = [];
  // Walk thresholds upward; rows below t are predicted negative.
  let j = 0, posBelow = 0, negBelow = 0;
  for (const t of ts) {
    while (j < len && scores[j] < t) {
      if (positive[j]) posBelow += w ? w[j] : 1;
      else negBelow += w ? w[j] : 1;
      j++;
    }
    const tp = P - posBelow, fp = N - negBelow;
    const precision = tp + fp > 0 ? tp / (tp + fp) : NaN;
    const recall = P > 0 ? tp / P : NaN;
    out.push({
      threshold: t,
      precision,
      recall,
      f1: 2 * tp + fp + posBelow > 0 ? (2 * tp) / (2 * tp + fp + posBelow) : NaN,
      fpr: N > 0 ? fp / N : NaN,
      selectionRate: n > 0 ? (tp + fp) / n : NaN,
      accuracy: n > 0 ? (tp + negBelow) / n : NaN,
    });
  }
  return out;
}
