import { alignTables } from '../aligned.js';
import type { Metric } from '../metric.js';
import { finiteMean, round6, runGuarded, skippedResult } from '../run-guarded.js';
import { columnShapes } from './column-shapes.js';
import { meanOverColumns, weightedColumns } from './weighted-columns.js';

const ID = 'tv-complement@1';

/**
 * TV complement: mean over categorical and boolean columns of 1 − the total variation distance
 * between real and synthetic category shares, missing counted as a category (so a changed null share lowers it).
 * 1 = identical distributions, 0 = no overlap. Details: per-column `distance` and `score`.
 * @example tvComplement.compute({ real, synthetic, schema: real.schema, seed: 1 }).score
 */
export const tvComplement: Metric = {
  info: {
    id: ID,
    name: 'Column shapes (TV complement)',
    category: 'fidelity',
    goal: 'minimize',
    range: [0, 1],
    appliesTo: ['categorical', 'boolean'],
    description: 'How closely the category shares of each categorical column match the real ones: 1 = identical, 0 = no overlap at all.',
    bootstrap: 'rows',
  },
  compute: (input) =>
    runGuarded(ID, () => {
      const cols = alignTables([input.real, input.synthetic], ['categorical', 'boolean']);
      if (!cols.length) return skippedResult(ID, 'No categorical or boolean column.');
      const shapes = columnShapes(cols, 1);
      return {
        metric: ID,
        status: 'ok',
        score: finiteMean(shapes.map((s) => s.score)),
        details: { columns: shapes.map((s) => ({ column: s.column, statistic: round6(s.distance), score: round6(s.score) })) },
        warnings: [],
      };
    }),
  // The TV distance of each column from the resample's weighted category counts.
  computeWeighted: (input, w) => {
    const wc = weightedColumns(input.real, input.synthetic);
    return wc && meanOverColumns(wc, w, ['categorical', 'boolean'], (s) => 1 - s.distance);
  },
};
