import { beforeAll, describe, expect, it } from 'vitest';
import { evaluatePredictions, type ModelEvalResult } from '../../src/core/model-eval/evaluate.js';
import { applyGate } from '../../src/core/model-eval/gate.js';
import { predictionsFromModel } from '../../src/core/model-eval/model.js';
import type { ClassificationPredictions } from '../../src/core/model-eval/predictions.js';
import { fitTreeModel } from '../../src/core/model-eval/tree-model.js';
import { modelCard, modelCardMarkdown } from '../../src/core/provenance/model-card.js';
import { modelEvalTerminal } from '../../src/core/render/model-eval-terminal.js';
import { createRng } from '../../src/core/random.js';
import type { Table } from '../../src/core/table/table.js';
import { loadShared } from '../helpers/datasets.js';

describe('fairness gaps of a multiclass model (diamonds: cut from the other columns, sliced by color)', () => {
  let test: Table, preds: ClassificationPredictions, r: ModelEvalResult;
  beforeAll(async () => {
    const d = await loadShared('diamonds');
    const perm = createRng(3, 'split').permutation(d.numRows);
    test = d.take(perm.subarray(0, 12000));
    const model = fitTreeModel(d.take(perm.subarray(12000)), 'cut', { seed: 1 });
    preds = predictionsFromModel(test, 'cut', model, await model.predict(test)) as ClassificationPredictions;
    r = evaluatePredictions(preds, test, { sliceBy: ['color'], resamples: 40, seed: 1 });
  });

  it('gives one-vs-rest gaps per class, whose group rates are the counted shares', () => {
    expect(preds.classes.length).toBe(5);
    expect(r.fairness.map((f) => f.class)).toEqual(preds.classes);
    expect(r.warnings.join()).not.toMatch(/fairness/);
    const color = test.categorical('color');
    for (const f of r.fairness) {
      const c = preds.classes.indexOf(f.class!);
      for (const g of f.groups) {
        const label = g.description.replace('color = ', '');
        let rows = 0, predC = 0, trueC = 0, tp = 0;
        for (let i = 0; i < test.numRows; i++) {
          if (color.dictionary[color.codes[i]] !== label) continue;
          rows++;
          if (preds.pred[i] === c) predC++;
          if (preds.y[i] === c) { trueC++; if (preds.pred[i] === c) tp++; }
        }
        expect(g.support).toBe(rows);
        expect(g.selectionRate.value).toBeCloseTo(predC / rows, 12);
        expect(g.truePositiveRate.value).toBeCloseTo(tp / trueC, 12);
        expect(g.falsePositiveRate.value).toBeCloseTo((predC - tp) / (rows - trueC), 12);
      }
      const sel = f.groups.map((g) => g.selectionRate.value!);
      expect(f.demographicParityDifference.value).toBeCloseTo(Math.max(...sel) - Math.min(...sel), 12);
      expect(f.demographicParityDifference.interval).not.toBeNull();
    }
  });

  it('a gate on a multiclass fairness gap reads the worst class', () => {
    const worst = Math.max(...r.fairness.map((f) => f.demographicParityDifference.value!));
    const best = Math.min(...r.fairness.map((f) => f.demographicParityDifference.value!));
    expect(worst).toBeGreaterThan(best);
    expect(applyGate(r, { checks: [{ metric: 'fairness.color.demographicParityDifference', max: (worst + best) / 2 }] }).passed).toBe(false);
    expect(applyGate(r, { checks: [{ metric: 'fairness.color.demographicParityDifference', max: worst + 1e-9 }] }).passed).toBe(true);
  });

  it('reports name the class of each gap', () => {
    const report = { title: 'diamonds tree', model: { kind: 'decision-tree' }, data: { evaluation: { source: 'diamonds (test split)', rows: r.rows } }, label: 'cut', options: { minSupport: 30, resamples: 40, seed: 1, sliceBy: ['color'] }, evaluation: r, warnings: [] };
    expect(modelEvalTerminal(report)).toContain(`Fairness by color · class ${preds.classes[0]}`);
    expect(modelCardMarkdown(modelCard(report))).toContain(`color · class ${preds.classes[1]}`);
  });
});
