import { decodeFloats, encodeFloats } from '../artifact.js';
import { SynthopsError, ValidationError, throwIfAborted, type ValidationIssue } from '../errors.js';
import type { JsonValue } from '../json.js';
import { createRng, type Rng } from '../random.js';
import type { Table } from '../table/table.js';
import type { ResolvedCondition } from './conditions.js';
import type { FitOptions, Synthesizer, SynthesizerKind } from './synthesizer.js';
import { FittedTabular, loadColumnModels, type JointEngine, type ModelledValues, type TabularState } from './tabular-fitted.js';
import { DEFAULT_TRANSFORM, fitColumnModels, isModelled, type ColumnModel } from './transforms/column-model.js';
import { fillUint32 } from './transforms/fast-random.js';
import { CategoricalMarginal } from './transforms/categorical-marginal.js';
import { normalCdf, normalFromUint32, normalQuantile } from './transforms/normal.js';
import { validateRows } from './validate.js';

/**
 * Parameters of the Gaussian copula (and of `independent`, which is the same model without correlation).
 * @example { k: 5, gridSize: 1000 }
 */
export interface CopulaParams {
  /** Privacy threshold: categories with fewer than k rows are merged, extremes clipped to the k-th value. Default 5. */
  k: number;
  /** Knots of each numeric inverse CDF (more = closer marginals). Default 1000. */
  gridSize: number;
  [key: string]: JsonValue;
}

/** One variable of the copula: the value score of a modelled column, or its missing-value indicator. */
interface CopulaVar {
  modelled: number;
  type: 'value' | 'null';
  /** For a null indicator: the share of missing values (u below it means missing). */
  p?: number;
}

interface CopulaEngineState {
  vars: CopulaVar[];
  /** Correlation matrix of the normal scores, d × d row-major (an aggregate: no rows). */
  corr: ReturnType<typeof encodeFloats>;
}

const CHUNK = 8192;

/**
 * Gaussian copula engine: each variable's normal score is Φ⁻¹ of its (randomised) rank; the scores'
 * correlation matrix is estimated pairwise over rows where both are present, shrunk towards the identity
 * until it is positive definite, and factorised once (Cholesky). Sampling draws z = L·e column-major in
 * chunks and maps each score straight through the marginal's knots in normal space.
 * Conditions are exact: conditioned variables come first in a permuted factorisation, are drawn from
 * their truncated conditional normals (GHK), and the row is accepted with probability equal to the product
 * of the later truncation probabilities, which makes the result an exact draw from the conditional law.
 */
export class CopulaEngine implements JointEngine {
  readonly vars: CopulaVar[];
  readonly corr: Float64Array;
  private readonly chol: Float64Array;
  private readonly models: ColumnModel[];

  constructor(vars: CopulaVar[], corr: Float64Array, models: ColumnModel[]) {
    this.vars = vars;
    this.corr = corr;
    this.models = models.filter(isModelled);
    this.chol = cholesky(corr, vars.length);
  }

  toJSON(): JsonValue {
    const s: CopulaEngineState = { vars: this.vars, corr: encodeFloats(this.corr) };
    return s as unknown as JsonValue;
  }

  static fromJSON(s: CopulaEngineState, models: ColumnModel[]): CopulaEngine {
    return new CopulaEngine(s.vars, Float64Array.from(decodeFloats(s.corr)), models);
  }

  sample(n: number, rng: Rng, conditions: readonly ResolvedCondition[], signal?: AbortSignal): ModelledValues {
    const out: ModelledValues = this.models.map((m) => (m.kind === 'numeric' ? new Float64Array(n) : new Int32Array(n)));
    if (conditions.length) this.sampleConditional(n, rng, conditions, out, signal);
    else this.sampleFree(n, rng, out, signal);
    return out;
  }

  private sampleFree(n: number, rng: Rng, out: ModelledValues, signal?: AbortSignal): void {
    const d = this.vars.length;
    const L = this.chol;
    const e = Array.from({ length: d }, () => new Float64Array(CHUNK));
    const z = Array.from({ length: d }, () => new Float64Array(CHUNK));
    const bits = new Uint32Array(CHUNK);
    for (let start = 0; start < n; start += CHUNK) {
      throwIfAborted(signal);
      const b = Math.min(CHUNK, n - start);
      for (let v = 0; v < d; v++) {
        const ev = e[v];
        fillUint32(rng, bits, b);
        for (let i = 0; i < b; i++) ev[i] = normalFromUint32(bits[i]);
      }
      for (let v = 0; v < d; v++) {
        const zv = z[v];
        zv.fill(0, 0, b);
        for (let w = 0; w <= v; w++) {
          const c = L[v * d + w];
          if (c === 0) continue;
          const ew = e[w];
          for (let i = 0; i < b; i++) zv[i] += c * ew[i];
        }
      }
      this.decode(z, start, b, out);
    }
  }

  /** Maps scores z[v][0..b) to output rows start..start+b. */
  private decode(z: Float64Array[], start: number, b: number, out: ModelledValues): void {
    const d = this.vars.length;
    const nullVar = new Int32Array(this.models.length).fill(-1);
    for (let v = 0; v < d; v++) if (this.vars[v].type === 'null') nullVar[this.vars[v].modelled] = v;
    for (let v = 0; v < d; v++) {
      const info = this.vars[v];
      if (info.type !== 'value') continue;
      const m = this.models[info.modelled];
      const zv = z[v];
      const nv = nullVar[info.modelled];
      const zn = nv >= 0 ? z[nv] : null;
      const edge = nv >= 0 ? normalQuantile(this.vars[nv].p!) : -Infinity;
      if (m.kind === 'numeric') {
        const o = out[info.modelled] as Float64Array;
        const mg = m.marginal;
        for (let i = 0; i < b; i++) o[start + i] = zn && zn[i] < edge ? NaN : mg.inverseZ(zv[i]);
      } else if (m.kind === 'categorical') {
        const o = out[info.modelled] as Int32Array;
        const mg = m.marginal;
        for (let i = 0; i < b; i++) o[start + i] = zn && zn[i] < edge ? -1 : mg.inverseZ(zv[i]);
      }
    }
  }

  private sampleConditional(n: number, rng: Rng, conditions: readonly ResolvedCondition[], out: ModelledValues, signal?: AbortSignal): void {
    const d = this.vars.length;
    // Intervals in z-space for conditioned variables (value scores and "not missing" indicators).
    const lo = new Float64Array(d).fill(-Infinity);
    const hi = new Float64Array(d).fill(Infinity);
    const fixed = new Uint8Array(d);
    for (const c of conditions) {
      for (let v = 0; v < d; v++) {
        const info = this.vars[v];
        if (info.modelled !== c.modelled) continue;
        fixed[v] = 1;
        if (info.type === 'null') lo[v] = normalQuantile(info.p!);
        else {
          lo[v] = normalQuantile(c.uLo);
          hi[v] = normalQuantile(c.uHi);
        }
      }
    }
    const perm: number[] = [];
    for (let v = 0; v < d; v++) if (fixed[v]) perm.push(v);
    const c = perm.length;
    for (let v = 0; v < d; v++) if (!fixed[v]) perm.push(v);
    const pc = new Float64Array(d * d);
    for (let a = 0; a < d; a++) for (let b2 = 0; b2 < d; b2++) pc[a * d + b2] = this.corr[perm[a] * d + perm[b2]];
    const L = cholesky(pc, d);
    const e = new Float64Array(d);
    const zRow = Array.from({ length: d }, () => new Float64Array(1));
    const budget = 1000 * n + 100000;
    let tries = 0;
    for (let row = 0; row < n; ) {
      if (++tries > budget)
        throw new SynthopsError(
          'invalid_argument',
          `invalid conditions: too unlikely under the fitted model (${row} of ${n} rows after ${budget} draws). Loosen or remove a condition.`,
        );
      if ((tries & 65535) === 0) throwIfAborted(signal);
      let accept = 1;
      for (let k = 0; k < c; k++) {
        let mean = 0;
        for (let w = 0; w < k; w++) mean += L[k * d + w] * e[w];
        const s = L[k * d + k];
        const a = (lo[perm[k]] - mean) / s;
        const bnd = (hi[perm[k]] - mean) / s;
        if (bnd - a < 1e-12 && Number.isFinite(a)) {
          // A point condition (continuous value): the score is fixed; weight by the normal density.
          e[k] = a;
          if (k > 0) accept *= Math.exp(-0.5 * a * a);
          continue;
        }
        const { draw, prob } = truncatedNormal(a, bnd, rng);
        e[k] = draw;
        if (k > 0) accept *= prob;
      }
      if (c > 1 && !(rng.next() < accept)) continue;
      for (let k = c; k < d; k++) e[k] = normalQuantile((rng.nextUint32() + 0.5) / 4294967296);
      for (let k = 0; k < d; k++) {
        let s = 0;
        for (let w = 0; w <= k; w++) s += L[k * d + w] * e[w];
        zRow[perm[k]][0] = s;
      }
      this.decode(zRow, row, 1, out);
      row++;
    }
  }
}

/** A draw from N(0,1) truncated to [a, b] by inverse CDF (reflected for accuracy in the upper tail), and P(a ≤ Z ≤ b). */
function truncatedNormal(a: number, b: number, rng: Rng): { draw: number; prob: number } {
  const flip = a > 0;
  const lo = flip ? -b : a, hi = flip ? -a : b;
  const pa = normalCdf(lo), pb = normalCdf(hi);
  const prob = pb - pa;
  let u = pa + rng.next() * prob;
  if (!(u > 0)) u = Number.MIN_VALUE;
  if (u >= 1) u = 1 - 1e-16;
  let x = normalQuantile(u);
  x = x < lo ? lo : x > hi ? hi : x;
  return { draw: flip ? -x : x, prob };
}

/**
 * Cholesky factor (lower, row-major) of a correlation matrix; when it is not positive definite the matrix
 * is shrunk towards the identity, (1−λ)R + λI, with the smallest λ of 0, 1e-8, 1e-6, … that works.
 */
export function cholesky(r: Float64Array, d: number): Float64Array {
  for (const lambda of [0, 1e-8, 1e-6, 1e-4, 1e-3, 1e-2, 0.05, 0.1, 0.2, 0.5, 1]) {
    const L = new Float64Array(d * d);
    let ok = true;
    for (let i = 0; i < d && ok; i++) {
      for (let j = 0; j <= i; j++) {
        let s = (i === j ? 1 : (1 - lambda) * r[i * d + j]);
        for (let k = 0; k < j; k++) s -= L[i * d + k] * L[j * d + k];
        if (i === j) {
          if (!(s > 1e-10)) {
            ok = false;
            break;
          }
          L[i * d + i] = Math.sqrt(s);
        } else L[i * d + j] = s / L[j * d + j];
      }
    }
    if (ok) return L;
  }
  throw new SynthopsError('internal', 'correlation matrix could not be factorised.');
}

/** Normal scores of every copula variable for the training rows (NaN where the value is missing). */
function normalScores(table: Table, models: ColumnModel[], rng: Rng, withScores = true): { vars: CopulaVar[]; scores: Float64Array[] } {
  const n = table.numRows;
  const vars: CopulaVar[] = [];
  const scores: Float64Array[] = [];
  let mi = -1;
  models.forEach((m, j) => {
    if (!isModelled(m)) return;
    mi++;
    if (!withScores) {
      vars.push({ modelled: mi, type: 'value' });
      if (m.nullShare > 0) vars.push({ modelled: mi, type: 'null', p: m.nullShare });
      return;
    }
    const col = table.columns[j];
    const s = new Float64Array(n).fill(NaN);
    if (m.kind === 'numeric' && col.storage === 'numeric') {
      // Distributional transform: u = (number of smaller values + U · number of equal values) / m, from one
      // native sort and two binary searches per row (uniform within ties).
      const v = col.values;
      let cnt = 0;
      for (let i = 0; i < n; i++) if (v[i] === v[i]) cnt++;
      const sorted = new Float64Array(cnt);
      for (let i = 0, o = 0; i < n; i++) if (v[i] === v[i]) sorted[o++] = v[i];
      sorted.sort();
      const bits = new Uint32Array(n);
      fillUint32(rng, bits);
      for (let i = 0; i < n; i++) {
        const x = v[i];
        if (x !== x) continue;
        const lo = lowerBound(sorted, x);
        let hi = lo + 1;
        if (hi < cnt && sorted[hi] === x) hi = upperBound(sorted, x);
        s[i] = normalQuantile((lo + ((bits[i] + 0.5) / 4294967296) * (hi - lo)) / cnt);
      }
    } else if (m.kind === 'categorical' && col.storage === 'categorical') {
      const mg = m.marginal;
      let mode = 0;
      for (let i = 1; i < mg.probs.length; i++) if (mg.probs[i] > mg.probs[mode]) mode = i;
      const map = col.dictionary.map((l) => {
        const i = mg.indexOf(l);
        return i < 0 ? mode : i;
      });
      for (let i = 0; i < n; i++) {
        const c = col.codes[i];
        if (c < 0) continue;
        const [a, b] = mg.interval(map[c]);
        s[i] = normalQuantile(a + (b - a) * (0.001 + 0.998 * rng.next()));
      }
    }
    vars.push({ modelled: mi, type: 'value' });
    scores.push(s);
    if (m.nullShare > 0) {
      const p = m.nullShare;
      const t = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const u = 0.001 + 0.998 * rng.next();
        t[i] = normalQuantile(s[i] !== s[i] ? u * p : p + u * (1 - p));
      }
      vars.push({ modelled: mi, type: 'null', p });
      scores.push(t);
    }
  });
  return { vars, scores };
}

/**
 * Reorders each categorical column's frequency intervals by the mean rank of the numeric column it is most
 * associated with (largest correlation ratio η²), so that a relation such as education ↔ education-num becomes
 * monotone in normal-score space, which a Gaussian copula can carry. Columns without a numeric partner keep the
 * most-frequent-first order. O(numeric × categorical × n).
 */
function orderCategories(table: Table, models: ColumnModel[]): ColumnModel[] {
  const n = table.numRows;
  const ranks: Float64Array[] = [];
  models.forEach((m, j) => {
    const col = table.columns[j];
    if (m.kind !== 'numeric' || col.storage !== 'numeric') return;
    const v = col.values;
    const idx = Array.from({ length: n }, (_, i) => i).filter((i) => v[i] === v[i]);
    idx.sort((a, b) => v[a] - v[b]);
    const r = new Float64Array(n).fill(NaN);
    // Mid-ranks for ties, scaled to (0, 1).
    for (let a = 0; a < idx.length; ) {
      let b = a + 1;
      while (b < idx.length && v[idx[b]] === v[idx[a]]) b++;
      const mid = (a + b) / 2 / idx.length;
      for (let t = a; t < b; t++) r[idx[t]] = mid;
      a = b;
    }
    ranks.push(r);
  });
  if (!ranks.length) return models;
  return models.map((m, j) => {
    const col = table.columns[j];
    if (m.kind !== 'categorical' || col.storage !== 'categorical') return m;
    const mg = m.marginal;
    const L = mg.labels.length;
    if (L < 3) return m;
    const map = col.dictionary.map((l) => mg.indexOf(l));
    let best: Float64Array | null = null, bestEta = 0.01;
    for (const r of ranks) {
      const sum = new Float64Array(L), cnt = new Float64Array(L);
      let tot = 0, tot2 = 0, m0 = 0;
      for (let i = 0; i < n; i++) {
        const c = col.codes[i];
        const x = r[i];
        if (c < 0 || map[c] < 0 || x !== x) continue;
        sum[map[c]] += x;
        cnt[map[c]]++;
        tot += x;
        tot2 += x * x;
        m0++;
      }
      if (m0 < 2) continue;
      const mean = tot / m0, total = tot2 - m0 * mean * mean;
      let between = 0;
      for (let c = 0; c < L; c++) if (cnt[c]) between += cnt[c] * (sum[c] / cnt[c] - mean) ** 2;
      const eta = total > 0 ? between / total : 0;
      if (eta > bestEta) {
        bestEta = eta;
        best = new Float64Array(L);
        for (let c = 0; c < L; c++) best[c] = cnt[c] ? sum[c] / cnt[c] : 0.5;
      }
    }
    if (!best) return m;
    const means = best;
    const order = Array.from({ length: L }, (_, i) => i).sort((a, b) => means[a] - means[b] || a - b);
    return { ...m, marginal: new CategoricalMarginal(order.map((i) => mg.labels[i]), order.map((i) => mg.probs[i]), mg.merged) };
  });
}

/** First index with a[i] ≥ x in a sorted array. */
function lowerBound(a: Float64Array, x: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with a[i] > x in a sorted array. */
function upperBound(a: Float64Array, x: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Pairwise-complete Pearson correlation of the score columns. O(d² n). */
function pairwiseCorrelation(scores: Float64Array[]): Float64Array {
  const d = scores.length;
  const r = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    r[a * d + a] = 1;
    for (let b = 0; b < a; b++) {
      const x = scores[a], y = scores[b];
      let m = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
      for (let i = 0; i < x.length; i++) {
        const xi = x[i], yi = y[i];
        if (xi !== xi || yi !== yi) continue;
        m++;
        sx += xi;
        sy += yi;
        sxx += xi * xi;
        syy += yi * yi;
        sxy += xi * yi;
      }
      let c = 0;
      if (m > 2) {
        const vx = sxx - (sx * sx) / m, vy = syy - (sy * sy) / m;
        c = vx > 0 && vy > 0 ? (sxy - (sx * sy) / m) / Math.sqrt(vx * vy) : 0;
      }
      r[a * d + b] = r[b * d + a] = Math.max(-1, Math.min(1, c));
    }
  }
  return r;
}

function validateParams(kind: string, params: Partial<CopulaParams>): CopulaParams {
  const issues: ValidationIssue[] = [];
  const k = params.k ?? DEFAULT_TRANSFORM.k;
  const gridSize = params.gridSize ?? DEFAULT_TRANSFORM.gridSize;
  if (!Number.isInteger(k) || k < 1) issues.push({ path: 'k', message: `invalid k: ${JSON.stringify(k)}. Use a whole number ≥ 1 (default 5).` });
  if (!Number.isInteger(gridSize) || gridSize < 2 || gridSize > 100000)
    issues.push({ path: 'gridSize', message: `invalid gridSize: ${JSON.stringify(gridSize)}. Use a whole number from 2 to 100000 (default 1000).` });
  for (const key of Object.keys(params)) if (key !== 'k' && key !== 'gridSize') issues.push({ path: key, message: `invalid parameter for ${kind}: "${key}". Known: k, gridSize.` });
  if (issues.length) throw new ValidationError(issues);
  return { k, gridSize };
}

function makeCopulaKind(kind: 'gaussian-copula' | 'independent', correlated: boolean, description: string): SynthesizerKind<CopulaParams> {
  const kindVersion = 1;
  return {
    kind,
    kindVersion,
    readableVersions: [1],
    description,
    create(params: Partial<CopulaParams> = {}): Synthesizer<CopulaParams> {
      const p = validateParams(kind, params);
      return {
        kind,
        params: p,
        async fit(table: Table, opts: FitOptions = {}) {
          const t0 = Date.now();
          const seed = opts.seed ?? 0;
          validateRows(table, p.k);
          throwIfAborted(opts.signal);
          let models = fitColumnModels(table, { k: p.k, gridSize: p.gridSize });
          if (correlated) models = orderCategories(table, models);
          opts.onProgress?.({ stage: 'fit', done: 1, total: 2, message: 'marginals' });
          // `independent` needs only the variable list (identity correlation), not the scores.
          const { vars, scores } = normalScores(table, models, createRng(seed, 'scores'), correlated);
          const d = vars.length;
          let corr: Float64Array;
          if (correlated) corr = pairwiseCorrelation(scores);
          else {
            corr = new Float64Array(d * d);
            for (let i = 0; i < d; i++) corr[i * d + i] = 1;
          }
          opts.onProgress?.({ stage: 'fit', done: 2, total: 2, message: 'correlation' });
          const engine = new CopulaEngine(vars, corr, models);
          return new FittedTabular(kind, kindVersion, p, table.schema, models, engine, {
            rows: table.numRows,
            columns: table.numColumns,
            seed,
            seconds: (Date.now() - t0) / 1000,
          });
        },
      };
    },
    load(artifact) {
      const pl = artifact.payload;
      const p = validateParams(kind, (pl.params ?? {}) as Partial<CopulaParams>);
      const state = pl.state as unknown as TabularState;
      const models = loadColumnModels(state);
      const engine = CopulaEngine.fromJSON(state.engine as unknown as CopulaEngineState, models);
      return new FittedTabular(kind, kindVersion, p, pl.schema, models, engine, pl.training);
    },
  };
}

/**
 * `gaussian-copula`: empirical marginals (point masses for zero-inflated and popular values, interpolated
 * continuous part, protected extremes) joined by the correlation of normal scores; missingness is a variable
 * of the copula, so which rows are missing follows the other columns. Exact conditional sampling.
 * @example const fitted = await gaussianCopula.create({ k: 5 }).fit(table, { seed: 1 });
 */
export const gaussianCopula = makeCopulaKind(
  'gaussian-copula',
  true,
  'Empirical marginals joined by a Gaussian copula (correlation of normal scores); fast, exact conditions.',
);

/**
 * `independent`: every column drawn from its own (protected) marginal, with no dependence between columns.
 * The floor that every other synthesizer must beat.
 * @example const fitted = await independent.create().fit(table, { seed: 1 });
 */
export const independent = makeCopulaKind('independent', false, 'Each column from its own marginal, no dependence (the baseline).');
