import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { createRng } from '../../src/core/random.js';
import { datasetPath } from '../helpers/datasets.js';

const work = mkdtempSync(join(tmpdir(), 'synthops-drift-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await run(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t), cwd: work, isTTY: false, env: {}, signal: new AbortController().signal });
  return { code, out, err };
}

function csv(name: string, rows: Record<string, unknown>[]): string {
  writeFileSync(join(work, name), Papa.unparse(rows));
  return name;
}

const adult = () => Papa.parse<Record<string, string>>(readFileSync(datasetPath('adult'), 'utf8'), { header: true, skipEmptyLines: true }).data;

describe('synthops profile / drift', () => {
  it('profile then drift against the same data: exit 0, no drift, versioned JSON and HTML written', async () => {
    const rows = adult().slice(0, 4000);
    csv('ref.csv', rows);
    expect((await cli('profile', 'ref.csv', '--out', 'ref.profile.json')).code).toBe(0);
    const r = await cli('drift', 'ref.profile.json', 'ref.csv', '--out', 'd.html', '--json', 'd.json');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/0 of 15 columns drifted/);
    const j = JSON.parse(readFileSync(join(work, 'd.json'), 'utf8'));
    expect(j).toMatchObject({ format: 'synthops', kind: 'report/drift', kindVersion: 1 });
    expect(j.payload.result.dataset.drifted).toBe(0);
    const html = readFileSync(join(work, 'd.html'), 'utf8');
    expect(html).toMatch(/<svg/);
    // No row of the data in the outputs: the first row's cells in order never appear.
    const first = Object.values(rows[0]).join(',');
    expect(html.includes(first) || readFileSync(join(work, 'ref.profile.json'), 'utf8').includes(first)).toBe(false);
  });

  it('a policy that fires: exit 1 and a machine-readable event on stdout', async () => {
    const rows = adult().slice(4000, 8000).map((x) => ({ ...x, age: String(Number(x.age) + 6) }));
    csv('shifted.csv', rows);
    writeFileSync(join(work, 'policy.yaml'), 'version: 1\ntriggers:\n  - when: column-distance\n    column: age\n    test: wasserstein\n    above: 0.2\n  - when: schema-change\n');
    const r = await cli('drift', 'ref.profile.json', 'shifted.csv', '--policy', 'policy.yaml');
    expect(r.code).toBe(1);
    const event = JSON.parse(r.out.trim());
    expect(event).toMatchObject({ kind: 'synthops/drift-event', retrain: true });
    expect(event.fired.map((f: { name: string }) => f.name)).toEqual(['column-distance:age']);
  });

  it('synthetic vs real works as a fidelity view, and merged shard profiles equal the whole', async () => {
    const rows = adult().slice(0, 4000);
    csv('a.csv', rows.slice(0, 1500));
    csv('b.csv', rows.slice(1500));
    expect((await cli('profile', 'a.csv', 'b.csv', '--out', 'ab.profile.json')).code).toBe(0);
    const merged = JSON.parse((await cli('drift', 'ab.profile.json', 'shifted.csv', '--json', '-')).out);
    const whole = JSON.parse((await cli('drift', 'ref.profile.json', 'shifted.csv', '--json', '-')).out);
    merged.payload.reference.name = whole.payload.reference.name;
    expect(merged.payload.result).toEqual(whole.payload.result);
  });

  it('columns missing on one side and type changes are findings, not crashes', async () => {
    const rows = adult().slice(0, 500).map(({ fnlwgt: _f, ...x }, i) => ({ ...x, age: i % 2 ? 'young' : 'old' }));
    csv('changed.csv', rows);
    const r = await cli('drift', 'ref.profile.json', 'changed.csv');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/column "fnlwgt" is in the reference but missing from the current data/);
    expect(r.err).toMatch(/column "age" changed type: numerical in the reference, categorical in the current data/);
  });

  const BAD: [string, string[], RegExp][] = [
    ['missing reference', ['drift', 'nope.profile.json', 'ref.csv'], /nope\.profile\.json: invalid file: it does not exist/],
    ['not a profile', ['drift', 'policy.json', 'ref.csv'], /policy\.json: invalid profile: the file is not valid JSON|not a synthops file/],
    ['bad window', ['drift', 'ref.csv', 'ref.csv', '--time-column', 'age', '--window', '3 days'], /invalid window: "3 days"/],
    ['window without time column', ['drift', 'ref.csv', 'ref.csv', '--window', '1d'], /--time-column and --window go together/],
    ['unknown test', ['drift', 'ref.csv', 'ref.csv', '--tests', 'magic'], /invalid drift test: "magic"/],
    ['bad threshold', ['drift', 'ref.csv', 'ref.csv', '--threshold', 'psi=high'], /invalid --threshold/],
    ['bad policy', ['drift', 'ref.csv', 'ref.csv', '--policy', 'bad-policy.yaml'], /invalid when: "sometimes"/],
    ['unknown time column', ['drift', 'ref.csv', 'ref.csv', '--time-column', 'when', '--window', '1d'], /invalid --time-column: "when"/],
  ];
  for (const [name, argv, msg] of BAD)
    it(`bad input (${name}): exit 2, one clear line, no stack`, async () => {
      writeFileSync(join(work, 'policy.json'), '{not json');
      writeFileSync(join(work, 'bad-policy.yaml'), 'triggers:\n  - when: sometimes\n    above: 1\n');
      const r = await cli(...argv);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
      expect(r.err).not.toMatch(/\n\s+at /);
    });
});

describe('windows over time and performance estimation (CLI)', () => {
  it('learns thresholds from the reference’s own days and alerts on the days that changed (taxis)', async () => {
    const rows = Papa.parse<Record<string, string>>(readFileSync(datasetPath('taxis'), 'utf8'), { header: true, skipEmptyLines: true }).data;
    const ref = rows.filter((r) => r.pickup < '2019-03-16');
    const cur = rows
      .filter((r) => r.pickup >= '2019-03-16')
      .map((r) => (r.pickup.startsWith('2019-03-25') || r.pickup.startsWith('2019-03-26') ? { ...r, fare: String(Number(r.fare) * 2.5) } : r));
    csv('taxi-ref.csv', ref);
    csv('taxi-cur.csv', cur);
    const r = await cli('drift', 'taxi-ref.csv', 'taxi-cur.csv', '--time-column', 'pickup', '--window', '1d', '--json', '-');
    expect(r.code).toBe(0);
    const w = JSON.parse(r.out).payload.windows;
    expect(w.baseline.windows).toBeGreaterThanOrEqual(14);
    const fareAlerts = w.items.filter((x: any) => x.alerts.some((a: any) => a.column === 'fare')).map((x: any) => new Date(x.start).toISOString().slice(0, 10));
    expect(fareAlerts).toEqual(['2019-03-25', '2019-03-26']);
    // Thresholds come from the data, not a constant: they differ per column.
    const th = new Set(w.baseline.thresholds.map((t: any) => t.threshold.toFixed(6)));
    expect(th.size).toBeGreaterThan(5);
    // The same thresholds can be learned once into a profile and used without the reference rows.
    expect((await cli('profile', 'taxi-ref.csv', '--out', 'taxi.profile.json', '--time-column', 'pickup', '--window', '1d')).code).toBe(0);
    const fromProfile = JSON.parse((await cli('drift', 'taxi.profile.json', 'taxi-cur.csv', '--time-column', 'pickup', '--window', '1d', '--json', '-', '--out', 'taxi.html')).out).payload.windows;
    expect(fromProfile.items).toEqual(w.items);
    expect(readFileSync(join(work, 'taxi.html'), 'utf8')).toMatch(/Timeline \(1d windows on pickup\)/);
    // A profile learned for another window length is not used for alerts, and says so.
    const other = JSON.parse((await cli('drift', 'taxi.profile.json', 'taxi-cur.csv', '--time-column', 'pickup', '--window', '6h', '--json', '-')).out).payload.windows;
    expect(other.baselineNote).toMatch(/different window length/);
  });

  it('estimates accuracy without labels close to the realised accuracy, and flags the drop', async () => {
    const rng = createRng(31);
    const make = (n: number, spread: number, day0: number) =>
      Array.from({ length: n }, (_, i) => {
        const x = rng.normal() * spread;
        const p = 1 / (1 + Math.exp(-3 * x));
        return { ts: new Date(Date.UTC(2024, 0, day0 + Math.floor(i / (n / 10)))).toISOString(), x: x.toFixed(4), p_yes: p.toFixed(5), label: rng.next() < p ? 'yes' : 'no' };
      });
    csv('clf-ref.csv', make(6000, 1.5, 1));
    const cur = make(6000, 0.3, 20);
    csv('clf-cur.csv', cur.map(({ label: _l, ...r }) => r));
    csv('clf-cur-labelled.csv', cur);
    writeFileSync(join(work, 'acc.yaml'), 'triggers:\n  - when: accuracy-drop\n    above: 0.1\n');
    const r = await cli('drift', 'clf-ref.csv', 'clf-cur.csv', '--proba', 'p_yes', '--classes', 'no,yes', '--target', 'label', '--policy', 'acc.yaml', '--json', 'clf.json');
    expect(r.code).toBe(1);
    const perf = JSON.parse(readFileSync(join(work, 'clf.json'), 'utf8')).payload.performance;
    const labelled = JSON.parse((await cli('drift', 'clf-ref.csv', 'clf-cur-labelled.csv', '--proba', 'p_yes', '--classes', 'no,yes', '--target', 'label', '--json', '-')).out).payload.performance;
    expect(perf.calibrated).toBe(true);
    expect(Math.abs(perf.current.estimatedAccuracy - labelled.current.realisedAccuracy)).toBeLessThan(0.03);
    expect(perf.drop).toBeGreaterThan(0.1);
    expect(existsSync(join(work, 'clf.json'))).toBe(true);
    // The calibration can be stored in a profile and used without the reference rows: same estimate.
    expect((await cli('profile', 'clf-ref.csv', '--out', 'clf.profile.json', '--proba', 'p_yes', '--classes', 'no,yes', '--target', 'label')).code).toBe(0);
    const viaProfile = JSON.parse((await cli('drift', 'clf.profile.json', 'clf-cur.csv', '--proba', 'p_yes', '--classes', 'no,yes', '--json', '-')).out).payload.performance;
    expect(viaProfile.calibrated).toBe(true);
    expect(viaProfile.current.estimatedAccuracy).toBeCloseTo(perf.current.estimatedAccuracy, 12);
    expect(viaProfile.drop).toBeCloseTo(perf.drop, 12);
  });
});
