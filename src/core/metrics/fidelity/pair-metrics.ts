import type { Metric, MetricInput, MetricResult } from '../metric.js';
import { finiteMean, round6, runGuarded, skippedResult } from '../run-guarded.js';
import { contingencyTvEmbedded, pairTables } from './pair-tables.js';
import { pairTrendsOfTables, type PairTrend } from './pair-trends.js';
import { weightedPairTables, weightedPairTrends } from './pair-weighted.js';

/** Pair trends of one input, computed once and shared by the pair metrics of a report (keyed by the synthetic table). */
const cache = new WeakMap<object, WeakMap<object, PairTrend[]>>();

/**
 * The pair trends (every column pair, real vs synthetic) of one input, computed once per (real, synthetic) and shared
 * by the pair metrics and the report's pair chart.
 * @example pairTrendsOf({ real, synthetic, schema: real.schema, seed: 1 }).filter((p) => p.related)
 */
export function pairTrendsOf(input: Pick<MetricInput, 'real' | 'synthetic'>): PairTrend[] {
  return trendsOf(input);
}

function trendsOf(input: Pick<MetricInput, 'real' | 'synthetic'>): PairTrend[] {
  let inner = cache.get(input.real);
  if (!inner) cache.set(input.real, (inner = new WeakMap()));
  let t = inner.get(input.synthetic);
  if (!t) {
    t = pairTrendsOfTables(pairTables(input.real, input.synthetic));
    inner.set(input.synthetic, t);
  }
  return t;
}

function pairDetails(pairs: PairTrend[]) {
  return pairs.map((p) => ({ a: p.a, b: p.b, method: p.method, realStrength: round6(p.realStrength), score: round6(p.score), related: p.related }));
}

function pairMetric(id: string, name: string, description: string, pick: (p: PairTrend) => boolean, empty: string): Metric {
  return {
    info: { id, name, category: 'fidelity', goal: 'minimize', range: [0, 1], appliesTo: ['numerical', 'datetime', 'categorical', 'boolean'], description, bootstrap: 'rows' },
    compute: (input): MetricResult =>
      runGuarded(id, () => {
        const pairs = trendsOf(input).filter(pick);
        if (!pairs.length) return skippedResult(id, empty);
        return { metric: id, status: 'ok', score: finiteMean(pairs.map((p) => p.score)), details: { pairs: pairDetails(pairs) }, warnings: [] };
      }),
    // The resample's pair trends from weighted pair counts and moments (weightedPairTrends), shared by the pair metrics.
    computeWeighted: (input, w) => {
      const trends = weightedPairTrends(input.real, input.synthetic, w);
      if (!trends) return null;
      const pairs = trends.filter(pick);
      return pairs.length ? finiteMean(pairs.map((p) => p.score)) : NaN;
    },
  };
}

/**
 * Correlation similarity: mean over numeric column pairs of 1 − |ρ_real − ρ_synthetic| / 2 (Pearson, rows where
 * both are present). 1 = every correlation kept; 0 = every correlation reversed from +1 to −1.
 * @example correlationSimilarity.compute({ real, synthetic, schema: real.schema, seed: 1 }).score
 */
export const correlationSimilarity = pairMetric(
  'correlation-similarity@1',
  'Correlation similarity',
  'Whether numeric columns move together as in the real data: 1 = every correlation kept.',
  (p) => p.method === 'correlation',
  'Fewer than two numeric columns with a defined correlation.',
);

/**
 * Contingency similarity: mean over the other column pairs (at least one categorical) of 1 − total variation
 * distance between the real and synthetic two-way tables, numbers binned on the real data's decile edges and
 * missing values a level of their own. 1 = identical joint shares, 0 = disjoint.
 * @example contingencySimilarity.compute({ real, synthetic, schema: real.schema, seed: 1 }).score
 */
export const contingencySimilarity = pairMetric(
  'contingency-similarity@1',
  'Contingency similarity',
  'Whether combinations of categories (and binned numbers) occur as often as in the real data: 1 = same shares.',
  (p) => p.method === 'contingency',
  'No column pair with a categorical column.',
);

/**
 * Related pair trends: the pair-trend score (correlation or contingency similarity) averaged over the strongly
 * related real pairs only (|Pearson| > 0.5, Cramér's V > 0.3). The all-pairs mean hides broken relationships
 * (independent columns score ≈ 0.93); this one does not. 1 = every strong relationship kept.
 * @example relatedPairTrends.compute({ real, synthetic, schema: real.schema, seed: 1 }).score
 */
export const relatedPairTrends = pairMetric(
  'related-pair-trends@1',
  'Pair trends of strongly related columns',
  'Whether the strong relationships between columns in the real data survive: 1 = all kept, lower = relationships lost.',
  (p) => p.related,
  'No strongly related column pair in the real data.',
);

const KM = 'k-marginal@1';

/**
 * 2-way marginal score in the style of NIST's k-marginal (k = 2): every column pair, numbers binned on the real
 * data's decile edges and missing as a level, score = mean over pairs of 1 − TVD of the two-way shares (NIST
 * reports 1000 × this). 1 = every 2-way marginal identical.
 * @example kMarginal.compute({ real, synthetic, schema: real.schema, seed: 1 }).score
 */
export const kMarginal: Metric = {
  info: {
    id: KM,
    name: '2-way marginals (k-marginal)',
    category: 'fidelity',
    goal: 'minimize',
    range: [0, 1],
    appliesTo: ['numerical', 'datetime', 'categorical', 'boolean'],
    description: 'How well every two-column combination (numbers in ten bins) matches the real data: 1 = identical.',
    bootstrap: 'rows',
  },
  compute: (input) =>
    runGuarded(KM, () => {
      // Shares the pair metrics' tables (real counts once per real table; every pair counted in one blocked pass).
      const t = pairTables(input.real, input.synthetic);
      if (t.cols.length < 2) return skippedResult(KM, 'Fewer than two compared columns.');
      const d = t.disc;
      const scores: number[] = [];
      let worst = { a: '', b: '', score: Infinity };
      let k = 0;
      for (let i = 0; i < d.length; i++) {
        for (let j = i + 1; j < d.length; j++, k++) {
          const tv = contingencyTvEmbedded(t.real[k], t.realSizes[i], t.realSizes[j], t.other[k], d[i].size, d[j].size);
          const s = 1 - tv;
          scores.push(s);
          if (s < worst.score) worst = { a: d[i].name, b: d[j].name, score: s };
        }
      }
      return { metric: KM, status: 'ok', score: finiteMean(scores), details: { pairs: scores.length, worstPair: { ...worst, score: round6(worst.score) } }, warnings: [] };
    }),
  // The resample's two-way counts from the shared weighted pair tables.
  computeWeighted: (input, w) => {
    const t = weightedPairTables(input.real, input.synthetic, w);
    if (!t) return null;
    if (t.cols.length < 2) return NaN;
    const d = t.disc, scores: number[] = [];
    for (let i = 0, k = 0; i < d.length; i++) {
      for (let j = i + 1; j < d.length; j++, k++) scores.push(1 - contingencyTvEmbedded(t.real[k], t.realSizes[i], t.realSizes[j], t.other[k], d[i].size, d[j].size));
    }
    return finiteMean(scores);
  },
};
