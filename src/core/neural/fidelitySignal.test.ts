import { describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import type { Span } from './dataTransformer.js';
import { encodedTvDistance } from './fidelitySignal.js';

// Two softmax spans (3 and 2 slots) and one tanh scalar: width 6.
const spans: Span[] = [
  { activation: 'softmax', start: 0, size: 3, column: 0, discrete: true },
  { activation: 'softmax', start: 3, size: 2, column: 1, discrete: true },
  { activation: 'tanh', start: 5, size: 1, column: 2, discrete: false },
];
const D = 6;

function rows(n: number, seed: number, pick: (r: ReturnType<typeof createRng>) => [number, number, number]): Float32Array {
  const rng = createRng(seed), x = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    const [a, b, v] = pick(rng);
    x[i * D + a] = 1;
    x[i * D + 3 + b] = 1;
    x[i * D + 5] = v;
  }
  return x;
}

describe('encodedTvDistance', () => {
  it('is 0 for the same rows and 1 for rows with disjoint codes', () => {
    const a = rows(500, 1, (r) => [r.int(3), r.int(2), r.next() * 2 - 1]);
    expect(encodedTvDistance(a, 500, a, 500, D, spans)).toBe(0);
    const only0 = rows(100, 2, () => [0, 0, -0.99]), only1 = rows(100, 3, () => [2, 1, 0.99]);
    expect(encodedTvDistance(only0, 100, only1, 100, D, spans)).toBeCloseTo(1, 12);
  });

  it('sees a broken pair relation that leaves the marginals unchanged', () => {
    const tied = rows(4000, 4, (r) => {
      const a = r.int(2);
      return [a, a, 0];
    });
    const free = rows(4000, 5, (r) => [r.int(2), r.int(2), 0]);
    const again = rows(4000, 6, (r) => {
      const a = r.int(2);
      return [a, a, 0];
    });
    const broken = encodedTvDistance(free, 4000, tied, 4000, D, spans);
    expect(broken).toBeGreaterThan(0.1);
    expect(encodedTvDistance(again, 4000, tied, 4000, D, spans)).toBeLessThan(broken / 5);
  });
});
