import { base64ToBytes } from '../artifact.js';
import { gemmTs } from './gemmTs.js';
import { KERNELS_WASM_BASE64 } from './kernels.wasm.js';

/** Which matrix-multiply kernel the engine uses: WebAssembly SIMD when the runtime supports it, else plain TS. */
export type KernelName = 'wasm-simd' | 'ts';

interface WasmKernel {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  base: number;
  gemm: (m: number, k: number, n: number, a: number, b: number, c: number, acc: number, lda: number) => void;
}

let wasm: WasmKernel | null | undefined;
let forced: KernelName | undefined;

function loadWasm(): WasmKernel | null {
  if (wasm !== undefined) return wasm;
  try {
    const mod = new WebAssembly.Module(base64ToBytes(KERNELS_WASM_BASE64) as Uint8Array<ArrayBuffer>);
    const inst = new WebAssembly.Instance(mod, {});
    const ex = inst.exports as unknown as { memory: WebAssembly.Memory; heapBase: () => number; gemm: WasmKernel['gemm'] };
    wasm = { module: mod, memory: ex.memory, base: (ex.heapBase() + 63) & ~63, gemm: ex.gemm };
  } catch {
    wasm = null; // no WebAssembly SIMD here: the TS kernel gives the same bits, only slower
  }
  return wasm;
}

/**
 * Picks the kernel: `'ts'` forces the plain-TypeScript one (tests, comparisons); `undefined` restores the
 * default (WebAssembly SIMD when available). Both give bit-identical results.
 * @example useKernel('ts'); ... useKernel(undefined);
 */
export function useKernel(name: KernelName | undefined): void {
  forced = name;
}

/** The kernel in use now. */
export function activeKernel(): KernelName {
  if (forced === 'ts') return 'ts';
  return loadWasm() ? 'wasm-simd' : 'ts';
}

/**
 * C[m×n] (+)= A[m×k] · B[k×n], row-major Float32Arrays; `accumulate` adds into C instead of overwriting.
 * Deterministic: a fixed summation order, identical bits with either kernel. Cost O(m·k·n).
 * @example gemm(batch, inDim, outDim, x, w, y, false); // y = x · w
 */
export function gemm(m: number, k: number, n: number, a: Float32Array, b: Float32Array, c: Float32Array, accumulate: boolean): void {
  const w = forced === 'ts' ? null : loadWasm();
  if (!w || m * k * n < 512) {
    gemmTs(m, k, n, a, b, c, accumulate);
    return;
  }
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
 * A second thread that computes the lower rows of large products while the calling thread computes the upper
 * ones. `start` hands over rows [from, m) of C (+)= A·B (copying what it needs before it returns) and gives back a
 * function that blocks until those rows are written into `c`. The results are bit-identical to one thread.
 * Core never creates threads: a Node adapter installs one (`startGemmHelper` in src/node/workers/gemm-helper.ts).
 */
export interface GemmHelper {
  start(m: number, k: number, n: number, a: Float32Array, b: Float32Array, c: Float32Array, accumulate: boolean, from: number): () => void;
}

let helper: GemmHelper | null = null;

/** Products with fewer multiply-adds than this stay on one thread (a hand-over costs tens of microseconds). */
const SPLIT_MIN = 1 << 21;

/**
 * Installs (or, with null, removes) the helper thread used by `gemm` for large products.
 * @example const h = startGemmHelper(); useGemmHelper(h.helper); ... useGemmHelper(null); h.close();
 */
export function useGemmHelper(h: GemmHelper | null): void {
  helper = h;
}

/** The WebAssembly module of the kernels, for a helper thread to instantiate its own copy. */
export function kernelModule(): WebAssembly.Module | null {
  return loadWasm()?.module ?? null;
}

function gemmWasm(w: WasmKernel, m: number, k: number, n: number, a: Float32Array, b: Float32Array, c: Float32Array, accumulate: boolean): void {
  const aBytes = m * k * 4, bBytes = k * n * 4, cBytes = m * n * 4;
  const pa = w.base, pb = align(pa + aBytes), pc = align(pb + bBytes);
  const need = pc + cBytes;
  const have = w.memory.buffer.byteLength;
  if (need > have) w.memory.grow(Math.ceil((need - have) / 65536));
  const heap = new Float32Array(w.memory.buffer);
  heap.set(a.subarray(0, m * k), pa >> 2);
  heap.set(b.subarray(0, k * n), pb >> 2);
  if (accumulate) heap.set(c.subarray(0, m * n), pc >> 2);
  // Panels of KC rows of B stay in cache; per element of C the k order is unchanged, so the bits are too.
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0);
    w.gemm(m, kc, n, pa + k0 * 4, pb + k0 * n * 4, pc, accumulate || k0 > 0 ? 1 : 0, k);
  }
  c.set(heap.subarray(pc >> 2, (pc >> 2) + m * n));
}

/** Rows of B per cache panel. */
const KC = 256;

function align(x: number): number {
  return (x + 63) & ~63;
}

/** out[cols×rows] = transpose of a[rows×cols], in 32 × 32 tiles so both sides stay in cache for wide matrices. */
export function transpose(rows: number, cols: number, a: Float32Array, out: Float32Array): Float32Array {
  const T = 32;
  for (let i0 = 0; i0 < rows; i0 += T) {
    const i1 = Math.min(rows, i0 + T);
    for (let j0 = 0; j0 < cols; j0 += T) {
      const j1 = Math.min(cols, j0 + T);
      for (let i = i0; i < i1; i++) {
        const r = i * cols;
        for (let j = j0; j < j1; j++) out[j * rows + i] = a[r + j];
      }
    }
  }
  return out;
}
