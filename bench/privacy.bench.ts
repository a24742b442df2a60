// Privacy benchmark: the six privacy metrics (identical matches, DCR share, NNDR, rare records, membership inference,
// attribute inference), exact over the full real data, on adult (26k training, 6.5k holdout, 32k synthetic from the
// gaussian copula) and on a generated mixed table (PRIVACY_BENCH_ROWS training rows × 20 columns, default 1,000,000;
// holdout a quarter of that, synthetic as many as training, drawn from the same generator = an ideal synthesizer).
import { readTable } from '../src/node/io/read.js';
import { PRIVACY_METRICS } from '../src/core/metrics/privacy/index.js';
import type { Metric } from '../src/core/metrics/metric.js';
import { createRng } from '../src/core/random.js';
import { synthesizerKind } from '../src/core/synth/registry.js';
import { CategoricalColumn, NumericColumn } from '../src/core/table/column.js';
import type { Schema } from '../src/core/table/schema.js';
import { Table } from '../src/core/table/table.js';
import { peakRssMb, report, timed } from './util.js';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';

async function runAll(label: string, real: Table, holdout: Table, synthetic: Table, sensitive: string[]): Promise<void> {
  // CPU seconds are printed beside wall seconds: on a shared machine the wall time mostly measures the others' load.
  let total = 0, cpuTotal = 0;
  for (const m of PRIVACY_METRICS as Metric[]) {
    const c0 = process.cpuUsage();
    const { value: r, seconds } = await timed(() => m.compute({ real, holdout, synthetic, schema: real.schema, seed: 1, sensitive }));
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    total += seconds;
    cpuTotal += cpu;
    report(`${label} ${m.info.id}`, { seconds, cpuSeconds: cpu, status: r.status, score: r.score ?? NaN, reference: r.reference ?? NaN });
  }
  report(`${label} privacy total`, {
    training: real.numRows, holdout: holdout.numRows, synthetic: synthetic.numRows, seconds: total, cpuSeconds: cpuTotal, load1: loadavg()[0],
    'rows/s': Math.round((real.numRows + holdout.numRows + synthetic.numRows) / total), peakRssMB: peakRssMb(),
  });
}

async function adult(): Promise<void> {
  const t = await readTable(resolve(import.meta.dirname, '../../shared/datasets/adult.csv'));
  const perm = createRng(7, 'privacy-bench').permutation(t.numRows);
  const nTrain = Math.round(t.numRows * 0.8);
  const train = t.take(perm.subarray(0, nTrain));
  const holdout = t.take(perm.subarray(nTrain));
  const fitted = await synthesizerKind('gaussian-copula').create({}).fit(train, { seed: 1 });
  const synthetic = fitted.sample(32561, { seed: 2 });
  await runAll('adult', train, holdout, synthetic, ['income']);
}

/** Seeded mixed table: 10 numeric and 10 categorical columns driven by one of 40 latent clusters. */
function generate(rows: number, seed: number): Table {
  const rng = createRng(seed, 'privacy-bench-generated');
  const clusters = 40;
  const centre = createRng(2026, 'centres');
  const means = Float64Array.from({ length: clusters * 10 }, () => centre.normal() * 3);
  const favourite = Int32Array.from({ length: clusters * 10 }, (_, i) => centre.int(3 + (i % 10)));
  const num = Array.from({ length: 10 }, () => new Float64Array(rows));
  const cat = Array.from({ length: 10 }, () => new Int32Array(rows));
  for (let i = 0; i < rows; i++) {
    const z = rng.int(clusters);
    for (let j = 0; j < 10; j++) {
      const v = means[z * 10 + j] + rng.normal();
      num[j][i] = j < 5 ? Math.round(v * 10) / 10 : v; // half rounded (ties happen), half continuous
      const levels = 3 + j;
      cat[j][i] = rng.next() < 0.7 ? favourite[z * 10 + j] : rng.int(levels);
    }
  }
  const schema: Schema = {
    specVersion: 1,
    columns: [
      ...num.map((_, j) => ({ name: `x${j}`, type: 'numerical' as const, nullable: false })),
      ...cat.map((_, j) => ({ name: `c${j}`, type: 'categorical' as const, nullable: false })),
    ],
  };
  return new Table(schema, [
    ...num.map((v) => new NumericColumn(v, null)),
    ...cat.map((c, j) => new CategoricalColumn(c, Array.from({ length: 3 + j }, (_, l) => `L${l}`))),
  ]);
}

async function generated(): Promise<void> {
  const rows = Number(process.env.PRIVACY_BENCH_ROWS ?? 1_000_000);
  const train = generate(rows, 1), holdout = generate(Math.round(rows / 4), 2), synthetic = generate(rows, 3);
  await runAll(`generated ${rows}×20`, train, holdout, synthetic, ['c9']);
}

await adult();
if (process.env.PRIVACY_BENCH_SKIP_LARGE !== '1') await generated();
