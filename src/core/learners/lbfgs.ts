/**
 * Limited-memory BFGS for smooth convex objectives: two-loop recursion over the last `memory`
 * (step, gradient-change) pairs and a backtracking line search on the Armijo condition.
 *
 * @example
 * const r = minimizeLbfgs((w, g) => { g[0] = 2 * (w[0] - 3); return (w[0] - 3) ** 2; }, new Float64Array(1));
 * r.x[0]; // ≈ 3
 */
export interface LbfgsOptions {
  /** Most iterations; default 200. */
  maxIter?: number;
  /** Stop when the largest gradient entry is below this; default 1e-6. */
  gradTol?: number;
  /** Stop when the objective improves by less than this (relative) over an iteration; default 1e-10. */
  funcTol?: number;
  /** Correction pairs kept; default 10. */
  memory?: number;
}

/** Result of `minimizeLbfgs`. */
export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
}

/**
 * Minimises f starting from x0 (not modified). `fg(x, grad)` returns f(x) and writes ∇f(x) into grad.
 */
export function minimizeLbfgs(fg: (x: Float64Array, grad: Float64Array) => number, x0: Float64Array, opts: LbfgsOptions = {}): LbfgsResult {
  const maxIter = opts.maxIter ?? 200;
  const gradTol = opts.gradTol ?? 1e-6;
  const funcTol = opts.funcTol ?? 1e-10;
  const m = opts.memory ?? 10;
  const d = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(d);
  let f = fg(x, g);
  const S: Float64Array[] = [], Y: Float64Array[] = [], rho: number[] = [];
  const dir = new Float64Array(d);
  const alpha = new Float64Array(m);
  let xNew = new Float64Array(d);
  let gNew = new Float64Array(d);
  let it = 0;
  let converged = maxAbs(g) < gradTol;
  while (!converged && it < maxIter) {
    it++;
    // Two-loop recursion: dir = −H g.
    for (let i = 0; i < d; i++) dir[i] = -g[i];
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(S[k], dir);
      axpy(-alpha[k], Y[k], dir);
    }
    if (S.length) {
      const last = S.length - 1;
      const gamma = dot(S[last], Y[last]) / dot(Y[last], Y[last]);
      for (let i = 0; i < d; i++) dir[i] *= gamma;
    } else {
      const gn = Math.sqrt(dot(g, g));
      if (gn > 0) for (let i = 0; i < d; i++) dir[i] /= Math.max(1, gn);
    }
    for (let k = 0; k < S.length; k++) {
      const b = rho[k] * dot(Y[k], dir);
      axpy(alpha[k] - b, S[k], dir);
    }
    let slope = dot(g, dir);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let i = 0; i < d; i++) dir[i] = -g[i];
      slope = dot(g, dir);
      if (!(slope < 0)) break;
    }
    // Backtracking (Armijo).
    let step = 1;
    let fNew = Infinity;
    for (let ls = 0; ls < 40; ls++) {
      for (let i = 0; i < d; i++) xNew[i] = x[i] + step * dir[i];
      fNew = fg(xNew, gNew);
      if (fNew <= f + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNew <= f)) break;
    const s = new Float64Array(d), y = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    const rel = (f - fNew) / Math.max(1, Math.abs(f));
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    f = fNew;
    if (maxAbs(g) < gradTol || rel < funcTol) converged = true;
  }
  return { x, value: f, iterations: it, converged };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += a * x[i];
}
function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
