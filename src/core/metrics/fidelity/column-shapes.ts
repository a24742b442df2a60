import type { AlignedColumn } from '../aligned.js';
import { ksSorted, sortedPresent, type SortedSample } from './ks.js';
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
 * `realSorted` may supply the real column's sorted values (sortedPresent of `values[0]`), e.g. from a cache shared by
 * the score and its holdout reference; the result is the same.
 * @example columnShapes(alignTables([real, synth]), 1).map((s) => s.score)
 */
export function columnShapes(cols: readonly AlignedColumn[], other = 1, realSorted?: (column: AlignedColumn & { kind: 'numeric' }) => SortedSample): ColumnShape[] {
  return cols.map((c) => {
    const distance = c.kind === 'numeric'
      ? (c.values[0].length === 0 || c.values[other].length === 0 ? NaN : ksSorted(realSorted ? realSorted(c) : sortedPresent(c.values[0]), sortedPresent(c.values[other])))
      : tvDistance(c.codes[0], c.codes[other], c.levels);
    return { column: c.name, method: c.kind === 'numeric' ? 'ks' : 'tv', distance, score: 1 - distance };
  });
}
