import type { Rng } from '../random.js';
import { AliasTable } from '../random.js';
import type { Span } from './dataTransformer.js';

/**
 * CTGAN's conditional vector and training-by-sampling. Over the discrete (categorical) spans, a draw picks a
 * column uniformly, then a category with probability ∝ log(1 + count), and a real row holding that category,
 * so rare categories are seen often enough to be learned. The conditional vector is the one-hot of the
 * chosen category over all discrete spans (width `dim`).
 * @example const cv = new CondVector(x, n, tf.dim, tf.spans); const d = cv.draw(rng); // { span, category, row }
 */
export class CondVector {
  /** Width of the conditional vector (sum of discrete span sizes). */
  readonly dim: number;
  /** The discrete spans, in order, and the offset of each inside the conditional vector. */
  readonly spans: Span[];
  readonly offsets: number[];
  private readonly rowsByCat: Int32Array[][];
  private readonly catTables: AliasTable[];
  /** Empirical category frequencies per discrete span (for sampling without a condition). */
  readonly freq: Float64Array[];

  constructor(x: Float32Array, n: number, rowDim: number, spans: readonly Span[]) {
    this.spans = spans.filter((s) => s.discrete);
    this.offsets = [];
    let at = 0;
    for (const s of this.spans) {
      this.offsets.push(at);
      at += s.size;
    }
    this.dim = at;
    this.rowsByCat = [];
    this.catTables = [];
    this.freq = [];
    for (const s of this.spans) {
      const counts = new Int32Array(s.size);
      const cat = new Int32Array(n);
      for (let r = 0; r < n; r++) {
        let k = 0;
        for (let j = 1; j < s.size; j++) if (x[r * rowDim + s.start + j] > x[r * rowDim + s.start + k]) k = j;
        cat[r] = k;
        counts[k]++;
      }
      const lists = Array.from(counts, (c) => new Int32Array(c));
      const fill = new Int32Array(s.size);
      for (let r = 0; r < n; r++) lists[cat[r]][fill[cat[r]]++] = r;
      this.rowsByCat.push(lists);
      this.catTables.push(new AliasTable(Array.from(counts, (c) => Math.log1p(c))));
      this.freq.push(Float64Array.from(counts, (c) => c / n));
    }
  }

  /** One training-by-sampling draw: which discrete span (index into `spans`), which category, which real row. */
  draw(rng: Rng): { span: number; category: number; row: number } {
    const span = rng.int(this.spans.length);
    const category = this.catTables[span].sample(rng);
    const rows = this.rowsByCat[span][category];
    return { span, category, row: rows[rng.int(rows.length)] };
  }

  /**
   * `count` draws as `draw` makes them (same random stream use, same results), written into typed arrays instead
   * of one object per row: for the training loop's hot path.
   */
  drawInto(rng: Rng, count: number, span: Int32Array, category: Int32Array, row: Int32Array): void {
    for (let i = 0; i < count; i++) {
      const s = rng.int(this.spans.length);
      const c = this.catTables[s].sample(rng);
      const rows = this.rowsByCat[s][c];
      span[i] = s;
      category[i] = c;
      row[i] = rows[rng.int(rows.length)];
    }
  }

  /** A real row with the given category (uniform among them). */
  rowWith(span: number, category: number, rng: Rng): number {
    const rows = this.rowsByCat[span][category];
    return rows[rng.int(rows.length)];
  }
}
