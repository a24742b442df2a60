import { SynthopsError } from '../errors.js';
import type { Table } from '../table/table.js';

/**
 * Which columns hold a classifier's output and (optionally) the true label.
 * - one probability column: a binary classifier's probability of `positive`;
 * - several: one probability per class, the class label being `classes[i]` (default: the column names).
 */
export interface ClassifierColumns {
  probabilities: string[];
  /** Class label per probability column (several columns), or [negative, positive] (one column). */
  classes?: string[];
  /** True label column, when labels have arrived. */
  target?: string;
}

/** Number of confidence bins of the calibration map. */
export const CALIBRATION_BINS = 10;

/**
 * Maps a predicted class's confidence to the accuracy actually seen at that confidence on labelled reference
 * data (histogram binning over [0, 1] in `CALIBRATION_BINS` bins; bins with no reference rows keep the
 * confidence itself). Learned with `fitCalibration`.
 */
export interface Calibration {
  /** Realised accuracy per bin, or null where the reference had no rows. */
  accuracy: (number | null)[];
  /** Reference rows per bin. */
  counts: number[];
  /** Realised accuracy over the whole reference. */
  referenceAccuracy: number;
}

/** Confidence, predicted class and (with labels) correctness of every row. */
export interface ScoredRows {
  confidence: Float64Array;
  predicted: Int32Array;
  /** 1 correct, 0 wrong, −1 no label. Null without a target column. */
  correct: Int8Array | null;
  classes: string[];
}

/**
 * Reads the probability columns of `table`: confidence = the largest class probability (binary: max(p, 1 − p)),
 * predicted class = its argmax, and, with a target column, whether the prediction was right. Probabilities must
 * be numbers in [0, 1]; a row with a missing probability gets confidence NaN and is left out of estimates.
 * Throws `invalid_input` naming the column for anything else.
 * @example scoreRows(t, { probabilities: ['p_yes'], classes: ['no', 'yes'], target: 'label' })
 */
export function scoreRows(table: Table, cols: ClassifierColumns): ScoredRows {
  const probs = cols.probabilities.map((name) => {
    const c = table.column(name);
    if (c.storage !== 'numeric') throw new SynthopsError('invalid_input', 'invalid probability column: it is not numeric.', { column: name });
    for (let i = 0; i < c.values.length; i++) {
      const x = c.values[i];
      if (x === x && !(x >= 0 && x <= 1)) throw new SynthopsError('invalid_input', 'invalid probability: outside [0, 1].', { column: name, row: i });
    }
    return c.values;
  });
  const binary = probs.length === 1;
  const classes = cols.classes ?? (binary ? ['0', '1'] : cols.probabilities);
  if (classes.length !== (binary ? 2 : probs.length))
    throw new SynthopsError('invalid_argument', `invalid classes: ${classes.length} given. Give ${binary ? '2 (negative, positive)' : probs.length + ', one per probability column'}.`);
  const n = table.numRows;
  const confidence = new Float64Array(n), predicted = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (binary) {
      const p = probs[0][i];
      confidence[i] = p >= 0.5 ? p : 1 - p;
      predicted[i] = p >= 0.5 ? 1 : 0;
      if (p !== p) confidence[i] = NaN;
    } else {
      let best = -1, arg = 0;
      for (let k = 0; k < probs.length; k++) {
        if (probs[k][i] > best) {
          best = probs[k][i];
          arg = k;
        }
      }
      confidence[i] = best < 0 ? NaN : best;
      predicted[i] = arg;
    }
  }
  let correct: Int8Array | null = null;
  if (cols.target) {
    const t = table.column(cols.target);
    correct = new Int8Array(n);
    const index = new Map(classes.map((c, k) => [c, k]));
    for (let i = 0; i < n; i++) {
      const label = t.storage === 'numeric' ? (t.values[i] === t.values[i] ? String(t.values[i]) : null) : t.get(i);
      correct[i] = label === null ? -1 : index.get(label) === predicted[i] ? 1 : 0;
    }
  }
  return { confidence, predicted, correct, classes };
}

/**
 * Learns a `Calibration` from labelled reference rows. Throws `invalid_input` when no row has both a
 * probability and a label.
 * @example const cal = fitCalibration(scoreRows(reference, cols));
 */
export function fitCalibration(s: ScoredRows): Calibration {
  if (!s.correct) throw new SynthopsError('invalid_argument', 'invalid calibration: the reference needs a target column.');
  const hits = new Float64Array(CALIBRATION_BINS), counts = new Float64Array(CALIBRATION_BINS);
  let h = 0, n = 0;
  for (let i = 0; i < s.confidence.length; i++) {
    const c = s.confidence[i];
    if (c !== c || s.correct[i] < 0) continue;
    const b = Math.min(CALIBRATION_BINS - 1, Math.floor(c * CALIBRATION_BINS));
    counts[b]++;
    hits[b] += s.correct[i];
    h += s.correct[i];
    n++;
  }
  if (!n) throw new SynthopsError('invalid_input', 'invalid calibration: no reference row has both a probability and a label.');
  return { accuracy: Array.from(counts, (c, b) => (c ? hits[b] / c : null)), counts: Array.from(counts), referenceAccuracy: h / n };
}

/** Estimated and (with labels) realised accuracy over a set of rows. */
export interface PerformanceEstimate {
  rows: number;
  /** Confidence-based expected accuracy: mean calibrated confidence (or raw confidence without calibration). */
  estimatedAccuracy: number;
  /** Accuracy against the labels present, when any. */
  realisedAccuracy?: number;
  labelled?: number;
}

/**
 * Confidence-based performance estimation (no labels needed): the expected accuracy is the mean over rows of
 * the probability that the predicted class is right — the confidence, mapped through the reference's
 * calibration when there is one. Realised accuracy is added when labels are present. NaN-free: an empty set of
 * rows gives rows 0 and estimatedAccuracy 0.
 * @example estimatePerformance(scoreRows(current, cols), calibration).estimatedAccuracy // 0.83
 */
export function estimatePerformance(s: ScoredRows, calibration?: Calibration, rows?: Int32Array): PerformanceEstimate {
  const idx = rows ?? Int32Array.from({ length: s.confidence.length }, (_, i) => i);
  let e = 0, n = 0, h = 0, l = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    const c = s.confidence[i];
    if (c !== c) continue;
    const b = Math.min(CALIBRATION_BINS - 1, Math.floor(c * CALIBRATION_BINS));
    e += calibration?.accuracy[b] ?? c;
    n++;
    if (s.correct && s.correct[i] >= 0) {
      h += s.correct[i];
      l++;
    }
  }
  const out: PerformanceEstimate = { rows: n, estimatedAccuracy: n ? e / n : 0 };
  if (l) {
    out.realisedAccuracy = h / l;
    out.labelled = l;
  }
  return out;
}
