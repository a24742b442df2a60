import { describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import { Critic, Generator, activate, activateBackward } from './ctganNet.js';
import type { Span } from './dataTransformer.js';
import type { Param } from './param.js';

function rand(len: number, seed: number): Float32Array {
  const a = new Float32Array(len);
  createRng(seed).fillNormal(a);
  return a;
}

/** Compares analytic gradients of `params` with central differences of `loss` at a few random entries. */
function checkGradients(params: Param[], loss: () => number, seed: number, tol = 3e-2): number {
  const r = createRng(seed);
  let checked = 0;
  for (const p of params) {
    for (let t = 0; t < 3; t++) {
      const i = r.int(p.data.length);
      const keep = p.data[i], h = 5e-3;
      p.data[i] = keep + h;
      const up = loss();
      p.data[i] = keep - h;
      const down = loss();
      p.data[i] = keep;
      const numeric = (up - down) / (2 * h);
      expect(Math.abs(numeric - p.grad[i]), `${p.name}[${i}]`).toBeLessThan(tol * Math.max(1, Math.abs(numeric)));
      checked++;
    }
  }
  return checked;
}

describe('Critic', () => {
  const inDim = 6, m = 5;

  it('backward gives the gradient of the summed score with respect to weights and input', () => {
    const d = new Critic(inDim, [7, 5], createRng(1));
    const x = rand(m * inDim, 2);
    const loss = () => d.forward(x, m, createRng(3)).reduce((s, v) => s + v, 0);
    for (const p of d.params) p.grad.fill(0);
    d.forward(x, m, createRng(3));
    const dx = d.backward(new Float32Array(m).fill(1), m)!.slice();
    expect(checkGradients(d.params, loss, 4)).toBe(d.params.length * 3);
    for (const i of [0, 7, 29]) {
      const keep = x[i];
      x[i] = keep + 5e-3;
      const up = loss();
      x[i] = keep - 5e-3;
      const down = loss();
      x[i] = keep;
      expect(dx[i]).toBeCloseTo((up - down) / 1e-2, 2);
    }
  });

  it('the gradient penalty’s weight gradient (double backprop) matches finite differences', () => {
    const d = new Critic(inDim, [8, 6], createRng(5));
    const x = rand(m * inDim, 6);
    const loss = () => {
      const saved = d.params.map((p) => p.grad.slice());
      const v = d.gradientPenalty(x, m, 10, createRng(7));
      d.params.forEach((p, i) => p.grad.set(saved[i]));
      return v;
    };
    for (const p of d.params) p.grad.fill(0);
    const gp = d.gradientPenalty(x, m, 10, createRng(7));
    expect(gp).toBeGreaterThan(0);
    const withWeights = d.params.filter((p) => p.name.endsWith('.w'));
    expect(checkGradients(withWeights, loss, 8)).toBe(9);
    for (const p of d.params.filter((q) => q.name.endsWith('.b'))) expect(Array.from(p.grad).every((g) => g === 0)).toBe(true);
  });

  it('the penalty from interpolated first-layer pre-activations equals the penalty at the interpolated inputs', () => {
    const d = new Critic(inDim, [8, 6], createRng(5));
    const real = rand(m * inDim, 30), fake = rand(m * inDim, 31), alpha = rand(m, 32).map((v) => Math.abs(v) % 1);
    const inter = new Float32Array(m * inDim);
    for (let q = 0; q < m; q++) for (let j = 0; j < inDim; j++) inter[q * inDim + j] = alpha[q] * real[q * inDim + j] + (1 - alpha[q]) * fake[q * inDim + j];
    for (const p of d.params) p.grad.fill(0);
    const direct = d.gradientPenalty(inter, m, 10, createRng(7));
    const gradsDirect = d.params.map((p) => Array.from(p.grad));
    const both = new Float32Array(2 * m * inDim);
    both.set(real);
    both.set(fake, m * inDim);
    d.forward(both, 2 * m, createRng(8), true);
    const H = 8, pre = new Float32Array(m * H);
    for (let q = 0; q < m; q++) for (let j = 0; j < H; j++) pre[q * H + j] = alpha[q] * d.firstPre[q * H + j] + (1 - alpha[q]) * d.firstPre[(m + q) * H + j];
    for (const p of d.params) p.grad.fill(0);
    const fromFirst = d.gradientPenaltyFromFirst(pre, m, 10, createRng(7));
    expect(fromFirst).toBeCloseTo(direct, 4);
    d.params.forEach((p, i) => p.grad.forEach((g, k) => expect(g).toBeCloseTo(gradsDirect[i][k], 3)));
  });
});

describe('Generator', () => {
  it('backward through residual blocks, batch norm, tanh and Gumbel-softmax matches finite differences', () => {
    const spans: Span[] = [
      { activation: 'tanh', start: 0, size: 1, column: 0, discrete: false },
      { activation: 'softmax', start: 1, size: 3, column: 0, discrete: false },
      { activation: 'softmax', start: 4, size: 2, column: 1, discrete: true },
    ];
    const n = 6, inDim = 4, D = 6;
    const g = new Generator(inDim, [5, 4], D, createRng(9));
    const input = rand(n * inDim, 10);
    const w = rand(n * D, 11);
    const tau = 0.5;
    const loss = () => {
      const y = activate(g.forward(input, n), n, D, spans, tau, createRng(12));
      let s = 0;
      for (let i = 0; i < y.length; i++) s += w[i] * y[i];
      return s;
    };
    for (const p of g.params) p.grad.fill(0);
    const y = activate(g.forward(input, n), n, D, spans, tau, createRng(12));
    const dRaw = new Float32Array(n * D);
    activateBackward(w, y, n, D, spans, tau, dRaw);
    g.backward(dRaw, n);
    expect(checkGradients(g.params, loss, 13, 5e-2)).toBe(g.params.length * 3);
  });

  it('with the conditional vector given as one-hot indices, outputs and weight gradients have the same bits as the dense product', () => {
    const n = 40, E = 8, C = 5, D = 7;
    const input = rand(n * (E + C), 20), index = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      index[r] = r % 7 === 6 ? -1 : (r * 3) % C; // some rows without a 1
      input.fill(0, r * (E + C) + E, (r + 1) * (E + C));
      if (index[r] >= 0) input[r * (E + C) + E + index[r]] = 1;
    }
    const dRaw = rand(n * D, 21);
    const run = (cond?: { width: number; index: Int32Array }) => {
      const g = new Generator(E + C, [16, 12], D, createRng(22));
      for (const p of g.params) p.grad.fill(0);
      const y = g.forward(input, n, cond).slice();
      g.backward(dRaw, n);
      return { y: Array.from(y), grads: g.params.map((p) => Array.from(p.grad)) };
    };
    const dense = run(), sparse = run({ width: C, index });
    expect(sparse.y).toEqual(dense.y);
    expect(sparse.grads).toEqual(dense.grads);
  });
});
