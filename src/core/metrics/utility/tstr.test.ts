import { describe, expect, it } from 'vitest';
import { createRng } from '../../random.js';
import { CategoricalColumn, NumericColumn } from '../../table/column.js';
import { Table } from '../../table/table.js';
import { UTILITY_MAX_TRAIN_ROWS, utilityTstr } from './tstr.js';

/** x ~ N(0, 1), y = 1 when x + noise > 0: a learnable binary target. */
function table(n: number, seed: number): Table {
  const r = createRng(seed);
  const x = new Float64Array(n), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = r.normal();
    y[i] = x[i] + 0.5 * r.normal() > 0 ? 1 : 0;
  }
  return new Table(
    { specVersion: 1, columns: [{ name: 'x', type: 'numerical', nullable: false }, { name: 'y', type: 'categorical', nullable: false }] },
    [new NumericColumn(x, null), new CategoricalColumn(y, ['no', 'yes'])],
  );
}

describe('utilityTstr', () => {
  it('above UTILITY_MAX_TRAIN_ROWS trains on every row (stochastic boosting, stated) and scores every holdout row', () => {
    const n = UTILITY_MAX_TRAIN_ROWS + 500;
    const input = { real: table(n, 1), synthetic: table(n, 2), holdout: table(800, 3), seed: 4, target: 'y' };
    const r = utilityTstr.compute({ ...input, schema: input.real.schema }) as import('../metric.js').MetricResult;
    expect(r.status).toBe('ok');
    expect(r.score).toBeGreaterThan(0.95); // same generator on both sides
    const d = r.details as Record<string, unknown>;
    expect(d.trainingRows).toEqual({ real: n, synthetic: n, boostingRowsPerTree: UTILITY_MAX_TRAIN_ROWS });
    expect(d.holdoutRows).toBe(800);
    expect(r.warnings.some((w) => w.startsWith('Stochastic boosting:'))).toBe(true);
    // Deterministic in the seed.
    const again = utilityTstr.compute({ ...input, real: input.real.slice(0), schema: input.real.schema }) as import('../metric.js').MetricResult;
    expect(again.score).toBe(r.score);
    expect(again.details).toEqual(r.details);
  });

  it('below it uses every row and states nothing', () => {
    const input = { real: table(600, 1), synthetic: table(600, 2), holdout: table(300, 3), seed: 4, target: 'y' };
    const r = utilityTstr.compute({ ...input, schema: input.real.schema }) as import('../metric.js').MetricResult;
    expect(r.status).toBe('ok');
    expect((r.details as Record<string, unknown>).trainingRows).toBeUndefined();
    expect(r.warnings).toEqual([]);
  });
});
