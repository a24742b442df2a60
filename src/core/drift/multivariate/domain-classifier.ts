import { SynthopsError } from '../../errors.js';
import { featureMatrix } from '../../learners/features.js';
import { fitLearner, kFoldIndices } from '../../learners/learner.js';
import { createRng } from '../../random.js';
import { storageOf } from '../../table/schema.js';
import type { Table } from '../../table/table.js';

/** Options of `domainClassifierDrift`; all have defaults. */
export interface DomainClassifierOptions {
  /** Seed for sampling rows, folds and boosting. Default 0. */
  seed?: number;
  /** Most rows drawn from each side. Default 5000. */
  maxRowsPerSide?: number;
  /** Columns to use (default: every column both sides share with the same storage, except id, text and datetime). */
  columns?: string[];
  /** Boosting rounds. Default 50. */
  rounds?: number;
  /** AUC at or above which the data drifted; default max(0.55, 0.5 + 4·σ₀), σ₀ the AUC's null standard deviation. */
  threshold?: number;
}

/** Result of the domain-classifier test: an AUC (0.5 = sides indistinguishable, 1 = fully separable). */
export interface DomainClassifierResult {
  test: 'domain-classifier@1';
  statistic: 'distance';
  /** Out-of-fold ROC AUC of telling current rows from reference rows. */
  value: number;
  threshold: number;
  drifted: boolean;
  rowsPerSide: [number, number];
  /** Columns that help most to tell the sides apart (gain share), largest first, top 5. */
  topColumns: { column: string; importance: number }[];
}

/**
 * Multivariate drift with a domain classifier: label reference rows 0 and current rows 1, train gradient
 * boosting with 2-fold cross-fitting, and measure the out-of-fold ROC AUC. 0.5 means no learnable difference;
 * it catches changes in the joint distribution that per-column tests miss (e.g. a broken correlation).
 * Default threshold max(0.55, 0.5 + 4·σ₀) with σ₀ = √((n₁ + n₂ + 1) / (12·n₁·n₂)), the Mann–Whitney null
 * standard deviation, so small samples do not alarm on noise. Needs rows on both sides (not a profile).
 * @example domainClassifierDrift(reference, current, { seed: 1 }).value // 0.51
 */
export function domainClassifierDrift(reference: Table, current: Table, opts: DomainClassifierOptions = {}): DomainClassifierResult {
  const seed = opts.seed ?? 0;
  const max = opts.maxRowsPerSide ?? 5000;
  const cols = (opts.columns ?? reference.columnNames).filter((name) => {
    if (!current.has(name) || !reference.has(name)) return false;
    const a = reference.spec(name).type, b = current.spec(name).type;
    // Datetime columns are left out: time moves on, so they would always tell the sides apart.
    return a !== 'id' && a !== 'text' && a !== 'datetime' && b !== 'datetime' && storageOf(a) === storageOf(b);
  });
  if (!cols.length) throw new SynthopsError('invalid_input', 'invalid domain classifier input: the two sides share no comparable column.');
  const rng = createRng(seed, 'domain-classifier');
  const pick = (t: Table, side: string) => {
    const n = Math.min(max, t.numRows);
    const perm = rng.split(side).permutation(t.numRows).subarray(0, n);
    return t.select(cols).take(perm);
  };
  const a = pick(reference, 'reference'), b = pick(current, 'current');
  if (a.numRows < 10 || b.numRows < 10) throw new SynthopsError('invalid_input', 'invalid domain classifier input: each side needs at least 10 rows.');
  // Same specs on both sides so concat can merge dictionaries.
  const both = a.concat(b.withSchema({ ...b.schema, columns: a.schema.columns.map((c) => ({ ...c })) }));
  const n1 = a.numRows, n2 = b.numRows, n = n1 + n2;
  const y = new Int32Array(n);
  for (let i = n1; i < n; i++) y[i] = 1;
  const x = featureMatrix(both);
  const folds = kFoldIndices(n, 2, seed, y);
  const score = new Float64Array(n);
  const importance = new Float64Array(cols.length);
  for (let f = 0; f < 2; f++) {
    const train: number[] = [], test: number[] = [];
    for (let i = 0; i < n; i++) (folds[i] === f ? test : train).push(i);
    const model = fitLearner('gradient-boosting', x, { kind: 'classification', y, numClasses: 2 }, { seed: seed + f, rows: Int32Array.from(train), nEstimators: opts.rounds ?? 50 });
    const p = model.predictProba(x);
    for (const i of test) score[i] = p[2 * i + 1];
    const imp = model.featureImportance();
    for (let j = 0; j < cols.length; j++) importance[j] += imp[j] ?? 0;
  }
  const value = rocAuc(score, y);
  const sigma0 = Math.sqrt((n1 + n2 + 1) / (12 * n1 * n2));
  const threshold = opts.threshold ?? Math.max(0.55, 0.5 + 4 * sigma0);
  const total = importance.reduce((s, v) => s + v, 0) || 1;
  const topColumns = cols
    .map((column, j) => ({ column, importance: importance[j] / total }))
    .sort((p, q) => q.importance - p.importance)
    .slice(0, 5);
  return { test: 'domain-classifier@1', statistic: 'distance', value, threshold, drifted: value >= threshold, rowsPerSide: [n1, n2], topColumns };
}

/**
 * ROC AUC of scores for labels 0/1 by the rank-sum (Mann–Whitney) formula, ties given half credit. 0.5 when a
 * class is absent.
 * @example rocAuc(Float64Array.of(0.1, 0.4, 0.35, 0.8), Int32Array.of(0, 0, 1, 1)) // 0.75
 */
export function rocAuc(score: Float64Array, y: Int32Array): number {
  const n = score.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((i, j) => score[i] - score[j]);
  let rankSumPos = 0, pos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && score[idx[j + 1]] === score[idx[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (y[idx[k]] === 1) {
      rankSumPos += avgRank;
      pos++;
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (!pos || !neg) return 0.5;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}
