import { createRng, type Rng } from '../random.js';
import type { Table } from './table.js';

/** Options for `RowReservoir`. */
export interface RowReservoirOptions {
  /** Most rows kept. Default 20,000. */
  size?: number;
  /** Seed of the row choice. Default 0. */
  seed?: number;
}

/**
 * A uniform random sample of fixed size over a table that arrives in chunks (reservoir sampling, Algorithm R):
 * after any number of chunks every row seen so far is in the sample with the same probability size / rows.
 * Memory is at most `size` rows plus the chunk being added. Seeded: the same chunks and seed give the same sample.
 * For in-memory work that needs rows (e.g. a domain classifier) while the data itself is streamed; it is never
 * written anywhere.
 *
 * @example
 * const r = new RowReservoir({ size: 1000, seed: 1 });
 * for await (const chunk of chunks) r.add(chunk);
 * r.table; // ≤ 1000 rows
 */
export class RowReservoir {
  readonly size: number;
  private readonly rng: Rng;
  private seen = 0;
  private sample: Table | null = null;

  constructor(opts: RowReservoirOptions = {}) {
    this.size = opts.size ?? 20_000;
    this.rng = createRng(opts.seed ?? 0, 'row-reservoir');
  }

  /** Rows offered so far. */
  get rows(): number {
    return this.seen;
  }

  /** The sample (null before the first chunk). Its rows are in no particular order. */
  get table(): Table | null {
    return this.sample;
  }

  /** Offers every row of `chunk` (same columns and types as earlier chunks). */
  add(chunk: Table): void {
    const k = this.size;
    const had = Math.min(this.seen, k);
    // slot → row of this chunk that takes it (-1: the slot keeps its row)
    const taker = new Int32Array(k).fill(-1);
    for (let r = 0; r < chunk.numRows; r++, this.seen++) {
      if (this.seen < k) taker[this.seen] = r;
      else {
        const j = this.rng.int(this.seen + 1);
        if (j < k) taker[j] = r;
      }
    }
    const keep: number[] = [], fresh: number[] = [];
    for (let s = 0; s < Math.min(this.seen, k); s++) {
      if (taker[s] >= 0) fresh.push(taker[s]);
      else if (s < had) keep.push(s);
    }
    // Slots are exchangeable, so renumbering them (kept rows first) keeps every row equally likely to stay.
    const added = chunk.take(Int32Array.from(fresh));
    this.sample = this.sample && keep.length ? this.sample.take(Int32Array.from(keep)).concat(added) : added;
  }
}
