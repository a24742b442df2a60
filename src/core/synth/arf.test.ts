import { describe, expect, it } from 'vitest';
import { hasShared, loadShared } from '../../../test/helpers/datasets.js';
import { applyBinning, fitBinning } from '../learners/binning.js';
import { createRng } from '../random.js';
import { CategoricalColumn, NumericColumn } from '../table/column.js';
import type { Schema } from '../table/schema.js';
import { Table } from '../table/table.js';
import { arf, fitArfTrees } from './arf.js';

/** Two columns that always agree (b = a) plus a number that depends on a; independent draws would break both. */
function linked(n: number, seed: number): Table {
  const rng = createRng(seed, 'linked');
  const labels = ['p', 'q', 'r', 's', 't', 'u'];
  const a = new Int32Array(n), x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = rng.int(labels.length);
    x[i] = Math.round(100 * a[i] + 10 * rng.normal());
  }
  const schema: Schema = {
    specVersion: 1,
    columns: [
      { name: 'a', type: 'categorical', nullable: false },
      { name: 'b', type: 'categorical', nullable: false },
      { name: 'x', type: 'numerical', nullable: false, integer: true },
    ],
  };
  return new Table(schema, [new CategoricalColumn(a, labels), new CategoricalColumn(Int32Array.from(a), labels.map((l) => l.toUpperCase())), new NumericColumn(x)]);
}

describe('arf', () => {
  it('learns dependencies the product of marginals misses (b follows a, x follows a)', async () => {
    const t = linked(3000, 1);
    const fitted = await arf.create({ minLeaf: 20 }).fit(t, { seed: 1 });
    const s = fitted.sample(3000, { seed: 2 });
    const a = s.categorical('a'), b = s.categorical('b'), x = s.numeric('x').values;
    let agree = 0, near = 0;
    for (let i = 0; i < s.numRows; i++) {
      if (a.dictionary[a.codes[i]].toUpperCase() === b.dictionary[b.codes[i]]) agree++;
      if (Math.abs(x[i] - 100 * 'pqrstu'.indexOf(a.dictionary[a.codes[i]])) < 50) near++;
    }
    // Independent draws would agree 1/6 of the time and put x near its a's centre about 1/6 of the time.
    expect(agree / s.numRows).toBeGreaterThan(0.95);
    expect(near / s.numRows).toBeGreaterThan(0.9);
  });

  it('gives every saved leaf at least minLeaf training rows and stores no row', async () => {
    const t = linked(2000, 3);
    const fitted = await arf.create({ minLeaf: 25, trees: 4 }).fit(t, { seed: 4 });
    const state = fitted.save().payload.state as { engine: { trees: { count: number[] }[] } };
    expect(state.engine.trees).toHaveLength(4);
    for (const tree of state.engine.trees) {
      expect(tree.count.reduce((p, c) => p + c, 0)).toBe(2000);
      for (const c of tree.count) expect(c).toBeGreaterThanOrEqual(25);
    }
  });

  it('fits the same trees however they are chunked or scheduled', async () => {
    const t = linked(800, 5);
    const xm = { numRows: 800, names: ['a', 'x'], columns: [t.categorical('a').codes, t.numeric('x').values], levels: [6, 0] };
    const xb = applyBinning(xm, fitBinning(xm));
    const y = new Int32Array(800);
    for (let i = 0; i < 400; i++) y[i] = 1;
    const spec = { seed: 9, round: 2, growLeaf: 5, maxFeatures: 1, numReal: 400, minLeaf: 10, draws: 800 };
    const whole = fitArfTrees(xb, y, spec, 0, 4);
    const parts = [fitArfTrees(xb, y, spec, 2, 4), fitArfTrees(xb, y, spec, 0, 2)];
    expect([...parts[1].leaves, ...parts[0].leaves]).toEqual(whole.leaves);
    for (const l of whole.leaves) expect(new Set(l.leafOf).size).toBe(l.numLeaves);
    const sum = parts[0].oobSum.map((v, i) => v + parts[1].oobSum[i]);
    for (let i = 0; i < 800; i++) expect(sum[i]).toBeCloseTo(whole.oobSum[i], 12);
    // A runner that runs the calls in reverse order (another schedule) gives the same model as no runner.
    const plain = await arf.create({ trees: 3, maxIterations: 2 }).fit(t, { seed: 6 });
    const reversed = await arf.create({ trees: 3, maxIterations: 2 }).fit(t, {
      seed: 6,
      parallel: async <T>(_m: string, _n: string, calls: unknown[][]) =>
        calls
          .map((c, i) => [i, c] as const)
          .reverse()
          .map(([i, c]) => [i, fitArfTrees(...(c as Parameters<typeof fitArfTrees>))] as const)
          .sort((p, q) => p[0] - q[0])
          .map(([, r]) => r as T),
    });
    expect(reversed.save().payload.state).toEqual(plain.save().payload.state);
    expect(reversed.sample(100, { seed: 1 }).toRows()).toEqual(plain.sample(100, { seed: 1 }).toRows());
  });

  it.skipIf(!hasShared)('v2 leaf model: several conditions at once (categorical and numeric) follow the model exactly', async () => {
    const adult = (await loadShared('adult')).slice(0, 4000);
    const fitted = await arf.create({ trees: 4 }).fit(adult, { seed: 5 });
    expect(fitted.save().kindVersion).toBe(2);
    const free = fitted.sample(200000, { seed: 6 });
    const cond = fitted.sample(4000, { seed: 7, conditions: [{ column: 'sex', equals: 'Female' }, { column: 'age', range: { min: 25, max: 40 } }] });
    const sex = free.categorical('sex'), age = free.numeric('age').values;
    const keep = (i: number) => sex.dictionary[sex.codes[i]] === 'Female' && age[i] >= 25 && age[i] <= 40;
    // Distribution of relationship (a child of sex in the dependence tree or not): conditioned vs filtered draws.
    const dist = (t: Table, use: (i: number) => boolean) => {
      const c = t.categorical('relationship');
      const m = new Map<string, number>();
      let k = 0;
      for (let i = 0; i < t.numRows; i++)
        if (use(i)) {
          m.set(c.dictionary[c.codes[i]], (m.get(c.dictionary[c.codes[i]]) ?? 0) + 1);
          k++;
        }
      return { m, k };
    };
    const a = dist(free, keep), b = dist(cond, () => true);
    expect(a.k).toBeGreaterThan(10000);
    let tvd = 0;
    for (const key of new Set([...a.m.keys(), ...b.m.keys()])) tvd += Math.abs((a.m.get(key) ?? 0) / a.k - (b.m.get(key) ?? 0) / b.k) / 2;
    expect(tvd).toBeLessThan(0.04);
    const ca = cond.numeric('age').values, cs = cond.categorical('sex');
    for (let i = 0; i < cond.numRows; i++) {
      expect(ca[i]).toBeGreaterThanOrEqual(25);
      expect(ca[i]).toBeLessThanOrEqual(40);
      expect(cs.dictionary[cs.codes[i]]).toBe('Female');
    }
    // A numeric equals on a point mass (education-num = 13) gives that value and the education that goes with it.
    const e = fitted.sample(500, { seed: 8, conditions: [{ column: 'education-num', equals: 13 }] });
    expect(new Set(e.numeric('education-num').values)).toEqual(new Set([13]));
    const ed = e.categorical('education');
    let bachelors = 0;
    for (let i = 0; i < e.numRows; i++) if (ed.dictionary[ed.codes[i]] === 'Bachelors') bachelors++;
    expect(bachelors / e.numRows).toBeGreaterThan(0.9);
  }, 120000);

  it('dependence: false is the v1 leaf model (kindVersion 1, columns independent inside a leaf)', async () => {
    const t = linked(1500, 7);
    const fitted = await arf.create({ trees: 3, dependence: false }).fit(t, { seed: 1 });
    const saved = fitted.save();
    expect(saved.kindVersion).toBe(1);
    const again = arf.load(JSON.parse(JSON.stringify(saved)));
    expect(again.params.dependence).toBe(false);
    expect(again.sample(50, { seed: 2 }).toRows()).toEqual(fitted.sample(50, { seed: 2 }).toRows());
  });

  it('rejects bad params with every issue listed', () => {
    expect(() => arf.create({ trees: 0, delta: 2, nope: 1 } as never)).toThrow(/trees[\s\S]*delta|delta[\s\S]*trees/);
  });

  it.skipIf(!hasShared)('conditional samples follow the model: P(sex | income=>50K) matches filtered unconditional draws', async () => {
    const adult = (await loadShared('adult')).slice(0, 4000);
    const fitted = await arf.create().fit(adult, { seed: 2 });
    const cond = fitted.sample(4000, { seed: 3, conditions: [{ column: 'income', equals: '>50K' }] });
    const free = fitted.sample(40000, { seed: 4 });
    const share = (t: Table, keep: (i: number) => boolean) => {
      const sex = t.categorical('sex');
      let f = 0, m = 0;
      for (let i = 0; i < t.numRows; i++) {
        if (!keep(i)) continue;
        m++;
        if (sex.dictionary[sex.codes[i]] === 'Female') f++;
      }
      return f / m;
    };
    const inc = free.categorical('income');
    const filtered = share(free, (i) => inc.dictionary[inc.codes[i]] === '>50K');
    const conditioned = share(cond, () => true);
    expect(Math.abs(conditioned - filtered)).toBeLessThan(0.04);
    // A range condition keeps numbers inside it and not all at one value.
    const r = fitted.sample(500, { seed: 5, conditions: [{ column: 'age', range: { min: 30, max: 40 } }] }).numeric('age').values;
    expect(Math.min(...r)).toBeGreaterThanOrEqual(30);
    expect(Math.max(...r)).toBeLessThanOrEqual(40);
    expect(new Set(r).size).toBeGreaterThan(5);
  }, 120000);
});
