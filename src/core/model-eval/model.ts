/**
 * A model to evaluate by calling it: anything that maps table rows to class probabilities or numeric values.
 * Built-in learners and HTTP endpoints (src/node/endpoint) both implement it, so every evaluation path
 * (metrics, robustness, synthetic-vs-real, inference cost) treats them alike.
 */
import { SynthopsError } from '../errors.js';
import type { Table } from '../table/table.js';
import type { ClassificationPredictions, Predictions, RegressionPredictions } from './predictions.js';
import { inferTask } from './predictions.js';

/** A callable model. */
export interface PredictiveModel {
  task: 'classification' | 'regression';
  /** Classification: class labels in the order of the probability columns. */
  classes?: string[];
  /** Feature columns the model reads. */
  features: string[];
  /** What it is, for reports and model cards (e.g. `{ kind: 'decision-tree', maxDepth: 10 }`). */
  info: { kind: string; [key: string]: string | number | boolean | null };
  /**
   * Predictions for every row of `table`, in row order: classification → n × classes.length probabilities
   * (row-major); regression → n values.
   */
  predict(table: Table, opts?: { signal?: AbortSignal }): Promise<Float64Array>;
}

/** Options of `predictionsFromModel`. */
export interface ModelPredictionOptions {
  /** Binary: the positive class. Default `1`/`true`/`yes` when present, else the rarer class in the truth. */
  positive?: string;
  /** Binary: P(positive) ≥ threshold predicts positive. Default 0.5 (multiclass: the most probable class). */
  threshold?: number;
}

/**
 * Turns a model's raw output on `table` into validated predictions against the `label` column. Classes are the
 * union of the model's classes and the labels in the data (sorted); a class the model never outputs gets
 * probability 0.
 * @example predictionsFromModel(test, 'income', model, await model.predict(test))
 */
export function predictionsFromModel(table: Table, label: string, model: PredictiveModel, output: Float64Array, opts: ModelPredictionOptions = {}): Predictions {
  const n = table.numRows;
  const col = table.column(label);
  if (n === 0) throw new SynthopsError('invalid_input', 'invalid data: it has no rows. Evaluate at least one prediction.');
  let missing = 0;
  for (let i = 0; i < n; i++) if (col.isNull(i)) missing++;
  if (missing) throw new SynthopsError('invalid_input', `invalid label column "${label}": ${missing} row(s) are missing. Every evaluated row needs a label.`, { column: label });
  if (model.task === 'regression') {
    if (col.storage !== 'numeric') throw new SynthopsError('schema_mismatch', `invalid label column: "${label}" is not numeric, but the model predicts numbers.`, { column: label });
    if (output.length !== n) throw new SynthopsError('invalid_input', `invalid model output: ${output.length} values for ${n} rows.`);
    return { task: 'regression', y: Float64Array.from(col.values), pred: output, sourceColumns: [label] } satisfies RegressionPredictions;
  }
  const mc = model.classes ?? [];
  const K = mc.length;
  if (output.length !== n * K) throw new SynthopsError('invalid_input', `invalid model output: ${output.length} values for ${n} rows × ${K} classes.`);
  const truth = (i: number) => (col.storage === 'categorical' ? col.get(i)! : String(col.values[i]));
  const seen = new Map<string, number>();
  for (let i = 0; i < n; i++) seen.set(truth(i), (seen.get(truth(i)) ?? 0) + 1);
  if (seen.size < 2 && inferTask(col) === 'classification')
    throw new SynthopsError('invalid_input', `invalid label column: "${label}" has a single class in the evaluation data. Classification metrics need at least two.`, { column: label });
  const classes = [...new Set([...mc, ...seen.keys()])].sort();
  const k = classes.length;
  const index = new Map(classes.map((c, i) => [c, i]));
  const proba = new Float64Array(n * k);
  const from = mc.map((c) => index.get(c)!);
  for (let i = 0; i < n; i++) for (let c = 0; c < K; c++) proba[i * k + from[c]] = output[i * K + c];
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = index.get(truth(i))!;
  let positive = -1;
  if (k === 2) {
    if (opts.positive !== undefined) {
      positive = index.get(opts.positive) ?? -1;
      if (positive < 0) throw new SynthopsError('invalid_argument', `invalid positive class: "${opts.positive}" is neither a model class nor a label.`);
    } else {
      positive = classes.findIndex((c) => /^(1|1\.0|true|yes|positive)$/i.test(c));
      if (positive < 0) positive = (seen.get(classes[0]) ?? 0) <= (seen.get(classes[1]) ?? 0) ? 0 : 1;
    }
  }
  const pred = new Int32Array(n);
  let score: Float64Array | null = null;
  const threshold = opts.threshold ?? 0.5;
  if (positive >= 0) {
    score = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = Math.min(1, Math.max(0, proba[i * k + positive]));
      score[i] = p;
      pred[i] = p >= threshold ? positive : 1 - positive;
    }
  } else {
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (proba[i * k + c] > proba[i * k + best]) best = c;
      pred[i] = best;
    }
  }
  return { task: 'classification', classes, y, pred, score, proba: positive >= 0 ? null : proba, positive, threshold: positive >= 0 ? threshold : null, sourceColumns: [label] } satisfies ClassificationPredictions;
}
