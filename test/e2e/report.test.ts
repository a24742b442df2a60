// End to end: `synthops evaluate` and `synthops check` in a temp dir, and the HTML report in headless Chromium.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { datasetPath, hasShared } from '../helpers/datasets.js';

const CHROMIUM = '/usr/bin/chromium';

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await run(args, { cwd, stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTTY: false, env: {} });
  return { code, out, err };
}

describe.skipIf(!hasShared)('synthops evaluate / check (adult subsets)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'synthops-report-'));
    const lines = readFileSync(datasetPath('adult'), 'utf8').trim().split('\n');
    const header = lines[0];
    const train = lines.slice(1, 1501), hold = lines.slice(1501, 2001), fresh = lines.slice(2001, 3501);
    writeFileSync(join(dir, 'train.csv'), [header, ...train].join('\n') + '\n');
    writeFileSync(join(dir, 'holdout.csv'), [header, ...hold].join('\n') + '\n');
    writeFileSync(join(dir, 'synth-ok.csv'), [header, ...fresh].join('\n') + '\n');
    // A "generator" that copies 5% of its training rows and fills the rest with rows it never saw.
    const copies = train.filter((_, i) => i % 20 === 0);
    writeFileSync(join(dir, 'synth-copy.csv'), [header, ...copies, ...fresh.slice(copies.length)].join('\n') + '\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const metrics = 'ks-complement@1,tv-complement@1,missing-share-similarity@1,related-pair-trends@1,identical-match@1,dcr@1';

  it('evaluate writes HTML, JSON and Markdown; check passes the JSON report of fresh real rows', async () => {
    const r = await cli(['evaluate', 'train.csv', 'synth-ok.csv', '--holdout', 'holdout.csv', '--metrics', metrics, '--resamples', '5', '--seed', '1', '--out', 'r.html', '--json', 'r.json', '--markdown', 'r.md'], dir);
    expect(r.code).toBe(0);
    expect(r.err).toContain('Fidelity:');
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(report.kind).toBe('report/evaluation');
    expect(report.payload.metrics.map((m: { metric: string }) => m.metric)).toEqual(metrics.split(','));
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toContain('<svg');
    expect(readFileSync(join(dir, 'r.md'), 'utf8')).toContain('| `ks-complement@1`');
    // The report holds aggregates only: no training row appears in it.
    const raw = readFileSync(join(dir, 'r.json'), 'utf8');
    const firstRow = readFileSync(join(dir, 'train.csv'), 'utf8').split('\n')[1];
    expect(raw).not.toContain(firstRow);
    const c = await cli(['check', 'r.json'], dir);
    expect(c.err).toMatch(/PASS +DCR share/);
    expect(c.code).toBe(0);
  });

  it('check flags a generator that copies 5% of its training rows (exit 1, failing gate named)', async () => {
    const c = await cli(['check', 'train.csv', 'synth-copy.csv', '--holdout', 'holdout.csv', '--seed', '1'], dir);
    expect(c.code).toBe(1);
    expect(c.err).toMatch(/FAIL +identical-match share/);
  });

  it('bad input exits 2 with a clear message and no stack trace', async () => {
    const missing = await cli(['evaluate', 'nope.csv', 'synth-ok.csv'], dir);
    expect(missing.code).toBe(2);
    expect(missing.err).not.toMatch(/\n\s+at /);
    writeFileSync(join(dir, 'bad-policy.yaml'), 'policyVersion: 1\ngates:\n  - name: x\n    kind: nonsense\n');
    const bad = await cli(['check', 'r.json', '--policy', 'bad-policy.yaml'], dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('gates[0].kind');
    const target = await cli(['evaluate', 'train.csv', 'synth-ok.csv', '--target', 'no-such-column', '--metrics', 'ks-complement@1'], dir);
    expect(target.code).toBe(2);
    expect(target.err).toContain('invalid target');
  });

  it('the HTML report shows its charts in headless Chromium', async (ctx) => {
    if (!existsSync(CHROMIUM)) {
      console.warn(`browser test skipped: ${CHROMIUM} is absent (install chromium to run it)`);
      ctx.skip();
    }
    const html = join(dir, 'browser.html');
    const r = await cli(['evaluate', 'train.csv', 'synth-ok.csv', '--holdout', 'holdout.csv', '--metrics', metrics, '--resamples', '5', '--out', 'browser.html'], dir);
    expect(r.code).toBe(0);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto('file://' + html);
      // Chart SVGs (legend swatches are small SVGs too: count only the drawn charts).
      const svgs = page.locator('figure.card svg');
      expect(await svgs.count()).toBeGreaterThan(10);
      const boxes = await svgs.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ w: r.width, h: r.height })));
      const charts = boxes.filter((b) => b.w > 200 && b.h > 100);
      expect(charts.length).toBeGreaterThanOrEqual(15); // 15 column charts + heat map + DCR histogram
      await expect.poll(() => page.locator('#columns figure.card').first().isVisible()).toBe(true);
      expect(await page.locator('figure.card svg rect').count()).toBeGreaterThan(20);
      const shot = join(dir, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(readFileSync(shot).length).toBeGreaterThan(10_000);
      if (process.env.SYNTHOPS_KEEP_SCREENSHOT) writeFileSync(process.env.SYNTHOPS_KEEP_SCREENSHOT, readFileSync(shot));
    } finally {
      await browser.close();
    }
  });
});
