// Built-in learners: fit and predict times on adult (32,561 × 14 features) and on a generated 200,000-row
// table (10 numeric + 5 categorical features), for each learner; random forest also on a 2-worker pool;
// 5-fold gradient-boosted detection (real vs shuffled-column rows) on 65k rows. Prints wall seconds, rows/s,
// CPU seconds of this thread (the pool's workers are not in it) and peak RSS.
import { readTable } from '../src/node/io/read.js';
import { featureMatrix, type FeatureMatrix } from '../src/core/learners/features.js';
import { fitLearner, kFoldIndices, learnerTarget, type LearnerKind } from '../src/core/learners/learner.js';
import type { TreeTarget } from '../src/core/learners/tree.js';
import { createRng } from '../src/core/random.js';
import { WorkerPool } from '../src/node/workers/pool.js';
import { fitLearnersInPool, fitRandomForestInPool } from '../src/node/workers/parallel-learners.js';
import { datasetPath } from '../test/helpers/datasets.js';
import { peakRssMb, report, timed } from './util.js';

const only = process.env.LEARNERS_ONLY?.split(',');
const want = (name: string) => !only || only.some((o) => name.includes(o));

async function bench(dataset: string, x: FeatureMatrix, target: TreeTarget, kinds: LearnerKind[], opts: Record<string, number> = {}): Promise<void> {
  for (const kind of kinds) {
    if (!want(kind)) continue;
    const c0 = process.cpuUsage();
    const fit = await timed(() => fitLearner(kind, x, target, { seed: 1, ...opts }));
    const cpu = process.cpuUsage(c0).user / 1e6;
    const pred = await timed(() => fit.value.predict(x));
    report(`${kind} ${target.kind} ${dataset}`, {
      rows: x.numRows,
      fit_s: fit.seconds,
      fit_cpu_s: cpu,
      'fit_rows/s': Math.round(x.numRows / fit.seconds),
      predict_s: pred.seconds,
      peak_mb: peakRssMb(),
    });
  }
}

function generated(n: number, seed: number): { x: FeatureMatrix; cls: TreeTarget; reg: TreeTarget } {
  const rng = createRng(seed, 'bench-learners');
  const cols: (Float64Array | Int32Array)[] = [];
  const levels: number[] = [];
  const names: string[] = [];
  for (let j = 0; j < 10; j++) {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[i] = rng.next() < 0.02 ? NaN : rng.normal() * (j + 1);
    cols.push(c);
    levels.push(0);
    names.push(`num${j}`);
  }
  for (let j = 0; j < 5; j++) {
    const L = [3, 8, 20, 50, 200][j];
    const c = new Int32Array(n);
    for (let i = 0; i < n; i++) c[i] = rng.int(L);
    cols.push(c);
    levels.push(L);
    names.push(`cat${j}`);
  }
  const yr = new Float64Array(n), yc = new Int32Array(n);
  const a = cols[0] as Float64Array, b = cols[1] as Float64Array, c = cols[2] as Float64Array, k = cols[12] as Int32Array;
  for (let i = 0; i < n; i++) {
    const f = (a[i] || 0) * 0.8 + Math.sin((b[i] || 0) / 2) * 2 + ((c[i] || 0) > 1 ? 1.5 : 0) + (k[i] % 3) * 0.7;
    yr[i] = f + rng.normal();
    yc[i] = f + rng.normal() > 1 ? 1 : 0;
  }
  return { x: { numRows: n, names, columns: cols, levels }, cls: { kind: 'classification', y: yc, numClasses: 2 }, reg: { kind: 'regression', y: yr } };
}

const adult = await readTable(datasetPath('adult'));
const xa = featureMatrix(adult, adult.columnNames.filter((c) => c !== 'income'));
const { target: ya } = learnerTarget(adult, 'income');
await bench('adult', xa, ya, ['gradient-boosting', 'random-forest', 'logistic-regression']);

const g = generated(200_000, 7);
await bench('generated', g.x, g.cls, ['gradient-boosting', 'logistic-regression']);
await bench('generated', g.x, g.reg, ['gradient-boosting', 'linear-regression']);
await bench('generated', g.x, g.cls, ['random-forest'], { nEstimators: 30, minSamplesLeaf: 5 });

if (want('pool')) {
  const pool = new WorkerPool({ size: 2 });
  try {
    const rf = await timed(() => fitRandomForestInPool(pool, xa, ya, { seed: 1, nEstimators: 100 }));
    report('random-forest pool=2 adult', { rows: xa.numRows, trees: 100, fit_s: rf.seconds, 'fit_rows/s': Math.round(xa.numRows / rf.seconds), peak_mb: peakRssMb() });
    // Detection: real rows vs rows whose columns were shuffled independently (65k rows), 5-fold boosted.
    const n = adult.numRows;
    const perms = xa.columns.map((_, j) => createRng(3, j).permutation(n));
    const cols = xa.columns.map((c, j) => {
      const out = c instanceof Float64Array ? new Float64Array(2 * n) : new Int32Array(2 * n);
      out.set(c as never);
      for (let i = 0; i < n; i++) out[n + i] = c[perms[j][i]];
      return out;
    });
    const xd: FeatureMatrix = { ...xa, numRows: 2 * n, columns: cols };
    const yd = Int32Array.from({ length: 2 * n }, (_, i) => (i < n ? 0 : 1));
    const fold = kFoldIndices(2 * n, 5, 1, yd);
    const jobs = [0, 1, 2, 3, 4].map((k) => ({
      kind: 'gradient-boosting' as const,
      x: xd,
      target: { kind: 'classification' as const, y: yd, numClasses: 2 },
      opts: { seed: k, rows: Int32Array.from({ length: 2 * n }, (_, i) => i).filter((i) => fold[i] !== k) },
    }));
    const cv = await timed(() => fitLearnersInPool(pool, jobs));
    report('gradient-boosting 5-fold detection pool=2', { rows: 2 * n, folds: 5, fit_s: cv.seconds, peak_mb: peakRssMb() });
  } finally {
    await pool.close();
  }
}
