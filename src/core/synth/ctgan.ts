import { readArtifact, type Artifact } from '../artifact.js';
import { SynthopsError, ValidationError, throwIfAborted, type ValidationIssue } from '../errors.js';
import type { JsonValue } from '../json.js';
import { Adam } from '../neural/adam.js';
import { CondVector } from '../neural/condVector.js';
import { Critic, Generator, activate, activateBackward } from '../neural/ctganNet.js';
import { DataTransformer, type TransformerState } from '../neural/dataTransformer.js';
import { encodedTvDistance } from '../neural/fidelitySignal.js';
import { Gemm } from '../neural/gemm.js';
import { calibratedProbability, calibrationKnots } from '../neural/marginalCalibration.js';
import { NeuralEngine, workingTable } from '../neural/tabularEngine.js';
import { packWeights, unpackWeights, type PackedWeights } from '../neural/weights.js';
import { createRng, type Rng } from '../random.js';
import type { Schema } from '../table/schema.js';
import type { Table } from '../table/table.js';
import { NumericColumn } from '../table/column.js';
import type { NumericMarginal } from './transforms/numeric-marginal.js';
import type { FitOptions, FittedSynthesizer, Synthesizer, SynthesizerKind, SynthesizerPayload } from './synthesizer.js';
import { FittedTabular, loadColumnModels, type TabularState } from './tabular-fitted.js';
import { DEFAULT_TRANSFORM, fitColumnModels, type ColumnModel } from './transforms/column-model.js';
import { validateRows } from './validate.js';

/** Parameters of the CTGAN synthesizer (Xu et al. 2019). Defaults follow the paper's settings, except `epochs` (70). */
export interface CtganParams {
  /**
   * Passes over the training rows. Default 70 (the paper: 300): on adult, 70 epochs meet the fidelity targets
   * (docs/neural.md, Measured) in about 11 minutes on one core.
   */
  epochs: number;
  /** Rows per step; a multiple of `pac`. Default 500. */
  batchSize: number;
  /** Noise size. Default 128. */
  embeddingDim: number;
  /** Residual block widths of the generator. Default [256, 256]. */
  generatorDims: number[];
  /** Hidden widths of the critic (exactly two). Default [256, 256]. */
  discriminatorDims: number[];
  /** Adam learning rates (β 0.5 / 0.9). Default 2e-4 each. */
  generatorLr: number;
  discriminatorLr: number;
  /** L2 weight penalties. Default 1e-6 each. */
  generatorDecay: number;
  discriminatorDecay: number;
  /** Critic steps per generator step. Default 1. */
  discriminatorSteps: number;
  /** Rows per PacGAN pack. Default 10. */
  pac: number;
  /** Gumbel-softmax temperature. Default 0.2. */
  tau: number;
  /** WGAN-GP penalty weight. Default 10. */
  gpLambda: number;
  /**
   * Early stopping: after each epoch the generator draws a small sample, compared with held-out rows by
   * `encodedTvDistance` (marginal and pair TV distance); training stops after this many epochs without
   * improvement and keeps the best generator. 0 (default) turns it off and trains every epoch on all rows.
   */
  patience: number;
  /** Share of rows held out for the validation signal when `patience` > 0. Default 0.1. */
  validationFraction: number;
  /** Privacy: categories with fewer than k rows are merged, extremes clipped to the k-th value. Default 5. */
  k: number;
  /**
   * Marginal calibration of numeric columns (default true): after training, each generated numeric value v is
   * replaced by Q(G(v)) — G the generator's own distribution of the column (quantiles of 20,000 generated rows),
   * Q the column's protected training quantile function. Monotone, so the learned rank dependence is kept; the
   * column's distribution becomes the training one. false = the plain generator output.
   */
  calibrate: boolean;
}

/** The defaults of every CTGAN parameter. */
export const CTGAN_DEFAULTS: Readonly<CtganParams> = Object.freeze({
  epochs: 70,
  batchSize: 500,
  embeddingDim: 128,
  generatorDims: [256, 256],
  discriminatorDims: [256, 256],
  generatorLr: 2e-4,
  discriminatorLr: 2e-4,
  generatorDecay: 1e-6,
  discriminatorDecay: 1e-6,
  discriminatorSteps: 1,
  pac: 10,
  tau: 0.2,
  gpLambda: 10,
  patience: 0,
  validationFraction: 0.1,
  k: 5,
  calibrate: true,
});

const KIND = 'ctgan';
/** 2: the state may hold `calibration` (v1 artifacts, without it, load and sample as before). */
const KIND_VERSION = 2;

interface CtganState {
  transformer: TransformerState;
  /** Generator weights only: the critic is not needed to sample. */
  weights: PackedWeights;
  /** Category frequencies per discrete span, for unconditional conditional vectors. */
  frequencies: number[][];
  /** Schema of the working table the network models (modelled columns only). */
  workingSchema: Schema;
  /** Epochs actually trained (fewer than `epochs` after early stopping). */
  epochsTrained?: number;
  /** With early stopping, the epoch (1-based) whose generator was kept. */
  bestEpoch?: number;
  /** Marginal calibration: per numeric working column, quantile knots of the generator's own output (v2). */
  calibration?: Calibration[];
}

interface Calibration {
  column: string;
  knots: number[];
}

/** Generated rows whose quantiles describe the generator's marginals for the calibration. */
const CALIBRATION_ROWS = 20000;

function validate(params: Partial<CtganParams>): CtganParams {
  const p: CtganParams = { ...CTGAN_DEFAULTS, ...params };
  const issues: ValidationIssue[] = [];
  const int = (name: keyof CtganParams, min: number) => {
    const v = p[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) issues.push({ path: name, message: `invalid ${name}: ${JSON.stringify(v)}. Use a whole number ≥ ${min}.` });
  };
  const pos = (name: keyof CtganParams) => {
    const v = p[name];
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) issues.push({ path: name, message: `invalid ${name}: ${JSON.stringify(v)}. Use a finite number ≥ 0.` });
  };
  int('epochs', 1);
  int('batchSize', 2);
  int('embeddingDim', 1);
  int('discriminatorSteps', 1);
  int('pac', 1);
  int('k', 1);
  int('patience', 0);
  if (!(p.validationFraction > 0 && p.validationFraction < 0.5))
    issues.push({ path: 'validationFraction', message: `invalid validationFraction: ${JSON.stringify(p.validationFraction)}. Use a number in (0, 0.5).` });
  for (const k of ['generatorLr', 'discriminatorLr', 'generatorDecay', 'discriminatorDecay', 'gpLambda'] as const) pos(k);
  if (typeof p.calibrate !== 'boolean') issues.push({ path: 'calibrate', message: `invalid calibrate: ${JSON.stringify(p.calibrate)}. Use true or false.` });
  if (!(p.tau > 0)) issues.push({ path: 'tau', message: `invalid tau: ${JSON.stringify(p.tau)}. Use a number > 0.` });
  if (!Array.isArray(p.generatorDims) || !p.generatorDims.every((d) => Number.isInteger(d) && d >= 1))
    issues.push({ path: 'generatorDims', message: `invalid generatorDims: ${JSON.stringify(p.generatorDims)}. Use a list of whole numbers ≥ 1.` });
  if (!Array.isArray(p.discriminatorDims) || p.discriminatorDims.length !== 2 || !p.discriminatorDims.every((d) => Number.isInteger(d) && d >= 1))
    issues.push({ path: 'discriminatorDims', message: `invalid discriminatorDims: ${JSON.stringify(p.discriminatorDims)}. Use two whole numbers ≥ 1.` });
  if (Number.isInteger(p.batchSize) && Number.isInteger(p.pac) && p.pac >= 1 && p.batchSize % p.pac !== 0)
    issues.push({ path: 'batchSize', message: `invalid batchSize: ${p.batchSize}. Use a multiple of pac (${p.pac}).` });
  if (issues.length) throw new ValidationError(issues);
  return p;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Writes rows of a (n × da) and b (n × db) side by side into out, starting at row `at` of out (width da + db). */
function packRows(a: Float32Array, da: number, b: Float32Array, db: number, n: number, out: Float32Array, at = 0): void {
  const w = da + db;
  for (let r = 0; r < n; r++) {
    out.set(a.subarray(r * da, r * da + da), (at + r) * w);
    if (db) out.set(b.subarray(r * db, r * db + db), (at + r) * w + da);
  }
}

/** Rows `rows` of x (row-major, width dim) as a new array. */
function gatherRows(x: Float32Array, dim: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * dim);
  for (let i = 0; i < rows.length; i++) out.set(x.subarray(rows[i] * dim, rows[i] * dim + dim), i * dim);
  return out;
}

/**
 * Fit options of CTGAN beyond the shared ones. `onEpochModel` is called after every epoch with a fitted model that
 * samples from the generator as it is now (for experiments that score the model along training). The model is
 * valid only during the call; it never changes the training (sampling draws from its own seed).
 */
export interface CtganFitOptions extends FitOptions {
  onEpochModel?: (epoch: number, fitted: FittedSynthesizer<CtganParams>) => void | Promise<void>;
}

/** Rows of the generator's sample compared with the held-out rows at each epoch (early stopping). */
const VALIDATION_SAMPLE = 2000;

class CtganSynthesizer implements Synthesizer<CtganParams> {
  readonly kind = KIND;
  constructor(readonly params: Readonly<CtganParams>) {}

  async fit(data: Table, opts: CtganFitOptions = {}): Promise<FittedSynthesizer<CtganParams>> {
    const seed = opts.seed ?? 0;
    const p = this.params;
    validateRows(data, p.k);
    const models = fitColumnModels(data, { ...DEFAULT_TRANSFORM, k: p.k });
    const work = workingTable(data, models);
    const rng = createRng(seed, KIND);
    const tf = DataTransformer.fit(work, rng.split('transformer'));
    const D = tf.dim;
    const all = tf.transform(work, rng.split('encode'));
    let x = all, n = work.numRows, xValid: Float32Array | null = null, nValid = 0;
    if (p.patience > 0) {
      const perm = rng.split('holdout').permutation(n);
      nValid = Math.max(1, Math.round(n * p.validationFraction));
      xValid = gatherRows(all, D, perm.slice(n - nValid));
      x = gatherRows(all, D, perm.slice(0, n - nValid));
      n -= nValid;
    }
    const cv = new CondVector(x, n, D, tf.spans);
    const C = cv.dim, E = p.embeddingDim;
    const B = Math.max(p.pac, Math.min(p.batchSize, Math.floor(n / p.pac) * p.pac));
    const m = B / p.pac;
    const mm = new Gemm(opts.gemm);
    const gen = new Generator(E + C, p.generatorDims, D, rng.split('generator'), mm);
    const critic = new Critic(p.pac * (D + C), p.discriminatorDims, rng.split('critic'), undefined, mm);
    const optG = new Adam(gen.params, { lr: p.generatorLr, beta1: 0.5, beta2: 0.9, weightDecay: p.generatorDecay });
    const optD = new Adam(critic.params, { lr: p.discriminatorLr, beta1: 0.5, beta2: 0.9, weightDecay: p.discriminatorDecay });
    const steps = Math.max(1, Math.floor(n / B));
    const R = D + C;
    // Every buffer of the training step is allocated once here and reused by every batch.
    const spanOf = new Int32Array(B), catOf = new Int32Array(B), rowOf = new Int32Array(B);
    const hot = { width: C, index: new Int32Array(B) }; // where each row's conditional vector has its 1
    const cond = new Float32Array(B * C), z = new Float32Array(B * E), genIn = new Float32Array(B * (E + C));
    const act = new Float32Array(B * D), dAct = new Float32Array(B * D), dRaw = new Float32Array(B * D);
    const both = new Float32Array(2 * B * R); // m packs of real rows, then m packs of generated rows
    const H1 = p.discriminatorDims[0], inter = new Float32Array(m * H1), fakeIn = both.subarray(B * R, 2 * B * R);
    let raw: Float32Array = new Float32Array(0);
    const dBoth = new Float32Array(2 * m).fill(-1 / m, 0, m).fill(1 / m, m), dG = new Float32Array(m).fill(-1 / m);

    /** Training-by-sampling conditions for one batch into cond / spanOf / catOf / rowOf. */
    const drawCond = (r: Rng): void => {
      if (C === 0) {
        for (let i = 0; i < B; i++) rowOf[i] = r.int(n);
        return;
      }
      cond.fill(0);
      cv.drawInto(r, B, spanOf, catOf, rowOf);
      for (let i = 0; i < B; i++) cond[i * C + (hot.index[i] = cv.offsets[spanOf[i]] + catOf[i])] = 1;
    };
    /** Generator input [noise | cond] for the current cond. */
    const generatorInput = (r: Rng): Float32Array => {
      r.fillNormal(z);
      packRows(z, E, cond, C, B, genIn);
      return genIn;
    };
    const frequencies = cv.freq.map((f) => Array.from(f));
    let best = Infinity, bestWeights: Float32Array[] | null = null, sinceBest = 0, bestEpoch = 0, epochsTrained = 0;

    for (let epoch = 0; epoch < p.epochs; epoch++) {
      let lossD = 0, lossG = 0;
      for (let step = 0; step < steps; step++) {
        throwIfAborted(opts.signal);
        const r = rng.split(`step:${epoch}:${step}`);
        for (let k = 0; k < p.discriminatorSteps; k++) {
          const rd = r.split(`d${k}`);
          drawCond(rd);
          const perm = rd.permutation(B);
          for (let i = 0; i < B; i++) {
            const j = perm[i];
            both.set(x.subarray(rowOf[j] * D, rowOf[j] * D + D), i * R);
            if (C) both.set(cond.subarray(j * C, j * C + C), i * R + D);
          }
          raw = gen.forward(generatorInput(rd), B, C ? hot : undefined);
          packRows(activate(raw, B, D, tf.spans, p.tau, rd, act), D, cond, C, B, both, B);
          // Real and generated packs go through the critic together: one pass, scores −1/m and +1/m.
          optD.zeroGrad();
          const y = critic.forward(both, 2 * m, rd.split('critic'), true);
          let s = 0;
          for (let q = 0; q < m; q++) s += y[m + q] - y[q];
          critic.backward(dBoth, 2 * m, { input: false });
          // Interpolates between real and generated packs: only their first-layer pre-activations are needed, and
          // the first layer is affine, so those are interpolated from the pass above (no product by W₁ again).
          const pre = critic.firstPre;
          for (let q = 0; q < m; q++) {
            const a = rd.next(), real = q * H1, fake = (m + q) * H1;
            for (let j = 0; j < H1; j++) inter[q * H1 + j] = a * pre[real + j] + (1 - a) * pre[fake + j];
          }
          const gp = critic.gradientPenaltyFromFirst(inter, m, p.gpLambda, rd.split('gp'));
          optD.step();
          lossD += s / m + gp;
        }
        // The generator's step scores the last critic step's generated batch again (same noise, conditions and
        // Gumbel draws) with the updated critic: the generator has not changed since, so its forward pass, kept
        // in `raw`, `act` and the generator's own activations, is reused instead of drawing a second batch.
        const rg = r.split('g');
        const y = critic.forward(fakeIn, m, rg.split('critic'));
        let s = 0;
        for (let q = 0; q < m; q++) s -= y[q];
        optG.zeroGrad();
        const dx = critic.backward(dG, m, { weights: false })!;
        for (let i = 0; i < B; i++) dAct.set(dx.subarray(i * R, i * R + D), i * D);
        dRaw.fill(0);
        activateBackward(dAct, act, B, D, tf.spans, p.tau, dRaw);
        let ce = 0;
        for (let i = 0; i < B && C; i++) {
          const sp = cv.spans[spanOf[i]], o = i * D + sp.start;
          let max = -Infinity;
          for (let k = 0; k < sp.size; k++) if (raw[o + k] > max) max = raw[o + k];
          let sum = 0;
          for (let k = 0; k < sp.size; k++) sum += Math.exp(raw[o + k] - max);
          ce += Math.log(sum) + max - raw[o + catOf[i]];
          for (let k = 0; k < sp.size; k++) dRaw[o + k] += (Math.exp(raw[o + k] - max) / sum - (k === catOf[i] ? 1 : 0)) / B;
        }
        gen.backward(dRaw, B);
        optG.step();
        lossG += s / m + ce / B;
      }
      epochsTrained = epoch + 1;
      const figures: Record<string, number> = { generator: lossG / steps, critic: lossD / (steps * p.discriminatorSteps) };
      let stop = false;
      if (xValid) {
        const ns = Math.min(VALIDATION_SAMPLE, nValid);
        const fake = encodedSample(gen, p, tf, C, frequencies, cv.offsets, ns, rng.split(`valid:${epoch}`));
        figures.validation = encodedTvDistance(fake, ns, xValid, nValid, D, tf.spans);
        if (figures.validation < best - 1e-4) {
          best = figures.validation;
          bestWeights = gen.params.map((q) => q.data.slice());
          bestEpoch = epoch + 1;
          sinceBest = 0;
        } else if (++sinceBest >= p.patience) stop = true;
      }
      opts.onProgress?.({
        stage: 'epoch',
        done: epoch + 1,
        total: p.epochs,
        message: `epoch ${epoch + 1}/${p.epochs} · generator ${figures.generator.toFixed(3)} · critic ${figures.critic.toFixed(3)}${figures.validation !== undefined ? ` · validation TV ${figures.validation.toFixed(4)}` : ''}`,
        figures,
      });
      if (opts.onEpochModel) {
        const now = new CtganSampler(p, work.schema, tf, gen, frequencies, { epochsTrained }); // not calibrated
        await opts.onEpochModel(epoch + 1, new FittedTabular(KIND, KIND_VERSION, p, data.schema, models, now.engine(models), { rows: n, columns: data.numColumns, seed }));
      }
      if (stop) break;
      await yieldToEventLoop();
    }
    if (bestWeights) gen.params.forEach((q, i) => q.data.set(bestWeights![i]));
    const sampler = new CtganSampler(p, work.schema, tf, gen, frequencies, { epochsTrained, ...(bestWeights ? { bestEpoch } : {}) });
    if (p.calibrate) sampler.calibrate(models, rng.split('calibration'));
    return new FittedTabular(KIND, KIND_VERSION, p, data.schema, models, sampler.engine(models), { rows: n, columns: data.numColumns, seed });
  }
}

/**
 * `count` encoded rows from the generator with unconditional conditional vectors (a discrete column uniformly, its
 * category by training frequency), as the sampler draws them: the early-stopping signal compares these with
 * held-out rows.
 */
function encodedSample(gen: Generator, p: CtganParams, tf: DataTransformer, C: number, frequencies: number[][], offsets: number[], count: number, rng: Rng): Float32Array {
  const D = tf.dim, E = p.embeddingDim, B = p.batchSize;
  const out = new Float32Array(count * D), z = new Float32Array(B * E), c = new Float32Array(B * C), input = new Float32Array(B * (E + C));
  for (let at = 0, chunk = 0; at < count; at += B, chunk++) {
    const r = rng.split(chunk);
    r.fillNormal(z);
    c.fill(0);
    if (C) for (let i = 0; i < B; i++) {
      const s = r.int(frequencies.length);
      c[i * C + offsets[s] + r.weighted(frequencies[s])] = 1;
    }
    packRows(z, E, c, C, B, input);
    const act = activate(gen.forward(input, B), B, D, tf.spans, p.tau, r.split('gumbel'));
    out.set(act.subarray(0, Math.min(B, count - at) * D), at * D);
  }
  return out;
}

/** Draws working-table rows from a trained generator. */
class CtganSampler {
  private readonly discrete: { column: string; offset: number; size: number; categories: readonly string[] }[];
  private readonly condDim: number;

  /** Calibrated columns: working-table column, generator knots, the training quantile function. */
  private calibration: { column: string; knots: Float64Array; target: NumericMarginal }[] = [];

  constructor(
    readonly params: Readonly<CtganParams>,
    readonly schema: Schema,
    private readonly tf: DataTransformer,
    private readonly gen: Generator,
    private readonly frequencies: number[][],
    private readonly trained: { epochsTrained?: number; bestEpoch?: number } = {},
  ) {
    let at = 0;
    this.discrete = tf.spans
      .filter((s) => s.discrete)
      .map((s) => {
        const e = tf.encodings[s.column];
        const d = { column: e.column, offset: at, size: s.size, categories: e.kind === 'categorical' ? e.categories : [] };
        at += s.size;
        return d;
      });
    this.condDim = at;
  }

  /**
   * n rows, generated in full batches (batch normalisation uses batch statistics, as in training). The conditional
   * vector picks a discrete column uniformly and a category by its training frequency, or — for an `equals`
   * condition on a categorical column — that category on every row.
   */
  private draw(n: number, rng: Rng, equals: readonly { column: string; value: string }[]): Table {
    const p = this.params, D = this.tf.dim, C = this.condDim, E = p.embeddingDim, B = p.batchSize;
    const out = new Float32Array(n * D);
    const steer = equals.map((e) => {
      const d = this.discrete.find((q) => q.column === e.column);
      const k = d ? d.categories.indexOf(e.value) : -1;
      return d && k >= 0 ? d.offset + k : -1;
    }).find((k) => k >= 0);
    for (let at = 0, chunk = 0; at < n; at += B, chunk++) {
      const r = rng.split(chunk);
      const z = new Float32Array(B * E);
      r.fillNormal(z);
      const c = new Float32Array(B * C);
      if (C)
        for (let i = 0; i < B; i++) {
          if (steer !== undefined) {
            c[i * C + steer] = 1;
            continue;
          }
          const s = r.int(this.discrete.length);
          c[i * C + this.discrete[s].offset + r.weighted(this.frequencies[s])] = 1;
        }
      const input = new Float32Array(B * (E + C));
      for (let i = 0; i < B; i++) {
        input.set(z.subarray(i * E, i * E + E), i * (E + C));
        input.set(c.subarray(i * C, i * C + C), i * (E + C) + E);
      }
      const act = activate(this.gen.forward(input, B), B, D, this.tf.spans, p.tau, r.split('gumbel'));
      const take = Math.min(B, n - at);
      out.set(act.subarray(0, take * D), at * D);
    }
    let table = this.tf.inverse(out, n, this.schema, rng.split('decode'));
    for (const c of this.calibration) {
      const v = table.numeric(c.column).values, w = new Float64Array(v.length);
      for (let i = 0; i < v.length; i++) w[i] = v[i] === v[i] ? c.target.inverse(calibratedProbability(c.knots, v[i])) : NaN;
      table = table.withColumn(table.spec(c.column), new NumericColumn(w));
    }
    return table;
  }

  /** Fits the marginal calibration (see `CtganParams.calibrate`) from CALIBRATION_ROWS generated rows. */
  calibrate(models: readonly ColumnModel[], rng: Rng): void {
    this.calibration = [];
    const sample = this.draw(CALIBRATION_ROWS, rng, []);
    const found: Calibration[] = [];
    for (const spec of this.schema.columns) {
      const model = models.find((m) => m.name === spec.name);
      if (model?.kind !== 'numeric' || spec.type !== 'numerical') continue;
      const knots = calibrationKnots(sample.numeric(spec.name).values);
      if (knots) found.push({ column: spec.name, knots: Array.from(knots) });
    }
    this.useCalibration(found, models);
  }

  /** Installs saved calibration knots (columns without a numeric model are skipped). */
  useCalibration(saved: readonly Calibration[], models: readonly ColumnModel[]): void {
    this.calibration = [];
    for (const c of saved) {
      const model = models.find((m) => m.name === c.column);
      if (model?.kind === 'numeric') this.calibration.push({ column: c.column, knots: Float64Array.from(c.knots), target: model.marginal });
    }
  }

  engine(models: ColumnModel[]): NeuralEngine {
    const state = (): JsonValue =>
      ({
        transformer: this.tf.state(),
        weights: packWeights(this.gen.params),
        frequencies: this.frequencies,
        workingSchema: this.schema,
        ...this.trained,
        ...(this.calibration.length ? { calibration: this.calibration.map((c) => ({ column: c.column, knots: Array.from(c.knots) })) } : {}),
      }) as unknown as JsonValue;
    return new NeuralEngine(models, (n, rng, equals) => this.draw(n, rng, equals), state);
  }
}

/**
 * CTGAN: a conditional GAN over mode-normalised rows — residual generator, PacGAN critic, WGAN-GP loss, and
 * training-by-sampling with a conditional vector so rare categories are learned; `equals` conditions on a
 * categorical column steer the conditional vector. Trained on CPU with the SIMD GEMM engine; deterministic for a
 * seed; the generator's weights are packed f32 inside the JSON artifact.
 *
 * @example
 * const fitted = await ctgan.create({ epochs: 100 }).fit(adult, { seed: 1 });
 * fitted.sample(1000, { seed: 2, conditions: [{ column: 'income', equals: '>50K' }] });
 */
export const ctgan: SynthesizerKind<CtganParams> = {
  kind: KIND,
  kindVersion: KIND_VERSION,
  readableVersions: [1, 2],
  description: 'CTGAN: conditional GAN with mode-specific normalisation and training-by-sampling (neural, CPU, WebAssembly SIMD).',
  create(params: Partial<CtganParams> = {}): Synthesizer<CtganParams> {
    return new CtganSynthesizer(validate(params));
  },
  load(artifact: Artifact<SynthesizerPayload>): FittedSynthesizer<CtganParams> {
    const a = readArtifact<SynthesizerPayload>(artifact, `synthesizer/${KIND}`, [1, 2]);
    // Version 1 had no calibration: its params read `calibrate: false`, as its samples are.
    const p = validate({ ...(a.kindVersion === 1 ? { calibrate: false } : {}), ...(a.payload.params as unknown as Partial<CtganParams>) });
    const tab = a.payload.state as unknown as TabularState;
    const models = loadColumnModels(tab);
    const state = tab.engine as unknown as CtganState;
    if (!state || !state.transformer || !Array.isArray(state.transformer.encodings) || !Array.isArray(state.frequencies) || !state.workingSchema)
      throw new SynthopsError('incompatible_artifact', 'invalid artifact: the CTGAN state is incomplete.');
    const tf = new DataTransformer(state.transformer);
    const condDim = tf.spans.filter((s) => s.discrete).reduce((s, q) => s + q.size, 0);
    const gen = new Generator(p.embeddingDim + condDim, p.generatorDims, tf.dim, createRng(0));
    unpackWeights(state.weights, gen.params);
    const sampler = new CtganSampler(p, state.workingSchema, tf, gen, state.frequencies, { ...(state.epochsTrained !== undefined ? { epochsTrained: state.epochsTrained } : {}), ...(state.bestEpoch !== undefined ? { bestEpoch: state.bestEpoch } : {}) });
    if (Array.isArray(state.calibration)) sampler.useCalibration(state.calibration, models);
    return new FittedTabular(KIND, KIND_VERSION, p, a.payload.schema, models, sampler.engine(models), a.payload.training);
  },
};
