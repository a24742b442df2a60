// AssemblyScript source of the CSV field scanners (compiled by `npm run build:wasm`, which writes
// src/core/table/csv-scan.wasm.ts). Memory is managed by the caller (src/core/table/scan-workspace.ts): the batch of
// rows' bytes, where each row's next field starts (`pos`) and where the row ends (`ends`), the outputs and each text
// column's label table all live at byte offsets at or above heapBase(), and the caller reads and writes them through
// typed-array views.
//
// Each scanner reads one column's field of rows r0.. of a batch and stops at the first field it does not read (the
// caller reads that one in TypeScript and calls again): it does exactly what `ColumnBuilder.scanNumbers` /
// `scanLabels` in src/core/table/infer-builder.ts do for the fields they read — the same doubles from the same
// operations, the same summaries, the same field ends — so a table read either way is the same.
//
// Why WebAssembly: V8 compiles it before it runs (no warm-up), so a file read once in a fresh process parses at
// compiled speed from its first row; the same loops in JavaScript run interpreted until the optimiser catches up.

const LF: u32 = 10;
const CR: u32 = 13;
const QUOTE: u32 = 34;
const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;
const MINUS: u32 = 45;
const DOT: u32 = 46;
/** Marker of a missing value in a number column's per-row byte (`MISS` + token 0, the empty string). */
const MISS: u8 = 64;
/** Most decimals of a plain number (`MAX_DEC`), and 10^15: the most significant digits read exactly. */
const MAX_DEC: i32 = 20;
const MAX_EXACT: i64 = 1_000_000_000_000_000;
const SMALL_CAP: i32 = 16;
const POW10: StaticArray<f64> = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20];

/** First free byte after static data. */
export function heapBase(): usize {
  return __heap_base;
}

/** Whether some byte of w is zero (no false negatives; a false positive only above a zero byte). */
// @ts-ignore: decorator
@inline
function hasZero(w: u64): bool {
  return ((w - ONES) & ~w & HIGHS) != 0;
}

/**
 * The rows of a stretch of a delimited file at [a, L) (rows end at an LF; with `final` the last one may end at L):
 * writes the bounds of up to `most` of them, in order, to pos and ends (i32: where the row starts, where it ends — its
 * LF, or L), skipping empty lines (and a lone CR before an LF), and stops before a row holding a quote. Returns how
 * many; at `st` + 192 (i32) where the rows read end (the next row's start), at + 196 why it stopped: 0 the stretch's
 * end or `most` rows, 1 the next row holds a quote, 2 the next row does not end by L (and not `final`).
 */
export function rows(a: usize, L: usize, final: bool, most: i32, pos: usize, ends: usize, st: usize): i32 {
  const lfs = ONES * LF, quotes = ONES * QUOTE;
  let count = 0, stop = 0;
  while (a < L) {
    // This row's end, 8 bytes at a time until some byte may be an LF or a quote.
    let k = a, quoted = false;
    while (k + 8 <= L) {
      const w = load<u64>(k);
      if (hasZero(w ^ lfs) || hasZero(w ^ quotes)) break;
      k += 8;
    }
    for (; k < L; k++) {
      const b = <u32>load<u8>(k);
      if (b == LF) break;
      if (b == QUOTE) {
        quoted = true;
        break;
      }
    }
    if (quoted) {
      stop = 1;
      break;
    }
    if (k >= L && !final) {
      stop = 2;
      break;
    }
    if (k > a + 1 || (k == a + 1 && <u32>load<u8>(a) != CR)) {
      store<i32>(pos + (<usize>count << 2), <i32>a);
      store<i32>(ends + (<usize>count << 2), <i32>k);
      count++;
    }
    a = k < L ? k + 1 : L;
    if (count == most) break;
  }
  store<i32>(st, <i32>a, 192);
  store<i32>(st, stop, 196);
  return count;
}

// Number column state at `st` (written by the caller before, read back after):
//   f64 lo @0, hi @8, small[16] @16..144; i32 maxDec @144, minDec @148, integer @152, smallN @156 (-1: more than
//   16 distinct values), smallBits @160, missing (out) @164, numbers (out: a number was read) @168.

/**
 * Reads rows r0..count-1 (row r: field from load<i32>(pos + 4r) to the delimiter `d` or the row's end
 * load<i32>(ends + 4r)) while each field is a plain number of at most 15 significant digits or empty: value r - r0
 * goes to out (f64) and its decimals (or MISS) to tok (u8), and pos[r] moves past the field's delimiter. Returns the
 * first row not read (`count` when none), or -1 at a row with too few or too many fields (`last`: the row's last column).
 */
export function scanNumbers(pos: usize, ends: usize, r0: i32, count: i32, d: u32, last: bool, out: usize, tok: usize, st: usize): i32 {
  let lo = load<f64>(st), hi = load<f64>(st, 8);
  let maxDec = load<i32>(st, 144), minDec = load<i32>(st, 148), integer = load<i32>(st, 152);
  let smallN = load<i32>(st, 156), smallBits = load<u32>(st, 160);
  let missing = 0, numbers = 0;
  let r = r0;
  for (; r < count; r++) {
    const start = <usize>load<i32>(pos + (<usize>r << 2)), limit = <usize>load<i32>(ends + (<usize>r << 2));
    let p = start;
    const neg = p < limit && <u32>load<u8>(p) == MINUS;
    if (neg) p++;
    const intStart = p;
    // The digits as one integer (exact: at most 18 digits are taken, and 10^18 < 2^63), then one conversion — the
    // same double as the TypeScript loop's running double sum whenever it is below 10^15 (exact there too).
    let digits: i64 = 0;
    while (p < limit) {
      const c = <u32>load<u8>(p) - 48;
      if (c > 9) break;
      digits = digits * 10 + <i64>c;
      p++;
    }
    const intDigits = p - intStart;
    let dec: i32 = 0;
    let ok = intDigits > 0 && (intDigits == 1 || <u32>load<u8>(intStart) != 48);
    if (ok && p < limit && <u32>load<u8>(p) == DOT) {
      const fs = ++p;
      while (p < limit) {
        const c = <u32>load<u8>(p) - 48;
        if (c > 9) break;
        digits = digits * 10 + <i64>c;
        p++;
      }
      dec = <i32>(p - fs);
      ok = dec > 0;
    }
    ok = ok && <i32>intDigits + dec <= 18 && digits < MAX_EXACT;
    // The field's end: the delimiter, the row's end, or a CR that ends the row.
    let e: isize = -1;
    if (p >= limit) e = <isize>limit;
    else {
      const b = <u32>load<u8>(p);
      if (b == d) e = <isize>p;
      else if (b == CR && p + 1 == limit) e = <isize>limit;
    }
    if (e < 0) break;
    const k = <usize>(r - r0);
    if (ok && dec <= MAX_DEC) {
      const v = <f64>digits;
      const x = (neg ? -v : v) / unchecked(POW10[dec]);
      store<f64>(out + (k << 3), x);
      store<u8>(tok + k, <u8>dec);
      if (dec > maxDec) maxDec = dec;
      if (dec < minDec) minDec = dec;
      if (dec > 0 && integer != 0 && Math.floor(x) != x) integer = 0;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
      if (smallN >= 0) {
        // An integer 0..31 known to be in `small` (its bit set) needs no scan.
        let bit: u32 = 0;
        if (x >= 0 && x < 32 && <f64>(<i32>x) == x) bit = (<u32>1) << <u32>(<i32>x);
        if (bit == 0 || (smallBits & bit) == 0) {
          let j = 0;
          while (j < smallN && load<f64>(st + 16 + (<usize>j << 3)) != x) j++;
          if (j == smallN) {
            if (smallN == SMALL_CAP) smallN = -1;
            else {
              store<f64>(st + 16 + (<usize>smallN << 3), x);
              smallN++;
            }
          }
          smallBits |= bit;
        }
      }
      numbers = 1;
    } else if (p == start) {
      store<f64>(out + (k << 3), NaN);
      store<u8>(tok + k, MISS);
      missing++;
    } else break;
    if ((<usize>e == limit) != last) {
      r = -1;
      break;
    }
    store<i32>(pos + (<usize>r << 2), <i32>e + 1);
  }
  store<f64>(st, lo);
  store<f64>(st, hi, 8);
  store<i32>(st, maxDec, 144);
  store<i32>(st, minDec, 148);
  store<i32>(st, integer, 152);
  store<i32>(st, smallN, 156);
  store<u32>(st, smallBits, 160);
  store<i32>(st, missing, 164);
  store<i32>(st, numbers, 168);
  return r;
}

/** The 2-digit number at p, or -1 when either byte is not a digit. */
// @ts-ignore: decorator
@inline
function two(p: usize): i32 {
  const x = <u32>load<u8>(p) - 48, y = <u32>load<u8>(p, 1) - 48;
  return x > 9 || y > 9 ? -1 : <i32>(x * 10 + y);
}

function floorDiv(a: i32, b: i32): i32 {
  const q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (as `daysFromCivil` in src/core/table/datetime.ts). */
function daysFromCivil(y: i32, m: i32, d: i32): i32 {
  y -= m <= 2 ? 1 : 0;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

function daysIn(y: i32, m: i32): i32 {
  if (m == 2) return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28;
  return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
}

/**
 * Reads rows r0..count-1 (as `scanNumbers`) while each field is a valid date of the ISO format `sep` says — 0:
 * `YYYY-MM-DD`, else `YYYY-MM-DD` + the byte `sep` + `HH:mm:ss` — exactly as `isoBytesParser` in
 * src/core/table/datetime.ts reads it: its epoch milliseconds go to out (f64) and 0 to tok. Returns the first row
 * not read (any other field: TypeScript reads it), or -1 at a row with too few or too many fields.
 */
export function scanDates(sep: u32, pos: usize, ends: usize, r0: i32, count: i32, d: u32, last: bool, out: usize, tok: usize): i32 {
  const w: usize = sep == 0 ? 10 : 19;
  let r = r0;
  for (; r < count; r++) {
    const start = <usize>load<i32>(pos + (<usize>r << 2)), limit = <usize>load<i32>(ends + (<usize>r << 2)), v = start + w;
    if (v > limit) break;
    let e: isize = -1;
    if (v == limit) e = <isize>limit;
    else {
      const b = <u32>load<u8>(v);
      if (b == d) e = <isize>v;
      else if (b == CR && v + 1 == limit) e = <isize>limit;
    }
    if (e < 0 || <u32>load<u8>(start, 4) != MINUS || <u32>load<u8>(start, 7) != MINUS) break;
    const hi = two(start), lo = two(start + 2), M = two(start + 5), D = two(start + 8);
    if (hi < 0 || lo < 0 || M < 1 || M > 12 || D < 1) break;
    const Y = hi * 100 + lo;
    if (D > daysIn(Y, M)) break;
    const days = <i64>daysFromCivil(Y, M, D);
    let ms: i64;
    if (sep == 0) ms = days * 86400000;
    else {
      if (<u32>load<u8>(start, 10) != sep || <u32>load<u8>(start, 13) != 58 || <u32>load<u8>(start, 16) != 58) break;
      const H = two(start + 11), m = two(start + 14), s = two(start + 17);
      if (H < 0 || H > 23 || m < 0 || m > 59 || s < 0 || s > 59) break;
      ms = (((days * 24 + <i64>H) * 60 + <i64>m) * 60 + <i64>s) * 1000;
    }
    const k = <usize>(r - r0);
    store<f64>(out + (k << 3), <f64>ms);
    store<u8>(tok + k, 0);
    if ((<usize>e == limit) != last) {
      r = -1;
      break;
    }
    store<i32>(pos + (<usize>r << 2), <i32>e + 1);
  }
  return r;
}

// A text column's label table at `t` (kept by the caller, src/core/table/scan-workspace.ts):
//   i32 slots @0 (address of the table: slot = code + 1, 0 empty), mask @4 (slots - 1), labels @8 (address of
//   per-code (hash, pool offset, length), 12 bytes each), count @12, pool @16 (address of the labels' bytes),
//   guesses @20 (address of GUESSES i32 slots: code + 1 of the last label read whose first 4 bytes hash there).

const GUESS_BITS: u32 = 10;

/** Whether the len bytes at a and b are equal (8 at a time; may read up to 7 bytes past either). */
// @ts-ignore: decorator
@inline
function same(a: usize, b: usize, len: usize): bool {
  let k: usize = 0;
  for (; k + 8 <= len; k += 8) if (load<u64>(a + k) != load<u64>(b + k)) return false;
  if (k == len) return true;
  const mask = (<u64>1 << (<u64>(len - k) << 3)) - 1;
  return ((load<u64>(a + k) ^ load<u64>(b + k)) & mask) == 0;
}

/** Hash of the bytes [p, e) (FNV-1a, finished with a multiply-xorshift so that the low bits depend on every byte). */
function hashBytes(p: usize, e: usize): u32 {
  let h: u32 = 0x811c9dc5;
  for (; p < e; p++) h = (h ^ <u32>load<u8>(p)) * 0x01000193;
  return finish(h);
}

function finish(h: u32): u32 {
  h ^= h >>> 15;
  h *= 0x2c1b3c6d;
  return h ^ (h >>> 13);
}

/** Code of the label whose bytes are [p, p + len) with hash h, or -1. */
function find(t: usize, p: usize, len: u32, h: u32): i32 {
  const slots = <usize>load<i32>(t), mask = load<u32>(t, 4), labels = <usize>load<i32>(t, 8), pool = <usize>load<i32>(t, 16);
  // (At most every slot once: the table always has empty ones, and a lookup must end whatever the memory holds.)
  for (let k = h & mask, i: u32 = 0; i <= mask; k = (k + 1) & mask, i++) {
    const e = load<i32>(slots + (<usize>k << 2));
    if (e == 0) return -1;
    const l = labels + <usize>(e - 1) * 12;
    if (load<u32>(l) == h && load<u32>(l, 8) == len && same(pool + <usize>load<i32>(l, 4), p, len)) return e - 1;
  }
  return -1;
}

/** Puts code c in the first empty slot from its hash's; false when there is none (never, while the caller keeps the table at most half full). */
function place(t: usize, c: i32, h: u32): bool {
  const slots = <usize>load<i32>(t), mask = load<u32>(t, 4);
  for (let k = h & mask, i: u32 = 0; i <= mask; k = (k + 1) & mask, i++) {
    if (load<i32>(slots + (<usize>k << 2)) == 0) {
      store<i32>(slots + (<usize>k << 2), c + 1);
      return true;
    }
  }
  return false;
}

/**
 * Adds `n` labels whose bytes the caller has put in the pool one after another from pool offset `from` (label i ends
 * at load<i32>(lens + 4i), an offset from the pool's start), as codes count.. (the table has room for them).
 * False if a label found no empty slot (a broken table: the caller stops using it).
 */
export function addLabels(t: usize, from: i32, lens: usize, n: i32): bool {
  const labels = <usize>load<i32>(t, 8), pool = <usize>load<i32>(t, 16);
  let c = load<i32>(t, 12), o = from;
  for (let i = 0; i < n; i++, c++) {
    const e = load<i32>(lens + (<usize>i << 2));
    const h = hashBytes(pool + <usize>o, pool + <usize>e);
    const l = labels + <usize>c * 12;
    store<u32>(l, h);
    store<i32>(l, o, 4);
    store<i32>(l, e - o, 8);
    if (!place(t, c, h)) return false;
    o = e;
  }
  store<i32>(t, c, 12);
  return true;
}

/** Places every label again in a new (zeroed) table of mask + 1 slots at `slots`; false as `addLabels`. */
export function rehash(t: usize, slots: usize, mask: u32): bool {
  memory.fill(slots, 0, (<usize>mask + 1) << 2);
  store<i32>(t, <i32>slots);
  store<u32>(t, mask, 4);
  const labels = <usize>load<i32>(t, 8), n = load<i32>(t, 12);
  for (let c = 0; c < n; c++) if (!place(t, c, load<u32>(labels + <usize>c * 12))) return false;
  return true;
}

/**
 * Reads rows r0..count-1 (as `scanNumbers`) while each field is a non-empty ASCII label the table at `t` holds:
 * its code goes to out (i32) at r - r0. Returns the first row not read (a new label, a non-ASCII or empty field, a CR
 * inside a field), or -1 at a row with too few or too many fields.
 *
 * Each field first tries the label last read whose first 4 bytes hashed to the same guess slot: its bytes, then the
 * field's end, mean that label (a label only becomes a guess after a field held exactly its bytes, so it holds no
 * delimiter or CR). Only a wrong guess hashes the field and looks it up. (Reads up to 7 bytes past a field: the
 * caller keeps that much memory after the batch.)
 */
export function scanLabels(t: usize, pos: usize, ends: usize, r0: i32, count: i32, d: u32, last: bool, out: usize): i32 {
  const labels = <usize>load<i32>(t, 8), pool = <usize>load<i32>(t, 16), guesses = <usize>load<i32>(t, 20);
  let r = r0;
  for (; r < count; r++) {
    const start = <usize>load<i32>(pos + (<usize>r << 2)), limit = <usize>load<i32>(ends + (<usize>r << 2));
    let e: isize = -1, c: i32 = -1, slot: usize = -1;
    if (start + 4 <= limit) {
      slot = <usize>((load<u32>(start) * 0x9e3779b1) >>> (32 - GUESS_BITS)) << 2;
      const g = load<i32>(guesses + slot) - 1;
      if (g >= 0) {
        const l = labels + <usize>g * 12, len = <usize>load<i32>(l, 8), v = start + len;
        if (v <= limit && same(pool + <usize>load<i32>(l, 4), start, len)) {
          if (v == limit) e = <isize>limit;
          else {
            const b = <u32>load<u8>(v);
            if (b == d) e = <isize>v;
            else if (b == CR && v + 1 == limit) e = <isize>limit;
          }
          if (e >= 0) c = g;
        }
      }
    }
    if (c < 0) {
      let p = start, h: u32 = 0x811c9dc5, or: u32 = 0;
      for (; p < limit; p++) {
        const b = <u32>load<u8>(p);
        if (b == d || b == CR) break;
        or |= b;
        h = (h ^ b) * 0x01000193;
      }
      if (p == limit) e = <isize>limit;
      else if (<u32>load<u8>(p) == d) e = <isize>p;
      else if (p + 1 == limit) e = <isize>limit; // (a CR that ends the row)
      if (p == start || or >= 128 || e < 0) break;
      c = find(t, start, <u32>(p - start), finish(h));
      if (c < 0) break;
      if (slot != -1) store<i32>(guesses + slot, c + 1);
    }
    store<i32>(out + (<usize>(r - r0) << 2), c);
    if ((<usize>e == limit) != last) {
      r = -1;
      break;
    }
    store<i32>(pos + (<usize>r << 2), <i32>e + 1);
  }
  return r;
}
