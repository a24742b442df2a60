import type { DesignRows, LinearDesign } from './linear-design.js';

/** Most parameters (design columns + intercept) for which two-class logistic regression uses Newton's method. */
export const NEWTON_MAX_PARAMETERS = 600;
/** Most nonzero values per encoded row for Newton's method (its Hessian pass costs their square per row). */
export const NEWTON_MAX_NONZEROS = 64;

/** Result of {@link fitBinaryNewton}: θ = [v (design width), c] with P(class 1 | x) = σ(x·v + c). */
export interface BinaryNewtonResult {
  theta: Float64Array;
  /** Newton steps taken. */
  iterations: number;
  /** Hessians computed and factorised (a step reuses the last one while it makes fast progress). */
  hessians: number;
  converged: boolean;
}

/**
 * Whether {@link fitBinaryNewton} suits a design: few enough parameters for a dense Hessian and few enough nonzeros
 * per row for its pass (dense columns + one per categorical + the intercept).
 */
export function newtonSuits(d: LinearDesign): boolean {
  return d.width + 1 <= NEWTON_MAX_PARAMETERS && d.dense + d.categorical.length + 1 <= NEWTON_MAX_NONZEROS;
}

/**
 * Two-class L2 logistic regression by damped Newton's method on the encoded rows `X` of design `d`:
 * minimises (1/n) Σ log(1 + e^{−(2y−1)·s}) + (μ/2) ‖v‖² with s = x·v + c (intercept c not penalised).
 *
 * Each step solves H·step = ∇ with the Cholesky factor of the Hessian H = Xᵀ diag(p(1 − p)) X / n + μ I, then
 * backtracks (Armijo) on the objective. The Hessian costs a pass of (nonzeros)² per row, the gradient one of
 * nonzeros per row, so a Hessian is kept while it makes fast progress (the Newton decrement falling at least 10-fold per
 * step; near-indistinguishable classes keep p ≈ const and the first one serves to the end) and recomputed otherwise.
 * Stops when the Newton decrement gᵀH⁻¹g ≤ tol² (so the objective is within ≈ tol²/2 of its minimum) or after
 * `maxIter` steps. Deterministic: the same rows give the same bits.
 * @example const r = fitBinaryNewton(designRows(d, x, rows), d, y01, 1 / (2 * rows.length), 50, 1e-6);
 */
export function fitBinaryNewton(X: DesignRows, d: LinearDesign, y: Int32Array, mu: number, maxIter: number, tol: number): BinaryNewtonResult {
  const n = X.n, P = d.width, Q = P + 1;
  const theta = new Float64Array(Q);
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i] === 1 ? 1 : 0;
  const p0 = Math.min(1 - 1e-12, Math.max(1e-12, pos / n));
  theta[P] = Math.log(p0 / (1 - p0));
  let g = new Float64Array(Q), gT = new Float64Array(Q);
  let s = new Float64Array(n), sT = new Float64Array(n);
  let trial = new Float64Array(Q);
  const H = new Float64Array(Q * Q), step = new Float64Array(Q);
  let f = lossGradient(X, d, y, mu, theta, g, s);
  let it = 0, hessians = 0, converged = false, fresh = false, prevDec = Infinity;
  let th = theta;
  while (it < maxIter) {
    if (!fresh && hessians === 0) {
      factorHessian(X, d, mu, s, H);
      hessians++;
      fresh = true;
    }
    solve(H, Q, g, step);
    let dec = dot(g, step);
    if (!fresh && !(dec <= 0.1 * prevDec)) {
      // The kept Hessian no longer gives fast progress (or lost definiteness): a fresh one at this point.
      factorHessian(X, d, mu, s, H);
      hessians++;
      fresh = true;
      solve(H, Q, g, step);
      dec = dot(g, step);
    }
    if (dec <= tol * tol) {
      converged = true;
      break;
    }
    if (!(dec > 0)) break;
    let a = 1, fT = Infinity, ok = false;
    for (let ls = 0; ls < 40; ls++) {
      for (let j = 0; j < Q; j++) trial[j] = th[j] - a * step[j];
      fT = lossGradient(X, d, y, mu, trial, gT, sT);
      if (fT <= f - 1e-4 * a * dec) {
        ok = true;
        break;
      }
      a *= 0.5;
    }
    if (!ok) {
      if (!fresh) {
        // A stale Hessian gave a poor direction: retry from here with a fresh one.
        factorHessian(X, d, mu, s, H);
        hessians++;
        fresh = true;
        prevDec = Infinity;
        continue;
      }
      // No decrease along a fresh Newton direction: the objective is flat to rounding here.
      converged = dec <= 1e-8;
      break;
    }
    it++;
    [th, trial] = [trial, th];
    [g, gT] = [gT, g];
    [s, sT] = [sT, s];
    f = fT;
    prevDec = dec;
    fresh = false;
  }
  return { theta: th === theta ? theta : Float64Array.from(th), iterations: it, hessians, converged };
}

/**
 * The objective at θ; writes its gradient into g and each row's score s_i = x_i·v + c into s. One pass over the rows,
 * one exp and one log1p per row.
 */
function lossGradient(X: DesignRows, d: LinearDesign, y: Int32Array, mu: number, theta: Float64Array, g: Float64Array, s: Float64Array): number {
  const { n, dense, cats } = X;
  const D = d.dense, C = d.categorical.length, P = d.width;
  g.fill(0);
  const c0 = theta[P];
  let loss = 0, gc = 0;
  for (let i = 0; i < n; i++) {
    let z = c0;
    const io = i * D;
    for (let j = 0; j < D; j++) z += dense[io + j] * theta[j];
    const co = i * C;
    for (let c = 0; c < C; c++) {
      const col = cats[co + c];
      if (col >= 0) z += theta[col];
    }
    s[i] = z;
    // e = e^{−|z|}: σ(z) = 1 / (1 + e) for z ≥ 0, e / (1 + e) otherwise; −log σ(±z) from the same e.
    const e = Math.exp(-Math.abs(z));
    const p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
    const yi = y[i] === 1 ? 1 : 0;
    // Loss: log(1 + e^{−m}) with margin m = z for y = 1, −z for y = 0.
    const m = yi === 1 ? z : -z;
    loss += (m < 0 ? -m : 0) + Math.log1p(e);
    const r = p - yi;
    gc += r;
    for (let j = 0; j < D; j++) g[j] += dense[io + j] * r;
    for (let c = 0; c < C; c++) {
      const col = cats[co + c];
      if (col >= 0) g[col] += r;
    }
  }
  g[P] = gc;
  let reg = 0;
  for (let j = 0; j <= P; j++) g[j] /= n;
  for (let j = 0; j < P; j++) {
    reg += theta[j] * theta[j];
    g[j] += mu * theta[j];
  }
  return loss / n + 0.5 * mu * reg;
}

/**
 * The Hessian at scores s, Cholesky-factorised in place (lower triangle of H, row-major, Q × Q). Rows' parameter
 * indices come in ascending order (dense columns, then each categorical's one-hot column, then the intercept), so each
 * row adds to the lower triangle only.
 */
function factorHessian(X: DesignRows, d: LinearDesign, mu: number, s: Float64Array, H: Float64Array): void {
  const { n, dense, cats } = X;
  const D = d.dense, C = d.categorical.length, P = d.width, QQ = P + 1;
  H.fill(0);
  const idx = new Int32Array(D + C + 1), val = new Float64Array(D + C + 1);
  for (let i = 0; i < n; i++) {
    const z = s[i];
    const e = Math.exp(-Math.abs(z));
    const w = e / ((1 + e) * (1 + e));
    if (w === 0) continue;
    let k = 0;
    const io = i * D;
    for (let j = 0; j < D; j++) {
      const v = dense[io + j];
      if (v !== 0) {
        idx[k] = j;
        val[k++] = v;
      }
    }
    const co = i * C;
    for (let c = 0; c < C; c++) {
      const col = cats[co + c];
      if (col >= 0) {
        idx[k] = col;
        val[k++] = 1;
      }
    }
    idx[k] = P;
    val[k++] = 1;
    for (let a = 0; a < k; a++) {
      const wa = w * val[a], ro = idx[a] * QQ;
      for (let b = 0; b <= a; b++) H[ro + idx[b]] += wa * val[b];
    }
  }
  for (let a = 0; a < QQ; a++) {
    const ro = a * QQ;
    for (let b = 0; b <= a; b++) H[ro + b] /= n;
    if (a < P) H[ro + a] += mu;
  }
  cholesky(H, QQ);
}

/**
 * In-place Cholesky factor (lower triangle) of a symmetric positive-definite matrix given by its lower triangle. A
 * pivot that rounding made non-positive (a direction with no curvature) is set to a tiny positive value so the solve
 * stays finite; the line search then guards the step.
 */
function cholesky(A: Float64Array, q: number): void {
  for (let j = 0; j < q; j++) {
    const rj = j * q;
    let djj = A[rj + j];
    for (let k = 0; k < j; k++) djj -= A[rj + k] * A[rj + k];
    const dj = Math.sqrt(djj > 1e-300 ? djj : 1e-300);
    A[rj + j] = dj;
    for (let i = j + 1; i < q; i++) {
      const ri = i * q;
      let t = A[ri + j];
      for (let k = 0; k < j; k++) t -= A[ri + k] * A[rj + k];
      A[ri + j] = t / dj;
    }
  }
}

/** Solves L Lᵀ x = b for the factor L in the lower triangle of A (q × q). */
function solve(A: Float64Array, q: number, b: Float64Array, x: Float64Array): void {
  for (let i = 0; i < q; i++) {
    const ri = i * q;
    let t = b[i];
    for (let k = 0; k < i; k++) t -= A[ri + k] * x[k];
    x[i] = t / A[ri + i];
  }
  for (let i = q - 1; i >= 0; i--) {
    let t = x[i];
    for (let k = i + 1; k < q; k++) t -= A[k * q + i] * x[k];
    x[i] = t / A[i * q + i];
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let t = 0;
  for (let i = 0; i < a.length; i++) t += a[i] * b[i];
  return t;
}
