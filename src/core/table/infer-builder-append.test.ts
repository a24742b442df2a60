import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ColumnBuilder } from './infer-builder.js';

/** The finished column (spec and every value) and the inference summary, as plain data. */
function result(b: ColumnBuilder): unknown {
  const stats = b.stats();
  const { spec, column } = b.finish();
  return { stats, spec, values: Array.from({ length: column.length }, (_, i) => column.get(i)) };
}

/** Pushes `values` one by one. */
function sequential(values: string[]): ColumnBuilder {
  const b = new ColumnBuilder('c');
  for (const v of values) b.push(v);
  return b;
}

/** Builds the two parts on their own (the second through exportState/fromState, as a worker sends it), then joins. */
function joined(values: string[], k: number): { b: ColumnBuilder; appended: boolean } {
  const a = sequential(values.slice(0, k));
  const tail = sequential(values.slice(k));
  const next = ColumnBuilder.fromState(structuredClone(tail.exportState()));
  if (a.canAppend(next)) {
    a.append(next);
    return { b: a, appended: true };
  }
  for (const v of values.slice(k)) a.push(v);
  return { b: a, appended: false };
}

const day = (i: number) => new Date(Date.UTC(2015, 0, 1) + i * 86400000).toISOString().slice(0, 10);

describe('ColumnBuilder.append', () => {
  it('builds exactly what pushing the values one by one builds, or declines (property)', () => {
    const value = fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: -50, max: 5000 }).map(String) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 99999 }).map((x) => (x / 100).toFixed(2)) },
      { weight: 1, arbitrary: fc.constantFrom('1e5', '1.5e-7', '-0', '0.10', '007', '12345678901234567890') },
      { weight: 4, arbitrary: fc.integer({ min: 0, max: 1500 }).map(day) },
      { weight: 2, arbitrary: fc.constantFrom('', 'NA', 'null', '-') },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 900 }).map((i) => 'w' + i) },
    );
    // Runs of one kind, so that parts are often all numbers, all dates or all words.
    const run = fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 700 }), fc.integer({ min: 0, max: 1 << 30 }));
    const kinds = [
      (r: number) => String(r % 3000),
      (r: number) => day(r % 1500),
      (r: number) => ['', 'NA', '-'][r % 3],
      (r: number) => 'w' + (r % 900),
      (r: number) => ((r % 10000) / 100).toFixed(2),
      (r: number) => day(r % 40),
    ];
    let appendedCount = 0;
    fc.assert(
      fc.property(fc.array(fc.oneof(value.map((v) => [v]), run.map(([k, len, seed]) => Array.from({ length: len }, (_, i) => kinds[k]((seed + i * 7919) >>> 0)))), { maxLength: 6 }), fc.double({ min: 0, max: 1, noNaN: true }), (groups, at) => {
        const values = groups.flat();
        const k = Math.floor(at * values.length);
        const { b, appended } = joined(values, k);
        if (appended) appendedCount++;
        expect(result(b)).toEqual(result(sequential(values)));
      }),
      { numRuns: 400 },
    );
    expect(appendedCount).toBeGreaterThan(100);
  });

  it('joins a date column whose second part has too few dates to be tested on its own', () => {
    const values = [...Array.from({ length: 600 }, (_, i) => day(i)), ...Array.from({ length: 50 }, (_, i) => (i % 5 === 0 ? 'NA' : day(i)))];
    const { b, appended } = joined(values, 600);
    expect(appended).toBe(true);
    expect(result(b)).toEqual(result(sequential(values)));
  });
});
