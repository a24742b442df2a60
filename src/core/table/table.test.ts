import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CategoricalColumn, NumericColumn } from './column.js';
import type { Schema } from './schema.js';
import { Table } from './table.js';

const schema: Schema = {
  specVersion: 1,
  columns: [
    { name: 'age', type: 'numerical', nullable: true, integer: true, decimals: 0 },
    { name: 'sex', type: 'categorical', nullable: true },
    { name: 'seen', type: 'datetime', nullable: false, format: 'YYYY-MM-DD' },
  ],
};
const rows = [
  { age: 31, sex: 'F', seen: Date.UTC(2020, 0, 1) },
  { age: null, sex: 'M', seen: Date.UTC(2021, 5, 2) },
  { age: 54, sex: null, seen: Date.UTC(2022, 1, 3) },
];

describe('Table', () => {
  const t = Table.fromRows(rows, schema);

  it('fromRows → toRows round-trips values and nulls', () => {
    expect(t.numRows).toBe(3);
    expect(t.toRows()).toEqual(rows);
    expect(t.column('age').nullCount).toBe(1);
    expect(t.column('sex').nullCount).toBe(1);
  });

  it('stores numbers in Float64Array with a null mask and categories as Int32Array codes', () => {
    const age = t.numeric('age');
    expect(age.values).toBeInstanceOf(Float64Array);
    expect(Array.from(age.nulls!)).toEqual([0, 1, 0]);
    const sex = t.categorical('sex');
    expect(sex.codes).toBeInstanceOf(Int32Array);
    expect(Array.from(sex.codes)).toEqual([0, 1, -1]);
    expect(sex.dictionary).toEqual(['F', 'M']);
  });

  it('select and slice share buffers', () => {
    const s = t.select(['sex', 'age']).slice(1, 3);
    expect(s.columnNames).toEqual(['sex', 'age']);
    expect(s.numeric('age').values.buffer).toBe(t.numeric('age').values.buffer);
    expect(s.toRows()).toEqual([{ sex: 'M', age: null }, { sex: null, age: 54 }]);
  });

  it('take, filter and concat keep values and merge dictionaries', () => {
    expect(t.take([2, 0, 2]).toRows()).toEqual([rows[2], rows[0], rows[2]]);
    expect(t.filter((i, tb) => tb.get(i, 'age') !== null).numRows).toBe(2);
    const other = Table.fromRows([{ age: 1, sex: 'X', seen: 0 }], schema);
    const c = t.concat(other);
    expect(c.toRows()).toEqual([...rows, { age: 1, sex: 'X', seen: 0 }]);
    expect(c.categorical('sex').dictionary).toEqual(['F', 'M', 'X']);
  });

  it('never mutates its input on any operation', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 10 }), (idx) => {
        const before = JSON.stringify(t.toRows());
        t.take(idx).concat(t.slice(0, 2)).select(['age']);
        return JSON.stringify(t.toRows()) === before;
      }),
    );
  });

  it('rejects unknown columns, bad indices and mismatched concat with codes', () => {
    expect(() => t.column('nope')).toThrow(/No such column/);
    expect(() => t.take([3])).toThrow(/invalid row index/);
    expect(() => t.concat(t.select(['age']))).toThrow(/different columns/);
    expect(() => new Table(schema, [new NumericColumn(new Float64Array(2)), CategoricalColumn.from(['a']), new NumericColumn(new Float64Array(1))])).toThrow(
      /column length/,
    );
  });
});
