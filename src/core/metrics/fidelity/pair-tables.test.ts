import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasShared, loadShared } from '../../../../test/helpers/datasets.js';
import { createRng } from '../../random.js';
import { CategoricalColumn } from '../../table/column.js';
import { Table } from '../../table/table.js';
import { alignTables } from '../aligned.js';
import { contingency, contingencyTv } from './contingency.js';
import { discretise } from './discretise.js';
import { allPairCounts, contingencyTvEmbedded, pairTables } from './pair-tables.js';
import { pairTrends, pairTrendsOfTables } from './pair-trends.js';
import { contingencySimilarity, correlationSimilarity, kMarginal } from './pair-metrics.js';

describe('allPairCounts', () => {
  it('allPairCounts equals contingency of every pair (random codes and sizes, incl. sizes too large for triples)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 0, maxLength: 7 }), fc.integer({ min: 0, max: 300 }), fc.integer(), (sizes, n, seed) => {
        const r = createRng(seed);
        const codes = sizes.map((s) => Int32Array.from({ length: n }, () => r.int(s)));
        const t = allPairCounts(codes, sizes);
        let k = 0;
        for (let i = 0; i < sizes.length; i++) {
          for (let j = i + 1; j < sizes.length; j++, k++) expect(Array.from(t[k])).toEqual(Array.from(contingency(codes[i], codes[j], sizes[i], sizes[j])));
        }
        expect(k).toBe(t.length);
      }),
      { numRuns: 150, seed: 3 },
    );
  });
});

describe('contingencyTvEmbedded', () => {
  it('contingencyTvEmbedded(real in its own layout) is bit-for-bit contingencyTv in the larger layout', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer(), (ra, rb, ea, eb, seed) => {
        const r = createRng(seed);
        const oa = ra + ea, ob = rb + eb;
        const real = Float64Array.from({ length: ra * rb }, () => r.int(7));
        const other = Float64Array.from({ length: oa * ob }, () => r.int(7));
        const big = new Float64Array(oa * ob);
        for (let a = 0; a < ra; a++) for (let b = 0; b < rb; b++) big[a * ob + b] = real[a * rb + b];
        expect(Object.is(contingencyTvEmbedded(real, ra, rb, other, oa, ob), contingencyTv(big, other))).toBe(true);
      }),
      { numRuns: 300, seed: 4 },
    );
  });
});

describe.skipIf(!hasShared)('pairTables on adult', () => {
  it('pairTrendsOfTables(pairTables(real, other)) equals pairTrends on the aligned columns, for a synthetic table with a new category', async () => {
    const adult = await loadShared('adult');
    const p = createRng(2).permutation(adult.numRows);
    const real = adult.take(p.subarray(0, 20_000)), hold = adult.take(p.subarray(20_000));
    // Each column resampled on its own, and one category relabelled to a label the real data lack.
    const cols = real.schema.columns.map((spec) => {
      const r = createRng(5, spec.name);
      const c = real.column(spec.name).take(Int32Array.from({ length: 8000 }, () => r.int(real.numRows)));
      if (c.storage === 'categorical' && spec.name === 'workclass') return new CategoricalColumn(c.codes, c.dictionary.map((d, i) => (i === 0 ? 'never-seen' : d)));
      return c;
    });
    const synth = new Table(real.schema, cols);
    for (const other of [synth, hold]) {
      const aligned = alignTables([real, other]);
      expect(pairTrendsOfTables(pairTables(real, other))).toEqual(pairTrends(aligned, aligned.map((c) => discretise(c)), 1));
    }
    // The metrics read the same tables for the score and the reference, and stay the same when recomputed.
    const input = { real, synthetic: synth, holdout: hold, schema: real.schema, seed: 1 };
    for (const m of [correlationSimilarity, contingencySimilarity, kMarginal]) expect(await m.compute(input)).toEqual(await m.compute({ ...input }));
    // k-marginal: mean over every pair of 1 − TVD of the binned two-way tables, recomputed directly.
    const aligned = alignTables([real, synth]);
    const d = aligned.map((c) => discretise(c));
    let sum = 0, pairs = 0;
    for (let i = 0; i < d.length; i++) {
      for (let j = i + 1; j < d.length; j++) {
        sum += 1 - contingencyTv(contingency(d[i].codes[0], d[j].codes[0], d[i].size, d[j].size), contingency(d[i].codes[1], d[j].codes[1], d[i].size, d[j].size));
        pairs++;
      }
    }
    expect((await kMarginal.compute(input)).score).toBeCloseTo(sum / pairs, 12);
  });
});
