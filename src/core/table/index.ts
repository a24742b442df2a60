export { Table, type Row } from './table.js';
export { NumericColumn, CategoricalColumn, type Column, type CellValue } from './column.js';
export {
  COLUMN_TYPES,
  PII_KINDS,
  storageOf,
  columnSpec,
  validateSchema,
  type ColumnType,
  type PiiKind,
  type Storage,
  type ColumnSpec,
  type Schema,
} from './schema.js';
