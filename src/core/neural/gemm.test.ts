import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import { activeKernel, gemm, transpose, useKernel } from './gemm.js';
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

describe('gemm', () => {
  afterEach(() => useKernel(undefined));

  it('uses WebAssembly SIMD in Node 20', () => expect(activeKernel()).toBe('wasm-simd'));

  it('gemm(wasm) equals gemmTs bit for bit and the float64 product closely, for any shape', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 23 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 37 }), fc.boolean(), fc.integer(), (m, k, n, acc, seed) => {
        const a = rand(m * k, seed), b = rand(k * n, seed + 1), c0 = rand(m * n, seed + 2);
        const cw = c0.slice(), ct = c0.slice();
        gemm(m, k, n, a, b, cw, acc);
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
        gemm(m, k, n, a, b, cw, acc);
        gemmTs(m, k, n, a, b, ct, acc);
        expect(Array.from(cw)).toEqual(Array.from(ct));
      }
    }
  });

  it('a forced TS kernel reports itself', () => {
    useKernel('ts');
    expect(activeKernel()).toBe('ts');
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
