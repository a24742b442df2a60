import { SynthopsError, ValidationError, type ValidationIssue } from '../errors.js';

/**
 * What a column means (its semantic type), independent of how it is stored.
 * - `numerical`: numbers (integers or decimals); stored as Float64Array.
 * - `categorical`: a finite set of labels; stored as Int32Array codes plus a dictionary.
 * - `boolean`: two labels (true/false tokens as written in the input); stored like categorical.
 * - `datetime`: points in time; stored as epoch milliseconds (UTC) in Float64Array.
 * - `id`: unique keys; stored like categorical (the text as written).
 * - `text`: free text; stored like categorical.
 */
export type ColumnType = 'numerical' | 'categorical' | 'boolean' | 'datetime' | 'id' | 'text';

export const COLUMN_TYPES: readonly ColumnType[] = ['numerical', 'categorical', 'boolean', 'datetime', 'id', 'text'];

/** Kinds of personally identifying values. A column with `pii` is never copied into synthetic data. */
export type PiiKind =
  | 'email'
  | 'phone'
  | 'person_name'
  | 'street_address'
  | 'national_id'
  | 'credit_card'
  | 'ip_address'
  | 'url'
  | 'postcode';

export const PII_KINDS: readonly PiiKind[] = [
  'email',
  'phone',
  'person_name',
  'street_address',
  'national_id',
  'credit_card',
  'ip_address',
  'url',
  'postcode',
];

/** Physical storage of a column. */
export type Storage = 'numeric' | 'categorical';

/** Storage used for each semantic type. */
export function storageOf(type: ColumnType): Storage {
  return type === 'numerical' || type === 'datetime' ? 'numeric' : 'categorical';
}

/** How one column is typed and how its values are written back out. */
export interface ColumnSpec {
  name: string;
  type: ColumnType;
  /** Whether missing values occur (or may occur). */
  nullable: boolean;
  /** Set when the column holds personal data of this kind. */
  pii?: PiiKind;
  /** numerical: only whole numbers seen. */
  integer?: boolean;
  /** numerical: the most digits after the decimal point seen (0 for integers). */
  decimals?: number;
  /**
   * numerical: the fewest digits after the decimal point seen, set only when it differs from `decimals`. Writers
   * then print each value rounded to `decimals` without trailing zeros beyond `minDecimals` (so `22.0`, `0.42`
   * and `7.25` come back as written); without it every value gets exactly `decimals` digits.
   */
  minDecimals?: number;
  /**
   * datetime: the detected format, in tokens YYYY MM DD HH mm ss SSS and literal separators, e.g.
   * `YYYY-MM-DD HH:mm:ss`, `MM/DD/YYYY`; `iso` for full ISO 8601 with zone; `epoch_ms` / `epoch_s` for numbers.
   */
  format?: string;
  /** boolean: the tokens used for true and false in the input, e.g. `Yes` / `No`. */
  trueToken?: string;
  falseToken?: string;
  /** The token that stood for a missing value in the input (`''`, `NA`, `?`, `null`, ...). Writers use it. */
  missingToken?: string;
  /** categorical: an ordered category list (ordinal); otherwise order is by first appearance. */
  categories?: string[];
  /** Free-form description for data cards. */
  description?: string;
}

/** A table's schema: versioned JSON, written by `synthops inspect --schema-out`, read by `--schema FILE`. */
export interface Schema {
  specVersion: 1;
  columns: ColumnSpec[];
  primaryKey?: string;
  /** The prediction target, when known. */
  target?: string;
}

/** Finds a column spec by name or throws `not_found`. */
export function columnSpec(schema: Schema, name: string): ColumnSpec {
  const c = schema.columns.find((c) => c.name === name);
  if (!c) throw new SynthopsError('not_found', `invalid column: "${name}". No such column; columns are ${listNames(schema)}.`, { column: name });
  return c;
}

export function listNames(schema: Schema, max = 12): string {
  const names = schema.columns.map((c) => JSON.stringify(c.name));
  return names.length > max ? names.slice(0, max).join(', ') + `, … (${names.length} in all)` : names.join(', ');
}

/**
 * Checks a value read from JSON and returns it as a Schema, or throws a ValidationError listing
 * every problem. `source` names the file in messages.
 */
export function validateSchema(value: unknown, source = 'schema'): Schema {
  const issues: ValidationIssue[] = [];
  const push = (path: string, message: string) => issues.push({ file: source, path, message: `${path}: ${message}` });
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError([{ file: source, message: 'invalid schema: expected a JSON object with "specVersion": 1 and "columns".' }]);
  }
  const v = value as Record<string, unknown>;
  if (v.specVersion !== 1) push('specVersion', `invalid specVersion: ${JSON.stringify(v.specVersion)}. This version of synthops reads specVersion 1.`);
  if (!Array.isArray(v.columns)) {
    push('columns', 'invalid columns: expected an array of column specs.');
    throw new ValidationError(issues);
  }
  const seen = new Set<string>();
  v.columns.forEach((c: unknown, i: number) => {
    const p = `columns/${i}`;
    if (!c || typeof c !== 'object') return push(p, 'invalid column spec: expected an object.');
    const cs = c as Record<string, unknown>;
    if (typeof cs.name !== 'string' || cs.name === '') push(`${p}/name`, 'invalid name: expected a non-empty string.');
    else if (seen.has(cs.name)) push(`${p}/name`, `invalid name: "${cs.name}" appears twice.`);
    else seen.add(cs.name);
    if (!COLUMN_TYPES.includes(cs.type as ColumnType))
      push(`${p}/type`, `invalid type: ${JSON.stringify(cs.type)}. Use one of ${COLUMN_TYPES.join(', ')}.`);
    if (cs.nullable !== undefined && typeof cs.nullable !== 'boolean') push(`${p}/nullable`, 'invalid nullable: expected true or false.');
    if (cs.pii !== undefined && !PII_KINDS.includes(cs.pii as PiiKind))
      push(`${p}/pii`, `invalid pii: ${JSON.stringify(cs.pii)}. Use one of ${PII_KINDS.join(', ')}.`);
    if (cs.decimals !== undefined && !(Number.isInteger(cs.decimals) && (cs.decimals as number) >= 0 && (cs.decimals as number) <= 20))
      push(`${p}/decimals`, `invalid decimals: ${JSON.stringify(cs.decimals)}. Use a whole number from 0 to 20.`);
    if (cs.minDecimals !== undefined && !(Number.isInteger(cs.minDecimals) && (cs.minDecimals as number) >= 0 && (cs.minDecimals as number) <= 20))
      push(`${p}/minDecimals`, `invalid minDecimals: ${JSON.stringify(cs.minDecimals)}. Use a whole number from 0 to 20.`);
    if (cs.categories !== undefined && !(Array.isArray(cs.categories) && cs.categories.every((x) => typeof x === 'string')))
      push(`${p}/categories`, 'invalid categories: expected an array of strings.');
  });
  if (v.primaryKey !== undefined && !seen.has(v.primaryKey as string)) push('primaryKey', `invalid primaryKey: ${JSON.stringify(v.primaryKey)}. It must name a column.`);
  if (v.target !== undefined && !seen.has(v.target as string)) push('target', `invalid target: ${JSON.stringify(v.target)}. It must name a column.`);
  if (issues.length) throw new ValidationError(issues);
  const columns = (v.columns as Record<string, unknown>[]).map((c) => ({ ...c, nullable: c.nullable ?? true }) as ColumnSpec);
  const out: Schema = { specVersion: 1, columns };
  if (v.primaryKey !== undefined) out.primaryKey = v.primaryKey as string;
  if (v.target !== undefined) out.target = v.target as string;
  return out;
}
