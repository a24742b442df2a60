import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('generate writes rows in one step, fitted on every row, with --no-report', async () => {
    const g = await cli(['generate', census, '--rows', '50', '--synthesizer', 'independent', '--out', 'g.csv', '--no-report', '--json']);
    expect(g.code).toBe(0);
    expect(readFileSync(join(dir, 'g.csv'), 'utf8').trim().split('\n')).toHaveLength(51);
    expect(JSON.parse(g.out)).toMatchObject({ trainingRows: 5000, holdoutRows: 0 });
    expect(existsSync(join(dir, 'g.report.html'))).toBe(false);
  }, 60000);

  it('generate holds out 20% of the rows, evaluates against them and writes the report beside the output', async () => {
    const g = await cli(['generate', census, '--synthesizer', 'gaussian-copula', '--out', 'r.csv', '--target', 'income', '--resamples', '5', '--json']);
    expect(g.code).toBe(0);
    const summary = JSON.parse(g.out);
    expect(summary).toMatchObject({ trainingRows: 4000, holdoutRows: 1000, rows: 4000, report: { html: 'r.report.html', json: 'r.report.json' } });
    const report = JSON.parse(readFileSync(join(dir, 'r.report.json'), 'utf8'));
    expect(report.kind).toBe('report/evaluation');
    expect(report.payload.rows).toEqual({ training: 4000, synthetic: 4000, holdout: 1000 });
    const utility = report.payload.metrics.find((m: { metric: string }) => m.metric === 'utility-tstr@1');
    expect(utility.status).toBe('ok');
    const html = readFileSync(join(dir, 'r.report.html'), 'utf8');
    expect(html).toMatch(/<svg/);
    // The terminal summary names the categories and the gates; no real row is printed.
    expect(g.err).toMatch(/Fidelity/);
    expect(g.err).toMatch(/Gates: (PASSED|FAILED)/);
    const first = readFileSync(census, 'utf8').split('\n')[1].trim();
    expect(g.err).not.toContain(first);
    expect(html).not.toContain(first);
  }, 120000);

  it('generate exits 1 when a --policy gate fails, and 2 for a bad --target', async () => {
    writeFileSync(join(dir, 'strict.yaml'), 'policyVersion: 1\ngates:\n  - name: impossible\n    kind: score-min\n    metric: ks-complement@1\n    min: 1.01\n');
    const g = await cli(['generate', census, '--synthesizer', 'independent', '--rows', '500', '--out', 'p.csv', '--resamples', '0', '--policy', 'strict.yaml']);
    expect(g.code).toBe(1);
    expect(g.err).toMatch(/FAIL\s+impossible/);
    const bad = await cli(['generate', census, '--out', 'q.csv', '--target', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'q.csv'))).toBe(false);
  }, 120000);

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
