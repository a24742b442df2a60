import { describe, expect, it } from 'vitest';
import { loadShared } from '../../../test/helpers/datasets.js';
import { createRng } from '../random.js';
import { CategoricalColumn, NumericColumn } from '../table/column.js';
import type { Schema } from '../table/schema.js';
import { Table } from '../table/table.js';
import { DataTransformer } from './dataTransformer.js';

function roundTripMatches(table: Table, seed: number): { exact: number; total: number } {
  const tf = DataTransformer.fit(table, createRng(seed));
  const x = tf.transform(table, createRng(seed, 1));
  const back = tf.inverse(x, table.numRows, table.schema, createRng(seed, 2));
  let exact = 0, total = 0;
  table.schema.columns.forEach((spec, c) => {
    const a = table.columns[c], b = back.columns[c];
    for (let i = 0; i < table.numRows; i++) {
      total++;
      if (a.storage === 'numeric' && b.storage === 'numeric') {
        const u = a.values[i], v = b.values[i];
        if ((u !== u && v !== v) || Math.abs(u - v) <= 1e-6 * Math.max(1, Math.abs(u))) exact++;
      } else if (a.storage === 'categorical' && b.storage === 'categorical') {
        if (a.get(i) === b.get(i)) exact++;
      }
    }
  });
  return { exact, total };
}

describe('DataTransformer', () => {
  it('transform → inverse gives back adult rows (categories exactly, numbers to their precision)', async () => {
    const adult = (await loadShared('adult')).slice(0, 3000);
    const tf = DataTransformer.fit(adult, createRng(1));
    expect(tf.dim).toBeGreaterThan(100);
    const { exact, total } = roundTripMatches(adult, 1);
    // Only values more than 4 standard deviations away from every mode may be clipped.
    expect(exact / total).toBeGreaterThan(0.999);
  });

  it('encodes one-hot blocks that sum to 1 and scalars inside [-1, 1]', async () => {
    const adult = (await loadShared('adult')).slice(0, 500);
    const tf = DataTransformer.fit(adult, createRng(2));
    const x = tf.transform(adult, createRng(3));
    for (let i = 0; i < adult.numRows; i++)
      for (const s of tf.spans) {
        if (s.activation === 'tanh') expect(Math.abs(x[i * tf.dim + s.start])).toBeLessThanOrEqual(0.99 + 1e-6);
        else {
          let sum = 0;
          for (let k = 0; k < s.size; k++) sum += x[i * tf.dim + s.start + k];
          expect(sum).toBe(1);
        }
      }
  });

  it('keeps missing values in numbers and categories, and fresh tokens for personal data', () => {
    const schema: Schema = {
      specVersion: 1,
      columns: [
        { name: 'x', type: 'numerical', nullable: true, decimals: 2 },
        { name: 'c', type: 'categorical', nullable: true },
        { name: 'email', type: 'categorical', nullable: false, pii: 'email' },
      ],
    };
    const r = createRng(5);
    const n = 400;
    const xs = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : Math.round(r.normal() * 100) / 100));
    const cs = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : i % 3 === 0 ? 'a' : 'b'));
    const emails = Array.from({ length: n }, (_, i) => `person${i}@example.com`);
    const t = new Table(schema, [NumericColumn.from(xs), CategoricalColumn.from(cs), CategoricalColumn.from(emails)]);
    const { exact, total } = roundTripMatches(t.select(['x', 'c']), 4);
    expect(exact).toBe(total);
    const tf = DataTransformer.fit(t, createRng(4));
    const back = tf.inverse(tf.transform(t, createRng(1)), n, schema, createRng(2));
    const seen = new Set(emails);
    for (let i = 0; i < n; i++) expect(seen.has(back.get(i, 'email') as string)).toBe(false);
    expect(JSON.stringify(tf.state())).not.toContain('@example.com');
  });

  it('refuses a category it has not seen, naming the column and row but not the value', () => {
    const schema: Schema = { specVersion: 1, columns: [{ name: 'c', type: 'categorical', nullable: false }] };
    const tf = DataTransformer.fit(new Table(schema, [CategoricalColumn.from(['a', 'b'])]), createRng(0));
    const other = new Table(schema, [CategoricalColumn.from(['a', 'secret-zz'])]);
    expect(() => tf.transform(other, createRng(0))).toThrowError(expect.objectContaining({ code: 'schema_mismatch', location: { column: 'c', row: 1 } }));
    expect(() => tf.transform(other, createRng(0))).toThrowError(expect.not.objectContaining({ message: expect.stringContaining('secret-zz') }));
  });
});
