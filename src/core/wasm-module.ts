import { base64ToBytes } from './artifact.js';

/**
 * A getter for the WebAssembly module compiled from fixed `base64` bytes: compiled on the first call and kept (a memo
 * of constant bytes, not state: every caller gets the same module; each user instantiates its own copy, with its own
 * memory). Null when the runtime cannot compile it (e.g. no WebAssembly SIMD): callers fall back to their TS kernels,
 * which give the same bits.
 * @example const kernels = lazyWasmModule(KERNELS_WASM_BASE64); const mod = kernels();
 */
export function lazyWasmModule(base64: string): () => WebAssembly.Module | null {
  let compiled: WebAssembly.Module | null | undefined;
  return () => {
    if (compiled === undefined) {
      try {
        compiled = new WebAssembly.Module(base64ToBytes(base64) as Uint8Array<ArrayBuffer>);
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
}
