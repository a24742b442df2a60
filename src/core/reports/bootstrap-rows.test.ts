import { describe, expect, it } from 'vitest';
import type { Metric } from '../metrics/metric.js';
import { ksComplement } from '../metrics/fidelity/ks-complement.js';
import { tvComplement } from '../metrics/fidelity/tv-complement.js';
import { correlationSimilarity } from '../metrics/fidelity/pair-metrics.js';
import { createRng } from '../random.js';
import { CategoricalColumn, NumericColumn } from '../table/column.js';
import { Table } from '../table/table.js';
import { bootstrapRows, gatherWeighted, rowResamples } from './bootstrap-rows.js';

function table(n: number, seed: number, shift: number): Table {
  const r = createRng(seed);
  const x = Float64Array.from({ length: n }, () => r.normal() + shift);
  const y = Float64Array.from(x, (v) => v + r.normal());
  const c = Int32Array.from({ length: n }, () => r.int(3));
  return new Table(
    { specVersion: 1, columns: [{ name: 'x', type: 'numerical', nullable: false }, { name: 'y', type: 'numerical', nullable: false }, { name: 'c', type: 'categorical', nullable: false }] },
    [new NumericColumn(x, null), new NumericColumn(y, null), new CategoricalColumn(c, ['a', 'b', 'c'])],
  );
}

/** The same metric without its weighted path: bootstrapRows then recomputes on the gathered resamples. */
function gatheredOnly(m: Metric): Metric {
  return { info: m.info, compute: m.compute };
}

describe('rowResamples / bootstrapRows', () => {
  const real = table(4000, 1, 0), synthetic = table(8000, 2, 0.1);
  const input = { real, synthetic, schema: real.schema, seed: 3 };

  it('rowResamples draws n rows per table by default (multiplicities summing to n), the same for the same seed', () => {
    const a = rowResamples(real, synthetic, 3, { resamples: 4 })!, b = rowResamples(real, synthetic, 3, { resamples: 4 })!;
    expect(a.fraction).toBe(1);
    expect(a.weights.map((w) => [w!.realRows, w!.syntheticRows])).toEqual(Array(4).fill([4000, 8000]));
    expect(a.weights.map((w) => [w!.real.reduce((s, x) => s + x, 0), w!.synthetic.reduce((s, x) => s + x, 0)])).toEqual(Array(4).fill([4000, 8000]));
    expect(Array.from(a.weights[2]!.real)).toEqual(Array.from(b.weights[2]!.real));
    expect(Array.from(a.weights[2]!.real)).not.toEqual(Array.from(a.weights[1]!.real));
    // About 1 − 1/e of the rows are drawn at least once.
    const drawn = a.weights[0]!.synthetic.reduce((s, x) => s + (x > 0 ? 1 : 0), 0) / 8000;
    expect(Math.abs(drawn - (1 - Math.exp(-1)))).toBeLessThan(0.02);
    expect(a.gathered(0).real.numRows).toBe(4000);
    expect(rowResamples(real.slice(0, 0), synthetic, 3)).toBeNull();
  });

  it('maxRows gives m-out-of-n resamples of ⌈f·n⌉ rows per table', () => {
    const a = rowResamples(real, synthetic, 3, { resamples: 4, maxRows: 2000 })!;
    expect(a.fraction).toBe(0.25);
    expect(a.weights.map((w) => [w!.realRows, w!.syntheticRows])).toEqual(Array(4).fill([1000, 2000]));
    expect([a.gathered(1).real.numRows, a.gathered(1).synthetic.numRows]).toEqual([1000, 2000]);
    expect(a.gathered(1)).toBe(a.gathered(1)); // small gathered resamples are kept
  });

  it('gatherWeighted repeats each row its multiplicity times', () => {
    const t = gatherWeighted(real.slice(0, 3), Uint8Array.of(2, 0, 1));
    expect(Array.from(t.numeric('x').values)).toEqual([real.numeric('x').values[0], real.numeric('x').values[0], real.numeric('x').values[2]]);
  });

  it('bootstrapRows (n-out-of-n, weighted) gives an interval around the score, equal to recomputing on the gathered rows', async () => {
    const shared = rowResamples(real, synthetic, 3, { resamples: 30 });
    for (const m of [ksComplement, tvComplement, correlationSimilarity]) {
      const score = (await m.compute(input)).score!;
      const b = (await bootstrapRows(m, input, score, {}, shared))!;
      expect(b.resamples).toBe(30);
      expect(b.fraction).toBe(1);
      expect(b.interval[0]).toBeLessThanOrEqual(score);
      expect(b.interval[1]).toBeGreaterThanOrEqual(score);
      expect(b.interval[1] - b.interval[0]).toBeGreaterThan(0);
      // Deterministic; the gathered path gives the same interval (to rounding).
      expect((await bootstrapRows(m, input, score, {}, rowResamples(real, synthetic, 3, { resamples: 30 })))!.interval).toEqual(b.interval);
      const g = (await bootstrapRows(gatheredOnly(m), input, score, {}, shared))!;
      expect(Math.abs(g.interval[0] - b.interval[0])).toBeLessThan(1e-12);
      expect(Math.abs(g.interval[1] - b.interval[1])).toBeLessThan(1e-12);
      // The metric's own resamples (no shared ones) give a similar interval.
      const own = (await bootstrapRows(m, input, score, { resamples: 30 }))!;
      expect(Math.abs(own.interval[1] - own.interval[0] - (b.interval[1] - b.interval[0]))).toBeLessThan(0.5 * (b.interval[1] - b.interval[0]) + 0.01);
    }
  });

  it('the m-out-of-n interval (maxRows) is rescaled by √f and close to the n-out-of-n one', async () => {
    const score = (await ksComplement.compute(input)).score!;
    const full = (await bootstrapRows(ksComplement, input, score, {}, rowResamples(real, synthetic, 3, { resamples: 60 })))!;
    const sub = (await bootstrapRows(ksComplement, input, score, {}, rowResamples(real, synthetic, 3, { resamples: 60, maxRows: 2000 })))!;
    expect(sub.fraction).toBe(0.25);
    const wf = full.interval[1] - full.interval[0], ws = sub.interval[1] - sub.interval[0];
    expect(ws / wf).toBeGreaterThan(0.5);
    expect(ws / wf).toBeLessThan(2);
  });
});
