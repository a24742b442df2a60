// Drift benchmark: a full drift report (JSON + HTML + terminal summary) for a seeded 50-column table,
// 1,000,000 reference rows and 1,000,000 current rows (current with a few shifted columns):
//   1. `synthops drift ref.csv cur.csv` (both read and profiled from CSV),
//   2. `synthops profile ref.csv` (once, to make the reference profile),
//   3. `synthops drift ref.profile.json cur.csv` (reference from the profile, current from CSV),
//   4. drift from two profiles in core (read profile JSON, detect, render): the part the profile saves.
// CSVs go to a temp folder that is deleted afterwards. Runs the CLI in-process, as a user would call it.
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../src/cli/main.js';
import { detectDrift } from '../src/core/drift/detect.js';
import { profileFromArtifact } from '../src/core/profile/profile.js';
import { createRng } from '../src/core/random.js';
import { renderDriftHtml } from '../src/core/render/drift-html.js';
import { nodeDocument } from '../src/node/render/document.js';
import { peakRssMb, report as print, timed } from './util.js';

const ROWS = Number(process.env.DRIFT_BENCH_ROWS ?? 1_000_000);
const NUM = 30, CAT = 15, BOOL = 5;
const dir = mkdtempSync(join(tmpdir(), 'synthops-drift-bench-'));
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/** Seeded 50-column CSV: 30 numeric (normal, log-normal, counts; ~1 % missing in some), 15 categorical (3–60 levels), 5 boolean. */
async function generate(path: string, seed: number, shift: boolean): Promise<void> {
  const rng = createRng(2026, 'drift-bench', seed);
  const levels = Array.from({ length: CAT }, (_, j) => Array.from({ length: 3 + ((j * 7) % 58) }, (_, k) => `c${j}_${k}`));
  const header = [...Array.from({ length: NUM }, (_, j) => `n${j}`), ...Array.from({ length: CAT }, (_, j) => `c${j}`), ...Array.from({ length: BOOL }, (_, j) => `b${j}`)];
  const out = createWriteStream(path);
  out.write(header.join(',') + '\n');
  let buf = '';
  const cells: string[] = new Array(header.length);
  for (let i = 0; i < ROWS; i++) {
    for (let j = 0; j < NUM; j++) {
      if (j % 5 === 4 && rng.next() < (shift && j === 4 ? 0.08 : 0.01)) {
        cells[j] = '';
        continue;
      }
      const z = rng.normal() + (shift && j === 3 ? 0.5 : 0);
      // (−0.000 is written as 0.000, as in the first published figures; the reader now reads −0.000 as a number too.)
      const s = z.toFixed(3);
      cells[j] = j % 3 === 0 ? (s === '-0.000' ? '0.000' : s) : j % 3 === 1 ? Math.exp(z).toFixed(2) : String(Math.floor(Math.exp(z + 2)));
    }
    for (let j = 0; j < CAT; j++) {
      const l = levels[j];
      const u = rng.next();
      const k = Math.min(l.length - 1, Math.floor(u * u * l.length));
      cells[NUM + j] = shift && j === 0 && rng.next() < 0.2 ? 'new_level' : l[k];
    }
    for (let j = 0; j < BOOL; j++) cells[NUM + CAT + j] = rng.next() < 0.3 + 0.1 * j ? 'true' : 'false';
    buf += cells.join(',') + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.write(buf);
  out.end();
  await once(out, 'finish');
}

/** CPU seconds since the last figure and the load average go beside every figure: the machine is shared. */
let cpuMark = process.cpuUsage();
function report(label: string, figures: Record<string, string | number>): void {
  const c = process.cpuUsage(cpuMark);
  print(label, { ...figures, cpuSeconds: (c.user + c.system) / 1e6, load1m: loadavg()[0] });
  cpuMark = process.cpuUsage();
}
const mark = () => void (cpuMark = process.cpuUsage());

async function cli(...argv: string[]): Promise<number> {
  let err = '';
  const code = await run(argv, { stdout: () => undefined, stderr: (t) => void (err += t), cwd: dir, isTTY: false, env: {}, signal: new AbortController().signal });
  if (code > 1) throw new Error(`synthops ${argv.join(' ')} failed (${code}): ${err}`);
  return code;
}

try {
  await generate(join(dir, 'ref.csv'), 1, false);
  await generate(join(dir, 'cur.csv'), 2, true);
  const mb = (statSync(join(dir, 'ref.csv')).size + statSync(join(dir, 'cur.csv')).size) / 1048576;
  const dataset = `generated ${NUM + CAT + BOOL} cols`;

  gc();
  mark();
  const a = await timed(() => cli('drift', 'ref.csv', 'cur.csv', '--json', 'a.json', '--out', 'a.html'));
  report('drift: CSV vs CSV (read + profile both)', { dataset, rows: 2 * ROWS, MB: mb, seconds: a.seconds, 'rows/s': Math.round((2 * ROWS) / a.seconds), peakRssMB: peakRssMb() });

  gc();
  mark();
  const p = await timed(() => cli('profile', 'ref.csv', '--out', 'ref.profile.json'));
  report('profile: CSV → ref.profile.json', { dataset, rows: ROWS, seconds: p.seconds, 'rows/s': Math.round(ROWS / p.seconds), profileKB: statSync(join(dir, 'ref.profile.json')).size / 1024, peakRssMB: peakRssMb() });

  gc();
  mark();
  const b = await timed(() => cli('drift', 'ref.profile.json', 'cur.csv', '--json', 'b.json', '--out', 'b.html'));
  report('drift: profile vs CSV (read + profile current)', { dataset, rows: ROWS, seconds: b.seconds, 'rows/s': Math.round(ROWS / b.seconds), peakRssMB: peakRssMb() });

  await cli('profile', 'cur.csv', '--out', 'cur.profile.json');
  gc();
  mark();
  const c = await timed(() => {
    const ref = profileFromArtifact(JSON.parse(readFileSync(join(dir, 'ref.profile.json'), 'utf8'))).profile;
    const cur = profileFromArtifact(JSON.parse(readFileSync(join(dir, 'cur.profile.json'), 'utf8'))).profile;
    const result = detectDrift(ref, cur);
    const html = renderDriftHtml({ reference: { name: 'ref', rows: ref.rows, from: 'profile' }, current: { name: 'cur', rows: cur.rows }, result }, nodeDocument());
    return { result, html };
  });
  report('drift: profile vs profile (detect + render)', { dataset, rows: 2 * ROWS, seconds: c.seconds, drifted: c.value.result.dataset.drifted, peakRssMB: peakRssMb() });
  const j = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')).payload.result;
  console.log(`  drifted columns (expected n3 (mean shift), n4 (nulls), c0 (new level)): ${j.columns.filter((x: { drifted: boolean }) => x.drifted).map((x: { column: string }) => x.column).join(', ')}`);
} finally {
  if (process.env.DRIFT_BENCH_KEEP) console.log(`  kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
