import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CategoricalColumn, NumericColumn } from '../table/column.js';
import type { Schema } from '../table/schema.js';
import { Table } from '../table/table.js';
import { loadShared, hasShared } from '../../../test/helpers/datasets.js';
import { createRng } from '../random.js';
import { bruteForceKnn } from './brute-force.js';
import { MixedSpace } from './mixed-space.js';
import { MixedTree } from './mixed-tree.js';

const schema: Schema = {
  specVersion: 1,
  columns: [
    { name: 'x', type: 'numerical', nullable: true },
    { name: 'y', type: 'numerical', nullable: true },
    { name: 'c', type: 'categorical', nullable: true },
    { name: 'd', type: 'categorical', nullable: true },
  ],
};

/** Small value sets so ties, duplicates, missing values and unseen labels are common. */
const rowArb = fc.tuple(
  fc.option(fc.integer({ min: -5, max: 5 }), { nil: null, freq: 6 }),
  fc.option(fc.double({ min: -3, max: 3, noNaN: true }), { nil: null, freq: 6 }),
  fc.option(fc.constantFrom('a', 'b', 'c', 'z'), { nil: null, freq: 6 }),
  fc.option(fc.constantFrom('p', 'q', 'r', 's', 't'), { nil: null, freq: 6 }),
);

function makeTable(rows: [number | null, number | null, string | null, string | null][]): Table {
  return new Table(schema, [
    NumericColumn.from(rows.map((r) => r[0])),
    NumericColumn.from(rows.map((r) => r[1])),
    CategoricalColumn.from(rows.map((r) => r[2])),
    CategoricalColumn.from(rows.map((r) => r[3])),
  ]);
}

describe('MixedTree.knn', () => {
  it('returns exactly the brute-force k-NN distances (property)', () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 60 }),
        fc.array(rowArb, { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 6 }),
        (dataRows, queryRows, k, leafSize) => {
          const data = makeTable(dataRows);
          const space = MixedSpace.fromTable(data);
          const E = space.encode(data);
          const Q = space.encode(makeTable(queryRows));
          const tree = MixedTree.build(space, E, { leafSize });
          expect(Array.from(tree.knn(Q, { k }).distances)).toEqual(Array.from(bruteForceKnn(space, E, Q, { k }).distances));
          // Leave-one-out over the indexed rows themselves.
          const self = tree.knn(E, { k, excludeSelf: true });
          expect(Array.from(self.distances)).toEqual(Array.from(bruteForceKnn(space, E, E, { k, excludeSelf: true }).distances));
          for (let q = 0; q < self.numQueries; q++) for (let t = 0; t < k; t++) expect(self.indices[q * k + t]).not.toBe(q);
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });

  it('reports indices whose distance matches the returned distance', () => {
    const rng = createRng(3);
    const rows = Array.from({ length: 300 }, () => [rng.int(10), rng.normal(), 'abc'[rng.int(3)], 'pq'[rng.int(2)]] as [number, number, string, string]);
    const data = makeTable(rows);
    const space = MixedSpace.fromTable(data);
    const E = space.encode(data);
    const nn = MixedTree.build(space, E).knn(E, { k: 3, excludeSelf: true });
    for (let q = 0; q < nn.numQueries; q++)
      for (let t = 0; t < 3; t++) expect(space.distance(E, q, E, nn.indices[q * 3 + t])).toBe(nn.distances[q * 3 + t]);
  });

  it('agrees with brute force when a categorical column has more than 255 levels (codes not packed into bytes)', () => {
    const rng = createRng(23);
    const rows = Array.from({ length: 400 }, () => [rng.int(5), rng.normal(), `l${rng.int(1_000_000)}`, 'pq'[rng.int(2)]] as [number, number, string, string]);
    const data = makeTable(rows.slice(0, 300)), queries = makeTable(rows.slice(300));
    const space = MixedSpace.fromTable(data);
    const E = space.encode(data), Q = space.encode(queries);
    const tree = MixedTree.build(space, E, { leafSize: 4 });
    for (const nearFirst of [true, false]) {
      expect(Array.from(tree.knn(Q, { k: 3, nearFirst }).distances)).toEqual(Array.from(bruteForceKnn(space, E, Q, { k: 3 }).distances));
      expect(Array.from(tree.knn(E, { k: 2, excludeSelf: true, nearFirst }).distances)).toEqual(Array.from(bruteForceKnn(space, E, E, { k: 2, excludeSelf: true }).distances));
    }
  });

  it('pads with Infinity and -1 when the data has fewer than k rows', () => {
    const data = makeTable([[1, 1, 'a', 'p']]);
    const space = MixedSpace.fromTable(data);
    const nn = MixedTree.build(space, space.encode(data)).knn(space.encode(data), { k: 2 });
    expect(Array.from(nn.distances)).toEqual([0, Infinity]);
    expect(Array.from(nn.indices)).toEqual([0, -1]);
  });

  it.runIf(hasShared)('agrees with brute force on adult (2,000 rows against 200 queries)', async () => {
    const adult = await loadShared('adult');
    const perm = createRng(11).permutation(adult.numRows);
    const train = adult.take(perm.subarray(0, 2000));
    const queries = adult.take(perm.subarray(2000, 2200));
    const space = MixedSpace.fromTable(train);
    const E = space.encode(train), Q = space.encode(queries);
    const tree = MixedTree.build(space, E);
    expect(Array.from(tree.knn(Q, { k: 2 }).distances)).toEqual(Array.from(bruteForceKnn(space, E, Q, { k: 2 }).distances));
  });
});

/** Three categorical columns with few levels and two numeric ones on a coarse grid: many rows one or two categorical
 * mismatches apart, equal distances and duplicates. */
const schema3: Schema = {
  specVersion: 1,
  columns: [
    { name: 'x', type: 'numerical', nullable: true },
    { name: 'y', type: 'numerical', nullable: true },
    { name: 'c', type: 'categorical', nullable: true },
    { name: 'd', type: 'categorical', nullable: true },
    { name: 'e', type: 'categorical', nullable: true },
  ],
};
const row3Arb = fc.tuple(
  fc.option(fc.integer({ min: 0, max: 4 }), { nil: null, freq: 8 }),
  fc.option(fc.constantFrom(0, 0.25, 0.5, 1.5, 3), { nil: null, freq: 8 }),
  fc.option(fc.constantFrom('a', 'b', 'c'), { nil: null, freq: 8 }),
  fc.option(fc.constantFrom('p', 'q'), { nil: null, freq: 8 }),
  fc.option(fc.constantFrom('u', 'v', 'w'), { nil: null, freq: 8 }),
);
function makeTable3(rows: [number | null, number | null, string | null, string | null, string | null][]): Table {
  return new Table(schema3, [0, 1].map((j) => NumericColumn.from(rows.map((r) => r[j] as number | null))).concat([2, 3, 4].map((j) => CategoricalColumn.from(rows.map((r) => r[j] as string | null))) as never[]));
}

describe('MixedTree.knn near-first scan', () => {
  it('returns exactly the tree-only search: same distances and same neighbour indices, ties included (property)', () => {
    fc.assert(
      fc.property(
        fc.array(row3Arb, { minLength: 1, maxLength: 80 }),
        fc.array(row3Arb, { minLength: 5, maxLength: 30 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 6 }),
        (dataRows, queryRows, k, leafSize) => {
          const data = makeTable3(dataRows);
          const space = MixedSpace.fromTable(data);
          const E = space.encode(data);
          const Q = space.encode(makeTable3(queryRows));
          const tree = MixedTree.build(space, E, { leafSize });
          for (const [rows, excludeSelf] of [[Q, false], [E, true]] as const) {
            const fast = tree.knn(rows, { k, excludeSelf });
            const plain = tree.knn(rows, { k, excludeSelf, nearFirst: false });
            expect(Array.from(fast.distances)).toEqual(Array.from(plain.distances));
            expect(Array.from(fast.indices)).toEqual(Array.from(plain.indices));
            expect(Array.from(fast.distances)).toEqual(Array.from(bruteForceKnn(space, E, rows, { k, excludeSelf }).distances));
          }
        },
      ),
      { seed: 13, numRuns: 400 },
    );
  });

  it('countBalls: the same counts with and without the near scan, radii around one and two mismatches (property)', () => {
    fc.assert(
      fc.property(
        fc.array(row3Arb, { minLength: 1, maxLength: 60 }),
        fc.array(row3Arb, { minLength: 1, maxLength: 60 }),
        fc.array(fc.oneof(fc.double({ min: 0, max: 0.6, noNaN: true }), fc.constantFrom(0.2, 0.25, 0.3, 0.4, 0.45)), { minLength: 60, maxLength: 60 }),
        fc.boolean(),
        (centreRows, queryRows, r, stopAtOne) => {
          const centres = makeTable3(centreRows);
          const space = MixedSpace.fromTable(centres);
          const C = space.encode(centres), Q = space.encode(makeTable3(queryRows));
          const radii = Float64Array.from(r.slice(0, C.numRows));
          const tree = MixedTree.build(space, Q, { leafSize: 3 });
          const got = tree.countBalls(C, radii, { stopAtOne });
          expect(Array.from(got)).toEqual(Array.from(tree.countBalls(C, radii, { stopAtOne, nearFirst: false })));
          expect(Array.from(got)).toEqual(Array.from(MixedTree.build(space, C).countWithin(Q, radii, { stopAtOne })));
        },
      ),
      { seed: 19, numRuns: 300 },
    );
  });

  it.runIf(hasShared)('returns exactly the tree-only search on adult (3,000 rows, their own k = 5 and 1,000 other rows)', async () => {
    const adult = await loadShared('adult');
    const perm = createRng(17).permutation(adult.numRows);
    const train = adult.take(perm.subarray(0, 3000));
    const other = adult.take(perm.subarray(3000, 4000));
    const space = MixedSpace.fromTable(train);
    const E = space.encode(train), Q = space.encode(other);
    const tree = MixedTree.build(space, E);
    for (const [rows, k, excludeSelf] of [[E, 5, true], [Q, 2, false]] as const) {
      const fast = tree.knn(rows, { k, excludeSelf });
      const plain = tree.knn(rows, { k, excludeSelf, nearFirst: false });
      expect(fast.distances).toEqual(plain.distances);
      expect(fast.indices).toEqual(plain.indices);
    }
  });
});

describe('MixedTree.countBalls', () => {
  it('counts, per indexed row, the balls holding it: exactly countWithin and a brute-force count (property)', () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 50 }),
        fc.array(rowArb, { minLength: 1, maxLength: 30 }),
        fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.125, 0.25, 1 / 3)), { minLength: 50, maxLength: 50 }),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        (centreRows, queryRows, r, leafSize, stopAtOne) => {
          const centres = makeTable(centreRows);
          const space = MixedSpace.fromTable(centres);
          const C = space.encode(centres), Q = space.encode(makeTable(queryRows));
          const radii = Float64Array.from(r.slice(0, C.numRows));
          const got = MixedTree.build(space, Q, { leafSize }).countBalls(C, radii, { stopAtOne });
          expect(Array.from(got)).toEqual(Array.from(MixedTree.build(space, C).countWithin(Q, radii, { stopAtOne })));
          const brute = Array.from({ length: Q.numRows }, (_, q) => {
            let c = 0;
            for (let i = 0; i < C.numRows; i++) if (space.distance(C, i, Q, q) <= radii[i]) c++;
            return stopAtOne ? Math.min(c, 1) : c;
          });
          expect(Array.from(got)).toEqual(brute);
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });
});

describe('MixedSpace', () => {
  it('distance is 0 for identical rows, in [0, 1], symmetric and obeys the triangle inequality (property)', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 3, maxLength: 3 }), (rows) => {
        const t = makeTable(rows);
        const space = MixedSpace.fromTable(t);
        const E = space.encode(t);
        const d = (i: number, j: number) => space.distance(E, i, E, j);
        for (let i = 0; i < 3; i++) {
          expect(d(i, i)).toBe(0);
          for (let j = 0; j < 3; j++) {
            expect(d(i, j)).toBeGreaterThanOrEqual(0);
            expect(d(i, j)).toBeLessThanOrEqual(1);
            expect(d(i, j)).toBe(d(j, i));
            for (let m = 0; m < 3; m++) expect(d(i, m)).toBeLessThanOrEqual(d(i, j) + d(j, m) + 1e-12);
          }
        }
      }),
      { seed: 5, numRuns: 300 },
    );
  });

  it('matches labels across tables with different dictionaries', () => {
    const a = makeTable([[0, 0, 'a', 'p'], [1, 1, 'b', 'q']]);
    const b = makeTable([[1, 1, 'b', 'q'], [0, 0, 'new', 'p']]);
    const space = MixedSpace.fromTable(a);
    const A = space.encode(a), B = space.encode(b);
    expect(space.distance(A, 1, B, 0)).toBe(0);
    expect(space.distance(A, 0, B, 1)).toBe(1 / 4); // only the unseen label differs
  });

  it('rejects a table without the space columns, naming them', () => {
    const a = makeTable([[0, 0, 'a', 'p']]);
    const space = MixedSpace.fromTable(a);
    expect(() => space.encode(a.select(['x', 'c']), 'synthetic data')).toThrow(/synthetic data: columns y, d/);
  });
});
