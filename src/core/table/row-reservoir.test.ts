import { describe, expect, it } from 'vitest';
import { NumericColumn } from './column.js';
import { RowReservoir } from './row-reservoir.js';
import { Table } from './table.js';

const ids = (from: number, n: number) =>
  new Table({ specVersion: 1, columns: [{ name: 'i', type: 'numerical', nullable: false }] }, [new NumericColumn(Float64Array.from({ length: n }, (_, k) => from + k))]);

function sampleOf(sizes: number[], size: number, seed: number): number[] {
  const r = new RowReservoir({ size, seed });
  let from = 0;
  for (const n of sizes) {
    r.add(ids(from, n));
    from += n;
  }
  const t = r.table!;
  return Array.from({ length: t.numRows }, (_, i) => t.column('i').get(i) as number);
}

describe('RowReservoir', () => {
  it('keeps every row while fewer than size have come, then exactly size distinct rows', () => {
    expect(sampleOf([3, 4], 10, 1).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const s = sampleOf([40, 7, 100, 1], 25, 1);
    expect(s).toHaveLength(25);
    expect(new Set(s).size).toBe(25);
    expect(s.every((x) => x >= 0 && x < 148)).toBe(true);
  });

  it('same chunks and seed → same sample; another seed → another sample', () => {
    expect(sampleOf([50, 50, 50], 20, 3)).toEqual(sampleOf([50, 50, 50], 20, 3));
    expect(sampleOf([50, 50, 50], 20, 3)).not.toEqual(sampleOf([50, 50, 50], 20, 4));
  });

  it('is uniform whatever the chunking: each of 60 rows kept with probability 10/60 (2,000 seeds)', () => {
    const counts = new Float64Array(60);
    const runs = 2000;
    for (let seed = 0; seed < runs; seed++) for (const x of sampleOf([5, 30, 1, 24], 10, seed)) counts[x]++;
    // Expected 333.3 per row, sd ≈ √(2000 · 1/6 · 5/6) ≈ 16.7: allow 5 sd. A first-chunk bias would show at once.
    for (const c of counts) expect(Math.abs(c - runs / 6)).toBeLessThan(5 * 16.7);
    // The first and the last chunk are kept as often (chi-squared-like check on group means).
    const mean = (a: number, b: number) => counts.slice(a, b).reduce((s, x) => s + x, 0) / (b - a);
    expect(Math.abs(mean(0, 5) - mean(36, 60))).toBeLessThan(40);
  });
});
