import { SynthopsError } from '../errors.js';
import type { Table } from '../table/table.js';

/**
 * Checks a training table is usable: at least `max(2, k)` rows (fewer cannot be protected: every value
 * would be rarer than k) and at least one column.
 */
export function validateRows(table: Table, k: number): void {
  const need = Math.max(2, k);
  if (table.numColumns === 0) throw new SynthopsError('invalid_input', 'invalid table: it has no columns. A synthesizer needs at least one column.');
  if (table.numRows < need)
    throw new SynthopsError(
      'invalid_input',
      `invalid table: ${table.numRows} rows. A synthesizer needs at least ${need} rows (k = ${k}: values shared by fewer than k rows are protected).`,
    );
}
