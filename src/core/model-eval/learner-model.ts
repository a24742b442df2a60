/**
 * A built-in learner (src/core/learners: random forest, gradient boosting, logistic or linear regression)
 * trained on a table, as a PredictiveModel. Categorical features are recoded onto the training dictionaries at
 * prediction time, so data read from another file (other category order, unseen categories → missing) is
 * predicted correctly.
 */
import { SynthopsError } from '../errors.js';
import { featureMatrix, type FeatureMatrix } from '../learners/features.js';
import { fitLearner, type LearnerKind } from '../learners/learner.js';
import type { TreeTarget } from '../learners/tree.js';
import type { Table } from '../table/table.js';
import type { PredictiveModel } from './model.js';
import { inferTask } from './predictions.js';

/** Options of `fitLearnerModel`. */
export interface LearnerModelOptions {
  /** Default 'random-forest'. */
  kind?: LearnerKind;
  /** Feature columns. Default: every column except the label. */
  features?: string[];
  /** Default 0. */
  seed?: number;
  /** Trees of a random forest. Default 50. */
  nEstimators?: number;
  /** Default: inferred from the label (see `inferTask`). */
  task?: 'classification' | 'regression';
}

/**
 * Trains a built-in learner on `train` to predict `label` (rows with a missing label are dropped).
 * @example const m = fitLearnerModel(train, 'income', { kind: 'gradient-boosting', seed: 1 });
 */
export function fitLearnerModel(train: Table, label: string, opts: LearnerModelOptions = {}): PredictiveModel {
  const kind = opts.kind ?? 'random-forest';
  const features = opts.features ?? train.columnNames.filter((c) => c !== label);
  for (const f of features) if (!train.has(f)) throw new SynthopsError('invalid_argument', `invalid feature: "${f}" is not in the training data.`, { column: f });
  const lab = train.column(label);
  const task = opts.task ?? inferTask(lab);
  const keep: number[] = [];
  for (let i = 0; i < train.numRows; i++) if (!lab.isNull(i) && !(lab.storage === 'numeric' && !Number.isFinite(lab.values[i]))) keep.push(i);
  const t = keep.length === train.numRows ? train : train.take(keep);
  if (t.numRows < 2) throw new SynthopsError('invalid_input', `invalid training data: fewer than 2 rows with a value in "${label}".`, { column: label });
  const x = featureMatrix(t, features);
  const dictionaries = features.map((f) => { const c = t.column(f); return c.storage === 'categorical' ? c.dictionary : null; });
  const col = t.column(label);
  let target: TreeTarget;
  let classes: string[] | undefined;
  if (task === 'classification') {
    const labels = Array.from({ length: t.numRows }, (_, i) => (col.storage === 'categorical' ? col.get(i)! : String(col.values[i])));
    classes = [...new Set(labels)].sort();
    if (classes.length < 2) throw new SynthopsError('invalid_input', `invalid training data: "${label}" has a single class.`, { column: label });
    const idx = new Map(classes.map((c, i) => [c, i]));
    target = { kind: 'classification', y: Int32Array.from(labels, (l) => idx.get(l)!), numClasses: classes.length };
  } else {
    if (col.storage !== 'numeric') throw new SynthopsError('schema_mismatch', `invalid label: "${label}" is not numeric.`, { column: label });
    target = { kind: 'regression', y: Float64Array.from(col.values) };
  }
  const seed = opts.seed ?? 0;
  const nEstimators = opts.nEstimators ?? 50;
  const fitted = fitLearner(kind, x, target, { seed, nEstimators, ...(classes ? { classes } : {}) });
  return {
    task,
    ...(classes ? { classes } : {}),
    features,
    info: { kind, seed, trainingRows: t.numRows, ...(kind === 'random-forest' ? { nEstimators } : {}) },
    async predict(table: Table): Promise<Float64Array> {
      const cols = features.map((f, j) => {
        if (!table.has(f)) throw new SynthopsError('schema_mismatch', `invalid data: the model's feature "${f}" is missing.`, { column: f });
        const c = table.column(f);
        const d = dictionaries[j];
        if (d) {
          if (c.storage !== 'categorical') throw new SynthopsError('schema_mismatch', `invalid feature "${f}": it was categorical in training but is numeric here.`, { column: f });
          return c.recode(d).codes;
        }
        if (c.storage !== 'numeric') throw new SynthopsError('schema_mismatch', `invalid feature "${f}": it was numeric in training but is categorical here.`, { column: f });
        return c.values;
      });
      const fx: FeatureMatrix = { numRows: table.numRows, names: features, columns: cols, levels: x.levels };
      return task === 'classification' ? fitted.predictProba(fx) : fitted.predict(fx);
    },
  };
}
