import { SynthopsError } from '../errors.js';
import type { JsonValue } from '../json.js';
import { createRng } from '../random.js';
import type { Table } from '../table/table.js';
import { checkSameFeatures, type FeatureMatrix } from './features.js';
import {
  fitGradientBoosting,
  gradientBoostingFromJSON,
  gradientBoostingImportance,
  gradientBoostingToJSON,
  predictGradientBoosting,
  type GradientBoostingModel,
  type GradientBoostingOptions,
} from './gradient-boosting.js';
import { fitLinear, linearFromJSON, linearToJSON, predictLinear, type LinearModel, type LinearOptions } from './linear.js';
import { fitLogistic, linearImportance, logisticFromJSON, logisticToJSON, predictLogistic, type LogisticModel, type LogisticOptions } from './logistic.js';
import {
  fitRandomForest,
  predictRandomForest,
  randomForestFromJSON,
  randomForestImportance,
  randomForestToJSON,
  type RandomForestModel,
  type RandomForestOptions,
} from './random-forest.js';
import type { TreeTarget } from './tree.js';

/** The built-in learners. `logistic-regression` is classification only; `linear-regression` regression only. */
export type LearnerKind = 'random-forest' | 'gradient-boosting' | 'logistic-regression' | 'linear-regression';

/** Every learner kind, in a stable order. */
export const LEARNER_KINDS: readonly LearnerKind[] = ['random-forest', 'gradient-boosting', 'logistic-regression', 'linear-regression'];

/**
 * A fitted model behind one interface.
 * @example
 * const m = fitLearner('gradient-boosting', x, target, { seed: 1 });
 * const p = m.predictProba(xTest); // n × numClasses
 * const saved = JSON.stringify(m.toJSON()); const again = loadLearner(JSON.parse(saved));
 */
export interface FittedModel {
  kind: LearnerKind;
  task: 'classification' | 'regression';
  /** 0 for regression. */
  numClasses: number;
  /** Class labels when fitted from a Table (index = class). */
  classes?: string[];
  /** Feature names the model expects, in order. */
  featureNames: string[];
  /** Regression values, or the most probable class index per row. */
  predict(x: FeatureMatrix): Float64Array;
  /** n × numClasses probabilities (row-major); throws for regression. */
  predictProba(x: FeatureMatrix): Float64Array;
  /** One non-negative number per feature, summing to 1 (0s when the model uses no feature). */
  featureImportance(): Float64Array;
  /** Versioned plain JSON; `loadLearner` reads it back. */
  toJSON(): JsonValue;
}

/**
 * Options of `fitLearner`: a seed, optional training rows and class labels, and the options of the
 * chosen kind (those of other kinds are ignored).
 */
export interface LearnerOptions
  extends Omit<GradientBoostingOptions, 'seed' | 'rows'>,
    Omit<RandomForestOptions, 'seed' | 'rows' | 'signal' | 'maxBins'>,
    Omit<LogisticOptions, 'rows' | 'maxIter'>,
    Omit<LinearOptions, 'rows' | 'maxIter'> {
  seed: number;
  /** Training rows of x (e.g. a fold); default all. */
  rows?: Int32Array;
  /** Class labels to keep with the model. */
  classes?: string[];
  /** Most optimiser iterations (logistic / linear). */
  maxIter?: number;
}

/** Version of the JSON written by `FittedModel.toJSON`. */
export const LEARNER_FORMAT_VERSION = 1;

/**
 * Fits a learner. Classification targets need `random-forest`, `gradient-boosting` or `logistic-regression`;
 * regression targets `random-forest`, `gradient-boosting` or `linear-regression`.
 * @example const m = fitLearner('random-forest', x, { kind: 'regression', y }, { seed: 7, nEstimators: 50 });
 */
export function fitLearner(kind: LearnerKind, x: FeatureMatrix, target: TreeTarget, opts: LearnerOptions): FittedModel {
  const task = target.kind;
  const classes = opts.classes;
  switch (kind) {
    case 'gradient-boosting':
      return wrapBoosting(fitGradientBoosting(x, target, opts), classes);
    case 'random-forest':
      return wrapForest(fitRandomForest(x, target, opts), classes);
    case 'logistic-regression':
      if (task !== 'classification')
        throw new SynthopsError('invalid_argument', 'invalid learner: logistic-regression needs a classification target. Use linear-regression for numbers.');
      return wrapLogistic(fitLogistic(x, target.y, target.numClasses, opts), classes);
    case 'linear-regression':
      if (task !== 'regression')
        throw new SynthopsError('invalid_argument', 'invalid learner: linear-regression needs a numeric target. Use logistic-regression for classes.');
      return wrapLinear(fitLinear(x, target.y, opts));
    default:
      throw new SynthopsError('invalid_argument', `invalid learner: ${String(kind)}. Use one of ${LEARNER_KINDS.join(', ')}.`);
  }
}

/** Wraps a random forest whose trees were fitted elsewhere (e.g. in worker threads). */
export function wrapRandomForest(model: RandomForestModel, classes?: string[]): FittedModel {
  return wrapForest(model, classes);
}

/** Reads a model written by `FittedModel.toJSON`; throws `incompatible_artifact` for anything else. */
export function loadLearner(json: JsonValue): FittedModel {
  const o = json as Record<string, JsonValue>;
  if (!o || typeof o !== 'object' || o.format !== 'synthops.learner')
    throw new SynthopsError('incompatible_artifact', 'invalid model: not a synthops learner.');
  if (o.version !== LEARNER_FORMAT_VERSION)
    throw new SynthopsError('incompatible_artifact', `invalid model version: ${String(o.version)}. This build reads version ${LEARNER_FORMAT_VERSION}.`);
  const classes = Array.isArray(o.classes) ? (o.classes as string[]).map(String) : undefined;
  switch (o.kind) {
    case 'gradient-boosting':
      return wrapBoosting(gradientBoostingFromJSON(o.model), classes);
    case 'random-forest':
      return wrapForest(randomForestFromJSON(o.model), classes);
    case 'logistic-regression':
      return wrapLogistic(logisticFromJSON(o.model), classes);
    case 'linear-regression':
      return wrapLinear(linearFromJSON(o.model));
    default:
      throw new SynthopsError('incompatible_artifact', `invalid model kind: ${String(o.kind)}.`);
  }
}

function envelope(kind: LearnerKind, model: JsonValue, classes?: string[]): JsonValue {
  const out: Record<string, JsonValue> = { format: 'synthops.learner', version: LEARNER_FORMAT_VERSION, kind, model };
  if (classes) out.classes = classes;
  return out;
}

function argmaxRows(p: Float64Array, K: number): Float64Array {
  const n = p.length / K;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (p[i * K + k] > p[i * K + best]) best = k;
    out[i] = best;
  }
  return out;
}

function base(
  kind: LearnerKind,
  task: 'classification' | 'regression',
  numClasses: number,
  names: string[],
  levels: number[],
  raw: (x: FeatureMatrix) => Float64Array,
  importance: () => Float64Array,
  json: () => JsonValue,
  classes?: string[],
): FittedModel {
  const check = (x: FeatureMatrix) => checkSameFeatures(x, names, levels);
  const model: FittedModel = {
    kind,
    task,
    numClasses,
    featureNames: names,
    predict(x) {
      check(x);
      const r = raw(x);
      return task === 'regression' ? r : argmaxRows(r, numClasses);
    },
    predictProba(x) {
      if (task === 'regression') throw new SynthopsError('invalid_argument', `invalid call: predictProba on a regression ${kind} model. Use predict.`);
      check(x);
      return raw(x);
    },
    featureImportance: importance,
    toJSON: () => envelope(kind, json(), classes),
  };
  if (classes) model.classes = classes;
  return model;
}

function wrapBoosting(m: GradientBoostingModel, classes?: string[]): FittedModel {
  const task = m.loss === 'squared-error' ? 'regression' : 'classification';
  return base('gradient-boosting', task, m.numClasses, m.featureNames, m.levels, (x) => predictGradientBoosting(m, x), () => gradientBoostingImportance(m), () => gradientBoostingToJSON(m), classes);
}

function wrapForest(m: RandomForestModel, classes?: string[]): FittedModel {
  return base('random-forest', m.task, m.numClasses, m.featureNames, m.levels, (x) => predictRandomForest(m, x), () => randomForestImportance(m), () => randomForestToJSON(m), classes);
}

function wrapLogistic(m: LogisticModel, classes?: string[]): FittedModel {
  return base(
    'logistic-regression',
    'classification',
    m.numClasses,
    m.featureNames,
    m.levels,
    (x) => predictLogistic(m, x),
    () => linearImportance(m.design, m.weights, m.numClasses, m.featureNames.length),
    () => logisticToJSON(m),
    classes,
  );
}

function wrapLinear(m: LinearModel): FittedModel {
  return base('linear-regression', 'regression', 0, m.featureNames, m.levels, (x) => predictLinear(m, x), () => linearImportance(m.design, m.weights, 1, m.featureNames.length), () => linearToJSON(m));
}

/**
 * A learner target from a Table column: categorical/boolean/id/text → classification (class = dictionary
 * index; `classes` = labels), numerical/datetime → regression. Throws `invalid_input` when the column has a
 * missing value (naming the first such row).
 * @example const { target, classes } = learnerTarget(adult, 'income');
 */
export function learnerTarget(table: Table, column: string): { target: TreeTarget; classes?: string[] } {
  const c = table.column(column);
  if (c.storage === 'numeric') {
    const y = c.values;
    for (let i = 0; i < y.length; i++)
      if (!Number.isFinite(y[i])) throw new SynthopsError('invalid_input', `invalid target at row ${i}: missing or not finite. Drop rows without a target first.`, { row: i, column });
    return { target: { kind: 'regression', y } };
  }
  const y = c.codes;
  for (let i = 0; i < y.length; i++)
    if (y[i] < 0) throw new SynthopsError('invalid_input', `invalid target at row ${i}: missing. Drop rows without a target first.`, { row: i, column });
  const classes = [...c.dictionary];
  return { target: { kind: 'classification', y, numClasses: Math.max(1, classes.length) }, classes };
}

/**
 * Assigns each of n rows to one of k folds (returns the fold index per row). Folds differ in size by at
 * most one; with `stratify` (a class per row) every class is spread evenly over the folds as well.
 * Same (n, k, seed, stratify) → same folds.
 * @example const fold = kFoldIndices(1000, 5, 42, y); const trainRows = rowsWhere(fold, (f) => f !== 0);
 */
export function kFoldIndices(n: number, k: number, seed: number, stratify?: Int32Array): Int32Array {
  if (!Number.isInteger(n) || n < 0) throw new SynthopsError('invalid_argument', `invalid n: ${n}. Use a whole number ≥ 0.`);
  if (!Number.isInteger(k) || k < 2 || k > Math.max(2, n))
    throw new SynthopsError('invalid_argument', `invalid k: ${k}. Use a whole number from 2 to the number of rows (${n}).`);
  if (stratify && stratify.length !== n) throw new SynthopsError('invalid_argument', `invalid stratify length: ${stratify.length}. Expected ${n}.`);
  const rng = createRng(seed, 'k-fold');
  const perm = rng.permutation(n);
  const fold = new Int32Array(n);
  if (!stratify) {
    for (let i = 0; i < n; i++) fold[perm[i]] = i % k;
    return fold;
  }
  // Order rows by class (shuffled within class), then deal them round-robin; the count carries over between
  // classes so fold sizes stay within one of each other.
  const order = Array.from(perm).sort((a, b) => stratify[a] - stratify[b]);
  // Start each fold deal at a random offset so small classes do not always land in fold 0.
  const start = rng.int(k);
  for (let i = 0; i < n; i++) fold[order[i]] = (start + i) % k;
  return fold;
}

/**
 * `fitLearner(...).toJSON()`: the form a worker thread returns (plain data); `loadLearner` turns it back
 * into a model.
 */
export function fitLearnerToJSON(kind: LearnerKind, x: FeatureMatrix, target: TreeTarget, opts: LearnerOptions): JsonValue {
  return fitLearner(kind, x, target, opts).toJSON();
}
