import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { readArtifact } from '../../src/core/artifact.js';
import { MODEL_EVAL_REPORT_KIND } from '../../src/core/model-eval/report.js';
import { modelCardMarkdown, readModelCard } from '../../src/core/provenance/model-card.js';

// Golden artifacts written by version 1: they must keep loading (a changed layout needs a new kindVersion).
const dir = join(import.meta.dirname, 'golden');

describe('golden model-eval artifacts', () => {
  it('report/model-eval@1 loads and `synthops card` renders it', async () => {
    const value = JSON.parse(readFileSync(join(dir, 'report-model-eval@1.json'), 'utf8'));
    expect(readArtifact(value, MODEL_EVAL_REPORT_KIND, [1]).kindVersion).toBe(1);
    let out = '', err = '';
    const code = await run(['card', 'report-model-eval@1.json', '--name', 'golden'], { cwd: dir, stdout: (t) => (out += t), stderr: (t) => (err += t), isTTY: false, env: {}, signal: new AbortController().signal });
    expect(code, err).toBe(0);
    expect(out).toContain('# Model card: golden');
    expect(out).toContain('| group = x |');
  });
  it('model-card@1 loads and renders', () => {
    const card = readModelCard(JSON.parse(readFileSync(join(dir, 'model-card@1.json'), 'utf8')));
    expect(modelCardMarkdown(card)).toContain('## NIST AI RMF — Measure');
  });
  it('a non-report file is refused with exit 2', async () => {
    let err = '';
    const code = await run(['card', 'model-card@1.json'], { cwd: dir, stdout: () => {}, stderr: (t) => (err += t), isTTY: false, env: {}, signal: new AbortController().signal });
    expect(code).toBe(2);
    expect(err).toMatch(/invalid kind/);
  });
});
