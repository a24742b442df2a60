import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng } from '../random.js';
import type { Table } from '../table/table.js';
import { featureMatrix, type FeatureMatrix } from './features.js';
import { fitLearner, kFoldIndices, learnerTarget, loadLearner, LEARNER_KINDS, type FittedModel } from './learner.js';
import { hasShared, loadShared } from '../../../test/helpers/datasets.js';
import { SynthopsError } from '../errors.js';

/** Rank-based AUC (Mann–Whitney U with average ranks for ties), written independently of the learners. */
function auc(scores: number[], labels: number[]): number {
  const idx = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const ranks = new Array<number>(scores.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    for (let k = i; k <= j; k++) ranks[idx[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  let pos = 0, sumPos = 0;
  labels.forEach((l, i) => {
    if (l === 1) {
      pos++;
      sumPos += ranks[i];
    }
  });
  const neg = labels.length - pos;
  return (sumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

function split(n: number, seed: number): { train: Int32Array; test: Int32Array } {
  const perm = createRng(seed).permutation(n);
  const cut = Math.floor(n * 0.8);
  return { train: perm.slice(0, cut).sort(), test: perm.slice(cut).sort() };
}

function r2(pred: Float64Array, y: Float64Array, rows: Int32Array): number {
  let mean = 0;
  for (const r of rows) mean += y[r];
  mean /= rows.length;
  let ssr = 0, sst = 0;
  for (const r of rows) {
    ssr += (y[r] - pred[r]) ** 2;
    sst += (y[r] - mean) ** 2;
  }
  return 1 - ssr / sst;
}

describe.skipIf(!hasShared)('learners on adult (seeded 80/20 split)', () => {
  let adult: Table;
  let x: FeatureMatrix;
  let y: Int32Array;
  let classes: string[];
  let train: Int32Array, test: Int32Array;
  beforeAll(async () => {
    adult = await loadShared('adult');
    x = featureMatrix(adult, adult.columnNames.filter((c) => c !== 'income'));
    const t = learnerTarget(adult, 'income');
    y = t.target.y as Int32Array;
    classes = t.classes!;
    ({ train, test } = split(adult.numRows, 2026));
  });
  const evaluate = (m: FittedModel) => {
    const pos = classes.indexOf('>50K');
    const proba = m.predictProba(x);
    const pred = m.predict(x);
    let correct = 0;
    const s: number[] = [], l: number[] = [];
    for (const r of test) {
      if (pred[r] === y[r]) correct++;
      s.push(proba[r * 2 + pos]);
      l.push(y[r] === pos ? 1 : 0);
    }
    return { acc: correct / test.length, auc: auc(s, l) };
  };

  it('gradient boosting reaches accuracy ≥ 0.85 and AUC ≥ 0.90, and survives a JSON round trip', () => {
    const m = fitLearner('gradient-boosting', x, { kind: 'classification', y, numClasses: 2 }, { seed: 1, rows: train, classes });
    const { acc, auc: a } = evaluate(m);
    expect(acc).toBeGreaterThanOrEqual(0.85);
    expect(a).toBeGreaterThanOrEqual(0.9);
    const back = loadLearner(JSON.parse(JSON.stringify(m.toJSON())));
    expect(back.classes).toEqual(classes);
    const sub: FeatureMatrix = { ...x, numRows: 200, columns: x.columns.map((c) => c.slice(0, 200)) };
    expect(Array.from(back.predictProba(sub))).toEqual(Array.from(m.predictProba(sub)));
    const imp = m.featureImportance();
    expect(imp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it('logistic regression reaches accuracy ≥ 0.82', () => {
    const m = fitLearner('logistic-regression', x, { kind: 'classification', y, numClasses: 2 }, { seed: 1, rows: train });
    const { acc, auc: a } = evaluate(m);
    expect(acc).toBeGreaterThanOrEqual(0.82);
    expect(a).toBeGreaterThanOrEqual(0.85);
  });

  it('random forest (30 trees) reaches accuracy ≥ 0.84', () => {
    const m = fitLearner('random-forest', x, { kind: 'classification', y, numClasses: 2 }, { seed: 1, rows: train, nEstimators: 30, minSamplesLeaf: 2 });
    const { acc, auc: a } = evaluate(m);
    expect(acc).toBeGreaterThanOrEqual(0.84);
    expect(a).toBeGreaterThanOrEqual(0.88);
  });

  it('early stopping keeps fewer rounds when the learning rate is high', () => {
    const m = fitLearner('gradient-boosting', x, { kind: 'classification', y, numClasses: 2 }, {
      seed: 3, rows: train.slice(0, 4000), learningRate: 1, nEstimators: 200, validationFraction: 0.2, earlyStoppingRounds: 5,
    });
    const rounds = (m.toJSON() as { model: { rounds: number } }).model.rounds;
    expect(rounds).toBeGreaterThan(0);
    expect(rounds).toBeLessThan(200);
  });
});

describe.skipIf(!hasShared)('learners on diamonds', () => {
  it('gradient boosting regression reaches R² ≥ 0.95; ridge R² ≥ 0.85; multiclass cut beats the majority class', async () => {
    const d = await loadShared('diamonds');
    const x = featureMatrix(d, d.columnNames.filter((c) => c !== 'price'));
    const y = d.numeric('price').values;
    const { train, test } = split(d.numRows, 7);
    const gb = fitLearner('gradient-boosting', x, { kind: 'regression', y }, { seed: 1, rows: train });
    expect(r2(gb.predict(x), y, test)).toBeGreaterThanOrEqual(0.95);
    const lin = fitLearner('linear-regression', x, { kind: 'regression', y }, { seed: 1, rows: train });
    expect(r2(lin.predict(x), y, test)).toBeGreaterThanOrEqual(0.85);
    const back = loadLearner(JSON.parse(JSON.stringify(lin.toJSON())));
    expect(Array.from(back.predict(x).subarray(0, 50))).toEqual(Array.from(lin.predict(x).subarray(0, 50)));

    // Multiclass softmax on a 10k-row subset: predict `cut` from the rest.
    const sub = d.slice(0, 10000);
    const xc = featureMatrix(sub, sub.columnNames.filter((c) => c !== 'cut'));
    const { target, classes } = learnerTarget(sub, 'cut');
    const s2 = split(sub.numRows, 8);
    const m = fitLearner('gradient-boosting', xc, target, { seed: 2, rows: s2.train, nEstimators: 40, classes });
    const pred = m.predict(xc);
    const proba = m.predictProba(xc);
    const K = classes!.length;
    const counts = new Array<number>(K).fill(0);
    let correct = 0;
    for (const r of s2.test) {
      counts[target.y[r]]++;
      if (pred[r] === target.y[r]) correct++;
      let s = 0;
      for (let k = 0; k < K; k++) s += proba[r * K + k];
      expect(s).toBeCloseTo(1, 9);
    }
    expect(correct).toBeGreaterThan(Math.max(...counts) * 1.2);
  });
});

describe('fitLearner on small synthetic data', () => {
  const rng = createRng(5);
  const n = 600;
  const a = Float64Array.from({ length: n }, () => rng.normal());
  const c = Int32Array.from({ length: n }, () => rng.int(4));
  const x: FeatureMatrix = { numRows: n, names: ['a', 'c'], columns: [a, c], levels: [0, 4] };
  const yr = Float64Array.from({ length: n }, (_, i) => 2 * a[i] + (c[i] === 2 ? 3 : 0) + 0.1 * rng.normal());
  const yc = Int32Array.from({ length: n }, (_, i) => (a[i] + (c[i] === 1 ? 1.5 : 0) > 0.5 ? 1 : 0));

  it.each(LEARNER_KINDS)('%s: same seed → same predictions; JSON round trip predicts the same', (kind) => {
    const target = kind === 'linear-regression' ? ({ kind: 'regression', y: yr } as const) : ({ kind: 'classification', y: yc, numClasses: 2 } as const);
    const opts = { seed: 11, nEstimators: 15, subsample: 0.8 };
    const m1 = fitLearner(kind, x, target, opts);
    const m2 = fitLearner(kind, x, target, opts);
    expect(Array.from(m1.predict(x))).toEqual(Array.from(m2.predict(x)));
    const back = loadLearner(JSON.parse(JSON.stringify(m1.toJSON())));
    expect(Array.from(back.predict(x))).toEqual(Array.from(m1.predict(x)));
    const imp = m1.featureImportance();
    expect(imp.length).toBe(2);
    expect(imp[0]).toBeGreaterThan(0);
  });

  it('regression learners recover a linear signal', () => {
    for (const kind of ['gradient-boosting', 'random-forest', 'linear-regression'] as const) {
      const m = fitLearner(kind, x, { kind: 'regression', y: yr }, { seed: 1 });
      expect(r2(m.predict(x), yr, Int32Array.from({ length: n }, (_, i) => i))).toBeGreaterThan(0.9);
    }
  });

  it('rejects a task the learner cannot do, mismatched features and foreign JSON', () => {
    expect(() => fitLearner('logistic-regression', x, { kind: 'regression', y: yr }, { seed: 1 })).toThrow(SynthopsError);
    expect(() => fitLearner('linear-regression', x, { kind: 'classification', y: yc, numClasses: 2 }, { seed: 1 })).toThrow(/numeric target/);
    const m = fitLearner('gradient-boosting', x, { kind: 'classification', y: yc, numClasses: 2 }, { seed: 1, nEstimators: 3 });
    const swapped: FeatureMatrix = { numRows: n, names: ['c', 'a'], columns: [c, a], levels: [4, 0] };
    expect(() => m.predict(swapped)).toThrow(/expects "a"/);
    expect(() => loadLearner({ format: 'other' })).toThrow(/not a synthops learner/);
    expect(() => fitLearner('gradient-boosting', x, { kind: 'classification', y: yc, numClasses: 2 }, { seed: 1, learningRate: 0 })).toThrow(/learningRate/);
  });
});

describe('kFoldIndices', () => {
  it('balances fold sizes (and classes when stratified), is seeded', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.integer({ min: 2, max: 10 }), fc.integer({ min: 1, max: 4 }), fc.integer(), (n, k0, numClasses, seed) => {
        const k = Math.min(k0, n);
        const strat = Int32Array.from({ length: n }, (_, i) => (i * 7919) % numClasses);
        for (const s of [undefined, strat]) {
          const f = kFoldIndices(n, k, seed, s);
          const sizes = new Array<number>(k).fill(0);
          for (const v of f) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThan(k);
            sizes[v]++;
          }
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
          if (s) for (let c = 0; c < numClasses; c++) {
            const per = new Array<number>(k).fill(0);
            for (let i = 0; i < n; i++) if (s[i] === c) per[f[i]]++;
            expect(Math.max(...per) - Math.min(...per)).toBeLessThanOrEqual(1);
          }
          expect(Array.from(kFoldIndices(n, k, seed, s))).toEqual(Array.from(f));
        }
      }),
      { seed: 3, numRuns: 150 },
    );
    expect(Array.from(kFoldIndices(50, 5, 1))).not.toEqual(Array.from(kFoldIndices(50, 5, 2)));
    expect(() => kFoldIndices(10, 1, 1)).toThrow(/invalid k/);
  });
});
