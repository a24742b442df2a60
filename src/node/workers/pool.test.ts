import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../core/random.js';
import { featureMatrix, type FeatureMatrix } from '../../core/learners/features.js';
import { fitLearner, kFoldIndices, learnerTarget } from '../../core/learners/learner.js';
import { SynthopsError } from '../../core/errors.js';
import { coreModule, WorkerPool, workersFromCompiled } from './pool.js';
import { fitLearnersInPool, fitRandomForestInPool } from './parallel-learners.js';
import { hasShared, loadShared } from '../../../test/helpers/datasets.js';

const pools: WorkerPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});
const pool = (size: number) => {
  const p = new WorkerPool({ size });
  pools.push(p);
  return p;
};

describe('WorkerPool', () => {
  it('runs a named core function in worker threads (from TypeScript sources) and keeps task order', async () => {
    const p = pool(2);
    const seeds = [1, 2, 3, 4, 5];
    const out = await p.runAll<number[]>(seeds.map((s) => ({ module: coreModule('learners/learner'), name: 'kFoldIndices', args: [20, 4, s] })));
    seeds.forEach((s, i) => expect(Array.from(out[i] as unknown as Int32Array)).toEqual(Array.from(kFoldIndices(20, 4, s))));
  });

  it('starts workers from dist/ only when it is fresh, unless told to use the sources (same results either way)', async () => {
    const before = process.env.SYNTHOPS_POOL_WORKERS;
    process.env.SYNTHOPS_POOL_WORKERS = 'sources';
    try {
      expect(workersFromCompiled()).toBe(false);
    } finally {
      if (before === undefined) delete process.env.SYNTHOPS_POOL_WORKERS;
      else process.env.SYNTHOPS_POOL_WORKERS = before;
    }
    expect(typeof workersFromCompiled()).toBe('boolean');
  });

  it('passes a SynthopsError from a worker back with its code, and refuses modules outside core', async () => {
    const p = pool(1);
    const err = await p.run({ module: coreModule('learners/learner'), name: 'kFoldIndices', args: [10, 1, 1] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SynthopsError);
    expect((err as SynthopsError).code).toBe('invalid_argument');
    expect((err as SynthopsError).message).toMatch(/invalid k/);
    await expect(p.run({ module: 'file:///etc/passwd', name: 'x', args: [] })).rejects.toThrow(/core folder/);
    await expect(p.run({ module: coreModule('learners/learner'), name: 'nope', args: [] })).rejects.toThrow(/not a function/);
  });

  it('starts a queued task of higher priority before earlier queued ones (first in, first out within a priority)', async () => {
    const p = pool(1);
    const started: string[] = [];
    const task = (name: string, priority?: number) =>
      p.run({ module: coreModule('learners/learner'), name: 'kFoldIndices', args: [2000, 4, 1], ...(priority !== undefined ? { priority } : {}) }).then(() => started.push(name));
    // The first task occupies the only worker; the rest queue behind it.
    await Promise.all([task('busy'), task('a'), task('b', 0), task('urgent', 1), task('urgent2', 1), task('c')]);
    expect(started).toEqual(['busy', 'urgent', 'urgent2', 'a', 'b', 'c']);
  });

  it('rejects tasks after close', async () => {
    const p = new WorkerPool({ size: 1 });
    await p.close();
    await expect(p.run({ module: coreModule('learners/learner'), name: 'kFoldIndices', args: [10, 2, 1] })).rejects.toThrow(/closed/);
    expect(() => new WorkerPool({ size: 0 })).toThrow(/pool size/);
  });
});

describe.skipIf(!hasShared)('parallel learners on adult (2,000 rows)', () => {
  it('a random forest fitted with 1 worker, 2 workers and in-thread gives identical predictions', async () => {
    const adult = (await loadShared('adult')).slice(0, 2000);
    const x = featureMatrix(adult, adult.columnNames.filter((c) => c !== 'income'));
    const { target, classes } = learnerTarget(adult, 'income');
    const opts = { seed: 9, nEstimators: 12, minSamplesLeaf: 2 };
    const one = await fitRandomForestInPool(pool(1), x, target, opts, classes);
    const two = await fitRandomForestInPool(pool(2), x, target, opts, classes);
    const here = fitLearner('random-forest', x, target, opts);
    const p1 = one.predictProba(x), p2 = two.predictProba(x), p0 = here.predictProba(x);
    expect(Array.from(p2)).toEqual(Array.from(p1));
    expect(Array.from(p0)).toEqual(Array.from(p1));
    // A different seed gives a different forest (the comparison above can fail).
    const other = await fitRandomForestInPool(pool(2), x, target, { ...opts, seed: 10 }, classes);
    expect(Array.from(other.predictProba(x))).not.toEqual(Array.from(p1));
    expect(two.classes).toEqual(classes);
  });

  it('fits cross-validation folds on workers exactly as in-thread', async () => {
    const rng = createRng(3);
    const n = 800;
    const a = Float64Array.from({ length: n }, () => rng.normal());
    const c = Int32Array.from({ length: n }, () => rng.int(3));
    const x: FeatureMatrix = { numRows: n, names: ['a', 'c'], columns: [a, c], levels: [0, 3] };
    const y = Int32Array.from({ length: n }, (_, i) => (a[i] + c[i] > 1 ? 1 : 0));
    const target = { kind: 'classification' as const, y, numClasses: 2 };
    const fold = kFoldIndices(n, 3, 1, y);
    const jobs = [0, 1, 2].map((k) => ({
      kind: 'gradient-boosting' as const,
      x,
      target,
      opts: { seed: k, nEstimators: 10, rows: Int32Array.from({ length: n }, (_, i) => i).filter((i) => fold[i] !== k) },
    }));
    const inPool = await fitLearnersInPool(pool(2), jobs);
    const local = await fitLearnersInPool(null, jobs);
    for (let k = 0; k < 3; k++) expect(Array.from(inPool[k].predictProba(x))).toEqual(Array.from(local[k].predictProba(x)));
  });
});
