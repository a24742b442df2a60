import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { SynthopsError, ValidationError, throwIfAborted } from '../../core/errors.js';
import { ColumnBuilder, TableBuilder, type ColumnBuilderState, type ColumnRoom } from '../../core/table/infer-builder.js';
import type { Schema } from '../../core/table/schema.js';
import type { Table } from '../../core/table/table.js';
import { ByteFileReader } from './csv-bytes.js';
import { csvPartStats, csvPartTuning, parsePartsInWorker, releaseBuffers, roomPart, sharedRooms, splitPoint, takePiece, warmCsvWorker, type CsvPartJob } from './csv-parallel.js';
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
   * same errors; it pays on files well over 100 MB with two free cores, see `readDelimited`). Default: `Infinity`,
   * never.
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
  const delimiter = format === 'tsv' ? '\t' : opts.delimiter;
  // The byte reader first (as `readTable`); where it gives up — even after some chunks — the text reader reads the
  // file from the start and its chunks go on from the first not yet given (they are the same chunks).
  let skip = 0;
  const setup = await byteSetup(path, size, delimiter);
  const reader = setup && (await ByteFileReader.open(path, { delimiter: setup.delimiter, signal: opts.signal, rowsPerBuilder: per, start: (names) => {
    checkHeader(names, shown);
    return new TableBuilder(names, roomFor(Math.min(rowsIn(size, setup.bytesPerRow), per), names.length));
  } }));
  let last: TableBuilder | null = null;
  if (reader) {
    try {
      const chunks = reader.stream(size);
      for (;;) {
        const r = await chunks.next();
        throwIfAborted(opts.signal);
        if (r.done) {
          last = r.value;
          break;
        }
        yield finish(r.value);
        skip++;
      }
    } finally {
      await reader.close();
    }
  }
  if (!last) {
    const full: TableBuilder[] = [];
    const { parser, text } = await delimitedParser(path, shown, size, delimiter, { rowsPerBuilder: per, full: (b) => full.push(b) });
    const nextFull = (): TableBuilder | undefined => {
      // (The chunks the byte reader gave already: skipped.)
      for (;;) {
        const b = full.shift();
        if (!b || skip === 0) return b;
        skip--;
      }
    };
    for (;;) {
      for (let b = nextFull(); b; b = nextFull()) yield finish(b);
      const next = await text.next();
      if (next.done) break;
      throwIfAborted(opts.signal);
      parser.write(next.value);
    }
    last = parser.end();
    for (let b = nextFull(); b; b = nextFull()) yield finish(b);
  }
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
    // (The offset given: without it Node's indexOf sees NaN and deoptimises, and the byte reader calls it once a row.)
    if (buf.includes(0, 0)) throw new SynthopsError('invalid_input', 'invalid file: it looks binary (it contains NUL bytes), not text.', { file: shown });
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
  const capacity = Math.min(rowsIn(size, bytesPerRow), chunking.rowsPerBuilder ?? Infinity);
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

/** Rows `bytes` of the file probably hold (2 % spare, at least 1024), from the first chunk's bytes per row. */
function rowsIn(bytes: number, bytesPerRow: number): number {
  return Math.max(1024, Math.ceil((bytes / bytesPerRow) * 1.02));
}

/**
 * Rows to make room for at once: the estimate, but at most 256 MiB of arrays (9 bytes per cell) in all, so a first
 * chunk unlike the rest of the file cannot make a huge allocation (past it the arrays grow by doubling).
 */
function roomFor(rows: number, columns: number): number {
  return Math.max(1024, Math.min(rows, Math.floor((256 << 20) / (9 * Math.max(1, columns)))));
}

/**
 * The file read by the byte reader (`ByteFileReader`), with the delimiter and the room for rows found exactly as
 * `delimitedParser` finds them (from the first 64 KiB of text); null when it must be read as text instead.
 *
 * With `parallel` the rows after the middle of the file go to the CSV worker (started at once, kept for later
 * reads) while this thread reads the rows before it, and its columns are joined on. Whenever that could differ
 * from one sequential read — the cut falls inside a quoted field, the worker failed (e.g. on a bad row) or is not
 * ready when this thread is, or a join could change a column's inferred type — this thread reads the second part
 * itself, so the table (and any error, from the text reader) is exactly that of a sequential read.
 */
async function readBytes(path: string, shown: string, size: number, delimiter: string | undefined, signal: AbortSignal | undefined, parallel: boolean): Promise<TableBuilder | null> {
  if (parallel) warmCsvWorker();
  const setup = await byteSetup(path, size, delimiter);
  if (!setup) return null;
  const { bytesPerRow, delimiter: d } = setup;
  const bounds = parallel ? await pieceBounds(path, size) : null;
  const claim = new Int32Array(new SharedArrayBuffer(4));
  let job = null as CsvPartJob | null; // (set when the header is read)
  // With two threads: each column's arrays for the whole file on SharedArrayBuffers (`rooms`), piece k's rows
  // written by whoever parses it from row regions[k] (its estimated first row, with slack), this thread's from row 0.
  let rooms: ColumnRoom[] | null = null;
  let regions: number[] | null = null;
  const reader = await ByteFileReader.open(path, {
    delimiter: d,
    signal,
    start: (names) => {
      checkHeader(names, shown);
      if (bounds) {
        regions = roomRegions(bounds, bytesPerRow, names.length);
        if (regions) rooms = sharedRooms(names.length, regions[regions.length - 1], nextRoomId++);
        job = parsePartsInWorker(
          { path, bounds, delimiter: d, names, bytesPerRow, claim: claim.buffer as SharedArrayBuffer, rooms: rooms ?? undefined, regions: regions ?? undefined, delayMs: csvPartTuning.delayMs, fail: csvPartTuning.fail },
          size >= KEEP_WORKER_MAX_BYTES,
        );
        const r0 = regions?.[0] ?? 0;
        if (rooms) return new TableBuilder(names, 0, (j) => roomPart(rooms![j], 0, r0));
      }
      return new TableBuilder(names, roomFor(rowsIn(size, bytesPerRow), names.length));
    },
  });
  if (!reader) return null;
  const pieces = bounds ? bounds.length - 1 : 0;
  /**
   * This thread may now write its rows up to row `to` of the shared arrays (no other thread writes below it: the
   * pieces there are this thread's, or the worker is done with them).
   */
  const widen = (to: number) => {
    if (!rooms || !reader.builder) return;
    const cols = reader.builder.columns;
    for (let j = 0; j < cols.length; j++) cols[j].widenRoom(roomPart(rooms[j], 0, to));
  };
  /** Takes every piece not yet taken (the worker then stops after the one it is on). */
  const takeRest = () => {
    while (takePiece(claim, pieces, false) >= 0);
  };
  try {
    if (!bounds) return (await reader.read(0, size, true)) < 0 ? null : reader.builder;
    let next = await reader.read(0, bounds[0], false);
    // This thread goes on with the pieces in order while it finds them untaken and its parse ends at each bound.
    let k = 0;
    while (next === bounds[k] && takePiece(claim, pieces, false) >= 0) {
      if (regions) widen(regions[k + 1]);
      next = await reader.read(bounds[k], bounds[k + 1], k === pieces - 1);
      k++;
    }
    if (next < 0) {
      takeRest();
      return null;
    }
    if (k === pieces) return reader.builder;
    if (next === bounds[k] && job) {
      // Pieces k.. were taken by the worker: joined on in order; from the first that fails or cannot be joined on,
      // this thread reads the rest itself.
      // (Piece k's answer comes after those of the worker's later pieces: from then on it writes nothing.)
      for (; k < pieces; k++) {
        const states = await job.piece(k);
        throwIfAborted(signal);
        if (regions) widen(regions[k + 1]);
        if (states && joinPart(reader.builder!, states)) continue;
        if (states) for (const st of states) releaseBuffers(st);
        break;
      }
      if (k === pieces) return reader.builder;
      if (regions) widen(regions[pieces]);
      next = bounds[k];
    } else takeRest(); // a quoted field runs over a bound: read on in order
    return (await reader.read(next, size, true)) < 0 ? null : reader.builder;
  } finally {
    takeRest();
    await reader.close();
  }
}

/**
 * The delimiter and bytes per row of the file, found from its first 64 KiB exactly as `delimitedParser` finds them;
 * null when the byte reader must leave the file to the text reader (invalid UTF-8 there, nothing but blanks, CR-only
 * line ends).
 */
async function byteSetup(path: string, size: number, delimiter: string | undefined): Promise<{ delimiter: string; bytesPerRow: number } | null> {
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
  return { delimiter: delimiter ?? detectDelimiter(head.slice(0, 65536)), bytesPerRow: measureRows(head) };
}

/** Pieces of a file's second half for the two-part read: bounds just after LFs (see `splitPoint`), increasing; null if none. */
async function pieceBounds(path: string, size: number): Promise<number[] | null> {
  const bounds: number[] = [];
  const { pieces, firstShare } = csvPartTuning;
  for (let k = 0; k < pieces; k++) {
    const b = await splitPoint(path, size, firstShare + ((1 - firstShare) * k) / pieces);
    if (b > 0 && (bounds.length === 0 || b > bounds[bounds.length - 1])) bounds.push(b);
  }
  if (!bounds.length) return null;
  bounds.push(size);
  return bounds;
}

/** Names the shared arrays of each two-part read (see `ColumnRoom.id`). */
let nextRoomId = 1;

/**
 * Where the rows of each part go in the shared arrays of a two-part read: this thread's first part from row 0,
 * piece k from row regions[k] (the rows estimated before bounds[k] from the first 64 KiB's bytes per row, plus
 * `csvPartTuning.slack`), the arrays' length regions[pieces]; null when no estimate can be made or the arrays
 * would be too large to reserve. A part with more rows than its region grows into arrays of its own and is then
 * copied when joined (as it is without shared arrays).
 */
function roomRegions(bounds: number[], bytesPerRow: number, columns: number): number[] | null {
  if (!Number.isFinite(bytesPerRow) || bytesPerRow <= 0) return null;
  const rowsBefore = (b: number) => Math.ceil((b / bytesPerRow) * (1 + csvPartTuning.slack)) + 16;
  const regions = bounds.map(rowsBefore);
  // 13 bytes per cell (numbers, tokens, codes) reserved; only the pages written become resident.
  return regions[regions.length - 1] * Math.max(1, columns) * 13 > MAX_SHARED_BYTES ? null : regions;
}

/** The most the shared arrays of a two-part read may reserve (in address space; most of it is never touched). */
const MAX_SHARED_BYTES = 4 * 2 ** 30;


/** Joins the columns of the part that follows (`states`, from the worker) onto `builder`; false when it cannot (see `ColumnBuilder.canAppend`). */
function joinPart(builder: TableBuilder, states: ColumnBuilderState[]): boolean {
  const own = builder.columns;
  const next = states.map((st) => ColumnBuilder.fromState(st));
  if (next.length !== own.length || !own.every((c, j) => c.canAppend(next[j]))) return false;
  if (states.every((st) => st.numsAt >= 0 || st.codesAt >= 0)) csvPartStats.inPlace++;
  for (let j = 0; j < own.length; j++) {
    own[j].append(next[j]);
    // The part's arrays are copied (into the room left in this builder's, sized for the whole file): free them now
    // rather than at some later garbage collection.
    releaseBuffers(states[j]);
  }
  csvPartStats.joined++;
  return true;
}

/**
 * CSV/TSV files are read in one thread unless `parallelMinBytes` asks for two parts. Measured on an idle 2-core
 * machine (fresh processes, compiled build, 2026-11-27): a 28 MB file (adult × 8) read in 0.28–0.32 s in one thread
 * against 0.44–0.51 s in two (0.77–0.91 CPU s: the worker's first pieces run before its JIT has warmed up), and the
 * 120 MB 1M × 20 file in 1.63–2.49 s against 1.81–2.11 s (+1.2 CPU s). Two parts pay only on larger files or with
 * a worker kept warm by earlier reads; their memory is that of one thread plus the worker's heap (the worker writes
 * its rows into the reader's shared arrays).
 */
/** After reading a part of a file this large the CSV worker is stopped at once (see `parsePartsInWorker`). */
const KEEP_WORKER_MAX_BYTES = 64 << 20;

async function readDelimited(path: string, shown: string, size: number, delimiter: string | undefined, signal?: AbortSignal, parallelMinBytes?: number): Promise<TableBuilder> {
  const parallel = availableParallelism() >= 2 && parallelMinBytes !== undefined && size >= parallelMinBytes;
  const fast = await readBytes(path, shown, size, delimiter, signal, parallel);
  if (fast) return fast;
  // The text reader: for files the byte reader leaves (e.g. CR line ends), and for the exact error of a bad file.
  const { parser, text } = await delimitedParser(path, shown, size, delimiter);
  for await (const chunk of text) {
    throwIfAborted(signal);
    parser.write(chunk);
  }
  return parser.end();
}
