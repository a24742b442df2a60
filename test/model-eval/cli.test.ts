import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { createRng } from '../../src/core/random.js';
import { synthesizerKind } from '../../src/core/synth/registry.js';
import { NumericColumn } from '../../src/core/table/column.js';
import type { Table } from '../../src/core/table/table.js';
import { writeTable } from '../../src/node/io/write.js';
import { loadShared } from '../helpers/datasets.js';

let dir = '';
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await run(args, { cwd: dir, stdout: (t) => (out += t), stderr: (t) => (err += t), isTTY: false, env: {}, signal: new AbortController().signal });
  return { code, out, err };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'synthops-model-eval-'));
  const adult = await loadShared('adult');
  const perm = createRng(3, 'cli-split').permutation(adult.numRows);
  const train = adult.take(perm.subarray(0, 4000)), test = adult.take(perm.subarray(4000, 7000));
  await writeTable(join(dir, 'train.csv'), train);
  await writeTable(join(dir, 'test.csv'), test);
  // A scored file: a hand-written rule stands in for a model (higher with education-num, age and hours).
  const scored = withScore(test);
  await writeTable(join(dir, 'scored.csv'), scored);
  // A synthetic adult from a registered synthesizer, fitted on the real training rows.
  const fitted = await synthesizerKind('gaussian-copula').create().fit(train, { seed: 5 });
  await writeTable(join(dir, 'synth.csv'), fitted.sample(4000, { seed: 6 }));
  writeFileSync(join(dir, 'synth.model.json'), JSON.stringify(fitted.save()));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function withScore(t: Table): Table {
  const edu = t.numeric('education-num').values, age = t.numeric('age').values, hrs = t.numeric('hours-per-week').values;
  // Rounded to 6 decimals so the CSV never holds exponent notation.
  const p = Float64Array.from({ length: t.numRows }, (_, i) => Math.round(1e6 / (1 + Math.exp(-(0.45 * (edu[i] - 10) + 0.04 * (age[i] - 38) + 0.03 * (hrs[i] - 40) - 1.2)))) / 1e6);
  return t.withColumn({ name: 'p_income', type: 'numerical', nullable: false, decimals: 6 }, new NumericColumn(p));
}

describe('synthops model-eval (CLI)', () => {
  it('evaluates prediction columns with slices and writes HTML, JSON and a card', async () => {
    const r = await cli(['model-eval', 'scored.csv', '--label', 'income', '--score', 'p_income', '--slice-by', 'sex,race', '--resamples', '50', '--out', 'r.html', '--json', 'r.json', '--card', 'card.md']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/ROC AUC\s+0\.\d+ \[0\.\d+, 0\.\d+\]/);
    const art = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(art).toMatchObject({ format: 'synthops', kind: 'report/model-eval', kindVersion: 1 });
    expect(art.payload.evaluation.slices.map((s: { columns: string[] }) => s.columns.join('×'))).toEqual(['sex', 'race', 'sex×race']);
    expect(art.payload.evaluation.slices.flatMap((s: { columns: string[] }) => s.columns)).not.toContain('p_income');
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(html).toContain('Reliability diagram');
    expect(html).toContain('<svg');
    const card = readFileSync(join(dir, 'card.md'), 'utf8');
    for (const h of ['## Model details', '## Intended use', '## Factors', '## Metrics', '## Evaluation data', '## Training data', '## Quantitative analyses', '## Ethical considerations', '## Caveats and recommendations', '## NIST AI RMF — Measure'])
      expect(card).toContain(h);
    expect(JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')).kind).toBe('model-card');
  });

  it('synthops card renders a card from the saved report', async () => {
    const r = await cli(['card', 'r.json', '--name', 'rule-score', '--intended-use', 'A test', '--out', 'card2.md', '--json', 'card2.json']);
    expect(r.code, r.err).toBe(0);
    const md = readFileSync(join(dir, 'card2.md'), 'utf8');
    expect(md).toContain('# Model card: rule-score');
    expect(md).toContain('Primary use: A test');
    expect(md).toMatch(/\| MEASURE 2\.11 \|/);
  });

  it('a failing policy gate exits 1 and still writes the report', async () => {
    writeFileSync(join(dir, 'gate.yaml'), 'checks:\n  - metric: overall.rocAuc\n    min: 0.999\n  - metric: fairness.sex.demographicParityDifference\n    max: 1\n');
    const r = await cli(['model-eval', 'scored.csv', '--label', 'income', '--score', 'p_income', '--slice-by', 'sex', '--resamples', '20', '--policy', 'gate.yaml', '--json', 'gated.json']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Gate: FAILED/);
    expect(JSON.parse(readFileSync(join(dir, 'gated.json'), 'utf8')).payload.gate.passed).toBe(false);
  });

  it('bad input exits 2 with a clear message and writes nothing', async () => {
    const before = readdirSync(dir).sort();
    const missing = await cli(['model-eval', 'scored.csv', '--label', 'nope', '--score', 'p_income', '--out', 'x.html']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--label: "nope" is not in the data/);
    const badScore = await cli(['model-eval', 'scored.csv', '--label', 'income', '--score', 'age', '--out', 'x.html']);
    expect(badScore.code).toBe(2);
    expect(badScore.err).toMatch(/outside \[0, 1\]/);
    expect(badScore.err).not.toMatch(/at .*\n\s+at /); // no stack trace
    const single = await cli(['model-eval', 'scored.csv', '--label', 'income', '--prediction', 'income', '--slice-by', 'nope', '--out', 'x.html']);
    expect(single.code).toBe(2);
    const noMode = await cli(['model-eval', 'scored.csv', '--label', 'income']);
    expect(noMode.code).toBe(2);
    expect(noMode.err).toMatch(/say what to evaluate/);
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(existsSync(join(dir, 'x.html'))).toBe(false);
  });

  it('synthetic vs real runs end to end on adult and a synthetic adult', async () => {
    const r = await cli(['model-eval', '--train-real', 'train.csv', '--train-synthetic', 'synth.csv', '--synthesizer', 'synth.model.json', '--test', 'test.csv', '--label', 'income', '--slice-by', 'sex,race', '--resamples', '30', '--learner', 'gradient-boosting', '--json', 'cmp.json', '--out', 'cmp.html', '--card', 'cmp-card.md']);
    expect(r.code, r.err).toBe(0);
    const rep = JSON.parse(readFileSync(join(dir, 'cmp.json'), 'utf8')).payload;
    expect(rep.comparison.real.overall.accuracy.value).toBeGreaterThan(0.75);
    expect(rep.comparison.synthetic.overall.accuracy.interval).not.toBeNull();
    expect(rep.comparison.tested).toBeGreaterThan(5); // overall + slices of sex, race and their crossing
    expect(rep.data.training[1]).toMatchObject({ synthetic: true, provenance: expect.stringMatching(/^synthesizer\/gaussian-copula@/) });
    const html = readFileSync(join(dir, 'cmp.html'), 'utf8');
    expect(html).toContain('Synthetic vs real training data');
    expect(html).toContain('Accuracy (synthetic)'); // per-slice side by side
    expect(html).toContain('sex = Female');
    expect(readFileSync(join(dir, 'cmp-card.md'), 'utf8')).toMatch(/synth\.csv: 4000 rows, synthetic/);
  }, 120_000);
});
