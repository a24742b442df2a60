import { normalQuantile } from './normal.js';

/** Serialised categorical marginal: kept labels and their shares (no rows). */
export interface CategoricalMarginalState {
  labels: string[];
  probs: number[];
  /** How many training categories were merged away because they had fewer than k rows. */
  merged: number;
}

/**
 * The distribution of a categorical (or boolean, text) column as labels with shares, laid out as
 * consecutive frequency intervals of [0, 1] — most frequent first, or in the schema's order for ordinal
 * categories — so that a uniform (or normal score) maps to a label and back. Rare categories (fewer than k
 * rows) are merged into the most frequent one, so they never appear in synthetic data.
 *
 * @example
 * const m = fitCategoricalMarginal(col.codes, col.dictionary, { k: 5 });
 * m.labels[m.inverse(0.3)];
 */
export class CategoricalMarginal {
  readonly labels: string[];
  readonly probs: Float64Array;
  readonly merged: number;
  /** Upper edges of the intervals in u (cumulative shares); last is 1. */
  readonly cum: Float64Array;
  /** Upper edges in normal-score space (Φ⁻¹ of `cum`). */
  readonly zEdges: Float64Array;

  constructor(labels: string[], probs: ArrayLike<number>, merged = 0) {
    this.labels = labels;
    this.probs = Float64Array.from(probs);
    this.merged = merged;
    const m = labels.length;
    this.cum = new Float64Array(m);
    let c = 0;
    for (let i = 0; i < m; i++) this.cum[i] = c += this.probs[i];
    for (let i = 0; i < m; i++) this.cum[i] /= c;
    if (m) this.cum[m - 1] = 1;
    this.zEdges = new Float64Array(m);
    for (let i = 0; i < m; i++) this.zEdges[i] = normalQuantile(this.cum[i]);
  }

  /** Label index for u in [0, 1). */
  inverse(u: number): number {
    return search(this.cum, u);
  }

  /** Label index for a normal score z. */
  inverseZ(z: number): number {
    return search(this.zEdges, z);
  }

  /** The u-interval of label index i. */
  interval(i: number): [number, number] {
    return [i === 0 ? 0 : this.cum[i - 1], this.cum[i]];
  }

  indexOf(label: string): number {
    return this.labels.indexOf(label);
  }

  toJSON(): CategoricalMarginalState {
    return { labels: this.labels, probs: Array.from(this.probs), merged: this.merged };
  }

  static fromJSON(s: CategoricalMarginalState): CategoricalMarginal {
    return new CategoricalMarginal(s.labels, s.probs, s.merged);
  }
}

/** First index i with edges[i] > t (linear for few labels, binary otherwise). */
function search(edges: Float64Array, t: number): number {
  const m = edges.length;
  if (m <= 8) {
    for (let i = 0; i < m - 1; i++) if (t < edges[i]) return i;
    return m - 1;
  }
  let lo = 0, hi = m - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Result of {@link fitCategoricalMarginal}: the marginal and a map from dictionary code to label index. */
export interface FittedCategorical {
  marginal: CategoricalMarginal;
  /** For each dictionary code, the index of its label in the marginal (rare codes → the most frequent). -1 when unused. */
  codeMap: Int32Array;
}

/**
 * Counts codes (−1 = missing, skipped) and keeps the categories with at least `k` rows (default 5).
 * Returns null when no category reaches k (the caller then applies its fallback).
 * `order` gives an ordinal category order (labels); otherwise most frequent first. O(n + m log m).
 */
export function fitCategoricalMarginal(
  codes: Int32Array,
  dictionary: readonly string[],
  opts: { k?: number; order?: readonly string[] } = {},
): FittedCategorical | null {
  const k = opts.k ?? 5;
  const counts = new Float64Array(dictionary.length);
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) counts[codes[i]]++;
  const used = Array.from(counts.keys()).filter((c) => counts[c] > 0);
  const kept = used.filter((c) => counts[c] >= k);
  if (!kept.length) return null;
  if (opts.order) {
    const pos = new Map(opts.order.map((l, i) => [l, i]));
    kept.sort((a, b) => (pos.get(dictionary[a]) ?? 1e9) - (pos.get(dictionary[b]) ?? 1e9) || a - b);
  } else kept.sort((a, b) => counts[b] - counts[a] || a - b);
  let mode = kept[0];
  for (const c of kept) if (counts[c] > counts[mode]) mode = c;
  const codeMap = new Int32Array(dictionary.length).fill(-1);
  kept.forEach((c, i) => (codeMap[c] = i));
  const probs = kept.map((c) => counts[c]);
  const modeIndex = codeMap[mode];
  let merged = 0;
  for (const c of used)
    if (counts[c] < k) {
      codeMap[c] = modeIndex;
      probs[modeIndex] += counts[c];
      merged++;
    }
  const total = probs.reduce((a, b) => a + b, 0);
  return { marginal: new CategoricalMarginal(kept.map((c) => dictionary[c]), probs.map((p) => p / total), merged), codeMap };
}
