import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ColumnBuilder, MISSING_TOKENS, TableBuilder, plainDecimals, scanNumber } from './infer-builder.js';

/** Pushes values through a one-column TableBuilder and returns the finished table. */
function build(values: string[], name = 'x') {
  const b = new TableBuilder([name]);
  for (const v of values) b.pushRow([v]);
  return b.finish();
}

/** The text of each cell, as a writer would print it for the inferred spec (categorical labels or numbers). */
function cells(values: string[], name = 'x') {
  const t = build(values, name);
  const c = t.columns[0];
  return { spec: t.schema.columns[0], get: (i: number) => c.get(i) };
}

describe('plainDecimals', () => {
  it('counts decimals of plain numbers and refuses other forms', () => {
    expect(plainDecimals('3.50')).toBe(2);
    expect(plainDecimals('-12')).toBe(0);
    expect(plainDecimals('0.5')).toBe(1);
    // Negative zero is a plain number now (its value keeps the sign); exponent forms are numbers but not plain.
    expect(plainDecimals('-0')).toBe(0);
    expect(plainDecimals('-0.000')).toBe(3);
    for (const s of ['007', '+5', '1e5', '.5', '5.', '', '1 000', '12345678901234567']) expect(plainDecimals(s)).toBe(-1);
  });
});

describe('scanNumber', () => {
  const scan = (s: string) => {
    const d = scanNumber('"' + s + '"', 1, s.length + 1); // a slice of a longer text, as the CSV reader calls it
    return d;
  };
  it('reads exponent forms, negative zero and long decimals as numbers; leading zeros, +, bare points and long keys as text', () => {
    for (const s of ['1e5', '-2.5E-3', '1.5e-7', '1E+21', '5e-324', '-0', '-0.000', '0.12345678901234568', '123456789012345680000'])
      expect({ s, number: scan(s) >= 0 }).toEqual({ s, number: true });
    for (const s of ['007', '+5', '.5', '5.', '1e', '1e+', 'e5', '--1', '1.2.3', '1e999', 'Infinity', 'NaN', '12345678901234567891', ''])
      expect({ s, number: scan(s) >= 0 }).toEqual({ s, number: false });
  });

  it('16-digit card numbers (numbers a double holds exactly) are still flagged PII by the Luhn rule, whatever the name', () => {
    const luhn = (body: string) => {
      let sum = 0;
      for (let i = 0; i < body.length; i++) {
        let d = Number(body[body.length - 1 - i]);
        if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
      }
      return body + ((10 - (sum % 10)) % 10);
    };
    const cards = Array.from({ length: 30 }, (_, i) => luhn(String(411111111111100 + i * 7)));
    const { spec, get } = cells(cards, 'x');
    expect(spec.pii).toBe('credit_card');
    expect(get(3)).toBe(cards[3]);
  });

  it('a column that turns to text keeps every number as written, exponent forms and -0 included', () => {
    const vals = ['1E5', '-0.000', '1.5e-7', '-0', '2.50', 'later'];
    const b = new ColumnBuilder('v');
    for (const v of vals) b.push(v);
    const { spec, column } = b.finish();
    expect(spec.type).toBe('categorical');
    expect(vals.map((_, i) => column.get(i))).toEqual(vals);
  });

  it('stores exactly Number(text) for any number text, -0 with its sign (property)', () => {
    const text = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? '-0' : String(x))),
      fc.tuple(fc.integer({ min: -99999, max: 99999 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: -30, max: 30 }), fc.boolean()).map(
        ([m, d, e, big]) => (m / 10 ** d).toFixed(d) + (big ? 'E' : 'e') + e,
      ),
    );
    fc.assert(
      fc.property(text, (s) => {
        const b = new ColumnBuilder('v');
        b.push(s);
        expect(Object.is(b.finish({ name: 'v', type: 'numerical', nullable: false }).column.get(0), Number(s))).toBe(true);
      }),
      { seed: 12, numRuns: 2000 },
    );
  });
});

describe('ColumnBuilder / TableBuilder', () => {
  it('integers with few values become categorical labels as written, sorted numerically', () => {
    const { spec } = cells(Array.from({ length: 30 }, (_, i) => String((i % 3) + 1)));
    expect(spec.type).toBe('categorical');
    const t = build(Array.from({ length: 30 }, (_, i) => String(3 - (i % 3))));
    expect((t.columns[0] as { dictionary: readonly string[] }).dictionary).toEqual(['1', '2', '3']);
  });

  it('decimals and missing tokens are recorded', () => {
    const vals = ['1.5', 'NA', '2.25', '3.0', ...Array.from({ length: 20 }, (_, i) => String(i))];
    const { spec, get } = cells(vals);
    expect(spec).toMatchObject({ type: 'numerical', integer: false, decimals: 2, minDecimals: 0, nullable: true, missingToken: 'NA' });
    expect(get(1)).toBeNull();
    expect(get(2)).toBe(2.25);
  });

  it('a late non-number turns the column into text without losing how numbers were written', () => {
    const vals = ['1.50', '007x', '2', ''];
    const t = build(vals);
    expect(t.schema.columns[0].type).toBe('categorical');
    expect([0, 1, 2, 3].map((i) => t.columns[0].get(i))).toEqual(['1.50', '007x', '2', null]);
  });

  it('text after a datetime start falls back to text exactly', () => {
    const vals = [...Array.from({ length: 600 }, (_, i) => `2020-01-${String((i % 28) + 1).padStart(2, '0')} 00:00:${String(i % 60).padStart(2, '0')}`), 'later'];
    const t = build(vals);
    expect(t.schema.columns[0].type).toBe('categorical');
    expect(t.columns[0].get(0)).toBe(vals[0]);
    expect(t.columns[0].get(600)).toBe('later');
  });

  it('booleans keep their tokens; ids and free text are recognised', () => {
    expect(cells(['Yes', 'No', 'No']).spec).toMatchObject({ type: 'boolean', trueToken: 'Yes', falseToken: 'No' });
    expect(cells(Array.from({ length: 50 }, (_, i) => `C-${1000 + i}`), 'code').spec.type).toBe('id');
    expect(cells(Array.from({ length: 50 }, (_, i) => i + 1 + ''), 'customer_id').spec.type).toBe('id');
    const prose = Array.from({ length: 40 }, (_, i) => `this is a fairly long free text comment number ${i}`);
    expect(cells(prose, 'comment').spec.type).toBe('text');
  });

  it('PII columns are flagged', () => {
    expect(cells(Array.from({ length: 30 }, (_, i) => `u${i}@example.org`), 'contact').spec).toMatchObject({ pii: 'email', type: 'id' });
  });

  it('an all-missing column is categorical and nullable', () => {
    expect(cells(['', '', '']).spec).toMatchObject({ type: 'categorical', nullable: true });
  });

  it('any list of plain numbers round-trips exactly through the typed column (property)', () => {
    const num = fc.tuple(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 0, max: 6 })).map(([m, d]) => (m / 10 ** d).toFixed(d));
    fc.assert(
      fc.property(fc.array(fc.oneof(num, fc.constant('')), { minLength: 1, maxLength: 60 }), (vals) => {
        const b = new ColumnBuilder('v');
        for (const v of vals) b.push(v);
        const { column } = b.finish({ name: 'v', type: 'numerical', nullable: true });
        vals.forEach((v, i) => expect(column.get(i)).toBe(v === '' ? null : Number(v)));
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('any strings come back unchanged when read as categorical (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('1', '2.50', 'NA', 'null', '2020-01-01')), { minLength: 1, maxLength: 60 }), (vals) => {
        const b = new ColumnBuilder('v');
        for (const v of vals) b.push(v);
        const { column } = b.finish({ name: 'v', type: 'categorical', nullable: true });
        // Missing tokens (NA, null, ...) mean missing only in a column where every other value is a number.
        const textual = vals.some((v) => !MISSING_TOKENS.includes(v) && scanNumber(v, 0, v.length) < 0);
        vals.forEach((v, i) => expect(column.get(i)).toBe(v === '' || (!textual && MISSING_TOKENS.includes(v)) ? null : v));
      }),
      { seed: 43, numRuns: 300 },
    );
  });

  it('a given spec that does not fit is a ValidationError naming the column and row, not the value', () => {
    const b = new TableBuilder(['n']);
    for (const v of ['1', '2', 'secret']) b.pushRow([v]);
    try {
      b.finish({ schema: { specVersion: 1, columns: [{ name: 'n', type: 'numerical', nullable: false }] }, file: 'f.csv' });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toMatch(/f\.csv: row 3: column "n": invalid value for a numerical column/);
      expect((e as Error).message).not.toMatch(/secret/);
    }
  });
});

describe('plainDecimals value', () => {
  it('the builder stores exactly Number(text) for any plain decimal of ≤ 15 digits (property)', () => {
    // Negative zero (-0, -0.00) included: it is read as -0.
    const num = fc.tuple(fc.boolean(), fc.stringMatching(/^(0|[1-9][0-9]{0,8})$/), fc.stringMatching(/^[0-9]{0,6}$/)).map(([neg, a, b]) => (neg ? '-' : '') + a + (b ? '.' + b : ''));
    fc.assert(
      fc.property(num, (s) => {
        const b = new ColumnBuilder('v');
        b.push(s);
        expect(Object.is(b.finish({ name: 'v', type: 'numerical', nullable: false }).column.get(0), Number(s))).toBe(true);
      }),
      { seed: 11, numRuns: 2000 },
    );
  });
});
