import { ColumnBuilder } from './infer-builder.js';
import { detectPii } from './pii.js';
import type { ColumnSpec, Schema } from './schema.js';
import type { Table } from './table.js';

/** Summary of one column gathered while reading it: the input of the inference rules. */
export type ColumnStats =
  | { name: string; rows: number; missing: number; mode: 'empty' }
  | {
      name: string;
      rows: number;
      missing: number;
      mode: 'number';
      /** Every value is a whole number. */
      integer: boolean;
      /** Most digits after the decimal point written. */
      decimals: number;
      /** Fewest digits after the decimal point written. */
      minDecimals: number;
      /**
       * Some value was written in exponent form (`1.5e-7`, `1E5`) or with more digits than `decimals` can
       * rebuild: the spec then leaves `decimals` out and writers print each value in its shortest exact form.
       */
      shortest?: boolean;
      min: number;
      max: number;
      /** The distinct values, ascending, when there are at most 16; else null. */
      smallDistinct: number[] | null;
      /** No missing value and no value repeats (checked only for id- or PII-like names; false otherwise). */
      allDistinct: boolean;
      /** The first values as written (≤ 200). */
      samples: string[];
      missingToken?: string;
    }
  | { name: string; rows: number; missing: number; mode: 'datetime'; format: string; missingToken?: string }
  | {
      name: string;
      rows: number;
      missing: number;
      mode: 'string';
      /** Number of distinct labels. */
      distinct: number;
      /** The first labels in order of appearance (≤ 64). */
      labels: string[];
      /** The first distinct labels (≤ 200), for PII detection. */
      samples: string[];
      /** Mean length of the first 1,000 distinct labels. */
      avgLength: number;
      /** Share of the first 1,000 distinct labels that contain a space. */
      spaceShare: number;
    };

/** Integer columns with at most this many distinct values (and ≥ 5 rows per value) are categorical. */
export const LOW_CARDINALITY_MAX = 8;
/** Boolean token pairs (case-insensitive): the first of each pair is true. */
export const BOOLEAN_PAIRS: readonly (readonly [string, string])[] = [
  ['true', 'false'],
  ['yes', 'no'],
  ['y', 'n'],
  ['t', 'f'],
];
const ID_NAME = /(^|[^a-z])(id|key|uuid|guid)$|Id$|ID$|^(id|key|uuid|guid)([^a-z]|$)/i;

/**
 * Decides a column's type from its statistics. The rules, applied in order (documented in docs/schema.md):
 *
 * 1. Every value missing → `categorical` (nullable).
 * 2. Values that all parse with one datetime format (see `detectDatetimeFormat`) → `datetime` with that `format`.
 * 3. Numbers (`-?digits[.digits][e±digits]`, no leading zeros; see `scanNumber`):
 *    a. a PII name for numbers (zip/postcode, phone, ssn, card number) → `pii` set and `categorical` (`id` if unique);
 *    b. whole numbers, all distinct, no missing value, and an id-like name (`id`, `*_id`, `*Id`, `key`, `uuid`) → `id`;
 *    c. whole numbers with at most `LOW_CARDINALITY_MAX` (8) distinct values and at least 5 rows per value →
 *       `categorical` (codes such as SEX 1/2, EDUCATION 0–6, 0/1 flags; labels are the numbers as written);
 *    d. otherwise `numerical`, with `integer`, `decimals` (the most decimals written) and, when values were written
 *       with varying decimals, `minDecimals` (the fewest), so writers reproduce `22.0` / `0.42` as written; when a
 *       value used exponent notation or over 20 decimals, no `decimals` (writers print the shortest exact form).
 * 4. Text:
 *    a. at most two distinct labels that are a boolean pair (true/false, yes/no, y/n, t/f, any case) → `boolean`
 *       with `trueToken` / `falseToken` as written;
 *    b. PII by values or name (`detectPii`) → `pii` set; type `id` when unique, `text` when over half the values
 *       are distinct, else `categorical`;
 *    c. all distinct, no missing value, ≥ 20 rows, and either an id-like name or no spaces and ≤ 40 characters on
 *       average → `id`;
 *    d. over half the values distinct, ≥ 25 characters on average, and most containing spaces → `text`;
 *    e. otherwise `categorical`.
 * `nullable` is true when a value is missing; `missingToken` records the token that stood for missing when it was
 * not the empty string. Deterministic: the same statistics always give the same spec.
 *
 * @example
 * inferColumnSpec({ name: 'SEX', rows: 100, missing: 0, mode: 'number', integer: true, min: 1, max: 2,
 *   smallDistinct: [1, 2], allDistinct: false, samples: ['1', '2'], decimals: 0, minDecimals: 0 }).type; // 'categorical'
 */
export function inferColumnSpec(s: ColumnStats): ColumnSpec {
  const nullable = s.missing > 0;
  const base: ColumnSpec = { name: s.name, type: 'categorical', nullable };
  const present = s.rows - s.missing;
  switch (s.mode) {
    case 'empty':
      return base;
    case 'datetime':
      return withToken({ ...base, type: 'datetime', format: s.format }, s.missingToken);
    case 'number': {
      // Whole numbers of 13+ digits (card numbers a double holds exactly) are numbers to the reader; the card value
      // rule (Luhn) still sees them, so an unnamed card-number column stays PII.
      const long = s.integer && s.samples.length > 0 && s.samples.every((x) => x.length >= 13);
      const pii = detectPii(s.name, s.samples, { numeric: true }) ?? (long && detectPii('', s.samples) === 'credit_card' ? 'credit_card' : undefined);
      if (pii) return withToken({ ...base, type: s.allDistinct ? 'id' : 'categorical', pii }, s.missingToken);
      if (s.integer && s.allDistinct && present >= 2 && ID_NAME.test(s.name)) return { ...base, type: 'id' };
      if (s.integer && s.smallDistinct && s.smallDistinct.length <= LOW_CARDINALITY_MAX && present >= 5 * s.smallDistinct.length)
        return withToken(base, s.missingToken);
      const num: ColumnSpec = { ...base, type: 'numerical', integer: s.integer };
      if (!s.shortest) {
        num.decimals = s.decimals;
        if (s.minDecimals < s.decimals) num.minDecimals = s.minDecimals;
      }
      return withToken(num, s.missingToken);
    }
    case 'string': {
      if (s.distinct <= 2 && s.distinct > 0) {
        const tokens = booleanTokens(s.labels);
        if (tokens) return { ...base, type: 'boolean', trueToken: tokens[0], falseToken: tokens[1] };
      }
      const unique = s.missing === 0 && s.distinct === s.rows;
      const pii = detectPii(s.name, s.samples);
      if (pii) return { ...base, type: unique ? 'id' : s.distinct > present / 2 ? 'text' : 'categorical', pii };
      if (unique && s.rows >= 20 && (ID_NAME.test(s.name) || (s.spaceShare === 0 && s.avgLength <= 40))) return { ...base, type: 'id' };
      if (s.distinct > present / 2 && s.avgLength >= 25 && s.spaceShare >= 0.5) return { ...base, type: 'text' };
      return base;
    }
  }
}

function withToken(spec: ColumnSpec, token: string | undefined): ColumnSpec {
  return token !== undefined && token !== '' ? { ...spec, missingToken: token } : spec;
}

/** The [true, false] tokens as written when `labels` are (a subset of) one boolean pair; else undefined. */
function booleanTokens(labels: readonly string[]): [string, string] | undefined {
  for (const [t, f] of BOOLEAN_PAIRS) {
    const lower = labels.map((l) => l.toLowerCase());
    if (!lower.every((l) => l === t || l === f)) continue;
    const ti = lower.indexOf(t), fi = lower.indexOf(f);
    if (ti < 0 || fi < 0) return undefined; // one token only: a constant, keep it categorical
    return [labels[ti], labels[fi]];
  }
  return undefined;
}

/**
 * Infers a schema for a table that is already in memory (e.g. built from rows): each column's values are read
 * as text (numbers in their shortest form, datetimes kept as datetimes) and go through `inferColumnSpec`.
 * Datetime columns keep their spec. O(rows × columns).
 *
 * @example
 * const schema = inferSchema(Table.fromRows(rows, looseSchema));
 */
export function inferSchema(table: Table): Schema {
  const columns = table.schema.columns.map((spec, j): ColumnSpec => {
    if (spec.type === 'datetime') return spec;
    const col = table.columns[j];
    const b = new ColumnBuilder(spec.name);
    for (let i = 0; i < table.numRows; i++) {
      const v = col.get(i);
      b.push(v === null ? '' : typeof v === 'number' ? String(v) : v);
    }
    const out = inferColumnSpec(b.stats());
    return out;
  });
  const schema: Schema = { specVersion: 1, columns };
  if (table.schema.primaryKey) schema.primaryKey = table.schema.primaryKey;
  if (table.schema.target) schema.target = table.schema.target;
  return schema;
}
