// Missing values are data: a synthetic column whose null share differs from the real one must lower the scores.
import { describe, expect, it } from 'vitest';
import { ksComplement } from '../../src/core/metrics/fidelity/ks-complement.js';
import { missingShare } from '../../src/core/metrics/fidelity/missing-share.js';
import { tvComplement } from '../../src/core/metrics/fidelity/tv-complement.js';
import { createRng } from '../../src/core/random.js';
import { NumericColumn, CategoricalColumn } from '../../src/core/table/column.js';
import type { Table } from '../../src/core/table/table.js';
import { hasShared, loadShared } from '../helpers/datasets.js';

function withNulls(t: Table, column: string, share: number, seed: number): Table {
  const rng = createRng(seed, 'nulls', column);
  const c = t.column(column);
  if (c.storage === 'numeric') {
    const v = Float64Array.from(c.values);
    for (let i = 0; i < v.length; i++) if (rng.next() < share) v[i] = NaN;
    return t.withColumn(t.spec(column), new NumericColumn(v));
  }
  const codes = Int32Array.from(c.codes);
  for (let i = 0; i < codes.length; i++) if (rng.next() < share) codes[i] = -1;
  return t.withColumn(t.spec(column), new CategoricalColumn(codes, c.dictionary));
}

describe.skipIf(!hasShared)('null shares count', () => {
  it('20% extra nulls in a numeric and a categorical column lower KS, TV and missing-share scores', async () => {
    const adult = (await loadShared('adult')).slice(0, 3000);
    const synth = withNulls(withNulls(adult, 'age', 0.2, 1), 'workclass', 0.2, 2);
    const input = (s: Table) => ({ real: adult, synthetic: s, schema: adult.schema, seed: 1 });
    for (const m of [ksComplement, tvComplement, missingShare]) {
      const same = await m.compute(input(adult));
      const nulls = await m.compute(input(synth));
      expect(same.score).toBe(1);
      expect(nulls.score!).toBeLessThan(0.99);
    }
    const ks = await ksComplement.compute(input(synth));
    const age = (ks.details as { columns: { column: string; statistic: number }[] }).columns.find((c) => c.column === 'age')!;
    expect(age.statistic).toBeGreaterThan(0.15); // ≈ the 20% null share, not 0
  });
});
