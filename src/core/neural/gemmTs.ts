const fround = Math.fround;

/**
 * Plain-TypeScript single-precision matrix multiply, the portable fallback of the neural engine.
 *
 * `gemmTs(m, k, n, a, b, c, accumulate, lda)` computes C[m×n] (+)= A[m×k] · B[k×n], all row-major Float32Arrays;
 * rows of A are `lda` floats apart (default k; larger to use the first k columns of a wider A).
 * Rows of C are computed four at a time (register tiling: each loaded row of B feeds four rows of C) with a
 * fixed summation order over k. Each product is rounded to f32 before it is added (the sum of two f32 values
 * computed in double and stored to f32 is the correctly rounded f32 sum), so the result is bit-identical to
 * the WebAssembly SIMD kernel (`f32x4.mul` then `f32x4.add`, same order) and to itself on every platform.
 * Cost O(m·k·n).
 *
 * @example
 * const c = new Float32Array(2 * 2);
 * gemmTs(2, 3, 2, a, b, c, false); // c = a · b
 */
export function gemmTs(m: number, k: number, n: number, a: Float32Array, b: Float32Array, c: Float32Array, accumulate: boolean, lda = k): void {
  if (!accumulate) c.fill(0, 0, m * n);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const c0 = i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
    const a0 = i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    for (let p = 0; p < k; p++) {
      const x0 = a[a0 + p], x1 = a[a1 + p], x2 = a[a2 + p], x3 = a[a3 + p];
      const bp = p * n;
      for (let j = 0; j < n; j++) {
        const y = b[bp + j];
        c[c0 + j] += fround(x0 * y);
        c[c1 + j] += fround(x1 * y);
        c[c2 + j] += fround(x2 * y);
        c[c3 + j] += fround(x3 * y);
      }
    }
  }
  for (; i < m; i++) {
    const c0 = i * n, a0 = i * lda;
    for (let p = 0; p < k; p++) {
      const x0 = a[a0 + p];
      const bp = p * n;
      for (let j = 0; j < n; j++) c[c0 + j] += fround(x0 * b[bp + j]);
    }
  }
}
