import { describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import type { Span } from './dataTransformer.js';
import { TvaeNet } from './tvaeNet.js';

// A tiny net over a row layout of one tanh scalar, a 3-way mode block and a 2-way category block.
const spans: Span[] = [
  { activation: 'tanh', start: 0, size: 1, column: 0, discrete: false },
  { activation: 'softmax', start: 1, size: 3, column: 0, discrete: false },
  { activation: 'softmax', start: 4, size: 2, column: 1, discrete: true },
];
const shape = { dataDim: 6, embeddingDim: 3, compressDims: [5, 4], decompressDims: [4] };

function batch(n: number): Float32Array {
  const r = createRng(11);
  const x = new Float32Array(n * 6);
  for (let i = 0; i < n; i++) {
    x[i * 6] = r.uniform(-0.9, 0.9);
    x[i * 6 + 1 + r.int(3)] = 1;
    x[i * 6 + 4 + r.int(2)] = 1;
  }
  return x;
}

describe('TvaeNet', () => {
  it('hand-written gradients match finite differences of the loss', () => {
    const net = new TvaeNet(shape, spans, createRng(3));
    net.sigma.data.fill(0.3);
    const n = 7, x = batch(n);
    const loss = () => {
      const l = net.trainStep(x, n, createRng(5), 2, false);
      return l.reconstruction + l.kl;
    };
    for (const p of net.params) p.grad.fill(0);
    net.trainStep(x, n, createRng(5), 2, true);
    const r = createRng(8);
    let checked = 0;
    for (const p of net.params) {
      for (let t = 0; t < 4; t++) {
        const i = r.int(p.data.length);
        const keep = p.data[i], h = 1e-2;
        p.data[i] = keep + h;
        const up = loss();
        p.data[i] = keep - h;
        const down = loss();
        p.data[i] = keep;
        const numeric = (up - down) / (2 * h);
        expect(Math.abs(numeric - p.grad[i])).toBeLessThan(2e-2 * Math.max(1, Math.abs(numeric)));
        checked++;
      }
    }
    expect(checked).toBe(net.params.length * 4);
  });

  it('samples one-hot blocks and is deterministic for a seed', () => {
    const net = new TvaeNet(shape, spans, createRng(3));
    const a = net.sample(50, createRng(1)), b = net.sample(50, createRng(1));
    expect(Array.from(a)).toEqual(Array.from(b));
    for (let i = 0; i < 50; i++) {
      expect(a[i * 6 + 1] + a[i * 6 + 2] + a[i * 6 + 3]).toBe(1);
      expect(a[i * 6 + 4] + a[i * 6 + 5]).toBe(1);
    }
  });
});
