// AssemblyScript source of the neural engine's SIMD kernels (compiled by `npm run build:wasm`, which writes
// src/core/neural/kernels.wasm.ts). Memory is managed by the caller: it copies operands to byte offsets
// at or above heapBase() and reads results back.

/** First free byte after static data. */
export function heapBase(): usize {
  return __heap_base;
}

/**
 * C[m×n] (+)= A[m×k] · B[k×n], row-major f32; rows of A are `lda` floats apart (lda ≥ k, so the caller can
 * pass a column panel of a wider A). Blocks of 4 rows × 8 columns live in eight v128 registers;
 * each k step loads two vectors of B and four broadcast values of A. For every element of C the products
 * are added in increasing k, each product rounded to f32 first (mul then add, no fused multiply-add),
 * so the result equals the plain-TypeScript kernel bit for bit.
 */
export function gemm(m: i32, k: i32, n: i32, a: usize, b: usize, c: usize, accumulate: i32, lda: i32): void {
  const rowBytes = <usize>n << 2;
  const aRow = <usize>lda << 2;
  if (!accumulate) memory.fill(c, 0, <usize>m * rowBytes);
  const n8 = n & ~7;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const cr = c + <usize>i * rowBytes;
    const ar = a + <usize>i * aRow;
    let j = 0;
    for (; j < n8; j += 8) {
      const cp = cr + (<usize>j << 2);
      let c00 = v128.load(cp), c01 = v128.load(cp, 16);
      let c10 = v128.load(cp + rowBytes), c11 = v128.load(cp + rowBytes, 16);
      let c20 = v128.load(cp + 2 * rowBytes), c21 = v128.load(cp + 2 * rowBytes, 16);
      let c30 = v128.load(cp + 3 * rowBytes), c31 = v128.load(cp + 3 * rowBytes, 16);
      let bp = b + (<usize>j << 2);
      let ap = ar;
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(bp), b1 = v128.load(bp, 16);
        const x0 = f32x4.splat(load<f32>(ap));
        const x1 = f32x4.splat(load<f32>(ap + aRow));
        const x2 = f32x4.splat(load<f32>(ap + 2 * aRow));
        const x3 = f32x4.splat(load<f32>(ap + 3 * aRow));
        c00 = f32x4.add(c00, f32x4.mul(x0, b0));
        c01 = f32x4.add(c01, f32x4.mul(x0, b1));
        c10 = f32x4.add(c10, f32x4.mul(x1, b0));
        c11 = f32x4.add(c11, f32x4.mul(x1, b1));
        c20 = f32x4.add(c20, f32x4.mul(x2, b0));
        c21 = f32x4.add(c21, f32x4.mul(x2, b1));
        c30 = f32x4.add(c30, f32x4.mul(x3, b0));
        c31 = f32x4.add(c31, f32x4.mul(x3, b1));
        bp += rowBytes;
        ap += 4;
      }
      v128.store(cp, c00); v128.store(cp, c01, 16);
      v128.store(cp + rowBytes, c10); v128.store(cp + rowBytes, c11, 16);
      v128.store(cp + 2 * rowBytes, c20); v128.store(cp + 2 * rowBytes, c21, 16);
      v128.store(cp + 3 * rowBytes, c30); v128.store(cp + 3 * rowBytes, c31, 16);
    }
    for (; j < n; j++) {
      for (let r = 0; r < 4; r++) {
        const cp = cr + <usize>r * rowBytes + (<usize>j << 2);
        let s = load<f32>(cp);
        const ap = ar + <usize>r * aRow;
        for (let p = 0; p < k; p++) s += load<f32>(ap + (<usize>p << 2)) * load<f32>(b + <usize>p * rowBytes + (<usize>j << 2));
        store<f32>(cp, s);
      }
    }
  }
  for (; i < m; i++) {
    const cr = c + <usize>i * rowBytes;
    const ar = a + <usize>i * aRow;
    let j = 0;
    for (; j < n8; j += 8) {
      const cp = cr + (<usize>j << 2);
      let c00 = v128.load(cp), c01 = v128.load(cp, 16);
      let bp = b + (<usize>j << 2);
      for (let p = 0; p < k; p++) {
        const x0 = f32x4.splat(load<f32>(ar + (<usize>p << 2)));
        c00 = f32x4.add(c00, f32x4.mul(x0, v128.load(bp)));
        c01 = f32x4.add(c01, f32x4.mul(x0, v128.load(bp, 16)));
        bp += rowBytes;
      }
      v128.store(cp, c00); v128.store(cp, c01, 16);
    }
    for (; j < n; j++) {
      const cp = cr + (<usize>j << 2);
      let s = load<f32>(cp);
      for (let p = 0; p < k; p++) s += load<f32>(ar + (<usize>p << 2)) * load<f32>(b + <usize>p * rowBytes + (<usize>j << 2));
      store<f32>(cp, s);
    }
  }
}

/**
 * C[m×n] (+)= Aᵀ · B where A is stored k × m (rows `lda` floats apart, lda ≥ m): the weight gradient xᵀ·dy of a
 * linear layer without transposing x first. Same blocking and the same order of additions as `gemm` (increasing
 * k, each product rounded to f32), so the bits equal `gemm` on the transposed A.
 */
export function gemmTn(m: i32, k: i32, n: i32, a: usize, b: usize, c: usize, accumulate: i32, lda: i32): void {
  const rowBytes = <usize>n << 2;
  const aRow = <usize>lda << 2;
  if (!accumulate) memory.fill(c, 0, <usize>m * rowBytes);
  const n8 = n & ~7;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const cr = c + <usize>i * rowBytes;
    const ac = a + (<usize>i << 2);
    let j = 0;
    for (; j < n8; j += 8) {
      const cp = cr + (<usize>j << 2);
      let c00 = v128.load(cp), c01 = v128.load(cp, 16);
      let c10 = v128.load(cp + rowBytes), c11 = v128.load(cp + rowBytes, 16);
      let c20 = v128.load(cp + 2 * rowBytes), c21 = v128.load(cp + 2 * rowBytes, 16);
      let c30 = v128.load(cp + 3 * rowBytes), c31 = v128.load(cp + 3 * rowBytes, 16);
      let bp = b + (<usize>j << 2);
      let ap = ac;
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(bp), b1 = v128.load(bp, 16);
        const x0 = f32x4.splat(load<f32>(ap));
        const x1 = f32x4.splat(load<f32>(ap, 4));
        const x2 = f32x4.splat(load<f32>(ap, 8));
        const x3 = f32x4.splat(load<f32>(ap, 12));
        c00 = f32x4.add(c00, f32x4.mul(x0, b0));
        c01 = f32x4.add(c01, f32x4.mul(x0, b1));
        c10 = f32x4.add(c10, f32x4.mul(x1, b0));
        c11 = f32x4.add(c11, f32x4.mul(x1, b1));
        c20 = f32x4.add(c20, f32x4.mul(x2, b0));
        c21 = f32x4.add(c21, f32x4.mul(x2, b1));
        c30 = f32x4.add(c30, f32x4.mul(x3, b0));
        c31 = f32x4.add(c31, f32x4.mul(x3, b1));
        bp += rowBytes;
        ap += aRow;
      }
      v128.store(cp, c00); v128.store(cp, c01, 16);
      v128.store(cp + rowBytes, c10); v128.store(cp + rowBytes, c11, 16);
      v128.store(cp + 2 * rowBytes, c20); v128.store(cp + 2 * rowBytes, c21, 16);
      v128.store(cp + 3 * rowBytes, c30); v128.store(cp + 3 * rowBytes, c31, 16);
    }
    for (; j < n; j++) {
      for (let r = 0; r < 4; r++) {
        const cp = cr + <usize>r * rowBytes + (<usize>j << 2);
        let s = load<f32>(cp);
        const ap = ac + (<usize>r << 2);
        for (let p = 0; p < k; p++) s += load<f32>(ap + <usize>p * aRow) * load<f32>(b + <usize>p * rowBytes + (<usize>j << 2));
        store<f32>(cp, s);
      }
    }
  }
  for (; i < m; i++) {
    const cr = c + <usize>i * rowBytes;
    const ac = a + (<usize>i << 2);
    let j = 0;
    for (; j < n8; j += 8) {
      const cp = cr + (<usize>j << 2);
      let c00 = v128.load(cp), c01 = v128.load(cp, 16);
      let bp = b + (<usize>j << 2);
      let ap = ac;
      for (let p = 0; p < k; p++) {
        const x0 = f32x4.splat(load<f32>(ap));
        c00 = f32x4.add(c00, f32x4.mul(x0, v128.load(bp)));
        c01 = f32x4.add(c01, f32x4.mul(x0, v128.load(bp, 16)));
        bp += rowBytes;
        ap += aRow;
      }
      v128.store(cp, c00); v128.store(cp, c01, 16);
    }
    for (; j < n; j++) {
      const cp = cr + (<usize>j << 2);
      let s = load<f32>(cp);
      for (let p = 0; p < k; p++) s += load<f32>(ac + <usize>p * aRow) * load<f32>(b + <usize>p * rowBytes + (<usize>j << 2));
      store<f32>(cp, s);
    }
  }
}
