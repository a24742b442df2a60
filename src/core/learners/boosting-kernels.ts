import { SynthopsError } from '../errors.js';
import type { BinnedMatrix } from './binning.js';
import { BOOSTING_WASM_BASE64 } from './boosting-kernels.wasm.js';
import { lazyWasmModule } from '../wasm-module.js';
import { rowMajorCodes, tsTreeKernels, type HistLayout, type TreeKernels } from './gradient-tree.js';

/** Which inner loops gradient boosting runs: WebAssembly SIMD when the runtime has it, else plain TS. Same bits. */
export type BoostingKernelName = 'wasm-simd' | 'ts';

/**
 * The arrays one gradient-boosting fit works in and the {@link TreeKernels} over them. With `'wasm-simd'` every
 * array is a view of one WebAssembly memory owned by this workspace (the kernels read them in place, nothing is
 * copied per tree); with `'ts'` they are plain typed arrays.
 */
export interface BoostingWorkspace {
  kernel: BoostingKernelName;
  /** Row-major histogram cells (see `rowMajorCodes`). */
  codes: Uint16Array | Int32Array;
  /** Gradient and hessian per row of the matrix (written by the caller before each tree). */
  grad: Float64Array;
  hess: Float64Array;
  /** Two row buffers of the training-row count: the rows of a tree (permuted by the fit) and its scratch. */
  rows: Int32Array;
  scratch: Int32Array;
  kernels: TreeKernels;
}

interface Exports {
  memory: WebAssembly.Memory;
  heapBase: () => number;
  histAll: (hist: number, cells: number, codes: number, p: number, idx: number, start: number, end: number, grad: number, hess: number) => void;
  histSome: (hist: number, cells: number, codes: number, p: number, features: number, m: number, idx: number, start: number, end: number, grad: number, hess: number) => void;
  partition: (idx: number, tmp: number, start: number, end: number, bins: number, side: number, grad: number, hess: number, out: number) => number;
  subtract: (large: number, small: number, n: number) => void;
}

/** The compiled kernel module (null without WebAssembly SIMD). Each workspace instantiates its own copy. */
const compiledKernels = lazyWasmModule(BOOSTING_WASM_BASE64);

/** Largest WebAssembly memory a workspace asks for; bigger fits run the TS kernels. */
const MAX_WASM_BYTES = 1.5 * 2 ** 30;

/**
 * A workspace for fitting trees on `x` (histogram `layout`) with `trainRows` training rows and at most `maxLeaves`
 * leaves per tree. `kernel` forces a kind (tests, comparisons); default WebAssembly SIMD when available and the
 * arrays fit in {@link MAX_WASM_BYTES}, else TS. O(rows × features) to lay out the codes.
 * @example const ws = boostingWorkspace(xb, layout, train.length, 31); fitGradientTree(xb, ws.grad, ws.hess, rows, layout, { ...o, kernels: ws.kernels, scratch: ws.scratch })
 */
export function boostingWorkspace(x: BinnedMatrix, layout: HistLayout, trainRows: number, maxLeaves: number, kernel?: BoostingKernelName): BoostingWorkspace {
  if (kernel !== 'ts') {
    const ws = wasmWorkspace(x, layout, trainRows, maxLeaves);
    if (ws) return ws;
    if (kernel === 'wasm-simd') throw new SynthopsError('invalid_argument', 'invalid kernel: wasm-simd. This runtime has no WebAssembly SIMD (or the data is too large for it); use ts.');
  }
  const n = x.numRows;
  const codes = rowMajorCodes(x, layout);
  const grad = new Float64Array(n), hess = new Float64Array(n);
  return { kernel: 'ts', codes, grad, hess, rows: new Int32Array(trainRows), scratch: new Int32Array(trainRows), kernels: tsTreeKernels(x, codes, layout, grad, hess) };
}

/**
 * codes[r·p + f] = o + bins[r] for every row r: one feature's column of the row-major cells. A small function so it is
 * optimised after a feature or two (a worker lays out only a few workspaces; inline, the loop ran in the interpreter).
 */
function layCodes(codes: Uint16Array, bins: Uint8Array, o: number, f: number, p: number): void {
  const n = bins.length;
  for (let r = 0, k = f; r < n; r++, k += p) codes[k] = o + bins[r];
}

function wasmWorkspace(x: BinnedMatrix, layout: HistLayout, trainRows: number, maxLeaves: number): BoostingWorkspace | null {
  const mod = compiledKernels();
  if (!mod || layout.total > 0x10000) return null;
  const n = x.numRows, p = x.bins.length, cells = layout.total;
  const histBytes = cells * 24;
  const histCount = maxLeaves + 2;
  const ex = new WebAssembly.Instance(mod, {}).exports as unknown as Exports;
  // Layout: codes (u16), bins (u8 per feature), grad, hess (f64), rows, scratch, features (i32), side (u8), sums, hists.
  let at = (ex.heapBase() + 63) & ~63;
  const take = (bytes: number): number => {
    const a = at;
    at += (bytes + 63) & ~63;
    return a;
  };
  const codesAt = take(n * p * 2);
  const binsAt = Array.from({ length: p }, () => take(n));
  const gradAt = take(n * 8), hessAt = take(n * 8);
  const rowsAt = take(trainRows * 4), scratchAt = take(trainRows * 4);
  const featuresAt = take(p * 4), sideAt = take(256), sumsAt = take(16);
  const histAt = Array.from({ length: histCount }, () => take(histBytes));
  if (at > MAX_WASM_BYTES) return null;
  const mem = ex.memory;
  const pages = Math.ceil(at / 65536) - mem.buffer.byteLength / 65536;
  if (pages > 0) {
    try {
      mem.grow(pages);
    } catch {
      return null; // the runtime would not give that much memory: the TS kernels need less (no second copy)
    }
  }
  const buf = mem.buffer;
  const codes = new Uint16Array(buf, codesAt, n * p);
  for (let f = 0; f < p; f++) {
    layCodes(codes, x.bins[f], layout.offset[f], f, p);
    new Uint8Array(buf, binsAt[f], n).set(x.bins[f]);
  }
  const grad = new Float64Array(buf, gradAt, n), hess = new Float64Array(buf, hessAt, n);
  const features = new Int32Array(buf, featuresAt, p), side = new Uint8Array(buf, sideAt, 256), sums = new Float64Array(buf, sumsAt, 2);
  const free: Float64Array[] = histAt.map((a) => new Float64Array(buf, a, cells * 3)).reverse();
  const at0 = (a: Int32Array | Float64Array): number => {
    if (a.buffer !== buf) throw new SynthopsError('internal', 'invalid kernel array: not in the workspace memory.');
    return a.byteOffset;
  };
  const kernels: TreeKernels = {
    build: (hist, idx, start, end, some) => {
      if (!some) ex.histAll(at0(hist), cells, codesAt, p, at0(idx), start, end, gradAt, hessAt);
      else {
        features.set(some);
        ex.histSome(at0(hist), cells, codesAt, p, featuresAt, some.length, at0(idx), start, end, gradAt, hessAt);
      }
    },
    partition: (idx, tmp, start, end, feature, s, out) => {
      side.set(s.subarray(0, 256));
      const mid = ex.partition(at0(idx), at0(tmp), start, end, binsAt[feature], sideAt, gradAt, hessAt, sumsAt);
      out[0] = sums[0];
      out[1] = sums[1];
      return mid;
    },
    subtract: (large, small) => ex.subtract(at0(large), at0(small), cells * 3),
    alloc: () => {
      const h = free.pop();
      if (!h) throw new SynthopsError('internal', 'invalid tree growth: more histograms alive than leaves.');
      return h;
    },
    release: (hist) => {
      free.push(hist);
    },
  };
  return { kernel: 'wasm-simd', codes, grad, hess, rows: new Int32Array(buf, rowsAt, trainRows), scratch: new Int32Array(buf, scratchAt, trainRows), kernels };
}
