import { SynthopsError, ValidationError, type ValidationIssue } from '../errors.js';
import { CategoricalColumn, NumericColumn, type Column } from './column.js';
import { compileDatetimeFormat, detectDatetimeFormat, type DatetimeFormat } from './datetime.js';
import { inferColumnSpec, type ColumnStats } from './infer.js';
import { HASH_START, LabelIndex, NON_ASCII, hashAscii, hashFinish, hashText } from './label-index.js';
import { NUMBER_STATE as S, type LabelMirror, type ScanWorkspace } from './scan-workspace.js';
import { storageOf, type ColumnSpec, type Schema } from './schema.js';
import { Table } from './table.js';

/**
 * Text tokens read as a missing value in a column whose other values are all numbers or all datetimes (whatever
 * type it is finally given, e.g. a categorical code column). In a column holding any other text only the empty
 * string is missing: a label such as `NA` is kept as written, so nothing is lost. The most frequent token becomes
 * the column's `missingToken`, which writers print back.
 */
export const MISSING_TOKENS: readonly string[] = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '#N/A', '-'];
const MISSING_INDEX = new Map(MISSING_TOKENS.map((t, i) => [t, i]));
/**
 * Per-row marker: 0..MAX_DEC = decimals of a plain number (its text is `toFixed(decimals)`, with the sign of a
 * negative zero); SHORT = a number written in JavaScript's shortest form (`String(x)`, e.g. `1.5e-7`); RAW = any
 * other number form (e.g. `1E5`), its text kept in a side map; MISS + k = missing token k.
 */
const MISS = 64;
const SHORT = 30;
const RAW = 31;
/** Most decimals a plain number may have to be rebuilt with `toFixed` (the schema's limit for `decimals`). */
const MAX_DEC = 20;
/** Most significant digits of a number parsed on the fast path (exact in a double, rebuilt exactly by `toFixed`). */
const MAX_DIGITS = 15;
/** 10^MAX_DIGITS: the digits of a number, read as one integer, are below it exactly when at most MAX_DIGITS are significant. */
const MAX_EXACT = 1e15;
/** Rows a column's first arrays hold at most (see `ColumnBuilder.want`). */
const FIRST_ROWS = 1024;
/** Distinct non-missing string values after which a text column is tested for a datetime format. */
const DATETIME_PROBE = 512;
const SMALL_DISTINCT_CAP = 16;
/** A text column whose first this many values are all distinct gets its dictionary's room made for every row. */
const RESERVE_AFTER = 4096;
/** Names for which numeric uniqueness is checked (an O(n log n) sort): ids and PII kinds stored as numbers. */
const KEY_LIKE_NAME = /id|key|uuid|guid|zip|post|phone|tel|mobile|ssn|card|ccn|pan/i;

type Mode = 'empty' | 'number' | 'string' | 'datetime';

/**
 * Builds one column while values stream in, without holding the values as strings when it can avoid it:
 * while every value is a plain decimal number they go straight into a growable Float64Array (plus one byte per
 * row for the decimals written, so the text can be rebuilt exactly); at the first non-number the column turns
 * into a string dictionary with Int32 codes; a dictionary whose first values all parse with one datetime format
 * turns into epoch milliseconds. Each step keeps every value recoverable as written.
 *
 * A number is `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` (negative zero and exponents included, see
 * `scanNumber`); other forms (leading zeros as in `007`, `+5`, `.5`, 20-digit keys a double cannot hold) stay
 * text, so they are written back unchanged.
 *
 * @example
 * const b = new ColumnBuilder('age');
 * for (const s of ['31', '', '54']) b.push(s);
 * b.stats().mode; // 'number'
 */
export class ColumnBuilder {
  readonly name: string;
  private mode: Mode = 'empty';
  private n = 0;
  private nums: Float64Array;
  private tok: Uint8Array | null;
  private codes: Int32Array | null = null;
  /** Labels of a text column (code = position), looked up in place by `pushField`. */
  private index = new LabelIndex();
  /**
   * For `scanBytes` in a text column: the code + 1 of the last label read from bytes starting with each pair of
   * first bytes (hashed to 1024 slots), tried first by comparing bytes — most values of a column with few labels
   * are found without hashing. Null until used, and for good once guesses mostly fail (e.g. a key column).
   */
  private guess: Int32Array | null = null;
  private guessHits = 0;
  private guessMisses = 0;
  /** The column's label table in a reader's WebAssembly workspace (`scanColumn` with one), while it serves. */
  private mirror: LabelMirror | null = null;
  private get dict(): string[] {
    return this.index.labels;
  }
  private dt: DatetimeFormat | null = null;
  private dtTried = false;
  /** The column was datetime at some point (a later non-date made it text again). */
  private wasDatetime = false;
  private missing = 0;
  private readonly missCounts = new Int32Array(MISSING_TOKENS.length);
  private integer = true;
  private maxDec = 0;
  private minDec = 99;
  private lo = Infinity;
  private hi = -Infinity;
  /** The distinct values while there are at most SMALL_DISTINCT_CAP (a linear scan beats a Set at this size). */
  private small: Float64Array | null = new Float64Array(SMALL_DISTINCT_CAP);
  private smallN = 0;
  /** Bit x set: the integer x (0..31) is in `small` (a cache of its scan; may miss values `small` holds). */
  private smallBits = 0;
  /** Some value was written in exponent form or with more digits than `decimals` can describe. */
  private shortest = false;
  /** Text of RAW rows (row → text as written); rare, so a map. */
  private raw: Map<number, string> | null = null;
  /** Arrays given by a reader to write this column's rows into (see `ColumnRoom`); null: the builder allocates its own. */
  private room: ColumnRoom | null = null;
  /** (A builder made by `fromState`:) the row in its room's whole arrays where `nums`/`tok`, and `codes`, start; -1 when not in it. */
  private numsAt = -1;
  private codesAt = -1;
  private roomId = -1;
  /** (A builder made by `fromState`:) its labels as ASCII bytes (label c at `[ends[c - 1], ends[c])`), to join them without strings. */
  private labelBytes: { pool: Uint8Array; ends: Int32Array; hashes: Int32Array } | null = null;
  /**
   * The rows a reader expects (`capacity`): the arrays start with room for at most FIRST_ROWS and make room for all of
   * them at their first growth — by then the column's kind is known, and a text column never needs its number
   * arrays (JavaScript zero-fills every new array: adult's 15 columns at full size cost ≈ 2 ms in a 50 ms read).
   */
  private readonly want: number = 0;

  /**
   * `capacity`: rows to make room for (a reader's estimate; the arrays still grow past it). `room`: arrays to write
   * the rows into instead (its length is the capacity; past it the builder grows into arrays of its own).
   */
  constructor(name: string, capacity = 1024, room?: ColumnRoom) {
    this.name = name;
    if (room) {
      this.room = room;
      this.nums = room.nums;
      this.tok = room.tok;
      return;
    }
    const cap = Math.max(16, Math.ceil(capacity));
    this.want = cap;
    this.nums = new Float64Array(Math.min(cap, FIRST_ROWS));
    this.tok = new Uint8Array(Math.min(cap, FIRST_ROWS));
  }

  /**
   * Gives this builder a longer view of its room (same arrays, same start, more rows): the arrays it still writes
   * in its room are replaced by the longer ones. A reader widens the room once no other thread writes past its end.
   */
  widenRoom(room: ColumnRoom): void {
    const old = this.room;
    if (!old || room.id !== old.id || room.at !== old.at || room.nums.length < old.nums.length) return;
    if (this.nums === old.nums) {
      this.nums = room.nums;
      this.tok = room.tok;
    }
    if (this.codes === old.codes) this.codes = room.codes;
    this.room = room;
  }

  /** Rows pushed so far. */
  get length(): number {
    return this.n;
  }

  /** Appends one value as text (`''` is missing). */
  push(s: string): void {
    this.pushField(s, 0, s.length);
  }

  /**
   * Appends the value `src.slice(start, end)` without making that string when it is a number or missing (the
   * CSV reader's hot path: numbers are parsed straight from the chunk's text).
   */
  pushField(src: string, start: number, end: number): void {
    const i = this.n;
    if (i === this.nums.length && this.mode !== 'string') this.growNumeric();
    switch (this.mode) {
      case 'string': {
        // A label seen before is found in place: no string is made for it.
        if (start < end) {
          const h = hashText(src, start, end);
          const c = this.index.find(src, start, end, h);
          if (c >= 0) return this.pushCode(i, c);
          return this.pushNewLabel(i, src.slice(start, end), h);
        }
        return this.pushString(i, start === 0 && end === src.length ? src : src.slice(start, end));
      }
      case 'number':
      case 'empty': {
        if (start === end) return this.addMissing(i, 0);
        const d = scanNumber(src, start, end);
        if (d >= 0) {
          this.mode = 'number';
          return this.addNumber(i, lastValue, d, d === RAW ? src.slice(start, end) : undefined);
        }
        const s = src.slice(start, end);
        const k = MISSING_INDEX.get(s);
        if (k !== undefined) return this.addMissing(i, k);
        this.toStrings();
        return this.pushString(i, s);
      }
      case 'datetime': {
        const ms = this.dt!.parse(src, start, end);
        if (ms === ms) {
          this.nums[i] = ms;
          this.tok![i] = 0;
          this.n++;
          return;
        }
        const s = src.slice(start, end);
        const k = MISSING_INDEX.get(s);
        if (k !== undefined) return this.addMissing(i, k);
        this.toStrings();
        return this.pushString(i, s);
      }
    }
  }

  /**
   * Appends the value whose UTF-8 bytes are `bytes[start, end)` (valid UTF-8): exactly what `push` of their text
   * does, without making a string for a plain number (`-?digits[.digits]`, ≤ 15 significant digits), a missing
   * value, a label seen before (ASCII) or a date of a fixed-width format. Anything else is decoded with `text`
   * and pushed as text. (A byte-level CSV reader's hot path.)
   */
  pushBytes(bytes: Uint8Array, start: number, end: number, text: BytesToText): void {
    const i = this.n;
    const mode = this.mode;
    if (mode === 'string') {
      if (start < end) {
        const h = hashAscii(bytes, start, end);
        if (h !== NON_ASCII) {
          const c = this.index.findBytes(bytes, start, end, h);
          if (c >= 0) return this.pushCode(i, c);
          return this.pushNewLabel(i, '', h, bytes, start, end);
        }
      }
    } else if (mode === 'datetime') {
      const ms = this.dt!.parseBytes ? this.dt!.parseBytes(bytes, start, end) : NaN;
      if (ms === ms) {
        if (i === this.nums.length) this.growNumeric();
        this.nums[i] = ms;
        this.tok![i] = 0;
        this.n++;
        return;
      }
    } else if (start === end) {
      if (i === this.nums.length) this.growNumeric();
      return this.addMissing(i, 0);
    } else {
      // A plain decimal number of at most 15 significant digits: the same double as `scanNumber` (one exact
      // integer over one exact power of ten); any other form goes the text way below.
      let p = start;
      const neg = bytes[p] === 45;
      if (neg) p++;
      const intStart = p;
      let digits = 0, sig = 0, c = 0;
      while (p < end) {
        c = bytes[p] - 48;
        if (c < 0 || c > 9) break;
        if (sig > 0 || c !== 0) sig++;
        digits = digits * 10 + c;
        p++;
      }
      const intDigits = p - intStart;
      let dec = 0, ok = intDigits > 0 && (intDigits === 1 || bytes[intStart] !== 48);
      if (ok && p < end && bytes[p] === 46) {
        const fs = ++p;
        while (p < end) {
          c = bytes[p] - 48;
          if (c < 0 || c > 9) break;
          if (sig > 0 || c !== 0) sig++;
          digits = digits * 10 + c;
          p++;
        }
        dec = p - fs;
        ok = dec > 0;
      }
      if (ok && p === end && sig <= MAX_DIGITS && dec <= MAX_DEC) {
        if (i === this.nums.length) this.growNumeric();
        this.mode = 'number';
        return this.addNumber(i, (neg ? -digits : digits) / POW10[dec], dec);
      }
    }
    const s = text(bytes, start, end, false);
    this.pushField(s, 0, s.length);
  }

  /**
   * Reads this column's field of each of `count` delimited rows from bytes and appends the values, in order: row r's
   * field starts at `pos[r]` and ends at the first delimiter `d` from there or at the row's end `ends[r]` (the
   * index of its LF, or the end of the data); at the row's end a CR just before is not part of the value. Appends
   * exactly what `pushBytes` of each value's bytes appends, and sets `pos[r]` past the field's delimiter (where the
   * next column's field starts). False when a row has too few fields (a field before the `last` column ends at its
   * row's end) or too many (the `last` column's field ends before it); rows up to that one are then appended. The
   * rows' bytes must hold no `"` (a reader sends rows with quotes elsewhere) and be valid UTF-8.
   *
   * A column at a time (a byte-level CSV reader's hot path): a tight loop per column kind parses numbers, looks up
   * labels or reads fixed-width dates while it finds each field's end, with the column's summaries in locals; V8
   * optimises such loops early in a file and no call is made per field. A field the loop cannot read (a type
   * change, a missing token, a new datetime format) goes through `pushBytes`, then the loop for the column's kind
   * goes on.
   *
   * With `ws` (the rows are in that workspace, and `bytes`, `pos`, `ends` are its views) numbers, labels already in
   * the column's dictionary and ISO dates are read by its WebAssembly loops instead — the same values and summaries,
   * compiled before the first call, so a file read once in a fresh process does not wait for V8 to optimise these
   * loops — and everything else as above, on the workspace's bytes.
   */
  scanColumn(bytes: Uint8Array, pos: Int32Array, ends: Int32Array, count: number, d: number, last: boolean, text: BytesToText, ws: ScanWorkspace | null = null): boolean {
    let r = 0;
    while (r < count) {
      const mode = this.mode;
      if (ws !== null) {
        // In a workspace (the rows were loaded there, and `bytes`, `pos`, `ends` are its views): numbers and known
        // labels are read by its WebAssembly loops. Views are taken again after anything that may grow its memory.
        const m = mode === 'string' ? this.mirrorIn(ws) : null;
        bytes = ws.bytes;
        pos = ws.pos;
        ends = ws.ends;
        if (mode === 'string') r = m !== null ? this.takeCodes(ws, r, m.scan(r, count, d, last)) : this.scanLabels(bytes, pos, ends, r, count, d, last);
        else if (mode === 'datetime') {
          // (ISO dates by the workspace; any other format, or the field it stops at, by the TypeScript loop.)
          const w = this.takeValues(ws, r, ws.scanDates(this.dt!.pattern, r, count, d, last));
          r = w < 0 || w === count ? w : this.scanDates(bytes, pos, ends, w, count, d, last);
        } else r = this.scanNumbersIn(ws, r, count, d, last);
      } else r = mode === 'string' ? this.scanLabels(bytes, pos, ends, r, count, d, last) : mode === 'datetime' ? this.scanDates(bytes, pos, ends, r, count, d, last) : this.scanNumbers(bytes, pos, ends, r, count, d, last);
      if (r < 0) return false;
      if (r === count) break;
      // Row r's field is one the loop does not read: found to its end, then as `pushBytes`.
      const start = pos[r], end = ends[r];
      let e = start;
      while (e < end && bytes[e] !== d) e++;
      this.pushBytes(bytes, start, e === end && e > start && bytes[e - 1] === CR ? e - 1 : e, text);
      if ((e === end) !== last) return false;
      pos[r++] = e + 1;
    }
    return true;
  }

  /** This column's label table in `ws`, made or brought up to date with its labels; null when the column is read in TypeScript. */
  private mirrorIn(ws: ScanWorkspace): LabelMirror | null {
    let m = this.mirror;
    if (m === null || !m.serves(ws, this.index)) m = this.mirror = ws.mirror(this.index);
    return m.sync() ? m : null;
  }

  /**
   * Appends the values (and their decimals bytes) a workspace's number or date scan read for rows r0..r - 1
   * (`ws.outNums`, `ws.outTok`); returns r.
   */
  private takeValues(ws: ScanWorkspace, r0: number, r: number): number {
    if (r <= r0) return r;
    const k = r - r0;
    while (this.n + k > this.nums.length) this.growNumeric();
    this.nums.set(ws.outNums.subarray(0, k), this.n);
    this.tok!.set(ws.outTok.subarray(0, k), this.n);
    this.n += k;
    return r;
  }

  /** Appends the codes a workspace's label scan read for rows r0..r - 1 (`ws.outCodes`); returns r. */
  private takeCodes(ws: ScanWorkspace, r0: number, r: number): number {
    if (r <= r0) return r;
    const k = r - r0;
    let codes = this.codes!;
    while (this.n + k > codes.length) codes = this.growCodes();
    codes.set(ws.outCodes.subarray(0, k), this.n);
    this.n += k;
    return r;
  }

  /**
   * `scanNumbers` run by a workspace's WebAssembly loop (same values, same summaries) on its loaded batch. Returns
   * as `scanNumbers`.
   */
  private scanNumbersIn(ws: ScanWorkspace, r0: number, count: number, d: number, last: boolean): number {
    const f = ws.stateF, s = ws.stateI, small = this.small;
    f[S.lo] = this.lo;
    f[S.hi] = this.hi;
    s[S.maxDec] = this.maxDec;
    s[S.minDec] = this.minDec;
    s[S.integer] = this.integer ? 1 : 0;
    s[S.smallN] = small === null ? -1 : this.smallN;
    s[S.smallBits] = this.smallBits;
    if (small !== null) f.set(small.subarray(0, this.smallN), S.small);
    const r = ws.scanNumbers(r0, count, d, last);
    if (r < 0) return -1;
    const k = r - r0;
    if (k === 0) return r;
    this.lo = f[S.lo];
    this.hi = f[S.hi];
    this.maxDec = s[S.maxDec];
    this.minDec = s[S.minDec];
    this.integer = s[S.integer] !== 0;
    const smallN = s[S.smallN];
    if (smallN < 0) this.small = null;
    else if (small !== null) {
      small.set(f.subarray(S.small, S.small + smallN));
      this.smallN = smallN;
    }
    this.smallBits = s[S.smallBits];
    const missing = s[S.missing];
    this.missing += missing;
    this.missCounts[0] += missing;
    if (s[S.numbers] !== 0) this.mode = 'number';
    return this.takeValues(ws, r0, r);
  }

  /**
   * `scanColumn`'s loop while the column is numeric (or empty): plain decimal numbers of at most 15 significant
   * digits and empty fields. Returns the first row it does not read (`count` when none), or -1 at a row with too
   * few or too many fields.
   */
  private scanNumbers(bytes: Uint8Array, pos: Int32Array, ends: Int32Array, r0: number, count: number, d: number, last: boolean): number {
    let nums = this.nums, tok = this.tok!, n = this.n;
    let lo = this.lo, hi = this.hi, maxDec = this.maxDec, minDec = this.minDec, integer = this.integer;
    let small = this.small, smallN = this.smallN, smallBits = this.smallBits;
    let missing = 0, numbers = false, r = r0;
    for (; r < count; r++) {
      const start = pos[r], limit = ends[r];
      let p = start;
      // (At most 15 significant digits exactly when the digits read as one integer are below 10^15: exact up to
      // there, and past it the sum only grows, so no digit needs counting.)
      const neg = p < limit && bytes[p] === 45;
      if (neg) p++;
      const intStart = p;
      let digits = 0, c = 0;
      while (p < limit) {
        c = bytes[p] - 48;
        if (c >>> 0 > 9) break;
        digits = digits * 10 + c;
        p++;
      }
      const intDigits = p - intStart;
      let dec = 0, ok = intDigits > 0 && (intDigits === 1 || bytes[intStart] !== 48);
      if (ok && p < limit && bytes[p] === 46) {
        const fs = ++p;
        while (p < limit) {
          c = bytes[p] - 48;
          if (c >>> 0 > 9) break;
          digits = digits * 10 + c;
          p++;
        }
        dec = p - fs;
        ok = dec > 0;
      }
      // The field's end: the delimiter, the row's end, or a CR that ends the row.
      let e = -1;
      if (p >= limit) e = limit;
      else {
        const b = bytes[p];
        if (b === d) e = p;
        else if (b === CR && p + 1 === limit) e = limit;
      }
      if (e < 0) break;
      if (n === nums.length) {
        this.n = n;
        this.growNumeric();
        nums = this.nums;
        tok = this.tok!;
      }
      if (ok && digits < MAX_EXACT && dec <= MAX_DEC) {
        const x = (neg ? -digits : digits) / POW10[dec];
        nums[n] = x;
        tok[n] = dec;
        if (dec > maxDec) maxDec = dec;
        if (dec < minDec) minDec = dec;
        if (dec > 0 && integer && !Number.isInteger(x)) integer = false;
        if (x < lo) lo = x;
        if (x > hi) hi = x;
        if (small !== null) {
          // An integer 0..31 known to be in `small` (its bit set) needs no scan.
          const bit = x >= 0 && x < 32 && (x | 0) === x ? 1 << x : 0;
          if (bit === 0 || (smallBits & bit) === 0) {
            let k = 0;
            while (k < smallN && small[k] !== x) k++;
            if (k === smallN) {
              if (smallN === SMALL_DISTINCT_CAP) small = null;
              else small[smallN++] = x;
            }
            smallBits |= bit;
          }
        }
        numbers = true;
      } else if (p === start) {
        nums[n] = NaN;
        tok[n] = MISS;
        missing++;
      } else break;
      n++;
      if ((e === limit) !== last) {
        r = -1;
        break;
      }
      pos[r] = e + 1;
    }
    this.n = n;
    this.lo = lo;
    this.hi = hi;
    this.maxDec = maxDec;
    this.minDec = minDec;
    this.integer = integer;
    this.small = small;
    this.smallN = smallN;
    this.smallBits = smallBits;
    this.missing += missing;
    this.missCounts[0] += missing;
    if (numbers) this.mode = 'number';
    return r;
  }

  /**
   * `scanColumn`'s loop while the column is text: ASCII labels, seen before or new. Each field first tries the last
   * label seen starting with the same two bytes (`guess`), comparing bytes; only a wrong guess hashes. Returns as
   * `scanNumbers`.
   */
  private scanLabels(bytes: Uint8Array, pos: Int32Array, ends: Int32Array, r0: number, count: number, d: number, last: boolean): number {
    let codes = this.codes!, n = this.n;
    let guess = this.guess, hits = this.guessHits, misses = this.guessMisses;
    const index = this.index;
    let r = r0;
    for (; r < count; r++) {
      const start = pos[r], limit = ends[r];
      let e = -1, c = -1, slot = -1;
      if (guess !== null && start + 1 < limit) {
        slot = ((bytes[start] << 5) ^ bytes[start + 1]) & 1023;
        const g = guess[slot] - 1;
        if (g >= 0) {
          // The guessed label's bytes, then the field's end: that label (its bytes hold no delimiter, LF or CR).
          const v = index.bytesAt(g, bytes, start, limit);
          if (v >= 0) {
            if (v === limit) e = limit;
            else {
              const b = bytes[v];
              if (b === d) e = v;
              else if (b === CR && v + 1 === limit) e = limit;
            }
          }
          if (e >= 0) {
            hits++;
            c = g;
          }
        }
        // (Guesses off once more than 1024 missed and misses outnumber hits; both comparisons made on every miss, so
        // the compiled loop has seen them before the first time this is true, often far into a file.)
        if (c < 0 && ++misses > (hits > 1024 ? hits : 1024)) {
          guess = this.guess = null;
          slot = -1;
        }
      }
      if (c < 0) {
        let p = start, h = HASH_START, or = 0;
        for (; p < limit; p++) {
          const b = bytes[p];
          if (b === d || b === CR) break;
          or |= b;
          h = Math.imul(h ^ b, 0x01000193);
        }
        if (p === limit) e = limit;
        else if (bytes[p] === d) e = p;
        else if (p + 1 === limit) e = limit; // (a CR that ends the row)
        if (p === start || or >= 128 || e < 0) break;
        h = hashFinish(h);
        c = index.findBytes(bytes, start, p, h);
        if (c < 0) {
          this.n = n;
          this.codes = codes;
          this.guessHits = hits;
          this.guessMisses = misses;
          this.pushNewLabel(n, '', h, bytes, start, p);
          n = this.n;
          // (Unless that label made the column datetime: the caller goes on with the loop for its new kind.)
          if (this.mode !== 'string') {
            if ((e === limit) !== last) return -1;
            pos[r] = e + 1;
            return r + 1;
          }
          codes = this.codes!;
          guess = this.guess;
          hits = this.guessHits;
          misses = this.guessMisses;
          c = index.size - 1;
        } else {
          if (n === codes.length) codes = this.growCodes();
          codes[n++] = c;
        }
        if (slot >= 0 && guess !== null) guess[slot] = c + 1;
        else if (guess === null && misses === 0) guess = this.guess = new Int32Array(1024);
      } else {
        if (n === codes.length) codes = this.growCodes();
        codes[n++] = c;
      }
      if ((e === limit) !== last) {
        r = -1;
        break;
      }
      pos[r] = e + 1;
    }
    this.n = n;
    this.codes = codes;
    this.guessHits = hits;
    this.guessMisses = misses;
    return r;
  }

  /** `scanColumn`'s loop while the column holds dates of a fixed-width format. Returns as `scanNumbers`. */
  private scanDates(bytes: Uint8Array, pos: Int32Array, ends: Int32Array, r0: number, count: number, d: number, last: boolean): number {
    const f = this.dt!, w = f.byteWidth;
    if (w === undefined) return r0;
    let nums = this.nums, tok = this.tok!, n = this.n, r = r0;
    for (; r < count; r++) {
      const start = pos[r], limit = ends[r], v = start + w;
      if (v > limit) break;
      let e = -1;
      if (v === limit) e = limit;
      else {
        const b = bytes[v];
        if (b === d) e = v;
        else if (b === CR && v + 1 === limit) e = limit;
      }
      if (e < 0) break;
      const ms = f.parseBytes!(bytes, start, v);
      if (ms !== ms) break;
      if (n === nums.length) {
        this.n = n;
        this.growNumeric();
        nums = this.nums;
        tok = this.tok!;
      }
      nums[n] = ms;
      tok[n] = 0;
      n++;
      if ((e === limit) !== last) {
        r = -1;
        break;
      }
      pos[r] = e + 1;
    }
    this.n = n;
    return r;
  }

  /** Appends `count` missing values (used when a JSON-lines column first appears after some rows). */
  pushMissing(count: number): void {
    for (let j = 0; j < count; j++) this.push('');
  }

  /**
   * Everything this builder holds, as plain data (typed arrays, strings, numbers) that can cross to another thread;
   * `ColumnBuilder.fromState` makes the builder again. A reader that parses parts of a file on worker threads
   * sends each part's columns this way and joins them with `canAppend`/`append`.
   */
  exportState(): ColumnBuilderState {
    const room = this.room;
    // ASCII labels (e.g. a key column's) cross as bytes: no strings to copy, none to make on the other side.
    const labelBytes = this.index.asciiBytes();
    return {
      name: this.name, mode: this.mode, n: this.n,
      labelBytes: labelBytes?.pool ?? null, labelEnds: labelBytes?.ends ?? null,
      roomId: room ? room.id : -1,
      numsAt: room && this.tok && this.nums === room.nums ? room.at : -1,
      codesAt: room && this.codes === room.codes ? room.at : -1,
      nums: this.nums.subarray(0, this.tok ? this.n : 0), tok: this.tok ? this.tok.subarray(0, this.n) : null,
      codes: this.codes ? this.codes.subarray(0, this.n) : null,
      labels: labelBytes ? [] : this.index.labels, hashes: this.index.hashList(),
      dt: this.dt ? this.dt.pattern : null, dtTried: this.dtTried, wasDatetime: this.wasDatetime,
      missing: this.missing, missCounts: this.missCounts.slice(), integer: this.integer, maxDec: this.maxDec, minDec: this.minDec,
      lo: this.lo, hi: this.hi, small: this.small ? this.small.slice(0, this.smallN) : null, shortest: this.shortest,
      raw: this.raw ? [...this.raw] : null,
    };
  }

  /** The builder `exportState` described. */
  static fromState(st: ColumnBuilderState): ColumnBuilder {
    const b = new ColumnBuilder(st.name, 16);
    b.mode = st.mode;
    b.n = st.n;
    b.roomId = st.roomId;
    b.numsAt = st.numsAt;
    b.codesAt = st.codesAt;
    if (st.tok) {
      b.nums = st.nums.length ? st.nums : new Float64Array(16);
      b.tok = st.tok.length ? st.tok : new Uint8Array(16);
    } else {
      b.nums = new Float64Array(0);
      b.tok = null;
    }
    b.codes = st.codes && st.codes.length ? st.codes : st.codes ? new Int32Array(16) : null;
    // (Labels as bytes are indexed only if a join needs more than their bytes: `labelIndex`.)
    if (st.labelBytes && st.labelEnds) b.labelBytes = { pool: st.labelBytes, ends: st.labelEnds, hashes: st.hashes };
    else b.index = LabelIndex.from(st.labels, st.hashes);
    b.dt = st.dt ? compileDatetimeFormat(st.dt) : null;
    b.dtTried = st.dtTried;
    b.wasDatetime = st.wasDatetime;
    b.missing = st.missing;
    b.missCounts.set(st.missCounts);
    b.integer = st.integer;
    b.maxDec = st.maxDec;
    b.minDec = st.minDec;
    b.lo = st.lo;
    b.hi = st.hi;
    if (st.small) {
      b.small = new Float64Array(SMALL_DISTINCT_CAP);
      b.small.set(st.small);
      b.smallN = st.small.length;
    } else b.small = null;
    b.shortest = st.shortest;
    b.raw = st.raw ? new Map(st.raw) : null;
    return b;
  }

  /**
   * Whether `next` (the same column of the rows that follow this builder's, built on its own) can be joined on
   * with `append` so that the result is exactly what pushing its values here one by one would have built. False in
   * the cases where the order of events matters (a type change across the join that could have triggered the
   * datetime test): the caller then pushes those rows here itself.
   */
  canAppend(next: ColumnBuilder): boolean {
    const a = this.mode, b = next.mode;
    const numeric = (m: Mode) => m === 'empty' || m === 'number';
    if (numeric(a) && numeric(b)) return true;
    // Text after text past the datetime test needs only the labels' bytes; anything else, `next`'s labels.
    if (!(a === 'string' && b === 'string' && (this.dtTried || this.index.size >= DATETIME_PROBE))) next.labelIndex();
    if (a === 'datetime') {
      if (b === 'empty' || (b === 'datetime' && next.dt!.pattern === this.dt!.pattern)) return true;
      // Text that is all dates of this format or missing tokens (a part with too few dates to be tested on its own).
      return b === 'string' && !next.wasDatetime && this.datesOf(next) !== null;
    }
    if (b === 'datetime' || next.wasDatetime) return false;
    // Text after text (or numbers, which are then read as their text).
    if (a === 'string') return this.dtTried || this.index.size >= DATETIME_PROBE || this.probeAfterJoin(next) === undefined;
    // Numbers here, text in `next`: the join turns this column to text; the datetime test could only have run at
    // a 512th label, which fewer rows and labels than that cannot reach.
    return this.n + next.labelCount() < DATETIME_PROBE;
  }

  /** Joins `next` on (see `canAppend`, which must have said true). */
  append(next: ColumnBuilder): void {
    const a = this.mode, b = next.mode;
    if (a === 'datetime' && b === 'string') {
      // Each label read with this column's format, or as the missing token it is.
      const ms = this.datesOf(next)!;
      const nc = next.codes!;
      next.nums = new Float64Array(next.n);
      next.tok = new Uint8Array(next.n);
      next.numsAt = -1;
      next.missCounts.fill(0);
      for (let i = 0; i < next.n; i++) {
        const c = nc[i];
        const x = c < 0 ? NaN : ms[c];
        next.nums[i] = x;
        if (x !== x) {
          const k = c < 0 ? 0 : MISSING_INDEX.get(next.dict[c])!;
          next.tok[i] = MISS + k;
          next.missCounts[k]++;
        }
      }
      next.missing = next.missCounts.reduce((t, v) => t + v, 0);
    }
    if (a === 'string' || (b === 'string' && a !== 'datetime')) {
      if (a !== 'string') this.toStrings();
      if (b !== 'string') next.toStrings();
      const before = this.index.size;
      const remap = new Int32Array(next.labelCount());
      const lb = next.labelBytes;
      if (lb) {
        // From the labels' bytes (a sorted key column's come after the last label here: no lookup, no string).
        for (let c = 0, o = 0; c < remap.length; o = lb.ends[c++]) {
          const h = lb.hashes[c], e = lb.ends[c];
          const k = this.index.findBytes(lb.pool, o, e, h);
          remap[c] = k >= 0 ? k : this.index.addBytes(lb.pool, o, e, h);
        }
      } else {
        for (let c = 0; c < remap.length; c++) {
          const s = next.dict[c], h = next.index.hashOf(c);
          const k = this.index.find(s, 0, s.length, h);
          remap[c] = k >= 0 ? k : this.index.add(s, h);
        }
      }
      const n = this.n + next.n;
      let codes = this.codes!;
      if (codes.length < n) {
        codes = new Int32Array(n);
        codes.set(this.codes!.subarray(0, this.n));
      }
      // `next`'s codes written further on in this column's room: remapped in place, moving left (each read before
      // it can be overwritten).
      const from = this.inRoom(next, codes, next.codesAt);
      const nc = from >= 0 ? codes : next.codes!;
      for (let i = 0, o = this.n, f = Math.max(0, from); i < next.n; i++) {
        const c = nc[f + i];
        codes[o + i] = c < 0 ? -1 : remap[c];
      }
      this.codes = codes;
      this.n = n;
      // Pushed one by one, the labels would have run the datetime test at the 512th (it failed: `canAppend`).
      if (!this.dtTried && before < DATETIME_PROBE && this.index.size >= DATETIME_PROBE) this.dtTried = true;
      this.missing += next.missing;
      for (let k = 0; k < this.missCounts.length; k++) this.missCounts[k] += next.missCounts[k];
      return;
    }
    // Numbers, datetimes and missing values: the arrays one after the other, the summaries combined.
    // (Into the room left in this builder's arrays when there is enough: a reader sizes them for the whole file.)
    const n = this.n + next.n, o = this.n;
    if (this.nums.length < n) {
      const nums = new Float64Array(n);
      nums.set(this.nums.subarray(0, o));
      const tok = new Uint8Array(n);
      tok.set(this.tok!.subarray(0, o));
      this.nums = nums;
      this.tok = tok;
    }
    const from = this.inRoom(next, this.nums, next.numsAt);
    if (from >= 0) {
      // Written further on in this column's room by another thread: moved left, no copy held.
      this.nums.copyWithin(o, from, from + next.n);
      this.tok!.copyWithin(o, from, from + next.n);
    } else {
      this.nums.set(next.nums.subarray(0, next.n), o);
      this.tok!.set(next.tok!.subarray(0, next.n), o);
    }
    this.n = n;
    this.missing += next.missing;
    for (let k = 0; k < this.missCounts.length; k++) this.missCounts[k] += next.missCounts[k];
    if (a === 'datetime') return;
    if (b === 'number') this.mode = 'number';
    this.integer &&= next.integer;
    this.maxDec = Math.max(this.maxDec, next.maxDec);
    this.minDec = Math.min(this.minDec, next.minDec);
    // The same comparisons as a push (not Math.min/max), so -0 and 0 keep whichever came first, as in one pass.
    if (next.lo < this.lo) this.lo = next.lo;
    if (next.hi > this.hi) this.hi = next.hi;
    this.shortest ||= next.shortest;
    if (next.raw) for (const [i, s] of next.raw) (this.raw ??= new Map()).set(o + i, s);
    if (this.small && next.small) {
      for (let k = 0; k < next.smallN && this.small; k++) {
        const x = next.small[k];
        let j = 0;
        while (j < this.smallN && this.small[j] !== x) j++;
        if (j === this.smallN) {
          if (this.smallN === SMALL_DISTINCT_CAP) this.small = null;
          else this.small[this.smallN++] = x;
        }
      }
    } else this.small = null;
  }

  /** Labels of a builder from `fromState` (given as bytes or not). */
  private labelCount(): number {
    return this.labelBytes ? this.labelBytes.ends.length : this.index.size;
  }

  /** The label index of a builder from `fromState` whose labels came as bytes, made now (`dict` then works). */
  private labelIndex(): void {
    const lb = this.labelBytes;
    if (!lb || this.index.size === lb.ends.length) return;
    const ix = new LabelIndex();
    for (let c = 0, o = 0; c < lb.ends.length; o = lb.ends[c++]) if (ix.findBytes(lb.pool, o, lb.ends[c], lb.hashes[c]) < 0) ix.addBytes(lb.pool, o, lb.ends[c], lb.hashes[c]);
    this.index = ix;
  }

  /**
   * Where `next`'s rows start in `arr` when `arr` is this builder's room from its first row and `next` wrote them in
   * the same room at `at` (not before this builder's rows end, within `arr`); else -1.
   */
  private inRoom(next: ColumnBuilder, arr: Float64Array | Int32Array, at: number): number {
    const room = this.room;
    if (!room || room.at !== 0 || at < 0 || next.roomId !== room.id) return -1;
    if (arr !== room.nums && arr !== room.codes) return -1;
    return at >= this.n && at + next.n <= arr.length ? at : -1;
  }

  /** The epoch ms of each of `next`'s labels in this column's format (NaN for a missing token); null if one is neither. */
  private datesOf(next: ColumnBuilder): Float64Array | null {
    const f = this.dt!, labels = next.dict;
    const ms = new Float64Array(labels.length);
    for (let c = 0; c < labels.length; c++) {
      ms[c] = f.parse(labels[c]);
      if (ms[c] !== ms[c] && !MISSING_INDEX.has(labels[c])) return null;
    }
    return ms;
  }

  /**
   * For a text column not yet tested for datetimes and with fewer than 512 labels: when joining `next`'s labels
   * brings it to 512, the format the test at the 512th label finds (undefined when none, or when no test runs).
   */
  private probeAfterJoin(next: ColumnBuilder): string | undefined {
    if (this.dtTried || this.dict.length >= DATETIME_PROBE) return undefined;
    const first = this.dict.slice();
    const seen = new Set(first);
    const labels = next.mode === 'string' ? next.dict : ColumnBuilder.textsOf(next);
    for (let c = 0; c < labels.length && first.length < DATETIME_PROBE; c++) {
      if (!seen.has(labels[c])) {
        seen.add(labels[c]);
        first.push(labels[c]);
      }
    }
    return first.length < DATETIME_PROBE ? undefined : detectDatetimeFormat(first);
  }

  /** The distinct texts of a numeric builder's values, in order of first appearance (empty and `''` left out). */
  private static textsOf(b: ColumnBuilder): string[] {
    const seen = new Set<string>();
    const cache = new Map<number, string[]>();
    for (let i = 0; i < b.n && seen.size < DATETIME_PROBE; i++) {
      const s = b.textAt(i, cache);
      if (s !== null) seen.add(s);
    }
    return [...seen];
  }

  private addNumber(i: number, x: number, d: number, raw?: string): void {
    this.nums[i] = x;
    this.tok![i] = d;
    if (d <= MAX_DEC) {
      if (d > this.maxDec) this.maxDec = d;
      if (d < this.minDec) this.minDec = d;
    } else {
      this.shortest = true;
      if (raw !== undefined) (this.raw ??= new Map()).set(i, raw);
    }
    if (d > 0 && this.integer && !Number.isInteger(x)) this.integer = false;
    if (x < this.lo) this.lo = x;
    if (x > this.hi) this.hi = x;
    const small = this.small;
    if (small) {
      // An integer 0..31 known to be in `small` (its bit set) needs no scan.
      const bit = x >= 0 && x < 32 && (x | 0) === x ? 1 << x : 0;
      if (bit === 0 || (this.smallBits & bit) === 0) {
        let k = 0;
        const m = this.smallN;
        while (k < m && small[k] !== x) k++;
        if (k === m) {
          if (m === SMALL_DISTINCT_CAP) this.small = null;
          else small[this.smallN++] = x;
        }
        this.smallBits |= bit;
      }
    }
    this.n++;
  }

  private addMissing(i: number, k: number): void {
    this.nums[i] = NaN;
    this.tok![i] = MISS + k;
    this.missing++;
    this.missCounts[k]++;
    this.n++;
  }

  private pushCode(i: number, c: number): void {
    let codes = this.codes!;
    if (i === codes.length) {
      const next = new Int32Array(codes.length * 2);
      next.set(codes);
      this.codes = codes = next;
    }
    codes[i] = c;
    this.n++;
  }

  /** Doubles the room for codes; returns the new array (also `this.codes`). */
  private growCodes(): Int32Array {
    const codes = this.codes!;
    const next = new Int32Array(codes.length * 2);
    next.set(codes);
    return (this.codes = next);
  }

  private pushString(i: number, s: string): void {
    let codes = this.codes!;
    if (i === codes.length) {
      const next = new Int32Array(codes.length * 2);
      next.set(codes);
      this.codes = codes = next;
    }
    if (s === '') {
      codes[i] = -1;
      this.missing++;
      this.missCounts[0]++;
    } else {
      const h = hashText(s, 0, s.length);
      let c = this.index.find(s, 0, s.length, h);
      if (c < 0) {
        c = this.index.add(s, h);
        if (c + 1 === DATETIME_PROBE && !this.dtTried) {
          codes[i] = c;
          this.n++;
          this.tryDatetime();
          return;
        }
      }
      codes[i] = c;
    }
    this.n++;
  }

  /** Row i is a label not seen before (not empty). */
  private pushNewLabel(i: number, s: string, h: number, bytes?: Uint8Array, start = 0, end = 0): void {
    let codes = this.codes!;
    if (i === codes.length) {
      const next = new Int32Array(codes.length * 2);
      next.set(codes);
      this.codes = codes = next;
    }
    // (From bytes `findBytes` has just not found: they are copied, and their string is made when the labels are read.)
    const c = bytes ? this.index.addBytes(bytes, start, end, h) : this.index.add(s, h);
    codes[i] = c;
    this.n++;
    if (c + 1 === DATETIME_PROBE && !this.dtTried) this.tryDatetime();
    // Every value so far new (a key column): room for as many labels as there is room for rows, at once.
    else if (c + 1 === RESERVE_AFTER && this.n === RESERVE_AFTER) this.index.reserve(codes.length);
  }

  private growNumeric(): void {
    const cap = Math.max(this.nums.length * 2, this.want);
    const v = new Float64Array(cap);
    v.set(this.nums);
    this.nums = v;
    const t = new Uint8Array(cap);
    t.set(this.tok!);
    this.tok = t;
  }

  /** The text of row i while the column is numeric (number, datetime or missing). */
  private textAt(i: number, cache: Map<number, string[]>): string | null {
    const t = this.tok![i];
    if (t >= MISS) return MISSING_TOKENS[t - MISS] === '' ? null : MISSING_TOKENS[t - MISS];
    const x = this.nums[i];
    if (this.mode === 'datetime') {
      let per = cache.get(x);
      if (!per) cache.set(x, (per = []));
      return (per[0] ??= this.dt!.format(x));
    }
    if (t === RAW) return this.raw!.get(i)!;
    // (A Map treats 0 and -0 as one key: negative zero is printed without the cache.)
    if (x === 0 && 1 / x < 0) return t === SHORT ? '-0' : '-' + x.toFixed(t);
    let per = cache.get(x);
    if (!per) cache.set(x, (per = []));
    return (per[t] ??= t === SHORT ? String(x) : x.toFixed(t));
  }

  /** Drops `scanBytes`' guesses (before the labels' codes may change). */
  private forgetGuesses(): void {
    this.guess = null;
    this.guessHits = this.guessMisses = 0;
  }

  /** Turns a numeric (or empty) column into a string dictionary, rebuilding each value's text exactly. */
  private toStrings(): void {
    this.forgetGuesses();
    this.numsAt = this.codesAt = -1;
    // (Into the room's codes when the rows so far are in the room's numbers: rows [0, n) of the room are then this
    // builder's. Once it has grown out of its room, rows past its region may hold the part that follows, written by
    // another thread and not yet joined.)
    const room = this.room;
    const codes = room && this.nums === room.nums && room.codes.length >= Math.max(this.n, 1) ? room.codes : new Int32Array(Math.max(1024, this.nums.length, this.want));
    const cache = new Map<number, string[]>();
    this.missing = 0;
    this.missCounts.fill(0);
    for (let i = 0; i < this.n; i++) {
      const s = this.textAt(i, cache);
      if (s === null) {
        codes[i] = -1;
        this.missing++;
        this.missCounts[0]++;
        continue;
      }
      let c = this.index.get(s);
      if (c < 0) c = this.index.add(s);
      codes[i] = c;
    }
    this.codes = codes;
    this.mode = 'string';
    this.nums = new Float64Array(0);
    this.tok = null;
    this.small = null;
    this.raw = null;
    this.shortest = false;
  }

  /** If every label so far parses with one datetime format, switch to epoch milliseconds. */
  private tryDatetime(): void {
    this.dtTried = true;
    this.forgetGuesses();
    this.numsAt = this.codesAt = -1;
    const fmt = detectDatetimeFormat(this.dict);
    if (!fmt) return;
    const f = compileDatetimeFormat(fmt);
    const ms = this.dict.map((s) => f.parse(s));
    const cap = Math.max(1024, this.codes!.length);
    // (Into the room's arrays, written again from the first row, when the rows so far are in the room's codes; see
    // `toStrings`.)
    const room = this.room;
    const inRoom = room !== null && this.codes === room.codes && room.nums.length >= Math.max(this.n, 1);
    const nums = inRoom ? room.nums : new Float64Array(cap);
    const tok = inRoom ? room.tok : new Uint8Array(cap);
    for (let i = 0; i < this.n; i++) {
      const c = this.codes![i];
      if (c < 0) {
        nums[i] = NaN;
        tok[i] = MISS;
      } else {
        nums[i] = ms[c];
        tok[i] = 0;
      }
    }
    this.nums = nums;
    this.tok = tok;
    this.codes = null;
    this.index = new LabelIndex();
    this.dt = f;
    this.mode = 'datetime';
    this.wasDatetime = true;
  }

  /** Summary statistics used by the inference rules (`inferColumnSpec`). Call after the last push. */
  stats(): ColumnStats {
    if (this.mode === 'string' && !this.dtTried) this.tryDatetime();
    const base = { name: this.name, rows: this.n, missing: this.missing };
    if (this.mode === 'empty') return { ...base, mode: 'empty' };
    if (this.mode === 'number') {
      const samples: string[] = [];
      const cache = new Map<number, string[]>();
      for (let i = 0; i < this.n && samples.length < 200; i++) {
        const s = this.textAt(i, cache);
        if (s !== null && this.tok![i] < MISS) samples.push(s);
      }
      return {
        ...base,
        mode: 'number',
        integer: this.integer,
        decimals: this.maxDec,
        ...(this.shortest ? { shortest: true } : {}),
        minDecimals: Math.min(this.minDec, this.maxDec),
        min: this.lo,
        max: this.hi,
        smallDistinct: this.small ? Array.from(this.small.subarray(0, this.smallN)).sort((a, b) => a - b) : null,
        allDistinct: KEY_LIKE_NAME.test(this.name) ? this.allDistinctNumbers() : false,
        samples,
        missingToken: this.missingToken(),
      };
    }
    if (this.mode === 'datetime') return { ...base, mode: 'datetime', format: this.dt!.pattern, missingToken: this.missingToken() };
    // (Only the first 1,000 labels are made as strings: a key column's million are made when its dictionary is read.)
    const first = this.index.head(1000);
    let len = 0, spaces = 0;
    const take = first.length;
    for (let c = 0; c < take; c++) {
      len += first[c].length;
      if (first[c].includes(' ')) spaces++;
    }
    return {
      ...base,
      mode: 'string',
      distinct: this.index.size,
      labels: first.slice(0, 64),
      samples: first.slice(0, 200),
      avgLength: take ? len / take : 0,
      spaceShare: take ? spaces / take : 0,
    };
  }

  private allDistinctNumbers(): boolean {
    if (this.missing > 0 || !this.integer || this.small) return false;
    // (Ids are often written in order: strictly ascending values are distinct without a sorted copy.)
    if (ascending(this.nums, this.n)) return true;
    const v = this.nums.slice(0, this.n).sort();
    for (let i = 1; i < v.length; i++) if (v[i] === v[i - 1]) return false;
    return true;
  }

  private missingToken(): string | undefined {
    let best = -1, k = -1;
    this.missCounts.forEach((c, j) => {
      if (c > best && c > 0) {
        best = c;
        k = j;
      }
    });
    return k > 0 ? MISSING_TOKENS[k] : undefined;
  }

  /**
   * The finished column for `spec` (inferred when omitted) and the spec actually used. Throws a ValidationError
   * naming the column and the first row whose text does not fit a given spec (never the text itself).
   */
  finish(spec?: ColumnSpec, file?: string): { spec: ColumnSpec; column: Column } {
    const inferred = inferColumnSpec(this.stats());
    const s = spec ? mergeSpec(spec, inferred) : inferred;
    const n = this.n;
    const bad = (row: number, what: string): never => {
      throw new ValidationError([{ file, row, column: this.name, message: `invalid value for a ${what} column (row ${row + 1}). Fix the value or change the column's type in the schema.` }]);
    };
    if (storageOf(s.type) === 'numeric') {
      if (s.type === 'datetime') {
        if (this.mode === 'datetime' && (!s.format || s.format === this.dt!.pattern)) return { spec: { ...s, format: this.dt!.pattern }, column: this.numericColumn() };
        if (this.mode === 'empty') return { spec: s, column: this.numericColumn() };
        const labels = this.labels();
        const fmt = s.format ?? detectDatetimeFormat(labels.dictionary) ?? 'iso';
        const f = compileDatetimeFormat(fmt === 'iso' ? 'YYYY-MM-DDTHH:mm:ss.SSSZ' : fmt);
        const ms = labels.dictionary.map((x) => f.parse(x));
        const v = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const c = labels.codes[i];
          v[i] = c < 0 ? NaN : ms[c];
          if (c >= 0 && Number.isNaN(ms[c])) bad(i, `datetime (${f.pattern})`);
        }
        return { spec: { ...s, format: f.pattern }, column: new NumericColumn(v) };
      }
      if (this.mode === 'number' && s.decimals === undefined) {
        // With exponent-form or over-long values no decimals describe the column: writers then print each value
        // in its shortest exact form.
        const ns: ColumnSpec = { ...s, integer: this.integer };
        if (!this.shortest) {
          ns.decimals = this.maxDec;
          if (this.minDec < this.maxDec) ns.minDecimals = this.minDec;
        }
        return { spec: ns, column: this.numericColumn() };
      }
      if (this.mode === 'number' || this.mode === 'empty') return { spec: s, column: this.numericColumn() };
      if (this.mode === 'datetime') bad(0, 'numerical');
      const labels = this.labels();
      const nums = labels.dictionary.map((x) => (scanNumber(x, 0, x.length) >= 0 ? lastValue : /^-?\d*\.?\d+(e[+-]?\d+)?$/i.test(x) ? Number(x) : NaN));
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const c = labels.codes[i];
        v[i] = c < 0 ? NaN : nums[c];
        if (c >= 0 && Number.isNaN(nums[c])) bad(i, 'numerical');
      }
      return { spec: s, column: new NumericColumn(v) };
    }
    let col: CategoricalColumn;
    if (this.mode === 'string' && !s.categories) {
      // The dictionary is made when first read: the labels this column has now (the builder may go on).
      col = new CategoricalColumn(fit(this.codes!, n), labelsOf(this.index, this.index.size));
    } else {
      const labels = this.labels(s.type === 'categorical' && this.mode === 'number');
      col = new CategoricalColumn(labels.codes, labels.dictionary);
      if (s.categories) col = col.recode(mergeCategories(s.categories, labels.dictionary));
    }
    const out: ColumnSpec = { ...s };
    if (this.mode === 'number' && this.missingToken() !== undefined && out.missingToken === undefined) out.missingToken = this.missingToken();
    return { spec: out, column: col };
  }

  private numericColumn(): NumericColumn {
    const v = fit(this.nums, this.n);
    return new NumericColumn(v, this.missing > 0 ? missingMask(this.tok!, this.n) : null);
  }

  /** Codes and dictionary of the text as written (numbers sorted numerically when `sortNumeric`). */
  private labels(sortNumeric = false): { codes: Int32Array; dictionary: string[] } {
    if (this.mode === 'empty') return { codes: new Int32Array(this.n).fill(-1), dictionary: [] };
    if (this.mode === 'string') return { codes: fit(this.codes!, this.n), dictionary: this.dict };
    const codes = new Int32Array(this.n);
    const tok = this.tok!, nums = this.nums, n = this.n;
    // The commonest pairs, a whole number 0..31 written without decimals, are found by value: code + 1 (0 = not yet).
    const intCode = new Int32Array(32);
    // Sorted labels of a column of whole numbers 0..31 all written without decimals (e.g. a tier or level code) are
    // its distinct values (`small`) in order: every row is then coded by value in one pass. Any other row (only -0
    // can be one) and the rows are coded as below instead.
    if (sortNumeric && this.mode === 'number' && this.small !== null && this.maxDec === 0 && !this.shortest) {
      const vals = Array.from(this.small.subarray(0, this.smallN)).sort((a, b) => a - b);
      if (vals.every((x) => x >= 0 && x < 32 && Number.isInteger(x))) {
        vals.forEach((x, k) => (intCode[x] = k + 1));
        if (knownCodes(tok, nums, 0, n, codes, intCode) === n) return { codes, dictionary: vals.map((x) => String(x)) };
        intCode.fill(0);
      }
    }
    const cache = new Map<number, string[]>();
    const index = new Map<string, number>();
    const dict: string[] = [];
    const value: number[] = [];
    // With few distinct values (the usual case of a number column read as categorical) each row's (value, marker)
    // pair is found in a short list of the pairs seen, so the text is made once per pair, not looked up per row.
    const few = this.mode === 'number' && this.small !== null && !this.raw;
    const pairX = new Float64Array(few ? 64 : 0), pairT = new Uint8Array(pairX.length), pairC = new Int32Array(pairX.length);
    let pairs = 0;
    for (let i = 0; i < n; i++) {
      // Missing rows and whole numbers 0..31 already coded, in a tight loop of its own; then row i as below.
      i = knownCodes(tok, nums, i, n, codes, intCode);
      if (i === n) break;
      const t = tok[i];
      let k = 0, small = -1;
      if (few) {
        const x = nums[i];
        // (Not -0: it is written "-0".)
        if (t === 0 && x >= 0 && x < 32 && (x | 0) === x && (x !== 0 || 1 / x > 0)) small = x;
        while (k < pairs && !(pairT[k] === t && Object.is(pairX[k], x))) k++;
        if (k < pairs) {
          codes[i] = pairC[k];
          continue;
        }
      }
      const s = this.textAt(i, cache)!;
      let c = index.get(s);
      if (c === undefined) {
        c = dict.length;
        dict.push(s);
        value.push(nums[i]);
        index.set(s, c);
      }
      codes[i] = c;
      if (small >= 0) intCode[small] = c + 1;
      else if (few && k < pairX.length) {
        pairX[k] = nums[i];
        pairT[k] = t;
        pairC[k] = c;
        pairs++;
      }
    }
    if (!sortNumeric) return { codes, dictionary: dict };
    const order = dict.map((_, i) => i).sort((a, b) => value[a] - value[b] || (dict[a] < dict[b] ? -1 : 1));
    const remap = new Int32Array(dict.length);
    order.forEach((old, k) => (remap[old] = k));
    if (order.some((old, k) => old !== k)) remapCodes(codes, remap);
    return { codes, dictionary: order.map((i) => dict[i]) };
  }
}

/**
 * A given spec completed with what was measured: the representation fields (`integer`, `decimals`,
 * `minDecimals`, `format`, `missingToken`, boolean tokens) come from inference when the given spec leaves them out
 * and the types agree; `nullable` is true when either says so. `pii` is taken as given (a schema can clear a
 * false positive by leaving it out).
 */
function mergeSpec(given: ColumnSpec, inferred: ColumnSpec): ColumnSpec {
  const out: ColumnSpec = { ...given, nullable: given.nullable || inferred.nullable };
  if (given.type === inferred.type) {
    for (const k of ['integer', 'decimals', 'minDecimals', 'format', 'missingToken', 'trueToken', 'falseToken'] as const) {
      if (out[k] === undefined && inferred[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = inferred[k];
    }
  }
  return out;
}

/**
 * 1 where row i < n is missing (marker ≥ MISS). Four rows at a time: every marker is below 128 and a marker is
 * ≥ MISS (64) exactly when its bit 6 is set, so each byte of `(word >>> 6) & 0x01010101` is that row's mask byte
 * (whatever the byte order). A function of its own: a loop inside a method called once per column per read runs in
 * the interpreter until on-stack replacement, and that replaced code was seen deoptimizing after its loop on every
 * call.
 */
function missingMask(tok: Uint8Array, n: number): Uint8Array {
  const mask = new Uint8Array(n);
  let i = 0;
  if ((tok.byteOffset & 3) === 0) {
    const words = n >>> 2, w = new Uint32Array(tok.buffer, tok.byteOffset, words), m = new Uint32Array(mask.buffer, 0, words);
    for (let j = 0; j < words; j++) m[j] = (w[j] >>> 6) & 0x01010101;
    i = words << 2;
  }
  for (; i < n; i++) mask[i] = (tok[i] >>> 6) & 1;
  return mask;
}

/**
 * `labels`' loop over the rows from `i` that need no text: a missing row gets -1, a whole number 0..31 written
 * without decimals whose code is known (`intCode[x]` = code + 1) that code. Returns the first row that is neither
 * (`n` when none). (A function of its own, as `missingMask`.)
 */
function knownCodes(tok: Uint8Array, nums: Float64Array, i: number, n: number, codes: Int32Array, intCode: Int32Array): number {
  for (; i < n; i++) {
    const t = tok[i];
    if (t >= MISS) {
      codes[i] = -1;
      continue;
    }
    const x = nums[i], k = x | 0;
    // (Not -0: it is written "-0", and 1 / -0 < 0.)
    if (t !== 0 || k !== x || k >>> 5 !== 0 || (k === 0 && 1 / x < 0)) return i;
    const c1 = intCode[k];
    if (c1 === 0) return i;
    codes[i] = c1 - 1;
  }
  return n;
}

/** Codes c ≥ 0 become `remap[c]` (missing stays -1). */
function remapCodes(codes: Int32Array, remap: Int32Array): void {
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c >= 0) codes[i] = remap[c];
  }
}

/**
 * A function that makes the first `size` labels of `index` (a column's dictionary, made on first use). Made out
 * here so that it holds the index only, not the builder (a closure in `finish` would share its context).
 */
function labelsOf(index: LabelIndex, size: number): () => readonly string[] {
  return () => {
    const all = index.labels;
    return all.length === size ? all : all.slice(0, size);
  };
}

/** Whether `v[0] < v[1] < … < v[n - 1]`. (A function of its own, as `missingMask`.) */
function ascending(v: Float64Array, n: number): boolean {
  for (let i = 1; i < n; i++) if (!(v[i] > v[i - 1])) return false;
  return true;
}

/** The first n entries: a view when the spare capacity is small (≤ 25 %), else a compact copy. */
function fit<T extends Float64Array | Int32Array>(a: T, n: number): T {
  if (a.length === n) return a;
  return (a.length <= n * 1.25 ? a.subarray(0, n) : a.slice(0, n)) as T;
}

function mergeCategories(given: readonly string[], seen: readonly string[]): string[] {
  const set = new Set(given);
  return [...given, ...seen.filter((s) => !set.has(s))];
}

/**
 * Digits after the decimal point when `s` is a plain decimal number (`-?(0|[1-9][0-9]*)(\.[0-9]+)?`, rebuilt
 * exactly by `toFixed`; negative zero included), else -1 (exponent forms are numbers too, but not plain: see
 * `scanNumber`).
 * @example plainDecimals('3.50'); // 2
 */
export function plainDecimals(s: string): number {
  const d = scanNumber(s, 0, s.length);
  return d <= MAX_DEC ? d : -1;
}

/**
 * Reads `src.slice(start, end)` as a number without making that string on the fast path. Returns -1 when it is
 * not a number as synthops reads numbers, else a marker of how it was written: 0..20 = a plain decimal with that
 * many decimals; 30 = JavaScript's shortest form of its value (`String(x)`, e.g. `1.5e-7`, `1e+21`); 31 = another
 * exponent or over-long form (`1E5`, `-2.5E-3`). The value is left in `lastValue`.
 *
 * Numbers are `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` with a finite value. Leading zeros (`007`), `+5`,
 * `.5`, `5.` stay text, and so does a whole number of more than 15 digits that a double cannot hold exactly (a
 * 20-digit key), so it is written back unchanged. Plain numbers of ≤ 15 significant digits and ≤ 20 decimals are
 * parsed with one exact integer and one correctly rounded division (the same double as `Number(s)`).
 * @example scanNumber('-2.5E-3', 0, 7); // 31 (lastValue -0.0025)
 */
export function scanNumber(src: string, start: number, end: number): number {
  if (end - start === 0 || end - start > 400) return -1;
  let p = start;
  const neg = src.charCodeAt(p) === 45;
  if (neg) p++;
  const intStart = p;
  let digits = 0, sig = 0, c = 0;
  while (p < end) {
    c = src.charCodeAt(p);
    if (c < 48 || c > 57) break;
    if (sig > 0 || c !== 48) sig++;
    digits = digits * 10 + (c - 48);
    p++;
  }
  const intDigits = p - intStart;
  if (intDigits === 0) return -1;
  if (intDigits > 1 && src.charCodeAt(intStart) === 48) return -1;
  let dec = 0;
  if (p < end && src.charCodeAt(p) === 46) {
    p++;
    const fs = p;
    while (p < end) {
      c = src.charCodeAt(p);
      if (c < 48 || c > 57) break;
      if (sig > 0 || c !== 48) sig++;
      digits = digits * 10 + (c - 48);
      p++;
    }
    dec = p - fs;
    if (dec === 0) return -1;
  }
  let exp = false;
  if (p < end) {
    c = src.charCodeAt(p);
    if (c !== 101 && c !== 69) return -1;
    p++;
    if (p < end && (src.charCodeAt(p) === 43 || src.charCodeAt(p) === 45)) p++;
    const es = p;
    while (p < end) {
      c = src.charCodeAt(p);
      if (c < 48 || c > 57) return -1;
      p++;
    }
    if (p === es) return -1;
    exp = true;
  }
  if (!exp && sig <= MAX_DIGITS && dec <= MAX_DEC) {
    // ≤ 15 digits: `digits` is an exact integer and 10^dec is exact, so one correctly rounded division gives the
    // same double as Number(s); -0 keeps its sign.
    lastValue = (neg ? -digits : digits) / POW10[dec];
    return dec;
  }
  const s = src.slice(start, end);
  const x = Number(s);
  if (!Number.isFinite(x)) return -1;
  lastValue = x;
  const negZero = x === 0 && 1 / x < 0;
  if (!exp && dec <= MAX_DEC && (negZero ? '-' : '') + x.toFixed(dec) === s) return dec;
  if ((negZero ? '-0' : String(x)) === s) return SHORT;
  // A long whole number the double does not hold exactly (a key): text.
  if (!exp && dec === 0) return -1;
  return RAW;
}

const CR = 13;

const POW10 = Array.from({ length: MAX_DEC + 1 }, (_, i) => 10 ** i);
/** The value of the last string `scanNumber` accepted (saves parsing it twice in the hot path). */
let lastValue = 0;

/**
 * The text of the UTF-8 bytes `bytes[start, end)` (`ascii`: they are known to be ASCII). A reader passes its
 * fastest decoder (e.g. Node's `latin1Slice` for ASCII).
 */
export type BytesToText = (bytes: Uint8Array, start: number, end: number, ascii: boolean) => string;

/**
 * Arrays a reader gives a `ColumnBuilder` to write its rows into: views of rows [at, at + length) of one column's
 * arrays (e.g. on SharedArrayBuffers, so that two threads write the parts of one file into one set of arrays and
 * joining a part is a move to the left, not a copy). `id` names the whole arrays (one per read).
 */
export interface ColumnRoom {
  id: number;
  at: number;
  nums: Float64Array;
  tok: Uint8Array;
  codes: Int32Array;
}

/** A `ColumnBuilder`'s contents as plain data (see `ColumnBuilder.exportState`). */
export interface ColumnBuilderState {
  name: string;
  mode: Mode;
  n: number;
  /** The room's id, and the row where `nums`/`tok` and `codes` start in its whole arrays (-1: not in the room). */
  roomId: number;
  numsAt: number;
  codesAt: number;
  nums: Float64Array;
  tok: Uint8Array | null;
  codes: Int32Array | null;
  /** The labels (empty when they are given as `labelBytes`: all ASCII, label c ending at `labelEnds[c]`). */
  labels: string[];
  labelBytes: Uint8Array | null;
  labelEnds: Int32Array | null;
  hashes: Int32Array;
  dt: string | null;
  dtTried: boolean;
  wasDatetime: boolean;
  missing: number;
  missCounts: Int32Array;
  integer: boolean;
  maxDec: number;
  minDec: number;
  lo: number;
  hi: number;
  small: Float64Array | null;
  shortest: boolean;
  raw: [number, string][] | null;
}

/** Options for `TableBuilder.finish`. */
export interface FinishOptions {
  /** Use these specs instead of inferring (columns absent from it are inferred). Default: infer all. */
  schema?: Schema;
  /** File name for error messages. */
  file?: string;
}

/**
 * Builds a Table from rows of text (a streaming CSV parser pushes rows as they come), inferring the schema
 * with `inferColumnSpec` unless one is given. Pure: usable in the browser.
 *
 * @example
 * const b = new TableBuilder(['age', 'sex']);
 * b.pushRow(['31', 'F']); b.pushRow(['', 'M']);
 * const t = b.finish(); // age numerical (nullable), sex categorical
 */
export class TableBuilder {
  readonly columns: ColumnBuilder[];

  /**
   * `capacity`: rows expected (room is made for them at once, saving the copies of growing); default 1024.
   * `room`: column j's arrays to write into instead (see `ColumnRoom`).
   */
  constructor(names: readonly string[], capacity?: number, room?: (column: number) => ColumnRoom) {
    this.columns = names.map((n, j) => new ColumnBuilder(n, capacity, room?.(j)));
  }

  get numRows(): number {
    return this.columns.length ? this.columns[0].length : 0;
  }

  /** Appends one row; `fields` must have one entry per column. */
  pushRow(fields: readonly string[]): void {
    const cols = this.columns;
    for (let j = 0; j < cols.length; j++) cols[j].push(fields[j]);
  }

  /** The finished table. Validates a given schema against the columns first (all problems at once). */
  finish(opts: FinishOptions = {}): Table {
    const given = opts.schema;
    if (given) {
      const names = new Set(this.columns.map((c) => c.name));
      const issues: ValidationIssue[] = given.columns
        .filter((c) => !names.has(c.name))
        .map((c) => ({ file: opts.file, column: c.name, message: `invalid schema column: "${c.name}" is not in the data.` }));
      if (issues.length) throw new ValidationError(issues);
    }
    const specs: ColumnSpec[] = [];
    const cols: Column[] = [];
    for (const b of this.columns) {
      const g = given?.columns.find((c) => c.name === b.name);
      const { spec, column } = b.finish(g, opts.file);
      specs.push(spec);
      cols.push(column);
    }
    const schema: Schema = { specVersion: 1, columns: specs };
    if (given?.primaryKey) schema.primaryKey = given.primaryKey;
    if (given?.target) schema.target = given.target;
    if (!cols.length) throw new SynthopsError('invalid_input', 'the table has no columns.', { file: opts.file });
    return new Table(schema, cols);
  }
}
