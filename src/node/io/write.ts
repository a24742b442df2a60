import { parquetWriteBuffer } from 'hyparquet-writer';
import { SynthopsError } from '../../core/errors.js';
import type { CategoricalColumn, Column, NumericColumn } from '../../core/table/column.js';
import { compileDatetimeFormat } from '../../core/table/datetime.js';
import type { ColumnSpec } from '../../core/table/schema.js';
import type { Table } from '../../core/table/table.js';
import { withAtomicFile, writeFileAtomic } from './atomic.js';
import { formatOf, type TableFormat } from './format.js';

/** Options for `writeTable`. All optional. */
export interface WriteOptions {
  /** Force a format instead of choosing by extension. Default: by extension (.csv .tsv .jsonl .parquet ...). */
  format?: TableFormat;
  /** CSV delimiter. Default `,` (`\t` for .tsv). */
  delimiter?: string;
}

/**
 * Writes a table to `path` in the format its extension names, keeping the input's representation as recorded in
 * the schema: numbers with the column's `decimals` (integers without `.0`; with `minDecimals`, the shortest form
 * of at least that many decimals; without `decimals`, the shortest text that reads back as the same double, which
 * may use exponent notation such as `1.5e-7`; negative zero as `-0`), datetimes in the column's `format`,
 * booleans and categories as their labels, missing values as the column's `missingToken` (empty by default;
 * `null` in JSON lines and Parquet). Datetimes go to Parquet as formatted text too, so a round trip keeps the
 * format. The file is written to a temporary file in the same folder, fsynced and renamed; nothing is left
 * behind on error.
 *
 * @example
 * await writeTable('out/synthetic.csv', table);
 */
export async function writeTable(path: string, table: Table, opts: WriteOptions = {}): Promise<void> {
  const format = formatOf(path, opts.format);
  if (format === 'parquet') return writeFileAtomic(path, new Uint8Array(parquetBuffer(table)));
  if (format === 'jsonl') return writeChunks(path, jsonlLines(table));
  const delim = opts.delimiter ?? (format === 'tsv' ? '\t' : ',');
  if (delim.length !== 1 || delim === '"' || delim === '\n' || delim === '\r')
    throw new SynthopsError('invalid_argument', `invalid delimiter: ${JSON.stringify(delim)}. Use one character other than a quote or newline.`);
  return writeChunks(path, csvLines(table, delim));
}

async function writeChunks(path: string, lines: Generator<string>): Promise<void> {
  await withAtomicFile(path, async (fh) => {
    let buf = '';
    for (const line of lines) {
      buf += line;
      if (buf.length > 1 << 20) {
        await fh.write(buf);
        buf = '';
      }
    }
    if (buf) await fh.write(buf);
  });
}

/** Per-column cell printer: row index → text (unquoted), or null for missing. */
type Cell = (i: number) => string | null;

/**
 * A function printing row i of a column as text in the column's representation (null when missing).
 * @example cellPrinter(spec, column)(0); // '39'
 */
export function cellPrinter(spec: ColumnSpec, col: Column): Cell {
  if (col.storage === 'categorical') {
    const c = col as CategoricalColumn;
    return (i) => {
      const k = c.codes[i];
      return k < 0 ? null : c.dictionary[k];
    };
  }
  const v = (col as NumericColumn).values;
  const nulls = (col as NumericColumn).nulls;
  if (spec.type === 'datetime') {
    const f = compileDatetimeFormat(!spec.format || spec.format === 'iso' ? 'YYYY-MM-DDTHH:mm:ss.SSSZ' : spec.format);
    return (i) => (nulls?.[i] || v[i] !== v[i] ? null : f.format(v[i]));
  }
  const d = spec.decimals ?? (spec.integer ? 0 : undefined);
  // No decimals recorded (e.g. the input used exponent notation): the shortest text that reads back as exactly
  // this double (JavaScript's, so tiny and huge values use exponent notation), negative zero with its sign.
  if (d === undefined) return (i) => (nulls?.[i] || v[i] !== v[i] ? null : v[i] === 0 && 1 / v[i] < 0 ? '-0' : String(v[i]));
  const minD = spec.minDecimals !== undefined && spec.minDecimals < d ? spec.minDecimals : d;
  return (i) => {
    const x = v[i];
    if (nulls?.[i] || x !== x) return null;
    let s = x.toFixed(d);
    if (minD < d) {
      // Shortest form: drop trailing zeros of the fraction down to minD digits (and the point when none is left).
      let end = s.length;
      const stop = end - d + minD;
      while (end > stop && s.charCodeAt(end - 1) === 48) end--;
      if (minD === 0 && s.charCodeAt(end - 1) === 46) end--;
      s = s.slice(0, end);
    }
    // Negative zero keeps its sign (it reads back as -0); a value that only rounds to zero prints without one.
    if (x === 0 && 1 / x < 0) return '-' + s;
    return s.charCodeAt(0) === 45 && Number(s) === 0 ? s.slice(1) : s;
  };
}

function quoter(delim: string): (s: string) => string {
  return (s) => {
    let needs = false;
    for (let i = 0; i < s.length; i++) {
      const ch = s[i];
      if (ch === delim || ch === '"' || ch === '\n' || ch === '\r') {
        needs = true;
        break;
      }
    }
    if (!needs && s.length && (s[0] === ' ' || s[s.length - 1] === ' ')) needs = true;
    return needs ? '"' + s.replace(/"/g, '""') + '"' : s;
  };
}

function* csvLines(table: Table, delim: string): Generator<string> {
  const q = quoter(delim);
  const specs = table.schema.columns;
  yield specs.map((s) => q(s.name)).join(delim) + '\n';
  const printers = specs.map((s, j) => {
    const col = table.columns[j];
    const miss = q(s.missingToken ?? '');
    if (col.storage === 'categorical') {
      const c = col as CategoricalColumn;
      const quoted = c.dictionary.map(q);
      return (i: number) => {
        const k = c.codes[i];
        return k < 0 ? miss : quoted[k];
      };
    }
    const p = cellPrinter(s, col);
    return (i: number) => {
      const t = p(i);
      return t === null ? miss : t;
    };
  });
  const m = printers.length;
  for (let i = 0; i < table.numRows; i++) {
    let line = printers[0](i);
    for (let j = 1; j < m; j++) line += delim + printers[j](i);
    yield line + '\n';
  }
}

function* jsonlLines(table: Table): Generator<string> {
  const specs = table.schema.columns;
  const keys = specs.map((s) => JSON.stringify(s.name) + ':');
  const printers = specs.map((s, j) => {
    const col = table.columns[j];
    const p = cellPrinter(s, col);
    const asNumber = s.type === 'numerical';
    return (i: number) => {
      const t = p(i);
      return t === null ? 'null' : asNumber ? t : JSON.stringify(t);
    };
  });
  for (let i = 0; i < table.numRows; i++) {
    let line = '{';
    for (let j = 0; j < printers.length; j++) line += (j ? ',' : '') + keys[j] + printers[j](i);
    yield line + '}\n';
  }
}

function parquetBuffer(table: Table): ArrayBuffer {
  const columnData = table.schema.columns.map((s, j) => {
    const col = table.columns[j];
    const n = table.numRows;
    if (s.type === 'numerical') {
      const c = col as NumericColumn;
      const data = new Array<number | null>(n);
      for (let i = 0; i < n; i++) data[i] = c.nulls?.[i] || c.values[i] !== c.values[i] ? null : c.values[i];
      return { name: s.name, data, type: 'DOUBLE' as const };
    }
    const p = cellPrinter(s, col);
    const data = new Array<string | null>(n);
    for (let i = 0; i < n; i++) data[i] = p(i);
    return { name: s.name, data, type: 'STRING' as const };
  });
  return parquetWriteBuffer({ columnData });
}
