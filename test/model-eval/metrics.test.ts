import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentileInterval, poissonWeights } from '../../src/core/model-eval/bootstrap.js';
import { calibrationBins, calibrationScores } from '../../src/core/model-eval/calibration.js';
import { confusionMatrix, confusionScores } from '../../src/core/model-eval/confusion.js';
import { benjaminiHochberg } from '../../src/core/model-eval/multiple-testing.js';
import { averagePrecisionSorted, multiclassLosses, probabilityLosses, rocAucSorted, thresholdSweep } from '../../src/core/model-eval/ranking.js';
import { regressionScores } from '../../src/core/model-eval/regression.js';
import { createRng } from '../../src/core/random.js';

describe('confusion-matrix scores (hand-computed)', () => {
  // truth: 0 0 0 1 1 1 1 2 ; pred: 0 1 0 1 1 0 1 2
  const y = Int32Array.of(0, 0, 0, 1, 1, 1, 1, 2);
  const p = Int32Array.of(0, 1, 0, 1, 1, 0, 1, 2);
  const cm = confusionMatrix(y, p, 3);
  const s = confusionScores(cm, 3);
  it('confusionMatrix counts true × predicted', () => {
    expect(Array.from(cm)).toEqual([2, 1, 0, 1, 3, 0, 0, 0, 1]);
  });
  it('accuracy is 6/8 and balanced accuracy the mean recall (2/3 + 3/4 + 1)/3', () => {
    expect(s.accuracy).toBeCloseTo(6 / 8, 12);
    expect(s.balancedAccuracy).toBeCloseTo((2 / 3 + 3 / 4 + 1) / 3, 12);
  });
  it('per-class precision, recall, F1 and macro/weighted averages', () => {
    // class 0: tp 2, fp 1, fn 1 → P 2/3, R 2/3, F1 2/3; class 1: tp 3, fp 1, fn 1 → 3/4; class 2: 1.
    expect(s.perClass[0].precision).toBeCloseTo(2 / 3, 12);
    expect(s.perClass[1].recall).toBeCloseTo(3 / 4, 12);
    expect(s.perClass[2].f1).toBe(1);
    expect(s.macro.f1).toBeCloseTo((2 / 3 + 3 / 4 + 1) / 3, 12);
    expect(s.weighted.f1).toBeCloseTo((3 * (2 / 3) + 4 * (3 / 4) + 1) / 8, 12);
  });
  it('a class absent from truth and predictions is NaN and left out of macro averages', () => {
    const s4 = confusionScores(confusionMatrix(y, p, 4), 4);
    expect(s4.perClass[3].f1).toBeNaN();
    expect(s4.perClass[3].recall).toBeNaN();
    expect(s4.macro.f1).toBeCloseTo(s.macro.f1, 12);
    expect(s4.balancedAccuracy).toBeCloseTo(s.balancedAccuracy, 12);
  });
  it('a class present in the truth but never predicted has precision 0, recall 0, F1 0', () => {
    const s2 = confusionScores(confusionMatrix(Int32Array.of(0, 1, 1), Int32Array.of(0, 0, 0), 2), 2);
    expect(s2.perClass[1]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 2 });
    expect(s2.perClass[0].f1).toBeCloseTo(2 / 4, 12); // tp 1, fp 2 → 2/(2+2)
    expect(s2.macro.f1).toBeCloseTo(0.25, 12);
  });
  it('a class predicted but never in the truth has recall NaN, precision 0, F1 0', () => {
    const s3 = confusionScores(confusionMatrix(Int32Array.of(0, 0), Int32Array.of(0, 1), 2), 2);
    expect(s3.perClass[1].recall).toBeNaN();
    expect(s3.perClass[1].precision).toBe(0);
    expect(s3.perClass[1].f1).toBe(0);
    expect(s3.balancedAccuracy).toBe(0.5);
  });
});

describe('ranking scores', () => {
  it('ROC AUC counts ties as one half', () => {
    expect(rocAucSorted(Float64Array.of(0.1, 0.4, 0.4, 0.8), Uint8Array.of(0, 0, 1, 1))).toBeCloseTo(0.875, 12);
    expect(rocAucSorted(Float64Array.of(0.5, 0.5, 0.5), Uint8Array.of(0, 1, 1))).toBe(0.5);
    expect(rocAucSorted(Float64Array.of(0.1, 0.9), Uint8Array.of(1, 1))).toBeNaN();
  });
  it('average precision matches the textbook example (0.8333)', () => {
    // truth 0 0 1 1 with scores 0.1 0.4 0.35 0.8, sorted ascending: 0.1(0) 0.35(1) 0.4(0) 0.8(1)
    expect(averagePrecisionSorted(Float64Array.of(0.1, 0.35, 0.4, 0.8), Uint8Array.of(0, 1, 0, 1))).toBeCloseTo(5 / 6, 12);
  });
  it('average precision treats tied scores as one threshold', () => {
    // both rows tied: one threshold, recall 1 at precision 1/2
    expect(averagePrecisionSorted(Float64Array.of(0.3, 0.3), Uint8Array.of(0, 1))).toBeCloseTo(0.5, 12);
  });
  it('weighted AUC equals the pairwise (Mann–Whitney) count over replicated rows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ s: fc.integer({ min: 0, max: 5 }), y: fc.integer({ min: 0, max: 1 }), w: fc.integer({ min: 0, max: 3 }) }), { minLength: 2, maxLength: 40 }),
        (rows) => {
          rows.sort((a, b) => a.s - b.s);
          const auc = rocAucSorted(rows.map((r) => r.s), rows.map((r) => r.y), rows.map((r) => r.w));
          let num = 0, den = 0;
          for (const a of rows) for (const b of rows) {
            if (a.y !== 1 || b.y !== 0) continue;
            const ww = a.w * b.w;
            den += ww;
            num += ww * (a.s > b.s ? 1 : a.s === b.s ? 0.5 : 0);
          }
          if (den === 0) expect(auc).toBeNaN();
          else expect(auc).toBeCloseTo(num / den, 10);
        },
      ),
      { seed: 11, numRuns: 200 },
    );
  });
  it('log loss and Brier score of a textbook pair', () => {
    const l = probabilityLosses(Float64Array.of(0.9, 0.2), Uint8Array.of(1, 0));
    expect(l.logLoss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 12);
    expect(l.brier).toBeCloseTo((0.01 + 0.04) / 2, 12);
    const m = multiclassLosses(Float64Array.of(0.7, 0.2, 0.1), Int32Array.of(0), 3);
    expect(m.brier).toBeCloseTo(0.09 + 0.04 + 0.01, 12);
    expect(m.logLoss).toBeCloseTo(-Math.log(0.7), 12);
  });
  it('threshold sweep: predict positive when score ≥ t', () => {
    const [a, b] = thresholdSweep(Float64Array.of(0.1, 0.35, 0.4, 0.8), Uint8Array.of(0, 1, 0, 1), [0.3, 0.5]);
    expect(a).toMatchObject({ threshold: 0.3, precision: 2 / 3, recall: 1, fpr: 0.5, selectionRate: 0.75, accuracy: 0.75 });
    expect(b).toMatchObject({ threshold: 0.5, precision: 1, recall: 0.5, fpr: 0, selectionRate: 0.25, accuracy: 0.75 });
    expect(b.f1).toBeCloseTo(2 / 3, 12);
  });
});

describe('regression scores', () => {
  it('match the textbook example (y = 3, -0.5, 2, 7; ŷ = 2.5, 0, 2, 8)', () => {
    const s = regressionScores(Float64Array.of(3, -0.5, 2, 7), Float64Array.of(2.5, 0, 2, 8));
    expect(s.mae).toBeCloseTo(0.5, 12);
    expect(s.rmse).toBeCloseTo(Math.sqrt(0.375), 12);
    expect(s.r2).toBeCloseTo(0.9486081370449679, 10);
    expect(s.mape).toBeCloseTo((0.5 / 3 + 0.5 / 0.5 + 0 + 1 / 7) / 4, 12);
  });
  it('MAPE leaves out rows whose truth is 0 and says how many', () => {
    const s = regressionScores(Float64Array.of(0, 2), Float64Array.of(1, 3));
    expect(s.mape).toBeCloseTo(0.5, 12);
    expect(s.mapeExcluded).toBe(1);
  });
  it('integer weights equal replicated rows', () => {
    const a = regressionScores(Float64Array.of(1, 2, 4), Float64Array.of(1.5, 2, 3), Uint8Array.of(2, 0, 1));
    const b = regressionScores(Float64Array.of(1, 1, 4), Float64Array.of(1.5, 1.5, 3));
    expect(a.rmse).toBeCloseTo(b.rmse, 12);
    expect(a.r2).toBeCloseTo(b.r2, 12);
  });
});

describe('calibration', () => {
  it('ECE and MCE by hand: two bins with gaps 0.3 and 0.1', () => {
    // bin [0.8, 0.9): p 0.8, 0.8 with outcomes 1, 0 → conf 0.8, freq 0.5, gap 0.3; bin [0.2,0.3): p 0.2 ×2, outcomes 0,0 → gap 0.2
    const p = Float64Array.of(0.8, 0.8, 0.2, 0.2);
    const o = Uint8Array.of(1, 0, 0, 0);
    const c = calibrationScores(p, o, calibrationBins(p, 10, 'width'));
    expect(c.ece).toBeCloseTo(0.5 * 0.3 + 0.5 * 0.2, 12);
    expect(c.mce).toBeCloseTo(0.3, 12);
    expect(c.bins[8]).toMatchObject({ count: 2, frequency: 0.5 });
  });
  it('perfectly calibrated probabilities have ECE near 0 (seeded simulation)', () => {
    const rng = createRng(3);
    const n = 20000;
    const p = new Float64Array(n), o = new Uint8Array(n);
    for (let i = 0; i < n; i++) { p[i] = rng.next(); o[i] = rng.next() < p[i] ? 1 : 0; }
    for (const s of ['width', 'mass'] as const) expect(calibrationScores(p, o, calibrationBins(p, 10, s)).ece).toBeLessThan(0.02);
  });
  it('equal-mass bins hold equal counts', () => {
    const p = Float64Array.from({ length: 100 }, (_, i) => (i + 0.5) / 100);
    const c = calibrationScores(p, new Uint8Array(100), calibrationBins(p, 4, 'mass'));
    expect(c.bins.map((b) => b.count)).toEqual([25, 25, 25, 25]);
  });
});

describe('bootstrap helpers', () => {
  it('Poisson(1) weights have mean and variance ≈ 1 and are reproducible', () => {
    const a = poissonWeights(createRng(5), new Uint8Array(200000));
    const b = poissonWeights(createRng(5), new Uint8Array(200000));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    let s = 0, s2 = 0;
    for (const x of a) { s += x; s2 += x * x; }
    const m = s / a.length;
    expect(m).toBeGreaterThan(0.99);
    expect(m).toBeLessThan(1.01);
    expect(s2 / a.length - m * m).toBeGreaterThan(0.98);
    expect(s2 / a.length - m * m).toBeLessThan(1.02);
  });
  it('percentile interval skips NaN and needs two values', () => {
    expect(percentileInterval(Float64Array.of(NaN, 1))).toBeNull();
    expect(percentileInterval(Float64Array.of(0, 1, 2, 3, 4), 0.5)).toEqual([1, 3]);
  });
  it('Benjamini–Hochberg matches the hand computation', () => {
    const q = benjaminiHochberg([0.01, 0.04, 0.03]);
    expect(q[0]).toBeCloseTo(0.03, 12);
    expect(q[1]).toBeCloseTo(0.04, 12);
    expect(q[2]).toBeCloseTo(0.04, 12);
  });
});

describe('poissonCounts', () => {
  it('draws Poisson(m): mean and variance ≈ m for small and large m', async () => {
    const { poissonCounts } = await import('../../src/core/model-eval/bootstrap.js');
    for (const m of [1, 3.5, 25, 400]) {
      const mult = new Float64Array(40000).fill(m);
      const out = poissonCounts(createRng(9, m), mult, new Float64Array(mult.length));
      let s = 0, s2 = 0;
      for (const x of out) { s += x; s2 += x * x; }
      const mean = s / out.length, v = s2 / out.length - mean * mean;
      expect(Math.abs(mean - m)).toBeLessThan(0.03 * m + 0.02);
      expect(Math.abs(v - m)).toBeLessThan(0.06 * m + 0.03);
    }
  });
});
