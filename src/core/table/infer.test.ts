import { describe, expect, it } from 'vitest';
import { LOW_CARDINALITY_MAX, inferColumnSpec, inferSchema, type ColumnStats } from './infer.js';
import { Table } from './table.js';

const numberStats = (over: Partial<Extract<ColumnStats, { mode: 'number' }>>): ColumnStats => ({
  name: 'x', rows: 100, missing: 0, mode: 'number', integer: true, decimals: 0, minDecimals: 0, min: 0, max: 9,
  smallDistinct: null, allDistinct: false, samples: ['1'], ...over,
});

describe('inferColumnSpec', () => {
  it('low-cardinality integers are categorical up to LOW_CARDINALITY_MAX levels, numerical beyond', () => {
    const levels = (k: number) => Array.from({ length: k }, (_, i) => i);
    expect(inferColumnSpec(numberStats({ smallDistinct: levels(LOW_CARDINALITY_MAX) })).type).toBe('categorical');
    expect(inferColumnSpec(numberStats({ smallDistinct: levels(LOW_CARDINALITY_MAX + 1) })).type).toBe('numerical');
    // Too few rows per level: a tiny table of small integers stays numerical.
    expect(inferColumnSpec(numberStats({ rows: 10, smallDistinct: levels(3) })).type).toBe('numerical');
    // Decimals are never codes.
    expect(inferColumnSpec(numberStats({ integer: false, decimals: 1, smallDistinct: [0.5, 1.5] })).type).toBe('numerical');
  });

  it('unique integers with an id-like name are ids; without one they stay numerical', () => {
    expect(inferColumnSpec(numberStats({ name: 'user_id', allDistinct: true })).type).toBe('id');
    expect(inferColumnSpec(numberStats({ name: 'fnlwgt', allDistinct: true })).type).toBe('numerical');
  });

  it('records representation: decimals, minDecimals, missing token', () => {
    expect(inferColumnSpec(numberStats({ integer: false, decimals: 2, minDecimals: 1, missing: 3, missingToken: 'NA' }))).toEqual({
      name: 'x', type: 'numerical', nullable: true, integer: false, decimals: 2, minDecimals: 1, missingToken: 'NA',
    });
  });

  it('text: booleans need both tokens; a single token stays categorical', () => {
    const s = (labels: string[]): ColumnStats => ({ name: 'b', rows: 50, missing: 0, mode: 'string', distinct: labels.length, labels, samples: labels, avgLength: 3, spaceShare: 0 });
    expect(inferColumnSpec(s(['TRUE', 'FALSE']))).toMatchObject({ type: 'boolean', trueToken: 'TRUE', falseToken: 'FALSE' });
    expect(inferColumnSpec(s(['yes'])).type).toBe('categorical');
    expect(inferColumnSpec(s(['yes', 'maybe'])).type).toBe('categorical');
  });
});

describe('inferSchema(table)', () => {
  it('re-infers a table built from rows with a loose schema', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ code: String(i % 3), amount: i * 1.25, when: Date.UTC(2020, 0, 1 + i) }));
    const t = Table.fromRows(rows, {
      specVersion: 1,
      columns: [
        { name: 'code', type: 'text', nullable: false },
        { name: 'amount', type: 'numerical', nullable: false },
        { name: 'when', type: 'datetime', nullable: false, format: 'YYYY-MM-DD' },
      ],
    });
    const s = inferSchema(t);
    expect(s.columns.map((c) => c.type)).toEqual(['categorical', 'numerical', 'datetime']);
    expect(s.columns[1]).toMatchObject({ integer: false, decimals: 2 });
    expect(s.columns[2].format).toBe('YYYY-MM-DD');
  });
});
