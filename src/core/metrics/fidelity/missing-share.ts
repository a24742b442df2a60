import { alignTables, COMPARED_TYPES } from '../aligned.js';
import type { Metric } from '../metric.js';
import { finiteMean, round6, runGuarded, skippedResult } from '../run-guarded.js';
import { meanOverColumns, weightedColumns } from './weighted-columns.js';

const ID = 'missing-share-similarity@1';

/**
 * Missing-share similarity: mean over compared columns of 1 − |missing share in real − missing share in synthetic|.
 * 1 = every column is missing as often as in the real data; 0 = a column always missing in one and never in the
 * other. Details: per-column shares.
 * @example missingShare.compute({ real, synthetic, schema: real.schema, seed: 1 }).score
 */
export const missingShare: Metric = {
  info: {
    id: ID,
    name: 'Missing-value share',
    category: 'fidelity',
    goal: 'minimize',
    range: [0, 1],
    appliesTo: ['numerical', 'datetime', 'categorical', 'boolean'],
    description: 'Whether columns are empty as often as in the real data: 1 = same share of missing values everywhere.',
    bootstrap: 'rows',
  },
  compute: (input) =>
    runGuarded(ID, () => {
      const cols = alignTables([input.real, input.synthetic]);
      if (!cols.length) return skippedResult(ID, 'No compared column.');
      const rows = cols.map((c) => {
        const [r, s] = c.kind === 'numeric' ? c.values.map(nullShareF) : c.codes.map(nullShareI);
        return { column: c.name, real: round6(r), synthetic: round6(s), score: 1 - Math.abs(r - s) };
      });
      return { metric: ID, status: 'ok', score: finiteMean(rows.map((r) => r.score)), details: { columns: rows.map((r) => ({ ...r, score: round6(r.score) })) }, warnings: [] };
    }),
  // Missing counts of the resample from its weighted histograms (numeric) or category counts (code 0 = missing).
  computeWeighted: (input, w) => {
    const wc = weightedColumns(input.real, input.synthetic);
    return (
      wc &&
      meanOverColumns(wc, w, COMPARED_TYPES, (s) => {
        const [r, m] = s.kind === 'numeric' ? [s.realMissing, s.synthMissing] : [s.realCounts[0], s.synthCounts[0]];
        return 1 - Math.abs(r / s.realRows - m / s.synthRows);
      })
    );
  },
};

function nullShareF(v: Float64Array): number {
  let k = 0;
  for (let i = 0; i < v.length; i++) if (v[i] !== v[i]) k++;
  return v.length ? k / v.length : NaN;
}

function nullShareI(v: Int32Array): number {
  let k = 0;
  for (let i = 0; i < v.length; i++) if (v[i] < 0) k++;
  return v.length ? k / v.length : NaN;
}
