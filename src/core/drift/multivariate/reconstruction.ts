import { SynthopsError } from '../../errors.js';
import { createRng } from '../../random.js';
import { rocAuc } from './domain-classifier.js';
import type { Table } from '../../table/table.js';

/** Options of `reconstructionDrift`; all have defaults. */
export interface ReconstructionOptions {
  /** Seed for row sampling and the fit / holdout split. Default 0. */
  seed?: number;
  /** Most rows drawn from each side. Default 5000. */
  maxRowsPerSide?: number;
  /** Share of the reference's variance the kept principal components must explain. Default 0.9. */
  varianceKept?: number;
  /** Value at which the data drifted; default max(0.1, 4·σ₀), σ₀ the statistic's standard deviation under no drift. */
  threshold?: number;
  /** Numeric columns to use (default: every numerical column on both sides). */
  columns?: string[];
}

/** Result of the reconstruction-error test. */
export interface ReconstructionResult {
  test: 'reconstruction-error@1';
  statistic: 'distance';
  /** 2·P(a current row's reconstruction error > a reference holdout row's) − 1: 0 = same errors, 1 = all larger. */
  value: number;
  threshold: number;
  drifted: boolean;
  components: number;
  columns: string[];
}

/**
 * Multivariate drift by reconstruction error: standardise the numerical columns with the reference's mean and
 * std (missing → the mean), fit principal components on half of the reference rows, keep those explaining
 * `varianceKept` of the variance, and compare the squared reconstruction errors of the other reference half with
 * those of the current rows by rank: value = 2·P(current error > reference error) − 1 (a rank statistic, since the
 * errors are heavy-tailed). A rise means the current rows no longer follow the reference's correlation structure,
 * even when every column's own distribution is unchanged. Default threshold max(0.1, 4·σ₀), σ₀ = 2·√((n₁ + n₂ + 1)
 * / (12·n₁·n₂)) the statistic's standard deviation under no drift.
 * Numerical columns only (at least 2 with variance); needs rows on both sides.
 * @example reconstructionDrift(reference, current).value // 0.02
 */
export function reconstructionDrift(reference: Table, current: Table, opts: ReconstructionOptions = {}): ReconstructionResult {
  const max = opts.maxRowsPerSide ?? 5000;
  const rng = createRng(opts.seed ?? 0, 'reconstruction');
  const names = (opts.columns ?? reference.columnNames).filter(
    (c) => reference.has(c) && current.has(c) && reference.spec(c).type === 'numerical' && current.spec(c).type === 'numerical',
  );
  const refRows = rng.split('reference').permutation(reference.numRows).subarray(0, Math.min(max, reference.numRows));
  const curRows = rng.split('current').permutation(current.numRows).subarray(0, Math.min(max, current.numRows));
  // Reference mean / std per column over the sampled rows; columns without variance are dropped.
  const cols: string[] = [], mean: number[] = [], std: number[] = [];
  for (const c of names) {
    const v = reference.numeric(c).values;
    let s = 0, s2 = 0, k = 0;
    for (const i of refRows) {
      if (v[i] !== v[i]) continue;
      s += v[i];
      s2 += v[i] * v[i];
      k++;
    }
    if (k < 2) continue;
    const m = s / k, sd = Math.sqrt(Math.max(0, s2 / k - m * m));
    if (sd > 0) {
      cols.push(c);
      mean.push(m);
      std.push(sd);
    }
  }
  const d = cols.length;
  if (d < 2) throw new SynthopsError('invalid_input', 'invalid reconstruction input: it needs at least 2 numerical columns with variance on both sides.');
  if (refRows.length < 20 || curRows.length < 10) throw new SynthopsError('invalid_input', 'invalid reconstruction input: too few rows (20 reference, 10 current at least).');
  const standardise = (t: Table, rows: Int32Array) => {
    const z = new Float64Array(rows.length * d);
    cols.forEach((c, j) => {
      const v = t.numeric(c).values;
      for (let r = 0; r < rows.length; r++) {
        const x = v[rows[r]];
        z[r * d + j] = x === x ? (x - mean[j]) / std[j] : 0;
      }
    });
    return z;
  };
  const half = refRows.length >> 1;
  const fit = standardise(reference, refRows.subarray(0, half));
  const hold = standardise(reference, refRows.subarray(half));
  const cur = standardise(current, curRows);
  // Covariance of the fit half, then its eigenvectors.
  const cov = new Float64Array(d * d);
  for (let r = 0; r < half; r++) for (let i = 0; i < d; i++) for (let j = i; j < d; j++) cov[i * d + j] += fit[r * d + i] * fit[r * d + j];
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) cov[j * d + i] = cov[i * d + j] /= half;
  const { values, vectors } = symmetricEigen(cov, d);
  const order = Array.from(values.keys()).sort((a, b) => values[b] - values[a]);
  const total = values.reduce((s, x) => s + Math.max(0, x), 0);
  let k = 0, acc = 0;
  while (k < d - 1 && acc < (opts.varianceKept ?? 0.9) * total) acc += Math.max(0, values[order[k++]]);
  const errors = (z: Float64Array) => {
    const n = z.length / d, out = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      let norm = 0, proj = 0;
      for (let j = 0; j < d; j++) norm += z[r * d + j] ** 2;
      for (let c = 0; c < k; c++) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += z[r * d + j] * vectors[j * d + order[c]];
        proj += dot * dot;
      }
      out[r] = Math.max(0, norm - proj);
    }
    return out;
  };
  const eh = errors(hold), ec = errors(cur);
  // Rank statistic (errors are heavy-tailed, so means are unstable): 2·P(current error > reference error) − 1.
  const all = new Float64Array(eh.length + ec.length);
  all.set(eh);
  all.set(ec, eh.length);
  const side = new Int32Array(all.length);
  side.fill(1, eh.length);
  const value = 2 * rocAuc(all, side) - 1;
  const sigma0 = 2 * Math.sqrt((eh.length + ec.length + 1) / (12 * eh.length * ec.length));
  const threshold = opts.threshold ?? Math.max(0.1, 4 * sigma0);
  return { test: 'reconstruction-error@1', statistic: 'distance', value, threshold, drifted: value >= threshold, components: k, columns: cols };
}

/**
 * Eigen-decomposition of a symmetric d × d matrix (row-major) by cyclic Jacobi rotations. Returns eigenvalues and
 * eigenvectors as columns of `vectors` (row-major, d × d). O(d³) per sweep; fine for d up to a few hundred.
 * @example symmetricEigen(Float64Array.of(2, 1, 1, 2), 2).values // [1, 3] in some order
 */
export function symmetricEigen(matrix: Float64Array, d: number): { values: number[]; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < d; p++)
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p], akq = a[k * d + q];
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k], aqk = a[q * d + k];
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p], vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
  }
  return { values: Array.from({ length: d }, (_, i) => a[i * d + i]), vectors: v };
}
