import { beforeAll, describe, expect, it } from 'vitest';
import { isSynthopsError } from '../../src/core/errors.js';
import { synthesizerKind } from '../../src/core/synth/registry.js';
import type { FittedSynthesizer } from '../../src/core/synth/synthesizer.js';
import type { Schema } from '../../src/core/table/schema.js';
import { Table } from '../../src/core/table/table.js';
import { createRng } from '../../src/core/random.js';

// start ≤ end holds in the data, but neither synthesizer below knows it exactly: the rules must enforce it.
const schema: Schema = {
  specVersion: 1,
  columns: [
    { name: 'start', type: 'numerical', nullable: false, decimals: 1 },
    { name: 'end', type: 'numerical', nullable: false, decimals: 1 },
    { name: 'city', type: 'categorical', nullable: false },
    { name: 'country', type: 'categorical', nullable: false },
  ],
};
const rng = createRng(9);
const places = [['Paris', 'France'], ['Lyon', 'France'], ['Berlin', 'Germany'], ['Bonn', 'Germany']];
const table = Table.fromRows(
  Array.from({ length: 600 }, () => {
    const s = Math.round(rng.next() * 1000) / 10;
    const [city, country] = places[rng.int(4)];
    return { start: s, end: Math.round((s + rng.next() * 5) * 10) / 10, city, country };
  }),
  schema,
);
const rules = {
  rules: [
    { id: 'order', type: 'inequality', low: 'start', high: 'end' },
    { type: 'range', column: 'start', min: 10, max: 90 },
    { id: 'place', type: 'combinations', columns: ['city', 'country'], allowed: places },
  ],
};

for (const kind of ['independent', 'gaussian-copula', 'cart', 'arf']) {
  describe(`constraints with ${kind}`, () => {
    let fitted: FittedSynthesizer;
    beforeAll(async () => {
      fitted = await synthesizerKind(kind).create().fit(table, { seed: 1 });
    });
    it('enforces every rule and counts the violations it redrew', () => {
      const { table: s, report } = fitted.sampleWithReport!(1000, { seed: 2, constraints: rules });
      const st = s.numeric('start').values, en = s.numeric('end').values;
      const city = s.categorical('city'), country = s.categorical('country');
      const ok = new Set(places.map((p) => p.join('|')));
      for (let i = 0; i < 1000; i++) {
        expect(st[i] <= en[i]).toBe(true);
        expect(st[i] >= 10 && st[i] <= 90).toBe(true);
        expect(ok.has(`${city.dictionary[city.codes[i]]}|${country.dictionary[country.codes[i]]}`)).toBe(true);
      }
      expect(Object.keys(report.constraintViolations).sort()).toEqual(['order', 'place', 'range-1']);
      expect(report.constraintViolations['range-1']).toBeGreaterThan(0);
      if (kind === 'independent') expect(report.constraintViolations.place).toBeGreaterThan(0);
    });
    it('reports impossible or malformed rules clearly', () => {
      const bad = [
        { rules: [{ type: 'range', column: 'start', min: 500, max: 600 }] },
        { rules: [{ type: 'inequality', low: 'nope', high: 'end' }] },
        { rules: [{ type: 'inequality', low: 'city', high: 'end' }] },
        { rules: [{ type: 'frobnicate' }] },
      ];
      for (const c of bad) {
        let err: unknown;
        try {
          fitted.sample(50, { seed: 1, constraints: c });
        } catch (e) {
          err = e;
        }
        expect(isSynthopsError(err) && err.code).toBe('invalid_argument');
      }
    });
  });
}
