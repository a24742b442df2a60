import { beforeAll, describe, expect, it } from 'vitest';
import { compareTrainingData } from '../../src/core/model-eval/compare.js';
import { evaluatePredictions } from '../../src/core/model-eval/evaluate.js';
import { applyGate, parseGatePolicy } from '../../src/core/model-eval/gate.js';
import { fitLearnerModel } from '../../src/core/model-eval/learner-model.js';
import { predictionsFromModel, type PredictiveModel } from '../../src/core/model-eval/model.js';
import type { ClassificationPredictions, RegressionPredictions } from '../../src/core/model-eval/predictions.js';
import { perturbTable, runRobustness } from '../../src/core/model-eval/robustness.js';
import { modelCard, modelCardMarkdown, readModelCard, modelCardArtifact } from '../../src/core/provenance/model-card.js';
import { createRng } from '../../src/core/random.js';
import { Table } from '../../src/core/table/table.js';
import { loadShared } from '../helpers/datasets.js';

describe('robustness', () => {
  let adult: Table;
  beforeAll(async () => { adult = (await loadShared('adult')).slice(0, 3000); });
  it('perturbTable changes only the requested share of cells and never the input', () => {
    const before = adult.categorical('workclass').codes.slice();
    const p = perturbTable(adult, ['workclass', 'age'], { kind: 'missing', amount: 0.2 }, createRng(1));
    let miss = 0;
    for (let i = 0; i < p.numRows; i++) if (p.categorical('workclass').codes[i] < 0) miss++;
    expect(miss / p.numRows).toBeGreaterThan(0.17);
    expect(miss / p.numRows).toBeLessThan(0.23);
    expect(adult.categorical('workclass').codes).toEqual(before);
    expect(p.categorical('sex').codes).toBe(adult.categorical('sex').codes); // untouched column shared
    const s = perturbTable(adult, ['age'], { kind: 'shift', amount: 0.5 }, createRng(1));
    expect(s.numeric('age').values[0]).toBeGreaterThan(adult.numeric('age').values[0]);
  });
  it('a model that ignores its inputs is perfectly robust; a real one is not', async () => {
    const constant: PredictiveModel = { task: 'classification', classes: ['<=50K', '>50K'], features: ['age'], info: { kind: 'constant' }, predict: async (t) => new Float64Array(t.numRows * 2).fill(0.5) };
    const r0 = await runRobustness(constant, adult, 'income', { seed: 1 });
    for (const p of r0.perturbations) expect(p.changedShare).toBe(0);
    const model = fitLearnerModel(adult.slice(0, 2000), 'income', { kind: 'gradient-boosting', seed: 1 });
    const r1 = await runRobustness(model, adult.slice(2000), 'income', { seed: 1 });
    expect(r1.perturbations.map((p) => p.kind)).toEqual(['numeric-noise', 'category-swap', 'missing', 'shift']);
    expect(Math.max(...r1.perturbations.map((p) => p.changedShare))).toBeGreaterThan(0);
  });
});

describe('regression and multiclass paths', () => {
  it('regression on diamonds: MAE, RMSE, R² with intervals and per-slice MAE', async () => {
    const d = (await loadShared('diamonds')).slice(0, 4000);
    const model = fitLearnerModel(d.slice(0, 3000), 'price', { kind: 'gradient-boosting', seed: 2 });
    const test = d.slice(3000);
    const preds = predictionsFromModel(test, 'price', model, await model.predict(test)) as RegressionPredictions;
    const r = evaluatePredictions(preds, test, { sliceBy: ['cut'], resamples: 50 });
    expect(r.task).toBe('regression');
    expect(r.overall.r2.value!).toBeGreaterThan(0.8);
    expect(r.overall.mae.interval![0]).toBeLessThan(r.overall.mae.value!);
    expect(r.slices[0].groups.find((g) => !g.tooSmall)!.metrics!.mae.interval).not.toBeNull();
  });
  it('multiclass probabilities give log loss, Brier and top-label calibration; no fairness', () => {
    const n = 300, k = 3;
    const rng = createRng(4);
    const y = new Int32Array(n), proba = new Float64Array(n * k), pred = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 3;
      const sure = 0.4 + 0.5 * rng.next();
      for (let c = 0; c < k; c++) proba[i * k + c] = c === y[i] ? sure : (1 - sure) / 2;
      pred[i] = y[i];
    }
    const preds: ClassificationPredictions = { task: 'classification', classes: ['a', 'b', 'c'], y, pred, score: null, proba, positive: -1, threshold: null };
    const r = evaluatePredictions(preds, null, { resamples: 30 });
    expect(r.overall.accuracy.value).toBe(1);
    let ll = 0;
    for (let i = 0; i < n; i++) ll -= Math.log(proba[i * k + y[i]]);
    expect(r.overall.logLoss.value).toBeCloseTo(ll / n, 12);
    expect(r.calibration!.width.ece.value!).toBeGreaterThan(0.2); // always right but only 40–90 % sure: under-confident
    expect(r.fairness).toEqual([]);
    expect(r.overall.rocAuc.value).toBe(1); // the true class always scores ≥ 0.4 > 0.3 ≥ the others
  });
  it('multiclass one-vs-rest AUC by hand', () => {
    // class scores: rows 0..3, truth a, b, c, a
    const proba = Float64Array.of(0.6, 0.3, 0.1, 0.2, 0.5, 0.3, 0.5, 0.1, 0.4, 0.3, 0.3, 0.4);
    const y = Int32Array.of(0, 1, 2, 0);
    const preds: ClassificationPredictions = { task: 'classification', classes: ['a', 'b', 'c'], y, pred: Int32Array.of(0, 1, 0, 2), score: null, proba, positive: -1, threshold: null };
    const r = evaluatePredictions(preds, null, { resamples: 0 });
    // a: positives {0.6, 0.3} vs negatives {0.2, 0.5} → (1 + 1 + 1 + 0) / 4 = 0.75
    // b: positive {0.5} vs {0.3, 0.1, 0.3} → 1;  c: positive {0.4} vs {0.1, 0.3, 0.4} → (1 + 1 + 0.5) / 3
    expect(r.overall.rocAuc.value).toBeCloseTo((0.75 + 1 + 2.5 / 3) / 3, 12);
  });
});

describe('gate, comparison and model card', () => {
  const t = Table.fromRows(
    Array.from({ length: 400 }, (_, i) => ({ g: i % 4 === 0 ? 'small' : 'big', y: i % 2 ? 'yes' : 'no' })),
    { specVersion: 1, columns: [{ name: 'g', type: 'categorical', nullable: false }, { name: 'y', type: 'categorical', nullable: false }] },
  );
  const y = Int32Array.from({ length: 400 }, (_, i) => i % 2);
  // "real" model always right; "synthetic" model wrong on most of group small.
  const real: ClassificationPredictions = { task: 'classification', classes: ['no', 'yes'], y, pred: y.slice(), score: null, proba: null, positive: 1, threshold: null };
  const synPred = y.map((v, i) => (i % 4 === 0 && i % 8 !== 4 ? 1 - v : v));
  const synth: ClassificationPredictions = { ...real, pred: Int32Array.from(synPred) };
  it('compareTrainingData flags the slice where the synthetic-trained model is worse, not the other', () => {
    const c = compareTrainingData(real, synth, t, { sliceBy: ['g'], resamples: 20 });
    const flagged = c.flagged.map((f) => f.conditions.join(' and '));
    expect(flagged).toContain('g = small');
    expect(flagged).not.toContain('g = big');
  });
  it('applyGate passes, fails, and fails on figures that were not measured', () => {
    const r = evaluatePredictions(synth, t, { sliceBy: ['g'], resamples: 20 });
    const ok = applyGate(r, parseGatePolicy({ checks: [{ metric: 'overall.accuracy', min: 0.5 }] }));
    expect(ok.passed).toBe(true);
    const bad = applyGate(r, parseGatePolicy({ checks: [{ metric: 'slices.min.accuracy', min: 0.9 }, { metric: 'overall.rocAuc', min: 0.1 }] }));
    expect(bad.passed).toBe(false);
    expect(bad.checks[1].message).toMatch(/not measured/);
    expect(() => parseGatePolicy({ checks: [{ metric: 'overall.f1' }, { min: 1 }] })).toThrow(/2 problems/);
  });
  it('model card: JSON round-trips through its artifact and Markdown lists every section', () => {
    const r = evaluatePredictions(synth, t, { sliceBy: ['g'], resamples: 20 });
    const report = { title: 'toy', model: { kind: 'predictions' }, data: { evaluation: { source: 'toy.csv', rows: 400 } }, label: 'y', options: { minSupport: 30, resamples: 20, seed: 0, sliceBy: ['g'] }, evaluation: r, warnings: [] };
    const card = modelCard(report, { name: 'toy-model' });
    expect(readModelCard(JSON.parse(JSON.stringify(modelCardArtifact(card))))).toEqual(card);
    const md = modelCardMarkdown(card);
    expect(md).toContain('# Model card: toy-model');
    expect(md).toContain('| g = small |');
    expect(card.caveats.join(' ')).toMatch(/only 400 rows/);
    expect(card.nistAiRmfMeasure.map((m) => m.id)).toContain('MEASURE 2.11');
  });
});
