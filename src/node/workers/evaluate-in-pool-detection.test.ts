import { afterAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../core/reports/evaluation.js';
import { createRng } from '../../core/random.js';
import { hasShared, loadShared } from '../../../test/helpers/datasets.js';
import { evaluateInPool } from './evaluate-in-pool.js';
import { WorkerPool } from './pool.js';

const pool = new WorkerPool({ size: 2 });
afterAll(() => pool.close());

describe.runIf(hasShared)('evaluateInPool: detection folds, utility models and recall on worker threads', () => {
  it('gives the same detection, pMSE, utility and recall results (and references) as the in-thread evaluate', async () => {
    const adult = await loadShared('adult');
    const perm = createRng(11).permutation(adult.numRows);
    const take = (a: number, b: number) => adult.take(perm.subarray(a, b));
    const input = { real: take(0, 1500), holdout: take(1500, 2000), synthetic: take(2000, 3500) };
    const spec = { seed: 5, resamples: 0, target: 'income', metrics: ['detection-tree@1', 'detection-logistic@1', 'pmse@1', 'utility-tstr@1', 'prdc-recall@1'] };
    const inPool = await evaluateInPool(input, spec, pool);
    // Fresh table objects for the in-thread run, so nothing is served from the first run's caches.
    const again = { real: input.real.slice(0), holdout: input.holdout.slice(0), synthetic: input.synthetic.slice(0) };
    const inThread = await evaluate(again, spec);
    expect(inPool.payload.metrics.every((m) => m.status === 'ok' && (m.metric === 'utility-tstr@1' || m.reference !== undefined))).toBe(true);
    expect(inPool.payload).toEqual(inThread.payload);
  });
});
