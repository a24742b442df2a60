import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng } from '../random.js';
import { applyBinning, fitBinning, type BinnedMatrix } from './binning.js';
import { featureMatrix, type FeatureMatrix } from './features.js';
import { applyTree, fitTree, predictTree, treeDepth, treeFromJSON, treeToJSON, type Tree } from './tree.js';
import { hasShared, loadShared } from '../../../test/helpers/datasets.js';
import { SynthopsError } from '../errors.js';

function bin(x: FeatureMatrix): BinnedMatrix {
  return applyBinning(x, fitBinning(x));
}

describe('fitTree', () => {
  it('fits a step function exactly with two splits', () => {
    const n = 200;
    const v = new Float64Array(n);
    const y = new Float64Array(n);
    const rng = createRng(3);
    for (let i = 0; i < n; i++) {
      v[i] = rng.int(50); // 50 distinct values: one bin each
      y[i] = v[i] < 20 ? 1.5 : v[i] < 35 ? -4 : 7;
    }
    const noise = Float64Array.from({ length: n }, () => rng.next());
    const x: FeatureMatrix = { numRows: n, names: ['noise', 'v'], columns: [noise, v], levels: [0, 0] };
    const tree = fitTree(bin(x), { kind: 'regression', y }, { rng: createRng(1), maxDepth: 2 });
    expect(tree.numNodes).toBeLessThanOrEqual(7);
    const pred = predictTree(tree, bin(x));
    for (let i = 0; i < n; i++) expect(pred[i]).toBeCloseTo(y[i], 12);
    for (let k = 0; k < tree.numNodes; k++) if (tree.feature[k] >= 0) expect(tree.feature[k]).toBe(1);
  });

  it('fits any labelling of distinct points exactly when grown fully (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 2 })), { minLength: 2, maxLength: 60 }), (pts) => {
        // Labels are a function of the value: keep the first label seen for each value.
        const label = new Map<number, number>();
        for (const [v, c] of pts) if (!label.has(v)) label.set(v, c);
        const x: FeatureMatrix = { numRows: pts.length, names: ['v'], columns: [Float64Array.from(pts.map((p) => p[0]))], levels: [0] };
        const y = Int32Array.from(pts.map((p) => label.get(p[0])!));
        const xb = bin(x);
        const tree = fitTree(xb, { kind: 'classification', y, numClasses: 3 }, { rng: createRng(2) });
        const proba = predictTree(tree, xb);
        for (let i = 0; i < pts.length; i++) expect(proba[i * 3 + y[i]]).toBe(1);
      }),
      { seed: 5, numRuns: 100 },
    );
  });

  it('gives class probabilities that sum to 1 in every node', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 10, noNaN: true }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 6 }),
        (rows, depth) => {
          const x: FeatureMatrix = {
            numRows: rows.length,
            names: ['a', 'b'],
            columns: [Float64Array.from(rows.map((r) => r[0])), Int32Array.from(rows.map((r) => r[1]))],
            levels: [0, 10],
          };
          const y = Int32Array.from(rows.map((r) => r[2]));
          const tree = fitTree(bin(x), { kind: 'classification', y, numClasses: 4 }, { rng: createRng(9), maxDepth: depth });
          for (let k = 0; k < tree.numNodes; k++) {
            let s = 0;
            for (let c = 0; c < 4; c++) {
              expect(tree.value[k * 4 + c]).toBeGreaterThanOrEqual(0);
              s += tree.value[k * 4 + c];
            }
            expect(s).toBeCloseTo(1, 12);
          }
          expect(treeDepth(tree)).toBeLessThanOrEqual(depth);
        },
      ),
      { seed: 7, numRuns: 80 },
    );
  });

  it('routes missing values: learns a missing-only rule, and sends unseen missing values to the larger side', () => {
    const n = 300;
    const v = new Float64Array(n);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      if (i % 3 === 0) {
        v[i] = NaN;
        y[i] = 1;
      } else v[i] = i % 17;
    }
    const x: FeatureMatrix = { numRows: n, names: ['v'], columns: [v], levels: [0] };
    const b = fitBinning(x);
    const tree = fitTree(applyBinning(x, b), { kind: 'classification', y, numClasses: 2 }, { rng: createRng(1), maxDepth: 1 });
    expect(tree.numNodes).toBe(3);
    const test: FeatureMatrix = { numRows: 3, names: ['v'], columns: [Float64Array.from([NaN, 3, 16])], levels: [0] };
    const p = predictTree(tree, applyBinning(test, b));
    expect([p[1], p[3], p[5]]).toEqual([1, 0, 0]);

    // No missing value in training: a missing value at prediction follows the side with more rows.
    const v2 = Float64Array.from({ length: 100 }, (_, i) => i);
    const y2 = Float64Array.from({ length: 100 }, (_, i) => (i < 80 ? 0 : 10));
    const x2: FeatureMatrix = { numRows: 100, names: ['v'], columns: [v2], levels: [0] };
    const b2 = fitBinning(x2, { maxBins: 100 });
    const t2 = fitTree(applyBinning(x2, b2), { kind: 'regression', y: y2 }, { rng: createRng(1), maxDepth: 1 });
    const miss: FeatureMatrix = { numRows: 1, names: ['v'], columns: [Float64Array.from([NaN])], levels: [0] };
    expect(predictTree(t2, applyBinning(miss, b2))[0]).toBe(0);
  });

  it('splits a many-level categorical in one cut by sorting categories by mean target', () => {
    const levels = 120;
    const rng = createRng(4);
    const inSet = Uint8Array.from({ length: levels }, () => (rng.next() < 0.4 ? 1 : 0));
    const n = 2400;
    const codes = Int32Array.from({ length: n }, (_, i) => i % levels);
    const yr = Float64Array.from(codes, (c) => (inSet[c] ? 3 : -1));
    const yc = Int32Array.from(codes, (c) => inSet[c]);
    const x: FeatureMatrix = { numRows: n, names: ['c'], columns: [codes], levels: [levels] };
    const xb = bin(x);
    const tr = fitTree(xb, { kind: 'regression', y: yr }, { rng: createRng(1), maxDepth: 1 });
    const tc = fitTree(xb, { kind: 'classification', y: yc, numClasses: 2 }, { rng: createRng(1), maxDepth: 1 });
    expect(tr.numNodes).toBe(3);
    expect(tc.numNodes).toBe(3);
    const pr = predictTree(tr, xb);
    const pc = predictTree(tc, xb);
    for (let i = 0; i < n; i++) {
      expect(pr[i]).toBe(yr[i]);
      expect(pc[i * 2 + yc[i]]).toBe(1);
    }
    // Multiclass: three groups of categories, two cuts.
    const group = Int32Array.from({ length: levels }, () => rng.int(3));
    const ym = Int32Array.from(codes, (c) => group[c]);
    const tm = fitTree(xb, { kind: 'classification', y: ym, numClasses: 3 }, { rng: createRng(1), maxDepth: 2 });
    const pm = predictTree(tm, xb);
    for (let i = 0; i < n; i++) expect(pm[i * 3 + ym[i]]).toBe(1);
  });

  it('gives the same tree for the same seed (bootstrap rows, sampled features)', () => {
    const rng = createRng(8);
    const n = 500;
    const cols = [0, 1, 2, 3, 4, 5].map(() => Float64Array.from({ length: n }, () => rng.normal()));
    const y = Float64Array.from({ length: n }, (_, i) => cols[0][i] + 2 * cols[3][i] * cols[1][i] + rng.normal() * 0.1);
    const x: FeatureMatrix = { numRows: n, names: cols.map((_, j) => `f${j}`), columns: cols, levels: cols.map(() => 0) };
    const xb = bin(x);
    const rows = Int32Array.from({ length: n }, () => rng.int(n));
    const fit = (seed: number): Tree => fitTree(xb, { kind: 'regression', y }, { rng: createRng(seed), rows, maxFeatures: 'sqrt', minSamplesLeaf: 3 });
    const a = fit(21), b = fit(21), c = fit(22);
    expect(treeToJSON(a)).toEqual(treeToJSON(b));
    expect(treeToJSON(a)).not.toEqual(treeToJSON(c));
  });

  it('respects minSamplesLeaf and uses sample weights', () => {
    const n = 200;
    const v = Float64Array.from({ length: n }, (_, i) => i % 40);
    const y = Float64Array.from(v, (a) => a * a);
    const x: FeatureMatrix = { numRows: n, names: ['v'], columns: [v], levels: [0] };
    const xb = bin(x);
    const tree = fitTree(xb, { kind: 'regression', y }, { rng: createRng(1), minSamplesLeaf: 20 });
    const leaves = applyTree(tree, xb);
    const sizes = new Map<number, number>();
    for (const l of leaves) sizes.set(l, (sizes.get(l) ?? 0) + 1);
    for (const s of sizes.values()) expect(s).toBeGreaterThanOrEqual(20);
    // A zero weight removes a row's influence on the leaf value.
    const yc = Int32Array.from({ length: 4 }, (_, i) => (i < 3 ? 0 : 1));
    const x1: FeatureMatrix = { numRows: 4, names: ['v'], columns: [new Float64Array(4)], levels: [0] };
    const w = Float64Array.from([1, 1, 1, 3]);
    const t1 = fitTree(bin(x1), { kind: 'classification', y: yc, numClasses: 2 }, { rng: createRng(1), sampleWeight: w });
    expect(t1.value[1]).toBeCloseTo(0.5, 12);
  });

  it('round-trips through JSON', () => {
    const n = 100;
    const codes = Int32Array.from({ length: n }, (_, i) => i % 7);
    const v = Float64Array.from({ length: n }, (_, i) => (i % 11 === 0 ? NaN : i));
    const y = Int32Array.from({ length: n }, (_, i) => (codes[i] < 3 !== i > 50 ? 1 : 0));
    const x: FeatureMatrix = { numRows: n, names: ['c', 'v'], columns: [codes, v], levels: [7, 0] };
    const xb = bin(x);
    const tree = fitTree(xb, { kind: 'classification', y, numClasses: 2 }, { rng: createRng(1) });
    const back = treeFromJSON(JSON.parse(JSON.stringify(treeToJSON(tree))));
    expect(Array.from(predictTree(back, xb))).toEqual(Array.from(predictTree(tree, xb)));
    expect(() => treeFromJSON({ numNodes: 1 })).toThrow(SynthopsError);
  });

  it('rejects class indices out of range and non-finite regression targets', () => {
    const x: FeatureMatrix = { numRows: 2, names: ['v'], columns: [Float64Array.from([1, 2])], levels: [0] };
    const xb = bin(x);
    expect(() => fitTree(xb, { kind: 'classification', y: Int32Array.from([0, 2]), numClasses: 2 }, { rng: createRng(1) })).toThrow(/row 1/);
    expect(() => fitTree(xb, { kind: 'regression', y: Float64Array.from([0, NaN]) }, { rng: createRng(1) })).toThrow(/row 1/);
  });

  it.skipIf(!hasShared)('predicts adult income on held-out rows far better than the majority class', async () => {
    const adult = (await loadShared('adult')).slice(0, 8000);
    const features = adult.columnNames.filter((c) => c !== 'income');
    const x = featureMatrix(adult, features);
    const inc = adult.categorical('income');
    const hi = inc.dictionary.indexOf('>50K');
    const y = Int32Array.from(inc.codes, (c) => (c === hi ? 1 : 0));
    const train = Int32Array.from({ length: 6000 }, (_, i) => i);
    const b = fitBinning(x, { rows: train });
    const xb = applyBinning(x, b);
    const tree = fitTree(xb, { kind: 'classification', y, numClasses: 2 }, { rng: createRng(1), rows: train, maxDepth: 8, minSamplesLeaf: 10 });
    const proba = predictTree(tree, xb);
    let correct = 0, majority = 0;
    for (let i = 6000; i < 8000; i++) {
      if ((proba[i * 2 + 1] > 0.5 ? 1 : 0) === y[i]) correct++;
      if (y[i] === 0) majority++;
    }
    expect(correct / 2000).toBeGreaterThan(0.82);
    expect(correct).toBeGreaterThan(majority + 100);
  });
});
