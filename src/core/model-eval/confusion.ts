/**
 * Confusion-matrix metrics for classification: accuracy, balanced accuracy, and precision, recall and F1 per
 * class, macro- and support-weighted-averaged. Every function takes optional per-row weights (bootstrap
 * resamples) so one precomputed layout serves every resample.
 */

/** Weights per row, or null for weight 1 everywhere. */
export type Weights = ArrayLike<number> | null;

/**
 * Weighted k × k confusion matrix, row-major: entry [t * k + p] counts rows of true class t predicted as p.
 * `y` and `pred` hold class indices in [0, k).
 * @example confusionMatrix(Int32Array.of(0, 1, 1), Int32Array.of(0, 1, 0), 2) // [1, 0, 1, 1]
 */
export function confusionMatrix(y: ArrayLike<number>, pred: ArrayLike<number>, k: number, w: Weights = null): Float64Array {
  const cm = new Float64Array(k * k);
  if (w) for (let i = 0; i < y.length; i++) cm[y[i] * k + pred[i]] += w[i];
  else for (let i = 0; i < y.length; i++) cm[y[i] * k + pred[i]]++;
  return cm;
}

/** Precision, recall and F1 of one class (NaN where undefined; see `confusionScores`). */
export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  /** (Weighted) number of rows whose true class is this one. */
  support: number;
}

/** Every confusion-matrix score of a k-class problem. All scores are in [0, 1], higher is better. */
export interface ConfusionScores {
  accuracy: number;
  /** Mean recall over the classes that occur in the truth. */
  balancedAccuracy: number;
  perClass: ClassScores[];
  /** Unweighted mean over the classes that occur in the truth or in the predictions. */
  macro: { precision: number; recall: number; f1: number };
  /** Mean weighted by support (classes absent from the truth weigh 0). */
  weighted: { precision: number; recall: number; f1: number };
  /** Total (weighted) rows. */
  total: number;
}

/**
 * Scores from a k × k confusion matrix (as from `confusionMatrix`).
 *
 * Conventions for empty classes (the textbook definitions with the 0/0 cases spelled out):
 * - precision = TP / (TP + FP); when the class is never predicted it is 0 if the class occurs in the truth
 *   (the model missed it entirely), NaN otherwise.
 * - recall = TP / (TP + FN); NaN when the class never occurs in the truth.
 * - F1 = 2TP / (2TP + FP + FN); NaN only when the class occurs neither in the truth nor in the predictions.
 * - macro averages skip NaN entries, i.e. classes that occur nowhere; accuracy of an empty matrix is NaN.
 * @example confusionScores(Float64Array.of(5, 1, 2, 2), 2).accuracy // 0.7
 */
export function confusionScores(cm: ArrayLike<number>, k: number): ConfusionScores {
  const perClass: ClassScores[] = [];
  let total = 0, correct = 0;
  for (let t = 0; t < k; t++) for (let p = 0; p < k; p++) {
    total += cm[t * k + p];
    if (t === p) correct += cm[t * k + p];
  }
  for (let c = 0; c < k; c++) {
    let rowSum = 0, colSum = 0;
    for (let j = 0; j < k; j++) {
      rowSum += cm[c * k + j];
      colSum += cm[j * k + c];
    }
    const tp = cm[c * k + c];
    const fn = rowSum - tp, fp = colSum - tp;
    const precision = colSum > 0 ? tp / colSum : rowSum > 0 ? 0 : NaN;
    const recall = rowSum > 0 ? tp / rowSum : NaN;
    const f1 = 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : NaN;
    perClass.push({ precision, recall, f1, support: rowSum });
  }
  const mean = (key: keyof ClassScores) => {
    let s = 0, m = 0;
    for (const c of perClass) if (Number.isFinite(c[key])) { s += c[key]; m++; }
    return m ? s / m : NaN;
  };
  const wmean = (key: 'precision' | 'recall' | 'f1') => {
    let s = 0, m = 0;
    for (const c of perClass) if (c.support > 0) { s += c.support * (Number.isFinite(c[key]) ? c[key] : 0); m += c.support; }
    return m ? s / m : NaN;
  };
  let recallSum = 0, present = 0;
  for (const c of perClass) if (c.support > 0) { recallSum += c.recall; present++; }
  return {
    accuracy: total > 0 ? correct / total : NaN,
    balancedAccuracy: present ? recallSum / present : NaN,
    perClass,
    macro: { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') },
    weighted: { precision: wmean('precision'), recall: wmean('recall'), f1: wmean('f1') },
    total,
  };
}

/**
 * Confusion matrices for many groups at once: entry [g * k * k + cell[i]] accumulates row i's weight, where
 * `cell[i] = y[i] * k + pred[i]` is precomputed once. Rows with group -1 are skipped. O(n) per call.
 * @example groupConfusion(Int32Array.of(0, 1), 2, Uint8Array.of(0, 3), 4) // group 0: TN=1; group 1: TP=1
 */
export function groupConfusion(groups: Int32Array, numGroups: number, cell: ArrayLike<number>, kk: number, w: Weights = null): Float64Array {
  const out = new Float64Array(numGroups * kk);
  if (w) {
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      if (g >= 0) out[g * kk + cell[i]] += w[i];
    }
  } else {
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      if (g >= 0) out[g * kk + cell[i]]++;
    }
  }
  return out;
}
