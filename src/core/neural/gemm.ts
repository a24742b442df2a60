import { gemmTs } from './gemmTs.js';
import { KERNELS_WASM_BASE64 } from './kernels.wasm.js';
import { lazyWasmModule } from '../wasm-module.js';

/** Which matrix-multiply kernel the engine uses: WebAssembly SIMD when the runtime supports it, else plain TS. */
export type KernelName = 'wasm-simd' | 'ts';

interface WasmKernel {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  base: number;
  gemm: (m: number, k: number, n: number, a: number, b: number, c: number, acc: number, lda: number) => void;
  gemmTn: (m: number, k: number, n: number, a: number, b: number, c: number, acc: number, lda: number) => void;
}

/** The compiled kernel module (null without WebAssembly SIMD). Each {@link Gemm} instantiates its own copy. */
const compiledKernels = lazyWasmModule(KERNELS_WASM_BASE64);

function instantiate(): WasmKernel | null {
  const mod = compiledKernels();
  if (!mod) return null;
  const inst = new WebAssembly.Instance(mod, {});
  const ex = inst.exports as unknown as { memory: WebAssembly.Memory; heapBase: () => number; gemm: WasmKernel['gemm']; gemmTn: WasmKernel['gemmTn'] };
  return { module: mod, memory: ex.memory, base: (ex.heapBase() + 63) & ~63, gemm: ex.gemm, gemmTn: ex.gemmTn };
}

/**
 * A second thread that computes the lower rows of large products while the calling thread computes the upper
 * ones. `start` hands over rows [from, m) of C (+)= A·B (copying what it needs before it returns) and gives back a
 * function that blocks until those rows are written into `c`. The results are bit-identical to one thread.
 * Core never creates threads: a Node adapter makes one (`startGemmHelper` in src/node/workers/gemm-helper.ts) and
 * the caller passes it in {@link GemmOptions}.
 */
export interface GemmHelper {
  start(m: number, k: number, n: number, a: Float32Array, b: Float32Array, c: Float32Array, accumulate: boolean, from: number): () => void;
}

/** How a {@link Gemm} multiplies. Every choice gives the same bits; they differ only in speed. */
export interface GemmOptions {
  /** `'ts'` forces the plain-TypeScript kernel (tests, comparisons); default WebAssembly SIMD when the runtime has it. */
  kernel?: KernelName;
  /** A second thread for large products (see {@link GemmHelper}); default none (one thread). */
  helper?: GemmHelper | null;
}

/** Products with fewer multiply-adds than this stay on one thread (a hand-over costs tens of microseconds). */
const SPLIT_MIN = 1 << 21;

/**
 * The matrix products of the neural networks, with the kernel and threads chosen at construction (no module-level
 * switches: two fits in one process, or in one worker, can use different settings side by side). Owns its
 * WebAssembly instance and the instance's scratch memory; one instance per network (or per fit) is the intended use.
 * Deterministic: a fixed summation order per element of C, identical bits with either kernel, with or without a helper.
 *
 * @example
 * const mm = new Gemm();             // WebAssembly SIMD when available
 * mm.nn(batch, inDim, outDim, x, w, y, false); // y = x · w
 */
export class Gemm {
  /** The kernel this instance runs. */
  readonly kernel: KernelName;
  private readonly w: WasmKernel | null;
  private readonly helper: GemmHelper | null;

  constructor(opts: GemmOptions = {}) {
    this.w = opts.kernel === 'ts' ? null : instantiate();
    this.kernel = this.w ? 'wasm-simd' : 'ts';
    this.helper = opts.helper ?? null;
  }

  /**
   * C[m×n] (+)= A[m×k] · B[k×n], row-major Float32Arrays; `accumulate` adds into C instead of overwriting. Rows
   * of A are `lda` floats apart (default k; larger to multiply by the first k columns of a wider A — such products
   * stay on the calling thread). Cost O(m·k·n).
   */
  nn(m: number, k: number, n: number, a: Float32Array, b: Float32Array, c: Float32Array, accumulate: boolean, lda = k): void {
    const w = this.w;
    if (!w || m * k * n < 512) {
      gemmTs(m, k, n, a, b, c, accumulate, lda);
      return;
    }
    if (lda !== k) {
      gemmWasm(w, m, k, n, a, b, c, accumulate, 'nn', lda);
      return;
    }
    const helper = this.helper;
    if (helper && m >= 16 && m * k * n >= SPLIT_MIN) {
      // Rows [from, m) on the helper thread, rows [0, from) here: each element of C is summed exactly as before.
      const from = (m >> 3) << 2;
      const wait = helper.start(m, k, n, a, b, c, accumulate, from);
      try {
        gemmWasm(w, from, k, n, a, b, c, accumulate);
      } finally {
        wait();
      }
      return;
    }
    gemmWasm(w, m, k, n, a, b, c, accumulate);
  }

  /**
   * C[m×n] (+)= Aᵀ·B with A stored k × m, rows `lda` floats apart (default m) (e.g. the weight gradient xᵀ·dy of a
   * layer, from x as it is). Same bits as `nn` on the transposed A; no transposed copy is made on the WebAssembly
   * path. Runs on the calling thread.
   * @example mm.tn(inDim, n, outDim, x, dy, w.grad, true); // w.grad += xᵀ · dy
   */
  tn(m: number, k: number, n: number, a: Float32Array, b: Float32Array, c: Float32Array, accumulate: boolean, lda = m): void {
    const w = this.w;
    if (!w || m * k * n < 512) {
      const aT = new Float32Array(m * k);
      for (let p = 0; p < k; p++) for (let i = 0; i < m; i++) aT[i * k + p] = a[p * lda + i];
      gemmTs(m, k, n, aT, b, c, accumulate);
      return;
    }
    gemmWasm(w, m, k, n, a, b, c, accumulate, 'tn', lda);
  }

  /**
   * C[m×n] (+)= A·Bᵀ with B stored n × k (e.g. dx = dy·Wᵀ from W as it is). Same bits as `nn` on the transposed B;
   * on the WebAssembly path B is transposed while it is copied into the kernel's memory. Runs on the calling thread.
   * @example mm.nt(n, outDim, inDim, dy, w, dx, false); // dx = dy · Wᵀ
   */
  nt(m: number, k: number, n: number, a: Float32Array, b: Float32Array, c: Float32Array, accumulate: boolean): void {
    const w = this.w;
    if (!w || m * k * n < 512) {
      gemmTs(m, k, n, a, transpose(n, k, b, new Float32Array(k * n)), c, accumulate);
      return;
    }
    if (m * (k + n) < k * n) ntBySwap(w, m, k, n, a, b, c, accumulate);
    else gemmWasm(w, m, k, n, a, b, c, accumulate, 'nt');
  }
}

/** The WebAssembly module of the kernels, for a helper thread to instantiate its own copy. */
export function kernelModule(): WebAssembly.Module | null {
  return compiledKernels();
}

/**
 * How the operands of a product are stored: 'nn' A m×k and B k×n; 'tn' A stored transposed (k×m); 'nt' B stored
 * transposed (n×k). The kernel reads a transposed A in place; a transposed B is transposed while it is copied into
 * the wasm heap (no separate pass).
 */
type Layout = 'nn' | 'tn' | 'nt';

function gemmWasm(w: WasmKernel, m: number, k: number, n: number, a: Float32Array, b: Float32Array, c: Float32Array, accumulate: boolean, layout: Layout = 'nn', lda = layout === 'tn' ? m : k): void {
  // A occupies m rows of lda floats ('nn') or k rows of lda floats ('tn'); only the first k (or m) of each are read.
  const aLen = layout === 'tn' ? (k - 1) * lda + m : (m - 1) * lda + k;
  const aBytes = aLen * 4, bBytes = k * n * 4, cBytes = m * n * 4;
  const pa = w.base, pb = align(pa + aBytes), pc = align(pb + bBytes);
  const need = pc + cBytes;
  const have = w.memory.buffer.byteLength;
  if (need > have) w.memory.grow(Math.ceil((need - have) / 65536));
  const heap = new Float32Array(w.memory.buffer);
  heap.set(a.subarray(0, aLen), pa >> 2);
  if (layout === 'nt') transposeAt(n, k, b, heap, pb >> 2);
  else heap.set(b.subarray(0, k * n), pb >> 2);
  if (accumulate) heap.set(c.subarray(0, m * n), pc >> 2);
  // Panels of KC rows of B stay in cache; per element of C the k order is unchanged, so the bits are too.
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0), acc = accumulate || k0 > 0 ? 1 : 0;
    if (layout === 'tn') w.gemmTn(m, kc, n, pa + k0 * lda * 4, pb + k0 * n * 4, pc, acc, lda);
    else w.gemm(m, kc, n, pa + k0 * 4, pb + k0 * n * 4, pc, acc, lda);
  }
  c.set(heap.subarray(pc >> 2, (pc >> 2) + m * n));
}

/**
 * C (+)= A·Bᵀ computed as Cᵀ (+)= B·Aᵀ, for a wide B (e.g. dx = dy·W₁ᵀ of the critic's 2,640 × 256 first layer):
 * B is read as it is (row-major n × k is the left operand of the swapped product), only the small A and C are
 * transposed, and the swapped product's m columns are padded to a multiple of 8 (zeros) so every block is SIMD.
 * Each element is the same sum in the same order, so the bits are those of `gemm`.
 */
function ntBySwap(w: WasmKernel, m: number, k: number, n: number, a: Float32Array, b: Float32Array, c: Float32Array, accumulate: boolean): void {
  const m8 = (m + 7) & ~7;
  const pa = w.base, pb = align(pa + n * k * 4), pc = align(pb + k * m8 * 4);
  const need = pc + n * m8 * 4;
  const have = w.memory.buffer.byteLength;
  if (need > have) w.memory.grow(Math.ceil((need - have) / 65536));
  const heap = new Float32Array(w.memory.buffer);
  heap.set(b.subarray(0, n * k), pa >> 2);
  const hb = pb >> 2, hc = pc >> 2;
  for (let p = 0; p < k; p++) {
    const o = hb + p * m8;
    for (let i = 0; i < m; i++) heap[o + i] = a[i * k + p];
    for (let i = m; i < m8; i++) heap[o + i] = 0;
  }
  if (accumulate)
    for (let j = 0; j < n; j++) {
      const o = hc + j * m8;
      for (let i = 0; i < m; i++) heap[o + i] = c[i * n + j];
    }
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0);
    w.gemm(n, kc, m8, pa + k0 * 4, pb + k0 * m8 * 4, pc, accumulate || k0 > 0 ? 1 : 0, k);
  }
  for (let j = 0; j < n; j++) {
    const o = hc + j * m8;
    for (let i = 0; i < m; i++) c[i * n + j] = heap[o + i];
  }
}

/** out[at + j·rows + i] = a[i·cols + j]: the transpose of a (rows × cols) written into out from offset `at`, in tiles. */
function transposeAt(rows: number, cols: number, a: Float32Array, out: Float32Array, at: number): void {
  const T = 32;
  for (let i0 = 0; i0 < rows; i0 += T) {
    const i1 = Math.min(rows, i0 + T);
    for (let j0 = 0; j0 < cols; j0 += T) {
      const j1 = Math.min(cols, j0 + T);
      for (let i = i0; i < i1; i++) {
        const r = i * cols;
        for (let j = j0; j < j1; j++) out[at + j * rows + i] = a[r + j];
      }
    }
  }
}

/** Rows of B per cache panel. */
const KC = 128;

function align(x: number): number {
  return (x + 63) & ~63;
}

/** out[cols×rows] = transpose of a[rows×cols], in 32 × 32 tiles so both sides stay in cache for wide matrices. */
export function transpose(rows: number, cols: number, a: Float32Array, out: Float32Array): Float32Array {
  transposeAt(rows, cols, a, out, 0);
  return out;
}
