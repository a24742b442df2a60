import { createRng } from '../../random.js';
import type { KnnResult } from '../../neighbors/mixed-tree.js';
import type { Metric, MetricInput, MetricResult } from '../metric.js';
import { guarded, skipped } from './guard.js';
import { privacyContext } from './privacy-context.js';
import { meanBootstrapInterval, round, summarize, weightedMean } from './stats.js';

const ID = 'nndr@1';

/** d1 / d2 per query row of a k = 2 search; 0 / 0 counts as 1 (the row equals several training rows alike). */
export function nndrRatios(nn: KnnResult): Float64Array {
  const out = new Float64Array(nn.numQueries);
  for (let i = 0; i < out.length; i++) {
    const d1 = nn.distances[2 * i], d2 = nn.distances[2 * i + 1];
    out[i] = d2 > 0 ? d1 / d2 : 1;
  }
  return out;
}

/**
 * Nearest-neighbour distance ratio (NNDR): for each synthetic row, the Gower distance to its closest training row
 * divided by the distance to the second closest (exact, full training data). A ratio near 0 means the row sits much
 * closer to one particular training record than to any other — a sign that record is singled out; near 1 means it
 * lies among several real records alike.
 *
 * - `score` = mean ratio over synthetic rows (1 = never closer to one record than to others; 0 = always on one record).
 * - `reference` = the mean ratio of real holdout rows against the training data (what unseen real data gives).
 * - `interval`: bootstrap over all synthetic (query) rows (200 resamples of n rows).
 * - `details`: `meanNndr`, `holdoutMeanNndr`, summaries (`synthetic`, `holdout`: mean, p5, median, p95),
 *   `lowNndrShare` / `holdoutLowNndrShare` (ratio < 0.5).
 *
 * @example nndr.compute({ real: train, synthetic, holdout, schema, seed: 1 }).score // ≈ reference for a good generator
 */
export const nndr: Metric = {
  info: {
    id: ID,
    name: 'Nearest-neighbour distance ratio',
    category: 'privacy',
    goal: 'maximize',
    range: [0, 1],
    appliesTo: [],
    description:
      'Mean ratio of the distance to the closest training row over the distance to the second closest. ' +
      '1 = synthetic rows never single out one real record; 0 = each sits on one record. Compare with the holdout reference.',
  },
  compute: (input: MetricInput): MetricResult =>
    guarded(ID, () => {
      if (input.real.numRows < 2) return skipped(ID, 'NNDR needs at least 2 training rows.');
      if (input.synthetic.numRows === 0) return skipped(ID, 'NNDR needs synthetic rows.');
      const ctx = privacyContext(input.real, input.synthetic, input.holdout);
      const s = nndrRatios(ctx.synthToTrain(input.signal));
      const h = ctx.hold && ctx.hold.numRows > 0 ? nndrRatios(ctx.holdToTrain(input.signal)) : null;
      const low = (v: Float64Array) => weightedMean(Array.from(v, (x) => (x < 0.5 ? 1 : 0)));
      const interval = meanBootstrapInterval(s, createRng(input.seed, ID));
      const mean = weightedMean(s);
      const approx = ctx.approximation();
      return {
        metric: ID,
        status: 'ok',
        score: mean,
        ...(h ? { reference: weightedMean(h) } : {}),
        ...(interval ? { interval } : {}),
        details: {
          meanNndr: round(mean),
          holdoutMeanNndr: h ? round(weightedMean(h)) : null,
          synthetic: summarize(s),
          holdout: h ? summarize(h) : null,
          lowNndrShare: round(low(s)),
          holdoutLowNndrShare: h ? round(low(h)) : null,
          ...(approx ? { approximation: approx.sampledRows } : {}),
        },
        warnings: [...(h ? [] : ['No holdout given: no "as good as real" reference for NNDR.']), ...(approx ? [approx.note] : [])],
      };
    }),
};
