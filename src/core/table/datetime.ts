import { SynthopsError } from '../errors.js';

/**
 * Datetime formats, parsed and printed in UTC so that synthetic datetimes are written exactly like the input.
 *
 * A format is a string of tokens and literal characters:
 * `YYYY` year (4 digits), `MM` month 01–12, `M` month 1–12 (no leading zero), `DD` day 01–31, `D` day 1–31,
 * `HH` hour 00–23, `H` hour 0–23, `mm` minutes, `ss` seconds, `SSS` milliseconds, `Z` a literal `Z` (UTC),
 * `ZZ` an offset `+HH:mm` / `-HH:mm` (parsed and converted to UTC; printed as `+00:00`). Every other character is a
 * literal. Parsing is strict: padded tokens need exactly their width, unpadded ones refuse a leading zero, so a
 * value that parses always prints back to the same text (except `ZZ` offsets other than `+00:00`).
 * Two special formats are numbers: `epoch_ms` and `epoch_s`.
 *
 * @example
 * const f = compileDatetimeFormat('YYYY-MM-DD HH:mm:ss');
 * const ms = f.parse('2019-03-23 20:21:09'); // 1553372469000
 * f.format(ms); // '2019-03-23 20:21:09'
 */
export interface DatetimeFormat {
  /** The format string it was compiled from. */
  readonly pattern: string;
  /**
   * Epoch milliseconds (UTC), or NaN when `text` (or its part from `start` to `end`, so a reader need not cut
   * the string out) does not match the format exactly or is not a real date.
   */
  parse(text: string, start?: number, end?: number): number;
  /**
   * The same as `parse` for the UTF-8 bytes `bytes[start, end)`, for formats of fixed-width numbers and ASCII
   * literals only (absent otherwise): a reader of bytes need not make a string per cell. NaN where `parse` of the
   * decoded text would give NaN (and, for non-ASCII bytes, possibly where it would not: decode and call `parse`).
   */
  parseBytes?(bytes: Uint8Array, start: number, end: number): number;
  /** The length in bytes of every value `parseBytes` accepts (present with it: those formats are fixed-width). */
  readonly byteWidth?: number;
  /** The text for epoch milliseconds `ms` (UTC). */
  format(ms: number): string;
}

/**
 * Candidate formats tried by `detectDatetimeFormat`, in order (the first that fits every sample wins).
 * Month-first comes before day-first, so `03/04/2020` reads as 4 March unless some sample has a day > 12 in front.
 */
export const DATETIME_CANDIDATES: readonly string[] = [
  'YYYY-MM-DD',
  'YYYY-MM-DD HH:mm:ss',
  'YYYY-MM-DD HH:mm',
  'YYYY-MM-DD HH:mm:ss.SSS',
  'YYYY-MM-DDTHH:mm:ss',
  'YYYY-MM-DDTHH:mm:ss.SSS',
  'YYYY-MM-DDTHH:mm:ssZ',
  'YYYY-MM-DDTHH:mm:ss.SSSZ',
  'YYYY-MM-DDTHH:mm:ssZZ',
  'YYYY-MM-DDTHH:mm:ss.SSSZZ',
  'YYYY-MM-DDTHH:mmZ',
  'YYYY/MM/DD',
  'YYYY/MM/DD HH:mm:ss',
  'MM/DD/YYYY',
  'MM/DD/YYYY HH:mm:ss',
  'MM/DD/YYYY HH:mm',
  'DD/MM/YYYY',
  'DD/MM/YYYY HH:mm:ss',
  'DD/MM/YYYY HH:mm',
  'M/D/YYYY',
  'M/D/YYYY H:mm',
  'M/D/YYYY H:mm:ss',
  'D/M/YYYY',
  'DD.MM.YYYY',
  'DD.MM.YYYY HH:mm:ss',
  'DD-MM-YYYY',
  'MM-DD-YYYY',
  'YYYY-MM',
];

type Token = { kind: 'lit'; text: string } | { kind: 'num'; field: Field; width: number; padded: boolean } | { kind: 'Z' } | { kind: 'ZZ' };
type Field = 'Y' | 'M' | 'D' | 'H' | 'm' | 's' | 'S';
const TOKENS: [string, Token][] = [
  ['YYYY', { kind: 'num', field: 'Y', width: 4, padded: true }],
  ['SSS', { kind: 'num', field: 'S', width: 3, padded: true }],
  ['MM', { kind: 'num', field: 'M', width: 2, padded: true }],
  ['DD', { kind: 'num', field: 'D', width: 2, padded: true }],
  ['HH', { kind: 'num', field: 'H', width: 2, padded: true }],
  ['mm', { kind: 'num', field: 'm', width: 2, padded: true }],
  ['ss', { kind: 'num', field: 's', width: 2, padded: true }],
  ['ZZ', { kind: 'ZZ' }],
  ['M', { kind: 'num', field: 'M', width: 2, padded: false }],
  ['D', { kind: 'num', field: 'D', width: 2, padded: false }],
  ['H', { kind: 'num', field: 'H', width: 2, padded: false }],
  ['Z', { kind: 'Z' }],
];

const cache = new Map<string, DatetimeFormat>();

/**
 * Compiles a format string (see `DatetimeFormat`) into a strict parser and printer. Cached by pattern.
 * Throws `invalid_argument` for an empty pattern or one without a year.
 * @example compileDatetimeFormat('MM/DD/YYYY').format(Date.UTC(2020, 0, 31)); // '01/31/2020'
 */
export function compileDatetimeFormat(pattern: string): DatetimeFormat {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let f: DatetimeFormat;
  if (pattern === 'epoch_ms' || pattern === 'epoch_s') {
    const k = pattern === 'epoch_ms' ? 1 : 1000;
    f = {
      pattern,
      parse: (text, start = 0, end = text.length) => {
        const t = start === 0 && end === text.length ? text : text.slice(start, end);
        return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) * k : NaN;
      },
      format: (ms) => String(ms / k),
    };
  } else {
    f = compileTokens(pattern);
  }
  cache.set(pattern, f);
  return f;
}

function compileTokens(pattern: string): DatetimeFormat {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; ) {
    const hit = TOKENS.find(([t]) => pattern.startsWith(t, i));
    if (hit) {
      tokens.push(hit[1]);
      i += hit[0].length;
    } else {
      const last = tokens[tokens.length - 1];
      if (last && last.kind === 'lit') last.text += pattern[i];
      else tokens.push({ kind: 'lit', text: pattern[i] });
      i++;
    }
  }
  if (!tokens.some((t) => t.kind === 'num' && t.field === 'Y'))
    throw new SynthopsError('invalid_argument', `invalid datetime format: ${JSON.stringify(pattern)}. It needs a YYYY year token.`);
  const fixed = fixedWidthParser(tokens);
  const fixedBytes = fixed ? (isoBytesParser(pattern) ?? fixedWidthParser(tokens, true)) : undefined;
  const parse = (text: string, start = 0, end = text.length): number => {
    if (fixed) return fixed(text, start, end);
    let Y = 1970, M = 1, D = 1, H = 0, m = 0, s = 0, S = 0, off = 0;
    let p = start;
    for (const t of tokens) {
      if (t.kind === 'lit') {
        if (p + t.text.length > end || !text.startsWith(t.text, p)) return NaN;
        p += t.text.length;
      } else if (t.kind === 'Z') {
        if (p >= end || text.charCodeAt(p) !== 90) return NaN;
        p++;
      } else if (t.kind === 'ZZ') {
        const z = /^([+-])(\d\d):(\d\d)/.exec(text.slice(p, Math.min(p + 6, end)));
        if (!z) return NaN;
        off = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3]));
        p += 6;
      } else {
        let v = 0, n = 0;
        while (n < t.width && p < end) {
          const c = text.charCodeAt(p) - 48;
          if (c < 0 || c > 9) break;
          if (n === 0 && c === 0 && !t.padded && p + 1 < end && isDigit(text.charCodeAt(p + 1))) return NaN;
          v = v * 10 + c;
          n++;
          p++;
        }
        if (n === 0 || (t.padded && n !== t.width)) return NaN;
        switch (t.field) {
          case 'Y': Y = v; break;
          case 'M': M = v; break;
          case 'D': D = v; break;
          case 'H': H = v; break;
          case 'm': m = v; break;
          case 's': s = v; break;
          case 'S': S = v; break;
        }
      }
    }
    if (p !== end) return NaN;
    if (M < 1 || M > 12 || D < 1 || D > daysIn(Y, M) || H > 23 || m > 59 || s > 59) return NaN;
    return (((daysFromCivil(Y, M, D) * 24 + H) * 60 + m - off) * 60 + s) * 1000 + S;
  };
  const format = (ms: number): string => {
    if (!Number.isFinite(ms)) return '';
    const d = new Date(Math.round(ms));
    let out = '';
    for (const t of tokens) {
      if (t.kind === 'lit') out += t.text;
      else if (t.kind === 'Z') out += 'Z';
      else if (t.kind === 'ZZ') out += '+00:00';
      else {
        const v = fieldOf(d, t.field);
        const txt = String(v);
        out += t.padded ? txt.padStart(t.width, '0') : txt;
      }
    }
    return out;
  };
  return fixedBytes ? { pattern, parse, parseBytes: fixedBytes, byteWidth: widthOf(tokens), format } : { pattern, parse, format };
}

/**
 * For `YYYY-MM-DD`, `YYYY-MM-DD HH:mm:ss` and `YYYY-MM-DDTHH:mm:ss` (the commonest formats in data files): the
 * bytes parser as straight-line code, the same results as `fixedWidthParser`'s loop over the tokens (~2× fewer
 * steps per cell). Undefined for other formats.
 */
function isoBytesParser(pattern: string): ((b: Uint8Array, start: number, end: number) => number) | undefined {
  const sep = pattern === 'YYYY-MM-DD' ? -1 : pattern === 'YYYY-MM-DD HH:mm:ss' ? 32 : pattern === 'YYYY-MM-DDTHH:mm:ss' ? 84 : 0;
  if (sep === 0) return undefined;
  const w = sep < 0 ? 10 : 19;
  /** The 2-digit number at i, or -1 when either byte is not a digit. */
  const two = (b: Uint8Array, i: number): number => {
    const x = b[i] - 48, y = b[i + 1] - 48;
    return x >>> 0 > 9 || y >>> 0 > 9 ? -1 : x * 10 + y;
  };
  return (b: Uint8Array, start: number, end: number): number => {
    if (end - start !== w || b[start + 4] !== 45 || b[start + 7] !== 45) return NaN;
    const hi = two(b, start), lo = two(b, start + 2), M = two(b, start + 5), D = two(b, start + 8);
    if (hi < 0 || lo < 0 || M < 1 || M > 12 || D < 1) return NaN;
    const Y = hi * 100 + lo;
    if (D > daysIn(Y, M)) return NaN;
    const days = daysFromCivil(Y, M, D);
    if (sep < 0) return days * 86400000;
    if (b[start + 10] !== sep || b[start + 13] !== 58 || b[start + 16] !== 58) return NaN;
    const H = two(b, start + 11), m = two(b, start + 14), s = two(b, start + 17);
    if (H < 0 || H > 23 || m < 0 || m > 59 || s < 0 || s > 59) return NaN;
    return (((days * 24 + H) * 60 + m) * 60 + s) * 1000;
  };
}

/** Characters of a fixed-width format's values (literals, `Z`, padded numbers; what `fixedWidthParser` checks). */
function widthOf(tokens: readonly Token[]): number {
  let w = 0;
  for (const t of tokens) w += t.kind === 'lit' ? t.text.length : t.kind === 'num' ? t.width : 1;
  return w;
}

const FIELD_INDEX: Record<Field, number> = { Y: 0, M: 1, D: 2, H: 3, m: 4, s: 5, S: 6 };

/**
 * For a format of padded numbers and literals only (`YYYY-MM-DD HH:mm:ss` and most others), a parser that checks
 * the length once and reads each field at its fixed offset: same results as the general token loop, several
 * times faster (it runs once per cell when reading). Undefined for other formats.
 */
function fixedWidthParser(tokens: readonly Token[]): ((text: string, start: number, end: number) => number) | undefined;
function fixedWidthParser(tokens: readonly Token[], bytes: true): ((bytes: Uint8Array, start: number, end: number) => number) | undefined;
function fixedWidthParser(tokens: readonly Token[], bytes = false): ((src: never, start: number, end: number) => number) | undefined {
  const litPos: number[] = [], litCode: number[] = [], numPos: number[] = [], numWidth: number[] = [], numField: number[] = [];
  let w = 0;
  for (const t of tokens) {
    if (t.kind === 'lit') {
      for (let k = 0; k < t.text.length; k++) {
        litPos.push(w++);
        litCode.push(t.text.charCodeAt(k));
      }
    } else if (t.kind === 'Z') {
      litPos.push(w++);
      litCode.push(90);
    } else if (t.kind === 'num' && t.padded) {
      numPos.push(w);
      numWidth.push(t.width);
      numField.push(FIELD_INDEX[t.field]);
      w += t.width;
    } else return undefined;
  }
  const v = [1970, 1, 1, 0, 0, 0, 0];
  if (bytes) {
    // Bytes match characters one for one only for ASCII literals.
    if (litCode.some((c) => c >= 128)) return undefined;
    // The same checks with the offsets in typed arrays and the fields in locals (one call per cell when reading).
    const lp = Int32Array.from(litPos), lc = Int32Array.from(litCode);
    const np = Int32Array.from(numPos), nw = Int32Array.from(numWidth), nf = Int32Array.from(numField);
    const nl = lp.length, nn = np.length;
    return (b: Uint8Array, start: number, end: number): number => {
      if (end - start !== w) return NaN;
      for (let k = 0; k < nl; k++) if (b[start + lp[k]] !== lc[k]) return NaN;
      let Y = 1970, M = 1, D = 1, H = 0, m = 0, s = 0, S = 0;
      for (let k = 0; k < nn; k++) {
        let x = 0;
        for (let p = start + np[k], e = p + nw[k]; p < e; p++) {
          const c = b[p] - 48;
          if (c < 0 || c > 9) return NaN;
          x = x * 10 + c;
        }
        switch (nf[k]) {
          case 0: Y = x; break;
          case 1: M = x; break;
          case 2: D = x; break;
          case 3: H = x; break;
          case 4: m = x; break;
          case 5: s = x; break;
          default: S = x;
        }
      }
      if (M < 1 || M > 12 || D < 1 || D > daysIn(Y, M) || H > 23 || m > 59 || s > 59) return NaN;
      return (((daysFromCivil(Y, M, D) * 24 + H) * 60 + m) * 60 + s) * 1000 + S;
    };
  }
  return (text: string, start: number, end: number): number => {
    if (end - start !== w) return NaN;
    for (let k = 0; k < litPos.length; k++) if (text.charCodeAt(start + litPos[k]) !== litCode[k]) return NaN;
    v[0] = 1970;
    v[1] = v[2] = 1;
    v[3] = v[4] = v[5] = v[6] = 0;
    for (let k = 0; k < numPos.length; k++) {
      let x = 0;
      for (let p = start + numPos[k], e = p + numWidth[k]; p < e; p++) {
        const c = text.charCodeAt(p) - 48;
        if (c < 0 || c > 9) return NaN;
        x = x * 10 + c;
      }
      v[numField[k]] = x;
    }
    const Y = v[0], M = v[1], D = v[2], H = v[3], m = v[4], s = v[5];
    if (M < 1 || M > 12 || D < 1 || D > daysIn(Y, M) || H > 23 || m > 59 || s > 59) return NaN;
    return (((daysFromCivil(Y, M, D) * 24 + H) * 60 + m) * 60 + s) * 1000 + v[6];
  };
}

/** Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's days_from_civil), without a Date. */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function fieldOf(d: Date, f: Field): number {
  switch (f) {
    case 'Y': return d.getUTCFullYear();
    case 'M': return d.getUTCMonth() + 1;
    case 'D': return d.getUTCDate();
    case 'H': return d.getUTCHours();
    case 'm': return d.getUTCMinutes();
    case 's': return d.getUTCSeconds();
    case 'S': return d.getUTCMilliseconds();
  }
}

function daysIn(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * The first format in `candidates` (default `DATETIME_CANDIDATES`) that parses every sample, or undefined.
 * Empty samples are ignored; with no non-empty sample the answer is undefined. Deterministic.
 * @example detectDatetimeFormat(['2019-03-23 20:21:09', '2019-03-01 08:00:00']); // 'YYYY-MM-DD HH:mm:ss'
 */
export function detectDatetimeFormat(samples: readonly string[], candidates: readonly string[] = DATETIME_CANDIDATES): string | undefined {
  const xs = samples.filter((s) => s !== '');
  if (!xs.length) return undefined;
  // Cheap pre-filter: a date has digits and at least one separator and is short.
  if (!xs.every((s) => s.length >= 7 && s.length <= 35 && /^\d/.test(s) && /[-/.]/.test(s))) return undefined;
  for (const c of candidates) {
    const f = compileDatetimeFormat(c);
    if (xs.every((s) => !Number.isNaN(f.parse(s)))) return c;
  }
  return undefined;
}

/**
 * Converts a Python strftime pattern as used in SDV metadata (`%Y-%m-%d %H:%M:%S`) to a synthops format, or
 * undefined when it uses a directive synthops does not support.
 * @example strftimeToFormat('%m/%d/%Y'); // 'MM/DD/YYYY'
 */
export function strftimeToFormat(p: string): string | undefined {
  const map: Record<string, string> = { Y: 'YYYY', m: 'MM', d: 'DD', H: 'HH', M: 'mm', S: 'ss', f: 'SSS', z: 'ZZ', '%': '%' };
  let out = '';
  for (let i = 0; i < p.length; i++) {
    if (p[i] !== '%') {
      if (/[YMDHmsSZ]/.test(p[i])) return undefined;
      out += p[i];
      continue;
    }
    const t = map[p[++i]];
    if (t === undefined) return undefined;
    out += t;
  }
  return out.includes('YYYY') ? out : undefined;
}
