import { ValidationError, type ValidationIssue } from '../errors.js';
import { strftimeToFormat } from './datetime.js';
import type { ColumnSpec, ColumnType, PiiKind, Schema } from './schema.js';

/** SDV sdtypes that are personal data, and the PII kind each maps to. */
const SDV_PII: Readonly<Record<string, PiiKind>> = {
  email: 'email',
  phone_number: 'phone',
  name: 'person_name',
  first_name: 'person_name',
  last_name: 'person_name',
  address: 'street_address',
  street_address: 'street_address',
  ssn: 'national_id',
  credit_card_number: 'credit_card',
  ipv4_address: 'ip_address',
  ipv6_address: 'ip_address',
  ip_address: 'ip_address',
  url: 'url',
  postcode: 'postcode',
  zipcode: 'postcode',
};
const SDV_TYPES: Readonly<Record<string, ColumnType>> = {
  numerical: 'numerical',
  categorical: 'categorical',
  boolean: 'boolean',
  datetime: 'datetime',
  id: 'id',
  text: 'text',
};

/**
 * Imports SDV single-table metadata (`{"columns": {name: {"sdtype": ...}}, "primary_key"?: ...}`, or the
 * multi-table form `{"tables": {name: {...}}}` holding exactly one table) as a synthops Schema:
 * numerical/categorical/boolean/datetime/id/text map one to one; `datetime_format` (strftime, e.g.
 * `%Y-%m-%d`) becomes `format`; `computer_representation` `Int*` sets `integer`; PII sdtypes (email,
 * phone_number, name, address, ssn, credit_card_number, ipv4_address, url, postcode, ...) set `pii` with type
 * `text`; other semantic sdtypes become `categorical`. Columns not listed are inferred when reading.
 * Throws a ValidationError listing every problem, `source` naming the file.
 *
 * @example
 * schemaFromSdvMetadata({ columns: { age: { sdtype: 'numerical' }, d: { sdtype: 'datetime', datetime_format: '%Y-%m-%d' } } });
 * // { specVersion: 1, columns: [{ name: 'age', type: 'numerical', ... }, { name: 'd', type: 'datetime', format: 'YYYY-MM-DD', ... }] }
 */
export function schemaFromSdvMetadata(value: unknown, source = 'SDV metadata'): Schema {
  const issues: ValidationIssue[] = [];
  let meta = value as Record<string, unknown> | null;
  if (meta && typeof meta === 'object' && meta.tables && typeof meta.tables === 'object') {
    const tables = Object.values(meta.tables as Record<string, unknown>);
    if (tables.length !== 1)
      throw new ValidationError([{ file: source, message: `invalid SDV metadata: it describes ${tables.length} tables. synthops imports single-table metadata.` }]);
    meta = tables[0] as Record<string, unknown>;
  }
  if (!meta || typeof meta !== 'object' || !meta.columns || typeof meta.columns !== 'object' || Array.isArray(meta.columns))
    throw new ValidationError([{ file: source, message: 'invalid SDV metadata: expected an object with "columns": { name: { "sdtype": ... } }.' }]);
  const columns: ColumnSpec[] = [];
  for (const [name, raw] of Object.entries(meta.columns as Record<string, unknown>)) {
    const c = raw as Record<string, unknown>;
    const sdtype = c && typeof c === 'object' ? c.sdtype : undefined;
    if (typeof sdtype !== 'string') {
      issues.push({ file: source, column: name, path: `columns/${name}/sdtype`, message: 'invalid sdtype: expected a string such as "numerical".' });
      continue;
    }
    const spec: ColumnSpec = { name, type: SDV_TYPES[sdtype] ?? 'categorical', nullable: true };
    const pii = SDV_PII[sdtype];
    if (pii) {
      spec.type = 'text';
      spec.pii = pii;
    }
    if (spec.type === 'datetime' && typeof c.datetime_format === 'string') {
      const f = strftimeToFormat(c.datetime_format);
      if (!f) issues.push({ file: source, column: name, path: `columns/${name}/datetime_format`, message: `invalid datetime_format: ${JSON.stringify(c.datetime_format)}. Supported directives: %Y %m %d %H %M %S %f %z.` });
      else spec.format = f;
    }
    if (spec.type === 'numerical' && typeof c.computer_representation === 'string' && /^u?int/i.test(c.computer_representation)) {
      spec.integer = true;
      spec.decimals = 0;
    }
    columns.push(spec);
  }
  if (issues.length) throw new ValidationError(issues);
  const schema: Schema = { specVersion: 1, columns };
  if (typeof meta.primary_key === 'string') schema.primaryKey = meta.primary_key;
  return schema;
}
