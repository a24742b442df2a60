/**
 * Synthetic vs real: the same learner trained once on real data and once on synthetic data, both evaluated on
 * the same real test set, overall and per slice. Slices where the synthetic-trained model is worse are found
 * with a paired test on the very same test rows: McNemar's test on the rows one model gets right and the other
 * wrong (classification) or a paired z-test on the absolute-error difference (regression), one-sided,
 * Benjamini–Hochberg corrected over the slices.
 */
import { evaluatePredictions, type ModelEvalOptions, type ModelEvalResult } from './evaluate.js';
import { columnGrouping, crossGroupings, describeGroup, type Grouping } from './grouping.js';
import { benjaminiHochberg } from './multiple-testing.js';
import type { Predictions } from './predictions.js';
import type { Table } from '../table/table.js';
import { normalUpperTail } from './weak-slices.js';

/** A slice where training on synthetic data costs quality. */
export interface FlaggedSlice {
  /** e.g. "race = Black: accuracy 0.79 (synthetic) vs 0.86 (real), 412 rows". */
  summary: string;
  conditions: string[];
  support: number;
  /** Accuracy (classification) or MAE (regression) of each model on the slice. */
  real: number;
  synthetic: number;
  pValue: number;
  qValue: number;
}

/** Both evaluations and the slices flagged. */
export interface TrainingDataComparison {
  real: ModelEvalResult;
  synthetic: ModelEvalResult;
  /** Overall plus every slice (single columns and pairs) with at least minSupport rows. */
  tested: number;
  flagged: FlaggedSlice[];
  method: string;
}

/**
 * Compares predictions of the real-trained and the synthetic-trained model on the same `test` rows.
 * @example compareTrainingData(realPreds, synthPreds, test, { sliceBy: ['sex', 'race'] })
 */
export function compareTrainingData(real: Predictions, synthetic: Predictions, test: Table, opts: ModelEvalOptions = {}): TrainingDataComparison {
  const er = evaluatePredictions(real, test, opts);
  const es = evaluatePredictions(synthetic, test, { ...opts, seed: opts.seed ?? 0 });
  const n = real.y.length;
  const minSupport = opts.minSupport ?? 30;
  const alpha = opts.alpha ?? 0.05;
  // Per row: loss of each model (0/1 error, or absolute error).
  const lr = new Float64Array(n), ls = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lr[i] = real.task === 'classification' ? (real.y[i] === real.pred[i] ? 0 : 1) : Math.abs(real.pred[i] - real.y[i]);
    ls[i] = synthetic.task === 'classification' ? (synthetic.y[i] === synthetic.pred[i] ? 0 : 1) : Math.abs(synthetic.pred[i] - synthetic.y[i]);
  }
  const singles = (opts.sliceBy ?? []).map((c) => columnGrouping(test, c, { numericBins: opts.numericBins }));
  const groupings: Grouping[] = [{ columns: [], conditions: [['all rows']], codes: new Int32Array(n), numGroups: 1 }, ...singles];
  for (let a = 0; a < singles.length; a++) for (let b = a + 1; b < singles.length; b++) groupings.push(crossGroupings(singles[a], singles[b]));
  const cands: { conditions: string[]; support: number; real: number; synthetic: number; p: number }[] = [];
  for (const g of groupings) {
    const cnt = new Float64Array(g.numGroups), sr = new Float64Array(g.numGroups), ss = new Float64Array(g.numGroups);
    const b = new Float64Array(g.numGroups), c = new Float64Array(g.numGroups), d2 = new Float64Array(g.numGroups);
    for (let i = 0; i < n; i++) {
      const k = g.codes[i];
      cnt[k]++;
      sr[k] += lr[i];
      ss[k] += ls[i];
      const d = ls[i] - lr[i];
      if (d > 0) b[k] += real.task === 'classification' ? 1 : 0;
      if (d < 0) c[k] += real.task === 'classification' ? 1 : 0;
      d2[k] += d * d;
    }
    for (let k = 0; k < g.numGroups; k++) {
      if (cnt[k] < minSupport) continue;
      let z: number;
      if (real.task === 'classification') z = b[k] + c[k] > 0 ? (b[k] - c[k]) / Math.sqrt(b[k] + c[k]) : 0;
      else {
        const md = (ss[k] - sr[k]) / cnt[k];
        const v = Math.max(0, d2[k] / cnt[k] - md * md);
        z = v > 0 ? md / Math.sqrt(v / cnt[k]) : 0;
      }
      const mr = sr[k] / cnt[k], ms = ss[k] / cnt[k];
      cands.push({
        conditions: g.conditions[k],
        support: cnt[k],
        real: real.task === 'classification' ? 1 - mr : mr,
        synthetic: real.task === 'classification' ? 1 - ms : ms,
        p: normalUpperTail(z),
      });
    }
  }
  const q = benjaminiHochberg(cands.map((c) => c.p));
  const metric = real.task === 'classification' ? 'accuracy' : 'MAE';
  const flagged: FlaggedSlice[] = [];
  cands.forEach((c, i) => {
    if (!(q[i] <= alpha)) return;
    flagged.push({
      summary: `${describeGroup(c.conditions)}: ${metric} ${c.synthetic.toFixed(3)} (synthetic-trained) vs ${c.real.toFixed(3)} (real-trained), ${Math.round(c.support).toLocaleString('en-US')} rows`,
      conditions: c.conditions,
      support: c.support,
      real: c.real,
      synthetic: c.synthetic,
      pValue: c.p,
      qValue: q[i],
    });
  });
  flagged.sort((a, b) => a.qValue - b.qValue);
  return {
    real: er,
    synthetic: es,
    tested: cands.length,
    flagged,
    method:
      real.task === 'classification'
        ? `Slices flagged by a one-sided McNemar test on paired test rows, Benjamini–Hochberg FDR ${alpha}, at least ${minSupport} rows.`
        : `Slices flagged by a one-sided paired z-test on absolute errors, Benjamini–Hochberg FDR ${alpha}, at least ${minSupport} rows.`,
  };
}
