import { describe, expect, it } from 'vitest';
import { cart } from '../../src/core/synth/cart.js';
import { poolRunner } from '../../src/node/workers/parallel-runner.js';
import { WorkerPool } from '../../src/node/workers/pool.js';
import { piiTable } from '../contract/synthesizer.contract.js';

// cart's trees are independent at fit time and run through `parallel` when given: the model must not depend
// on where they ran (each call seeds its streams from the seed and the column's position).
describe('cart on worker threads', () => {
  it('fits the same model on two worker threads as in process', async () => {
    const data = piiTable();
    const local = await cart.create({ minLeaf: 10 }).fit(data, { seed: 3 });
    const pool = new WorkerPool({ size: 2 });
    try {
      const inPool = await cart.create({ minLeaf: 10 }).fit(data, { seed: 3, parallel: poolRunner(pool) });
      expect(JSON.stringify(inPool.save().payload.state)).toEqual(JSON.stringify(local.save().payload.state));
      expect(inPool.sample(50, { seed: 4 }).toRows()).toEqual(local.sample(50, { seed: 4 }).toRows());
    } finally {
      await pool.close();
    }
  }, 120000);
});
