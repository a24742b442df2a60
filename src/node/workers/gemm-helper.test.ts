import { afterAll, describe, expect, it } from 'vitest';
import { Gemm } from '../../core/neural/gemm.js';
import { createRng } from '../../core/random.js';
import { ctgan } from '../../core/synth/ctgan.js';
import { tvae } from '../../core/synth/tvae.js';
import { loadShared } from '../../../test/helpers/datasets.js';
import { startGemmHelper } from './gemm-helper.js';

function rand(len: number, seed: number): Float32Array {
  const r = createRng(seed), x = new Float32Array(len);
  for (let i = 0; i < len; i++) x[i] = r.uniform(-1, 1);
  return x;
}

const h = startGemmHelper();
afterAll(() => h?.close());
const one = new Gemm();

describe('startGemmHelper', () => {
  it('splitting large products over two threads gives the same bits as one thread', () => {
    expect(h).not.toBeNull();
    let handed = 0;
    const counting = { start: (...args: Parameters<NonNullable<typeof h>['helper']['start']>) => (handed++, h!.helper.start(...args)) };
    // Shapes of TVAE/CTGAN products (and odd ones, and one that needs a bigger shared buffer).
    const shapes: [number, number, number][] = [[500, 232, 256], [100, 2640, 256], [2640, 100, 256], [37, 301, 199], [500, 744, 160], [3000, 700, 600]];
    shapes.forEach(([m, k, n], i) => {
      const a = rand(m * k, i), b = rand(k * n, 100 + i), c0 = rand(m * n, 200 + i);
      const split = new Gemm({ helper: counting });
      for (const accumulate of [false, true]) {
        const c1 = c0.slice();
        one.nn(m, k, n, a, b, c1, accumulate);
        const c2 = c0.slice();
        split.nn(m, k, n, a, b, c2, accumulate);
        expect(Buffer.from(c2.buffer).equals(Buffer.from(c1.buffer))).toBe(true);
      }
    });
    expect(handed).toBe(2 * shapes.length); // every shape here is large enough to be split
  });

  it('hundreds of back-to-back hand-overs (as in training) all come back complete and identical', () => {
    // A stress test of the hand-over. A stale wake-up from the previous job once ended a wait early under load
    // ("helper thread failed" in the bench); that race needs a preemption at one spot and is not reproduced here
    // on demand — the fix is the re-checking wait loop in gemm-helper.ts.
    const [m, k, n] = [16, 400, 330];
    const a = rand(m * k, 7), b = rand(k * n, 8);
    const c1 = new Float32Array(m * n);
    one.nn(m, k, n, a, b, c1, false);
    const split = new Gemm({ helper: h!.helper });
    for (let i = 0; i < 400; i++) {
      const c2 = new Float32Array(m * n);
      split.nn(m, k, n, a, b, c2, false);
      expect(Buffer.from(c2.buffer).equals(Buffer.from(c1.buffer))).toBe(true);
    }
  });

  it('a fit given a helper thread or the TS kernel in its options gives the same model bit for bit', async () => {
    const data = (await loadShared('adult')).slice(0, 600).select(['age', 'workclass', 'education', 'hours-per-week', 'sex', 'income']);
    // TVAE with both options; CTGAN with the helper only (its TS-kernel fit takes half a minute).
    const runs = [[tvae, { epochs: 2, batchSize: 300 }, [{ helper: h!.helper }, { kernel: 'ts' }]], [ctgan, { epochs: 1, batchSize: 300 }, [{ helper: h!.helper }]]] as const;
    for (const [kind, params, variants] of runs) {
      const plain = JSON.stringify((await kind.create(params).fit(data, { seed: 4 })).save());
      for (const gemm of variants) expect(JSON.stringify((await kind.create(params).fit(data, { seed: 4, gemm })).save())).toBe(plain);
    }
  });
});
