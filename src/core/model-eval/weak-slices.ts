/**
 * Automatic discovery of weak slices: regions of the data (one value, or a pair of values, of the candidate
 * columns; numeric columns in quantile bins) where the model is significantly worse than on the rest of the
 * data, after Benjamini–Hochberg correction for the number of slices tested.
 *
 * Classification tests the error rate with a one-sided two-proportion z-test (slice vs rest); regression tests
 * the mean absolute error with a one-sided Welch z-test. Described in plain words.
 */
import { gammaQ } from '../drift/math/gamma.js';
import { confusionScores, groupConfusion } from './confusion.js';
import { crossGroupings, describeGroup, type Grouping } from './grouping.js';
import { benjaminiHochberg } from './multiple-testing.js';
import type { Predictions } from './predictions.js';
import { groupErrors } from './regression.js';

/** Options for `findWeakSlices`. */
export interface WeakSliceOptions {
  /** Smallest slice tested (rows). Default 30. */
  minSupport?: number;
  /** False discovery rate. Default 0.05. */
  alpha?: number;
  /** Also test pairs of conditions. Default true. */
  pairs?: boolean;
  /** At most this many slices are returned, worst first. Default 10. */
  maxResults?: number;
}

/** A slice where the model is significantly worse than on the rest. */
export interface WeakSlice {
  /** Plain description, e.g. "age < 25 and workclass = Private: accuracy 0.71 vs 0.85, F1 0.41 vs 0.68 overall
   *  (1,234 rows)". Accuracy comes first: it is what was tested (as its complement, the error rate). */
  summary: string;
  conditions: string[];
  support: number;
  /** The tested metric: 'error rate' (classification) or 'mean absolute error' (regression). */
  metric: string;
  value: number;
  /** The same metric on all other rows. */
  rest: number;
  /** Classification: accuracy and F1 in the slice and overall, for the description. */
  accuracy?: { slice: number; overall: number };
  f1?: { slice: number; overall: number };
  pValue: number;
  /** Benjamini–Hochberg adjusted p-value. */
  qValue: number;
}

/** What was tested and what was found. */
export interface WeakSliceResult {
  method: string;
  tested: number;
  alpha: number;
  minSupport: number;
  found: WeakSlice[];
}

/** P(Z > z) for a standard normal Z, accurate in the far tail. */
export function normalUpperTail(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const tail = 0.5 * gammaQ(0.5, (z * z) / 2);
  return z >= 0 ? tail : 1 - tail;
}

interface Candidate { conditions: string[]; parents: number[]; support: number; value: number; rest: number; p: number; acc?: number; f1?: number }

/**
 * Finds weak slices among `groupings` (single columns) and their pairwise crossings.
 * @example findWeakSlices(preds, [columnGrouping(t, 'age'), columnGrouping(t, 'workclass')]).found[0].summary
 */
export function findWeakSlices(preds: Predictions, groupings: Grouping[], opts: WeakSliceOptions = {}): WeakSliceResult {
  const minSupport = opts.minSupport ?? 30;
  const alpha = opts.alpha ?? 0.05;
  const maxResults = opts.maxResults ?? 10;
  const cands: Candidate[] = [];
  const singleIndex = new Map<string, number>();
  const all: Grouping[] = [...groupings];
  if (opts.pairs ?? true) for (let a = 0; a < groupings.length; a++) for (let b = a + 1; b < groupings.length; b++) all.push(crossGroupings(groupings[a], groupings[b]));

  let overallAcc = NaN, overallF1 = NaN;
  if (preds.task === 'classification') {
    const k = preds.classes.length, kk = k * k;
    const cell = new Int32Array(preds.y.length);
    for (let i = 0; i < cell.length; i++) cell[i] = preds.y[i] * k + preds.pred[i];
    const ov = confusionScores(groupConfusion(new Int32Array(cell.length), 1, cell, kk), k);
    overallAcc = ov.accuracy;
    overallF1 = preds.positive >= 0 ? ov.perClass[preds.positive].f1 : ov.macro.f1;
    const N = cell.length, totalErr = N * (1 - overallAcc);
    for (const g of all) {
      const cm = groupConfusion(g.codes, g.numGroups, cell, kk);
      for (let j = 0; j < g.numGroups; j++) {
        const s = confusionScores(cm.subarray(j * kk, (j + 1) * kk), k);
        const ns = s.total;
        if (ns < minSupport || N - ns < minSupport) continue;
        const es = ns * (1 - s.accuracy);
        const er = totalErr - es;
        const pooled = totalErr / N;
        const se = Math.sqrt(pooled * (1 - pooled) * (1 / ns + 1 / (N - ns)));
        const value = es / ns, rest = er / (N - ns);
        const z = se > 0 ? (value - rest) / se : 0;
        addCandidate(g, j, { support: ns, value, rest, p: normalUpperTail(z), acc: s.accuracy, f1: preds.positive >= 0 ? s.perClass[preds.positive].f1 : s.macro.f1 });
      }
    }
  } else {
    const err = new Float64Array(preds.y.length);
    for (let i = 0; i < err.length; i++) err[i] = preds.pred[i] - preds.y[i];
    const tot = groupErrors(new Int32Array(err.length), 1, err);
    for (const g of all) {
      const s = groupErrors(g.codes, g.numGroups, err);
      for (let j = 0; j < g.numGroups; j++) {
        const ns = s[j * 4], nr = tot[0] - ns;
        if (ns < minSupport || nr < minSupport) continue;
        const ms = s[j * 4 + 1] / ns, mr = (tot[1] - s[j * 4 + 1]) / nr;
        const vs = Math.max(0, s[j * 4 + 2] / ns - ms * ms), vr = Math.max(0, (tot[2] - s[j * 4 + 2]) / nr - mr * mr);
        const se = Math.sqrt(vs / ns + vr / nr);
        const z = se > 0 ? (ms - mr) / se : 0;
        addCandidate(g, j, { support: ns, value: ms, rest: mr, p: normalUpperTail(z) });
      }
    }
  }

  function addCandidate(g: Grouping, j: number, c: Omit<Candidate, 'conditions' | 'parents'>): void {
    const conditions = g.conditions[j];
    const parents = g.columns.length > 1 ? conditions.map((cond) => singleIndex.get(cond) ?? -1) : [];
    if (g.columns.length === 1) singleIndex.set(conditions[0], cands.length);
    cands.push({ ...c, conditions, parents });
  }

  const q = benjaminiHochberg(cands.map((c) => c.p));
  const metric = preds.task === 'classification' ? 'error rate' : 'mean absolute error';
  const found: WeakSlice[] = [];
  cands.forEach((c, i) => {
    if (!(q[i] <= alpha) || !(c.value > c.rest)) return;
    // A pair is reported only when it is worse than each of its single conditions on its own.
    if (c.parents.some((pi) => pi >= 0 && !(c.value > cands[pi].value))) return;
    const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
    const rows = `${Math.round(c.support).toLocaleString('en-US')} rows`;
    const summary =
      preds.task === 'classification'
        ? `${describeGroup(c.conditions)}: accuracy ${fmt(c.acc!)} vs ${fmt(overallAcc)}, F1 ${fmt(c.f1!)} vs ${fmt(overallF1)} overall (${rows})`
        : `${describeGroup(c.conditions)}: MAE ${c.value.toPrecision(3)} vs ${c.rest.toPrecision(3)} elsewhere (${rows})`;
    found.push({
      summary,
      conditions: c.conditions,
      support: c.support,
      metric,
      value: c.value,
      rest: c.rest,
      ...(preds.task === 'classification' ? { accuracy: { slice: c.acc!, overall: overallAcc }, f1: { slice: c.f1!, overall: overallF1 } } : {}),
      pValue: c.p,
      qValue: q[i],
    });
  });
  found.sort((a, b) => b.value - b.rest - (a.value - a.rest) || a.qValue - b.qValue);
  return {
    method:
      preds.task === 'classification'
        ? 'one-sided two-proportion z-test of the error rate, slice vs rest; Benjamini–Hochberg FDR'
        : 'one-sided Welch z-test of the mean absolute error, slice vs rest; Benjamini–Hochberg FDR',
    tested: cands.length,
    alpha,
    minSupport,
    found: found.slice(0, maxResults),
  };
}
