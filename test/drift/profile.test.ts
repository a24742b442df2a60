import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random.js';
import { FrequentItems, FREQUENT_ITEMS_CAP } from '../../src/core/profile/frequent-items.js';
import { HyperLogLog } from '../../src/core/profile/hyperloglog.js';
import { mergeProfiles, profileFromArtifact, profileTable, profileToArtifact } from '../../src/core/profile/profile.js';
import { bucketKey, bucketRange, QuantileSketch, RELATIVE_ERROR } from '../../src/core/profile/quantile-sketch.js';
import { loadShared } from '../helpers/datasets.js';

const finite = fc.double({ min: -1e12, max: 1e12, noNaN: true, noDefaultInfinity: true });

describe('quantile sketch', () => {
  it('bucketKey is monotone and every value lies in its bucket range', () => {
    fc.assert(
      fc.property(finite, finite, (x, y) => {
        if (x <= y) expect(bucketKey(x)).toBeLessThanOrEqual(bucketKey(y));
        const [lo, hi] = bucketRange(bucketKey(x));
        if (x > 0) expect(x >= lo && x < hi).toBe(true);
        if (x < 0) expect(x > lo && x <= hi).toBe(true);
      }),
    );
  });

  it('merge(sketch(a), sketch(b)) equals sketch(a ++ b) exactly', () => {
    fc.assert(
      fc.property(fc.array(finite, { maxLength: 200 }), fc.array(finite, { maxLength: 200 }), (a, b) => {
        const whole = QuantileSketch.fromValues([...a, ...b]);
        const merged = QuantileSketch.fromValues(a).merge(QuantileSketch.fromValues(b));
        expect(merged.toJSON()).toEqual(whole.toJSON());
      }),
    );
  });

  it('quantiles are within the stated relative error of the true quantile', () => {
    const rng = createRng(7);
    const v = new Float64Array(20000);
    for (let i = 0; i < v.length; i++) v[i] = Math.exp(rng.normal() * 2) * (rng.next() < 0.3 ? -1 : 1);
    const s = QuantileSketch.fromValues(v);
    const sorted = Float64Array.from(v).sort();
    for (const q of [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) {
      const truth = sorted[Math.ceil(q * v.length) - 1];
      expect(Math.abs(s.quantile(q) - truth)).toBeLessThanOrEqual(Math.abs(truth) * 2 * RELATIVE_ERROR + 1e-12);
    }
    expect(s.quantile(0)).toBe(sorted[0]);
    expect(s.quantile(1)).toBe(sorted[sorted.length - 1]);
  });

  it('a constant column has std 0 and its exact value as every quantile', () => {
    const s = QuantileSketch.fromValues(new Float64Array(100).fill(3.3));
    expect(s.moments()).toEqual({ mean: 3.3, std: 0 });
    expect(s.quantile(0.5)).toBe(3.3);
  });

  it('round-trips through JSON and rejects malformed input', () => {
    const s = QuantileSketch.fromValues([1, 2, 2, -5, 0, NaN]);
    expect(QuantileSketch.fromJSON(JSON.parse(JSON.stringify(s.toJSON()))).toJSON()).toEqual(s.toJSON());
    expect(s.n).toBe(5);
    expect(() => QuantileSketch.fromJSON({ keys: [3, 1], counts: [1, 1], min: 0, max: 1 })).toThrow(/ascending/);
  });
});

describe('HyperLogLog', () => {
  it('estimates distinct counts within 5 % and merges order-free', () => {
    const a = new HyperLogLog(), b = new HyperLogLog(), all = new HyperLogLog();
    for (let i = 0; i < 50000; i++) {
      (i % 2 ? a : b).addString('v' + i);
      all.addString('v' + i);
    }
    expect(Math.abs(all.estimate() - 50000) / 50000).toBeLessThan(0.05);
    expect(a.merge(b).registers).toEqual(all.registers);
    const small = new HyperLogLog();
    small.addNumbers([1, 2, 3, 3, NaN, -0, 0]);
    expect(Math.round(small.estimate())).toBe(4);
  });
});

describe('frequent items', () => {
  it('overflows past the cap, on either side of a merge', () => {
    const big = new Map<string, number>();
    for (let i = 0; i <= FREQUENT_ITEMS_CAP; i++) big.set('k' + i, 1);
    expect(FrequentItems.fromCounts(big).overflow).toBe(true);
    const half1 = new Map([...big].slice(0, 600)), half2 = new Map([...big].slice(600));
    expect(FrequentItems.fromCounts(half1).merge(FrequentItems.fromCounts(half2)).overflow).toBe(true);
  });
});

describe('profiles of a real table', () => {
  it('profile(first half) merged with profile(second half) equals profile(whole) (adult)', async () => {
    const t = (await loadShared('adult')).slice(0, 6000);
    const whole = profileToArtifact(profileTable(t));
    const merged = profileToArtifact(mergeProfiles(profileTable(t.slice(0, 2500)), profileTable(t.slice(2500))));
    expect(merged).toEqual(whole);
  });

  it('round-trips as an artifact and keeps no row of the data', async () => {
    const t = (await loadShared('titanic'));
    const art = JSON.parse(JSON.stringify(profileToArtifact(profileTable(t))));
    const back = profileFromArtifact(art, 'ref.profile.json').profile;
    expect(profileToArtifact(back)).toEqual(art);
    // No sequence of cells from one row appears: the profile holds counts per column only.
    const text = JSON.stringify(art);
    const row = t.toRows()[0];
    const cells = Object.values(row).filter((v) => v !== null).map(String);
    expect(text.includes(cells.join(','))).toBe(false);
    expect(back.columns.find((c) => c.name === 'Age')!.nulls).toBe(177);
  });

  it('merging profiles with different columns or types is a schema_mismatch', async () => {
    const t = (await loadShared('titanic')).slice(0, 100);
    const p = profileTable(t);
    const q = profileTable(t.select(['Survived', 'Pclass']));
    expect(() => mergeProfiles(p, q)).toThrow(/missing from the second profile/);
    expect(() => profileFromArtifact({ format: 'synthops', formatVersion: 1, kind: 'report', kindVersion: 1, payload: {} })).toThrow(/invalid kind/);
  });
});
