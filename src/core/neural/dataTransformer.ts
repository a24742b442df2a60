import { SynthopsError } from '../errors.js';
import type { Rng } from '../random.js';
import { CategoricalColumn, NumericColumn, type Column } from '../table/column.js';
import type { ColumnSpec, Schema } from '../table/schema.js';
import { Table } from '../table/table.js';
import { fitBayesianMixture, type BayesianMixtureOptions } from './bayesianMixture.js';

/**
 * How one column is encoded. `continuous`: mode-specific normalisation (a scalar in [-1, 1] within a mode of a
 * variational Gaussian mixture, then the mode one-hot, then a present/missing one-hot when the column has
 * missing values). `categorical`: one-hot over the categories seen (plus one slot for missing).
 * `placeholder`: not learned (personal data, ids, free text); sampled rows get fresh tokens.
 */
export type ColumnEncoding =
  | {
      kind: 'continuous';
      column: string;
      weights: number[];
      means: number[];
      stds: number[];
      min: number;
      max: number;
      /** Round outputs to this many decimals (0 for whole numbers); null keeps full precision. */
      decimals: number | null;
      hasMissing: boolean;
    }
  | { kind: 'categorical'; column: string; categories: string[]; hasMissing: boolean }
  | { kind: 'placeholder'; column: string };

/** A contiguous block of the encoded row: one scalar squashed by tanh, or a one-hot block (softmax). */
export interface Span {
  activation: 'tanh' | 'softmax';
  start: number;
  size: number;
  /** Index of the column this span belongs to in `encodings`. */
  column: number;
  /** For softmax spans: true when this block selects a category/mode that training-by-sampling may condition on. */
  discrete: boolean;
}

/** Serialisable state of a fitted transformer (JSON; holds category labels and mixture figures, never rows). */
export interface TransformerState {
  encodings: ColumnEncoding[];
}

/** Options of `fitDataTransformer`. */
export interface DataTransformerOptions {
  /** Options of the per-column Gaussian mixture. Default: `fitBayesianMixture` defaults (≤ 10 modes). */
  mixture?: BayesianMixtureOptions;
}

/** The scalar within a mode covers ±`SCALE` standard deviations before it is clipped. */
const SCALE = 4;

/** True when a column is modelled (not personal data, an id or free text). */
export function isModelled(spec: ColumnSpec): boolean {
  return spec.pii === undefined && spec.type !== 'id' && spec.type !== 'text';
}

/**
 * Fits the shared TVAE/CTGAN data transformer on a table. Deterministic for `rng`. Cost O(n · modes · iterations)
 * per numeric column.
 * @example
 * const tf = DataTransformer.fit(adult, createRng(0));
 * const x = tf.transform(adult, createRng(1)); // Float32Array, adult.numRows × tf.dim
 */
export class DataTransformer {
  readonly encodings: readonly ColumnEncoding[];
  readonly spans: readonly Span[];
  /** Width of an encoded row. */
  readonly dim: number;

  constructor(state: TransformerState) {
    this.encodings = state.encodings;
    const spans: Span[] = [];
    let at = 0;
    state.encodings.forEach((e, column) => {
      if (e.kind === 'continuous') {
        spans.push({ activation: 'tanh', start: at, size: 1, column, discrete: false });
        at += 1;
        spans.push({ activation: 'softmax', start: at, size: e.means.length, column, discrete: false });
        at += e.means.length;
        if (e.hasMissing) {
          spans.push({ activation: 'softmax', start: at, size: 2, column, discrete: false });
          at += 2;
        }
      } else if (e.kind === 'categorical') {
        const size = e.categories.length + (e.hasMissing ? 1 : 0);
        spans.push({ activation: 'softmax', start: at, size, column, discrete: true });
        at += size;
      }
    });
    this.spans = spans;
    this.dim = at;
  }

  static fit(table: Table, rng: Rng, options: DataTransformerOptions = {}): DataTransformer {
    const encodings: ColumnEncoding[] = table.schema.columns.map((spec, i) => {
      const col = table.columns[i];
      if (!isModelled(spec)) return { kind: 'placeholder', column: spec.name };
      if (col.storage === 'numeric') {
        let min = Infinity, max = -Infinity, missing = 0;
        for (const v of col.values) {
          if (v !== v) missing++;
          else {
            if (v < min) min = v;
            if (v > max) max = v;
          }
        }
        if (missing === col.length) return { kind: 'continuous', column: spec.name, weights: [1], means: [0], stds: [1], min: 0, max: 0, decimals: null, hasMissing: true };
        const mix = fitBayesianMixture(col.values, rng.split(`mixture:${spec.name}`), options.mixture);
        const decimals = spec.type === 'datetime' || spec.integer ? 0 : typeof spec.decimals === 'number' ? spec.decimals : null;
        return { kind: 'continuous', column: spec.name, ...mix, min, max, decimals, hasMissing: missing > 0 };
      }
      const counts = col.counts();
      const categories = col.dictionary.filter((_, k) => counts[k] > 0);
      return { kind: 'categorical', column: spec.name, categories, hasMissing: col.nullCount > 0 };
    });
    return new DataTransformer({ encodings });
  }

  /** Plain JSON for an artifact. */
  state(): TransformerState {
    return { encodings: this.encodings.map((e) => ({ ...e })) };
  }

  /**
   * Encodes rows: n × dim, row-major. A value's mode is drawn from its posterior over the modes (seeded by
   * `rng`); when that leaves it beyond ±4 standard deviations of the mode, the most likely mode is used.
   * Throws `schema_mismatch` when a column is missing or of another storage.
   */
  transform(table: Table, rng: Rng): Float32Array {
    const n = table.numRows;
    const out = new Float32Array(n * this.dim);
    const dim = this.dim;
    this.encodings.forEach((e, ci) => {
      if (e.kind === 'placeholder') return;
      const span = this.spans.find((s) => s.column === ci)!;
      if (!table.has(e.column)) throw new SynthopsError('schema_mismatch', `invalid table: it has no column "${e.column}", which the model was fitted on.`, { column: e.column });
      const col = table.column(e.column);
      if (e.kind === 'continuous') {
        if (col.storage !== 'numeric') throw new SynthopsError('schema_mismatch', 'invalid column: expected numbers, as when the model was fitted.', { column: e.column });
        const K = e.means.length;
        const p = new Float64Array(K);
        const r = rng.split(`encode:${e.column}`);
        const a = span.start, m0 = a + 1, miss = m0 + K;
        for (let i = 0; i < n; i++) {
          const row = i * dim;
          const v = col.values[i];
          if (v !== v) {
            out[row + m0] = 1; // mode 0, scalar 0: a fixed filler
            out[row + miss + 1] = 1;
            continue;
          }
          if (e.hasMissing) out[row + miss] = 1;
          let best = 0, total = 0;
          for (let k = 0; k < K; k++) {
            const z = (v - e.means[k]) / e.stds[k];
            p[k] = (e.weights[k] / e.stds[k]) * Math.exp(-0.5 * z * z);
            total += p[k];
            if (p[k] > p[best]) best = k;
          }
          let k = best;
          if (total > 0) {
            let u = r.next() * total;
            for (k = 0; k < K - 1; k++) {
              u -= p[k];
              if (u < 0) break;
            }
            if (Math.abs(v - e.means[k]) > SCALE * 0.99 * e.stds[k]) k = best;
          } else {
            // Far from every mode: the nearest in standard deviations.
            let bz = Infinity;
            for (let q = 0; q < K; q++) {
              const z = Math.abs(v - e.means[q]) / e.stds[q];
              if (z < bz) { bz = z; k = q; }
            }
          }
          out[row + a] = clip((v - e.means[k]) / (SCALE * e.stds[k]), -0.99, 0.99);
          out[row + m0 + k] = 1;
        }
      } else {
        if (col.storage !== 'categorical') throw new SynthopsError('schema_mismatch', 'invalid column: expected categories, as when the model was fitted.', { column: e.column });
        const index = new Map(e.categories.map((c, k) => [c, k]));
        const map = Int32Array.from(col.dictionary, (d) => index.get(d) ?? -2);
        for (let i = 0; i < n; i++) {
          const c = col.codes[i];
          const k = c < 0 ? (e.hasMissing ? e.categories.length : -2) : map[c];
          if (k === -2) throw new SynthopsError('schema_mismatch', 'invalid value: a category (or a missing value) the model has not seen.', { column: e.column, row: i });
          out[i * dim + span.start + k] = 1;
        }
      }
    });
    return out;
  }

  /**
   * Decodes n rows (n × dim, row-major: a scalar in [-1, 1] in tanh slots, scores in softmax blocks whose
   * argmax is taken) back into a table of `schema`. Values are clipped to the training range and rounded to
   * the column's decimals. Placeholder columns get fresh tokens from `rng` (never training values).
   */
  inverse(data: Float32Array, n: number, schema: Schema, rng: Rng): Table {
    const dim = this.dim;
    const columns: Column[] = this.encodings.map((e, ci) => {
      const spec = schema.columns[ci];
      if (e.kind === 'placeholder') return placeholderColumn(spec, n, rng.split(`placeholder:${spec.name}`));
      const span = this.spans.find((s) => s.column === ci)!;
      if (e.kind === 'continuous') {
        const K = e.means.length;
        const values = new Float64Array(n);
        let nulls: Uint8Array | null = null;
        const f = e.decimals === null ? 0 : 10 ** e.decimals;
        for (let i = 0; i < n; i++) {
          const row = i * dim;
          if (e.hasMissing && data[row + span.start + 1 + K + 1] > data[row + span.start + 1 + K]) {
            values[i] = NaN;
            (nulls ??= new Uint8Array(n))[i] = 1;
            continue;
          }
          const k = argmax(data, row + span.start + 1, K);
          let v = clip(data[row + span.start], -1, 1) * SCALE * e.stds[k] + e.means[k];
          if (f) v = Math.round(v * f) / f + 0; // + 0 turns -0 into 0
          values[i] = clip(v, e.min, e.max);
        }
        return new NumericColumn(values, nulls);
      }
      const codes = new Int32Array(n);
      const C = e.categories.length;
      for (let i = 0; i < n; i++) {
        const k = argmax(data, i * dim + span.start, span.size);
        codes[i] = k >= C ? -1 : k;
      }
      return new CategoricalColumn(codes, e.categories);
    });
    return new Table(schema, columns);
  }
}

function clip(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Index (relative to `start`) of the largest of `size` values; ties go to the first. */
export function argmax(a: ArrayLike<number>, start: number, size: number): number {
  let best = 0;
  for (let k = 1; k < size; k++) if (a[start + k] > a[start + best]) best = k;
  return best;
}

function placeholderColumn(spec: ColumnSpec, n: number, rng: Rng): Column {
  if (spec.type === 'numerical' || spec.type === 'datetime') return new NumericColumn(Float64Array.from({ length: n }, (_, i) => i));
  const codes = new Int32Array(n);
  const dict: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    codes[i] = i;
    dict[i] = `${spec.name}_${rng.nextUint32().toString(16).padStart(8, '0')}${rng.nextUint32().toString(16).padStart(8, '0')}`;
  }
  return new CategoricalColumn(codes, dict);
}
