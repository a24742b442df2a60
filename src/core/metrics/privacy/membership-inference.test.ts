import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adultSplit } from '../../../../test/privacy/adult-split.js';
import { hasShared } from '../../../../test/helpers/datasets.js';
import { membershipInference, miaScore } from './membership-inference.js';
import { ascendingOrder, auc } from './stats.js';

describe('auc', () => {
  it('equals the pairwise definition with ties counted half, with and without counts (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.boolean(), fc.integer({ min: 0, max: 3 })), { minLength: 2, maxLength: 40 }), (rows) => {
        const s = Float64Array.from(rows, (r) => r[0]);
        const y = Uint8Array.from(rows, (r) => (r[1] ? 1 : 0));
        const w = Int32Array.from(rows, (r) => r[2]);
        for (const counts of [undefined, w]) {
          let num = 0, den = 0;
          for (let i = 0; i < rows.length; i++) for (let j = 0; j < rows.length; j++) {
            if (!y[i] || y[j]) continue;
            const c = counts ? counts[i] * counts[j] : 1;
            den += c;
            num += c * (s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0);
          }
          const got = auc(s, y, ascendingOrder(s), counts);
          if (den === 0) expect(got).toBeNaN();
          else expect(got).toBeCloseTo(num / den, 12);
        }
      }),
      { seed: 9 },
    );
  });
  it('miaScore is 1 at or below 0.5 and 0 at 1', () => {
    expect(miaScore(0.4)).toBe(1);
    expect(miaScore(0.6)).toBeCloseTo(0.8, 12);
    expect(miaScore(1)).toBe(0);
  });
});

describe.runIf(hasShared)('membershipInference on adult', async () => {
  const { train, holdout, fresh } = await adultSplit();
  const base = { real: train, holdout, schema: train.schema, seed: 1 };
  it('cannot tell members from non-members with unseen real rows released (AUC < 0.6)', async () => {
    const r = await membershipInference.compute({ ...base, synthetic: fresh });
    const d = r.details as Record<string, number | boolean>;
    expect(d.auc).toBeLessThan(0.6);
    expect(d.passed).toBe(true);
    expect(Math.abs((d.referenceAuc as number) - 0.5)).toBeLessThan(0.05);
  });
  it('finds every member when the training data are released (AUC > 0.95, gate failed)', async () => {
    const r = await membershipInference.compute({ ...base, synthetic: train });
    const d = r.details as Record<string, number | boolean>;
    expect(d.distanceAuc).toBeGreaterThan(0.95);
    expect(d.passed).toBe(false);
    expect(r.score!).toBeLessThan(0.1);
  });
});
