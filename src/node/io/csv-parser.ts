import { SynthopsError } from '../../core/errors.js';
import type { TableBuilder } from '../../core/table/infer-builder.js';

/** Options for `CsvParser`. */
export interface CsvParserOptions {
  /** One-character field delimiter. */
  delimiter: string;
  /** Makes the builder once the header row is read (checks the names first). */
  start: (names: string[]) => TableBuilder;
  /** File name for error messages. */
  file?: string;
  /** Row separator: `\n` (LF or CRLF; the default) or `\r` (old Mac files). */
  newline?: '\n' | '\r';
  /**
   * Chunked reading: after this many data rows in one builder, `full` is called with it and the rows go on into a
   * new builder with the same columns (from `start`). Default: one builder for the whole text.
   */
  rowsPerBuilder?: number;
  /** Receives each builder that reached `rowsPerBuilder` rows. */
  full?: (builder: TableBuilder) => void;
  /**
   * The column names when the text has no header row (a later part of a file, parsed on its own): the builder is
   * made from them at once and the first row is data.
   */
  header?: string[];
}

const QUOTE = 34, LF = 10, CR = 13;
/** A single row (with its quoted fields) longer than this is taken for an unclosed quote. */
const MAX_ROW_CHARS = 32 << 20;

/**
 * A streaming CSV/TSV tokenizer (RFC 4180: `"` quotes, `""` inside quotes, embedded newlines, LF or CRLF rows,
 * empty lines skipped unless the table has one column) that pushes fields straight into a `TableBuilder`. Pure string code (no Node modules).
 *
 * The hot path is a row without quotes: it is found with `indexOf`, split with `indexOf(delimiter)`, and each field
 * goes to `ColumnBuilder.pushField(text, start, end)`, so a number or a missing value never becomes a string of
 * its own. Rows holding a quote take a character-by-character path. A row cut by the end of a chunk is kept and
 * parsed again with the next chunk (so memory holds one chunk plus one partial row).
 *
 * Errors (SynthopsError `invalid_input`, naming the file and the 0-based data row, never a value): a row with more
 * or fewer fields than the header; a quote that is not closed; text after a closing quote.
 *
 * @example
 * const p = new CsvParser({ delimiter: ',', start: (names) => new TableBuilder(names) });
 * p.write('a,b\n1,'); p.write('x\n');
 * const builder = p.end(); // 1 row
 */
export class CsvParser {
  private readonly delim: string;
  private readonly d: number;
  private readonly nl: string;
  private readonly opts: CsvParserOptions;
  private carry = '';
  private builder: TableBuilder | null = null;
  private width = 0;
  /** Data rows pushed so far. */
  private row = 0;
  /** Data rows in the current builder. */
  private inBuilder = 0;
  private names: string[] = [];
  private readonly fields: string[] = [];

  constructor(opts: CsvParserOptions) {
    if (opts.delimiter.length !== 1) throw new SynthopsError('invalid_argument', `invalid delimiter: ${JSON.stringify(opts.delimiter)}. Use one character.`, { file: opts.file });
    this.opts = opts;
    this.delim = opts.delimiter;
    this.d = opts.delimiter.charCodeAt(0);
    this.nl = opts.newline ?? '\n';
    if (opts.header) this.header(opts.header);
  }

  /** The field delimiter. */
  get delimiter(): string {
    return this.delim;
  }

  /** The row separator. */
  get newline(): '\n' | '\r' {
    return this.nl as '\n' | '\r';
  }

  /** True when the text so far ended at the end of a row (nothing is held back waiting for more text). */
  get atRowStart(): boolean {
    return this.carry === '';
  }

  /** Data rows parsed so far. */
  get rows(): number {
    return this.row;
  }

  /** The builder (null until the header row has been read). */
  get tableBuilder(): TableBuilder | null {
    return this.builder;
  }

  /** Parses the next piece of text (any split: rows and fields may be cut anywhere). */
  write(chunk: string): void {
    this.parse(this.carry ? this.carry + chunk : chunk, false);
  }

  /** Parses what is left and returns the builder. Throws when there was no header row. */
  end(): TableBuilder {
    this.parse(this.carry, true);
    this.carry = '';
    if (!this.builder) throw new SynthopsError('invalid_input', 'invalid file: it is empty.', { file: this.opts.file });
    return this.builder;
  }

  private rowDone(): void {
    this.row++;
    if (++this.inBuilder === this.opts.rowsPerBuilder) {
      this.opts.full?.(this.builder!);
      this.builder = this.opts.start(this.names);
      this.inBuilder = 0;
    }
  }

  private parse(text: string, final: boolean): void {
    const L = text.length;
    const nlCode = this.nl.charCodeAt(0);
    const crlf = nlCode === LF;
    let p = 0;
    let q = -1; // next quote at or after p (L when none), found lazily
    while (p < L) {
      let nl = text.indexOf(this.nl, p);
      if (nl < 0) {
        if (!final) break;
        nl = L;
      }
      if (q < p) {
        q = text.indexOf('"', p);
        if (q < 0) q = L;
      }
      if (q < nl) {
        const next = this.quotedRow(text, p, final);
        if (next < 0) break;
        p = next;
        continue;
      }
      let e = nl;
      if (crlf && e > p && text.charCodeAt(e - 1) === CR) e--;
      // Empty lines are skipped, except in a one-column table where an empty line is a missing value.
      if (e > p || (this.width === 1 && nl < L)) {
        if (this.builder) this.simpleRow(text, p, e);
        else this.header(text.slice(p, e).split(this.delim));
      }
      p = nl + 1;
    }
    this.carry = p < L ? text.slice(p) : '';
    if (this.carry.length > MAX_ROW_CHARS) throw this.quoteError('a quoted field is not closed');
  }

  private header(names: string[]): void {
    this.names = names;
    this.builder = this.opts.start(names);
    this.width = names.length;
  }

  private simpleRow(text: string, p: number, e: number): void {
    const cols = this.builder!.columns;
    const w = this.width, d = this.d;
    let s = p, j = 0;
    for (let k = p; k < e; k++) {
      if (text.charCodeAt(k) !== d) continue;
      if (j === w - 1) throw this.raggedError(countFields(text, p, e, d));
      cols[j++].pushField(text, s, k);
      s = k + 1;
    }
    if (j !== w - 1) throw this.raggedError(j + 1);
    cols[j].pushField(text, s, e);
    this.rowDone();
  }

  /** Parses one row that holds a quote, from p. Returns the index after its end, or -1 when the text ends first. */
  private quotedRow(text: string, p: number, final: boolean): number {
    const L = text.length, d = this.d;
    const nlCode = this.nl.charCodeAt(0);
    const f = this.fields;
    f.length = 0;
    let i = p;
    for (;;) {
      if (i < L && text.charCodeAt(i) === QUOTE) {
        let j = i + 1, seg = j, val = '';
        for (;;) {
          const k = text.indexOf('"', j);
          if (k < 0) {
            if (!final) return -1;
            throw this.quoteError('a quoted field is not closed');
          }
          if (k + 1 >= L && !final) return -1; // a "" escape may be cut by the chunk end
          if (text.charCodeAt(k + 1) === QUOTE) {
            val += text.slice(seg, k + 1);
            j = seg = k + 2;
            continue;
          }
          val += text.slice(seg, k);
          i = k + 1;
          break;
        }
        f.push(val);
        if (i >= L) {
          if (!final) return -1;
          break;
        }
        const c = text.charCodeAt(i);
        if (c === d) {
          i++;
          if (i >= L && !final) return -1;
          continue;
        }
        if (c === nlCode) {
          i++;
          break;
        }
        if (c === CR && nlCode === LF) {
          if (i + 1 >= L && !final) return -1;
          if (i + 1 >= L || text.charCodeAt(i + 1) === LF) {
            i += 2;
            break;
          }
        }
        throw this.quoteError('text follows a closing quote');
      }
      let j = i, c = -1;
      while (j < L) {
        c = text.charCodeAt(j);
        if (c === d || c === nlCode) break;
        j++;
      }
      if (j >= L && !final) return -1;
      let e = j;
      if (j < L && c === LF && nlCode === LF && e > i && text.charCodeAt(e - 1) === CR) e--;
      else if (j >= L && e > i && nlCode === LF && text.charCodeAt(e - 1) === CR) e--;
      f.push(text.slice(i, e));
      if (j < L && c === d) {
        i = j + 1;
        continue;
      }
      i = j + 1;
      break;
    }
    if (!this.builder) this.header(f.slice());
    else {
      if (f.length !== this.width) throw this.raggedError(f.length);
      const cols = this.builder.columns;
      for (let j = 0; j < f.length; j++) cols[j].push(f[j]);
      this.rowDone();
    }
    return Math.min(i, L);
  }

  private raggedError(fields: number): SynthopsError {
    return new SynthopsError('invalid_input', `invalid row: it has ${fields} fields but the header has ${this.width}. Check delimiters and quotes.`, { file: this.opts.file, row: this.row });
  }

  private quoteError(what: string): SynthopsError {
    return this.builder
      ? new SynthopsError('invalid_input', `invalid quoting: ${what}. Check the quotes near this row.`, { file: this.opts.file, row: this.row })
      : new SynthopsError('invalid_input', `invalid quoting: ${what}. Check the quotes in the header.`, { file: this.opts.file, line: 1 });
  }
}

function countFields(text: string, p: number, e: number, d: number): number {
  let n = 1;
  for (let k = p; k < e; k++) if (text.charCodeAt(k) === d) n++;
  return n;
}
