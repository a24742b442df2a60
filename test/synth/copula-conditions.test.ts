import { beforeAll, describe, expect, it } from 'vitest';
import { gaussianCopula } from '../../src/core/synth/gaussian-copula.js';
import type { Condition, FittedSynthesizer } from '../../src/core/synth/synthesizer.js';
import type { Table } from '../../src/core/table/table.js';
import { hasShared, loadShared } from '../helpers/datasets.js';

// The copula's conditional sampler must match the model's own conditional law: rows drawn with a condition
// should look like unconditional rows filtered on it (same mean age, same share of an unconditioned category).
function stats(t: Table, filter: (i: number) => boolean): { n: number; age: number; married: number } {
  const age = t.numeric('age').values, ms = t.categorical('marital-status');
  let n = 0, sa = 0, m = 0;
  for (let i = 0; i < t.numRows; i++) {
    if (!filter(i)) continue;
    n++;
    sa += age[i];
    if (ms.dictionary[ms.codes[i]] === 'Married-civ-spouse') m++;
  }
  return { n, age: sa / n, married: m / n };
}

describe.skipIf(!hasShared)('gaussian-copula conditional sampling is exact', () => {
  let fitted: FittedSynthesizer;
  let free: Table;
  beforeAll(async () => {
    const adult = await loadShared('adult');
    fitted = await gaussianCopula.create().fit(adult.slice(0, 8000), { seed: 1 });
    free = fitted.sample(120000, { seed: 2 });
  });
  const cases: [string, Condition[], (t: Table, i: number) => boolean][] = [
    ['one category', [{ column: 'income', equals: '>50K' }], (t, i) => t.get(i, 'income') === '>50K'],
    ['two categories', [{ column: 'income', equals: '>50K' }, { column: 'sex', equals: 'Female' }], (t, i) => t.get(i, 'income') === '>50K' && t.get(i, 'sex') === 'Female'],
    ['a numeric range', [{ column: 'hours-per-week', range: { min: 50 } }], (t, i) => (t.get(i, 'hours-per-week') as number) >= 50],
  ];
  for (const [name, conds, keep] of cases) {
    it(name, () => {
      const ref = stats(free, (i) => keep(free, i));
      const cond = fitted.sample(10000, { seed: 3, conditions: conds });
      const got = stats(cond, () => true);
      expect(ref.n).toBeGreaterThan(1000);
      expect(Math.abs(got.age - ref.age)).toBeLessThan(0.8);
      expect(Math.abs(got.married - ref.married)).toBeLessThan(0.035);
    }, 60000);
  }
});
