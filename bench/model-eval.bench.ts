// Full model evaluation on 1,000,000 binary predictions: every metric, 3 slice columns (each alone and crossed in
// pairs), fairness, calibration, weak-slice discovery, 200 Poisson-bootstrap resamples.
import { evaluatePredictions } from '../src/core/model-eval/evaluate.js';
import type { ClassificationPredictions } from '../src/core/model-eval/predictions.js';
import { createRng } from '../src/core/random.js';
import { CategoricalColumn, NumericColumn } from '../src/core/table/column.js';
import { Table } from '../src/core/table/table.js';
import { peakRssMb, report, timed } from './util.js';

const n = Number(process.env.MODEL_EVAL_ROWS ?? 1_000_000);
const rng = createRng(2026, 'bench-model-eval');
// Simulated predictions: three slice columns (a 2-level, a 5-level categorical and a numeric), a label and a
// continuous score (no ties to compress) whose quality varies by slice, so slices and fairness gaps are not trivial.
const sexCodes = new Int32Array(n), raceCodes = new Int32Array(n), age = new Float64Array(n);
const score = new Float64Array(n);
const y = new Int32Array(n);
for (let i = 0; i < n; i++) {
  sexCodes[i] = rng.int(2);
  raceCodes[i] = rng.next() < 0.8 ? 0 : 1 + rng.int(4);
  age[i] = 18 + Math.floor(rng.next() * 60);
  const z = rng.normal() + (raceCodes[i] === 3 ? 0.3 : 1.2);
  y[i] = rng.next() < 0.3 ? 1 : 0;
  const s = 1 / (1 + Math.exp(-(y[i] ? z : -z) * 0.9 + 0.8));
  score[i] = s;
}
const pred = new Int32Array(n);
for (let i = 0; i < n; i++) pred[i] = score[i] >= 0.5 ? 1 : 0;
const table = new Table(
  { specVersion: 1, columns: [{ name: 'sex', type: 'categorical', nullable: false }, { name: 'race', type: 'categorical', nullable: false }, { name: 'age', type: 'numerical', nullable: false }] },
  [new CategoricalColumn(sexCodes, ['F', 'M']), new CategoricalColumn(raceCodes, ['A', 'B', 'C', 'D', 'E']), new NumericColumn(age)],
);
const preds: ClassificationPredictions = { task: 'classification', classes: ['0', '1'], y, pred, score, proba: null, positive: 1, threshold: 0.5 };
(globalThis as { gc?: () => void }).gc?.();
const cpu0 = process.cpuUsage();
const { value, seconds } = await timed(() => evaluatePredictions(preds, table, { sliceBy: ['sex', 'race', 'age'], resamples: 200, seed: 1 }));
const cpu = process.cpuUsage(cpu0);
// CPU seconds of this process as well as wall-clock seconds: on a shared, loaded machine the wall time mostly
// measures waiting for a core.
report('model-eval full (200 resamples, 3 slices)', {
  dataset: 'simulated-binary',
  rows: n,
  seconds,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  'rows/s': Math.round(n / seconds),
  peakMB: Math.round(peakRssMb()),
  weakSlices: value.weakSlices?.found.length ?? 0,
  auc: value.overall.rocAuc.value?.toFixed(3) ?? 'n/a',
});
