import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CategoricalColumn } from './column.js';
import { ColumnBuilder, MISSING_TOKENS } from './infer-builder.js';

/** Pushes `values` one by one into a builder called `name`. */
function builder(values: readonly string[], name = 'v'): ColumnBuilder {
  const b = new ColumnBuilder(name);
  for (const v of values) b.push(v);
  return b;
}

describe('ColumnBuilder.finish', () => {
  it('a numeric column marks exactly its missing rows in nulls, at any length (property)', () => {
    const value = fc.constantFrom('1.5', '7', '-0', '0.25', '', 'NA', 'null', '-');
    fc.assert(
      fc.property(fc.array(value, { maxLength: 70 }), (vals) => {
        const { column } = builder(['3', ...vals]).finish({ name: 'v', type: 'numerical', nullable: true });
        if (column.storage !== 'numeric') throw new Error('numeric expected');
        const missing = ['3', ...vals].map((v) => MISSING_TOKENS.includes(v));
        if (!missing.some(Boolean)) expect(column.nulls).toBeNull();
        else expect(Array.from(column.nulls!)).toEqual(missing.map((m) => (m ? 1 : 0)));
        expect(column.length).toBe(vals.length + 1);
      }),
      { seed: 71, numRuns: 300 },
    );
  });

  it('a numeric column read as categorical keeps each value as written, its labels sorted by value (property)', () => {
    // Whole numbers 0..31 (found by value), others, -0, the same value written two ways, missing tokens.
    const value = fc.constantFrom('0', '1', '2', '3', '7', '31', '32', '-0', '1.0', '2.50', '-1', '1e3', 'NA', '', 'null');
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 80 }), (vals) => {
        const { column } = builder(vals).finish({ name: 'v', type: 'categorical', nullable: true });
        if (column.storage !== 'categorical') throw new Error('categorical expected');
        vals.forEach((v, i) => expect(column.get(i)).toBe(MISSING_TOKENS.includes(v) ? null : v));
        const dict = column.dictionary;
        expect(dict.length).toBe(new Set(vals.filter((v) => !MISSING_TOKENS.includes(v))).size);
        expect(new Set(dict).size).toBe(dict.length);
        for (let k = 1; k < dict.length; k++) {
          const a = Number(dict[k - 1]), b = Number(dict[k]);
          expect(a < b || (a === b && dict[k - 1] < dict[k])).toBe(true);
        }
      }),
      { seed: 72, numRuns: 300 },
    );
  });

  it('a column of whole numbers 0..31 read as categorical: -0 and 0 stay apart, no label is unused (property)', () => {
    const value = fc.constantFrom('0', '-0', '1', '3', '31', 'NA', '');
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 40 }), (vals) => {
        const { column } = builder(vals).finish({ name: 'v', type: 'categorical', nullable: true });
        if (column.storage !== 'categorical') throw new Error('categorical expected');
        vals.forEach((v, i) => expect(column.get(i)).toBe(MISSING_TOKENS.includes(v) ? null : v));
        const used = new Set(vals.filter((v) => !MISSING_TOKENS.includes(v)));
        expect([...column.dictionary].sort()).toEqual([...used].sort());
      }),
      { seed: 73, numRuns: 300 },
    );
  });

  it('a 1,000-row column of small whole numbers (tier-like) gets sorted labels and the right codes', () => {
    const vals = Array.from({ length: 1000 }, (_, i) => (i % 97 === 5 ? '' : String((i * 7) % 4)));
    const { spec, column } = builder(vals, 'tier').finish();
    expect(spec).toMatchObject({ type: 'categorical', nullable: true });
    if (column.storage !== 'categorical') throw new Error('categorical expected');
    expect(column.dictionary).toEqual(['0', '1', '2', '3']);
    vals.forEach((v, i) => expect(column.get(i)).toBe(v === '' ? null : v));
  });

  it('a text column built from bytes: finished twice, or finished and then pushed on, each column keeps its own labels', () => {
    const enc = new TextEncoder();
    const keys = Array.from({ length: 5000 }, (_, i) => 'R' + String(i).padStart(6, '0'));
    const b = new ColumnBuilder('id');
    const text = (bytes: Uint8Array, s: number, e: number) => new TextDecoder().decode(bytes.subarray(s, e));
    for (const k of keys.slice(0, 3000)) {
      const bytes = enc.encode(k);
      b.pushBytes(bytes, 0, bytes.length, text);
    }
    const first = b.finish();
    const again = b.finish();
    expect(first.spec.type).toBe('id');
    expect(again.spec).toEqual(first.spec);
    for (const k of keys.slice(3000)) {
      const bytes = enc.encode(k);
      b.pushBytes(bytes, 0, bytes.length, text);
    }
    const later = b.finish();
    const c1 = first.column as CategoricalColumn, c2 = again.column as CategoricalColumn, c3 = later.column as CategoricalColumn;
    expect(c1.dictionary).toEqual(keys.slice(0, 3000));
    expect(c2.dictionary).toEqual(keys.slice(0, 3000));
    expect(c3.dictionary).toEqual(keys);
    expect(c1.get(2999)).toBe(keys[2999]);
    expect(c3.get(4999)).toBe(keys[4999]);
  });

  it('stats of a text column count every label but make only the first as samples', () => {
    const vals = Array.from({ length: 3000 }, (_, i) => (i < 10 ? 'a b ' + i : 'k' + i));
    const s = builder(vals).stats();
    if (s.mode !== 'string') throw new Error('string expected');
    expect(s.distinct).toBe(3000);
    expect(s.labels).toEqual(vals.slice(0, 64));
    expect(s.samples).toEqual(vals.slice(0, 200));
    expect(s.spaceShare).toBeCloseTo(10 / 1000);
  });
});

describe('CategoricalColumn with a dictionary made on first use', () => {
  it('makes it once, shares it with its slices and takes, and reads as the same column', () => {
    let calls = 0;
    const make = () => {
      calls++;
      return ['a', 'b', 'c'];
    };
    const codes = Int32Array.from([0, 2, -1, 1]);
    const lazy = new CategoricalColumn(codes, make);
    const s = lazy.slice(1, 3), t = lazy.take([3, 0]);
    expect(calls).toBe(0);
    expect(lazy.nullCount).toBe(1);
    expect(calls).toBe(0);
    expect(s.get(0)).toBe('c');
    expect(t.get(0)).toBe('b');
    expect(lazy.dictionary).toBe(s.dictionary);
    expect(calls).toBe(1);
    const eager = new CategoricalColumn(codes, ['a', 'b', 'c']);
    expect(Array.from({ length: 4 }, (_, i) => lazy.get(i))).toEqual(Array.from({ length: 4 }, (_, i) => eager.get(i)));
    expect(lazy.recode(['c', 'b', 'a']).codes).toEqual(eager.recode(['c', 'b', 'a']).codes);
  });
});

describe('ColumnBuilder.stats allDistinct', () => {
  it('an id-like column of whole numbers is all distinct exactly when no value repeats, in order or not (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 20, maxLength: 60 }), fc.boolean(), (xs, sorted) => {
        const vals = sorted ? [...xs].sort((a, b) => a - b) : xs;
        const s = builder(vals.map(String), 'user_id').stats();
        if (s.mode !== 'number') throw new Error('number expected');
        // (`small` holds up to 16 distinct values: such a column is never a key.)
        const distinct = new Set(vals).size;
        expect(s.allDistinct).toBe(distinct === vals.length && distinct > 16);
      }),
      { seed: 75, numRuns: 300 },
    );
  });

  it('1..5000 written in order is an id; with one value repeated at the end it is not', () => {
    const vals = Array.from({ length: 5000 }, (_, i) => String(i + 1));
    expect(builder(vals, 'user_id').finish().spec.type).toBe('id');
    expect(builder([...vals, '5000'], 'user_id').finish().spec.type).not.toBe('id');
    expect(builder(['-0', '0', ...vals], 'user_id').stats()).toMatchObject({ allDistinct: false });
  });
});
