import { isUtf8 } from 'node:buffer';
import { open, type FileHandle } from 'node:fs/promises';
import { throwIfAborted } from '../../core/errors.js';
import type { BytesToText, TableBuilder } from '../../core/table/infer-builder.js';
import { ScanWorkspace } from '../../core/table/scan-workspace.js';

const QUOTE = 34, LF = 10, CR = 13;
/**
 * Bytes read from the file at a time. 1 MiB rather than 4: a read into fresh memory pays a page fault per 4 KiB
 * (adult, 3.4 MB in one read: ≈ 6 ms of its ≈ 45), and a smaller buffer is reused by the allocator sooner. Measured
 * idle: adult's warm reads 40–45 ms against 38–60, the 1M × 20 file 1.50–1.67 s against 1.69–1.80 s.
 */
const CHUNK = 1 << 20;
/** Rows read a column at a time (see `ByteRows.rows`): their bytes (≈ 100–150 KB) stay in the core's cache across the columns. */
const BATCH = 1024;
/** A row held back longer than this goes to the text reader (which decides whether it is an unclosed quote). */
const MAX_CARRY = 32 << 20;

/** Why the byte reader gave up: the text reader then reads the file from the start (it gives any error). */
class NotHere extends Error {}
const notHere = new NotHere('not for the byte reader');

/** Node's fast decoders (ASCII bytes as Latin-1 are the same text, and cheaper to make). */
interface NodeSlices {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}
const text: BytesToText = (b, s, e, ascii) => (ascii ? (b as unknown as NodeSlices).latin1Slice(s, e) : (b as unknown as NodeSlices).utf8Slice(s, e));
/** The same for any Uint8Array (a WebAssembly workspace's memory is not a Buffer). */
const slices = Buffer.prototype as unknown as NodeSlices;
const viewText: BytesToText = (b, s, e, ascii) => (ascii ? slices.latin1Slice.call(b, s, e) : slices.utf8Slice.call(b, s, e));

/** What the byte reader needs to know, as found by the text reader's detection on the file's first 64 KiB. */
export interface ByteReadSetup {
  /** The field delimiter (one ASCII character). */
  delimiter: string;
  /** Makes the builder for the header's names (checks them first; its errors propagate). */
  start: (names: string[]) => TableBuilder;
  signal?: AbortSignal;
  /** Bytes read at a time (default 1 MiB; tests use tiny ones to cut rows and quotes anywhere). */
  chunkBytes?: number;
  /** Rows read a column at a time (default 1024; tests use tiny batches to cut them anywhere). */
  batchRows?: number;
  /**
   * Whether batches are read by the WebAssembly field scanners where the runtime has them (default true; false reads
   * them with the TypeScript loops alone — the same table, which tests check).
   */
  wasm?: boolean;
  /** The column names when the bytes read have no header row (a later part of a file): every row is data. */
  names?: string[];
  /**
   * Chunked reading (`stream`): after this many data rows a builder is full and the rows go on into a new one from
   * `start` (as `CsvParser`'s `rowsPerBuilder`, so the chunks are the same).
   */
  rowsPerBuilder?: number;
}

/**
 * Reads a delimited file (LF or CRLF rows) straight from its bytes into a TableBuilder: no text is decoded
 * except for the labels a column has not seen and the values the builders cannot read from bytes
 * (`ColumnBuilder.pushBytes`). Builds exactly what `CsvParser` builds from the decoded text (same values, same
 * order, same rules for quotes, CRLF, empty lines and the BOM).
 *
 * Returns null whenever the file is anything this reader does not handle itself — invalid UTF-8, a ragged row or
 * bad quoting (any error), a one-column table, a row held back beyond 32 MiB — so the caller reads it with the
 * text reader, which gives the table or the exact error (file, row, column) as before. An abort still throws.
 */
export async function readDelimitedBytes(path: string, size: number, setup: ByteReadSetup): Promise<TableBuilder | null> {
  const r = await ByteFileReader.open(path, setup);
  if (!r) return null;
  try {
    return (await r.read(0, size, true)) < 0 ? null : r.builder;
  } finally {
    await r.close();
  }
}

/**
 * The byte reader over one open file, for reading it in parts: `read(from, to, final)` parses the rows in
 * [from, to) into one builder (see `readDelimitedBytes` for what it handles and when it gives up).
 */
export class ByteFileReader {
  private readonly parser: ByteRows;
  private buf: Buffer;

  private constructor(
    private readonly fh: FileHandle,
    private readonly setup: ByteReadSetup,
    d: number,
  ) {
    const batch = Math.max(1, setup.batchRows ?? BATCH);
    this.parser = new ByteRows(d, setup.start, batch, Math.max(1, setup.rowsPerBuilder ?? Infinity), setup.wasm === false ? null : ScanWorkspace.create(batch));
    this.buf = Buffer.allocUnsafe(Math.max(1, setup.chunkBytes ?? CHUNK));
  }

  /** A reader of the file at `path`, or null when the delimiter is not one this reader handles. */
  static async open(path: string, setup: ByteReadSetup): Promise<ByteFileReader | null> {
    const d = setup.delimiter.charCodeAt(0);
    if (setup.delimiter.length !== 1 || d >= 128 || d === QUOTE || d === LF || d === CR) return null;
    const r = new ByteFileReader(await open(path, 'r'), setup, d);
    if (setup.names) {
      try {
        r.parser.header(setup.names);
      } catch {
        await r.close();
        return null;
      }
    }
    return r;
  }

  /** The builder (null until a header row was read). */
  get builder(): TableBuilder | null {
    return this.parser.builder;
  }

  /** Closes the file. */
  close(): Promise<void> {
    return this.fh.close();
  }

  /**
   * Parses the rows in bytes [from, to) of the file. With `final` the part ends the file (its last row may lack
   * an LF); otherwise parsing stops after the last row that ends by `to`. Returns the file offset where parsing
   * stopped (`to` when the part ended with a row; less when a quoted field runs past it), or -1 when this reader
   * gives up (see `readDelimitedBytes`).
   */
  async read(from: number, to: number, final: boolean): Promise<number> {
    try {
      const steps = this.run(from, to, final);
      for (;;) {
        const r = await steps.next();
        if (r.done) return r.value;
      }
    } catch (e) {
      // Any failure (a bad row, a bad header, even a bug here) is left to the text reader, which gives the error.
      if (this.setup.signal?.aborted) throw e;
      return -1;
    }
  }

  /**
   * Reads the whole file (of `size` bytes) in chunks of `rowsPerBuilder` rows: yields the builders that are full as
   * each piece of the file is parsed, and returns the last one (the rows after the last full chunk; null without a
   * header row). Returns null, too, when this reader gives up, as `read` does: the caller then goes to the text
   * reader, which gives the same chunks or the error.
   */
  async *stream(size: number): AsyncGenerator<TableBuilder, TableBuilder | null> {
    const steps = this.run(0, size, true);
    for (;;) {
      let r: IteratorResult<void, number>;
      try {
        r = await steps.next();
      } catch (e) {
        if (this.setup.signal?.aborted) throw e;
        return null;
      }
      yield* this.parser.takeFull();
      if (r.done) return this.parser.builder;
    }
  }

  /** Parses [from, to) (see `read`), pausing after each piece read from the file; returns where parsing stopped. */
  private async *run(from: number, to: number, final: boolean): AsyncGenerator<void, number> {
    const parser = this.parser;
    let buf = this.buf;
    if (to - from + 1 < buf.length) buf = Buffer.allocUnsafe(Math.max(1, to - from + 1));
    // `buf[0, len)` holds the file's bytes from `base`; `p` is where parsing goes on, `checked` how far UTF-8 is checked.
    let base = from, len = 0, p = 0, checked = 0, pos = from, first = from === 0;
    for (;;) {
      throwIfAborted(this.setup.signal);
      if (len === buf.length) {
        if (len > MAX_CARRY) throw notHere;
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, len);
        buf = bigger;
      }
      const { bytesRead } = await this.fh.read(buf, len, Math.min(buf.length - len, to - pos), pos);
      pos += bytesRead;
      len += bytesRead;
      const end = bytesRead === 0 || pos >= to;
      if (first) {
        // Only the file's very start can hold a byte-order mark (as the text reader's decoder): nothing is parsed
        // before its first 3 bytes are in.
        if (len < 3 && !end) continue;
        first = false;
        if (len >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) p = checked = 3;
      }
      // Rows are parsed up to the last LF (never inside a UTF-8 sequence), all of them at the end of the file.
      const limit = end && final ? len : buf.lastIndexOf(LF, len - 1) + 1;
      if (limit > checked) {
        if (!isUtf8(buf.subarray(checked, limit))) throw notHere;
        checked = limit;
      }
      if (!parser.builder) p = parser.headerRow(buf, p, limit, end && final);
      if (parser.builder) p = parser.rows(buf, p, limit, end && final);
      if (end) {
        return base + p;
      }
      yield;
      // Keep the unparsed rest (a row continuing past `limit`, and bytes after it) at the buffer's start.
      if (p > 0) {
        buf.copyWithin(0, p, len);
        base += p;
        len -= p;
        checked -= p;
        p = 0;
      }
    }
  }
}

/** The row parser over bytes (see `readDelimitedBytes`); mirrors `CsvParser` rule for rule, failing with `notHere`. */
class ByteRows {
  builder: TableBuilder | null = null;
  private width = 0;
  /** Field bounds of a row holding quotes (start, end per field); `unq[f]` is the field's text when it had `""`. */
  private bounds: number[] = [];
  private unq: (string | null)[] = [];
  /** A batch of rows (see `rows`): where each row's next field starts, and where the row ends (its LF, or the data's end). */
  private readonly pos: Int32Array;
  private readonly ends: Int32Array;

  /** The header's names (for the next builder of a chunked read). */
  private names: string[] = [];
  /** Builders that reached `per` rows (a chunked read), not yet taken. */
  private full: TableBuilder[] = [];

  constructor(
    private readonly d: number,
    private readonly start: (names: string[]) => TableBuilder,
    private readonly batch: number,
    private readonly per: number,
    /** Where batches are read by the WebAssembly scanners (null: the TypeScript loops read them). */
    private readonly ws: ScanWorkspace | null,
  ) {
    this.pos = new Int32Array(batch);
    this.ends = new Int32Array(batch);
  }

  /**
   * Reads the header row from p (empty lines before it skipped): returns where the data rows start, or p when the
   * header row does not end before `limit` (unless `final`). Kept apart from `rows`, which runs only once there is a
   * header: code that runs once per file, inside the function whose loop V8 compiles during the first file, would be
   * compiled without having been seen and throw that code away on the next file.
   */
  headerRow(buf: Buffer, p: number, limit: number, final: boolean): number {
    while (!this.builder && p < limit) {
      let k = buf.indexOf(LF, p);
      if (k < 0 || k >= limit) {
        if (!final) return p;
        k = limit;
      }
      const q = buf.indexOf(QUOTE, p);
      if (q >= 0 && q < k) {
        const next = this.quotedRow(buf, p, limit, final);
        if (next < 0) return p;
        p = next;
        continue;
      }
      let e = k;
      if (e > p && buf[e - 1] === CR) e--;
      if (e > p) this.header(text(buf, p, e, false).split(String.fromCharCode(this.d)));
      p = k + 1;
    }
    return p;
  }

  /**
   * Parses the data rows in buf[p, limit) (`limit` follows an LF unless `final`; the header has been read); returns
   * where the unparsed rest starts.
   */
  rows(buf: Buffer, p: number, limit: number, final: boolean): number {
    const ws = this.ws;
    if (ws !== null && limit > p) {
      const at = ws.hold(buf.subarray(p, limit));
      if (at >= 0) return this.rowsIn(ws, buf, p, at, limit, final);
    }
    const d = this.d, pos = this.pos, ends = this.ends;
    // The next quote at or after p (`limit` when none before it): rows before it are read in batches, a column at a
    // time (`ColumnBuilder.scanColumn` finds each field's end while it parses the value); a row holding a quote is
    // cut into fields first (`quotedRow`).
    let quote = -1;
    while (p < limit) {
      if (quote < p) {
        const q = buf.indexOf(QUOTE, p);
        // (None, -1, as an unsigned number is past any limit: one comparison, which compiled code has always seen.)
        quote = q >>> 0 < limit ? q : limit;
      }
      let k = buf.indexOf(LF, p);
      if (k < 0 || k >= limit) {
        if (!final) return p;
        k = limit;
      }
      if (quote < k) {
        const next = this.quotedRow(buf, p, limit, final);
        if (next < 0) return p;
        p = next;
        continue;
      }
      const b = this.builder!;
      // The rows from p (the row [p, k) first) up to the next row holding a quote: their bounds, then each column's
      // fields. An empty line (or a lone CR before its LF) is no row. (At most the rows left before a chunked read's
      // builder is full.)
      const most = Math.min(this.batch, this.per - b.numRows);
      let count = 0;
      for (;;) {
        if (k > p + 1 || (k === p + 1 && buf[p] !== CR)) {
          pos[count] = p;
          ends[count++] = k;
        }
        p = k < limit ? k + 1 : limit;
        if (p >= limit || count === most) break;
        k = buf.indexOf(LF, p);
        if (k < 0 || k >= limit) {
          if (!final) break;
          k = limit;
        }
        if (quote < k) break;
      }
      if (count > 0) {
        const cols = b.columns, last = cols.length - 1;
        for (let j = 0; j <= last; j++) if (!cols[j].scanColumn(buf, pos, ends, count, d, j === last, text)) throw notHere; // too few or too many fields
        if (count === most) this.rotate();
      }
    }
    return p;
  }

  /**
   * `rows` with the stretch buf[p, limit) held in the WebAssembly workspace from address `at`: the workspace finds
   * each batch's rows there and the columns read their fields with its scanners; a row holding a quote is read from
   * `buf` as before. Returns where the unparsed rest starts (in `buf`).
   */
  private rowsIn(ws: ScanWorkspace, buf: Buffer, p: number, at: number, limit: number, final: boolean): number {
    const d = this.d, shift = at - p, end = limit + shift;
    let a = at;
    while (a < end) {
      const b = this.builder!;
      const most = Math.min(this.batch, this.per - b.numRows);
      const count = ws.rows(a, end, final, most);
      const stop = ws.stop;
      a = ws.next;
      if (count > 0) {
        const cols = b.columns, last = cols.length - 1;
        // (Too few or too many fields: `scanColumn` is false. Views taken for each column: one may grow the memory.)
        for (let j = 0; j <= last; j++) if (!cols[j].scanColumn(ws.bytes, ws.pos, ws.ends, count, d, j === last, viewText, ws)) throw notHere;
        if (count === most) this.rotate();
      }
      if (stop === 1) {
        const next = this.quotedRow(buf, a - shift, limit, final);
        if (next < 0) return a - shift;
        a = next + shift;
      } else if (stop === 2) return a - shift;
    }
    return a - shift;
  }

  /** Takes `names` as the header (the rows that follow are data). */
  header(names: string[]): void {
    // A one-column table reads an empty line as a missing value: left to the text reader.
    if (names.length < 2) throw notHere;
    this.builder = this.start(names);
    this.names = names;
    this.width = names.length;
  }

  /** The builders that are full (a chunked read), oldest first; they are this reader's no more. */
  takeFull(): TableBuilder[] {
    const f = this.full;
    this.full = [];
    return f;
  }

  /** After a row or a batch: a builder holding `per` rows is full, and the rows go on into a new one. */
  private rotate(): void {
    if (this.builder!.numRows < this.per) return;
    this.full.push(this.builder!);
    this.builder = this.start(this.names);
    this.ws?.reset();
  }

  /** One row holding a quote, from p (as `CsvParser.quotedRow`). The index after it, or -1 when `limit` comes first. */
  private quotedRow(buf: Buffer, p: number, limit: number, final: boolean): number {
    const L = limit, d = this.d;
    const bounds = this.bounds, unq = this.unq;
    bounds.length = 0;
    unq.length = 0;
    let i = p;
    for (;;) {
      if (i < L && buf[i] === QUOTE) {
        let j = i + 1, seg = j, val: string | null = null;
        const open = j;
        let close: number;
        for (;;) {
          const k = buf.indexOf(QUOTE, j);
          if (k < 0 || k >= L) {
            if (!final) return -1;
            throw notHere; // not closed
          }
          if (k + 1 >= L && !final) return -1; // a "" escape may be cut by the chunk end
          if (k + 1 < L && buf[k + 1] === QUOTE) {
            val = (val ?? '') + text(buf, seg, k + 1, false);
            j = seg = k + 2;
            continue;
          }
          if (val !== null) val += text(buf, seg, k, false);
          close = k;
          i = k + 1;
          break;
        }
        bounds.push(open, close);
        unq.push(val);
        if (i >= L) {
          if (!final) return -1;
          break;
        }
        const c = buf[i];
        if (c === d) {
          i++;
          if (i >= L && !final) return -1;
          continue;
        }
        if (c === LF) {
          i++;
          break;
        }
        if (c === CR) {
          if (i + 1 >= L && !final) return -1;
          if (i + 1 >= L || buf[i + 1] === LF) {
            i += 2;
            break;
          }
        }
        throw notHere; // text follows a closing quote
      }
      let j = i, c = -1;
      while (j < L) {
        c = buf[j];
        if (c === d || c === LF) break;
        j++;
      }
      if (j >= L && !final) return -1;
      let e = j;
      if (e > i && buf[e - 1] === CR && (j >= L || c === LF)) e--;
      bounds.push(i, e);
      unq.push(null);
      if (j < L && c === d) {
        i = j + 1;
        continue;
      }
      i = j + 1;
      break;
    }
    const n = unq.length;
    if (!this.builder) {
      const names: string[] = [];
      for (let f = 0; f < n; f++) names.push(unq[f] ?? text(buf, bounds[2 * f], bounds[2 * f + 1], false));
      this.header(names);
    } else {
      if (n !== this.width) throw notHere;
      const cols = this.builder.columns;
      for (let f = 0; f < n; f++) {
        const v = unq[f];
        if (v !== null) cols[f].push(v);
        else cols[f].pushBytes(buf, bounds[2 * f], bounds[2 * f + 1], text);
      }
      this.rotate();
    }
    return Math.min(i, L);
  }
}
