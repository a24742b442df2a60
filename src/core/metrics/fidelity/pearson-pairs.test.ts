import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../random.js';
import { pearson } from './pearson.js';
import { pearsonPairs } from './pearson-pairs.js';

describe('pearsonPairs', () => {
  it('pearsonPairs is bit for bit pearson of every pair (with missing values, constant and skipped columns)', () => {
    const column = (n: number, seed: number, kind: number): Float64Array | null => {
      const r = createRng(seed);
      if (kind === 0) return null;
      if (kind === 1) return new Float64Array(n).fill(2.5); // constant
      return Float64Array.from({ length: n }, () => (kind === 2 && r.next() < 0.1 ? NaN : Math.round(r.normal() * 1000) / 7));
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 6 }), fc.integer(), (n, kinds, seed) => {
        const cols = kinds.map((k, i) => column(n, seed + i, k));
        const got = pearsonPairs(cols);
        let q = 0;
        for (let i = 0; i < cols.length; i++) {
          for (let j = i + 1; j < cols.length; j++, q++) {
            const a = cols[i], b = cols[j];
            expect(Object.is(got[q], a && b ? pearson(a, b) : NaN)).toBe(true);
          }
        }
        expect(q).toBe(got.length);
      }),
      { numRuns: 80, seed: 9 },
    );
  });
});
