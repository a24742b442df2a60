import { SynthopsError } from '../errors.js';
import type { Table } from '../table/table.js';

/**
 * Rows of one table encoded for Gower-style distances in a {@link MixedSpace}: numeric columns scaled by
 * 1 / range of the reference (training) data (NaN = missing), categorical columns as codes in a label map shared
 * by every table encoded in the same space (-1 = missing), so equal labels get equal codes across tables.
 */
export interface EncodedRows {
  numRows: number;
  /** One Float64Array per numeric column of the space: value / range (NaN = missing). */
  num: Float64Array[];
  /** One Int32Array per categorical column of the space: shared code (-1 = missing). */
  cat: Int32Array[];
}

/** Options for {@link MixedSpace.fromTable}. */
export interface MixedSpaceOptions {
  /**
   * Columns to measure distances on. Default: every column of the reference table except `id`-typed
   * columns and the schema's primary key (identifiers make every row unique and carry no content).
   */
  columns?: readonly string[];
}

/**
 * The space a Gower-style distance lives in, fitted on a reference (training) table.
 *
 * Distance between two rows = (Σ over columns of a per-column term) / number of columns, in [0, 1]:
 * - numeric (numerical, datetime): min(1, |a − b| / range), range = max − min of the reference column
 *   (1 when the column is constant, empty, or its range is too small to invert);
 * - categorical (categorical, boolean, text): 0 when the labels are equal, else 1;
 * - missing: 0 when both are missing, 1 when exactly one is.
 * Every term is a (truncated) metric, so the average is a metric too: metric trees and lower bounds are exact.
 *
 * @example
 * const space = MixedSpace.fromTable(train);
 * const a = space.encode(train), b = space.encode(synthetic);
 * space.distance(a, 0, b, 0); // in [0, 1]; 0 = identical on every column
 */
export class MixedSpace {
  /** Names of the numeric columns, in encoding order. */
  readonly numColumns: readonly string[];
  /** Names of the categorical columns, in encoding order. */
  readonly catColumns: readonly string[];
  /** 1 / range per numeric column. */
  readonly scale: Float64Array;
  private readonly labelMaps: Map<string, number>[];

  private constructor(numColumns: string[], catColumns: string[], scale: Float64Array) {
    this.numColumns = numColumns;
    this.catColumns = catColumns;
    this.scale = scale;
    this.labelMaps = catColumns.map(() => new Map());
  }

  /** Number of columns a distance averages over. */
  get numDimensions(): number {
    return this.numColumns.length + this.catColumns.length;
  }

  /** All columns, numeric first then categorical (the order distance terms are summed in). */
  get columns(): string[] {
    return [...this.numColumns, ...this.catColumns];
  }

  /** Fits ranges and the column split on `reference`. Throws `invalid_argument` when no column is usable. */
  static fromTable(reference: Table, opts: MixedSpaceOptions = {}): MixedSpace {
    const pk = reference.schema.primaryKey;
    const names = opts.columns
      ? [...opts.columns]
      : reference.columnNames.filter((n) => n !== pk && reference.spec(n).type !== 'id');
    const missing = names.filter((n) => !reference.has(n));
    if (missing.length)
      throw new SynthopsError('schema_mismatch', `invalid columns: ${missing.join(', ')}. They are not in the reference table.`);
    if (!names.length)
      throw new SynthopsError('invalid_argument', 'invalid columns: none. A distance needs at least one non-identifier column.');
    const numCols: string[] = [];
    const catCols: string[] = [];
    for (const n of names) (reference.column(n).storage === 'numeric' ? numCols : catCols).push(n);
    const scale = new Float64Array(numCols.length);
    numCols.forEach((n, j) => {
      const [lo, hi] = reference.numeric(n).extent();
      const range = hi - lo;
      scale[j] = range > 0 && Number.isFinite(1 / range) && Number.isFinite(range) ? 1 / range : 1;
    });
    const space = new MixedSpace(numCols, catCols, scale);
    space.encode(reference); // reference labels get the first codes
    return space;
  }

  /**
   * Encodes `table` (which must have every column of the space, with the same storage kind).
   * Labels never seen before get new codes; the same label always gets the same code in this space.
   */
  encode(table: Table, what = 'table'): EncodedRows {
    const issues: string[] = [];
    for (const n of this.numColumns) if (!table.has(n) || table.column(n).storage !== 'numeric') issues.push(n);
    for (const n of this.catColumns) if (!table.has(n) || table.column(n).storage !== 'categorical') issues.push(n);
    if (issues.length)
      throw new SynthopsError(
        'schema_mismatch',
        `invalid ${what}: columns ${issues.join(', ')} are missing or of another type than in the training data. Use the training schema.`,
      );
    const n = table.numRows;
    const num = this.numColumns.map((name, j) => {
      const v = table.numeric(name).values;
      const s = this.scale[j];
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = v[i] * s; // NaN stays NaN
      return out;
    });
    const cat = this.catColumns.map((name, j) => {
      const col = table.categorical(name);
      const map = this.labelMaps[j];
      const remap = new Int32Array(col.dictionary.length);
      col.dictionary.forEach((label, c) => {
        let code = map.get(label);
        if (code === undefined) map.set(label, (code = map.size));
        remap[c] = code;
      });
      const out = new Int32Array(n);
      const codes = col.codes;
      for (let i = 0; i < n; i++) out[i] = codes[i] < 0 ? -1 : remap[codes[i]];
      return out;
    });
    return { numRows: n, num, cat };
  }

  /** Gower distance between row `i` of `a` and row `j` of `b` (both encoded in this space), in [0, 1]. */
  distance(a: EncodedRows, i: number, b: EncodedRows, j: number): number {
    let s = 0;
    for (let c = 0; c < a.num.length; c++) s += numericTerm(a.num[c][i], b.num[c][j]);
    for (let c = 0; c < a.cat.length; c++) s += a.cat[c][i] === b.cat[c][j] ? 0 : 1;
    return s / this.numDimensions;
  }
}

/** One numeric Gower term on scaled values: min(1, |a − b|); both NaN → 0, one NaN → 1. */
export function numericTerm(a: number, b: number): number {
  const d = Math.abs(a - b);
  if (d !== d) return a !== a && b !== b ? 0 : 1;
  return d > 1 ? 1 : d;
}
