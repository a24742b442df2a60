/**
 * Column storage. Two physical kinds cover every semantic type:
 * - `NumericColumn`: Float64Array values; missing values are NaN in `values` and 1 in `nulls`
 *   (`nulls` is null when the column has no missing value). Used for numerical and datetime (epoch ms).
 * - `CategoricalColumn`: Int32Array codes into `dictionary`; code -1 is missing. Used for categorical,
 *   boolean, id and text.
 * Columns are immutable: never write into `values`, `codes` or `nulls`; build new arrays instead.
 */
export type Column = NumericColumn | CategoricalColumn;

/** A plain cell value as seen by row-oriented callers. */
export type CellValue = number | string | null;

export class NumericColumn {
  readonly storage = 'numeric' as const;
  readonly values: Float64Array;
  /** 1 where the value is missing; null when nothing is missing. */
  readonly nulls: Uint8Array | null;
  readonly length: number;
  private _nullCount = -1;

  /** `values` NaN entries are treated as missing when `nulls` is omitted. */
  constructor(values: Float64Array, nulls?: Uint8Array | null) {
    this.values = values;
    this.length = values.length;
    if (nulls === undefined) {
      let mask: Uint8Array | null = null;
      for (let i = 0; i < values.length; i++) {
        if (values[i] !== values[i]) {
          if (!mask) mask = new Uint8Array(values.length);
          mask[i] = 1;
        }
      }
      this.nulls = mask;
    } else {
      this.nulls = nulls;
    }
  }

  /** Builds from plain numbers; null/undefined/NaN become missing. */
  static from(values: ArrayLike<number | null | undefined>): NumericColumn {
    const v = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      v[i] = x === null || x === undefined ? NaN : x;
    }
    return new NumericColumn(v);
  }

  isNull(i: number): boolean {
    return this.nulls !== null && this.nulls[i] === 1;
  }

  get(i: number): number | null {
    return this.isNull(i) ? null : this.values[i];
  }

  get nullCount(): number {
    if (this._nullCount < 0) {
      let c = 0;
      if (this.nulls) for (let i = 0; i < this.length; i++) c += this.nulls[i];
      this._nullCount = c;
    }
    return this._nullCount;
  }

  slice(start: number, end: number): NumericColumn {
    return new NumericColumn(this.values.subarray(start, end), this.nulls ? this.nulls.subarray(start, end) : null);
  }

  take(idx: ArrayLike<number>): NumericColumn {
    const v = new Float64Array(idx.length);
    const src = this.values;
    for (let i = 0; i < idx.length; i++) v[i] = src[idx[i]];
    let m: Uint8Array | null = null;
    if (this.nulls) {
      m = new Uint8Array(idx.length);
      let any = 0;
      for (let i = 0; i < idx.length; i++) any |= m[i] = this.nulls[idx[i]];
      if (!any) m = null;
    }
    return new NumericColumn(v, m);
  }

  /** Min and max over non-missing values; NaN when all are missing. */
  extent(): [number, number] {
    let lo = Infinity, hi = -Infinity;
    const v = this.values;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    return lo === Infinity ? [NaN, NaN] : [lo, hi];
  }
}

export class CategoricalColumn {
  readonly storage = 'categorical' as const;
  /** Index into `dictionary`; -1 is missing. */
  readonly codes: Int32Array;
  readonly length: number;
  private _nullCount = -1;
  private _dictionary: readonly string[] | null;
  private _make: (() => readonly string[]) | null;

  /**
   * `dictionary` may also be given as a function that makes it: it is then called once, when the dictionary is
   * first read (a reader's million key labels are made as strings only if something reads them).
   */
  constructor(codes: Int32Array, dictionary: readonly string[] | (() => readonly string[])) {
    this.codes = codes;
    this.length = codes.length;
    if (typeof dictionary === 'function') {
      this._dictionary = null;
      this._make = dictionary;
    } else {
      this._dictionary = dictionary;
      this._make = null;
    }
  }

  /** Distinct labels. May contain labels no row uses (after filter/slice). */
  get dictionary(): readonly string[] {
    return this._dictionary ?? this.makeDictionary();
  }

  private makeDictionary(): readonly string[] {
    const d = this._make!();
    this._dictionary = d;
    this._make = null;
    return d;
  }

  /** This column's dictionary as given to a column sharing it: made only when one of them reads it. */
  private shared(): readonly string[] | (() => readonly string[]) {
    return this._dictionary ?? (() => this.dictionary);
  }

  /** Builds from strings; null/undefined become missing. Dictionary order is first appearance. */
  static from(values: ArrayLike<string | null | undefined>, dictionary?: readonly string[]): CategoricalColumn {
    const dict: string[] = dictionary ? [...dictionary] : [];
    const index = new Map<string, number>();
    dict.forEach((d, i) => index.set(d, i));
    const codes = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      if (x === null || x === undefined) {
        codes[i] = -1;
        continue;
      }
      let c = index.get(x);
      if (c === undefined) {
        c = dict.length;
        dict.push(x);
        index.set(x, c);
      }
      codes[i] = c;
    }
    return new CategoricalColumn(codes, dict);
  }

  isNull(i: number): boolean {
    return this.codes[i] < 0;
  }

  get(i: number): string | null {
    const c = this.codes[i];
    return c < 0 ? null : this.dictionary[c];
  }

  get nullCount(): number {
    if (this._nullCount < 0) {
      let c = 0;
      for (let i = 0; i < this.length; i++) if (this.codes[i] < 0) c++;
      this._nullCount = c;
    }
    return this._nullCount;
  }

  /** Occurrences of each dictionary entry (missing values not counted). */
  counts(): Int32Array {
    const out = new Int32Array(this.dictionary.length);
    const c = this.codes;
    for (let i = 0; i < c.length; i++) if (c[i] >= 0) out[c[i]]++;
    return out;
  }

  slice(start: number, end: number): CategoricalColumn {
    return new CategoricalColumn(this.codes.subarray(start, end), this.shared());
  }

  take(idx: ArrayLike<number>): CategoricalColumn {
    const out = new Int32Array(idx.length);
    const src = this.codes;
    for (let i = 0; i < idx.length; i++) out[i] = src[idx[i]];
    return new CategoricalColumn(out, this.shared());
  }

  /** Same labels, recoded onto `dictionary` (which must contain every used label, else they become missing). */
  recode(dictionary: readonly string[]): CategoricalColumn {
    const index = new Map<string, number>();
    dictionary.forEach((d, i) => index.set(d, i));
    const map = new Int32Array(this.dictionary.length);
    this.dictionary.forEach((d, i) => (map[i] = index.get(d) ?? -1));
    const out = new Int32Array(this.length);
    for (let i = 0; i < this.length; i++) {
      const c = this.codes[i];
      out[i] = c < 0 ? -1 : map[c];
    }
    return new CategoricalColumn(out, dictionary);
  }

  /** Drops dictionary entries no row uses, keeping order. Returns `this` when nothing is unused. */
  compact(): CategoricalColumn {
    const counts = this.counts();
    if (counts.every((c) => c > 0)) return this;
    const map = new Int32Array(counts.length).fill(-1);
    const dict: string[] = [];
    counts.forEach((c, i) => {
      if (c > 0) {
        map[i] = dict.length;
        dict.push(this.dictionary[i]);
      }
    });
    const out = new Int32Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.codes[i] < 0 ? -1 : map[this.codes[i]];
    return new CategoricalColumn(out, dict);
  }
}

/** Number of missing values in a column of either kind. */
export function nullCount(c: Column): number {
  return c.nullCount;
}
