import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LabelIndex, hashAscii, hashText } from './label-index.js';

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

  it('finds by bytes as by string: sorted keys (no lookups while they ascend), then repeats, out-of-order and non-ASCII labels (property)', () => {
    const enc = new TextEncoder();
    const key = fc.oneof(fc.integer({ min: 0, max: 60 }).map((i) => 'k' + String(i).padStart(3, '0')), fc.constantFrom('k', 'k0', 'kz', 'é', 'ü', 'k00é', 'a'));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 80 }), fc.array(key, { maxLength: 120 }), fc.integer({ min: 0, max: 2 }), (run, rest, reserve) => {
        const ix = new LabelIndex();
        if (reserve) ix.reserve(reserve * 50);
        const ref = new Map<string, number>();
        // A sorted run first (the fast path), then anything.
        const labels = [...Array.from({ length: run }, (_, i) => 'k' + String(i * 3).padStart(4, '0')), ...rest];
        for (const l of labels) {
          const want = ref.get(l) ?? -1;
          const bytes = enc.encode('|' + l + '|');
          const h = hashAscii(bytes, 1, bytes.length - 1);
          if (Number.isInteger(h)) expect(ix.findBytes(bytes, 1, bytes.length - 1, h)).toBe(want);
          // (By string only now and then: a string lookup places every label, ending the lazy state.)
          if (ref.size % 3 === 0 || !Number.isInteger(h)) expect(ix.get(l)).toBe(want);
          if (want < 0) {
            ref.set(l, ref.size);
            // From the bytes just looked up (every other time), else from the string.
            const c = Number.isInteger(h) && ref.size % 2 ? ix.addBytes(bytes, 1, bytes.length - 1, h) : ix.add(l, hashText(l, 0, l.length));
            expect(c).toBe(ref.size - 1);
          }
        }
        for (const [l, c] of ref) expect(ix.get(l)).toBe(c);
        expect(ix.labels).toEqual([...ref.keys()]);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('asciiBytes: the labels\' UTF-8 bytes and ends when all are ASCII (added as strings or from bytes), else null (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.oneof({ weight: 8, arbitrary: fc.string({ minLength: 1, maxLength: 6 }) }, { weight: 1, arbitrary: fc.constantFrom('é', 'naïve', '東京', '😀x', 'ÿ') }), { maxLength: 40 }), fc.boolean(), (labels, fromBytes) => {
        const ix = new LabelIndex();
        for (const l of labels) {
          const b = new TextEncoder().encode(l);
          if (fromBytes && b.length === l.length) ix.addBytes(b, 0, b.length, hashAscii(b, 0, b.length));
          else ix.add(l);
        }
        const got = ix.asciiBytes();
        const ascii = labels.length > 0 && labels.every((l) => [...l].every((ch) => ch.charCodeAt(0) < 128));
        if (!ascii) {
          expect(got).toBeNull();
          return;
        }
        expect(new TextDecoder().decode(got!.pool)).toBe(labels.join(''));
        let o = 0;
        expect(Array.from(got!.ends)).toEqual(labels.map((l) => (o += l.length)));
      }),
    );
  });

  it('hashText depends only on the characters, not on where they sit', () => {
    expect(hashText('xx,city,yy', 3, 7)).toBe(hashText('city', 0, 4));
    expect(hashText('city', 0, 4)).not.toBe(hashText('citz', 0, 4));
  });
});
