import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { SynthopsError, throwIfAborted } from '../../core/errors.js';
import { TableBuilder } from '../../core/table/infer-builder.js';
import type { Schema } from '../../core/table/schema.js';
import type { Table } from '../../core/table/table.js';
import { CsvParser } from './csv-parser.js';
import { formatOf, type TableFormat } from './format.js';
import { readJsonLines } from './jsonl.js';
import { readParquet } from './parquet.js';

/** Options for `readTable`. All optional. */
export interface ReadOptions {
  /** Use these column specs instead of inferring (columns it does not list are still inferred). Default: infer. */
  schema?: Schema;
  /** Force a format instead of choosing by extension. Default: by extension. */
  format?: TableFormat;
  /** CSV field delimiter. Default: detected from the first lines among `,` `\t` `;` `|` (`\t` for .tsv). */
  delimiter?: string;
  /** Cancels a long read. */
  signal?: AbortSignal;
  /** How error messages name the file (e.g. the path as the user typed it). Default: `path`. */
  displayPath?: string;
}

/**
 * Reads a table file into a typed Table, inferring the schema (see `inferColumnSpec`) unless `opts.schema` is
 * given. The format comes from the extension: `.csv`/`.txt` (delimiter detected), `.tsv`, `.jsonl`/`.ndjson`,
 * `.parquet`. CSV is streamed: values go straight into typed column builders, so memory grows with the number of
 * cells (≈ 9 bytes per number) rather than with the text. Handles quotes, embedded newlines, a UTF-8 BOM and CRLF.
 *
 * Errors are SynthopsErrors naming the file (and row/column where it applies) and never quoting data values:
 * missing file (`not_found`), directory, empty file, header only, ragged rows, invalid UTF-8, binary content,
 * empty or duplicate column names, unknown extension, malformed Parquet (all `invalid_input`/`invalid_argument`).
 *
 * @example
 * const t = await readTable('../shared/datasets/adult.csv');
 * t.spec('age').type; // 'numerical'
 */
export async function readTable(path: string, opts: ReadOptions = {}): Promise<Table> {
  const shown = opts.displayPath ?? path;
  const size = await statFile(path, shown);
  const format = formatOf(shown, opts.format);
  await sniffFile(path, shown, size, format);
  let builder: TableBuilder;
  if (format === 'parquet') builder = await readParquet(path, shown);
  else if (format === 'jsonl') builder = await readJsonLines(decodedText(path, shown), shown, opts.signal);
  else builder = await readDelimited(path, shown, format === 'tsv' ? '\t' : opts.delimiter, opts.signal);
  if (builder.numRows === 0) throw new SynthopsError('invalid_input', 'invalid file: it has a header but no data rows.', { file: shown });
  throwIfAborted(opts.signal);
  return builder.finish({ schema: opts.schema, file: shown });
}

/** The file's size; errors for a missing path, a directory or an unreadable file. */
async function statFile(path: string, shown: string): Promise<number> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SynthopsError('not_found', 'invalid file: it does not exist. Check the path.', { file: shown });
    if (code === 'EACCES') throw new SynthopsError('invalid_argument', 'invalid file: permission denied.', { file: shown });
    throw new SynthopsError('invalid_argument', `invalid file: cannot open it (${code ?? 'unknown error'}).`, { file: shown });
  }
  if (st.isDirectory()) throw new SynthopsError('invalid_argument', 'invalid file: it is a directory. Name a data file.', { file: shown });
  return st.size;
}

/** Empty files, and binary content in a text format (a NUL byte in the first 8 KiB), are errors. */
async function sniffFile(path: string, shown: string, size: number, format: TableFormat): Promise<void> {
  if (size === 0) throw new SynthopsError('invalid_input', 'invalid file: it is empty.', { file: shown });
  if (format === 'parquet') return;
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(8192, size));
    await fh.read(buf, 0, buf.length, 0);
    if (buf.includes(0)) throw new SynthopsError('invalid_input', 'invalid file: it looks binary (it contains NUL bytes), not text.', { file: shown });
  } finally {
    await fh.close();
  }
}

/**
 * The file's text as a stream of strings (`chunkBytes` bytes at a time, default 64 KiB): strict UTF-8 (invalid
 * bytes are an error naming the line), BOM removed.
 */
export async function* decodedText(path: string, shown = path, chunkBytes = 1 << 16): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let offset = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: chunkBytes })) {
    const bytes = chunk as Buffer;
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      throw new SynthopsError('invalid_input', 'invalid text encoding: the file is not valid UTF-8. Re-save it as UTF-8.', { file: shown, line: await lineOfBadUtf8(path, offset, bytes) });
    }
    offset += bytes.length;
    if (text) yield text;
  }
  let tail: string;
  try {
    tail = decoder.decode();
  } catch {
    throw new SynthopsError('invalid_input', 'invalid text encoding: the file ends inside a UTF-8 character. Re-save it as UTF-8.', { file: shown });
  }
  if (tail) yield tail;
}

/** 1-based line of the first invalid UTF-8 sequence in `bytes` (which start at byte `offset` of the file). */
async function lineOfBadUtf8(path: string, offset: number, bytes: Buffer): Promise<number> {
  // Only on the error path: count the newlines before the chunk, then up to the first bad sequence in it.
  let lines = 1;
  if (offset > 0) {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(Math.min(offset, 1 << 20));
      for (let pos = 0; pos < offset; pos += buf.length) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, offset - pos), pos);
        for (let i = 0; i < bytesRead; i++) if (buf[i] === 10) lines++;
      }
    } finally {
      await fh.close();
    }
  }
  const partial = new TextDecoder('utf-8').decode(bytes);
  const at = partial.indexOf('\uFFFD');
  for (let i = 0; i < at; i++) if (partial.charCodeAt(i) === 10) lines++;
  return lines;
}

/** Candidate delimiters, in order of preference on ties. */
const DELIMITERS = [',', '\t', ';', '|'];

/**
 * Picks the delimiter that occurs the same non-zero number of times (outside quotes) on each of the first lines,
 * preferring the most frequent; `,` when none is consistent.
 * @example detectDelimiter('a;b;c\n1;2;3\n'); // ';'
 */
export function detectDelimiter(head: string): string {
  const lines: string[] = [];
  let cur = '', inQ = false;
  for (let i = 0; i < head.length && lines.length < 10; i++) {
    const ch = head[i];
    if (ch === '"') inQ = !inQ;
    if (ch === '\n' && !inQ) {
      lines.push(cur.replace(/\r$/, ''));
      cur = '';
    } else if (!inQ) cur += ch;
  }
  if (cur && lines.length < 10 && head.length < 65536) lines.push(cur);
  let best = ',', bestCount = 0;
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => l.split(d).length - 1);
    if (!counts.length || counts[0] === 0 || !counts.every((c) => c === counts[0])) continue;
    if (counts[0] > bestCount) {
      best = d;
      bestCount = counts[0];
    }
  }
  return best;
}

/** Checks header names: none empty, none repeated. */
export function checkHeader(names: readonly string[], file: string): void {
  names.forEach((n, j) => {
    if (n.trim() === '') throw new SynthopsError('invalid_input', `invalid header: column ${j + 1} has no name. Give every column a name.`, { file, line: 1 });
    const k = names.indexOf(n);
    if (k !== j) throw new SynthopsError('invalid_input', `invalid header: columns ${k + 1} and ${j + 1} have the same name. Column names must be unique.`, { file, line: 1, column: n });
  });
}

async function readDelimited(path: string, shown: string, delimiter: string | undefined, signal?: AbortSignal): Promise<TableBuilder> {
  const text = decodedText(path, shown, 1 << 20);
  const first = await text.next();
  if (first.done || first.value.trim() === '') throw new SynthopsError('invalid_input', 'invalid file: it is empty.', { file: shown });
  const head = first.value;
  const parser = new CsvParser({
    delimiter: delimiter ?? detectDelimiter(head.slice(0, 65536)),
    newline: !head.includes('\n') && head.includes('\r') ? '\r' : '\n',
    file: shown,
    start: (names) => {
      checkHeader(names, shown);
      return new TableBuilder(names);
    },
  });
  parser.write(head);
  for await (const chunk of text) {
    throwIfAborted(signal);
    parser.write(chunk);
  }
  return parser.end();
}
