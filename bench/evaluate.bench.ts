// Full evaluation report (every registered metric, references, bootstrap intervals) on adult and on a simulated
// 1M × 20 table. Synthetic data here is an "independent" generator (each column resampled on its own), so the
// timings measure the evaluator, not a synthesizer. EVALUATE_BENCH=adult|million|all (default all);
// EVALUATE_MILLION_ROWS overrides 1,000,000.
import { evaluateInPool } from '../src/node/workers/evaluate-in-pool.js';
import { createRng } from '../src/core/random.js';
import { CategoricalColumn, NumericColumn } from '../src/core/table/column.js';
import { Table } from '../src/core/table/table.js';
import type { ColumnSpec } from '../src/core/table/schema.js';
import { loadShared } from '../test/helpers/datasets.js';
import { loadavg } from 'node:os';
import { peakRssMb, report, timed } from './util.js';

const which = process.env.EVALUATE_BENCH ?? 'all';
/** EVALUATE_METRICS=id,id runs only those metrics (for profiling one part); default every registered metric. */
const only = process.env.EVALUATE_METRICS ? process.env.EVALUATE_METRICS.split(',') : undefined;

/** Each column resampled independently with replacement: keeps marginals, breaks every relationship. */
function independent(t: Table, n: number, seed: number): Table {
  const cols = t.schema.columns.map((spec) => {
    const r = createRng(seed, spec.name);
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = r.int(t.numRows);
    return t.column(spec.name).take(idx);
  });
  return new Table(t.schema, cols);
}

async function bench(label: string, dataset: string, real: Table, synthetic: Table, holdout: Table, target: string): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  // Per-metric wall and CPU seconds (each metric's slot includes its holdout reference and interval). CPU seconds are
  // the whole process's (process.cpuUsage: the main thread and the worker threads running the neighbour searches
  // meanwhile). The load average says how busy the machine was (the shared 2-core machine inflates wall time).
  const perMetric: { id: string; seconds: number; cpu: number }[] = [];
  let t = performance.now(), c = process.cpuUsage();
  const cpu0 = process.cpuUsage();
  const { value, seconds } = await timed(() =>
    evaluateInPool({ real, synthetic, holdout }, {
      seed: 1,
      target,
      ...(only ? { metrics: only } : {}),
      onMetric: (id) => {
        const now = performance.now(), cu = process.cpuUsage(c);
        perMetric.push({ id, seconds: (now - t) / 1000, cpu: (cu.user + cu.system) / 1e6 });
        // Printed as each metric finishes, so a run stopped early still shows where the time went.
        report(`  ${id}`, { seconds: (now - t) / 1000, cpuSeconds: (cu.user + cu.system) / 1e6, load1: loadavg()[0] });
        t = now;
        c = process.cpuUsage();
      },
    }),
  );
  const cpuAll = process.cpuUsage(cpu0);
  console.log(`${label}: per metric (wall s, process CPU s incl. workers; each includes its holdout reference and interval)`);
  for (const m of perMetric) {
    const r = value.payload.metrics.find((x) => x.metric === m.id);
    report(`  ${m.id}`, { seconds: m.seconds, cpuSeconds: m.cpu, status: r?.status ?? '?', score: r?.score ?? NaN, reference: r?.reference ?? NaN });
  }
  const inMetrics = perMetric.reduce((a, m) => a + m.seconds, 0);
  const ok = value.payload.metrics.filter((m) => m.status === 'ok').length;
  const rows = real.numRows + synthetic.numRows + holdout.numRows;
  report(label, {
    dataset, training: real.numRows, holdout: holdout.numRows, synthetic: synthetic.numRows, metricsOk: ok, metrics: value.payload.metrics.length,
    seconds, cpuSeconds: (cpuAll.user + cpuAll.system) / 1e6, chartsAndSummarySeconds: seconds - inMetrics,
    'rows/s': Math.round(rows / seconds), peakMB: Math.round(peakRssMb()), load1: loadavg()[0],
  });
}

if (which === 'all' || which === 'adult') {
  const adult = await loadShared('adult');
  const p = createRng(7).permutation(adult.numRows);
  const nh = Math.round(adult.numRows * 0.2);
  const holdout = adult.take(p.subarray(0, nh)), train = adult.take(p.subarray(nh));
  await bench('evaluate full report (adult)', 'adult', train, independent(adult, adult.numRows, 3), holdout, 'income');
}

if (which === 'all' || which === 'million') {
  const n = Number(process.env.EVALUATE_MILLION_ROWS ?? 1_000_000);
  const make = (rows: number, seed: number): Table => {
    const rng = createRng(seed, 'million');
    const specs: ColumnSpec[] = [];
    const cols = [];
    const z = new Float64Array(rows);
    for (let i = 0; i < rows; i++) z[i] = rng.normal();
    for (let j = 0; j < 12; j++) {
      const v = new Float64Array(rows);
      for (let i = 0; i < rows; i++) v[i] = Math.round((0.6 * z[i] + 0.8 * rng.normal()) * 1000 + j * 10) / 100;
      specs.push({ name: `x${j}`, type: 'numerical', nullable: false });
      cols.push(new NumericColumn(v, null));
    }
    for (let j = 0; j < 8; j++) {
      const k = 3 + j * 2;
      const codes = new Int32Array(rows);
      for (let i = 0; i < rows; i++) codes[i] = rng.next() < 0.5 ? Math.min(k - 1, Math.max(0, Math.floor((z[i] + 2) * (k / 4)))) : rng.int(k);
      specs.push({ name: `c${j}`, type: 'categorical', nullable: false });
      cols.push(new CategoricalColumn(codes, Array.from({ length: k }, (_, q) => `L${q}`)));
    }
    return new Table({ specVersion: 1, columns: specs }, cols);
  };
  const real = make(n, 1), holdout = make(Math.round(n / 4), 2);
  await bench('evaluate full report (1M × 20)', 'simulated-20-cols', real, independent(real, n, 4), holdout, 'c0');
}
