import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gaussianCopula } from '../../src/core/synth/gaussian-copula.js';
import { loadSynthesizer } from '../../src/core/synth/registry.js';
import type { Table } from '../../src/core/table/table.js';
import { hasShared, loadShared } from '../helpers/datasets.js';

// The v2 gaussian-copula is a mixture of copulas, one per category of the stratifying column. A single
// Gaussian copula cannot carry relationship ↔ sex (Husband → Male, Wife → Female, the rest mixed); the
// mixture must.
function tvd(a: Table, b: Table, x: string, y: string): number {
  const count = (t: Table) => {
    const m = new Map<string, number>();
    for (let i = 0; i < t.numRows; i++) {
      const k = `${t.get(i, x)}|${t.get(i, y)}`;
      m.set(k, (m.get(k) ?? 0) + 1 / t.numRows);
    }
    return m;
  };
  const ca = count(a), cb = count(b);
  let s = 0;
  for (const k of new Set([...ca.keys(), ...cb.keys()])) s += Math.abs((ca.get(k) ?? 0) - (cb.get(k) ?? 0));
  return s / 2;
}

describe.skipIf(!hasShared)('gaussian-copula mixture on adult', () => {
  let real: Table;
  beforeAll(async () => {
    real = (await loadShared('adult')).slice(0, 8000);
  });
  it('keeps relationship ↔ sex, which one copula loses', async () => {
    const mixed = (await gaussianCopula.create().fit(real, { seed: 1 })).sample(8000, { seed: 2 });
    const single = (await gaussianCopula.create({ stratify: 'none' }).fit(real, { seed: 1 })).sample(8000, { seed: 2 });
    const dm = tvd(real, mixed, 'relationship', 'sex'), ds = tvd(real, single, 'relationship', 'sex');
    expect(dm).toBeLessThan(0.04);
    expect(ds).toBeGreaterThan(0.1);
  }, 60000);
  it('save → load gives the same rows, with conditions too', async () => {
    const fitted = await gaussianCopula.create({ stratify: 'marital-status' }).fit(real, { seed: 1 });
    const again = loadSynthesizer(JSON.parse(JSON.stringify(fitted.save())));
    const conditions = [{ column: 'sex', equals: 'Female' }];
    expect(again.sample(300, { seed: 4, conditions }).toRows()).toEqual(fitted.sample(300, { seed: 4, conditions }).toRows());
    expect(again.sample(300, { seed: 4 }).toRows()).toEqual(fitted.sample(300, { seed: 4 }).toRows());
  }, 60000);
  it('a continuous point condition (fnlwgt = 200000) matches unconditional rows near that value', async () => {
    const fitted = await gaussianCopula.create().fit(real, { seed: 1 });
    const stats = (t: Table, keep: (i: number) => boolean) => {
      const age = t.numeric('age').values, fw = t.numeric('fnlwgt').values, sex = t.categorical('sex');
      let n = 0, a = 0, f = 0;
      for (let i = 0; i < t.numRows; i++) {
        if (!keep(i) || !(fw[i] === fw[i])) continue;
        n++;
        a += age[i];
        if (sex.dictionary[sex.codes[i]] === 'Female') f++;
      }
      return { n, age: a / n, female: f / n };
    };
    const free = fitted.sample(150000, { seed: 9 });
    const fw = free.numeric('fnlwgt').values;
    const ref = stats(free, (i) => fw[i] > 195000 && fw[i] < 205000);
    const got = stats(fitted.sample(3000, { seed: 5, conditions: [{ column: 'fnlwgt', equals: 200000 }] }), () => true);
    expect(ref.n).toBeGreaterThan(3000);
    expect(Math.abs(got.age - ref.age)).toBeLessThan(1);
    expect(Math.abs(got.female - ref.female)).toBeLessThan(0.04);
  }, 60000);
  it('rejects a stratifying column that is not categorical', async () => {
    await expect(gaussianCopula.create({ stratify: 'age' }).fit(real, { seed: 1 })).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});

describe('gaussian-copula v1 artifacts', () => {
  it('load as one copula and save again as v1', () => {
    const { artifact } = JSON.parse(readFileSync(join(import.meta.dirname, '../artifacts/synthesizer-gaussian-copula-v1.json'), 'utf8'));
    const fitted = loadSynthesizer(artifact);
    expect(fitted.params).toMatchObject({ stratify: 'none' });
    const saved = fitted.save();
    expect(saved.kindVersion).toBe(1);
    expect(loadSynthesizer(JSON.parse(JSON.stringify(saved))).sample(20, { seed: 7 }).toRows()).toEqual(fitted.sample(20, { seed: 7 }).toRows());
  });
});
