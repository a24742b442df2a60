import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';

// CLI training flags of the neural synthesizers (issue 5): --epochs / --batch-size reach the model, are refused
// for other kinds or bad values (exit 2, no stack trace), and an abort mid-training leaves no file behind.
const dir = mkdtempSync(join(tmpdir(), 'synthops-neural-cli-'));
const census = join(import.meta.dirname, '../../examples/census.csv');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], signal = new AbortController().signal): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await run(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd: dir, isTTY: false, signal });
  return { code, out, err };
}

describe('synthops fit --epochs / --batch-size', () => {
  it('passes the flags to tvae and records them in the saved model', async () => {
    const r = await cli(['fit', census, '--synthesizer', 'tvae', '--epochs', '2', '--batch-size', '250', '--out', 'tvae.json', '--json']);
    expect(r.code).toBe(0);
    const artifact = JSON.parse(readFileSync(join(dir, 'tvae.json'), 'utf8'));
    expect(artifact.payload.params).toMatchObject({ epochs: 2, batchSize: 250 });
    expect(artifact.payload.state.engine.epochsTrained).toBe(2);
  }, 120000);

  it('flags override --params', async () => {
    const r = await cli(['fit', census, '--synthesizer', 'ctgan', '--params', '{"epochs":9,"generatorDims":[32,32],"discriminatorDims":[32,32],"embeddingDim":16}', '--epochs', '1', '--batch-size', '100', '--out', 'ctgan.json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'ctgan.json'), 'utf8')).payload.params).toMatchObject({ epochs: 1, batchSize: 100 });
  }, 120000);

  it.each([
    [['--synthesizer', 'cart', '--epochs', '5'], /invalid --epochs for --synthesizer cart/],
    [['--synthesizer', 'gaussian-copula', '--batch-size', '100'], /invalid --batch-size for --synthesizer gaussian-copula/],
    [['--synthesizer', 'tvae', '--epochs', '0'], /invalid --epochs: "0"/],
    [['--synthesizer', 'tvae', '--epochs', '2.5'], /invalid --epochs: "2.5"/],
    [['--synthesizer', 'ctgan', '--batch-size', 'many'], /invalid --batch-size: "many"/],
    [['--synthesizer', 'ctgan', '--batch-size', '1'], /invalid --batch-size: "1"/],
  ])('fit %j exits 2 with a clear message', async (flags, message) => {
    const r = await cli(['fit', census, ...flags, '--out', 'bad.json']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'bad.json'))).toBe(false);
  });

  it('generate refuses --epochs with a non-neural kind', async () => {
    const r = await cli(['generate', census, '--synthesizer', 'independent', '--epochs', '3', '--out', 'g.csv', '--no-report']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/invalid --epochs for --synthesizer independent/);
    expect(existsSync(join(dir, 'g.csv'))).toBe(false);
  });

  it('generate trains ctgan with the flags', async () => {
    const r = await cli(['generate', census, '--synthesizer', 'ctgan', '--epochs', '1', '--batch-size', '200', '--rows', '40', '--out', 'g.csv', '--model-out', 'g.json', '--no-report']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'g.csv'), 'utf8').trim().split('\n')).toHaveLength(41);
    expect(JSON.parse(readFileSync(join(dir, 'g.json'), 'utf8')).payload.params).toMatchObject({ epochs: 1, batchSize: 200 });
  }, 120000);

  it('an abort during training exits non-zero and leaves the old output untouched, with no temp file', async () => {
    for (const kind of ['tvae', 'ctgan']) {
      const out = `${kind}-aborted.json`;
      writeFileSync(join(dir, out), 'previous\n');
      const controller = new AbortController();
      // Training 1000 epochs takes far longer than this: the abort lands mid-fit.
      const timer = setTimeout(() => controller.abort(), 1500);
      const r = await cli(['fit', census, '--synthesizer', kind, '--epochs', '1000', '--out', out], controller.signal);
      clearTimeout(timer);
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(/cancelled; nothing was written/);
      expect(readFileSync(join(dir, out), 'utf8')).toBe('previous\n');
      expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    }
  }, 120000);
});
