import { describe, expect, it } from 'vitest';
import { DRIFT_TESTS } from '../../src/core/drift/registry.js';
import type { ColumnProfile } from '../../src/core/profile/profile.js';
import { createRng } from '../../src/core/random.js';
import { catProfile, numProfile, rep } from '../drift/helpers.js';
import { KNOWN_ANSWERS } from '../drift/known-answers.js';

/**
 * Contract every registered drift test must meet: identical → not drifted; disjoint → drifted; symmetric on the
 * kinds it declares; never NaN on constant or all-missing input; the statistic direction matches the decision.
 */
const rng = createRng(11);
const normal = (n: number, mu: number) => Array.from({ length: n }, () => mu + rng.normal());
const labels = (n: number, pool: string[]) => Array.from({ length: n }, () => pool[rng.int(pool.length)]);

function fixtures(id: string): { kind: string; a: ColumnProfile; b: ColumnProfile; disjoint: [ColumnProfile, ColumnProfile] }[] {
  if (id === 'missing-share@1')
    return [
      { kind: 'numeric', a: numProfile(normal(500, 0)), b: numProfile(normal(400, 0)), disjoint: [numProfile(normal(500, 0)), numProfile(rep(null, 500))] },
      { kind: 'categorical', a: catProfile(labels(500, ['a', 'b'])), b: catProfile(labels(300, ['a', 'b'])), disjoint: [catProfile(rep(null, 300)), catProfile(labels(300, ['a']))] },
    ];
  const out = [];
  const info = DRIFT_TESTS.find((t) => t.info.id === id)!.info;
  if (info.appliesTo.includes('numeric'))
    out.push({ kind: 'numeric', a: numProfile(normal(300, 0)), b: numProfile(normal(200, 0.3)), disjoint: [numProfile(normal(300, 0)), numProfile(normal(300, 100))] as [ColumnProfile, ColumnProfile] });
  if (info.appliesTo.includes('categorical')) {
    const pool = id === 'two-proportion-z@1' ? ['a', 'b'] : ['a', 'b', 'c', 'd'];
    const other = id === 'two-proportion-z@1' ? ['b'] : ['e', 'f', 'g'];
    out.push({ kind: 'categorical', a: catProfile(labels(300, pool)), b: catProfile(labels(200, pool)), disjoint: [catProfile(labels(300, id === 'two-proportion-z@1' ? ['a'] : pool)), catProfile(labels(300, other))] as [ColumnProfile, ColumnProfile] });
  }
  return out;
}

describe.each(DRIFT_TESTS.map((t) => [t.info.id, t] as const))('drift test contract: %s', (id, test) => {
  const cases = fixtures(id);
  it('has fixtures for each kind it applies to', () => expect(cases.length).toBe(test.info.appliesTo.length));
  for (const { kind, a, b, disjoint } of cases) {
    it(`${kind}: identical samples are not drifted and score the best value`, () => {
      const r = test.run(a, a);
      expect(r.drifted).toBe(false);
      expect(r.value).toBe(test.info.statistic === 'p-value' ? 1 : 0);
      expect(r.statistic).toBe(test.info.statistic);
    });
    it(`${kind}: disjoint samples are drifted`, () => {
      const r = test.run(disjoint[0], disjoint[1]);
      expect(r.skipped).toBeUndefined();
      expect(r.drifted).toBe(true);
      expect(test.info.statistic === 'p-value' ? r.value < r.threshold : r.value >= r.threshold).toBe(true);
    });
    if (test.info.symmetric.includes(kind as 'numeric'))
      it(`${kind}: swapping reference and current gives the same value`, () => {
        expect(test.run(b, a).value).toBeCloseTo(test.run(a, b).value, 12);
      });
    it(`${kind}: constant and all-missing inputs give a number, never NaN`, () => {
      const constant = kind === 'numeric' ? numProfile(rep(4, 50)) : catProfile(rep('a', 50));
      const constant2 = kind === 'numeric' ? numProfile(rep(4, 80)) : catProfile(rep('a', 80));
      const allNull = kind === 'numeric' ? numProfile(rep(null, 50)) : catProfile(rep(null, 50));
      for (const [x, y] of [[constant, constant2], [constant, allNull], [allNull, allNull], [allNull, a]]) {
        const r = test.run(x, y);
        expect(Number.isFinite(r.value)).toBe(true);
      }
      expect(test.run(constant, constant2).drifted).toBe(false);
    });
  }
});

describe('drift test registry', () => {
  it('every registered test has known-answer checks and a contract run (completeness)', () => {
    expect(DRIFT_TESTS.map((t) => t.info.id).sort()).toEqual(Object.keys(KNOWN_ANSWERS).sort());
  });
  it('ids are versioned and unique', () => {
    const ids = DRIFT_TESTS.map((t) => t.info.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9-]+@\d+$/);
  });
});
