/**
 * The built-in model for evaluation when no model is given: a histogram CART decision tree from
 * src/core/learners (binned features, missing values routed). Categorical features are recoded onto the
 * training dictionaries at prediction time, so a test file whose categories appear in another order (or has
 * unseen ones, treated as missing) is read correctly.
 */
import { SynthopsError } from '../errors.js';
import { applyBinning, fitBinning } from '../learners/binning.js';
import { featureMatrix, type FeatureMatrix } from '../learners/features.js';
import { fitTree, predictTree, type TreeTarget } from '../learners/tree.js';
import { createRng } from '../random.js';
import type { Table } from '../table/table.js';
import type { PredictiveModel } from './model.js';
import { inferTask } from './predictions.js';

/** Options of `fitTreeModel`. */
export interface TreeModelOptions {
  /** Feature columns. Default: every column except the label. */
  features?: string[];
  /** Default 0. */
  seed?: number;
  /** Default 10. */
  maxDepth?: number;
  /** Default 20. */
  minSamplesLeaf?: number;
  /** Default: inferred from the label (see `inferTask`). */
  task?: 'classification' | 'regression';
}

/**
 * Fits a decision tree on `train` to predict `label`.
 * @example const model = fitTreeModel(train, 'income', { seed: 1 }); await model.predict(test)
 */
export function fitTreeModel(train: Table, label: string, opts: TreeModelOptions = {}): PredictiveModel {
  const features = opts.features ?? train.columnNames.filter((c) => c !== label);
  for (const f of features) if (!train.has(f)) throw new SynthopsError('invalid_argument', `invalid feature: "${f}" is not in the training data.`, { column: f });
  const lab = train.column(label);
  const task = opts.task ?? inferTask(lab);
  const keep: number[] = [];
  for (let i = 0; i < train.numRows; i++) if (!lab.isNull(i)) keep.push(i);
  const t = keep.length === train.numRows ? train : train.take(keep);
  if (t.numRows < 2) throw new SynthopsError('invalid_input', `invalid training data: fewer than 2 rows with a label in "${label}".`, { column: label });
  const x = featureMatrix(t, features);
  const dictionaries = features.map((f) => { const c = t.column(f); return c.storage === 'categorical' ? c.dictionary : null; });
  const binning = fitBinning(x);
  const xb = applyBinning(x, binning);
  let target: TreeTarget;
  let classes: string[] | undefined;
  const col = t.column(label);
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
  const maxDepth = opts.maxDepth ?? 10, minSamplesLeaf = opts.minSamplesLeaf ?? 20, seed = opts.seed ?? 0;
  const tree = fitTree(xb, target, { rng: createRng(seed, 'tree-model'), maxDepth, minSamplesLeaf });
  return {
    task,
    ...(classes ? { classes } : {}),
    features,
    info: { kind: 'decision-tree', maxDepth, minSamplesLeaf, seed, trainingRows: t.numRows },
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
      return predictTree(tree, applyBinning(fx, binning));
    },
  };
}

