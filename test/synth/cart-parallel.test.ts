import { describe, expect, it } from 'vitest';
import type { BinnedMatrix } from '../../src/core/learners/binning.js';
import { createRng } from '../../src/core/random.js';
import { fitCartStep, type CartStepSpec } from '../../src/core/synth/cart.js';
import { poolRunner } from '../../src/node/workers/parallel-runner.js';
import { WorkerPool } from '../../src/node/workers/pool.js';

// cart's trees are independent at fit time and run through `parallel` on tables of 100k rows or more: a step
// must give the same trees wherever it runs (each call seeds its streams from the seed and the column's position).
describe('cart on worker threads', () => {
  it('fitCartStep gives the same trees on two worker threads as in process', async () => {
    const rng = createRng(11);
    const n = 2000;
    const xp: BinnedMatrix = {
      numRows: n,
      bins: [Uint8Array.from({ length: n }, () => rng.int(8)), Uint8Array.from({ length: n }, () => rng.int(3))],
      numBins: [8, 3],
      categorical: [false, true],
    };
    const num = Float64Array.from({ length: n }, (_, i) => (i % 17 === 0 ? NaN : xp.bins[0][i] * 3 + rng.next()));
    const cat = Int32Array.from({ length: n }, (_, i) => (i % 23 === 0 ? -1 : (xp.bins[1][i] + rng.int(2)) % 3));
    const base = { seed: 5, minLeaf: 20, maxDepth: 10, leafQuantiles: 9 };
    const calls: [BinnedMatrix, Float64Array | Int32Array, CartStepSpec][] = [
      [xp, num, { ...base, pIdx: 2, labels: 0, nullShare: 0.05 }],
      [xp, cat, { ...base, pIdx: 3, labels: 3, nullShare: 0.04 }],
    ];
    const local = calls.map((c) => fitCartStep(...c));
    expect(local[0].tree).not.toBeNull();
    expect(local[0].nullTree).not.toBeNull();
    const pool = new WorkerPool({ size: 2 });
    try {
      const remote = await poolRunner(pool)('synth/cart', 'fitCartStep', calls);
      expect(JSON.stringify(remote)).toEqual(JSON.stringify(local));
    } finally {
      await pool.close();
    }
  }, 120000);
});
