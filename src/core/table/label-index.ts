/**
 * The dictionary of a text column being read: labels in order of first appearance and an open-addressing hash
 * table (Int32Array slots of code and hash, linear probing, load ≤ 1/2) from label to code. A label can be looked
 * up by its position in a larger text (`find(src, start, end)`) or by its bytes (`findBytes`), so a reader makes a
 * string only for a label it has not seen before.
 * Compared with a `Map<string, number>` it allocates nothing per lookup and holds a million labels in about 16 MB
 * of table, 4 MB of hashes and their bytes beside the strings themselves.
 *
 * @example
 * const ix = new LabelIndex();
 * ix.add('red'); ix.add('blue');
 * ix.find('a,blue,c', 2, 6); // 1
 */
/** Placeholders the arrays hold before the constructor sets them (see there); never written. */
const NO_INT32 = new Int32Array(0);
const NO_BYTES = new Uint8Array(0);

export class LabelIndex {
  /**
   * The labels made so far; code = position. Labels added from bytes (`addBytes`) are made only when `labels` is
   * read, all at once as substrings of one decoded text (a million key labels made one by one from their bytes
   * cost about twice as much).
   */
  private made: string[] = [];
  /** Number of labels (made or not). */
  private count = 0;

  /** The labels; code = position. */
  get labels(): string[] {
    if (this.made.length < this.count) this.make();
    return this.made;
  }
  /**
   * Slots of two Int32s: code + 1 (0 = empty) and the label's hash, side by side, so that a probe past other labels
   * reads no other array (with a million labels every array read is a cache miss).
   */
  private table: Int32Array = NO_INT32;
  private hashes: Int32Array = NO_INT32;
  /**
   * Each label's UTF-16 units as bytes, one after another (label c at `[ends[c - 1], ends[c])`), a unit ≥ 128 as
   * 0xFF: `findBytes` compares ASCII bytes with bytes, and no ASCII byte matches a non-ASCII label.
   */
  private pool: Uint8Array = NO_BYTES;
  private ends: Int32Array = NO_INT32;
  /**
   * Labels placed in the table so far. While the labels come in strictly ascending byte order (`ascending`: a
   * sorted key column, e.g. `R00000000`, `R00000001`, …), a label greater than the last is new without a lookup,
   * and the labels are placed only when a lookup needs the table (`catchUp`).
   */
  private placed = 0;
  private ascending = true;
  /** Where the bytes `findBytes` last found to come after the last label start (-1: none since the last add). */
  private missedAfterLast = -1;

  constructor() {
    // The growing arrays are stored twice (an empty placeholder, then these): V8 treats a field stored only once as a
    // constant, and the first later store (the arrays' first growth, often in the middle of a file) would throw away
    // the compiled code of the reader's loops that inlined lookups here, just as they were about to run fast:
    // adult's first read in a fresh process took ≈ 30 % longer.
    this.table = new Int32Array(128);
    this.hashes = new Int32Array(32);
    this.pool = new Uint8Array(256);
    this.ends = new Int32Array(32);
  }

  /** An index of `labels` whose hashes (`hashText` of each) are known: no label is hashed again. */
  static from(labels: string[], hashes: Int32Array): LabelIndex {
    const ix = new LabelIndex();
    ix.reserve(labels.length);
    for (let c = 0; c < labels.length; c++) ix.add(labels[c], hashes[c]);
    return ix;
  }

  /** The hash (`hashText`) of label `c`. */
  hashOf(c: number): number {
    return this.hashes[c];
  }

  /** The labels' hashes (code = position), a copy. */
  hashList(): Int32Array {
    return this.hashes.slice(0, this.count);
  }

  /** Number of labels. */
  get size(): number {
    return this.count;
  }

  /** Code of the label `src.slice(start, end)`, or -1. `h` is `hashText(src, start, end)` when known. */
  find(src: string, start: number, end: number, h = hashText(src, start, end)): number {
    if (this.placed < this.count) this.catchUp();
    const t = this.table, mask = (t.length >> 1) - 1, len = end - start, labels = this.labels;
    for (let k = h & mask; ; k = (k + 1) & mask) {
      const e = t[2 * k];
      if (e === 0) return -1;
      if (t[2 * k + 1] === h) {
        const l = labels[e - 1];
        if (l.length === len && src.startsWith(l, start)) return e - 1;
      }
    }
  }

  /**
   * Code of the label whose text is the ASCII bytes `bytes[start, end)`, or -1. `h` is the hash of those bytes
   * computed as `hashText` would of their text (`hashAscii`). For ASCII only: bytes and UTF-16 units then agree.
   */
  findBytes(bytes: Uint8Array, start: number, end: number, h: number): number {
    if (this.ascending && this.afterLast(bytes, start, end)) {
      this.missedAfterLast = start;
      return -1;
    }
    this.missedAfterLast = -1;
    if (this.placed < this.count) this.catchUp();
    const t = this.table, mask = (t.length >> 1) - 1, len = end - start;
    const ends = this.ends, pool = this.pool;
    for (let k = h & mask; ; k = (k + 1) & mask) {
      const e = t[2 * k];
      if (e === 0) return -1;
      if (t[2 * k + 1] === h) {
        const c = e - 1;
        const o = c > 0 ? ends[c - 1] : 0;
        if (ends[c] - o === len) {
          let j = 0;
          while (j < len && pool[o + j] === bytes[start + j]) j++;
          if (j === len) return c;
        }
      }
    }
  }

  /**
   * `start` + the length of label `c` when its bytes (as kept for `findBytes`) are `bytes[start, …)`, else -1.
   * (What follows them is the caller's to check.)
   */
  bytesAt(c: number, bytes: Uint8Array, start: number, limit: number): number {
    const pool = this.pool, o = c > 0 ? this.ends[c - 1] : 0, e = start + this.ends[c] - o;
    if (e > limit) return -1;
    for (let j = start, k = o; j < e; j++, k++) if (pool[k] !== bytes[j]) return -1;
    return e;
  }

  /** Code of `label`, or -1. */
  get(label: string): number {
    return this.find(label, 0, label.length);
  }

  /** Adds a label that is not in the index (check with `find` first); returns its code. */
  add(label: string, h = hashText(label, 0, label.length)): number {
    if (this.made.length < this.count) this.make();
    const c = this.count, len = label.length;
    const o = this.room(c, len);
    const pool = this.pool;
    for (let j = 0; j < len; j++) {
      const u = label.charCodeAt(j);
      pool[o + j] = u < 128 ? u : 0xff;
    }
    this.made.push(label);
    return this.added(c, o, len, h, false);
  }

  /**
   * Adds the text of the ASCII bytes `bytes[start, end)` that `findBytes` has just not found (with hash `h`);
   * returns its code. (As `add`; its string is made when `labels` is next read.)
   */
  addBytes(bytes: Uint8Array, start: number, end: number, h: number): number {
    const c = this.count, len = end - start;
    const o = this.room(c, len);
    const pool = this.pool;
    for (let j = 0; j < len; j++) pool[o + j] = bytes[start + j];
    return this.added(c, o, len, h, this.missedAfterLast === start);
  }

  /**
   * Makes the strings of labels `made.length` .. `upTo - 1` (all those not made yet by default), added from bytes:
   * substrings of one decoded text. Making them all at once fills a new array of the full length (no growing).
   */
  private make(upTo = this.count): void {
    const ends = this.ends, from = this.made.length;
    if (upTo <= from) return;
    const o = from > 0 ? ends[from - 1] : 0;
    // (Their pool bytes are the labels' ASCII bytes, so UTF-8 decoding gives their text.)
    const all = new TextDecoder().decode(this.pool.subarray(o, ends[upTo - 1]));
    let made = this.made;
    if (upTo - from > 1024) {
      made = new Array<string>(upTo);
      for (let c = 0; c < from; c++) made[c] = this.made[c];
      this.made = made;
    }
    let a = 0;
    for (let c = from; c < upTo; c++) {
      const b = ends[c] - o;
      made[c] = all.substring(a, b);
      a = b;
    }
  }

  /** The first `k` labels (all when there are fewer), a copy: only they are made as strings. */
  head(k: number): string[] {
    const m = Math.min(k, this.count);
    this.make(m);
    return this.made.slice(0, m);
  }

  /**
   * The labels' bytes one after another and each one's end (copies), when every label is ASCII and none is empty —
   * the bytes are then the labels' UTF-8 — else null. (The pool already holds them: no string is made.)
   */
  asciiBytes(): { pool: Uint8Array; ends: Int32Array } | null {
    const n = this.count;
    if (n === 0) return null;
    const ends = this.ends.slice(0, n);
    for (let c = 0, o = 0; c < n; o = ends[c++]) if (ends[c] === o) return null;
    const pool = this.pool.slice(0, ends[n - 1]);
    // (A UTF-16 unit ≥ 128 is kept as 0xFF, which no ASCII byte is.)
    return pool.includes(0xff) ? null : { pool, ends };
  }

  /**
   * The labels' bytes as kept for `findBytes` (label c at `pool[ends[c - 1], ends[c])`, a UTF-16 unit ≥ 128 as 0xFF):
   * the index's own arrays, to read (not to keep: they are replaced as the index grows).
   */
  bytesView(): { pool: Uint8Array; ends: Int32Array } {
    return { pool: this.pool, ends: this.ends };
  }

  /** Room for label c of `len` units (its hash and end; its bytes in the pool): where its bytes go. */
  private room(c: number, len: number): number {
    if (c === this.hashes.length) {
      const next = new Int32Array(c * 2);
      next.set(this.hashes);
      this.hashes = next;
      const ends = new Int32Array(c * 2);
      ends.set(this.ends);
      this.ends = ends;
    }
    const o = c > 0 ? this.ends[c - 1] : 0;
    if (o + len > this.pool.length) {
      const pool = new Uint8Array(Math.max(this.pool.length * 2, o + len));
      pool.set(this.pool.subarray(0, o));
      this.pool = pool;
    }
    return o;
  }

  /** Records label c (its bytes are in the pool at o): placed now, or later while the labels ascend. */
  private added(c: number, o: number, len: number, h: number, afterLast: boolean): number {
    this.missedAfterLast = -1;
    this.count = c + 1;
    this.hashes[c] = h;
    this.ends[c] = o + len;
    // Still ascending: placed later, if ever (`catchUp`).
    if (this.ascending && (afterLast || this.afterLast(this.pool, o, o + len, c - 1))) return c;
    this.ascending = false;
    this.catchUp();
    return c;
  }

  /**
   * Whether the bytes `bytes[start, end)` come strictly after label `last`'s pool bytes (default: the last label)
   * in byte order. While the labels' pool bytes are strictly ascending, bytes after the last are no label's: an
   * ASCII value equals a label exactly when their pool bytes are equal.
   */
  private afterLast(bytes: Uint8Array, start: number, end: number, last = this.count - 1): boolean {
    if (last < 0) return true;
    const pool = this.pool, o = last > 0 ? this.ends[last - 1] : 0, len = this.ends[last] - o, n = end - start;
    const m = n < len ? n : len;
    for (let j = 0; j < m; j++) {
      const a = bytes[start + j], b = pool[o + j];
      if (a !== b) return a > b;
    }
    return n > len;
  }

  /** Places the labels not yet in the table (growing it first when needed). */
  private catchUp(): void {
    const n = this.count;
    let cap = this.table.length >> 1;
    while (n * 2 > cap) cap *= 2;
    if (cap > this.table.length >> 1) this.rehash(cap);
    else for (let c = this.placed; c < n; c++) this.place(c, this.hashes[c]);
    this.placed = n;
  }

  /** Makes room for `n` labels in all at once (saves the rehashes of growing one doubling at a time). */
  reserve(n: number): void {
    if (n > this.hashes.length) {
      const next = new Int32Array(n);
      next.set(this.hashes.subarray(0, this.count));
      this.hashes = next;
      const ends = new Int32Array(n);
      ends.set(this.ends.subarray(0, this.count));
      this.ends = ends;
    }
    // Room for the bytes of `n` labels as long as those so far (+5 %): no chain of doublings, each a copy.
    const size = this.count, used = size > 0 ? this.ends[size - 1] : 0;
    const bytes = size > 0 ? Math.ceil((used / size) * n * 1.05) : 0;
    if (bytes > this.pool.length) {
      const pool = new Uint8Array(bytes);
      pool.set(this.pool.subarray(0, used));
      this.pool = pool;
    }
    // (While the labels ascend the table waits: `catchUp` sizes it if a lookup ever needs it. A table placed now
    // would touch every page of its memory for a few thousand labels.)
    if (this.ascending) return;
    let cap = this.table.length >> 1;
    while (n * 2 > cap) cap *= 2;
    if (cap > this.table.length >> 1) this.rehash(cap);
  }

  private place(c: number, h: number): void {
    const t = this.table, mask = (t.length >> 1) - 1;
    let k = h & mask;
    while (t[2 * k] !== 0) k = (k + 1) & mask;
    t[2 * k] = c + 1;
    t[2 * k + 1] = h;
  }

  /** A table of `capacity` slots with every label placed again. */
  private rehash(capacity: number): void {
    this.table = new Int32Array(2 * capacity);
    for (let c = 0; c < this.count; c++) this.place(c, this.hashes[c]);
    this.placed = this.count;
  }
}

/**
 * FNV-1a hash of the UTF-16 code units `src[start, end)`, finished with a multiply-xorshift so that the low bits
 * (the table index) depend on every character.
 * @example hashText('abc', 0, 3) === hashText('xabc', 1, 4); // true
 */
export function hashText(src: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ src.charCodeAt(i), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
}

/**
 * `hashText` of the text of the bytes `bytes[start, end)` when they are all ASCII (one byte = one UTF-16 unit,
 * so the hash is the same), else `NON_ASCII` (not an int32, so never a hash).
 * @example hashAscii(new TextEncoder().encode('abc'), 0, 3) === hashText('abc', 0, 3); // true
 */
export function hashAscii(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5, or = 0;
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    or |= c;
    h = Math.imul(h ^ c, 0x01000193);
  }
  if (or >= 128) return NON_ASCII;
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
}

/** FNV-1a's start value (`hashText` begins with it; see `hashStep`, `hashFinish`). */
export const HASH_START = 0x811c9dc5;

/** One FNV-1a step of `hashText` for the code unit (or ASCII byte) `c`. */
export function hashStep(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

/** `hashText`'s finish after its steps: a reader can hash a value while it looks for the value's end. */
export function hashFinish(h: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
}

/** What `hashAscii` returns for bytes that are not all ASCII (not an int32, so never a hash). */
export const NON_ASCII = 0.5;
