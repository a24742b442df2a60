import { createRng } from '../../random.js';
import type { Metric, MetricInput, MetricResult } from '../metric.js';
import { guarded, skipped } from './guard.js';
import { privacyContext } from './privacy-context.js';
import { RowHashIndex, type KeyColumn } from './row-hash.js';
import { meanBootstrapInterval, round, weightedMean } from './stats.js';

const ID = 'identical-match@1';

/**
 * Identical-match share: the share of synthetic rows that are exact copies of some training row (every column
 * except identifiers equal; missing equals missing), found by hashing the full training data in O(n).
 *
 * - `score` = 1 − share (1 = no synthetic row copies a training row; 0 = every row is a copy). Higher is better.
 * - `reference` = 1 − the same share for the holdout: real rows that happen to equal a training row (duplicates
 *   occur in real data). The default policy requires share ≤ holdout share, i.e. score ≥ reference.
 * - `interval`: bootstrap over all synthetic rows (200 resamples of n rows, seeded by `input.seed`; drawn as exact
 *   binomial counts of copies, see meanBootstrapInterval).
 * - `details`: `identicalShare`, `holdoutShare`, `identicalRows`, `distinctTrainingRowsCopied` (distinct training
 *   rows reproduced), `trainingRows`, `syntheticRows`, `holdoutRows`. Counts only, never row values.
 *
 * @example
 * const r = identicalMatch.compute({ real: train, synthetic, holdout, schema, seed: 1 });
 * r.details.identicalShare; // e.g. 0.0004
 */
export const identicalMatch: Metric = {
  info: {
    id: ID,
    name: 'Identical matches',
    category: 'privacy',
    goal: 'minimize',
    range: [0, 1],
    appliesTo: [],
    description:
      'Share of synthetic rows that exactly copy a training row; the score is 1 minus that share (1 = no copies). ' +
      'Compare with the reference: the share of real holdout rows that equal a training row.',
  },
  compute: (input: MetricInput): MetricResult =>
    guarded(ID, () => (input.synthetic.numRows === 0 ? skipped(ID, 'Identical matches need synthetic rows.') : identicalMatchResult(input))),
};

/** Per row of `keys`: 1 when it equals an indexed row; the distinct indexed groups hit and the indexed rows in them. */
function matches(index: RowHashIndex, keys: KeyColumn[], n: number): { hit: Float64Array; groupsHit: number; rowsInGroupsHit: number } {
  const hit = new Float64Array(n);
  const seen = new Uint8Array(index.numGroups);
  let groupsHit = 0, rowsInGroupsHit = 0;
  for (let i = 0; i < n; i++) {
    const g = index.lookup(keys, i);
    if (g >= 0) {
      hit[i] = 1;
      if (!seen[g]) { seen[g] = 1; groupsHit++; rowsInGroupsHit += index.count[g]; }
    }
  }
  return { hit, groupsHit, rowsInGroupsHit };
}

function identicalMatchResult(input: MetricInput): MetricResult {
  const ctx = privacyContext(input.real, input.synthetic, input.holdout);
  const index = ctx.trainRowIndex();
  const syn = matches(index, ctx.keys('synth'), ctx.synth.numRows);
  // Training rows copied: every row of each reproduced group.
  const copiedRows = syn.rowsInGroupsHit;
  const share = weightedMean(syn.hit);
  const warnings: string[] = [];
  let holdoutShare: number | null = null;
  if (ctx.hold) holdoutShare = weightedMean(matches(index, ctx.keys('hold'), ctx.hold.numRows).hit);
  else warnings.push('No holdout given: no "as good as real" reference for identical matches.');
  const interval = meanBootstrapInterval(syn.hit, createRng(input.seed, ID), (m) => 1 - m);
  return {
    metric: ID,
    status: 'ok',
    score: 1 - share,
    ...(holdoutShare !== null ? { reference: 1 - holdoutShare } : {}),
    ...(interval ? { interval } : {}),
    details: {
      identicalShare: round(share),
      holdoutShare: holdoutShare === null ? null : round(holdoutShare),
      identicalRows: Math.round(share * syn.hit.length),
      distinctTrainingRowsCopied: syn.groupsHit,
      trainingRowsCopied: copiedRows,
      trainingRows: ctx.train.numRows,
      syntheticRows: ctx.synth.numRows,
      holdoutRows: ctx.hold ? ctx.hold.numRows : null,
    },
    warnings,
  };
}
