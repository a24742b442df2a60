// Neural synthesizers benchmark (issue 5):
//   1. GEMM throughput (GFLOP/s) of the WebAssembly SIMD kernel and the plain-TS fallback at TVAE/CTGAN shapes;
//   2. TVAE and CTGAN fitted on adult (32,561 rows) with default settings for a few epochs: seconds per epoch
//      (epochs after the first, which also fits the data transformer), fit seconds for those epochs, and the
//      projected fit time at the default 300 epochs; then sampling speed.
// Epochs run: NEURAL_BENCH_EPOCHS (default 4 for TVAE, half that for CTGAN). Set NEURAL_BENCH_SCORE=1 to also print
// the scorecard of the sample (slow: a cross-validated detector).
import { readTable } from '../src/node/io/read.js';
import { gemm, useKernel } from '../src/core/neural/gemm.js';
import { ctgan } from '../src/core/synth/ctgan.js';
import { tvae } from '../src/core/synth/tvae.js';
import type { SynthesizerKind } from '../src/core/synth/synthesizer.js';
import { scorecard } from '../src/core/metrics/scorecard.js';
import { datasetPath } from '../test/helpers/datasets.js';
import { peakRssMb, report, timed } from './util.js';

const EPOCHS = Number(process.env.NEURAL_BENCH_EPOCHS ?? 4);
const SCORE = process.env.NEURAL_BENCH_SCORE === '1';

function gemmBench(): void {
  const shapes: [number, number, number][] = [[500, 160, 128], [500, 128, 128], [50, 2640, 256], [500, 488, 256]];
  for (const kernel of [undefined, 'ts'] as const) {
    useKernel(kernel);
    for (const [m, k, n] of shapes) {
      const a = new Float32Array(m * k).fill(0.5), b = new Float32Array(k * n).fill(0.25), c = new Float32Array(m * n);
      for (let i = 0; i < 5; i++) gemm(m, k, n, a, b, c, false);
      const reps = kernel === 'ts' ? 20 : 200;
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) gemm(m, k, n, a, b, c, false);
      const s = (performance.now() - t0) / 1000;
      report(`gemm ${kernel ?? 'wasm-simd'} ${m}x${k}x${n}`, { seconds: s, 'GFLOP/s': (2 * m * k * n * reps) / s / 1e9, peakMB: peakRssMb() });
    }
  }
  useKernel(undefined);
}

async function fitBench(name: string, kind: SynthesizerKind, epochs: number): Promise<void> {
  const adult = await readTable(datasetPath('adult'));
  const stamps: number[] = [];
  const t0 = performance.now();
  const { value: fitted, seconds } = await timed(() =>
    kind.create({ epochs }).fit(adult, { seed: 1, onProgress: (p) => void (p.stage === 'epoch' && stamps.push(performance.now())) }),
  );
  const later = stamps.length > 1 ? (stamps[stamps.length - 1] - stamps[0]) / 1000 / (stamps.length - 1) : (stamps[0] - t0) / 1000;
  const first = (stamps[0] - t0) / 1000;
  report(`${name} fit adult (${epochs} epochs)`, {
    dataset: 'adult',
    rows: adult.numRows,
    seconds,
    'rows/s': (adult.numRows * epochs) / seconds,
    'first epoch s (incl. transformer)': first,
    's/epoch': later,
    'projected 300-epoch fit s': first + 299 * later,
    peakMB: peakRssMb(),
  });
  const { value: sample, seconds: ss } = await timed(() => fitted.sample(adult.numRows, { seed: 2 }));
  report(`${name} sample`, { dataset: 'adult', rows: adult.numRows, seconds: ss, 'rows/s': adult.numRows / ss, peakMB: peakRssMb() });
  if (SCORE) {
    const sc = scorecard(adult, sample, { seed: 1 });
    report(`${name} scorecard (${epochs} epochs)`, { shapes: sc.shapes, pairTrendsRelated: sc.pairTrendsRelated, pairTrendsAll: sc.pairTrendsAll, detectionAuc: sc.detectionAuc });
  }
}

gemmBench();
await fitBench('tvae', tvae, EPOCHS);
await fitBench('ctgan', ctgan, Math.max(2, Math.round(EPOCHS / 2)));
