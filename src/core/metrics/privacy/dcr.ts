import { createRng } from '../../random.js';
import type { Metric, MetricInput, MetricResult } from '../metric.js';
import { guarded, skipped } from './guard.js';
import { privacyContext } from './privacy-context.js';
import { histogram, meanBootstrapInterval, quantile, round, summarize, weightedMean } from './stats.js';

const ID = 'dcr@1';

/** The default policy's gate on the DCR share (the report's check reads `details.dcrShare`). */
export const DCR_SHARE_GATE = 0.55;

/**
 * Maps the raw share s of rows closer to training than to holdout, with unequal set sizes, to the share expected
 * with equal sizes. Under "no leakage" a row's nearest real neighbour is a training row with probability
 * nTrain / (nTrain + nHold); an attraction factor θ towards training gives odds θ·nTrain/nHold, so
 * θ = s·nHold / ((1 − s)·nTrain) and the equal-size share is θ / (1 + θ) = s·nHold / (s·nHold + (1 − s)·nTrain).
 * 0.5 means no attraction; 1 means every row sits on training data.
 * @example sizeCorrectedShare(0.8, 4, 1) // 0.5
 */
export function sizeCorrectedShare(s: number, nTrain: number, nHold: number): number {
  const a = s * nHold, b = (1 - s) * nTrain;
  return a + b > 0 ? a / (a + b) : 0.5;
}

/** Score of a DCR share: 1 at ≤ 0.5, falling linearly to 0 at 1. */
export function dcrScore(share: number): number {
  return 1 - 2 * Math.max(0, share - 0.5);
}

/**
 * Distance to closest record (DCR) and the DCR share.
 *
 * For each synthetic row: d_train = Gower distance to the closest training row, d_hold = to the closest holdout row,
 * both exact over the full real tables. The raw share counts rows with d_train < d_hold (ties count half). Because
 * the training set is usually larger than the holdout (so closer by chance), the share is corrected for the sizes by
 * the odds formula of {@link sizeCorrectedShare} — no subsampling. `dcrShare` ≈ 0.5 for data as new as a holdout,
 * 1 for a copy of the training data.
 *
 * - `score` = 1 − 2·max(0, dcrShare − 0.5): 1 = no closer to training than to unseen real data, 0 = on top of it.
 * - `reference`: the same for the holdout rows themselves (d_hold leave-one-out, sizes nTrain and nHold − 1).
 * - `interval`: bootstrap over all synthetic (query) rows (200 resamples of n rows, as exact multinomial counts of
 *   closer / tied / farther rows).
 * - `details`: `dcrShare`, `dcrShareRaw`, `holdoutDcrShare`, `gate` (0.55) and `passed`, distance summaries
 *   (`syntheticDcr`, `holdoutDcr`: mean, p5, median, p95), `zeroDcrShare`, and `histogram` (`edges`, `synthetic`,
 *   `holdout` counts of d_train) for the report's chart. Distances only, never row values.
 *
 * @example
 * dcr.compute({ real: train, synthetic: train, holdout, schema, seed: 1 }).details.dcrShare; // 1 for a copy
 */
export const dcr: Metric = {
  info: {
    id: ID,
    name: 'Distance to closest record',
    category: 'privacy',
    goal: 'minimize',
    range: [0, 1],
    appliesTo: [],
    description:
      'Share of synthetic rows closer to a training row than to any unseen real (holdout) row, corrected for the set sizes: ' +
      '0.5 is ideal (as new as real data), 1 means the rows sit on the training data. Score 1 = share ≤ 0.5, 0 = share 1.',
  },
  compute: (input: MetricInput): MetricResult =>
    guarded(ID, () => {
      if (!input.holdout || input.holdout.numRows < 2) return skipped(ID, 'DCR share needs a holdout of at least 2 real rows the synthesizer never saw.');
      if (input.real.numRows === 0 || input.synthetic.numRows === 0) return skipped(ID, 'DCR needs training and synthetic rows.');
      const ctx = privacyContext(input.real, input.synthetic, input.holdout);
      const nT = ctx.train.numRows, nH = ctx.hold!.numRows;
      const st = ctx.synthToTrain(input.signal), sh = ctx.synthToHold(input.signal);
      const ht = ctx.holdToTrain(input.signal), hh = ctx.holdToHold(input.signal);
      // Query rows: every synthetic / holdout row, or the context's seeded sample of them (see approximation()).
      const nS = st.numQueries, nHq = ht.numQueries;
      const approx = ctx.approximation();
      const sDcr = new Float64Array(nS), sCloser = new Float64Array(nS);
      for (let i = 0; i < nS; i++) {
        const dt = st.distances[2 * i], dh = sh.distances[i];
        sDcr[i] = dt;
        sCloser[i] = dt < dh ? 1 : dt === dh ? 0.5 : 0;
      }
      const hDcr = new Float64Array(nHq), hCloser = new Float64Array(nHq);
      for (let i = 0; i < nHq; i++) {
        const dt = ht.distances[2 * i], dh = hh.distances[i];
        hDcr[i] = dt;
        hCloser[i] = dt < dh ? 1 : dt === dh ? 0.5 : 0;
      }
      const raw = weightedMean(sCloser);
      const share = sizeCorrectedShare(raw, nT, nH);
      const holdShare = sizeCorrectedShare(weightedMean(hCloser), nT, nH - 1);
      const interval = meanBootstrapInterval(sCloser, createRng(input.seed, ID), (m) => dcrScore(sizeCorrectedShare(m, nT, nH)));
      let zero = 0;
      for (let i = 0; i < nS; i++) if (sDcr[i] === 0) zero++;
      const all = Float64Array.from([...sDcr, ...hDcr]).sort();
      const top = Math.max(quantile(all, 0.99), 1e-9);
      const edges = Array.from({ length: 21 }, (_, b) => round((top * b) / 20));
      return {
        metric: ID,
        status: 'ok',
        score: dcrScore(share),
        reference: dcrScore(holdShare),
        ...(interval ? { interval } : {}),
        details: {
          dcrShare: round(share),
          dcrShareRaw: round(raw),
          holdoutDcrShare: round(holdShare),
          gate: DCR_SHARE_GATE,
          passed: share <= DCR_SHARE_GATE,
          syntheticDcr: summarize(sDcr),
          holdoutDcr: summarize(hDcr),
          zeroDcrShare: round(zero / nS),
          histogram: { edges, synthetic: histogram(sDcr, edges), holdout: histogram(hDcr, edges), note: 'counts above the last edge (top 1%) are left out' },
          trainingRows: nT,
          holdoutRows: nH,
          syntheticRows: ctx.synth.numRows,
          ...(approx ? { approximation: approx.sampledRows } : {}),
        },
        warnings: approx ? [approx.note] : [],
      };
    }),
};
