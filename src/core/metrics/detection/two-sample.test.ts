import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { aucOf } from './two-sample.js';

/** P(score of a positive > score of a negative) + ½ P(equal), over every pair. */
function bruteAuc(s: number[], y: number[]): number {
  let u = 0, np = 0, nn = 0;
  for (let i = 0; i < s.length; i++) {
    if (y[i]) np++;
    else nn++;
    if (!y[i]) continue;
    for (let j = 0; j < s.length; j++) if (!y[j]) u += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
  }
  return u / (np * nn);
}

describe('aucOf', () => {
  it('equals the pairwise count with ties as ½ (scores with many ties, any label order)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.boolean()), { minLength: 2, maxLength: 60 }), (rows) => {
        const s = rows.map(([v]) => v / 4), y = rows.map(([, b]) => (b ? 1 : 0));
        if (!y.includes(0) || !y.includes(1)) return;
        expect(aucOf(Float64Array.from(s), y)).toBeCloseTo(bruteAuc(s, y), 12);
      }),
    );
  });
});
