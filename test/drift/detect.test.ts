import { describe, expect, it } from 'vitest';
import { detectDrift } from '../../src/core/drift/detect.js';
import { mergeProfiles, profileTable } from '../../src/core/profile/profile.js';
import { createRng } from '../../src/core/random.js';
import { CategoricalColumn, NumericColumn } from '../../src/core/table/column.js';
import { Table } from '../../src/core/table/table.js';
import { loadShared } from '../helpers/datasets.js';

async function adult() {
  return loadShared('adult');
}

function split(t: Table, seed: number): [Table, Table] {
  const perm = createRng(seed).permutation(t.numRows);
  const h = t.numRows >> 1;
  return [t.take(perm.subarray(0, h)), t.take(perm.subarray(h))];
}

describe('detectDrift on adult', () => {
  it('identical data: no column drifts, every p-value is 1 and every distance 0', async () => {
    const p = profileTable(await adult());
    const r = detectDrift(p, p);
    expect(r.dataset.drifted).toBe(0);
    for (const c of r.columns) for (const t of c.tests) expect(t.value).toBe(t.statistic === 'p-value' ? 1 : 0);
    expect(r.findings).toEqual([]);
  });

  it('a shifted mean (age + 0.3 std) is detected on that column only', async () => {
    const t = await adult();
    const [a, b] = split(t, 1);
    const age = b.numeric('age');
    const shifted = b.withColumn(b.spec('age'), new NumericColumn(age.values.map((x) => x + 4)));
    const r = detectDrift(profileTable(a), profileTable(shifted));
    expect(r.columns.filter((c) => c.drifted).map((c) => c.column)).toEqual(['age']);
    expect(r.columns.find((c) => c.column === 'age')!.tests[0].test).toBe('wasserstein@1');
  });

  it('a new category in 20 % of rows is detected', async () => {
    const [a, b] = split(await adult(), 2);
    const wc = b.categorical('workclass');
    const labels = Array.from({ length: b.numRows }, (_, i) => (i % 5 === 0 ? 'Space-agency' : wc.get(i)));
    const r = detectDrift(profileTable(a), profileTable(b.withColumn(b.spec('workclass'), CategoricalColumn.from(labels))));
    const col = r.columns.find((c) => c.column === 'workclass')!;
    expect(col.drifted).toBe(true);
    expect(col.tests[0]).toMatchObject({ test: 'jensen-shannon@1', drifted: true });
    expect(r.dataset.drifted).toBe(1);
  });

  it('a rise in nulls (0 → 10 %) is detected by the missing-share test', async () => {
    const [a, b] = split(await adult(), 3);
    const h = b.numeric('hours-per-week');
    const v = h.values.map((x, i) => (i % 10 === 0 ? NaN : x));
    const r = detectDrift(profileTable(a), profileTable(b.withColumn({ ...b.spec('hours-per-week'), nullable: true }, new NumericColumn(v))));
    const col = r.columns.find((c) => c.column === 'hours-per-week')!;
    expect(col.tests.find((t) => t.test === 'missing-share@1')!.drifted).toBe(true);
    expect(r.columns.filter((c) => c.drifted).map((c) => c.column)).toEqual(['hours-per-week']);
  });

  it('small samples use p-value tests: KS for numbers, chi-squared for categories', async () => {
    const [a, b] = split((await adult()).slice(0, 1200), 4);
    const r = detectDrift(profileTable(a), profileTable(b));
    expect(r.columns.find((c) => c.column === 'age')!.tests[0].test).toBe('ks@1');
    expect(r.columns.find((c) => c.column === 'race')!.tests[0].test).toBe('chi-squared@1');
    expect(r.columns.find((c) => c.column === 'sex')!.tests[0].test).toBe('two-proportion-z@1');
  });

  it('label and prediction drift are reported for the named columns', async () => {
    const [a, b] = split(await adult(), 5);
    const r = detectDrift(profileTable(a), profileTable(b), { target: 'income', prediction: 'sex' });
    expect(r.labelDrift?.column).toBe('income');
    expect(r.predictionDrift?.column).toBe('sex');
  });
});

describe('detectDrift on bad input: findings, not crashes', () => {
  const schema = (cols: [string, 'numerical' | 'categorical'][]) => ({ specVersion: 1 as const, columns: cols.map(([name, type]) => ({ name, type, nullable: true })) });
  it('missing columns, a type change, constant and all-null columns', () => {
    const ref = new Table(schema([['a', 'numerical'], ['b', 'numerical'], ['c', 'numerical'], ['d', 'numerical']]), [
      NumericColumn.from([1, 2, 3]), NumericColumn.from([1, 2, 3]), NumericColumn.from([5, 5, 5]), NumericColumn.from([null, null, null]),
    ]);
    const cur = new Table(schema([['a', 'numerical'], ['b', 'categorical'], ['c', 'numerical'], ['d', 'numerical'], ['e', 'numerical']]), [
      NumericColumn.from([1, 2, 3]), CategoricalColumn.from(['x', 'y', 'z']), NumericColumn.from([5, 5, 5, 5].slice(0, 3)), NumericColumn.from([null, null, null]), NumericColumn.from([1, 1, 1]),
    ]);
    const r = detectDrift(profileTable(ref), profileTable(cur));
    expect(r.findings.map((f) => f.kind).sort()).toEqual(['all-missing', 'all-missing', 'new-in-current', 'type-changed']);
    expect(r.columns.find((c) => c.column === 'b')).toMatchObject({ status: 'type-changed', drifted: true });
    expect(r.columns.find((c) => c.column === 'c')!.drifted).toBe(false);
    for (const c of r.columns) for (const t of c.tests) expect(Number.isFinite(t.value)).toBe(true);
    const gone = detectDrift(profileTable(cur), profileTable(ref));
    expect(gone.findings.some((f) => f.kind === 'missing-in-current' && f.column === 'e')).toBe(true);
  });

  it('an empty current table is a finding', () => {
    const ref = new Table(schema([['a', 'numerical']]), [NumericColumn.from([1, 2])]);
    const r = detectDrift(profileTable(ref), profileTable(ref.slice(0, 0)));
    expect(r.findings.map((f) => f.kind)).toContain('empty-current');
    expect(r.dataset.drifted).toBe(0);
  });

  it('unknown test ids are a clear error', () => {
    const p = profileTable(new Table(schema([['a', 'numerical']]), [NumericColumn.from([1, 2])]));
    expect(() => detectDrift(p, p, { tests: ['nope'] })).toThrow(/invalid drift test: "nope"/);
  });
});

describe('profiles built from parts give the same drift result', () => {
  it('merge(profile(half 1), profile(half 2)) as reference = profile(whole) as reference', async () => {
    const t = await adult();
    const [a, b] = split(t, 9);
    const cur = b.withColumn(b.spec('age'), new NumericColumn(b.numeric('age').values.map((x) => x * 1.1)));
    const whole = detectDrift(profileTable(t), profileTable(cur));
    const merged = detectDrift(mergeProfiles(profileTable(t.slice(0, 10000)), profileTable(t.slice(10000))), profileTable(cur));
    expect(merged).toEqual(whole);
    expect(a.numRows).toBeGreaterThan(0);
  });
});

describe('columns that cannot be compared say so', () => {
  it('a categorical column with more than 1000 distinct values is a not-compared finding', () => {
    const labels = (k: number) => CategoricalColumn.from(Array.from({ length: 3000 }, (_, i) => `v${(i * k) % 2500}`));
    const s = { specVersion: 1 as const, columns: [{ name: 'code', type: 'categorical' as const, nullable: false }] };
    const r = detectDrift(profileTable(new Table(s, [labels(1)])), profileTable(new Table(s, [labels(7)])));
    expect(r.findings).toEqual([expect.objectContaining({ kind: 'not-compared', column: 'code' })]);
    expect(r.columns[0].tests.map((t) => t.test)).toEqual(['missing-share@1']);
  });
});
