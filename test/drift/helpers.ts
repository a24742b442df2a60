import { CategoricalColumn, NumericColumn } from '../../src/core/table/column.js';
import type { ColumnType } from '../../src/core/table/schema.js';
import { Table } from '../../src/core/table/table.js';
import { profileTable, type ColumnProfile } from '../../src/core/profile/profile.js';

/** Profile of one numeric column `x` with the given values (null = missing). */
export function numProfile(values: ArrayLike<number | null>, name = 'x', type: ColumnType = 'numerical'): ColumnProfile {
  const t = new Table({ specVersion: 1, columns: [{ name, type, nullable: true }] }, [NumericColumn.from(values)]);
  return profileTable(t).columns[0];
}

/** Profile of one categorical column `x` with the given labels (null = missing). */
export function catProfile(values: (string | null)[], name = 'x', type: ColumnType = 'categorical'): ColumnProfile {
  const t = new Table({ specVersion: 1, columns: [{ name, type, nullable: true }] }, [CategoricalColumn.from(values)]);
  return profileTable(t).columns[0];
}

/** `n` copies of `label`. */
export const rep = <T,>(label: T, n: number): T[] => Array.from({ length: n }, () => label);
