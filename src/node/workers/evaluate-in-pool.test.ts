import { afterAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../core/reports/evaluation.js';
import { createRng } from '../../core/random.js';
import { hasShared, loadShared } from '../../../test/helpers/datasets.js';
import { evaluateInPool } from './evaluate-in-pool.js';
import { WorkerPool } from './pool.js';

const pool = new WorkerPool({ size: 2 });
afterAll(() => pool.close());

describe.runIf(hasShared)('evaluateInPool', () => {
  it('gives the same report as the in-thread evaluate (neighbour searches on worker threads)', async () => {
    const adult = await loadShared('adult');
    const perm = createRng(9).permutation(adult.numRows);
    const take = (a: number, b: number) => adult.take(perm.subarray(a, b));
    const input = { real: take(0, 1500), holdout: take(1500, 2000), synthetic: take(2000, 3500) };
    // Metrics waiting for worker results are listed before ones that need none: the ready ones run first, but the
    // report keeps the requested order and the same values.
    const metrics = ['dcr@1', 'nndr@1', 'ks-complement@1', 'membership-inference@1', 'prdc-precision@1', 'utility-tstr@1', 'tv-complement@1', 'prdc-coverage@1'];
    const spec = { seed: 4, resamples: 5, target: 'income', metrics };
    const inPool = await evaluateInPool(input, spec, pool);
    // Fresh table objects for the in-thread run, so nothing is served from the first run's caches.
    const again = { real: input.real.slice(0), holdout: input.holdout.slice(0), synthetic: input.synthetic.slice(0) };
    const inThread = await evaluate(again, spec);
    expect(inPool.payload.metrics.every((m) => m.status === 'ok')).toBe(true);
    expect(inPool.payload.metrics.map((m) => m.metric)).toEqual(metrics);
    expect(inPool.payload).toEqual(inThread.payload);
  });
});
