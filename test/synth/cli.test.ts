import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'synthops-synth-cli-'));
const census = join(import.meta.dirname, '../../examples/census.csv');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await run(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd: dir, isTTY: false, signal: new AbortController().signal });
  return { code, out, err };
}

describe('synthops fit / sample / generate', () => {
  it('fits, samples with conditions and rebalancing, and writes files that look like the input', async () => {
    const fit = await cli(['fit', census, '--synthesizer', 'gaussian-copula', '--out', 'm.json', '--json']);
    expect(fit.code).toBe(0);
    expect(JSON.parse(fit.out)).toMatchObject({ synthesizer: 'gaussian-copula', rows: 5000, columns: 15 });
    const s = await cli(['sample', 'm.json', '--rows', '300', '--seed', '3', '--out', 's.csv', '--condition', 'income=>50K', '--json']);
    expect(s.code).toBe(0);
    const lines = readFileSync(join(dir, 's.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe(readFileSync(census, 'utf8').split('\n')[0].trim());
    expect(lines).toHaveLength(301);
    expect(lines.slice(1).every((l) => l.endsWith(',>50K'))).toBe(true);
    const again = await cli(['sample', 'm.json', '--rows', '300', '--seed', '3', '--out', 's2.csv', '--condition', 'income=>50K']);
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, 's2.csv'), 'utf8')).toBe(readFileSync(join(dir, 's.csv'), 'utf8'));
    const b = await cli(['sample', 'm.json', '--rows', '400', '--out', 'b.jsonl', '--rebalance', 'income']);
    expect(b.code).toBe(0);
    const rows = readFileSync(join(dir, 'b.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.filter((r) => r.income === '>50K')).toHaveLength(200);
  }, 60000);

  it('generate writes rows in one step', async () => {
    const g = await cli(['generate', census, '--rows', '50', '--synthesizer', 'independent', '--out', 'g.csv', '--json']);
    expect(g.code).toBe(0);
    expect(readFileSync(join(dir, 'g.csv'), 'utf8').trim().split('\n')).toHaveLength(51);
  }, 60000);

  it('exits 2 with one clear line for user mistakes', async () => {
    await cli(['fit', census, '--synthesizer', 'independent', '--out', 'm2.json']);
    for (const args of [
      ['sample', 'm2.json', '--rows', 'x', '--out', 'x.csv'],
      ['sample', 'm2.json', '--rows', '3', '--out', 'x.csv', '--condition', 'nope=1'],
      ['sample', 'm2.json', '--rows', '3', '--out', 'x.csv', '--condition', 'income=rich'],
      ['sample', 'missing.json', '--rows', '3', '--out', 'x.csv'],
      ['sample', census, '--rows', '3', '--out', 'x.csv'],
      ['fit', census, '--synthesizer', 'bogus', '--out', 'x.json'],
    ]) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  }, 60000);
});
