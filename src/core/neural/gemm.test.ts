import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import { Gemm, transpose } from './gemm.js';
import { gemmTs } from './gemmTs.js';

function naive(m: number, k: number, n: number, a: Float32Array, b: Float32Array): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
    c[i * n + j] = s;
  }
  return c;
}

function rand(len: number, seed: number): Float32Array {
  const r = createRng(seed);
  const out = new Float32Array(len);
  r.fillNormal(out);
  return out;
}

const simd = new Gemm();

describe('Gemm', () => {
  it('uses WebAssembly SIMD in Node 20', () => expect(simd.kernel).toBe('wasm-simd'));

  it('nn (wasm) equals gemmTs bit for bit and the float64 product closely, for any shape', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 23 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 37 }), fc.boolean(), fc.integer(), (m, k, n, acc, seed) => {
        const a = rand(m * k, seed), b = rand(k * n, seed + 1), c0 = rand(m * n, seed + 2);
        const cw = c0.slice(), ct = c0.slice();
        simd.nn(m, k, n, a, b, cw, acc);
        gemmTs(m, k, n, a, b, ct, acc);
        expect(Array.from(cw)).toEqual(Array.from(ct));
        const ref = naive(m, k, n, a, b);
        for (let i = 0; i < m * n; i++) expect(cw[i]).toBeCloseTo(ref[i] + (acc ? c0[i] : 0), 3);
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('wide inputs (k split into cache panels) still equal gemmTs bit for bit', () => {
    for (const [m, k, n] of [[9, 600, 20], [50, 2640, 33], [5, 257, 8]]) {
      const a = rand(m * k, k), b = rand(k * n, n), c0 = rand(m * n, m);
      for (const acc of [false, true]) {
        const cw = c0.slice(), ct = c0.slice();
        simd.nn(m, k, n, a, b, cw, acc);
        gemmTs(m, k, n, a, b, ct, acc);
        expect(Array.from(cw)).toEqual(Array.from(ct));
      }
    }
  });

  it('tn (A stored transposed) and nt (B stored transposed) equal nn on the transposed operand, bit for bit, with either kernel', () => {
    // [5, 64, 300], [50, 256, 2640], [3, 300, 700]: a small A and a wide B, computed as Cᵀ = B·Aᵀ.
    const shapes: [number, number, number][] = [[1, 1, 1], [3, 7, 5], [4, 8, 8], [13, 29, 17], [9, 600, 20], [256, 500, 9], [50, 2640, 33], [5, 64, 300], [50, 256, 2640], [3, 300, 700]];
    shapes.push(...fc.sample(fc.tuple(fc.integer({ min: 1, max: 23 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 37 })), { numRuns: 30, seed: 11 }));
    for (const kernel of [undefined, 'ts'] as const) {
      const mm = new Gemm({ kernel });
      for (const [m, k, n] of shapes) {
        const a = rand(m * k, m + k), b = rand(k * n, k + n), c0 = rand(m * n, m + n);
        const aT = transpose(m, k, a, new Float32Array(m * k)), bT = transpose(k, n, b, new Float32Array(k * n));
        for (const acc of [false, true]) {
          const ref = c0.slice(), tn = c0.slice(), nt = c0.slice();
          gemmTs(m, k, n, a, b, ref, acc);
          mm.tn(m, k, n, aT, b, tn, acc);
          mm.nt(m, k, n, a, bT, nt, acc);
          expect(Array.from(tn)).toEqual(Array.from(ref));
          expect(Array.from(nt)).toEqual(Array.from(ref));
        }
      }
    }
  });

  it('with a row stride lda > k (the first k columns of a wider A), nn and tn equal the product of the cut-out matrix, with either kernel', () => {
    for (const kernel of [undefined, 'ts'] as const) {
      const mm = new Gemm({ kernel });
      for (const [m, k, n, extra] of [[5, 7, 9, 3], [13, 300, 17, 40], [500, 128, 16, 100], [2, 1, 3, 1]]) {
        const lda = k + extra, wide = rand(m * lda, m + k), b = rand(k * n, n), c0 = rand(m * n, k);
        const cut = new Float32Array(m * k);
        for (let i = 0; i < m; i++) cut.set(wide.subarray(i * lda, i * lda + k), i * k);
        const ref = c0.slice(), got = c0.slice();
        gemmTs(m, k, n, cut, b, ref, true);
        mm.nn(m, k, n, wide, b, got, true, lda);
        expect(Array.from(got)).toEqual(Array.from(ref));
        // Aᵀ·B with A stored k × m inside rows of m + extra floats.
        const ldt = m + extra, wideT = rand(k * ldt, m * k), cutT = new Float32Array(m * k);
        for (let p = 0; p < k; p++) for (let i = 0; i < m; i++) cutT[i * k + p] = wideT[p * ldt + i];
        const refT = c0.slice(), gotT = c0.slice();
        gemmTs(m, k, n, cutT, b, refT, false);
        mm.tn(m, k, n, wideT, b, gotT, false, ldt);
        expect(Array.from(gotT)).toEqual(Array.from(refT));
      }
    }
  });

  it('a forced TS kernel reports itself, and instances with different kernels run side by side with the same bits', () => {
    const ts = new Gemm({ kernel: 'ts' });
    expect(ts.kernel).toBe('ts');
    const [m, k, n] = [40, 300, 50];
    const a = rand(m * k, 1), b = rand(k * n, 2), x = new Float32Array(m * n), y = new Float32Array(m * n);
    ts.nn(m, k, n, a, b, x, false);
    simd.nn(m, k, n, a, b, y, false);
    expect(Array.from(y)).toEqual(Array.from(x));
    expect(simd.kernel).toBe('wasm-simd'); // creating a TS instance changed nothing for the other one
  });

  it('transpose twice is the identity', () => {
    const a = rand(6 * 5, 3);
    const t = transpose(6, 5, a, new Float32Array(30));
    expect(t[1 * 6 + 2]).toBe(a[2 * 5 + 1]);
    expect(Array.from(transpose(5, 6, t, new Float32Array(30)))).toEqual(Array.from(a));
  });

  it('transpose of shapes spanning several 32 × 32 tiles puts every element at (j, i)', () => {
    for (const [rows, cols] of [[70, 45], [33, 100], [1, 65]]) {
      const a = rand(rows * cols, rows + cols), t = transpose(rows, cols, a, new Float32Array(rows * cols));
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) expect(t[j * rows + i]).toBe(a[i * cols + j]);
    }
  });
});
