import { SynthopsError, ValidationError, type ValidationIssue } from '../errors.js';
import { CategoricalColumn, NumericColumn, type CellValue, type Column } from './column.js';
import { listNames, storageOf, type ColumnSpec, type Schema } from './schema.js';

/** A row as plain values: numbers for numerical and datetime (epoch ms), strings for the others, null for missing. */
export type Row = Record<string, CellValue>;

/**
 * An immutable columnar table: a schema and one typed-array column per schema column, in schema order.
 * Operations return new tables and share buffers where they can (`select`, `slice` share; `take`,
 * `filter` and `concat` copy only the indexed values).
 *
 * @example
 * const t = Table.fromRows([{ age: 31, sex: 'F' }, { age: null, sex: 'M' }], schema);
 * t.select(['age']).slice(0, 1).toRows(); // [{ age: 31 }]
 */
export class Table {
  readonly schema: Schema;
  readonly numRows: number;
  readonly columns: readonly Column[];
  private readonly index: Map<string, number>;

  constructor(schema: Schema, columns: readonly Column[]) {
    if (schema.columns.length !== columns.length)
      throw new SynthopsError('internal', `table has ${columns.length} columns but its schema lists ${schema.columns.length}.`);
    const n = columns.length ? columns[0].length : 0;
    const issues: ValidationIssue[] = [];
    const index = new Map<string, number>();
    schema.columns.forEach((spec, i) => {
      const col = columns[i];
      if (col.length !== n) issues.push({ column: spec.name, message: `invalid column length: ${col.length}. Expected ${n} rows like the first column.` });
      if (col.storage !== storageOf(spec.type))
        issues.push({ column: spec.name, message: `invalid storage: ${col.storage} for type ${spec.type}. Expected ${storageOf(spec.type)}.` });
      if (index.has(spec.name)) issues.push({ column: spec.name, message: 'invalid column name: it appears twice.' });
      index.set(spec.name, i);
    });
    if (issues.length) throw new ValidationError(issues);
    this.schema = schema;
    this.columns = columns;
    this.numRows = n;
    this.index = index;
  }

  /** Column names in order. */
  get columnNames(): string[] {
    return this.schema.columns.map((c) => c.name);
  }

  get numColumns(): number {
    return this.columns.length;
  }

  has(name: string): boolean {
    return this.index.has(name);
  }

  /** The column called `name`; throws `not_found` when there is none. */
  column(name: string): Column {
    return this.columns[this.indexOf(name)];
  }

  /** The column called `name` as a NumericColumn; throws when it is stored as categories. */
  numeric(name: string): NumericColumn {
    const c = this.column(name);
    if (c.storage !== 'numeric') throw new SynthopsError('schema_mismatch', `invalid column: "${name}" is not numeric.`, { column: name });
    return c;
  }

  /** The column called `name` as a CategoricalColumn; throws when it is numeric. */
  categorical(name: string): CategoricalColumn {
    const c = this.column(name);
    if (c.storage !== 'categorical') throw new SynthopsError('schema_mismatch', `invalid column: "${name}" is not categorical.`, { column: name });
    return c;
  }

  spec(name: string): ColumnSpec {
    return this.schema.columns[this.indexOf(name)];
  }

  indexOf(name: string): number {
    const i = this.index.get(name);
    if (i === undefined)
      throw new SynthopsError('not_found', `invalid column: "${name}". No such column; columns are ${listNames(this.schema)}.`, { column: name });
    return i;
  }

  /** A table of the named columns in the given order (buffers shared). */
  select(names: readonly string[]): Table {
    const idx = names.map((n) => this.indexOf(n));
    return new Table(
      { ...this.schema, columns: idx.map((i) => this.schema.columns[i]), ...keepKeys(this.schema, names) },
      idx.map((i) => this.columns[i]),
    );
  }

  /** Rows [start, end) (buffers shared). */
  slice(start = 0, end = this.numRows): Table {
    const s = clamp(start, this.numRows), e = clamp(end, this.numRows);
    return new Table(this.schema, this.columns.map((c) => c.slice(s, Math.max(s, e))));
  }

  /** Rows at the given indices, in that order (repeats allowed). */
  take(indices: ArrayLike<number>): Table {
    for (let i = 0; i < indices.length; i++) {
      const k = indices[i];
      if (!(k >= 0 && k < this.numRows && Number.isInteger(k)))
        throw new SynthopsError('invalid_argument', `invalid row index: ${k}. The table has ${this.numRows} rows.`);
    }
    return new Table(this.schema, this.columns.map((c) => c.take(indices)));
  }

  /** Rows where `mask[i]` is truthy, or where `predicate(i, table)` returns true. */
  filter(mask: ArrayLike<number | boolean> | ((row: number, table: Table) => boolean)): Table {
    const keep: number[] = [];
    if (typeof mask === 'function') {
      for (let i = 0; i < this.numRows; i++) if (mask(i, this)) keep.push(i);
    } else {
      if (mask.length !== this.numRows) throw new SynthopsError('invalid_argument', `invalid mask length: ${mask.length}. Expected ${this.numRows}.`);
      for (let i = 0; i < this.numRows; i++) if (mask[i]) keep.push(i);
    }
    return this.take(Int32Array.from(keep));
  }

  /** This table's rows followed by `others`' rows. Column names and types must match; dictionaries are merged. */
  concat(...others: Table[]): Table {
    if (!others.length) return this;
    const all = [this, ...others];
    for (const t of others) {
      const a = this.schema.columns, b = t.schema.columns;
      if (a.length !== b.length || a.some((c, i) => c.name !== b[i].name || storageOf(c.type) !== storageOf(b[i].type)))
        throw new SynthopsError('schema_mismatch', 'invalid concat: the tables have different columns or column types.');
    }
    const total = all.reduce((s, t) => s + t.numRows, 0);
    const cols: Column[] = this.schema.columns.map((spec, j) => {
      if (storageOf(spec.type) === 'numeric') {
        const v = new Float64Array(total);
        let m: Uint8Array | null = null;
        let off = 0;
        for (const t of all) {
          const c = t.columns[j] as NumericColumn;
          v.set(c.values, off);
          if (c.nulls) {
            m ??= new Uint8Array(total);
            m.set(c.nulls, off);
          }
          off += c.length;
        }
        return new NumericColumn(v, m);
      }
      const dict: string[] = [];
      const pos = new Map<string, number>();
      const codes = new Int32Array(total);
      let off = 0;
      for (const t of all) {
        const c = t.columns[j] as CategoricalColumn;
        const map = c.dictionary.map((d) => {
          let k = pos.get(d);
          if (k === undefined) {
            k = dict.length;
            dict.push(d);
            pos.set(d, k);
          }
          return k;
        });
        for (let i = 0; i < c.length; i++) codes[off + i] = c.codes[i] < 0 ? -1 : map[c.codes[i]];
        off += c.length;
      }
      return new CategoricalColumn(codes, dict);
    });
    const nullable = (j: number) => all.some((t) => t.schema.columns[j].nullable || t.columns[j].nullCount > 0);
    return new Table({ ...this.schema, columns: this.schema.columns.map((c, j) => ({ ...c, nullable: nullable(j) })) }, cols);
  }

  /** A table with `name` added (or replaced, in place) with the given spec and column. */
  withColumn(spec: ColumnSpec, column: Column): Table {
    const i = this.index.get(spec.name);
    const specs = [...this.schema.columns];
    const cols = [...this.columns];
    if (i === undefined) {
      specs.push(spec);
      cols.push(column);
    } else {
      specs[i] = spec;
      cols[i] = column;
    }
    return new Table({ ...this.schema, columns: specs }, cols);
  }

  /** A table with the schema replaced (same storage per column is required). */
  withSchema(schema: Schema): Table {
    return new Table(schema, this.columns);
  }

  /** Value at (row, column): number, string or null. */
  get(row: number, name: string): CellValue {
    return this.column(name).get(row);
  }

  /** Row objects (allocates one object per row: use for small tables, tests and edges, not hot paths). */
  toRows(): Row[] {
    const names = this.columnNames;
    const out: Row[] = new Array(this.numRows);
    for (let i = 0; i < this.numRows; i++) {
      const r: Row = {};
      for (let j = 0; j < names.length; j++) r[names[j]] = this.columns[j].get(i);
      out[i] = r;
    }
    return out;
  }

  /**
   * Builds a table from row objects and a schema. Numeric columns accept numbers, numeric strings
   * and (datetime) Date objects or date strings; categorical columns accept strings, numbers and booleans.
   * Empty strings, null and undefined are missing. Throws one ValidationError listing bad cells.
   */
  static fromRows(rows: readonly Record<string, unknown>[], schema: Schema): Table {
    const issues: ValidationIssue[] = [];
    const cols: Column[] = schema.columns.map((spec) => {
      if (storageOf(spec.type) === 'numeric') {
        const v = new Float64Array(rows.length);
        for (let i = 0; i < rows.length; i++) {
          const x = rows[i][spec.name];
          v[i] = toNumber(x, spec);
          if (v[i] !== v[i] && !isMissing(x) && issues.length < 20)
            issues.push({ row: i, column: spec.name, message: `invalid ${spec.type} value. Expected ${spec.type === 'datetime' ? 'a date' : 'a number'}.` });
        }
        return new NumericColumn(v);
      }
      const s: (string | null)[] = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const x = rows[i][spec.name];
        s[i] = isMissing(x) ? null : String(x);
      }
      return CategoricalColumn.from(s, spec.categories);
    });
    if (issues.length) throw new ValidationError(issues);
    return new Table(schema, cols);
  }

  /** An empty table (0 rows) with this schema. */
  static empty(schema: Schema): Table {
    return new Table(
      schema,
      schema.columns.map((c) =>
        storageOf(c.type) === 'numeric' ? new NumericColumn(new Float64Array(0), null) : new CategoricalColumn(new Int32Array(0), c.categories ?? []),
      ),
    );
  }
}

function keepKeys(schema: Schema, names: readonly string[]): Partial<Schema> {
  const out: Partial<Schema> = { primaryKey: undefined, target: undefined };
  if (schema.primaryKey && names.includes(schema.primaryKey)) out.primaryKey = schema.primaryKey;
  if (schema.target && names.includes(schema.target)) out.target = schema.target;
  return JSON.parse(JSON.stringify(out));
}

function clamp(i: number, n: number): number {
  return Math.max(0, Math.min(n, Math.trunc(i)));
}

function isMissing(x: unknown): boolean {
  return x === null || x === undefined || x === '' || (typeof x === 'number' && Number.isNaN(x));
}

function toNumber(x: unknown, spec: ColumnSpec): number {
  if (isMissing(x)) return NaN;
  if (typeof x === 'number') return Number.isFinite(x) ? x : NaN;
  if (x instanceof Date) return x.getTime();
  if (typeof x === 'boolean') return x ? 1 : 0;
  if (typeof x === 'string') {
    if (spec.type === 'datetime') {
      const t = Date.parse(x);
      return Number.isFinite(t) ? t : NaN;
    }
    const n = Number(x.trim());
    return Number.isFinite(n) ? n : NaN;
  }
  return NaN;
}
