import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluatePredictions } from '../../src/core/model-eval/evaluate.js';
import { predictionsFromModel } from '../../src/core/model-eval/model.js';
import type { ClassificationPredictions } from '../../src/core/model-eval/predictions.js';
import { groupAuc, scoreRanks, sliceAucKeys } from '../../src/core/model-eval/slice-auc.js';
import { fitTreeModel } from '../../src/core/model-eval/tree-model.js';
import { createRng } from '../../src/core/random.js';
import { loadShared } from '../helpers/datasets.js';

/** Mann–Whitney AUC by counting every (positive, negative) pair: ties count one half. O(P·N). */
function pairAuc(score: number[], pos: number[]): number {
  let s = 0, p = 0, q = 0;
  for (let i = 0; i < score.length; i++) if (pos[i]) p++; else q++;
  for (let i = 0; i < score.length; i++) {
    if (!pos[i]) continue;
    for (let j = 0; j < score.length; j++) if (!pos[j]) s += score[i] > score[j] ? 1 : score[i] === score[j] ? 0.5 : 0;
  }
  return p && q ? s / (p * q) : NaN;
}

describe('per-slice ROC AUC', () => {
  it('equals the pair-counting AUC of every group, for any scores with ties and any grouping of cells (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.boolean(), fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 80 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 6, maxLength: 6 }),
        (rows, groupOfCell) => {
          const score = Float64Array.from(rows, ([v]) => v / 12), isPos = Uint8Array.from(rows, ([, b]) => (b ? 1 : 0)), cell = Int32Array.from(rows, ([, , c]) => c);
          const keys = sliceAucKeys(scoreRanks(score), isPos, cell, 6);
          const got = groupAuc(keys, Int32Array.from(groupOfCell), 3);
          for (let g = 0; g < 3; g++) {
            const idx = rows.map((_, i) => i).filter((i) => groupOfCell[cell[i]] === g);
            const want = pairAuc(idx.map((i) => score[i]), idx.map((i) => isPos[i]));
            if (Number.isNaN(want)) expect(got[g]).toBeNaN();
            else expect(got[g]).toBeCloseTo(want, 12);
          }
        },
      ),
      { seed: 11, numRuns: 200 },
    );
  });

  it('bucketed keys keep each group within 0.01 of its exact AUC on 20,000 continuous scores', () => {
    const rng = createRng(4);
    const n = 20000, score = new Float64Array(n), isPos = new Uint8Array(n), cell = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      cell[i] = rng.int(4);
      isPos[i] = rng.next() < 0.3 ? 1 : 0;
      score[i] = 1 / (1 + Math.exp(-(rng.normal() + (isPos[i] ? 1 + cell[i] * 0.3 : -1))));
    }
    const groupOf = Int32Array.from([0, 1, 2, 3]);
    const exact = groupAuc(sliceAucKeys(scoreRanks(score), isPos, cell, 4), groupOf, 4), approx = groupAuc(sliceAucKeys(scoreRanks(score), isPos, cell, 4, 256), groupOf, 4);
    for (let g = 0; g < 4; g++) expect(Math.abs(exact[g] - approx[g])).toBeLessThan(0.01);
    expect(exact[3]).toBeGreaterThan(exact[0]); // the groups really differ (the shift grows with the cell)
  });

  it('on adult: each sex and race slice reports the AUC of its own rows, with an interval around it', async () => {
    const adult = await loadShared('adult');
    const perm = createRng(1, 'split').permutation(adult.numRows);
    const test = adult.take(perm.subarray(0, 9000)), train = adult.take(perm.subarray(9000));
    const model = fitTreeModel(train, 'income', { seed: 1 });
    const preds = predictionsFromModel(test, 'income', model, await model.predict(test)) as ClassificationPredictions;
    const r = evaluatePredictions(preds, test, { sliceBy: ['sex', 'race'], resamples: 60, seed: 2 });
    const sex = test.categorical('sex');
    for (const s of r.slices.filter((x) => x.columns.join() === 'sex')) {
      for (const g of s.groups) {
        const label = g.conditions[0].replace('sex = ', '');
        const rows = Int32Array.from([...Array(test.numRows).keys()].filter((i) => sex.dictionary[sex.codes[i]] === label));
        const sub: ClassificationPredictions = { ...preds, y: preds.y.filter((_, i) => sex.dictionary[sex.codes[i]] === label), pred: preds.pred.filter((_, i) => sex.dictionary[sex.codes[i]] === label), score: Float64Array.from(rows, (i) => preds.score![i]) };
        const alone = evaluatePredictions(sub, null, { resamples: 0 });
        expect(g.metrics!.rocAuc.value!).toBeCloseTo(alone.overall.rocAuc.value!, 10);
        const [lo, hi] = g.metrics!.rocAuc.interval!;
        expect(lo).toBeLessThan(g.metrics!.rocAuc.value!);
        expect(hi).toBeGreaterThan(g.metrics!.rocAuc.value!);
        expect(hi - lo).toBeLessThan(0.1);
      }
    }
    const crossed = r.slices.find((x) => x.columns.join() === 'sex,race')!;
    expect(crossed.groups.filter((g) => !g.tooSmall).every((g) => g.metrics!.rocAuc.value === null || (g.metrics!.rocAuc.value >= 0 && g.metrics!.rocAuc.value <= 1))).toBe(true);
  });
});
