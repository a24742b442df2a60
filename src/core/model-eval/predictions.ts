/**
 * Predictions to evaluate, in one validated columnar form: the truth and the model's outputs, whichever way
 * they were obtained (columns of a table, a built-in learner, an HTTP endpoint).
 */
import { SynthopsError, ValidationError, type ValidationIssue } from '../errors.js';
import type { Column } from '../table/column.js';
import type { Table } from '../table/table.js';

/** Classification predictions. Class indices refer to `classes`. */
export interface ClassificationPredictions {
  task: 'classification';
  /** Class labels in index order (sorted as strings). */
  classes: string[];
  /** True class index per row. */
  y: Int32Array;
  /** Predicted class index per row. */
  pred: Int32Array;
  /** Binary only: the probability or score of the positive class per row, in [0, 1]; null when not given. */
  score: Float64Array | null;
  /** Multiclass: n × k row-major class probabilities (rows sum to 1); null when not given. */
  proba: Float64Array | null;
  /** Binary: index of the positive class; -1 for multiclass. */
  positive: number;
  /** Threshold that turned scores into classes, when predictions came from scores. */
  threshold: number | null;
  /** Columns of the source table holding the truth and predictions (never sliced or searched for weak slices). */
  sourceColumns?: string[];
}

/** Numeric predictions of a numeric target. */
export interface RegressionPredictions {
  task: 'regression';
  y: Float64Array;
  pred: Float64Array;
  /** Columns of the source table holding the truth and predictions (never sliced or searched for weak slices). */
  sourceColumns?: string[];
}

export type Predictions = ClassificationPredictions | RegressionPredictions;

/** Which columns of a table hold the truth and the predictions. */
export interface PredictionColumns {
  /** The true label / target column. Required. */
  label: string;
  /** The predicted class or predicted value column. Optional for binary classification when `score` is given. */
  prediction?: string;
  /** Binary classification: the probability (or a score in [0, 1]) of the positive class. */
  score?: string;
  /** Binary classification: the positive class label. Default: `1`, `true` or `yes` when present, else the rarer class. */
  positive?: string;
  /** Score ≥ threshold predicts the positive class when no prediction column is given. Default 0.5. */
  threshold?: number;
  /** Default: classification when the label is categorical or has at most 20 distinct whole-number values, else regression. */
  task?: 'classification' | 'regression';
}

/** Label of a cell as a string (null when missing). */
function cellLabel(c: Column, i: number): string | null {
  if (c.storage === 'categorical') return c.get(i);
  const v = c.values[i];
  return v !== v ? null : String(v);
}

/** Infers the task from the label column (see `PredictionColumns.task`). */
export function inferTask(c: Column): 'classification' | 'regression' {
  if (c.storage === 'categorical') return 'classification';
  const seen = new Set<number>();
  for (let i = 0; i < c.values.length; i++) {
    const v = c.values[i];
    if (v !== v) continue;
    if (!Number.isInteger(v)) return 'regression';
    seen.add(v);
    if (seen.size > 20) return 'regression';
  }
  return 'classification';
}

/**
 * Reads and validates predictions from columns of `table`. Every problem is collected and thrown once
 * (missing columns, missing values, scores outside [0, 1], a single class, a non-numeric regression column);
 * messages name columns and row numbers, never values.
 * @example predictionsFromTable(t, { label: 'income', score: 'p_income' })
 */
export function predictionsFromTable(table: Table, cols: PredictionColumns, source = 'data'): Predictions {
  const issues: ValidationIssue[] = [];
  const need = (name: string | undefined, role: string) => {
    if (name !== undefined && !table.has(name))
      issues.push({ file: source, column: name, message: `invalid ${role} column: "${name}" is not in the data. Columns are ${table.columnNames.slice(0, 12).join(', ')}.` });
  };
  need(cols.label, 'label');
  need(cols.prediction, 'prediction');
  need(cols.score, 'score');
  if (cols.prediction === undefined && cols.score === undefined)
    issues.push({ message: 'invalid predictions: none given. Pass a prediction column, a score column, or a model to call.' });
  if (cols.threshold !== undefined && !(cols.threshold >= 0 && cols.threshold <= 1))
    issues.push({ message: `invalid threshold: ${cols.threshold}. Use a number in [0, 1].` });
  if (issues.length) throw new ValidationError(issues);
  const label = table.column(cols.label);
  const task = cols.task ?? inferTask(label);
  const n = table.numRows;
  if (n === 0) throw new SynthopsError('invalid_input', 'invalid data: it has no rows. Evaluate at least one prediction.', { file: source });
  firstMissing(label, cols.label, issues, source);
  if (cols.prediction !== undefined) firstMissing(table.column(cols.prediction), cols.prediction, issues, source);

  if (task === 'regression') {
    if (cols.prediction === undefined) issues.push({ message: 'invalid predictions: regression needs a prediction column.' });
    for (const name of [cols.label, cols.prediction]) {
      if (name !== undefined && table.column(name).storage !== 'numeric')
        issues.push({ file: source, column: name, message: `invalid column: "${name}" is not numeric. Regression needs numbers.` });
    }
    if (issues.length) throw new ValidationError(issues);
    return { task, y: Float64Array.from(table.numeric(cols.label).values), pred: Float64Array.from(table.numeric(cols.prediction!).values), sourceColumns: [cols.label, cols.prediction!] };
  }

  let score: Float64Array | null = null;
  if (cols.score !== undefined) {
    const sc = table.column(cols.score);
    if (sc.storage !== 'numeric') issues.push({ file: source, column: cols.score, message: `invalid score column: "${cols.score}" is not numeric. Scores are probabilities in [0, 1].` });
    else {
      let bad = 0, first = -1;
      for (let i = 0; i < n; i++) {
        const v = sc.values[i];
        if (!(v >= 0 && v <= 1)) {
          bad++;
          if (first < 0) first = i;
        }
      }
      if (bad) issues.push({ file: source, column: cols.score, row: first, message: `invalid scores: ${bad} row(s) are missing or outside [0, 1], the first at row ${first + 1}. Scores must be probabilities.` });
      else score = Float64Array.from(sc.values);
    }
  }
  if (issues.length) throw new ValidationError(issues);

  // Classes: every label seen in the truth or the predictions, sorted as strings.
  const predCol = cols.prediction !== undefined ? table.column(cols.prediction) : null;
  const labelSet = new Set<string>();
  const truthCounts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const s = cellLabel(label, i)!;
    labelSet.add(s);
    truthCounts.set(s, (truthCounts.get(s) ?? 0) + 1);
  }
  if (truthCounts.size < 2)
    throw new SynthopsError('invalid_input', `invalid label column: "${cols.label}" has a single class. Classification metrics need at least two classes in the truth.`, { file: source, column: cols.label });
  if (predCol) for (let i = 0; i < n; i++) labelSet.add(cellLabel(predCol, i)!);
  const classes = [...labelSet].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  let positive = -1;
  if (classes.length === 2 || score) {
    if (cols.positive !== undefined) {
      positive = index.get(cols.positive) ?? -1;
      if (positive < 0) throw new SynthopsError('invalid_argument', `invalid positive class: "${cols.positive}" does not occur in the label or prediction column.`, { column: cols.label });
    } else {
      const conventional = classes.findIndex((c) => /^(1|1\.0|true|yes|positive)$/i.test(c));
      if (conventional >= 0) positive = conventional;
      else {
        let best = Infinity;
        classes.forEach((c, i) => {
          const m = truthCounts.get(c) ?? 0;
          if (m < best) { best = m; positive = i; }
        });
      }
    }
  }
  if (score && classes.length > 2)
    throw new SynthopsError('invalid_argument', `invalid score column: "${cols.score}" gives one probability, but the label has ${classes.length} classes. A single score column is for binary classification.`, { column: cols.score });
  const y = new Int32Array(n), pred = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = index.get(cellLabel(label, i)!)!;
  const threshold = cols.threshold ?? 0.5;
  if (predCol) for (let i = 0; i < n; i++) pred[i] = index.get(cellLabel(predCol, i)!)!;
  else {
    const negative = 1 - positive;
    for (let i = 0; i < n; i++) pred[i] = score![i] >= threshold ? positive : negative;
  }
  const sourceColumns = [cols.label, cols.prediction, cols.score].filter((c): c is string => c !== undefined);
  return { task: 'classification', classes, y, pred, score, proba: null, positive, threshold: predCol ? null : threshold, sourceColumns };
}

function firstMissing(c: Column, name: string, issues: ValidationIssue[], source: string): void {
  let bad = 0, first = -1;
  for (let i = 0; i < c.length; i++) {
    if (c.isNull(i) || (c.storage === 'numeric' && !Number.isFinite(c.values[i]))) {
      bad++;
      if (first < 0) first = i;
    }
  }
  if (bad) issues.push({ file: source, column: name, row: first, message: `invalid column "${name}": ${bad} row(s) are missing, the first at row ${first + 1}. Every evaluated row needs a value.` });
}
