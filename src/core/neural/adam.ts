import type { Param } from './param.js';

/** Options of `Adam`; defaults are the usual ones (lr 1e-3, β 0.9/0.999, ε 1e-8, no weight decay). */
export interface AdamOptions {
  lr?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** L2 penalty added to the gradient (coupled, as in classic Adam). Default 0. */
  weightDecay?: number;
}

/**
 * Adam optimiser (Kingma & Ba) with bias correction, over a fixed list of parameters.
 * Deterministic: element-wise updates only.
 * @example const opt = new Adam(net.params, { lr: 1e-3 }); opt.zeroGrad(); ...backward...; opt.step();
 */
export class Adam {
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private t = 0;
  readonly lr: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly eps: number;
  private readonly wd: number;

  constructor(readonly params: readonly Param[], options: AdamOptions = {}) {
    this.lr = options.lr ?? 1e-3;
    this.b1 = options.beta1 ?? 0.9;
    this.b2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.wd = options.weightDecay ?? 0;
    this.m = params.map((p) => new Float32Array(p.data.length));
    this.v = params.map((p) => new Float32Array(p.data.length));
  }

  zeroGrad(): void {
    for (const p of this.params) p.grad.fill(0);
  }

  step(): void {
    this.t++;
    const { b1, b2, eps, wd } = this;
    const c1 = 1 - b1 ** this.t, c2 = 1 - b2 ** this.t;
    const a1 = 1 - b1, a2 = 1 - b2, stepSize = this.lr / c1, invC2 = 1 / c2;
    for (let k = 0; k < this.params.length; k++) adamUpdate(this.params[k].data, this.params[k].grad, this.m[k], this.v[k], b1, a1, b2, a2, stepSize, invC2, eps, wd);
  }
}

/** One Adam update over a parameter tensor (a plain monomorphic loop, kept small so the JIT optimises it well). */
function adamUpdate(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, b1: number, a1: number, b2: number, a2: number, stepSize: number, invC2: number, eps: number, wd: number): void {
  const len = w.length;
  for (let i = 0; i < len; i++) {
    const wi = w[i];
    const gi = g[i] + wd * wi;
    const mi = b1 * m[i] + a1 * gi;
    const vi = b2 * v[i] + a2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i] = wi - (stepSize * mi) / (Math.sqrt(vi * invC2) + eps);
  }
}
