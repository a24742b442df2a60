// Neural synthesizers benchmark (issue 5):
//   1. GEMM throughput (GFLOP/s) of the WebAssembly SIMD kernel and the plain-TS fallback at TVAE/CTGAN shapes;
//   2. TVAE and CTGAN fitted on adult (32,561 rows) at their DEFAULT settings: seconds per epoch (median of the
//      epochs after the first, which also fits the data transformer; wall and CPU), total fit time (wall and CPU),
//      epochs trained (early stopping may stop sooner), peak memory; then sampling speed, the scorecard of a
//      32,561-row sample against adult, and how many categories with a share ≥ 1 % are missing from it.
// The fits use one thread, as the CLI does; NEURAL_BENCH_THREADS=2 splits large matrix products over a helper
// thread (src/node/workers/gemm-helper.ts; CPU seconds then count both threads, and 2T GEMM lines are printed). Environment: NEURAL_BENCH_EPOCHS=N trains N epochs instead of the default (for a quick look; the label says so),
// NEURAL_BENCH_ONLY=tvae|ctgan runs one, NEURAL_BENCH_SCORE=0 skips the scorecard, NEURAL_BENCH_GEMM=0 skips (1).
// Load average is printed beside every figure: wall seconds are inflated on a shared machine, CPU seconds less so.
import os from 'node:os';
import { readTable } from '../src/node/io/read.js';
import { Gemm } from '../src/core/neural/gemm.js';
import { startGemmHelper } from '../src/node/workers/gemm-helper.js';
import { ctgan } from '../src/core/synth/ctgan.js';
import { tvae } from '../src/core/synth/tvae.js';
import type { SynthesizerKind } from '../src/core/synth/synthesizer.js';
import { scorecard } from '../src/core/metrics/scorecard.js';
import type { Table } from '../src/core/table/table.js';
import { datasetPath } from '../test/helpers/datasets.js';
import { peakRssMb, report, timed } from './util.js';

const EPOCHS = process.env.NEURAL_BENCH_EPOCHS ? Number(process.env.NEURAL_BENCH_EPOCHS) : undefined;
const ONLY = process.env.NEURAL_BENCH_ONLY;
const SCORE = process.env.NEURAL_BENCH_SCORE !== '0';
/** Threads for the matrix products: 1 (default, as the CLI trains) or 2 (NEURAL_BENCH_THREADS=2, the helper). */
const helper = process.env.NEURAL_BENCH_THREADS === '2' ? startGemmHelper() : null;

const cpuSeconds = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
const load = () => os.loadavg()[0].toFixed(2);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

function gemmBench(): void {
  const shapes: [number, number, number][] = [[500, 160, 128], [500, 488, 256], [50, 2640, 256], [100, 2640, 256]];
  for (const [kernel, threads] of [[undefined, 1], [undefined, 2], ['ts', 1]] as const) {
    if (threads === 2 && !helper) continue;
    const mm = new Gemm({ kernel, helper: threads === 2 ? helper!.helper : null });
    for (const [m, k, n] of shapes) {
      const a = new Float32Array(m * k).fill(0.5), b = new Float32Array(k * n).fill(0.25), c = new Float32Array(m * n);
      for (let i = 0; i < 5; i++) mm.nn(m, k, n, a, b, c, false);
      const reps = kernel === 'ts' ? 10 : 100;
      const t0 = performance.now(), c0 = cpuSeconds();
      for (let i = 0; i < reps; i++) mm.nn(m, k, n, a, b, c, false);
      const s = (performance.now() - t0) / 1000, cs = cpuSeconds() - c0;
      report(`gemm ${kernel ?? 'wasm-simd'} ${threads}T ${m}x${k}x${n}`, { seconds: s, 'GFLOP/s (wall)': (2 * m * k * n * reps) / s / 1e9, 'GFLOP/s (cpu)': (2 * m * k * n * reps) / cs / 1e9, load: load() });
    }
  }
}

/** Categories with a share ≥ 1 % in `real` (per categorical column) that never appear in `synth`. */
function missingCategories(real: Table, synth: Table): { checked: number; missing: string[] } {
  let checked = 0;
  const missing: string[] = [];
  for (const spec of real.schema.columns) {
    if (spec.type !== 'categorical' && spec.type !== 'boolean') continue;
    const r = real.categorical(spec.name), s = synth.categorical(spec.name);
    const counts = new Float64Array(r.dictionary.length);
    for (const c of r.codes) if (c >= 0) counts[c]++;
    const seen = new Set<string>();
    for (const c of s.codes) if (c >= 0) seen.add(s.dictionary[c]);
    r.dictionary.forEach((label, i) => {
      if (counts[i] / real.numRows < 0.01) return;
      checked++;
      if (!seen.has(label)) missing.push(`${spec.name}#${i}`); // category index, never the label of real data
    });
  }
  return { checked, missing };
}

async function fitBench(name: string, kind: SynthesizerKind): Promise<void> {
  const adult = await readTable(datasetPath('adult'));
  const params = EPOCHS ? { epochs: EPOCHS } : {};
  const stamps: { wall: number; cpu: number }[] = [];
  const t0 = performance.now(), c0 = cpuSeconds();
  const { value: fitted, seconds } = await timed(() =>
    kind.create(params).fit(adult, { seed: 1, ...(helper ? { gemm: { helper: helper.helper } } : {}), onProgress: (p) => void (p.stage === 'epoch' && stamps.push({ wall: performance.now(), cpu: cpuSeconds() })) }),
  );
  const fitCpu = cpuSeconds() - c0;
  const wallPer = stamps.slice(1).map((s, i) => (s.wall - stamps[i].wall) / 1000);
  const cpuPer = stamps.slice(1).map((s, i) => s.cpu - stamps[i].cpu);
  const label = EPOCHS ? `${EPOCHS} epochs (NEURAL_BENCH_EPOCHS)` : 'defaults';
  report(`${name} fit adult, ${label}`, {
    dataset: 'adult',
    rows: adult.numRows,
    'epochs trained': stamps.length,
    'fit s (wall)': seconds,
    'fit s (cpu)': fitCpu,
    'first epoch s (incl. transformer)': stamps.length ? (stamps[0].wall - t0) / 1000 : NaN,
    's/epoch (wall, median)': median(wallPer),
    's/epoch (cpu, median)': median(cpuPer),
    threads: helper ? 2 : 1,
    peakMB: peakRssMb(),
    load: load(),
  });
  const { value: sample, seconds: ss } = await timed(() => fitted.sample(adult.numRows, { seed: 2 }));
  report(`${name} sample`, { dataset: 'adult', rows: adult.numRows, seconds: ss, 'rows/s': adult.numRows / ss, peakMB: peakRssMb(), load: load() });
  const cover = missingCategories(adult, sample);
  report(`${name} categories ≥ 1 % present`, { checked: cover.checked, missing: cover.missing.length, which: cover.missing.join(',') || '-' });
  if (SCORE) {
    const { value: sc, seconds: scs } = await timed(() => scorecard(adult, sample, { seed: 1 }));
    report(`${name} scorecard, ${label}`, { shapes: sc.shapes, pairTrendsRelated: sc.pairTrendsRelated, pairTrendsAll: sc.pairTrendsAll, detectionAuc: sc.detectionAuc, seconds: scs });
  }
}

if (process.env.NEURAL_BENCH_GEMM !== '0') gemmBench();
if (!ONLY || ONLY === 'tvae') await fitBench('tvae', tvae);
if (!ONLY || ONLY === 'ctgan') await fitBench('ctgan', ctgan);
helper?.close();
