import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SynthopsError } from '../../core/errors.js';
import { summarizeColumns, type ColumnSummary } from '../../core/table/infer-summary.js';
import type { Schema } from '../../core/table/schema.js';
import { validateSchema } from '../../core/table/schema.js';
import { schemaFromSdvMetadata } from '../../core/table/sdv.js';
import { writeFileAtomic } from '../../node/io/atomic.js';
import { readTable } from '../../node/io/read.js';
import type { CliIO } from '../context.js';
import type { RegisterCommand } from './index.js';

interface InspectFlags {
  json?: boolean;
  schema?: string;
  schemaOut?: string;
  sdvMetadata?: string;
  delimiter?: string;
}

/**
 * `synthops inspect FILE [--json] [--schema FILE] [--schema-out FILE] [--sdv-metadata FILE] [--delimiter C]`:
 * reads a table (CSV/TSV/JSONL/Parquet), infers its schema (or applies the one given) and prints one line per
 * column: type, share of missing values, distinct count, range or top categories, PII kind. Values of PII, id and
 * text columns are never printed. `--json` prints `{ file, rows, columns: [{ name, type, nullShare, distinct, pii,
 * min?, max?, top? }], schema }` on stdout instead. `--schema-out` writes the schema as versioned JSON that
 * `--schema` reads back on any command.
 */
export const registerInspect: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('inspect')
    .description('Show the inferred schema of a data file: types, missing values, distinct counts, PII.')
    .argument('<file>', 'data file: .csv .tsv .txt .jsonl .ndjson .parquet')
    .option('--json', 'print machine-readable JSON on stdout')
    .option('--schema <file>', 'use this synthops schema JSON instead of inferring (columns it omits are inferred)')
    .option('--sdv-metadata <file>', 'use column types from SDV single-table metadata JSON')
    .option('--schema-out <file>', 'write the schema as JSON to this file')
    .option('--delimiter <char>', 'CSV delimiter (default: detected)')
    .addHelpText('after', '\nExample:\n  synthops inspect examples/census.csv --schema-out census.schema.json\n')
    .action(async (file: string, flags: InspectFlags) => {
      const path = resolve(io.cwd, file);
      const schema = await loadSchemaFlags(io, flags);
      const table = await readTable(path, { schema, delimiter: flags.delimiter, signal: io.signal, displayPath: file });
      const columns = summarizeColumns(table);
      if (flags.schemaOut) await writeFileAtomic(resolve(io.cwd, flags.schemaOut), JSON.stringify(table.schema, null, 2) + '\n');
      if (flags.json) {
        io.stdout(JSON.stringify({ file, rows: table.numRows, columns, schema: table.schema }, null, 2) + '\n');
        return;
      }
      io.stdout(renderInspect(file, table.numRows, columns));
      if (flags.schemaOut) io.stderr(`schema written to ${flags.schemaOut}\n`);
    });
};

/** Reads `--schema` (synthops schema JSON) or `--sdv-metadata` (SDV metadata JSON); undefined when neither. */
export async function loadSchemaFlags(io: CliIO, flags: { schema?: string; sdvMetadata?: string }): Promise<Schema | undefined> {
  if (flags.schema && flags.sdvMetadata)
    throw new SynthopsError('invalid_argument', 'invalid options: --schema and --sdv-metadata were both given. Pass one of them.');
  if (flags.schema) return validateSchema(await readJsonFile(resolve(io.cwd, flags.schema), flags.schema), flags.schema);
  if (flags.sdvMetadata) return schemaFromSdvMetadata(await readJsonFile(resolve(io.cwd, flags.sdvMetadata), flags.sdvMetadata), flags.sdvMetadata);
  return undefined;
}

async function readJsonFile(path: string, shown: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SynthopsError('not_found', 'invalid file: it does not exist. Check the path.', { file: shown });
    if (code === 'EISDIR') throw new SynthopsError('invalid_argument', 'invalid file: it is a directory. Name a JSON file.', { file: shown });
    throw new SynthopsError('invalid_argument', `invalid file: cannot read it (${code ?? 'unknown error'}).`, { file: shown });
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : undefined;
    throw new SynthopsError('invalid_input', 'invalid JSON: the file does not parse. Check commas, quotes and brackets.', { file: shown, line });
  }
}

/**
 * The terminal table for `inspect`: a title line, then one aligned row per column.
 * @example renderInspect('adult.csv', 32561, summaries);
 */
export function renderInspect(file: string, rows: number, columns: ColumnSummary[]): string {
  const head = ['column', 'type', 'missing', 'distinct', 'range / top values', 'pii'];
  const body = columns.map((c) => [
    c.name,
    c.type,
    c.nullShare === 0 ? '0' : c.nullShare < 0.001 ? '<0.1%' : (c.nullShare * 100).toFixed(1) + '%',
    String(c.distinct),
    detail(c),
    c.pii ?? '',
  ]);
  const widths = head.map((h, k) => Math.max(h.length, ...body.map((r) => r[k].length)));
  const line = (r: string[]) => r.map((x, k) => (k === 2 || k === 3 ? x.padStart(widths[k]) : x.padEnd(widths[k]))).join('  ').trimEnd() + '\n';
  return `${file}: ${rows} rows, ${columns.length} columns\n\n` + line(head) + line(widths.map((w) => '-'.repeat(w))) + body.map(line).join('');
}

function detail(c: ColumnSummary): string {
  if (c.pii) return '(personal data: values hidden)';
  if (c.min !== undefined && c.max !== undefined) return `${fmt(c.min)} … ${fmt(c.max)}`;
  if (c.top) {
    const s = c.top.map((t) => `${clip(t.value)} (${t.count})`).join(', ');
    return c.distinct > c.top.length ? s + ', …' : s;
  }
  return '';
}

function fmt(v: number | string): string {
  return typeof v === 'number' ? String(Number(v.toPrecision(8))) : v;
}

function clip(s: string): string {
  const t = s.replace(/[\r\n\t]+/g, ' ');
  return t.length > 24 ? t.slice(0, 23) + '…' : t;
}
