import { alignTables } from '../aligned.js';
import type { Metric } from '../metric.js';
import { finiteMean, round6, runGuarded, skippedResult } from '../run-guarded.js';
import type { Table } from '../../table/table.js';
import { columnShapes } from './column-shapes.js';
import { ksReference, type KsReference } from './ks.js';
import { meanOverColumns, weightedColumns } from './weighted-columns.js';

const ID = 'ks-complement@1';

/**
 * Real columns prepared for KS (ksReference: sorted once, distinct values and counts) by real table and column: the
 * report compares one real (training) table with the synthetic table and with the holdout, so each real column is
 * sorted once, and the other tables' columns are counted against it without sorting (on the 1M × 20 report, 36 sorts
 * of 12 columns become 12). Tables are immutable, so caching by identity is safe; an entry lives as long as its table
 * (12 bytes per distinct real value).
 */
const realReferences = new WeakMap<Table, Map<string, KsReference>>();

function referenceOf(real: Table, name: string, values: Float64Array): KsReference {
  let byName = realReferences.get(real);
  if (!byName) realReferences.set(real, (byName = new Map()));
  let s = byName.get(name);
  if (!s) byName.set(name, (s = ksReference(values)));
  return s;
}

/**
 * KS complement: mean over numerical and datetime columns of 1 − the two-sample Kolmogorov–Smirnov statistic
 * between real and synthetic values, missing values ordered first (so a changed null share lowers it).
 * 1 = identical distributions, 0 = no overlap. Details: per-column `distance` and `score`.
 * @example ksComplement.compute({ real, synthetic, schema: real.schema, seed: 1 }).score
 */
export const ksComplement: Metric = {
  info: {
    id: ID,
    name: 'Column shapes (KS complement)',
    category: 'fidelity',
    goal: 'minimize',
    range: [0, 1],
    appliesTo: ['numerical', 'datetime'],
    description: 'How closely each numeric or date column follows the real distribution: 1 = identical, 0 = no overlap at all.',
    bootstrap: 'rows',
  },
  compute: (input) =>
    runGuarded(ID, () => {
      const cols = alignTables([input.real, input.synthetic], ['numerical', 'datetime']);
      if (!cols.length) return skippedResult(ID, 'No numerical or datetime column.');
      const real = input.real;
      const shapes = columnShapes(cols, 1, (c) => referenceOf(real, c.name, c.values[0]));
      return {
        metric: ID,
        status: 'ok',
        score: finiteMean(shapes.map((s) => s.score)),
        details: { columns: shapes.map((s) => ({ column: s.column, statistic: round6(s.distance), score: round6(s.score) })) },
        warnings: [],
      };
    }),
  // The KS statistic of each column from the resample's weighted histograms on the real ∪ synthetic value grid.
  computeWeighted: (input, w) => {
    const wc = weightedColumns(input.real, input.synthetic);
    return wc && meanOverColumns(wc, w, ['numerical', 'datetime'], (s) => 1 - s.distance);
  },
};
