// AssemblyScript source of the gradient-boosting kernels (compiled by `npm run build:wasm`, which writes
// src/core/learners/boosting-kernels.wasm.ts). Memory is managed by the caller (src/core/learners/boosting-kernels.ts):
// every array lives at a byte offset at or above heapBase(), and the caller reads and writes them through typed-array
// views. Every kernel does the same floating-point operations in the same order as its plain-TypeScript twin in
// src/core/learners/gradient-tree.ts, so the results are the same bits.

/** First free byte after static data. */
export function heapBase(): usize {
  return __heap_base;
}

/**
 * Histogram of rows idx[start, end) over every feature: cell `codes[r * p + f]` (u16) gets (g, h, 1) — three f64 at
 * `hist + cell * 24` ((g, h) added as one f64x2). `cells` cells are zeroed first.
 */
export function histAll(hist: usize, cells: i32, codes: usize, p: i32, idx: usize, start: i32, end: i32, grad: usize, hess: usize): void {
  memory.fill(hist, 0, <usize>cells * 24);
  const rowBytes = <usize>p << 1;
  for (let i = start; i < end; i++) {
    const r = <usize>load<i32>(idx + (<usize>i << 2));
    const gh = f64x2(load<f64>(grad + (r << 3)), load<f64>(hess + (r << 3)));
    let k = codes + r * rowBytes;
    const ke = k + rowBytes;
    for (; k < ke; k += 2) {
      const o = hist + <usize>load<u16>(k) * 24;
      v128.store(o, f64x2.add(v128.load(o), gh));
      store<f64>(o, load<f64>(o, 16) + 1.0, 16);
    }
  }
}

/** {@link histAll} over the `m` features listed (i32) at `features` only. */
export function histSome(hist: usize, cells: i32, codes: usize, p: i32, features: usize, m: i32, idx: usize, start: i32, end: i32, grad: usize, hess: usize): void {
  memory.fill(hist, 0, <usize>cells * 24);
  const rowBytes = <usize>p << 1;
  const fe = features + (<usize>m << 2);
  for (let i = start; i < end; i++) {
    const r = <usize>load<i32>(idx + (<usize>i << 2));
    const gh = f64x2(load<f64>(grad + (r << 3)), load<f64>(hess + (r << 3)));
    const row = codes + r * rowBytes;
    for (let f = features; f < fe; f += 4) {
      const o = hist + <usize>load<u16>(row + (<usize>load<i32>(f) << 1)) * 24;
      v128.store(o, f64x2.add(v128.load(o), gh));
      store<f64>(o, load<f64>(o, 16) + 1.0, 16);
    }
  }
}

/**
 * Stable partition of idx[start, end) by `side[bins[row]]` (u8, 1 = left): left rows first, in place; right rows after
 * (through `tmp`). G and H of the left rows, summed in row order, are written as two f64 at `out`. Returns the first
 * right position.
 */
export function partition(idx: usize, tmp: usize, start: i32, end: i32, bins: usize, side: usize, grad: usize, hess: usize, out: usize): i32 {
  let a = start, nr = 0;
  let gl: f64 = 0, hl: f64 = 0;
  for (let i = start; i < end; i++) {
    const r = load<i32>(idx + (<usize>i << 2));
    const s = <i32>load<u8>(side + <usize>load<u8>(bins + <usize>r));
    store<i32>(idx + (<usize>a << 2), r);
    store<i32>(tmp + (<usize>nr << 2), r);
    a += s;
    nr += 1 - s;
    const fs = <f64>s;
    gl += load<f64>(grad + (<usize>r << 3)) * fs;
    hl += load<f64>(hess + (<usize>r << 3)) * fs;
  }
  memory.copy(idx + (<usize>a << 2), tmp, <usize>nr << 2);
  store<f64>(out, gl);
  store<f64>(out, hl, 8);
  return a;
}

/** large[k] -= small[k] for `n` f64 (histogram subtraction). */
export function subtract(large: usize, small: usize, n: i32): void {
  const bytes = <usize>n << 3;
  let k: usize = 0;
  for (; k + 16 <= bytes; k += 16) v128.store(large + k, f64x2.sub(v128.load(large + k), v128.load(small + k)));
  for (; k < bytes; k += 8) store<f64>(large + k, load<f64>(large + k) - load<f64>(small + k));
}
