import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { identicalMatch } from '../../src/core/metrics/privacy/index.js';
import { createRng } from '../../src/core/random.js';
import { arf } from '../../src/core/synth/arf.js';
import { poolRunner } from '../../src/node/workers/parallel-runner.js';
import { WorkerPool } from '../../src/node/workers/pool.js';
import { hasShared, loadShared } from '../helpers/datasets.js';

const dir = mkdtempSync(join(tmpdir(), 'synthops-arf-'));
const census = join(import.meta.dirname, '../../examples/census.csv');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await run(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd: dir, isTTY: false, signal: new AbortController().signal });
  return { code, out, err };
}

describe('arf through the CLI and worker threads', () => {
  it('synthops fit --synthesizer arf and sample with a condition; help lists arf', async () => {
    const fit = await cli(['fit', census, '--synthesizer', 'arf', '--params', '{"trees":4,"maxIterations":2}', '--out', 'arf.json', '--json']);
    expect(fit.err).toBe('');
    expect(fit.code).toBe(0);
    expect(JSON.parse(fit.out)).toMatchObject({ synthesizer: 'arf', rows: 5000 });
    const s = await cli(['sample', 'arf.json', '--rows', '200', '--seed', '3', '--out', 's.csv', '--condition', 'income=>50K']);
    expect(s.code).toBe(0);
    const lines = readFileSync(join(dir, 's.csv'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(201);
    expect(lines.slice(1).every((l) => l.endsWith(',>50K'))).toBe(true);
    const help = await cli(['fit', '--help']);
    expect(help.out + help.err).toMatch(/\barf\b/);
  }, 120000);

  it.skipIf(!hasShared)('fits the same model on two worker threads as in process', async () => {
    const data = (await loadShared('adult')).slice(0, 3000);
    const pool = new WorkerPool({ size: 2 });
    try {
      const p = { trees: 4, maxIterations: 2 };
      const inPool = await arf.create(p).fit(data, { seed: 3, parallel: poolRunner(pool) });
      const here = await arf.create(p).fit(data, { seed: 3 });
      expect(inPool.save().payload.state).toEqual(here.save().payload.state);
    } finally {
      await pool.close();
    }
  }, 120000);
});

// Privacy at the default settings on all of adult (80/20): no more exact copies of training rows than a real
// holdout has, and no unique real extreme written. DCR share and the scorecard: `npm run bench -- synth`.
describe.skipIf(!hasShared)('arf privacy on adult (80/20)', () => {
  it('copies no more training rows than a real holdout does, and never writes a unique real extreme', async () => {
    const adult = await loadShared('adult');
    const perm = createRng(7, 'split').permutation(adult.numRows);
    const cut = Math.floor(0.8 * adult.numRows);
    const train = adult.take(perm.subarray(0, cut)), hold = adult.take(perm.subarray(cut));
    const fitted = await arf.create().fit(train, { seed: 1 });
    const synth = fitted.sample(train.numRows, { seed: 2 });
    const r = await identicalMatch.compute({ real: train, synthetic: synth, holdout: hold, schema: adult.schema, seed: 1 });
    const d = r.details as { identicalShare: number; holdoutShare: number };
    expect(d.identicalShare).toBeLessThanOrEqual(d.holdoutShare);
    for (const name of ['age', 'fnlwgt', 'capital-gain', 'hours-per-week']) {
      const real = Array.from(train.numeric(name).values).sort((a, b) => a - b);
      const [lo, hi] = synth.numeric(name).extent();
      if (real[0] < real[4]) expect(lo).toBeGreaterThan(real[0]);
      if (real[real.length - 1] > real[real.length - 5]) expect(hi).toBeLessThan(real[real.length - 1]);
    }
  }, 300000);
});
