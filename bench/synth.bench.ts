// Synthesizer benchmark.
//  1. Speed, for each synthesizer on adult (32,561 rows) and on a 1,000,000-row table (adult rows resampled
//     with replacement, seeded): fit seconds, sample seconds and rows/s, peak memory.
//  2. Fidelity scorecard on adult (fit on all rows, sample as many): column shapes, pair trends (all / related),
//     detection AUC — beside the floor (`independent`) and the ceiling (one random half of adult against the other).
//  3. Privacy on an 80/20 split (fit on 80 %): identical-match share vs the holdout's, DCR share.
// `SYNTH_BENCH_KINDS=cart,gaussian-copula` limits the kinds; `SYNTH_BENCH_BIG=0` skips the 1M-row table.
import { loadavg } from 'node:os';
import { dcr, identicalMatch } from '../src/core/metrics/privacy/index.js';
import { scorecard } from '../src/core/metrics/scorecard.js';
import { createRng } from '../src/core/random.js';
import { SYNTHESIZERS, synthesizerKind } from '../src/core/synth/registry.js';
import type { Table } from '../src/core/table/table.js';
import { poolRunner } from '../src/node/workers/parallel-runner.js';
import { WorkerPool } from '../src/node/workers/pool.js';
import { loadShared } from '../test/helpers/datasets.js';
import { peakRssMb, report, timed } from './util.js';

const kinds = process.env.SYNTH_BENCH_KINDS?.split(',') ?? SYNTHESIZERS.map((s) => s.kind).filter((k) => ['independent', 'gaussian-copula', 'cart', 'arf'].includes(k));
const big = process.env.SYNTH_BENCH_BIG !== '0';
const adult = await loadShared('adult');
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
// Kinds that split their fit (arf's trees) use two worker threads, as the CLI does; the others ignore it.
const pool = new WorkerPool({ size: 2 });
const parallel = poolRunner(pool);

async function speed(name: string, table: Table, kind: string): Promise<void> {
  gc();
  const cpu0 = process.cpuUsage();
  const fit = await timed(() => synthesizerKind(kind).create().fit(table, { seed: 1, parallel }));
  const n = table.numRows;
  const s = await timed(() => fit.value.sample(n, { seed: 2 }));
  report(`synth speed ${kind} ${name}`, {
    dataset: name,
    rows: n,
    fit_s: fit.seconds,
    sample_s: s.seconds,
    total_s: fit.seconds + s.seconds,
    sample_rows_per_s: Math.round(n / s.seconds),
    cpu_s: cpuSeconds(cpu0),
    load1: Number(loadavg()[0].toFixed(2)),
    peak_mb: Math.round(peakRssMb()),
  });
  if (kind === 'gaussian-copula') {
    const cpu1 = process.cpuUsage();
    const m = await timed(() => fit.value.sample(1_000_000, { seed: 3 }));
    report(`synth speed ${kind} sample 1M`, {
      dataset: name,
      rows: 1_000_000,
      seconds: m.seconds,
      rows_per_s: Math.round(1_000_000 / m.seconds),
      cpu_s: cpuSeconds(cpu1),
      load1: Number(loadavg()[0].toFixed(2)),
      peak_mb: Math.round(peakRssMb()),
    });
  }
}

for (const k of kinds) await speed('adult', adult, k);
if (big) {
  const idx = new Int32Array(1_000_000);
  const rng = createRng(2026, 'synth-bench');
  for (let i = 0; i < idx.length; i++) idx[i] = rng.int(adult.numRows);
  const million = adult.take(idx);
  for (const k of kinds) await speed('adult-resampled-1M', million, k);
}

const fmt = (x: number) => Number(x.toFixed(4));
function card(label: string, real: Table, synth: Table): void {
  const sc = scorecard(real, synth, { seed: 3 });
  report(`synth scorecard ${label}`, { dataset: 'adult', rows: synth.numRows, shapes: fmt(sc.shapes), pairs_all: fmt(sc.pairTrendsAll), pairs_related: fmt(sc.pairTrendsRelated), detection_auc: fmt(sc.detectionAuc) });
}
{
  const perm = createRng(5, 'halves').permutation(adult.numRows);
  const h = adult.numRows >> 1;
  card('ceiling (half vs half)', adult.take(perm.subarray(0, h)), adult.take(perm.subarray(h)));
}
const perm = createRng(7, 'split').permutation(adult.numRows);
const cut = Math.floor(0.8 * adult.numRows);
const train = adult.take(perm.subarray(0, cut)), hold = adult.take(perm.subarray(cut));
for (const k of kinds) {
  const f = await synthesizerKind(k).create().fit(adult, { seed: 1, parallel });
  card(k, adult, f.sample(adult.numRows, { seed: 2 }));
  const f2 = await synthesizerKind(k).create().fit(train, { seed: 1, parallel });
  const s2 = f2.sample(train.numRows, { seed: 2 });
  const im = (await identicalMatch.compute({ real: train, synthetic: s2, holdout: hold, schema: adult.schema, seed: 1 })).details as Record<string, number>;
  const dc = (await dcr.compute({ real: train, synthetic: s2, holdout: hold, schema: adult.schema, seed: 1 })).details as Record<string, number>;
  report(`synth privacy ${k}`, { dataset: 'adult 80/20', rows: s2.numRows, identical_share: fmt(im.identicalShare), holdout_identical_share: fmt(im.holdoutShare), dcr_share: fmt(dc.dcrShare), peak_mb: Math.round(peakRssMb()) });
}
await pool.close();

/** CPU seconds (user + system, all threads of this process, workers included) since `from`. */
function cpuSeconds(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
}
