// Contract suite: every registered metric, run from the registry (a new entry is picked up automatically).
import { beforeAll, describe, expect, it } from 'vitest';
import { METRICS } from '../../src/core/metrics/registry.js';
import type { Metric, MetricInput, MetricResult } from '../../src/core/metrics/metric.js';
import { createRng } from '../../src/core/random.js';
import { CategoricalColumn, NumericColumn } from '../../src/core/table/column.js';
import { Table } from '../../src/core/table/table.js';
import { hasShared, loadShared } from '../helpers/datasets.js';

/**
 * Same schema as `t`, values with nothing in common: numbers far outside the real range, fresh category labels,
 * and 30% of cells missing.
 */
function unrelated(t: Table, seed: number): Table {
  const rng = createRng(seed, 'unrelated');
  const cols = t.schema.columns.map((spec) => {
    const c = t.column(spec.name);
    if (c.storage === 'numeric') {
      const [, hi] = c.extent();
      const v = new Float64Array(t.numRows);
      for (let i = 0; i < v.length; i++) v[i] = rng.next() < 0.3 ? NaN : (Number.isFinite(hi) ? Math.abs(hi) : 0) * 3 + 1000 + Math.floor(rng.next() * 1000);
      return new NumericColumn(v);
    }
    const codes = new Int32Array(t.numRows);
    for (let i = 0; i < codes.length; i++) codes[i] = rng.next() < 0.3 ? -1 : rng.int(3);
    return new CategoricalColumn(codes, ['zz-unrelated-a', 'zz-unrelated-b', 'zz-unrelated-c']);
  });
  return new Table(t.schema, cols);
}

/** Metrics about structure only (an unrelated table with the same schema rightly scores 1). */
const STRUCTURE_ONLY = new Set(['schema-match@1', 'key-uniqueness@1']);

/** Metrics whose definition reaches (near) 0 for data with nothing in common with the real data. */
const ZERO_ON_UNRELATED = new Set(['ks-complement@1', 'tv-complement@1', 'contingency-similarity@1', 'k-marginal@1', 'detection-tree@1', 'pmse@1', 'boundary-adherence@1', 'category-adherence@1', 'category-coverage@1', 'range-coverage@1']);

describe.skipIf(!hasShared)('metric contract (every registered metric, adult subset)', () => {
  let real: Table, holdout: Table, synth: Table;
  const run = async (m: Metric, over: Partial<MetricInput> = {}): Promise<MetricResult> =>
    m.compute({ real, synthetic: synth, holdout, schema: real.schema, seed: 3, target: 'income', ...over });

  beforeAll(async () => {
    const adult = await loadShared('adult');
    const p = createRng(21).permutation(adult.numRows);
    real = adult.take(p.subarray(0, 1200));
    synth = adult.take(p.subarray(1200, 2400));
    holdout = adult.take(p.subarray(2400, 2800));
  });

  it('the registry has unique versioned ids and complete info', () => {
    const ids = METRICS.map((m) => m.info.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of METRICS) {
      expect(m.info.id).toMatch(/^[a-z0-9-]+@\d+$/);
      expect(m.info.description.length).toBeGreaterThan(20);
      expect(m.info.range).toEqual([0, 1]);
    }
  });

  for (const m of METRICS) {
    describe(m.info.id, () => {
      it('returns a well-formed result with a score in [0, 1], and the same seed gives the same result', async () => {
        const a = await run(m), b = await run(m);
        expect(a.metric).toBe(m.info.id);
        expect(['ok', 'skipped']).toContain(a.status);
        if (a.status === 'ok') {
          expect(a.score).toBeGreaterThanOrEqual(0);
          expect(a.score).toBeLessThanOrEqual(1);
          if (a.interval) expect(a.interval[0]).toBeLessThanOrEqual(a.interval[1]);
        }
        expect(JSON.parse(JSON.stringify(b))).toEqual(JSON.parse(JSON.stringify(a)));
      });

      if (m.info.category !== 'privacy') {
        it('scores a table against itself as (nearly) the best', async () => {
          const r = await run(m, { synthetic: real });
          if (r.status === 'skipped') return;
          expect(r.status).toBe('ok');
          if (m.info.bootstrap === 'rows') expect(r.score).toBeCloseTo(1, 10);
          else if (m.info.id.startsWith('detection-')) {
            // A copy of the real rows is the one case a detector must not score as good: the out-of-fold model
            // sees each real row's twin labelled synthetic, so the AUC falls far below 0.5 — a privacy finding.
            expect((r.details as { auc: number }).auc).toBeLessThan(0.4);
            expect(r.warnings.join(' ')).toContain('Privacy finding');
          } else expect(r.score).toBeGreaterThan(0.85);
        });

        it('scores an unrelated table lower than the table itself', async () => {
          const self = await run(m, { synthetic: real });
          const r = await run(m, { synthetic: unrelated(real, 4) });
          if (r.status === 'skipped' || self.status === 'skipped' || STRUCTURE_ONLY.has(m.info.id)) return;
          expect(r.score!).toBeLessThan(self.score!);
          // KS orders missing values first, so the unrelated table's 30% missing overlap the bottom of the real
          // CDF: D = 0.7 exactly, not 1.
          if (m.info.id === 'ks-complement@1') expect(r.score!).toBeCloseTo(0.3, 1);
          else if (ZERO_ON_UNRELATED.has(m.info.id)) expect(r.score!).toBeLessThan(0.05);
        });
      }

      if (m.info.bootstrap === 'rows') {
        it('is invariant to row order', async () => {
          const a = await run(m);
          const b = await run(m, { real: real.take(createRng(5).permutation(real.numRows)), synthetic: synth.take(createRng(6).permutation(synth.numRows)) });
          expect(b.status).toBe(a.status);
          if (a.status !== 'ok') return;
          expect(b.score!).toBeCloseTo(a.score!, 10);
        });
      }
    });
  }
});
