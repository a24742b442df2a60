import { SynthopsError } from '../errors.js';
import type { JsonValue } from '../json.js';
import { checkFeatureMatrix, type FeatureMatrix } from './features.js';
import { minimizeLbfgs } from './lbfgs.js';
import { designRows, fitLinearDesign, linearBackprop, linearDesignFromJSON, linearDesignToJSON, linearScores, type LinearDesign } from './linear-design.js';

/**
 * Options of ridge linear regression.
 * @example fitLinear(x, y, { l2: 10 })
 */
export interface LinearOptions {
  /** L2 penalty λ in Σ (y − ŷ)² / sd(y)² + λ ‖W‖² on standardised inputs; default 1. */
  l2?: number;
  /** Most L-BFGS iterations; default 500. */
  maxIter?: number;
  /** Training rows of x; default all. */
  rows?: Int32Array;
}

/** A fitted ridge regression: ŷ = yMean + ySd × (x·w + b) on the encoded features. */
export interface LinearModel {
  design: LinearDesign;
  weights: Float64Array;
  intercept: number;
  yMean: number;
  ySd: number;
  featureNames: string[];
  levels: number[];
  converged: boolean;
}

/**
 * Fits ridge regression (squared error + L2, intercept not penalised) on standardised numerics and one-hot
 * categoricals, by L-BFGS on the standardised target. O(iterations × rows × nonzeros).
 * @example const m = fitLinear(x, price, {}); const yhat = predictLinear(m, xTest);
 */
export function fitLinear(x: FeatureMatrix, y: Float64Array, opts: LinearOptions = {}): LinearModel {
  checkFeatureMatrix(x);
  const l2 = opts.l2 ?? 1;
  if (!(l2 >= 0)) throw new SynthopsError('invalid_argument', `invalid l2: ${l2}. Use a number ≥ 0.`);
  const rows = opts.rows ?? Int32Array.from({ length: x.numRows }, (_, i) => i);
  const n = rows.length;
  if (n === 0) throw new SynthopsError('invalid_input', 'invalid training rows: none. Linear regression needs at least one row.');
  let s = 0;
  for (const r of rows) {
    if (!Number.isFinite(y[r])) throw new SynthopsError('invalid_input', `invalid target at row ${r}: not a finite number.`, { row: r });
    s += y[r];
  }
  const yMean = s / n;
  let v = 0;
  for (const r of rows) v += (y[r] - yMean) ** 2;
  const ySd = n > 1 && v > 0 ? Math.sqrt(v / (n - 1)) : 1;
  const yz = Float64Array.from(rows, (r) => (y[r] - yMean) / ySd);
  const design = fitLinearDesign(x, rows);
  const X = designRows(design, x, rows);
  const P = design.width;
  const Z = new Float64Array(n);
  const W = new Float64Array(P), b = new Float64Array(1), gW = new Float64Array(P), gb = new Float64Array(1);
  const lam = l2 / n;
  // Objective: mean squared error / 2 + (λ / 2n) ‖W‖².
  const fg = (theta: Float64Array, grad: Float64Array): number => {
    W.set(theta.subarray(0, P));
    b[0] = theta[P];
    linearScores(X, design, W, b, 1, Z);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const r = Z[i] - yz[i];
      loss += r * r;
      Z[i] = r / n;
    }
    gW.fill(0);
    gb[0] = 0;
    linearBackprop(X, design, Z, 1, gW, gb);
    let reg = 0;
    for (let j = 0; j < P; j++) {
      reg += W[j] * W[j];
      grad[j] = gW[j] + lam * W[j];
    }
    grad[P] = gb[0];
    return loss / (2 * n) + 0.5 * lam * reg;
  };
  const res = minimizeLbfgs(fg, new Float64Array(P + 1), { maxIter: opts.maxIter ?? 500, gradTol: 1e-7, funcTol: 1e-14 });
  return { design, weights: res.x.slice(0, P), intercept: res.x[P], yMean, ySd, featureNames: [...x.names], levels: [...x.levels], converged: res.converged };
}

/** Predicted values, one per row. */
export function predictLinear(m: LinearModel, x: FeatureMatrix): Float64Array {
  const X = designRows(m.design, x);
  const Z = new Float64Array(X.n);
  linearScores(X, m.design, m.weights, Float64Array.of(m.intercept), 1, Z);
  for (let i = 0; i < X.n; i++) Z[i] = m.yMean + m.ySd * Z[i];
  return Z;
}

/** Plain-JSON form. */
export function linearToJSON(m: LinearModel): JsonValue {
  return { design: linearDesignToJSON(m.design), weights: Array.from(m.weights), intercept: m.intercept, yMean: m.yMean, ySd: m.ySd, featureNames: m.featureNames, levels: m.levels, converged: m.converged };
}

/** Reads what `linearToJSON` wrote. */
export function linearFromJSON(json: JsonValue): LinearModel {
  const o = json as Record<string, JsonValue>;
  if (!o || typeof o !== 'object' || !Array.isArray(o.weights) || !Array.isArray(o.featureNames) || !Array.isArray(o.levels))
    throw new SynthopsError('incompatible_artifact', 'invalid linear model: fields are missing.');
  const m: LinearModel = {
    design: linearDesignFromJSON(o.design),
    weights: Float64Array.from(o.weights as number[]),
    intercept: Number(o.intercept),
    yMean: Number(o.yMean),
    ySd: Number(o.ySd),
    featureNames: (o.featureNames as string[]).map(String),
    levels: (o.levels as number[]).map(Number),
    converged: Boolean(o.converged),
  };
  if (m.weights.length !== m.design.width) throw new SynthopsError('incompatible_artifact', 'invalid linear model: weight size does not match the encoding.');
  return m;
}
