import { describe, expect, it } from 'vitest';
import { hasShared, loadShared } from '../../../test/helpers/datasets.js';
import { createRng } from '../random.js';
import type { Table } from '../table/table.js';
import { scorecard } from './scorecard.js';

function shuffleColumns(t: Table, seed: number): Table {
  let out = t;
  for (const name of t.columnNames) out = out.withColumn(t.spec(name), t.column(name).take(createRng(seed, name).permutation(t.numRows)));
  return out;
}

describe.skipIf(!hasShared)('scorecard on adult', () => {
  const rowsPerSide = 3000;
  const halves = async (): Promise<[Table, Table]> => {
    const adult = await loadShared('adult');
    const perm = createRng(11).permutation(adult.numRows);
    return [adult.take(perm.subarray(0, rowsPerSide)), adult.take(perm.subarray(rowsPerSide, 2 * rowsPerSide))];
  };

  it('scorecard(x, x) is 1 on shapes and pair trends', async () => {
    const [a] = await halves();
    const s = scorecard(a, a, { seed: 1 });
    expect(s.shapes).toBe(1);
    expect(s.pairTrendsAll).toBe(1);
    expect(s.pairTrendsRelated).toBe(1);
    expect(s.details.relatedPairs).toBeGreaterThan(0);
  });

  it('two random halves are hard to tell apart; each column shuffled on its own is caught by related pairs and the tree detector', async () => {
    const [a, b] = await halves();
    const same = scorecard(a, b, { seed: 2 });
    expect(same.detectionAuc).toBeGreaterThan(0.44);
    expect(same.detectionAuc).toBeLessThan(0.56);
    expect(same.shapes).toBeGreaterThan(0.95);
    const shuffled = scorecard(a, shuffleColumns(b, 3), { seed: 2 });
    expect(shuffled.shapes).toBeCloseTo(same.shapes, 10); // marginals untouched
    expect(shuffled.detectionAuc).toBeGreaterThan(0.85);
    expect(shuffled.pairTrendsRelated).toBeLessThan(same.pairTrendsRelated - 0.1);
    expect(shuffled.pairTrendsAll).toBeGreaterThan(shuffled.pairTrendsRelated);
  });

  it('scorecard is deterministic in the seed and its fidelity parts ignore row order', async () => {
    const [a, b] = await halves();
    const small = b.slice(0, 800);
    const s1 = scorecard(a, small, { seed: 5 });
    const s2 = scorecard(a, small, { seed: 5 });
    expect(s2).toEqual(s1);
    const reordered = scorecard(a.take(createRng(9).permutation(a.numRows)), small.take(createRng(8).permutation(small.numRows)), { seed: 5 });
    expect(reordered.shapes).toBeCloseTo(s1.shapes, 12);
    expect(reordered.pairTrendsAll).toBeCloseTo(s1.pairTrendsAll, 12);
  });
});
