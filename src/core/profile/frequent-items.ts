/**
 * Exact value counts of a categorical column, kept while the number of distinct values stays within
 * `FREQUENT_ITEMS_CAP`; past that the table is dropped and `overflow` is set. Both the merge and the
 * overflow rule depend only on the union of values, so merge(items(A), items(B)) = items(A ∪ B) exactly.
 * @example FrequentItems.fromCounts(new Map([['a', 3]])).merge(FrequentItems.fromCounts(new Map([['a', 1]]))).counts.get('a') // 4
 */
export const FREQUENT_ITEMS_CAP = 1000;

export interface FrequentItemsJson {
  /** [label, count] pairs sorted by label; empty when overflowed. */
  items: [string, number][];
  overflow: boolean;
}

export class FrequentItems {
  /** Count per label (missing values are not counted here). Empty when `overflow`. */
  readonly counts: ReadonlyMap<string, number>;
  /** True when the column had more than `FREQUENT_ITEMS_CAP` distinct values. */
  readonly overflow: boolean;

  private constructor(counts: Map<string, number>, overflow: boolean) {
    this.counts = overflow ? new Map() : counts;
    this.overflow = overflow;
  }

  static fromCounts(counts: Map<string, number>): FrequentItems {
    return new FrequentItems(counts, counts.size > FREQUENT_ITEMS_CAP);
  }

  static overflowed(): FrequentItems {
    return new FrequentItems(new Map(), true);
  }

  merge(other: FrequentItems): FrequentItems {
    if (this.overflow || other.overflow) return FrequentItems.overflowed();
    const m = new Map(this.counts);
    for (const [k, v] of other.counts) m.set(k, (m.get(k) ?? 0) + v);
    return FrequentItems.fromCounts(m);
  }

  /** Total of the counts. */
  total(): number {
    let t = 0;
    for (const v of this.counts.values()) t += v;
    return t;
  }

  toJSON(): FrequentItemsJson {
    const items = [...this.counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return { items, overflow: this.overflow };
  }

  static fromJSON(j: FrequentItemsJson): FrequentItems {
    if (!j || !Array.isArray(j.items)) throw new RangeError('invalid frequent items: "items" must be an array.');
    if (j.overflow) return FrequentItems.overflowed();
    const m = new Map<string, number>();
    for (const it of j.items) {
      if (!Array.isArray(it) || typeof it[0] !== 'string' || !(it[1] > 0)) throw new RangeError('invalid frequent items: each item is [label, count > 0].');
      m.set(it[0], it[1]);
    }
    return FrequentItems.fromCounts(m);
  }
}
