import { SynthopsError } from '../errors.js';
import type { JsonValue } from '../json.js';
import { checkFeatureMatrix, type FeatureMatrix } from './features.js';
import { minimizeLbfgs } from './lbfgs.js';
import { fitBinaryNewton, newtonSuits, type BinaryNewtonResult } from './logistic-newton.js';
import { designRows, fitLinearDesign, linearDesignFromJSON, linearDesignToJSON, linearScores, type DesignRows, type LinearDesign } from './linear-design.js';

/**
 * Options of multinomial logistic regression.
 * @example fitLogistic(x, y, 2, { l2: 0.5, maxIter: 300 })
 */
export interface LogisticOptions {
  /** L2 penalty λ on the weights (not the intercepts) in Σ log-loss + λ/2 ‖W‖²; default 1 (scikit-learn's C = 1). */
  l2?: number;
  /** Most solver iterations (Newton steps for two classes, else L-BFGS iterations); default 200. */
  maxIter?: number;
  /**
   * Convergence tolerance; default 1e-6. Two classes: on the Newton decrement √(gᵀH⁻¹g) of the mean loss; otherwise on
   * the largest gradient entry.
   */
  tol?: number;
  /** Training rows of x; default all. */
  rows?: Int32Array;
  /**
   * 'auto' (default): Newton's method for two classes when it suits (see fitLogistic), else L-BFGS. 'lbfgs': always
   * L-BFGS (the solver before Newton's method; stops at maxIter, usually before convergence on large data).
   */
  solver?: 'auto' | 'lbfgs';
}

/** A fitted multinomial logistic regression: P(k | x) = softmax(x·W + b)_k on the encoded features. */
export interface LogisticModel {
  numClasses: number;
  design: LinearDesign;
  /** width × numClasses, row-major. */
  weights: Float64Array;
  intercepts: Float64Array;
  featureNames: string[];
  levels: number[];
  iterations: number;
  converged: boolean;
}

/**
 * Fits multinomial logistic regression with L2 on standardised numerics and one-hot categoricals. Two classes (with
 * l2 > 0 and a design of ≤ 600 columns, ≤ 63 nonzeros per row): damped Newton's method to convergence
 * (fitBinaryNewton: typically 3–6 steps, one Hessian pass of nonzeros² per row, reused while it makes fast progress).
 * Otherwise L-BFGS, one pass over the rows per iteration: O(iterations × rows × nonzeros × classes).
 *
 * @example
 * const m = fitLogistic(x, y, 2, {});
 * const proba = predictLogistic(m, xTest); // n × 2
 */
export function fitLogistic(x: FeatureMatrix, y: Int32Array, numClasses: number, opts: LogisticOptions = {}): LogisticModel {
  checkFeatureMatrix(x);
  const l2 = opts.l2 ?? 1;
  if (!(l2 >= 0)) throw new SynthopsError('invalid_argument', `invalid l2: ${l2}. Use a number ≥ 0.`);
  const K = numClasses;
  if (!Number.isInteger(K) || K < 1) throw new SynthopsError('invalid_argument', `invalid numClasses: ${K}. Use a whole number ≥ 1.`);
  const rows = opts.rows ?? identityRows(x.numRows);
  if (rows.length === 0) throw new SynthopsError('invalid_input', 'invalid training rows: none. Logistic regression needs at least one row.');
  // Indexed loops, not for-of or TypedArray.from with a callback: those stay slow in a worker that runs them a few times.
  const yy = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i], c = y[r];
    if (!(c >= 0 && c < K)) throw new SynthopsError('invalid_input', `invalid class index at row ${r}. Classes must be in [0, ${K}).`, { row: r });
    yy[i] = c;
  }
  const design = fitLinearDesign(x, rows);
  const X = designRows(design, x, rows);
  const n = rows.length;
  if (K === 2 && l2 > 0 && opts.solver !== 'lbfgs' && newtonSuits(design)) return binaryModel(x, design, fitBinaryNewton(X, design, yy, l2 / (2 * n), opts.maxIter ?? 200, opts.tol ?? 1e-6));
  const P = design.width * K;
  const Z = new Float64Array(K);
  const W = new Float64Array(P), b = new Float64Array(K);
  const gW = new Float64Array(P), gb = new Float64Array(K);
  const lam = l2 / n;
  // Objective: mean log-loss + (λ / 2n) ‖W‖²; parameters = [W, b].
  const fg = (theta: Float64Array, grad: Float64Array): number => {
    W.set(theta.subarray(0, P));
    b.set(theta.subarray(P));
    if (K === 2) {
      gW.fill(0);
      const loss = binaryLossGradient(X, design, W, b, yy, gW, gb);
      let reg = 0;
      for (let j = 0; j < P; j++) {
        reg += W[j] * W[j];
        grad[j] = gW[j] + lam * W[j];
      }
      grad[P] = gb[0];
      grad[P + 1] = gb[1];
      return loss / n + 0.5 * lam * reg;
    }
    gW.fill(0);
    gb.fill(0);
    const loss = multiLossGradient(X, design, W, b, yy, K, Z, gW, gb);
    let reg = 0;
    for (let j = 0; j < P; j++) {
      reg += W[j] * W[j];
      grad[j] = gW[j] + lam * W[j];
    }
    for (let k = 0; k < K; k++) grad[P + k] = gb[k];
    return loss / n + 0.5 * lam * reg;
  };
  const theta0 = new Float64Array(P + K);
  // Start the intercepts at the log class frequencies.
  const cnt = new Float64Array(K);
  for (const c of yy) cnt[c]++;
  for (let k = 0; k < K; k++) theta0[P + k] = Math.log(Math.max(cnt[k], 0.5) / n);
  const res = minimizeLbfgs(fg, theta0, { maxIter: opts.maxIter ?? 200, gradTol: opts.tol ?? 1e-6 });
  return {
    numClasses: K,
    design,
    weights: res.x.slice(0, P),
    intercepts: res.x.slice(P),
    featureNames: [...x.names],
    levels: [...x.levels],
    iterations: res.iterations,
    converged: res.converged,
  };
}

/**
 * The two-class model from Newton's σ(x·v + c) as the softmax form of the objective: with the same penalty on both
 * classes' weights, its minimum has w₁ = −w₀ = v/2 (then λ/2·(‖w₀‖² + ‖w₁‖²) = λ/4·‖v‖², the μ = λ/2n that
 * fitBinaryNewton minimises with), and only b₁ − b₀ = c matters: b = (−c/2, c/2). softmax(z₀, z₁)₁ = σ(z₁ − z₀).
 */
function binaryModel(x: FeatureMatrix, design: LinearDesign, r: BinaryNewtonResult): LogisticModel {
  const P = design.width;
  const weights = new Float64Array(2 * P);
  for (let j = 0; j < P; j++) {
    weights[2 * j] = -0.5 * r.theta[j];
    weights[2 * j + 1] = 0.5 * r.theta[j];
  }
  const c = r.theta[P];
  return {
    numClasses: 2,
    design,
    weights,
    intercepts: Float64Array.of(-0.5 * c, 0.5 * c),
    featureNames: [...x.names],
    levels: [...x.levels],
    iterations: r.iterations,
    converged: r.converged,
  };
}

/**
 * Two classes: the summed log-loss, with its gradient written into gW (zeroed by the caller) and gb, in one pass over
 * the rows instead of three (scores, residuals, back-propagation): each row's design values are read once while in
 * cache. Every accumulator gets the same operations in the same order as `linearScores`, the residual loop of
 * `fitLogistic` and `linearBackprop` with K = 2, so the model is bitwise the same. exp(z − max) is 1 without calling
 * exp for the larger score (exp(0) is exactly 1; an infinite or NaN max still goes through exp, as before).
 */
function binaryLossGradient(X: DesignRows, d: LinearDesign, W: Float64Array, b: Float64Array, yy: Int32Array, gW: Float64Array, gb: Float64Array): number {
  const { n, dense, cats } = X;
  const D = d.dense, C = d.categorical.length;
  const b0 = b[0], b1 = b[1];
  let loss = 0, g0 = 0, g1 = 0;
  for (let i = 0; i < n; i++) {
    let z0 = b0, z1 = b1;
    const io = i * D;
    for (let j = 0; j < D; j++) {
      const v = dense[io + j];
      if (v === 0) continue;
      z0 += v * W[2 * j];
      z1 += v * W[2 * j + 1];
    }
    const co = i * C;
    for (let c = 0; c < C; c++) {
      const col = cats[co + c];
      if (col < 0) continue;
      z0 += W[2 * col];
      z1 += W[2 * col + 1];
    }
    const y = yy[i];
    const zy = y === 0 ? z0 : z1;
    let mx = -Infinity;
    if (z0 > mx) mx = z0;
    if (z1 > mx) mx = z1;
    const finite = mx - mx === 0;
    const e0 = finite && z0 === mx ? 1 : Math.exp(z0 - mx);
    const e1 = finite && z1 === mx ? 1 : Math.exp(z1 - mx);
    let s = 0;
    s += e0;
    s += e1;
    loss += mx + Math.log(s) - zy;
    const r0 = (e0 / s - (y === 0 ? 1 : 0)) / n, r1 = (e1 / s - (y === 1 ? 1 : 0)) / n;
    g0 += r0;
    g1 += r1;
    for (let j = 0; j < D; j++) {
      const v = dense[io + j];
      if (v === 0) continue;
      gW[2 * j] += v * r0;
      gW[2 * j + 1] += v * r1;
    }
    for (let c = 0; c < C; c++) {
      const col = cats[co + c];
      if (col < 0) continue;
      gW[2 * col] += r0;
      gW[2 * col + 1] += r1;
    }
  }
  gb[0] = g0;
  gb[1] = g1;
  return loss;
}

/**
 * K classes: the summed softmax log-loss, with its gradient added into gW and gb (both zeroed by the caller), in one
 * pass over the rows instead of three (`linearScores`, the residuals, `linearBackprop`): each row's design values are
 * read once while in cache. Every accumulator gets the same operations in the same order as those three passes (row
 * by row; within a row, dense columns then one-hots, classes in order), so the model is bitwise the same. z holds one
 * row's scores at a time (its first K entries).
 */
function multiLossGradient(X: DesignRows, d: LinearDesign, W: Float64Array, b: Float64Array, yy: Int32Array, K: number, z: Float64Array, gW: Float64Array, gb: Float64Array): number {
  if (K === 3) return loss3(X, d, W, b, yy, gW, gb);
  const { n, dense, cats } = X;
  const D = d.dense, C = d.categorical.length;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) z[k] = b[k];
    const io = i * D, co = i * C;
    for (let j = 0; j < D; j++) {
      const v = dense[io + j];
      if (v === 0) continue;
      const wo = j * K;
      for (let k = 0; k < K; k++) z[k] += v * W[wo + k];
    }
    for (let c = 0; c < C; c++) {
      const col = cats[co + c];
      if (col < 0) continue;
      const wo = col * K;
      for (let k = 0; k < K; k++) z[k] += W[wo + k];
    }
    const y = yy[i];
    const zy = z[y];
    let mx = -Infinity;
    for (let k = 0; k < K; k++) if (z[k] > mx) mx = z[k];
    let s = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(z[k] - mx);
      z[k] = e;
      s += e;
    }
    // −log p_y = logsumexp(z) − z_y.
    loss += mx + Math.log(s) - zy;
    // z becomes the residual p − onehot(y), scaled by 1/n.
    for (let k = 0; k < K; k++) {
      const r = (z[k] / s - (y === k ? 1 : 0)) / n;
      z[k] = r;
      gb[k] += r;
    }
    for (let j = 0; j < D; j++) {
      const v = dense[io + j];
      if (v === 0) continue;
      const wo = j * K;
      for (let k = 0; k < K; k++) gW[wo + k] += v * z[k];
    }
    for (let c = 0; c < C; c++) {
      const col = cats[co + c];
      if (col < 0) continue;
      const wo = col * K;
      for (let k = 0; k < K; k++) gW[wo + k] += z[k];
    }
  }
  return loss;
}

/**
 * multiLossGradient unrolled for three classes (the scores and residuals in locals): the same operations in the same
 * order. exp(z − max) is 1 without calling exp for the largest score (exp(0) is exactly 1; an infinite or NaN max
 * still goes through exp), as in binaryLossGradient.
 */
function loss3(X: DesignRows, d: LinearDesign, W: Float64Array, b: Float64Array, yy: Int32Array, gW: Float64Array, gb: Float64Array): number {
  const { n, dense, cats } = X;
  const D = d.dense, C = d.categorical.length;
  const b0 = b[0], b1 = b[1], b2 = b[2];
  let loss = 0, g0 = gb[0], g1 = gb[1], g2 = gb[2];
  for (let i = 0; i < n; i++) {
    let z0 = b0, z1 = b1, z2 = b2;
    const io = i * D, co = i * C;
    for (let j = 0; j < D; j++) {
      const v = dense[io + j];
      if (v === 0) continue;
      const wo = 3 * j;
      z0 += v * W[wo];
      z1 += v * W[wo + 1];
      z2 += v * W[wo + 2];
    }
    for (let c = 0; c < C; c++) {
      const col = cats[co + c];
      if (col < 0) continue;
      const wo = 3 * col;
      z0 += W[wo];
      z1 += W[wo + 1];
      z2 += W[wo + 2];
    }
    const y = yy[i];
    const zy = y === 0 ? z0 : y === 1 ? z1 : z2;
    let mx = -Infinity;
    if (z0 > mx) mx = z0;
    if (z1 > mx) mx = z1;
    if (z2 > mx) mx = z2;
    const finite = mx - mx === 0;
    const e0 = finite && z0 === mx ? 1 : Math.exp(z0 - mx);
    const e1 = finite && z1 === mx ? 1 : Math.exp(z1 - mx);
    const e2 = finite && z2 === mx ? 1 : Math.exp(z2 - mx);
    let s = 0;
    s += e0;
    s += e1;
    s += e2;
    loss += mx + Math.log(s) - zy;
    const r0 = (e0 / s - (y === 0 ? 1 : 0)) / n, r1 = (e1 / s - (y === 1 ? 1 : 0)) / n, r2 = (e2 / s - (y === 2 ? 1 : 0)) / n;
    g0 += r0;
    g1 += r1;
    g2 += r2;
    for (let j = 0; j < D; j++) {
      const v = dense[io + j];
      if (v === 0) continue;
      const wo = 3 * j;
      gW[wo] += v * r0;
      gW[wo + 1] += v * r1;
      gW[wo + 2] += v * r2;
    }
    for (let c = 0; c < C; c++) {
      const col = cats[co + c];
      if (col < 0) continue;
      const wo = 3 * col;
      gW[wo] += r0;
      gW[wo + 1] += r1;
      gW[wo + 2] += r2;
    }
  }
  gb[0] = g0;
  gb[1] = g1;
  gb[2] = g2;
  return loss;
}

/** Class probabilities, n × numClasses row-major. */
export function predictLogistic(m: LogisticModel, x: FeatureMatrix): Float64Array {
  const K = m.numClasses;
  const X = designRows(m.design, x);
  const Z = new Float64Array(X.n * K);
  linearScores(X, m.design, m.weights, m.intercepts, K, Z);
  for (let i = 0; i < X.n; i++) {
    const o = i * K;
    let mx = -Infinity;
    for (let k = 0; k < K; k++) if (Z[o + k] > mx) mx = Z[o + k];
    let s = 0;
    for (let k = 0; k < K; k++) {
      Z[o + k] = Math.exp(Z[o + k] - mx);
      s += Z[o + k];
    }
    for (let k = 0; k < K; k++) Z[o + k] /= s;
  }
  return Z;
}

/**
 * Importance per original feature: the norm of its (standardised) weights across classes, summed over its
 * one-hot columns, normalised to sum 1.
 */
export function linearImportance(design: LinearDesign, weights: Float64Array, K: number, numFeatures: number): Float64Array {
  const imp = new Float64Array(numFeatures);
  const colNorm = (c: number): number => {
    let s = 0;
    for (let k = 0; k < K; k++) s += weights[c * K + k] * weights[c * K + k];
    return Math.sqrt(s);
  };
  design.numeric.forEach((j, k) => {
    imp[j] += colNorm(k);
    if (design.missingCol[k] >= 0) imp[j] += colNorm(design.missingCol[k]);
  });
  design.categorical.forEach((j, k) => {
    for (const c of design.oneHot[k]) if (c >= 0) imp[j] += colNorm(c);
  });
  let s = 0;
  for (const v of imp) s += v;
  if (s > 0) for (let j = 0; j < numFeatures; j++) imp[j] /= s;
  return imp;
}

/** Plain-JSON form. */
export function logisticToJSON(m: LogisticModel): JsonValue {
  return {
    numClasses: m.numClasses,
    design: linearDesignToJSON(m.design),
    weights: Array.from(m.weights),
    intercepts: Array.from(m.intercepts),
    featureNames: m.featureNames,
    levels: m.levels,
    iterations: m.iterations,
    converged: m.converged,
  };
}

/** Reads what `logisticToJSON` wrote. */
export function logisticFromJSON(json: JsonValue): LogisticModel {
  const o = json as Record<string, JsonValue>;
  if (!o || typeof o !== 'object' || !Array.isArray(o.weights) || !Array.isArray(o.intercepts) || !Array.isArray(o.featureNames) || !Array.isArray(o.levels))
    throw new SynthopsError('incompatible_artifact', 'invalid logistic model: fields are missing.');
  const m: LogisticModel = {
    numClasses: Number(o.numClasses),
    design: linearDesignFromJSON(o.design),
    weights: Float64Array.from(o.weights as number[]),
    intercepts: Float64Array.from(o.intercepts as number[]),
    featureNames: (o.featureNames as string[]).map(String),
    levels: (o.levels as number[]).map(Number),
    iterations: Number(o.iterations),
    converged: Boolean(o.converged),
  };
  if (m.weights.length !== m.design.width * m.numClasses || m.intercepts.length !== m.numClasses)
    throw new SynthopsError('incompatible_artifact', 'invalid logistic model: weight sizes do not match the encoding.');
  return m;
}

function identityRows(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}
