import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowHashIndex } from './row-hash.js';

describe('RowHashIndex', () => {
  it('groups rows exactly as value equality does, missing equal to missing (property)', () => {
    const cell = fc.option(fc.constantFrom(0, -0, 1, 2.5, 1e300), { nil: null });
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, fc.integer({ min: -1, max: 3 })), { minLength: 1, maxLength: 50 }), (rows) => {
        const a = Float64Array.from(rows, (r) => (r[0] === null ? NaN : r[0]));
        const b = Int32Array.from(rows, (r) => r[1]);
        const idx = RowHashIndex.build([a, b]);
        const key = (i: number) => `${Number.isNaN(a[i]) ? 'NaN' : a[i] === 0 ? 0 : a[i]}|${b[i]}`;
        for (let i = 0; i < rows.length; i++) {
          for (let j = 0; j < rows.length; j++) expect(idx.groupOf[i] === idx.groupOf[j]).toBe(key(i) === key(j));
          expect(idx.lookup([a, b], i)).toBe(idx.groupOf[i]);
          expect(idx.count[idx.groupOf[i]]).toBe(rows.filter((_, j) => key(j) === key(i)).length);
        }
        expect(idx.lookup([Float64Array.of(7), Int32Array.of(9)], 0)).toBe(-1);
      }),
      { seed: 4 },
    );
  });
});
