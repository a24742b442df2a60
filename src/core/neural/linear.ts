import type { Rng } from '../random.js';
import { Gemm } from './gemm.js';
import { param, type Param } from './param.js';

/**
 * A one-hot block at the end of a layer's input rows: `width` columns, row r's 1 at `index[r]` (−1: all 0).
 * CTGAN's conditional vector is such a block in every generator layer's input.
 */
export interface OneHotTail {
  width: number;
  index: Int32Array;
}

/**
 * A fully connected layer y = x·W + b on row-major batches (x: n × inDim, W: inDim × outDim).
 * Weights start uniform in ±1/√inDim (drawn from `rng`). `forward` keeps a reference to its input for
 * `backward`, which accumulates dW = xᵀ·dy and db = Σ rows of dy and returns dx = dy·Wᵀ.
 * Cost O(n · inDim · outDim) per pass, on the products of `mm` (a {@link Gemm}: kernel and threads; by default a
 * new one with the WebAssembly SIMD kernel on this thread — pass one shared instance to every layer of a network).
 *
 * @example
 * const fc = new Linear(170, 128, createRng(0).split('fc1'));
 * const h = fc.forward(x, 500); ... const dx = fc.backward(dh, 500);
 */
export class Linear {
  readonly w: Param;
  readonly b: Param;
  private input: Float32Array | null = null;
  private oneHot: OneHotTail | null = null;
  private out = new Float32Array(0);
  private dx = new Float32Array(0);

  constructor(readonly inDim: number, readonly outDim: number, rng: Rng, name = 'linear', readonly mm: Gemm = new Gemm()) {
    this.w = param(`${name}.w`, inDim * outDim);
    this.b = param(`${name}.b`, outDim);
    const bound = 1 / Math.sqrt(inDim);
    for (let i = 0; i < this.w.data.length; i++) this.w.data[i] = rng.uniform(-bound, bound);
    for (let i = 0; i < outDim; i++) this.b.data[i] = rng.uniform(-bound, bound);
  }

  get params(): Param[] {
    return [this.w, this.b];
  }

  /**
   * y (n × outDim) for x (n × inDim). The returned buffer is reused by the next call.
   * With `oneHot` (the last `oneHot.width` input columns hold a one-hot block: row r's 1 at column
   * inDim − width + oneHot.index[r], every other column of the block 0), the block is not multiplied: its weight row
   * is added instead. The block comes last in the sum over input columns either way, so y has the same bits.
   */
  forward(x: Float32Array, n: number, oneHot?: OneHotTail): Float32Array {
    this.input = x;
    this.oneHot = oneHot ?? null;
    if (this.out.length < n * this.outDim) this.out = new Float32Array(n * this.outDim);
    const y = this.out.subarray(0, n * this.outDim);
    const o = this.outDim, bias = this.b.data, w = this.w.data;
    for (let i = 0; i < n; i++) y.set(bias, i * o);
    if (!oneHot) {
      this.mm.nn(n, this.inDim, o, x, w, y, true);
      return y;
    }
    const dense = this.inDim - oneHot.width;
    this.mm.nn(n, dense, o, x, w, y, true, this.inDim);
    for (let r = 0; r < n; r++) {
      const h = oneHot.index[r];
      if (h < 0) continue;
      const wr = (dense + h) * o, yr = r * o;
      for (let j = 0; j < o; j++) y[yr + j] += w[wr + j];
    }
    return y;
  }

  /**
   * Accumulates gradients for the last forward input; returns dx unless `needInputGrad` is false: n × `inputCols`,
   * the gradient with respect to the first `inputCols` input columns only (default all, inDim).
   */
  backward(dy: Float32Array, n: number, needInputGrad = true, inputCols = this.inDim): Float32Array | null {
    const x = this.input;
    if (!x) throw new Error('Linear.backward before forward');
    const i = this.inDim, o = this.outDim;
    const hot = this.oneHot;
    if (!hot) this.mm.tn(i, n, o, x, dy, this.w.grad, true); // dW += xᵀ·dy, x read as it is (no transposed copy)
    else {
      // Dense columns as a product, then the one-hot block's rows: row r adds dy_r to the weight row of its 1
      // (rows in increasing r, the order of the full product's sum).
      const dense = i - hot.width, wg = this.w.grad;
      this.mm.tn(dense, n, o, x, dy, wg, true, i);
      for (let r = 0; r < n; r++) {
        const h = hot.index[r];
        if (h < 0) continue;
        const wr = (dense + h) * o, yr = r * o;
        for (let j = 0; j < o; j++) wg[wr + j] += dy[yr + j];
      }
    }
    const db = this.b.grad;
    for (let r = 0; r < n; r++) {
      const off = r * o;
      for (let j = 0; j < o; j++) db[j] += dy[off + j];
    }
    if (!needInputGrad) return null;
    return this.backwardInput(dy, n, inputCols);
  }

  /**
   * dx = dy·Wᵀ (n × inDim) only, without touching the weight gradients — for a pass that trains another network
   * through this one (CTGAN's generator step through the critic). With `cols` < inDim only the first `cols` input
   * columns (n × cols; each value summed exactly as in the full product). The returned buffer is reused by the next
   * call.
   */
  backwardInput(dy: Float32Array, n: number, cols = this.inDim): Float32Array {
    const i = cols, o = this.outDim;
    if (this.dx.length < n * i) this.dx = new Float32Array(n * i);
    const dx = this.dx.subarray(0, n * i);
    // dx = dy·Wᵀ over the first `cols` rows of W (inDim × outDim, row-major: its first cols · outDim values).
    this.mm.nt(n, o, i, dy, this.w.data.subarray(0, i * o), dx, false);
    return dx;
  }
}
