import { describe, expect, it } from 'vitest';
import { ksComplement } from '../metrics/fidelity/ks-complement.js';
import { tvComplement } from '../metrics/fidelity/tv-complement.js';
import { createRng } from '../random.js';
import { CategoricalColumn, NumericColumn } from '../table/column.js';
import { Table } from '../table/table.js';
import { bootstrapRows, rowResamples } from './bootstrap-rows.js';

function table(n: number, seed: number, shift: number): Table {
  const r = createRng(seed);
  const x = Float64Array.from({ length: n }, () => r.normal() + shift);
  const c = Int32Array.from({ length: n }, () => r.int(3));
  return new Table({ specVersion: 1, columns: [{ name: 'x', type: 'numerical', nullable: false }, { name: 'c', type: 'categorical', nullable: false }] }, [new NumericColumn(x, null), new CategoricalColumn(c, ['a', 'b', 'c'])]);
}

describe('rowResamples / bootstrapRows', () => {
  const real = table(4000, 1, 0), synthetic = table(8000, 2, 0.1);
  const input = { real, synthetic, schema: real.schema, seed: 3 };

  it('rowResamples draws ⌈f·n⌉ rows per table, the same for the same seed', () => {
    const a = rowResamples(real, synthetic, 3, { resamples: 4, maxRows: 2000 })!, b = rowResamples(real, synthetic, 3, { resamples: 4, maxRows: 2000 })!;
    expect(a.fraction).toBe(0.25);
    expect(a.tables.map((t) => [t.real.numRows, t.synthetic.numRows])).toEqual(Array(4).fill([1000, 2000]));
    expect(Array.from(a.tables[2].real.numeric('x').values)).toEqual(Array.from(b.tables[2].real.numeric('x').values));
    expect(Array.from(a.tables[2].real.numeric('x').values)).not.toEqual(Array.from(a.tables[1].real.numeric('x').values));
    expect(rowResamples(real.slice(0, 0), synthetic, 3)).toBeNull();
  });

  it('bootstrapRows on shared resamples gives an interval around the score, for each metric that uses them', async () => {
    const shared = rowResamples(real, synthetic, 3, { resamples: 30 });
    for (const m of [ksComplement, tvComplement]) {
      const score = (await m.compute(input)).score!;
      const b = (await bootstrapRows(m, input, score, {}, shared))!;
      expect(b.resamples).toBe(30);
      expect(b.fraction).toBe(0.625); // 5,000 of 8,000 synthetic rows
      expect(b.interval[0]).toBeLessThanOrEqual(score);
      expect(b.interval[1]).toBeGreaterThanOrEqual(score);
      expect(b.interval[1] - b.interval[0]).toBeGreaterThan(0);
      // Deterministic, and the metric's own resamples (no shared ones) give a similar interval.
      expect((await bootstrapRows(m, input, score, {}, shared))!.interval).toEqual(b.interval);
      const own = (await bootstrapRows(m, input, score, { resamples: 30 }))!;
      expect(Math.abs(own.interval[1] - own.interval[0] - (b.interval[1] - b.interval[0]))).toBeLessThan(0.5 * (b.interval[1] - b.interval[0]) + 0.01);
    }
  });
});
