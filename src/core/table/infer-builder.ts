import { SynthopsError, ValidationError, type ValidationIssue } from '../errors.js';
import { CategoricalColumn, NumericColumn, type Column } from './column.js';
import { compileDatetimeFormat, detectDatetimeFormat, type DatetimeFormat } from './datetime.js';
import { inferColumnSpec, type ColumnStats } from './infer.js';
import { storageOf, type ColumnSpec, type Schema } from './schema.js';
import { Table } from './table.js';

/**
 * Text tokens read as a missing value in a column whose other values are all numbers or all datetimes (whatever
 * type it is finally given, e.g. a categorical code column). In a column holding any other text only the empty
 * string is missing: a label such as `NA` is kept as written, so nothing is lost. The most frequent token becomes
 * the column's `missingToken`, which writers print back.
 */
export const MISSING_TOKENS: readonly string[] = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '#N/A', '-'];
const MISSING_INDEX = new Map(MISSING_TOKENS.map((t, i) => [t, i]));
/** Per-row marker: 0..MAX_DEC = decimals of a number; MISS + k = missing token k. */
const MISS = 64;
const MAX_DIGITS = 15;
/** Distinct non-missing string values after which a text column is tested for a datetime format. */
const DATETIME_PROBE = 512;
const SMALL_DISTINCT_CAP = 16;
/** Names for which numeric uniqueness is checked (an O(n log n) sort): ids and PII kinds stored as numbers. */
const KEY_LIKE_NAME = /id|key|uuid|guid|zip|post|phone|tel|mobile|ssn|card|ccn|pan/i;

type Mode = 'empty' | 'number' | 'string' | 'datetime';

/**
 * Builds one column while values stream in, without holding the values as strings when it can avoid it:
 * while every value is a plain decimal number they go straight into a growable Float64Array (plus one byte per
 * row for the decimals written, so the text can be rebuilt exactly); at the first non-number the column turns
 * into a string dictionary with Int32 codes; a dictionary whose first values all parse with one datetime format
 * turns into epoch milliseconds. Each step keeps every value recoverable as written.
 *
 * A plain number is `-?(0|[1-9][0-9]*)(\.[0-9]+)?` with at most 15 digits and not negative zero; anything else
 * (leading zeros as in `007`, `+5`, `1e5`, 20-digit keys) stays text, so it is written back unchanged.
 *
 * @example
 * const b = new ColumnBuilder('age');
 * for (const s of ['31', '', '54']) b.push(s);
 * b.stats().mode; // 'number'
 */
export class ColumnBuilder {
  readonly name: string;
  private mode: Mode = 'empty';
  private n = 0;
  private nums = new Float64Array(1024);
  private tok: Uint8Array | null = new Uint8Array(1024);
  private codes: Int32Array | null = null;
  private dict: string[] = [];
  private index = new Map<string, number>();
  private dt: DatetimeFormat | null = null;
  private dtTried = false;
  private missing = 0;
  private readonly missCounts = new Int32Array(MISSING_TOKENS.length);
  private integer = true;
  private maxDec = 0;
  private minDec = 99;
  private lo = Infinity;
  private hi = -Infinity;
  private small: Set<number> | null = new Set();

  constructor(name: string) {
    this.name = name;
  }

  /** Rows pushed so far. */
  get length(): number {
    return this.n;
  }

  /** Appends one value as text (`''` is missing). */
  push(s: string): void {
    const i = this.n;
    if (i === this.nums.length && this.mode !== 'string') this.growNumeric();
    switch (this.mode) {
      case 'number': {
        const d = plainDecimals(s);
        if (d >= 0) return this.addNumber(i, lastValue, d);
        const k = MISSING_INDEX.get(s);
        if (k !== undefined) return this.addMissing(i, k);
        this.toStrings();
        return this.pushString(i, s);
      }
      case 'string':
        return this.pushString(i, s);
      case 'datetime': {
        const ms = this.dt!.parse(s);
        if (ms === ms) {
          this.nums[i] = ms;
          this.tok![i] = 0;
          this.n++;
          return;
        }
        const k = MISSING_INDEX.get(s);
        if (k !== undefined) return this.addMissing(i, k);
        this.toStrings();
        return this.pushString(i, s);
      }
      case 'empty': {
        const k = MISSING_INDEX.get(s);
        if (k !== undefined) return this.addMissing(i, k);
        const d = plainDecimals(s);
        if (d >= 0) {
          this.mode = 'number';
          return this.addNumber(i, lastValue, d);
        }
        this.toStrings();
        return this.pushString(i, s);
      }
    }
  }

  /** Appends `count` missing values (used when a JSON-lines column first appears after some rows). */
  pushMissing(count: number): void {
    for (let j = 0; j < count; j++) this.push('');
  }

  private addNumber(i: number, x: number, d: number): void {
    this.nums[i] = x;
    this.tok![i] = d;
    if (d > this.maxDec) this.maxDec = d;
    if (d < this.minDec) this.minDec = d;
    if (d > 0 && this.integer && !Number.isInteger(x)) this.integer = false;
    if (x < this.lo) this.lo = x;
    if (x > this.hi) this.hi = x;
    if (this.small) {
      this.small.add(x);
      if (this.small.size > SMALL_DISTINCT_CAP) this.small = null;
    }
    this.n++;
  }

  private addMissing(i: number, k: number): void {
    this.nums[i] = NaN;
    this.tok![i] = MISS + k;
    this.missing++;
    this.missCounts[k]++;
    this.n++;
  }

  private pushString(i: number, s: string): void {
    let codes = this.codes!;
    if (i === codes.length) {
      const next = new Int32Array(codes.length * 2);
      next.set(codes);
      this.codes = codes = next;
    }
    if (s === '') {
      codes[i] = -1;
      this.missing++;
      this.missCounts[0]++;
    } else {
      let c = this.index.get(s);
      if (c === undefined) {
        c = this.dict.length;
        this.dict.push(s);
        this.index.set(s, c);
        if (c + 1 === DATETIME_PROBE && !this.dtTried) {
          codes[i] = c;
          this.n++;
          this.tryDatetime();
          return;
        }
      }
      codes[i] = c;
    }
    this.n++;
  }

  private growNumeric(): void {
    const cap = this.nums.length * 2;
    const v = new Float64Array(cap);
    v.set(this.nums);
    this.nums = v;
    const t = new Uint8Array(cap);
    t.set(this.tok!);
    this.tok = t;
  }

  /** The text of row i while the column is numeric (number, datetime or missing). */
  private textAt(i: number, cache: Map<number, string[]>): string | null {
    const t = this.tok![i];
    if (t >= MISS) return MISSING_TOKENS[t - MISS] === '' ? null : MISSING_TOKENS[t - MISS];
    const x = this.nums[i];
    let per = cache.get(x);
    if (!per) cache.set(x, (per = []));
    return (per[t] ??= this.mode === 'datetime' ? this.dt!.format(x) : x.toFixed(t));
  }

  /** Turns a numeric (or empty) column into a string dictionary, rebuilding each value's text exactly. */
  private toStrings(): void {
    const codes = new Int32Array(Math.max(1024, this.nums.length));
    const cache = new Map<number, string[]>();
    this.missing = 0;
    this.missCounts.fill(0);
    for (let i = 0; i < this.n; i++) {
      const s = this.textAt(i, cache);
      if (s === null) {
        codes[i] = -1;
        this.missing++;
        this.missCounts[0]++;
        continue;
      }
      let c = this.index.get(s);
      if (c === undefined) {
        c = this.dict.length;
        this.dict.push(s);
        this.index.set(s, c);
      }
      codes[i] = c;
    }
    this.codes = codes;
    this.mode = 'string';
    this.nums = new Float64Array(0);
    this.tok = null;
    this.small = null;
  }

  /** If every label so far parses with one datetime format, switch to epoch milliseconds. */
  private tryDatetime(): void {
    this.dtTried = true;
    const fmt = detectDatetimeFormat(this.dict);
    if (!fmt) return;
    const f = compileDatetimeFormat(fmt);
    const ms = this.dict.map((s) => f.parse(s));
    const cap = Math.max(1024, this.codes!.length);
    const nums = new Float64Array(cap);
    const tok = new Uint8Array(cap);
    for (let i = 0; i < this.n; i++) {
      const c = this.codes![i];
      if (c < 0) {
        nums[i] = NaN;
        tok[i] = MISS;
      } else nums[i] = ms[c];
    }
    this.nums = nums;
    this.tok = tok;
    this.codes = null;
    this.dict = [];
    this.index = new Map();
    this.dt = f;
    this.mode = 'datetime';
  }

  /** Summary statistics used by the inference rules (`inferColumnSpec`). Call after the last push. */
  stats(): ColumnStats {
    if (this.mode === 'string' && !this.dtTried) this.tryDatetime();
    const base = { name: this.name, rows: this.n, missing: this.missing };
    if (this.mode === 'empty') return { ...base, mode: 'empty' };
    if (this.mode === 'number') {
      const samples: string[] = [];
      const cache = new Map<number, string[]>();
      for (let i = 0; i < this.n && samples.length < 200; i++) {
        const s = this.textAt(i, cache);
        if (s !== null && this.tok![i] < MISS) samples.push(s);
      }
      return {
        ...base,
        mode: 'number',
        integer: this.integer,
        decimals: this.maxDec,
        minDecimals: Math.min(this.minDec, this.maxDec),
        min: this.lo,
        max: this.hi,
        smallDistinct: this.small ? [...this.small].sort((a, b) => a - b) : null,
        allDistinct: KEY_LIKE_NAME.test(this.name) ? this.allDistinctNumbers() : false,
        samples,
        missingToken: this.missingToken(),
      };
    }
    if (this.mode === 'datetime') return { ...base, mode: 'datetime', format: this.dt!.pattern, missingToken: this.missingToken() };
    const counts = new Int32Array(this.dict.length);
    for (let i = 0; i < this.n; i++) if (this.codes![i] >= 0) counts[this.codes![i]]++;
    let len = 0, spaces = 0;
    const take = Math.min(this.dict.length, 1000);
    for (let c = 0; c < take; c++) {
      len += this.dict[c].length;
      if (this.dict[c].includes(' ')) spaces++;
    }
    return {
      ...base,
      mode: 'string',
      distinct: this.dict.length,
      labels: this.dict.slice(0, 64),
      samples: this.dict.slice(0, 200),
      avgLength: take ? len / take : 0,
      spaceShare: take ? spaces / take : 0,
    };
  }

  private allDistinctNumbers(): boolean {
    if (this.missing > 0 || !this.integer || this.small) return false;
    const v = this.nums.slice(0, this.n).sort();
    for (let i = 1; i < v.length; i++) if (v[i] === v[i - 1]) return false;
    return true;
  }

  private missingToken(): string | undefined {
    let best = -1, k = -1;
    this.missCounts.forEach((c, j) => {
      if (c > best && c > 0) {
        best = c;
        k = j;
      }
    });
    return k > 0 ? MISSING_TOKENS[k] : undefined;
  }

  /**
   * The finished column for `spec` (inferred when omitted) and the spec actually used. Throws a ValidationError
   * naming the column and the first row whose text does not fit a given spec (never the text itself).
   */
  finish(spec?: ColumnSpec, file?: string): { spec: ColumnSpec; column: Column } {
    const inferred = inferColumnSpec(this.stats());
    const s = spec ? mergeSpec(spec, inferred) : inferred;
    const n = this.n;
    const bad = (row: number, what: string): never => {
      throw new ValidationError([{ file, row, column: this.name, message: `invalid value for a ${what} column (row ${row + 1}). Fix the value or change the column's type in the schema.` }]);
    };
    if (storageOf(s.type) === 'numeric') {
      if (s.type === 'datetime') {
        if (this.mode === 'datetime' && (!s.format || s.format === this.dt!.pattern)) return { spec: { ...s, format: this.dt!.pattern }, column: this.numericColumn() };
        if (this.mode === 'empty') return { spec: s, column: this.numericColumn() };
        const labels = this.labels();
        const fmt = s.format ?? detectDatetimeFormat(labels.dictionary) ?? 'iso';
        const f = compileDatetimeFormat(fmt === 'iso' ? 'YYYY-MM-DDTHH:mm:ss.SSSZ' : fmt);
        const ms = labels.dictionary.map((x) => f.parse(x));
        const v = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const c = labels.codes[i];
          v[i] = c < 0 ? NaN : ms[c];
          if (c >= 0 && Number.isNaN(ms[c])) bad(i, `datetime (${f.pattern})`);
        }
        return { spec: { ...s, format: f.pattern }, column: new NumericColumn(v) };
      }
      if (this.mode === 'number' && s.decimals === undefined) {
        const ns: ColumnSpec = { ...s, integer: this.integer, decimals: this.maxDec };
        if (this.minDec < this.maxDec) ns.minDecimals = this.minDec;
        return { spec: ns, column: this.numericColumn() };
      }
      if (this.mode === 'number' || this.mode === 'empty') return { spec: s, column: this.numericColumn() };
      if (this.mode === 'datetime') bad(0, 'numerical');
      const labels = this.labels();
      const nums = labels.dictionary.map((x) => (plainDecimals(x) >= 0 || /^-?\d*\.?\d+(e[+-]?\d+)?$/i.test(x) ? Number(x) : NaN));
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const c = labels.codes[i];
        v[i] = c < 0 ? NaN : nums[c];
        if (c >= 0 && Number.isNaN(nums[c])) bad(i, 'numerical');
      }
      return { spec: s, column: new NumericColumn(v) };
    }
    const labels = this.labels(s.type === 'categorical' && this.mode === 'number');
    let col = new CategoricalColumn(labels.codes, labels.dictionary);
    if (s.categories) col = col.recode(mergeCategories(s.categories, labels.dictionary));
    const out: ColumnSpec = { ...s };
    if (this.mode === 'number' && this.missingToken() !== undefined && out.missingToken === undefined) out.missingToken = this.missingToken();
    return { spec: out, column: col };
  }

  private numericColumn(): NumericColumn {
    const v = fit(this.nums, this.n);
    let mask: Uint8Array | null = null;
    if (this.missing > 0) {
      mask = new Uint8Array(this.n);
      for (let i = 0; i < this.n; i++) if (this.tok![i] >= MISS) mask[i] = 1;
    }
    return new NumericColumn(v, mask);
  }

  /** Codes and dictionary of the text as written (numbers sorted numerically when `sortNumeric`). */
  private labels(sortNumeric = false): { codes: Int32Array; dictionary: string[] } {
    if (this.mode === 'empty') return { codes: new Int32Array(this.n).fill(-1), dictionary: [] };
    if (this.mode === 'string') return { codes: fit(this.codes!, this.n), dictionary: this.dict };
    const codes = new Int32Array(this.n);
    const cache = new Map<number, string[]>();
    const index = new Map<string, number>();
    const dict: string[] = [];
    const value: number[] = [];
    for (let i = 0; i < this.n; i++) {
      const t = this.tok![i];
      if (t >= MISS) {
        codes[i] = -1;
        continue;
      }
      const s = this.textAt(i, cache)!;
      let c = index.get(s);
      if (c === undefined) {
        c = dict.length;
        dict.push(s);
        value.push(this.nums[i]);
        index.set(s, c);
      }
      codes[i] = c;
    }
    if (!sortNumeric) return { codes, dictionary: dict };
    const order = dict.map((_, i) => i).sort((a, b) => value[a] - value[b] || (dict[a] < dict[b] ? -1 : 1));
    const remap = new Int32Array(dict.length);
    order.forEach((old, k) => (remap[old] = k));
    for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) codes[i] = remap[codes[i]];
    return { codes, dictionary: order.map((i) => dict[i]) };
  }
}

/**
 * A given spec completed with what was measured: the representation fields (`integer`, `decimals`,
 * `minDecimals`, `format`, `missingToken`, boolean tokens) come from inference when the given spec leaves them out
 * and the types agree; `nullable` is true when either says so. `pii` is taken as given (a schema can clear a
 * false positive by leaving it out).
 */
function mergeSpec(given: ColumnSpec, inferred: ColumnSpec): ColumnSpec {
  const out: ColumnSpec = { ...given, nullable: given.nullable || inferred.nullable };
  if (given.type === inferred.type) {
    for (const k of ['integer', 'decimals', 'minDecimals', 'format', 'missingToken', 'trueToken', 'falseToken'] as const) {
      if (out[k] === undefined && inferred[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = inferred[k];
    }
  }
  return out;
}

/** The first n entries: a view when the spare capacity is small (≤ 25 %), else a compact copy. */
function fit<T extends Float64Array | Int32Array>(a: T, n: number): T {
  if (a.length === n) return a;
  return (a.length <= n * 1.25 ? a.subarray(0, n) : a.slice(0, n)) as T;
}

function mergeCategories(given: readonly string[], seen: readonly string[]): string[] {
  const set = new Set(given);
  return [...given, ...seen.filter((s) => !set.has(s))];
}

/**
 * Digits after the decimal point when `s` is a plain decimal number (see ColumnBuilder), else -1.
 * @example plainDecimals('3.50'); // 2
 */
export function plainDecimals(s: string): number {
  const len = s.length;
  if (len === 0 || len > MAX_DIGITS + 2) return -1;
  let p = 0;
  const neg = s.charCodeAt(0) === 45;
  if (neg) p++;
  const start = p;
  let digits = 0;
  while (p < len) {
    const c = s.charCodeAt(p);
    if (c < 48 || c > 57) break;
    digits = digits * 10 + (c - 48);
    p++;
  }
  const intDigits = p - start;
  if (intDigits === 0) return -1;
  if (intDigits > 1 && s.charCodeAt(start) === 48) return -1;
  let dec = 0;
  if (p < len) {
    if (s.charCodeAt(p) !== 46) return -1;
    p++;
    const fs = p;
    while (p < len) {
      const c = s.charCodeAt(p);
      if (c < 48 || c > 57) return -1;
      digits = digits * 10 + (c - 48);
      p++;
    }
    dec = p - fs;
    if (dec === 0) return -1;
  }
  if (intDigits + dec > MAX_DIGITS) return -1;
  if (neg) {
    // Negative zero (-0, -0.00) would print back without its sign.
    let allZero = true;
    for (let j = start; j < len; j++) {
      const c = s.charCodeAt(j);
      if (c !== 48 && c !== 46) {
        allZero = false;
        break;
      }
    }
    if (allZero) return -1;
  }
  // ≤ 15 digits: `digits` is an exact integer and 10^dec is exact, so one correctly rounded division gives the
  // same double as Number(s).
  lastValue = (neg ? -digits : digits) / POW10[dec];
  return dec;
}

const POW10 = Array.from({ length: MAX_DIGITS + 1 }, (_, i) => 10 ** i);
/** The value of the last string `plainDecimals` accepted (saves parsing it twice in the hot path). */
let lastValue = 0;

/** Options for `TableBuilder.finish`. */
export interface FinishOptions {
  /** Use these specs instead of inferring (columns absent from it are inferred). Default: infer all. */
  schema?: Schema;
  /** File name for error messages. */
  file?: string;
}

/**
 * Builds a Table from rows of text (a streaming CSV parser pushes rows as they come), inferring the schema
 * with `inferColumnSpec` unless one is given. Pure: usable in the browser.
 *
 * @example
 * const b = new TableBuilder(['age', 'sex']);
 * b.pushRow(['31', 'F']); b.pushRow(['', 'M']);
 * const t = b.finish(); // age numerical (nullable), sex categorical
 */
export class TableBuilder {
  readonly columns: ColumnBuilder[];

  constructor(names: readonly string[]) {
    this.columns = names.map((n) => new ColumnBuilder(n));
  }

  get numRows(): number {
    return this.columns.length ? this.columns[0].length : 0;
  }

  /** Appends one row; `fields` must have one entry per column. */
  pushRow(fields: readonly string[]): void {
    const cols = this.columns;
    for (let j = 0; j < cols.length; j++) cols[j].push(fields[j]);
  }

  /** The finished table. Validates a given schema against the columns first (all problems at once). */
  finish(opts: FinishOptions = {}): Table {
    const given = opts.schema;
    if (given) {
      const names = new Set(this.columns.map((c) => c.name));
      const issues: ValidationIssue[] = given.columns
        .filter((c) => !names.has(c.name))
        .map((c) => ({ file: opts.file, column: c.name, message: `invalid schema column: "${c.name}" is not in the data.` }));
      if (issues.length) throw new ValidationError(issues);
    }
    const specs: ColumnSpec[] = [];
    const cols: Column[] = [];
    for (const b of this.columns) {
      const g = given?.columns.find((c) => c.name === b.name);
      const { spec, column } = b.finish(g, opts.file);
      specs.push(spec);
      cols.push(column);
    }
    const schema: Schema = { specVersion: 1, columns: specs };
    if (given?.primaryKey) schema.primaryKey = given.primaryKey;
    if (given?.target) schema.target = given.target;
    if (!cols.length) throw new SynthopsError('invalid_input', 'the table has no columns.', { file: opts.file });
    return new Table(schema, cols);
  }
}
