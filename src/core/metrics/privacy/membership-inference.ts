import { createRng } from '../../random.js';
import { MixedTree } from '../../neighbors/mixed-tree.js';
import type { EncodedRows, MixedSpace } from '../../neighbors/mixed-space.js';
import type { Metric, MetricInput, MetricResult } from '../metric.js';
import { guarded, skipped } from './guard.js';
import { privacyContext } from './privacy-context.js';
import { ascendingOrder, auc, bootstrapInterval, round } from './stats.js';

const ID = 'membership-inference@1';

/** The default policy's gate on the attack AUC. */
export const MIA_AUC_GATE = 0.6;

/** Added to distances in the density ratio so exact matches (distance 0) stay finite. */
const EPS = 1e-6;

/** Score of an attack AUC: 1 at ≤ 0.5 (no better than a coin), 0 at 1 (perfect attack). */
export function miaScore(aucValue: number): number {
  return 1 - 2 * Math.max(0, aucValue - 0.5);
}

/**
 * Membership-inference attack. The attacker holds the synthetic data and a candidate real row and guesses whether the
 * row was in the training data. Candidates: every training row (members) and every holdout row (non-members), no
 * subsampling. Two attacks, each scored by its ROC AUC of members against non-members (0.5 = no leakage):
 * - distance: the closer a candidate's nearest synthetic row (Gower), the likelier a member;
 * - density: the ratio of nearest-neighbour distances d_real(x) / d_synth(x), a 1-NN density ratio of synthetic
 *   against real reference data (the holdout, leaving the candidate itself out): high where synthetic data are
 *   denser around x than real data are. The unknown dimension only rescales the log-ratio, so AUC is unaffected.
 *
 * - `score` = 1 − 2·max(0, AUC − 0.5) for the stronger attack (1 = no attack beats a coin).
 * - `reference`: the distance attack when real data are released instead: half of the holdout (seeded split) plays
 *   the synthetic data, training rows are candidates against the other half; AUC ≈ 0.5 up to noise.
 * - `interval`: bootstrap over all candidates (200 resamples of n rows) of the stronger attack's score.
 * - `details`: `auc` (the stronger), `distanceAuc`, `densityAuc`, `referenceAuc`, `gate` (0.6) and `passed`,
 *   `members`, `nonMembers`.
 *
 * @example membershipInference.compute({ real: train, synthetic, holdout, schema, seed: 1 }).details.auc // ≈ 0.5
 */
export const membershipInference: Metric = {
  info: {
    id: ID,
    name: 'Membership inference',
    category: 'privacy',
    goal: 'minimize',
    range: [0, 1],
    appliesTo: [],
    description:
      'How well an attacker holding the synthetic data tells training rows from unseen real rows (ROC AUC; 0.5 = a coin). ' +
      'Score 1 = no better than a coin; 0 = perfect attack.',
  },
  compute: (input: MetricInput): MetricResult =>
    guarded(ID, () => {
      if (!input.holdout || input.holdout.numRows < 4) return skipped(ID, 'Membership inference needs a holdout of at least 4 real rows the synthesizer never saw.');
      if (input.real.numRows === 0 || input.synthetic.numRows === 0) return skipped(ID, 'Membership inference needs training and synthetic rows.');
      const ctx = privacyContext(input.real, input.synthetic, input.holdout);
      const ts = ctx.trainToSynth(input.signal), hs = ctx.holdToSynth(input.signal);
      const th = ctx.trainToHold(input.signal), hh = ctx.holdToHold(input.signal);
      // Candidates: every training / holdout row, or the context's seeded sample of them (see approximation()).
      const nT = ts.numQueries, nH = hs.numQueries, n = nT + nH;
      const approx = ctx.approximation();
      const label = new Uint8Array(n);
      label.fill(1, 0, nT);
      const dist = new Float64Array(n), dens = new Float64Array(n);
      for (let i = 0; i < nT; i++) {
        dist[i] = -ts.distances[i];
        dens[i] = Math.log((th.distances[i] + EPS) / (ts.distances[i] + EPS));
      }
      for (let i = 0; i < nH; i++) {
        dist[nT + i] = -hs.distances[i];
        dens[nT + i] = Math.log((hh.distances[i] + EPS) / (hs.distances[i] + EPS));
      }
      const oDist = ascendingOrder(dist), oDens = ascendingOrder(dens);
      const aDist = auc(dist, label, oDist), aDens = auc(dens, label, oDens);
      const best = Math.max(aDist, aDens);
      const interval = bootstrapInterval(n, createRng(input.seed, ID), (w) => miaScore(Math.max(auc(dist, label, oDist, w), auc(dens, label, oDens, w))), undefined, Infinity);
      const refAuc = referenceAuc(ctx.space, ctx.queries('train'), ctx.hold!, input.seed, ctx.querySample('hold') ? ctx.queries('hold').numRows : Infinity, input.signal);
      return {
        metric: ID,
        status: 'ok',
        score: miaScore(best),
        reference: miaScore(refAuc),
        ...(interval ? { interval } : {}),
        details: {
          auc: round(best),
          distanceAuc: round(aDist),
          densityAuc: round(aDens),
          referenceAuc: round(refAuc),
          gate: MIA_AUC_GATE,
          passed: best <= MIA_AUC_GATE,
          members: nT,
          nonMembers: nH,
          ...(approx ? { approximation: approx.sampledRows, aucBound95: round(Math.sqrt(Math.log(2 / 0.05) / (2 * Math.min(nT, nH)))) } : {}),
        },
        warnings: approx ? [`${approx.note} The AUC over sampled candidates is within ±${round(Math.sqrt(Math.log(2 / 0.05) / (2 * Math.min(nT, nH))))} of the full-data AUC with 95% probability (Hoeffding bound for two-sample U-statistics).`] : [],
      };
    }),
};

/** Distance attack with half the holdout released as if it were synthetic data. */
function referenceAuc(space: MixedSpace, train: EncodedRows, hold: EncodedRows, seed: number, maxOutside: number, signal?: AbortSignal): number {
  const perm = createRng(seed, ID, 'reference-split').permutation(hold.numRows);
  const half = hold.numRows >> 1;
  const pick = (idx: Int32Array): EncodedRows => ({
    numRows: idx.length,
    num: hold.num.map((c) => Float64Array.from(idx, (i) => c[i])),
    cat: hold.cat.map((c) => Int32Array.from(idx, (i) => c[i])),
  });
  const released = pick(perm.subarray(0, half)), outside = pick(perm.subarray(half, Math.min(hold.numRows, half + maxOutside)));
  const tree = MixedTree.build(space, released);
  const a = tree.knn(train, signal ? { signal } : {}), b = tree.knn(outside, signal ? { signal } : {});
  const n = train.numRows + outside.numRows;
  const score = new Float64Array(n), label = new Uint8Array(n);
  label.fill(1, 0, train.numRows);
  for (let i = 0; i < train.numRows; i++) score[i] = -a.distances[i];
  for (let i = 0; i < outside.numRows; i++) score[train.numRows + i] = -b.distances[i];
  return auc(score, label, ascendingOrder(score));
}
