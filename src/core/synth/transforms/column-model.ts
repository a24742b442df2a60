import { SynthopsError } from '../../errors.js';
import type { Rng } from '../../random.js';
import { CategoricalColumn, NumericColumn, type Column } from '../../table/column.js';
import type { ColumnSpec } from '../../table/schema.js';
import type { Table } from '../../table/table.js';
import { fitIdFormat, generateIds, type IdFormat } from '../privacy/ids.js';
import { fakePii, fitPiiFormat, type PiiFormat } from '../privacy/pii.js';
import { CategoricalMarginal, fitCategoricalMarginal, type CategoricalMarginalState } from './categorical-marginal.js';
import { NumericMarginal, fitNumericMarginal, type NumericMarginalState } from './numeric-marginal.js';

/**
 * How one column is modelled, as saved in artifacts. `numeric` and `categorical` columns are *modelled*
 * (synthesizers learn their joint distribution); the others are *generated* on their own:
 * - `pii`: fake values of the same kind and format (never copied);
 * - `id`: regenerated unique keys in the input's format;
 * - `redacted`: a categorical/text column where no category reaches k rows (e.g. free text, 100k distinct
 *   labels): documented fallback, generated as labels `<column>-1` … `<column>-m` drawn uniformly,
 *   with m = min(distinct count, 1000), so no real label is ever written;
 * - `missing`: an all-missing column stays all-missing.
 * `nullShare` is the share of missing values (the copula and CART model *which* rows are missing jointly).
 */
export type ColumnModelState =
  | { kind: 'numeric'; name: string; nullShare: number; marginal: NumericMarginalState }
  | { kind: 'categorical'; name: string; nullShare: number; marginal: CategoricalMarginalState }
  | { kind: 'pii'; name: string; nullShare: number; format: PiiFormat }
  | { kind: 'id'; name: string; nullShare: number; format: IdFormat }
  | { kind: 'redacted'; name: string; nullShare: number; count: number }
  | { kind: 'missing'; name: string; nullShare: 1 };

/** A column model with its live marginal objects. */
export type ColumnModel =
  | { kind: 'numeric'; name: string; nullShare: number; marginal: NumericMarginal }
  | { kind: 'categorical'; name: string; nullShare: number; marginal: CategoricalMarginal }
  | Exclude<ColumnModelState, { kind: 'numeric' } | { kind: 'categorical' }>;

/** Privacy and transform settings shared by all synthesizers. */
export interface TransformOptions {
  /** Rare categories (< k rows) are merged; extremes clipped to the k-th smallest/largest. Default 5. */
  k: number;
  /** Knots of each numeric inverse CDF. Default 1000. */
  gridSize: number;
}

export const DEFAULT_TRANSFORM: TransformOptions = { k: 5, gridSize: 1000 };

/** Rounding for a numeric spec: decimals from the schema (integers → 0), datetime → the coarsest unit all values share. */
function precision(spec: ColumnSpec, values: Float64Array): { decimals?: number; step?: number } {
  if (spec.type === 'datetime') {
    for (const step of [86400000, 60000, 1000]) {
      let ok = true;
      for (let i = 0; i < values.length && ok; i++) if (values[i] % step !== 0) ok = false;
      if (ok) return { step };
    }
    return { step: 1 };
  }
  if (spec.integer) return { decimals: 0 };
  if (spec.decimals !== undefined) return { decimals: spec.decimals };
  // The fewest decimals that write every value exactly (to 9 significant digits of its own magnitude); values that
  // need more than 9 (1/3, 6.4e-303) get no rounding at all, so tiny magnitudes never collapse to 0.
  let d = 0;
  for (let i = 0; i < values.length; i++) {
    let v = values[i];
    let k = 0;
    while (k <= 9 && Math.abs(v - Math.round(v)) > 1e-9 * Math.abs(v)) {
      v *= 10;
      k++;
    }
    if (k > 9) return {};
    if (k > d) d = k;
  }
  return { decimals: d };
}

/**
 * Fits the model of every column of `table`. Throws `invalid_input` (naming the column and row) for
 * infinite numbers. O(n log n) per numeric column.
 */
export function fitColumnModels(table: Table, opts: TransformOptions): ColumnModel[] {
  const pk = table.schema.primaryKey;
  return table.schema.columns.map((spec, j) => {
    const col = table.columns[j];
    const name = spec.name;
    const n = table.numRows;
    if (col.storage === 'numeric') {
      const vals = col.values;
      let m = 0;
      for (let i = 0; i < n; i++) {
        const v = vals[i];
        if (v === v) {
          if (v === Infinity || v === -Infinity)
            throw new SynthopsError('invalid_input', 'invalid value: an infinite number. Replace it with a finite value or leave it empty.', { column: name, row: i });
          m++;
        }
      }
      if (m === 0) return { kind: 'missing', name, nullShare: 1 };
      const finite = new Float64Array(m);
      for (let i = 0, o = 0; i < n; i++) if (vals[i] === vals[i]) finite[o++] = vals[i];
      const marginal = fitNumericMarginal(finite, { k: opts.k, gridSize: opts.gridSize, ...precision(spec, finite) });
      return { kind: 'numeric', name, nullShare: (n - m) / n, marginal };
    }
    const codes = col.codes;
    let m = 0;
    for (let i = 0; i < n; i++) if (codes[i] >= 0) m++;
    if (m === 0) return { kind: 'missing', name, nullShare: 1 };
    const nullShare = (n - m) / n;
    const usedLabels = () => {
      const seen = new Uint8Array(col.dictionary.length);
      for (let i = 0; i < n; i++) if (codes[i] >= 0) seen[codes[i]] = 1;
      return col.dictionary.filter((_, c) => seen[c]);
    };
    if (spec.pii) return { kind: 'pii', name, nullShare, format: fitPiiFormat(spec.pii, usedLabels()) };
    if (spec.type === 'id' || pk === name) return { kind: 'id', name, nullShare, format: fitIdFormat(usedLabels()) };
    const fitted = fitCategoricalMarginal(codes, col.dictionary, { k: opts.k, order: spec.categories });
    if (!fitted) return { kind: 'redacted', name, nullShare, count: Math.min(usedLabels().length, 1000) };
    return { kind: 'categorical', name, nullShare, marginal: fitted.marginal };
  });
}

/** Whether a model takes part in the joint model (numeric or categorical). */
export function isModelled(m: ColumnModel): m is Extract<ColumnModel, { kind: 'numeric' | 'categorical' }> {
  return m.kind === 'numeric' || m.kind === 'categorical';
}

export function columnModelToJSON(m: ColumnModel): ColumnModelState {
  if (m.kind === 'numeric' || m.kind === 'categorical') return { ...m, marginal: m.marginal.toJSON() } as ColumnModelState;
  return m;
}

export function columnModelFromJSON(s: ColumnModelState): ColumnModel {
  if (s.kind === 'numeric') return { ...s, marginal: NumericMarginal.fromJSON(s.marginal) };
  if (s.kind === 'categorical') return { ...s, marginal: CategoricalMarginal.fromJSON(s.marginal) };
  return s;
}

/**
 * Generates a non-modelled column (pii, id, redacted, missing) of `n` rows with its own missing share.
 * `first` is the first id number (shard offset).
 */
export function generateColumn(m: ColumnModel, n: number, rng: Rng, first: number): Column {
  if (m.kind === 'numeric' || m.kind === 'categorical' || m.kind === 'missing') throw new SynthopsError('internal', `column ${m.name} is not generated here.`);
  let labels: string[];
  if (m.kind === 'pii') labels = fakePii(m.format, n, rng.split('values'));
  else if (m.kind === 'id') labels = generateIds(m.format, n, rng.split('values'), first);
  else {
    const r = rng.split('values');
    labels = Array.from({ length: n }, () => `${m.name}-${1 + r.int(m.count)}`);
  }
  const nullRng = rng.split('nulls');
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = m.nullShare > 0 && nullRng.next() < m.nullShare ? -1 : i;
  return new CategoricalColumn(codes, labels);
}

/** An all-missing column of the right storage for a spec. */
export function missingColumn(spec: ColumnSpec, n: number): Column {
  return spec.type === 'numerical' || spec.type === 'datetime'
    ? new NumericColumn(new Float64Array(n).fill(NaN), new Uint8Array(n).fill(1))
    : new CategoricalColumn(new Int32Array(n).fill(-1), []);
}
