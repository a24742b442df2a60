import { SynthopsError } from '../errors.js';
import type { Table } from '../table/table.js';
import { alignTables } from './aligned.js';
import { boostedDetector } from './detection/detectors.js';
import { twoSampleAuc } from './detection/two-sample.js';
import { columnShapes, type ColumnShape } from './fidelity/column-shapes.js';
import { discretise } from './fidelity/discretise.js';
import { pairTrends, type PairTrend } from './fidelity/pair-trends.js';

/** Options of `scorecard`. */
export interface ScorecardOptions {
  /** Seeds the detector's row sample, folds and trees. Same seed → same scorecard. */
  seed: number;
  /** Cross-validation folds of the detector; default 5. */
  folds?: number;
}

/**
 * The synthesizer benchmark's scorecard (each figure in [0, 1]; NaN when nothing applies):
 * - `shapes`: mean over compared columns of 1 − KS (numerical, datetime) or 1 − TVD (categorical, boolean); higher
 *   is better.
 * - `pairTrendsAll` / `pairTrendsRelated`: mean pair-trend score (1 − |ρ_real − ρ_synth|/2 for numeric pairs,
 *   1 − TVD of the binned two-way table otherwise) over all pairs / over the strongly related ones (real
 *   |Pearson| > 0.5, Cramér's V > 0.3); higher is better. The related figure is the one that counts.
 * - `detectionAuc`: out-of-fold ROC AUC of a gradient-boosted tree classifier (60 rounds, depth ≤ 6, learning rate 0.15) telling real from synthetic rows (equal
 *   numbers, k-fold). 0.5 is best (indistinguishable); 1 = always told apart; well below 0.5 means synthetic rows
 *   sit on top of real ones. Lower-is-better around 0.5 — not a score.
 * - `details`: per-column shapes, per-pair trends and the detector used. No row values.
 */
export interface Scorecard {
  shapes: number;
  pairTrendsAll: number;
  pairTrendsRelated: number;
  detectionAuc: number;
  details: {
    columns: ColumnShape[];
    pairs: PairTrend[];
    relatedPairs: number;
    detector: { kind: string; folds: number; rowsPerSide: number };
  };
}

/**
 * Scores `synthetic` against `real` on the synthesizer issue's scorecard (see Scorecard). Id and free-text
 * columns are left out. O(columns² · rows) for pairs plus the detector's cross-validated fits.
 * @example const s = scorecard(adultTrain, synth, { seed: 1 }); s.pairTrendsRelated // e.g. 0.9
 */
export function scorecard(real: Table, synthetic: Table, opts: ScorecardOptions): Scorecard {
  if (!Number.isFinite(opts.seed)) throw new SynthopsError('invalid_argument', `invalid seed: ${String(opts.seed)}. Pass a finite number.`);
  const cols = alignTables([real, synthetic]);
  const shapes = columnShapes(cols, 1);
  const pairs = pairTrends(cols, cols.map((c) => discretise(c)), 1);
  const related = pairs.filter((p) => p.related);
  const det = twoSampleAuc(cols, 1, boostedDetector(), { seed: opts.seed, folds: opts.folds ?? 5 });
  return {
    shapes: mean(shapes.map((s) => s.score)),
    pairTrendsAll: mean(pairs.map((p) => p.score)),
    pairTrendsRelated: mean(related.map((p) => p.score)),
    detectionAuc: det.auc,
    details: { columns: shapes, pairs, relatedPairs: related.length, detector: { kind: 'gradient-boosting', folds: det.folds, rowsPerSide: det.rowsPerSide } },
  };
}

function mean(v: number[]): number {
  let s = 0, k = 0;
  for (const x of v) {
    if (x === x) {
      s += x;
      k++;
    }
  }
  return k ? s / k : NaN;
}
