import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyBinning, binningFromJSON, binningToJSON, fitBinning, MAX_CATEGORY_BINS } from './binning.js';
import { featureMatrix, type FeatureMatrix } from './features.js';
import { hasShared, loadShared } from '../../../test/helpers/datasets.js';

function numericMatrix(values: number[]): FeatureMatrix {
  return { numRows: values.length, names: ['v'], columns: [Float64Array.from(values)], levels: [0] };
}

describe('fitBinning / applyBinning', () => {
  it('keeps order: a smaller value never lands in a larger bin, missing is bin 0, at most maxBins value bins', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(NaN), fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 2, max: 80 }),
        (vals, maxBins) => {
          const x = numericMatrix(vals);
          const b = fitBinning(x, { maxBins });
          expect(b.numBins[0]).toBeLessThanOrEqual(maxBins + 1);
          const bins = applyBinning(x, b).bins[0];
          for (let i = 0; i < vals.length; i++) {
            if (Number.isNaN(vals[i])) expect(bins[i]).toBe(0);
            else expect(bins[i]).toBeGreaterThanOrEqual(1);
            expect(bins[i]).toBeLessThan(b.numBins[0]);
            for (let k = 0; k < vals.length; k++)
              if (vals[i] < vals[k]) expect(bins[i]).toBeLessThanOrEqual(bins[k]);
              else if (vals[i] === vals[k]) expect(bins[i]).toBe(bins[k]);
          }
        },
      ),
      { seed: 11, numRuns: 100 },
    );
  });

  it('gives every distinct value its own bin when there are few of them', () => {
    const x = numericMatrix([3, 1, 2, 3, 1, 10, 2]);
    const bins = applyBinning(x, fitBinning(x)).bins[0];
    expect(Array.from(bins)).toEqual([3, 1, 2, 3, 1, 4, 2]);
  });

  it('spreads a heavy tie into one bin and splits the rest by quantiles', () => {
    const vals = [...Array(900).fill(0), ...Array.from({ length: 100 }, (_, i) => i + 1)];
    const x = numericMatrix(vals);
    const b = fitBinning(x, { maxBins: 8 });
    const bins = applyBinning(x, b).bins[0];
    const counts = new Map<number, number>();
    for (const v of bins) counts.set(v, (counts.get(v) ?? 0) + 1);
    expect(counts.get(1)).toBe(900);
    // The other 100 values share the remaining ≤ 7 bins, none holding more than half of them.
    for (const [bin, c] of counts) if (bin !== 1) expect(c).toBeLessThanOrEqual(50);
    expect(counts.size).toBeGreaterThanOrEqual(4);
  });

  it('bins categories by code, lumps rare ones past 254 and sends unseen codes to bin 0', () => {
    const levels = 300;
    const n = 3000;
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = i < 2700 ? i % 254 : 254 + (i % 46); // 46 rare categories
    codes[5] = -1;
    const x: FeatureMatrix = { numRows: n, names: ['c'], columns: [codes], levels: [levels] };
    const b = fitBinning(x);
    expect(b.numBins[0]).toBe(MAX_CATEGORY_BINS + 2);
    const bins = applyBinning(x, b).bins[0];
    expect(bins[5]).toBe(0);
    const rare = new Set<number>();
    for (let i = 2700; i < n; i++) rare.add(bins[i]);
    expect([...rare]).toEqual([255]);
    const common = new Set<number>();
    for (let i = 0; i < 2700; i++) if (i !== 5) common.add(bins[i]);
    expect(common.size).toBe(254);
    const unseen: FeatureMatrix = { numRows: 1, names: ['c'], columns: [Int32Array.from([400])], levels: [401] };
    expect(applyBinning(unseen, b).bins[0][0]).toBe(0);
  });

  it('fits on the given rows only', () => {
    const x = numericMatrix([1, 2, 3, 100, 200]);
    const b = fitBinning(x, { rows: Int32Array.from([0, 1, 2]) });
    const bins = applyBinning(x, b).bins[0];
    expect(bins[3]).toBe(bins[4]); // 100 and 200 are past the last edge
    expect(b.numBins[0]).toBe(4);
  });

  it('round-trips through JSON and rejects bad options and mismatched matrices', () => {
    const x = numericMatrix([1, 5, 2, NaN]);
    const b = fitBinning(x);
    const b2 = binningFromJSON(JSON.parse(JSON.stringify(binningToJSON(b))));
    expect(Array.from(applyBinning(x, b2).bins[0])).toEqual(Array.from(applyBinning(x, b).bins[0]));
    expect(() => fitBinning(x, { maxBins: 1 })).toThrow(/maxBins/);
    const cat: FeatureMatrix = { numRows: 4, names: ['v'], columns: [Int32Array.from([0, 1, 0, 1])], levels: [2] };
    expect(() => applyBinning(cat, b)).toThrow(/categorical/);
    expect(() => binningFromJSON({ numBins: [2] })).toThrow(/malformed/);
  });

  it.skipIf(!hasShared)('bins every adult column into at most 65 bins (categoricals by level)', async () => {
    const adult = await loadShared('adult');
    const x = featureMatrix(adult.slice(0, 5000));
    const b = fitBinning(x);
    const xb = applyBinning(x, b);
    for (let j = 0; j < x.columns.length; j++) {
      if (x.levels[j] > 0) expect(b.numBins[j]).toBe(x.levels[j] + 1);
      else expect(b.numBins[j]).toBeLessThanOrEqual(65);
      let max = 0;
      for (const v of xb.bins[j]) max = Math.max(max, v);
      expect(max).toBeLessThan(b.numBins[j]);
    }
  });
});
