import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { SynthopsError, ValidationError, throwIfAborted } from '../../core/errors.js';
import { ColumnBuilder, TableBuilder } from '../../core/table/infer-builder.js';
import type { Schema } from '../../core/table/schema.js';
import type { Table } from '../../core/table/table.js';
import { readDelimitedBytes } from './csv-bytes.js';
import { releaseBuffers, startCsvPartJob, splitPoint } from './csv-parallel.js';
import { CsvParser, type CsvParserOptions } from './csv-parser.js';
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
  /**
   * CSV/TSV files of at least this many bytes are parsed in two parts, the second on a worker thread (same table,
   * same errors; faster on two free cores, ~90 MB more memory). Default 256 MiB; `Infinity` never uses a worker.
   */
  parallelMinBytes?: number;
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
  else builder = await readDelimited(path, shown, size, format === 'tsv' ? '\t' : opts.delimiter, opts.signal, opts.parallelMinBytes);
  if (builder.numRows === 0) throw new SynthopsError('invalid_input', 'invalid file: it has a header but no data rows.', { file: shown });
  throwIfAborted(opts.signal);
  return builder.finish({ schema: opts.schema, file: shown });
}

/** Options for `readTableChunks`. */
export interface ChunkReadOptions extends ReadOptions {
  /** Rows per chunk (the last one may be shorter). Default 200,000. */
  rowsPerChunk?: number;
}

/**
 * Reads a table file as a sequence of Tables of about `rowsPerChunk` rows each, so a file larger than memory can
 * be summarised (e.g. profiled) chunk by chunk: memory holds one chunk, never the whole file. Every chunk has
 * the same schema: the one given, else the one inferred from the first chunk (so choose chunks large enough for
 * inference to see the data's forms). A later value that does not fit that schema is an error naming the file,
 * the row (counted over the whole file) and the column, with a hint to pass a schema.
 * CSV/TSV are streamed; JSON lines and Parquet are read whole and come as one chunk.
 *
 * @example
 * for await (const chunk of readTableChunks('big.csv')) profile = merge(profile, profileTable(chunk));
 */
export async function* readTableChunks(path: string, opts: ChunkReadOptions = {}): AsyncGenerator<Table> {
  const shown = opts.displayPath ?? path;
  const size = await statFile(path, shown);
  const format = formatOf(shown, opts.format);
  if (format === 'parquet' || format === 'jsonl') {
    yield await readTable(path, opts);
    return;
  }
  await sniffFile(path, shown, size, format);
  const per = Math.max(1, opts.rowsPerChunk ?? 200_000);
  let schema = opts.schema;
  let offset = 0;
  const finish = (b: TableBuilder): Table => {
    let t: Table;
    try {
      t = b.finish({ schema, file: shown });
    } catch (e) {
      if (!(e instanceof ValidationError) || schema === opts.schema) throw e;
      const issues = e.issues.map((i) => ({
        ...i,
        ...(i.row !== undefined ? { row: i.row + offset } : {}),
        message: `${i.message} (The column's type was inferred from the first ${offset} rows; pass a schema, --schema FILE, to set it.)`,
      }));
      throw new ValidationError(issues);
    }
    if (!schema || schema === opts.schema) schema = t.schema;
    offset += t.numRows;
    return t;
  };
  const full: TableBuilder[] = [];
  const { parser, text } = await delimitedParser(path, shown, size, format === 'tsv' ? '\t' : opts.delimiter, { rowsPerBuilder: per, full: (b) => full.push(b) });
  for (;;) {
    while (full.length) yield finish(full.shift()!);
    const next = await text.next();
    if (next.done) break;
    throwIfAborted(opts.signal);
    parser.write(next.value);
  }
  const last = parser.end();
  while (full.length) yield finish(full.shift()!);
  if (last.numRows === 0 && offset === 0) throw new SynthopsError('invalid_input', 'invalid file: it has a header but no data rows.', { file: shown });
  if (last.numRows > 0) yield finish(last);
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
 * bytes are an error naming the line), BOM removed. `range` reads only bytes [start, end) (cut at row ends).
 */
export async function* decodedText(path: string, shown = path, chunkBytes = 1 << 16, range: { start?: number; end?: number } = {}): AsyncGenerator<string> {
  const start = range.start ?? 0;
  // Only the file's very start can hold a byte-order mark; a U+FEFF further in is data.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: start > 0 });
  let offset = start;
  const bounds = range.end !== undefined ? { start, end: range.end - 1 } : { start };
  for await (const chunk of createReadStream(path, { highWaterMark: chunkBytes, ...bounds })) {
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

/** A CSV parser fed with the file's first chunk (delimiter and line ends detected from it), and the rest of the text. */
async function delimitedParser(
  path: string,
  shown: string,
  size: number,
  delimiter: string | undefined,
  chunking: Pick<CsvParserOptions, 'rowsPerBuilder' | 'full'> = {},
  end?: number,
): Promise<{ parser: CsvParser; text: AsyncGenerator<string>; bytesPerRow: number }> {
  const text = decodedText(path, shown, undefined, { end });
  const first = await text.next();
  if (first.done || first.value.trim() === '') throw new SynthopsError('invalid_input', 'invalid file: it is empty.', { file: shown });
  const head = first.value;
  // Room for the rows the file probably holds (its size over the first chunk's bytes per row), so the columns'
  // typed arrays are not grown by doubling and copying; a chunked read needs at most one chunk's rows.
  const bytesPerRow = measureRows(head);
  // (Also when parsing only the rows before `end`: a second part's columns are then joined on without a copy.)
  const capacity = Math.min(Math.max(1024, Math.ceil((size / bytesPerRow) * 1.02)), chunking.rowsPerBuilder ?? Infinity);
  const parser = new CsvParser({
    delimiter: delimiter ?? detectDelimiter(head.slice(0, 65536)),
    newline: !head.includes('\n') && head.includes('\r') ? '\r' : '\n',
    file: shown,
    ...chunking,
    start: (names) => {
      checkHeader(names, shown);
      return new TableBuilder(names, roomFor(capacity, names.length));
    },
  });
  parser.write(head);
  return { parser, text, bytesPerRow };
}

/** Bytes per row in the first chunk of text (Infinity with fewer than two lines: no room is made ahead). */
function measureRows(head: string): number {
  let lines = 0;
  for (let i = head.indexOf('\n'); i >= 0; i = head.indexOf('\n', i + 1)) lines++;
  return lines < 2 ? Infinity : Buffer.byteLength(head) / lines;
}

/**
 * Rows to make room for at once: the estimate, but at most 256 MiB of arrays (9 bytes per cell) in all, so a first
 * chunk unlike the rest of the file cannot make a huge allocation (past it the arrays grow by doubling).
 */
function roomFor(rows: number, columns: number): number {
  return Math.max(1024, Math.min(rows, Math.floor((256 << 20) / (9 * Math.max(1, columns)))));
}

/**
 * The file read by the byte reader (`readDelimitedBytes`), with the delimiter and the room for rows found exactly
 * as `delimitedParser` finds them (from the first 64 KiB of text); null when it must be read as text instead.
 */
async function readBytesFirst(path: string, shown: string, size: number, delimiter: string | undefined, signal?: AbortSignal): Promise<TableBuilder | null> {
  let head: string;
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(1 << 16, size));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    head = new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, bytesRead), { stream: true });
  } catch {
    return null;
  } finally {
    await fh.close();
  }
  if (head.trim() === '' || (!head.includes('\n') && head.includes('\r'))) return null;
  const capacity = Math.max(1024, Math.ceil((size / measureRows(head)) * 1.02));
  return readDelimitedBytes(path, size, {
    delimiter: delimiter ?? detectDelimiter(head.slice(0, 65536)),
    signal,
    start: (names) => {
      checkHeader(names, shown);
      return new TableBuilder(names, roomFor(capacity, names.length));
    },
  });
}

/**
 * Files at least this large are parsed in two parts, the second on a worker thread. The worker costs 90–125 MB
 * of memory (its isolate and heap, and the second part's arrays until they are joined; measured on the 120 MB
 * 1M × 20 file: peak 420–470 MB against 310–350 MB in one thread, from sources and from dist), so by default only
 * files whose tables dwarf that are split.
 */
const PARALLEL_MIN_BYTES = 256 << 20;

async function readDelimited(path: string, shown: string, size: number, delimiter: string | undefined, signal?: AbortSignal, parallelMinBytes = PARALLEL_MIN_BYTES): Promise<TableBuilder> {
  const cut = size >= parallelMinBytes && availableParallelism() >= 2 ? await splitPoint(path, size, 0.5) : -1;
  if (cut < 0) {
    const fast = await readBytesFirst(path, shown, size, delimiter, signal);
    if (fast) return fast;
    const { parser, text } = await delimitedParser(path, shown, size, delimiter);
    for await (const chunk of text) {
      throwIfAborted(signal);
      parser.write(chunk);
    }
    return parser.end();
  }
  // Two parts: the rows from `cut` on are parsed by a worker while this thread parses the rows before it; the
  // worker's columns are then joined on. Whenever that could differ from one sequential parse (the cut is not a
  // row end, the worker failed, e.g. on a bad row, or a join could change a column's inferred type), this thread
  // parses the second part itself, so the table and any error are exactly those of a sequential read.
  const job = startCsvPartJob();
  try {
    const { parser, text, bytesPerRow } = await delimitedParser(path, shown, size, delimiter, {}, cut);
    const first = parser.tableBuilder;
    if (first && parser.newline === '\n') {
      const names = first.columns.map((c) => c.name);
      job.send({ path, start: cut, end: size, delimiter: parser.delimiter, newline: '\n', names, capacity: roomFor(Math.ceil(((size - cut) / bytesPerRow) * 1.02), names.length) });
    } else job.stop();
    for await (const chunk of text) {
      throwIfAborted(signal);
      parser.write(chunk);
    }
    if (first && parser.newline === '\n' && parser.atRowStart) {
      const states = await job.result;
      job.stop(); // frees the worker's memory before the join
      throwIfAborted(signal);
      if (states) {
        const own = parser.tableBuilder!.columns;
        const next = states.map((st) => ColumnBuilder.fromState(st));
        if (next.length === own.length && own.every((c, j) => c.canAppend(next[j]))) {
          for (let j = 0; j < own.length; j++) {
            own[j].append(next[j]);
            // The part's arrays are copied: free them now rather than at some later garbage collection, so the
            // memory peak holds one column's copy, not the whole second part twice.
            releaseBuffers(states[j]);
            await new Promise((r) => setImmediate(r));
          }
          return parser.end();
        }
      }
    }
    job.stop();
    for await (const chunk of decodedText(path, shown, undefined, { start: cut })) {
      throwIfAborted(signal);
      parser.write(chunk);
    }
    return parser.end();
  } finally {
    job.stop();
  }
}
