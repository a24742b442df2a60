import { SynthopsError } from '../errors.js';
import type { ColumnType } from '../table/schema.js';
import type { Table } from '../table/table.js';

/**
 * One column seen across several tables (training, synthetic, holdout) on a common footing:
 * numeric columns keep their Float64Array values (NaN = missing); categorical columns are recoded onto one
 * shared dictionary (the first table's labels first, then labels only later tables use), -1 = missing.
 */
export type AlignedColumn =
  | { name: string; type: ColumnType; kind: 'numeric'; values: Float64Array[] }
  | { name: string; type: ColumnType; kind: 'categorical'; codes: Int32Array[]; levels: number; dictionary: string[] };

/** Column types that the fidelity and detection metrics compare; ids and free text are left out. */
export const COMPARED_TYPES: readonly ColumnType[] = ['numerical', 'datetime', 'categorical', 'boolean'];

/**
 * Aligns the columns of `tables` by name: every table must have every column named by the first table's schema
 * with the same storage, else `schema_mismatch` listing the problems. `types` (default COMPARED_TYPES) picks the
 * columns kept. O(rows) per column; numeric values are shared, not copied.
 * @example const [age] = alignTables([real, synth]).filter((c) => c.name === 'age');
 */
export function alignTables(tables: readonly Table[], types: readonly ColumnType[] = COMPARED_TYPES): AlignedColumn[] {
  if (tables.length === 0) throw new SynthopsError('invalid_argument', 'invalid tables: none given. Pass at least one table.');
  const first = tables[0];
  const problems: string[] = [];
  for (let t = 1; t < tables.length; t++) {
    for (const spec of first.schema.columns) {
      if (!tables[t].has(spec.name)) problems.push(`column "${spec.name}" is missing from table ${t + 1}`);
      else if (tables[t].column(spec.name).storage !== first.column(spec.name).storage) problems.push(`column "${spec.name}" is numeric in one table and categorical in another`);
    }
  }
  if (problems.length) throw new SynthopsError('schema_mismatch', `invalid tables: ${problems.join('; ')}. Compare tables with the same columns and types.`);
  const out: AlignedColumn[] = [];
  for (const spec of first.schema.columns) {
    if (!types.includes(spec.type)) continue;
    const c0 = first.column(spec.name);
    if (c0.storage === 'numeric') {
      out.push({ name: spec.name, type: spec.type, kind: 'numeric', values: tables.map((t) => t.numeric(spec.name).values) });
      continue;
    }
    const index = new Map<string, number>();
    const dictionary: string[] = [];
    const codes: Int32Array[] = [];
    for (const t of tables) {
      const c = t.categorical(spec.name);
      const map = new Int32Array(c.dictionary.length);
      for (let i = 0; i < c.dictionary.length; i++) {
        const label = c.dictionary[i];
        let k = index.get(label);
        if (k === undefined) {
          k = dictionary.length;
          dictionary.push(label);
          index.set(label, k);
        }
        map[i] = k;
      }
      const src = c.codes;
      const dst = new Int32Array(src.length);
      for (let i = 0; i < src.length; i++) dst[i] = src[i] < 0 ? -1 : map[src[i]];
      codes.push(dst);
    }
    out.push({ name: spec.name, type: spec.type, kind: 'categorical', codes, levels: dictionary.length, dictionary });
  }
  return out;
}
