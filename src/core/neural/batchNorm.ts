import { param, type Param } from './param.js';

/**
 * Batch normalisation over the rows of an n × dim batch, with learned scale γ (init 1) and shift β (init 0):
 * y = γ · (x − mean) / √(var + ε) + β, using the batch's own statistics (biased variance), as during training.
 * `backward` returns dx and accumulates dγ, dβ. Cost O(n · dim).
 * @example const bn = new BatchNorm(256); const y = bn.forward(h, 500); ... const dh = bn.backward(dy, 500);
 */
export class BatchNorm {
  readonly gamma: Param;
  readonly beta: Param;
  private xhat = new Float32Array(0);
  private invStd = new Float64Array(0);
  private out = new Float32Array(0);
  private dx = new Float32Array(0);

  constructor(readonly dim: number, name = 'bn', readonly eps = 1e-5) {
    this.gamma = param(`${name}.gamma`, dim);
    this.gamma.data.fill(1);
    this.beta = param(`${name}.beta`, dim);
  }

  get params(): Param[] {
    return [this.gamma, this.beta];
  }

  forward(x: Float32Array, n: number): Float32Array {
    const d = this.dim;
    if (this.out.length < n * d) {
      this.out = new Float32Array(n * d);
      this.xhat = new Float32Array(n * d);
      this.dx = new Float32Array(n * d);
    }
    if (this.invStd.length < d) this.invStd = new Float64Array(d);
    const mean = new Float64Array(d), v = new Float64Array(d);
    for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) mean[j] += x[r * d + j];
    for (let j = 0; j < d; j++) mean[j] /= n;
    for (let r = 0; r < n; r++)
      for (let j = 0; j < d; j++) {
        const c = x[r * d + j] - mean[j];
        v[j] += c * c;
      }
    for (let j = 0; j < d; j++) this.invStd[j] = 1 / Math.sqrt(v[j] / n + this.eps);
    const g = this.gamma.data, b = this.beta.data, y = this.out, xh = this.xhat, is = this.invStd;
    for (let r = 0; r < n; r++)
      for (let j = 0; j < d; j++) {
        const o = r * d + j;
        const h = (x[o] - mean[j]) * is[j];
        xh[o] = h;
        y[o] = g[j] * h + b[j];
      }
    return y.subarray(0, n * d);
  }

  backward(dy: Float32Array, n: number): Float32Array {
    const d = this.dim, g = this.gamma.data, xh = this.xhat, is = this.invStd;
    const sdy = new Float64Array(d), sdyx = new Float64Array(d);
    for (let r = 0; r < n; r++)
      for (let j = 0; j < d; j++) {
        const o = r * d + j;
        sdy[j] += dy[o];
        sdyx[j] += dy[o] * xh[o];
      }
    for (let j = 0; j < d; j++) {
      this.beta.grad[j] += sdy[j];
      this.gamma.grad[j] += sdyx[j];
    }
    const dx = this.dx;
    for (let r = 0; r < n; r++)
      for (let j = 0; j < d; j++) {
        const o = r * d + j;
        dx[o] = ((g[j] * is[j]) / n) * (n * dy[o] - sdy[j] - xh[o] * sdyx[j]);
      }
    return dx.subarray(0, n * d);
  }
}
