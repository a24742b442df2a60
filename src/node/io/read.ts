// BASELINE reader (to be replaced by the full I/O layer of the foundation issue): reads a whole CSV
// with papaparse and types columns simply (all-numeric → numerical, else categorical).
import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import { SynthopsError } from '../../core/errors.js';
import { CategoricalColumn, NumericColumn, type Column } from '../../core/table/column.js';
import type { ColumnSpec, Schema } from '../../core/table/schema.js';
import { Table } from '../../core/table/table.js';

export interface ReadOptions {
  /** Use this schema instead of inferring one. */
  schema?: Schema;
}

/** Reads a table file (CSV for now) into a typed Table. */
export async function readTable(path: string, opts: ReadOptions = {}): Promise<Table> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new SynthopsError('not_found', `cannot read file: ${(e as Error).message}`, { file: path });
  }
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { header: false, skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  if (!header) throw new SynthopsError('invalid_input', 'the file is empty.', { file: path });
  const specs: ColumnSpec[] = [];
  const cols: Column[] = header.map((name, j) => {
    const given = opts.schema?.columns.find((c) => c.name === name);
    const raw = rows.map((r) => (r[j] === undefined || r[j] === '' ? null : r[j]));
    const nums = raw.map((x) => (x === null ? NaN : Number(x)));
    const numeric = given ? given.type === 'numerical' : raw.every((x, i) => x === null || Number.isFinite(nums[i]));
    const nullable = raw.some((x) => x === null);
    if (numeric) {
      const integer = nums.every((x) => x !== x || Number.isInteger(x));
      specs.push(given ?? { name, type: 'numerical', nullable, integer, decimals: integer ? 0 : maxDecimals(raw) });
      return NumericColumn.from(nums);
    }
    specs.push(given ?? { name, type: 'categorical', nullable });
    return CategoricalColumn.from(raw);
  });
  return new Table({ specVersion: 1, columns: specs }, cols);
}

function maxDecimals(raw: (string | null)[]): number {
  let d = 0;
  for (const x of raw) {
    if (x === null) continue;
    const k = x.indexOf('.');
    if (k >= 0) d = Math.max(d, x.length - k - 1);
  }
  return d;
}
