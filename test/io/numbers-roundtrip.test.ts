import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { NumericColumn } from '../../src/core/table/column.js';
import type { ColumnSpec } from '../../src/core/table/schema.js';
import { Table } from '../../src/core/table/table.js';
import { readTable } from '../../src/node/io/read.js';
import { writeTable } from '../../src/node/io/write.js';

const dir = mkdtempSync(join(tmpdir(), 'synthops-numbers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let seq = 0;

/** Doubles of every magnitude (subnormal to 1e308), negative zero, plain decimals, and missing values. */
const cell = fc.oneof(
  { weight: 4, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 6 })).map(([m, d]) => m / 10 ** d) },
  { weight: 1, arbitrary: fc.constantFrom(-0, 0, 1.5e-7, -2.5e-3, 1e21, 5e-324, Number.MAX_VALUE, -Number.MIN_VALUE) },
  { weight: 1, arbitrary: fc.constant(null) },
);

function numericTable(cols: (number | null)[][], specs: Omit<ColumnSpec, 'name'>[]): Table {
  return new Table(
    { specVersion: 1, columns: cols.map((_, j) => ({ name: `v${j}`, ...specs[j] })) },
    cols.map((c) => {
      const v = new Float64Array(c.length), nulls = new Uint8Array(c.length);
      c.forEach((x, i) => (x === null ? ((v[i] = NaN), (nulls[i] = 1)) : (v[i] = x)));
      return new NumericColumn(v, nulls);
    }),
  );
}

function expectSame(a: Table, b: Table): void {
  expect(b.schema.columns.map((c) => c.type)).toEqual(a.schema.columns.map((c) => c.type));
  a.columns.forEach((ca, j) => {
    for (let i = 0; i < a.numRows; i++) if (!Object.is(ca.get(i), b.columns[j].get(i))) expect({ column: j, row: i, got: b.columns[j].get(i) }).toEqual({ column: j, row: i, got: ca.get(i) });
  });
}

describe('numbers round-trip write → read value-for-value and type-for-type', () => {
  it('random numeric columns (tiny, huge, -0, missing) through CSV, TSV, JSON lines and Parquet (property)', async () => {
    // At least 9 distinct non-integers per column, so the low-cardinality rule (codes → categorical) cannot apply.
    const column = fc.array(cell, { minLength: 1, maxLength: 40 }).map((c) => [0.5, 1.25, 2.125, 3.0625, -4.5, 5.75, 6.5, 7.25, 8.5, ...c]);
    await fc.assert(
      fc.asyncProperty(fc.array(column, { minLength: 1, maxLength: 3 }), fc.constantFrom('csv', 'tsv', 'jsonl', 'parquet'), async (cols, ext) => {
        const n = Math.min(...cols.map((c) => c.length));
        const t = numericTable(cols.map((c) => c.slice(0, n)), cols.map(() => ({ type: 'numerical' as const, nullable: true })));
        const p = join(dir, `r${seq++}.${ext}`);
        await writeTable(p, t);
        const back = await readTable(p);
        expectSame(t, back);
        // And once more: what was read is written and read back the same again.
        const p2 = join(dir, `r${seq++}.${ext}`);
        await writeTable(p2, back);
        expectSame(back, await readTable(p2));
      }),
      { seed: 2026, numRuns: 120 },
    );
  });

  it('exponent notation and negative zero are numbers: 1e5, -2.5E-3, 1.5e-7, -0.000', async () => {
    const vals = ['1e5', '-2.5E-3', '1.5e-7', '-0.000', '-0', '2.5', '1E+21', '3.25', '4.5', '6.75', '7.5', '8.25', '9.5'];
    const p = join(dir, 'exp.csv');
    writeFileSync(p, 'x,y\n' + vals.map((v, i) => `${v},${i % 2 ? '-0.000' : '1.250'}`).join('\n') + '\n');
    const t = await readTable(p);
    expect(t.spec('x')).toMatchObject({ type: 'numerical' });
    expect(t.spec('x').decimals).toBeUndefined(); // exponent forms: written in the shortest exact form
    expect(vals.map((_, i) => t.column('x').get(i))).toEqual(vals.map(Number));
    expect(Object.is(t.column('x').get(3), -0)).toBe(true);
    // A plain column keeps its decimals, and -0.000 keeps its sign and text.
    expect(t.spec('y')).toMatchObject({ type: 'numerical', decimals: 3 });
    const out = join(dir, 'exp-out.csv');
    await writeTable(out, t);
    const lines = readFileSync(out, 'utf8').trim().split('\n').slice(1);
    expect(lines.map((l) => l.split(',')[1])).toEqual(vals.map((_, i) => (i % 2 ? '-0.000' : '1.250')));
    expectSame(t, await readTable(out));
  });

  it('the writer keeps integers as integers and the input decimals (text identical)', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i * 37 - 400},${(i * 1.5 - 7).toFixed(2)},${i % 7 === 0 ? '-0.0' : (i / 4).toFixed(1)}`);
    const p = join(dir, 'ints.csv');
    const text = 'a,b,c\n' + rows.join('\n') + '\n';
    writeFileSync(p, text);
    const t = await readTable(p);
    expect(t.schema.columns.map((c) => [c.type, c.integer, c.decimals])).toEqual([['numerical', true, 0], ['numerical', false, 2], ['numerical', false, 1]]);
    const out = join(dir, 'ints-out.csv');
    await writeTable(out, t);
    expect(readFileSync(out, 'utf8')).toBe(text);
  });

  it('a column of long keys a double cannot hold stays text, unchanged', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => String(12345678901234567890n + BigInt(i * 7919)));
    const p = join(dir, 'keys.csv');
    writeFileSync(p, 'account\n' + keys.join('\n') + '\n');
    const t = await readTable(p);
    expect(t.spec('account').type).not.toBe('numerical');
    expect(keys.map((_, i) => t.column('account').get(i))).toEqual(keys);
  });
});
