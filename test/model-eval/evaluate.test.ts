import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { calibrationBins, calibrationScores } from '../../src/core/model-eval/calibration.js';
import { evaluatePredictions, type ModelEvalResult } from '../../src/core/model-eval/evaluate.js';
import { predictionsFromModel } from '../../src/core/model-eval/model.js';
import { predictionsFromTable, type ClassificationPredictions } from '../../src/core/model-eval/predictions.js';
import { averagePrecisionSorted, probabilityLosses, rocAucSorted } from '../../src/core/model-eval/ranking.js';
import { scoreKeys, scorePass } from '../../src/core/model-eval/score-pass.js';
import { fitTreeModel } from '../../src/core/model-eval/tree-model.js';
import { createRng } from '../../src/core/random.js';
import { Table } from '../../src/core/table/table.js';
import type { Table as TableT } from '../../src/core/table/table.js';
import { loadShared } from '../helpers/datasets.js';
import { modelCard, modelCardMarkdown } from '../../src/core/provenance/model-card.js';
import { modelEvalHtml } from '../../src/core/render/model-eval-html.js';
import { nodeDocument } from '../../src/node/render/document.js';

/** Seeded split of a table into train / test. */
function split(t: TableT, testShare: number, seed: number): { train: TableT; test: TableT } {
  const perm = createRng(seed, 'split').permutation(t.numRows);
  const m = Math.round(t.numRows * testShare);
  return { test: t.take(perm.subarray(0, m)), train: t.take(perm.subarray(m)) };
}

describe('scorePass on keys equals the standalone row-level functions', () => {
  it('for any scores with ties (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean()), { minLength: 2, maxLength: 60 }), (rows) => {
        const s = Float64Array.from(rows, ([v]) => v / 20), y = Uint8Array.from(rows, ([, b]) => (b ? 1 : 0));
        const order = [...s.keys()].sort((a, b) => s[a] - s[b]);
        const ss = Float64Array.from(order, (i) => s[i]), yy = Uint8Array.from(order, (i) => y[i]);
        const bw = calibrationBins(s, 10, 'width'), bm = calibrationBins(s, 4, 'mass');
        const r = scorePass(scoreKeys(s, y, bw.edges, bm.edges));
        const auc = rocAucSorted(ss, yy), ap = averagePrecisionSorted(ss, yy), l = probabilityLosses(s, y);
        if (Number.isNaN(auc)) expect(r.auc).toBeNaN();
        else expect(r.auc).toBeCloseTo(auc, 10);
        if (Number.isNaN(ap)) expect(r.ap).toBeNaN();
        else expect(r.ap).toBeCloseTo(ap, 10);
        expect(r.logLoss).toBeCloseTo(l.logLoss, 10);
        expect(r.brier).toBeCloseTo(l.brier, 10);
        const cw = calibrationScores(s, y, bw);
        let W = 0, ece = 0;
        for (let b = 0; b < r.calA.length; b += 3) W += r.calA[b];
        for (let b = 0; b < r.calA.length; b += 3) if (r.calA[b] > 0) ece += (r.calA[b] / W) * Math.abs(r.calA[b + 1] / r.calA[b] - r.calA[b + 2] / r.calA[b]);
        expect(ece).toBeCloseTo(cw.ece, 10);
      }),
      { seed: 5, numRuns: 150 },
    );
  });
  it('bucketed keys change AUC by less than 1e-3 on 50,000 continuous scores', () => {
    const rng = createRng(8);
    const n = 50000;
    const s = new Float64Array(n), y = new Uint8Array(n);
    for (let i = 0; i < n; i++) { y[i] = rng.next() < 0.3 ? 1 : 0; s[i] = 1 / (1 + Math.exp(-(rng.normal() + (y[i] ? 1 : -1)))); }
    const e = [0, 0.5, 1];
    const exact = scorePass(scoreKeys(s, y, e, e)), approx = scorePass(scoreKeys(s, y, e, e, 1024));
    expect(Math.abs(exact.auc - approx.auc)).toBeLessThan(1e-3);
  });
});

describe('evaluatePredictions on a small fixed case', () => {
  const t = Table.fromRows(
    Array.from({ length: 80 }, (_, i) => ({ g: i % 2 ? 'a' : 'b', y: i % 3 === 0 ? 'yes' : 'no', p: ((i * 37) % 80) / 80 })),
    { specVersion: 1, columns: [{ name: 'g', type: 'categorical', nullable: false }, { name: 'y', type: 'categorical', nullable: false }, { name: 'p', type: 'numerical', nullable: false }] },
  );
  const preds = predictionsFromTable(t, { label: 'y', score: 'p' }) as ClassificationPredictions;
  const r = evaluatePredictions(preds, t, { sliceBy: ['g'], resamples: 50, seed: 3, minSupport: 10 });
  it('point values equal the standalone functions, and each lies in its interval', () => {
    const order = [...preds.score!.keys()].sort((a, b) => preds.score![a] - preds.score![b]);
    const auc = rocAucSorted(order.map((i) => preds.score![i]), order.map((i) => (preds.y[i] === preds.positive ? 1 : 0)));
    expect(r.overall.rocAuc.value).toBeCloseTo(auc, 12);
    let correct = 0;
    for (let i = 0; i < 80; i++) if (preds.y[i] === preds.pred[i]) correct++;
    expect(r.overall.accuracy.value).toBeCloseTo(correct / 80, 12);
    for (const [name, e] of Object.entries(r.overall)) {
      if (e.value === null || !e.interval) continue;
      expect(e.interval[0], name).toBeLessThanOrEqual(e.interval[1]);
    }
    expect(r.positiveClass).toBe('yes');
  });
  it('calibration bins from score keys equal the row-level calibration (both binnings)', () => {
    for (const strat of ['width', 'mass'] as const) {
      const b = calibrationBins(preds.score!, 10, strat);
      const c = calibrationScores(preds.score!, Uint8Array.from(preds.y, (v) => (v === preds.positive ? 1 : 0)), b);
      const mine = r.calibration![strat];
      expect(mine.bins.map((x) => x.lower)).toEqual(b.edges.slice(0, -1));
      expect(mine.ece.value).toBeCloseTo(c.ece, 12);
      expect(mine.mce.value).toBeCloseTo(c.mce, 12);
      expect(mine.bins.map((x) => x.count)).toEqual(c.bins.map((x) => x.count));
    }
  });
  it('slice and fairness groups sum to the whole', () => {
    expect(r.slices[0].groups.reduce((s, g) => s + g.support, 0)).toBe(80);
    const f = r.fairness[0];
    const sel = f.groups.map((g) => g.selectionRate.value!);
    expect(f.demographicParityDifference.value).toBeCloseTo(Math.max(...sel) - Math.min(...sel), 12);
  });
  it('the same seed gives the same result; another seed other intervals', () => {
    const again = evaluatePredictions(preds, t, { sliceBy: ['g'], resamples: 50, seed: 3, minSupport: 10 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(r));
    const other = evaluatePredictions(preds, t, { sliceBy: ['g'], resamples: 50, seed: 4, minSupport: 10 });
    expect(other.overall.rocAuc.value).toBe(r.overall.rocAuc.value);
    expect(other.overall.rocAuc.interval).not.toEqual(r.overall.rocAuc.interval);
  });
});

describe('on adult with the built-in decision tree', () => {
  let result: ModelEvalResult;
  beforeAll(async () => {
    const adult = await loadShared('adult');
    const { train, test } = split(adult, 0.3, 1);
    const model = fitTreeModel(train, 'income', { seed: 1 });
    const preds = predictionsFromModel(test, 'income', model, await model.predict(test));
    result = evaluatePredictions(preds, test, { sliceBy: ['sex', 'race'], resamples: 100, seed: 1 });
  });
  it('has a useful model and intervals around every headline figure', () => {
    expect(result.overall.rocAuc.value!).toBeGreaterThan(0.8);
    for (const k of ['accuracy', 'f1', 'rocAuc', 'prAuc', 'logLoss', 'brier']) {
      const e = result.overall[k];
      expect(e.interval, k).not.toBeNull();
      expect(e.interval![0]).toBeLessThanOrEqual(e.value!);
      expect(e.interval![1]).toBeGreaterThanOrEqual(e.value!);
    }
  });
  it('lists per-slice metrics for sex and race with intervals', () => {
    const sex = result.slices.find((s) => s.columns.join() === 'sex')!;
    const race = result.slices.find((s) => s.columns.join() === 'race')!;
    expect(sex.groups.map((g) => g.description).sort()).toEqual(['sex = Female', 'sex = Male']);
    expect(race.groups.length).toBe(5);
    for (const g of [...sex.groups, ...race.groups].filter((g) => !g.tooSmall)) expect(g.metrics!.f1.interval).not.toBeNull();
    expect(result.slices.some((s) => s.columns.join() === 'sex,race')).toBe(true);
    expect(result.fairness.map((f) => f.columns[0])).toEqual(['sex', 'race']);
    expect(result.fairness[0].demographicParityDifference.value!).toBeGreaterThan(0.05); // income predictions differ by sex
  });
  it('finds at least one weak slice, described in plain terms', () => {
    expect(result.weakSlices!.found.length).toBeGreaterThan(0);
    const w = result.weakSlices!.found[0];
    expect(w.summary).toMatch(/: accuracy 0\.\d\d vs 0\.\d\d, F1 (0\.\d\d|n\/a) vs 0\.\d\d overall \(\d[\d,]* rows\)$/);
    expect(w.qValue).toBeLessThanOrEqual(0.05);
    for (const f of result.weakSlices!.found) expect(f.summary).not.toMatch(/income/); // the label is never a slice
    expect(w.value).toBeGreaterThan(w.rest);
  });
  it('its model card renders with the slices, fairness and weak slices', () => {
    const report = { title: 'adult tree', model: { kind: 'decision-tree' }, data: { evaluation: { source: 'adult (30% test split)', rows: result.rows } }, label: 'income', options: { minSupport: 30, resamples: 100, seed: 1, sliceBy: ['sex', 'race'] }, evaluation: result, warnings: [] };
    const md = modelCardMarkdown(modelCard(report));
    expect(md).toContain('| sex = Female |');
    expect(md).toMatch(/### Weak slices\n\n- /);
    expect(md).toContain('## NIST AI RMF — Measure');
    const html = modelEvalHtml(report, nodeDocument());
    expect(html).toContain('F1 by race');
    expect(html.match(/<svg/g)!.length).toBeGreaterThanOrEqual(4);
  });
  it('reports calibration with both binnings', () => {
    expect(result.calibration!.width.ece.value!).toBeGreaterThanOrEqual(0);
    expect(result.calibration!.mass.bins.length).toBe(10);
  });
});

describe('bad input is a clear error', () => {
  const schema = { specVersion: 1 as const, columns: [{ name: 'y', type: 'categorical' as const, nullable: true }, { name: 'p', type: 'numerical' as const, nullable: true }] };
  it('missing columns are named', () => {
    const t = Table.fromRows([{ y: 'a', p: 0.2 }, { y: 'b', p: 0.4 }], schema);
    expect(() => predictionsFromTable(t, { label: 'label', score: 'p' })).toThrow(/label column: "label" is not in the data/);
    expect(() => predictionsFromTable(t, { label: 'y', prediction: 'pred' })).toThrow(/prediction column: "pred"/);
  });
  it('scores outside [0, 1] are counted without printing them', () => {
    const t = Table.fromRows([{ y: 'a', p: 0.2 }, { y: 'b', p: 1.7 }, { y: 'b', p: -3 }], schema);
    expect(() => predictionsFromTable(t, { label: 'y', score: 'p' })).toThrow(/2 row\(s\) are missing or outside \[0, 1\], the first at row 2/);
    try { predictionsFromTable(t, { label: 'y', score: 'p' }); } catch (e) { expect(String((e as Error).message)).not.toMatch(/1\.7|-3/); }
  });
  it('a single class in the truth is refused', () => {
    const t = Table.fromRows([{ y: 'a', p: 0.2 }, { y: 'a', p: 0.4 }], schema);
    expect(() => predictionsFromTable(t, { label: 'y', score: 'p' })).toThrow(/single class/);
  });
  it('missing labels are counted', () => {
    const t = Table.fromRows([{ y: 'a', p: 0.2 }, { y: null, p: 0.4 }, { y: 'b', p: 0.4 }], schema);
    expect(() => predictionsFromTable(t, { label: 'y', score: 'p' })).toThrow(/1 row\(s\) are missing, the first at row 2/);
  });
  it('a slice column that is entirely missing is refused', () => {
    const t = Table.fromRows([{ y: 'a', p: null }, { y: 'b', p: null }], schema);
    const preds = predictionsFromTable(t, { label: 'y', prediction: 'y' });
    expect(() => evaluatePredictions(preds, t, { sliceBy: ['p'] })).toThrow(/missing in every row/);
  });
});
