// Contract: a metric's weighted path (computeWeighted, the report's n-out-of-n row bootstrap) gives the score its
// compute gives on the gathered resample (each row repeated its multiplicity times), for every registered metric
// that has it, on adult columns with missing values, an id column and declared constraints.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { METRICS } from '../../src/core/metrics/registry.js';
import type { Metric, MetricInput, RowWeights } from '../../src/core/metrics/metric.js';
import { gatherWeighted } from '../../src/core/reports/bootstrap-rows.js';
import { createRng } from '../../src/core/random.js';
import { CategoricalColumn, NumericColumn } from '../../src/core/table/column.js';
import { Table } from '../../src/core/table/table.js';
import type { ColumnSpec } from '../../src/core/table/schema.js';
import { hasShared, loadShared } from '../helpers/datasets.js';

/**
 * `t` with some cells missing (seeded), an `id` column, its first numeric column as primary key, and the first column
 * declared not-null / integer.
 */
function withExtras(t: Table, seed: number, missing: number): Table {
  const rng = createRng(seed, 'extras');
  const specs: ColumnSpec[] = [];
  const cols = t.schema.columns.map((spec, j) => {
    const c = t.column(spec.name);
    specs.push({ ...spec, ...(j === 0 ? { nullable: false, integer: true } : {}) });
    if (c.storage === 'numeric') {
      const v = Float64Array.from(c.values);
      for (let i = 0; i < v.length; i++) if (rng.next() < missing) v[i] = NaN;
      return new NumericColumn(v);
    }
    const codes = Int32Array.from(c.codes);
    for (let i = 0; i < codes.length; i++) if (rng.next() < missing) codes[i] = -1;
    return new CategoricalColumn(codes, c.dictionary);
  });
  const ids = new Int32Array(t.numRows);
  for (let i = 0; i < ids.length; i++) ids[i] = rng.next() < missing ? -1 : rng.int(t.numRows * 2); // some duplicates
  specs.push({ name: 'row_id', type: 'id', nullable: true });
  cols.push(new CategoricalColumn(ids, Array.from({ length: t.numRows * 2 }, (_, k) => `r${k}`)));
  // A numeric primary key too (key uniqueness on numbers).
  const key = t.schema.columns.find((c) => t.column(c.name).storage === 'numeric')!.name;
  return new Table({ ...t.schema, columns: specs, primaryKey: key }, cols);
}

/** Multiplicities of `draws` seeded uniform draws among n rows (what rowResamples keeps). */
function drawWeights(n: number, draws: number, seed: number): Uint8Array {
  const r = createRng(seed, 'weights');
  const w = new Uint8Array(n);
  for (let i = 0; i < draws; i++) w[r.int(n)]++;
  return w;
}

function sum(w: Uint8Array): number {
  let s = 0;
  for (const x of w) s += x;
  return s;
}

const weighted = METRICS.filter((m) => m.computeWeighted);

describe.skipIf(!hasShared)('metric contract: computeWeighted = compute on the gathered resample (adult columns)', () => {
  const inputs: MetricInput[] = [];

  beforeAll(async () => {
    const adult = await loadShared('adult');
    const p = createRng(5).permutation(adult.numRows);
    const real = adult.take(p.subarray(0, 2000)), synth = adult.take(p.subarray(2000, 3500));
    // Plain adult rows, and the same with missing cells, an id column and constraints.
    inputs.push({ real, synthetic: synth, schema: real.schema, seed: 1 });
    const r2 = withExtras(real, 1, 0.05), s2 = withExtras(synth, 2, 0.1);
    inputs.push({ real: r2, synthetic: s2, schema: r2.schema, seed: 1 });
  });

  it('every row-bootstrapped metric has a weighted path', () => {
    expect(METRICS.filter((m) => m.info.bootstrap === 'rows' && !m.computeWeighted).map((m) => m.info.id)).toEqual([]);
  });

  const check = async (m: Metric, input: MetricInput, w: RowWeights) => {
    const fast = m.computeWeighted!(input, w);
    expect(fast, `${m.info.id} weighted path declined`).not.toBeNull();
    const g = await m.compute({ ...input, real: gatherWeighted(input.real, w.real), synthetic: gatherWeighted(input.synthetic, w.synthetic) });
    const slow = g.status === 'ok' && g.score !== undefined ? g.score : NaN;
    if (Number.isNaN(slow)) expect(fast, m.info.id).toBeNaN();
    else expect(Math.abs(fast! - slow), `${m.info.id}: weighted ${fast} vs gathered ${slow}`).toBeLessThanOrEqual(1e-12);
  };

  for (const m of weighted) {
    it(`${m.info.id}: weighted score = gathered score on random resamples (n-out-of-n and m-out-of-n)`, async () => {
      for (const input of inputs) {
        const nr = input.real.numRows, ns = input.synthetic.numRows;
        await fc.assert(
          fc.asyncProperty(fc.integer({ min: 0, max: 1e6 }), fc.double({ min: 0.01, max: 1, noNaN: true }), fc.boolean(), async (seed, f, together) => {
            // Three resamples, scored alone or as one batch (the report's path: e.g. pair counts in one pass).
            const batch: RowWeights[] = [0, 1, 2].map((k) => {
              const wr = drawWeights(nr, Math.max(1, Math.ceil(f * nr)), seed + 2 * k), ws = drawWeights(ns, Math.max(1, Math.ceil(f * ns)), seed + 2 * k + 1);
              return { real: wr, synthetic: ws, realRows: sum(wr), syntheticRows: sum(ws) };
            });
            if (together) for (const w of batch) w.batch = batch;
            for (const w of batch) await check(m, input, w);
          }),
          { numRuns: 8, seed: 42 },
        );
        // All weights 1 is the full data: the metric's own score.
        const ones = (n: number) => new Uint8Array(n).fill(1);
        const full = m.computeWeighted!(input, { real: ones(nr), synthetic: ones(ns), realRows: nr, syntheticRows: ns });
        const own = (await m.compute(input)).score;
        if (own === undefined) expect(full).toBeNaN();
        else expect(Math.abs(full! - own)).toBeLessThanOrEqual(1e-12);
      }
    }, 60_000);
  }
});
