import { mix32 } from '../../random.js';

/** One key column: raw numeric values (NaN = missing) or label codes shared across tables (-1 = missing). */
export type KeyColumn = Float64Array | Int32Array;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function rowHash(cols: readonly KeyColumn[], i: number): number {
  let h = 0x9e3779b9;
  for (let c = 0; c < cols.length; c++) {
    const col = cols[c];
    if (col instanceof Float64Array) {
      let x = col[i];
      if (x !== x) x = NaN; // one NaN bit pattern
      else if (x === 0) x = 0; // -0 and 0 are equal
      f64[0] = x;
      h = mix32(h ^ u32[0]) + 0x7f4a7c15;
      h = mix32(h ^ u32[1]) + 0x165667b1;
    } else {
      h = mix32(h ^ (col[i] + 0x632be5ab)) + 0x27d4eb2f;
    }
  }
  return mix32(h >>> 0);
}

function rowsEqual(a: readonly KeyColumn[], i: number, b: readonly KeyColumn[], j: number): boolean {
  for (let c = 0; c < a.length; c++) {
    const x = a[c][i], y = b[c][j];
    if (x !== y && !(x !== x && y !== y)) return false;
  }
  return true;
}

/**
 * Exact groups of equal rows over some key columns, in O(n) expected time (open-addressing hash table on a
 * per-row hash, confirmed by comparing the values, so collisions never merge different rows). Missing equals missing.
 *
 * @example
 * const idx = RowHashIndex.build([ageValues, sexCodes]);
 * idx.count[idx.lookup([otherAge, otherSex], 0)]; // how many indexed rows equal row 0 of the other table (-1: none)
 */
export class RowHashIndex {
  /** Number of distinct rows (groups). */
  readonly numGroups: number;
  /** Group of every indexed row. */
  readonly groupOf: Int32Array;
  /** Rows per group. */
  readonly count: Int32Array;
  private readonly cols: readonly KeyColumn[];
  private readonly slots: Int32Array; // first row of the group, -1 = empty
  private readonly mask: number;

  private constructor(cols: readonly KeyColumn[], slots: Int32Array, groupOf: Int32Array, count: Int32Array, numGroups: number) {
    this.cols = cols; this.slots = slots; this.mask = slots.length - 1; this.groupOf = groupOf; this.count = count; this.numGroups = numGroups;
  }

  /** Groups the rows of `cols` (all of the same length). */
  static build(cols: readonly KeyColumn[]): RowHashIndex {
    const n = cols.length ? cols[0].length : 0;
    let size = 16;
    while (size < 2 * n) size *= 2;
    const slots = new Int32Array(size).fill(-1);
    const mask = size - 1;
    const groupOf = new Int32Array(n);
    const countTmp = new Int32Array(n);
    let numGroups = 0;
    for (let i = 0; i < n; i++) {
      let s = rowHash(cols, i) & mask;
      for (;;) {
        const r = slots[s];
        if (r < 0) { slots[s] = i; groupOf[i] = numGroups; countTmp[numGroups++] = 1; break; }
        if (rowsEqual(cols, r, cols, i)) { const g = groupOf[r]; groupOf[i] = g; countTmp[g]++; break; }
        s = (s + 1) & mask;
      }
    }
    return new RowHashIndex(cols, slots, groupOf, countTmp.slice(0, numGroups), numGroups);
  }

  /** Group of row `i` of `other` (key columns in the same order and encoding), or -1 when no indexed row equals it. */
  lookup(other: readonly KeyColumn[], i: number): number {
    let s = rowHash(other, i) & this.mask;
    for (;;) {
      const r = this.slots[s];
      if (r < 0) return -1;
      if (rowsEqual(this.cols, r, other, i)) return this.groupOf[r];
      s = (s + 1) & this.mask;
    }
  }
}
