import type { Rng } from '../random.js';
import { gemm, transpose } from './gemm.js';
import { param, type Param } from './param.js';

/**
 * A fully connected layer y = x·W + b on row-major batches (x: n × inDim, W: inDim × outDim).
 * Weights start uniform in ±1/√inDim (drawn from `rng`). `forward` keeps a reference to its input for
 * `backward`, which accumulates dW = xᵀ·dy and db = Σ rows of dy and returns dx = dy·Wᵀ.
 * Cost O(n · inDim · outDim) per pass, on the SIMD GEMM.
 *
 * @example
 * const fc = new Linear(170, 128, createRng(0).split('fc1'));
 * const h = fc.forward(x, 500); ... const dx = fc.backward(dh, 500);
 */
export class Linear {
  readonly w: Param;
  readonly b: Param;
  private input: Float32Array | null = null;
  private out = new Float32Array(0);
  private dx = new Float32Array(0);
  private xT = new Float32Array(0);
  private wT = new Float32Array(0);

  constructor(readonly inDim: number, readonly outDim: number, rng: Rng, name = 'linear') {
    this.w = param(`${name}.w`, inDim * outDim);
    this.b = param(`${name}.b`, outDim);
    const bound = 1 / Math.sqrt(inDim);
    for (let i = 0; i < this.w.data.length; i++) this.w.data[i] = rng.uniform(-bound, bound);
    for (let i = 0; i < outDim; i++) this.b.data[i] = rng.uniform(-bound, bound);
  }

  get params(): Param[] {
    return [this.w, this.b];
  }

  /** y (n × outDim) for x (n × inDim). The returned buffer is reused by the next call. */
  forward(x: Float32Array, n: number): Float32Array {
    this.input = x;
    if (this.out.length < n * this.outDim) this.out = new Float32Array(n * this.outDim);
    const y = this.out.subarray(0, n * this.outDim);
    const o = this.outDim, bias = this.b.data;
    for (let i = 0; i < n; i++) y.set(bias, i * o);
    gemm(n, this.inDim, o, x, this.w.data, y, true);
    return y;
  }

  /** Accumulates gradients for the last forward input; returns dx (n × inDim) unless `needInputGrad` is false. */
  backward(dy: Float32Array, n: number, needInputGrad = true): Float32Array | null {
    const x = this.input;
    if (!x) throw new Error('Linear.backward before forward');
    const i = this.inDim, o = this.outDim;
    if (this.xT.length < n * i) this.xT = new Float32Array(n * i);
    gemm(i, n, o, transpose(n, i, x, this.xT), dy, this.w.grad, true);
    const db = this.b.grad;
    for (let r = 0; r < n; r++) {
      const off = r * o;
      for (let j = 0; j < o; j++) db[j] += dy[off + j];
    }
    if (!needInputGrad) return null;
    return this.backwardInput(dy, n);
  }

  /**
   * dx = dy·Wᵀ (n × inDim) only, without touching the weight gradients — for a pass that trains another network
   * through this one (CTGAN's generator step through the critic). The returned buffer is reused by the next call.
   */
  backwardInput(dy: Float32Array, n: number): Float32Array {
    const i = this.inDim, o = this.outDim;
    if (this.wT.length < i * o) this.wT = new Float32Array(i * o);
    if (this.dx.length < n * i) this.dx = new Float32Array(n * i);
    const dx = this.dx.subarray(0, n * i);
    gemm(n, o, i, dy, transpose(i, o, this.w.data, this.wT), dx, false);
    return dx;
  }
}
