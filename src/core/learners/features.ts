import { SynthopsError } from '../errors.js';
import type { Table } from '../table/table.js';

/**
 * Column-major feature matrix, the input of every built-in learner.
 * - numeric feature → `Float64Array` (NaN = missing), `levels[j] = 0`;
 * - categorical feature → `Int32Array` codes (-1 = missing), `levels[j]` = number of categories.
 *
 * Columns are shared with the source table, never copied: treat them as read-only.
 *
 * @example
 * const x = featureMatrix(table, ['age', 'workclass']);
 * x.columns[0] instanceof Float64Array; // age
 * x.levels[1];                          // number of workclass categories
 */
export interface FeatureMatrix {
  numRows: number;
  names: string[];
  columns: (Float64Array | Int32Array)[];
  /** 0 for a numeric feature; the number of categories for a categorical one. */
  levels: number[];
}

/**
 * Builds a feature matrix from a Table: numerical/datetime columns become numeric features,
 * categorical/boolean/id/text columns become category codes (in dictionary order).
 * `columns` defaults to every column of the table, in table order.
 *
 * @example
 * const x = featureMatrix(adult, adult.columnNames.filter((c) => c !== 'income'));
 */
export function featureMatrix(table: Table, columns?: readonly string[]): FeatureMatrix {
  const names = columns ? [...columns] : table.columnNames;
  const cols: (Float64Array | Int32Array)[] = [];
  const levels: number[] = [];
  for (const name of names) {
    const c = table.column(name);
    if (c.storage === 'numeric') {
      cols.push(c.values);
      levels.push(0);
    } else {
      cols.push(c.codes);
      // A categorical column with an empty dictionary (all missing) still counts as categorical.
      levels.push(Math.max(1, c.dictionary.length));
    }
  }
  return { numRows: table.numRows, names, columns: cols, levels };
}

/** True when feature `j` of `x` is categorical. */
export function isCategoricalFeature(x: FeatureMatrix, j: number): boolean {
  return x.columns[j] instanceof Int32Array;
}

/**
 * Checks that a feature matrix is well formed (column lengths, storage matches `levels`) and throws
 * `invalid_input` naming the feature otherwise.
 */
export function checkFeatureMatrix(x: FeatureMatrix, what = 'features'): void {
  if (x.names.length !== x.columns.length || x.levels.length !== x.columns.length)
    throw new SynthopsError('invalid_input', `invalid ${what}: names, columns and levels have different lengths.`);
  for (let j = 0; j < x.columns.length; j++) {
    const c = x.columns[j];
    if (c.length !== x.numRows)
      throw new SynthopsError('invalid_input', `invalid ${what}: feature "${x.names[j]}" has ${c.length} rows, expected ${x.numRows}.`, {
        column: x.names[j],
      });
    if ((c instanceof Int32Array) !== x.levels[j] > 0)
      throw new SynthopsError('invalid_input', `invalid ${what}: feature "${x.names[j]}" storage does not match its levels.`, {
        column: x.names[j],
      });
  }
}

/**
 * Checks that `x` has the same features (names and kinds) as the matrix a model was fitted on.
 * Categorical features may have more levels than at fit time (unseen codes are treated as missing).
 */
export function checkSameFeatures(x: FeatureMatrix, names: readonly string[], levels: readonly number[]): void {
  checkFeatureMatrix(x);
  if (x.names.length !== names.length)
    throw new SynthopsError('schema_mismatch', `invalid features: ${x.names.length} given, the model was fitted on ${names.length}.`);
  for (let j = 0; j < names.length; j++) {
    if (x.names[j] !== names[j])
      throw new SynthopsError('schema_mismatch', `invalid feature ${j}: "${x.names[j]}". The model expects "${names[j]}" here.`, {
        column: x.names[j],
      });
    if ((x.levels[j] > 0) !== (levels[j] > 0))
      throw new SynthopsError('schema_mismatch', `invalid feature "${names[j]}": it was ${levels[j] > 0 ? 'categorical' : 'numeric'} when the model was fitted.`, {
        column: names[j],
      });
  }
}
