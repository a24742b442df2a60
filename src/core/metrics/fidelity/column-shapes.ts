import type { AlignedColumn } from '../aligned.js';
import { ksAgainst, ksStatistic, type KsReference } from './ks.js';
import { tvDistance } from './tv.js';

/** How well one column's distribution is kept. */
export interface ColumnShape {
  column: string;
  /** 'ks' for numerical and datetime columns, 'tv' for categorical and boolean ones. */
  method: 'ks' | 'tv';
  /** The raw distance (KS statistic or total variation distance); 0 = same distribution. */
  distance: number;
  /** 1 − distance. */
  score: number;
}

/**
 * Column shapes between table 0 (real) and table `other`: 1 − KS statistic for numeric columns, 1 − TVD for
 * categorical ones, missing values kept in both (see ksStatistic, tvDistance). O(rows · log rows) per column.
 * `realReference` may supply the real column prepared once (ksReference of `values[0]`, e.g. cached for the score
 * and its holdout reference): the other table's values are then counted against it without a sort (ksAgainst), with
 * the same result.
 * @example columnShapes(alignTables([real, synth]), 1).map((s) => s.score)
 */
export function columnShapes(cols: readonly AlignedColumn[], other = 1, realReference?: (column: AlignedColumn & { kind: 'numeric' }) => KsReference): ColumnShape[] {
  return cols.map((c) => {
    const distance = c.kind === 'numeric'
      ? (realReference ? ksAgainst(realReference(c), c.values[other]) : ksStatistic(c.values[0], c.values[other]))
      : tvDistance(c.codes[0], c.codes[other], c.levels);
    return { column: c.name, method: c.kind === 'numeric' ? 'ks' : 'tv', distance, score: 1 - distance };
  });
}
