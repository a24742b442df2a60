import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LabelIndex, hashText } from './label-index.js';

describe('LabelIndex', () => {
  it('gives the same codes as a Map in order of first appearance, looked up in place or by string (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ minLength: 1, maxLength: 5 }), fc.constantFrom('a', 'b', 'é', '😀', 'ab')), { maxLength: 300 }), (labels) => {
        const ix = new LabelIndex();
        const ref = new Map<string, number>();
        const text = '|' + labels.join('|') + '|';
        let pos = 1;
        for (const l of labels) {
          const want = ref.get(l) ?? -1;
          expect(ix.find(text, pos, pos + l.length)).toBe(want);
          expect(ix.get(l)).toBe(want);
          if (want < 0) {
            ref.set(l, ref.size);
            expect(ix.add(l)).toBe(ref.size - 1);
          }
          pos += l.length + 1;
        }
        expect(ix.labels).toEqual([...ref.keys()]);
        expect(ix.size).toBe(ref.size);
      }),
      { seed: 5, numRuns: 300 },
    );
  });

  it('holds 100,000 distinct labels (many rehashes) and finds each, and no absent one', () => {
    const ix = new LabelIndex();
    for (let i = 0; i < 100_000; i++) ix.add('R' + i);
    for (let i = 0; i < 100_000; i += 997) expect(ix.get('R' + i)).toBe(i);
    expect(ix.get('R100000')).toBe(-1);
    expect(ix.get('')).toBe(-1);
  });

  it('hashText depends only on the characters, not on where they sit', () => {
    expect(hashText('xx,city,yy', 3, 7)).toBe(hashText('city', 0, 4));
    expect(hashText('city', 0, 4)).not.toBe(hashText('citz', 0, 4));
  });
});
