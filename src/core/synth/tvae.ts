import { makeArtifact, readArtifact, type Artifact } from '../artifact.js';
import { SynthopsError, ValidationError, throwIfAborted, type ValidationIssue } from '../errors.js';
import type { JsonValue } from '../json.js';
import { Adam } from '../neural/adam.js';
import { sampleConditioned } from '../neural/conditions.js';
import { DataTransformer, isModelled, type TransformerState } from '../neural/dataTransformer.js';
import { TvaeNet } from '../neural/tvaeNet.js';
import { packWeights, unpackWeights, type PackedWeights } from '../neural/weights.js';
import { createRng, type Rng } from '../random.js';
import type { Schema } from '../table/schema.js';
import type { Table } from '../table/table.js';
import type { FitOptions, FittedSynthesizer, SampleOptions, Synthesizer, SynthesizerKind, SynthesizerPayload } from './synthesizer.js';

/**
 * Parameters of the TVAE synthesizer (Xu et al. 2019, "Modeling Tabular data using Conditional GAN", the VAE
 * variant). Defaults follow the paper's settings, which suit tables like adult.
 */
export interface TvaeParams {
  /** Passes over the training rows. Default 300. */
  epochs: number;
  /** Rows per gradient step. Default 500. */
  batchSize: number;
  /** Latent size. Default 128. */
  embeddingDim: number;
  /** Encoder hidden widths. Default [128, 128]. */
  compressDims: number[];
  /** Decoder hidden widths. Default [128, 128]. */
  decompressDims: number[];
  /** Adam learning rate. Default 1e-3. */
  learningRate: number;
  /** L2 weight penalty. Default 1e-5. */
  l2scale: number;
  /** Weight of the reconstruction term against KL. Default 2. */
  lossFactor: number;
  /**
   * Early stopping: stop when the validation loss has not improved for this many epochs and keep the best
   * weights. 0 (default) turns it off and trains every epoch on all rows.
   */
  patience: number;
  /** Share of rows held out for the validation loss when `patience` > 0. Default 0.1. */
  validationFraction: number;
}

/** The defaults of every TVAE parameter. */
export const TVAE_DEFAULTS: Readonly<TvaeParams> = Object.freeze({
  epochs: 300,
  batchSize: 500,
  embeddingDim: 128,
  compressDims: [128, 128],
  decompressDims: [128, 128],
  learningRate: 1e-3,
  l2scale: 1e-5,
  lossFactor: 2,
  patience: 0,
  validationFraction: 0.1,
});

const KIND = 'tvae';
const KIND_VERSION = 1;

interface TvaeState {
  transformer: TransformerState;
  weights: PackedWeights;
  /** Epochs actually trained (fewer than `epochs` after early stopping). */
  epochsTrained: number;
}

function validate(params: Partial<TvaeParams>): TvaeParams {
  const p: TvaeParams = { ...TVAE_DEFAULTS, ...params };
  const issues: ValidationIssue[] = [];
  const int = (name: keyof TvaeParams, min: number) => {
    const v = p[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) issues.push({ path: name, message: `invalid ${name}: ${JSON.stringify(v)}. Use a whole number ≥ ${min}.` });
  };
  const pos = (name: keyof TvaeParams) => {
    const v = p[name];
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) issues.push({ path: name, message: `invalid ${name}: ${JSON.stringify(v)}. Use a finite number ≥ 0.` });
  };
  int('epochs', 1);
  int('batchSize', 2);
  int('embeddingDim', 1);
  int('patience', 0);
  pos('learningRate');
  pos('l2scale');
  pos('lossFactor');
  for (const name of ['compressDims', 'decompressDims'] as const)
    if (!Array.isArray(p[name]) || !p[name].every((d) => Number.isInteger(d) && d >= 1))
      issues.push({ path: name, message: `invalid ${name}: ${JSON.stringify(p[name])}. Use a list of whole numbers ≥ 1.` });
  if (!(p.validationFraction > 0 && p.validationFraction < 0.5))
    issues.push({ path: 'validationFraction', message: `invalid validationFraction: ${JSON.stringify(p.validationFraction)}. Use a number in (0, 0.5).` });
  if (issues.length) throw new ValidationError(issues);
  return p;
}

/** Copies a batch of rows (by index) from a row-major n × dim array. */
function gather(x: Float32Array, dim: number, rows: Int32Array, from: number, to: number, out: Float32Array): Float32Array {
  for (let r = from; r < to; r++) out.set(x.subarray(rows[r] * dim, rows[r] * dim + dim), (r - from) * dim);
  return out.subarray(0, (to - from) * dim);
}

/** Lets the event loop run (Ctrl-C handlers, abort signals) between epochs. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

class TvaeSynthesizer implements Synthesizer<TvaeParams> {
  readonly kind = KIND;
  constructor(readonly params: Readonly<TvaeParams>) {}

  async fit(data: Table, opts: FitOptions = {}): Promise<FittedSynthesizer<TvaeParams>> {
    const seed = opts.seed ?? 0;
    const p = this.params;
    if (data.numRows < 2) throw new SynthopsError('invalid_input', `invalid table: ${data.numRows} rows. TVAE needs at least 2 rows to fit.`);
    if (!data.schema.columns.some(isModelled))
      throw new SynthopsError('invalid_input', 'invalid table: every column is an id, free text or personal data, so there is nothing to learn.');
    const rng = createRng(seed, KIND);
    const tf = DataTransformer.fit(data, rng.split('transformer'));
    const x = tf.transform(data, rng.split('encode'));
    const dim = tf.dim;
    const net = new TvaeNet({ dataDim: dim, embeddingDim: p.embeddingDim, compressDims: p.compressDims, decompressDims: p.decompressDims }, tf.spans, rng.split('init'));
    const opt = new Adam(net.params, { lr: p.learningRate, weightDecay: p.l2scale });

    let train = rng.split('holdout').permutation(data.numRows);
    let valid: Int32Array | null = null;
    if (p.patience > 0) {
      const nv = Math.max(1, Math.round(train.length * p.validationFraction));
      valid = train.slice(train.length - nv);
      train = train.slice(0, train.length - nv);
    }
    const n = train.length;
    const bs = Math.min(p.batchSize, n);
    const buf = new Float32Array(bs * dim);
    let best = Infinity, bestWeights: PackedWeights | null = null, sinceBest = 0, epochsTrained = 0;
    for (let epoch = 0; epoch < p.epochs; epoch++) {
      throwIfAborted(opts.signal);
      const order = rng.split(`epoch:${epoch}`).shuffle(train.slice());
      let rec = 0, kl = 0, batches = 0;
      for (let b = 0; b < n; b += bs) {
        throwIfAborted(opts.signal);
        const m = Math.min(bs, n - b);
        if (m < 2) continue;
        const batch = gather(x, dim, order, b, b + m, buf);
        opt.zeroGrad();
        const l = net.trainStep(batch, m, rng.split(`step:${epoch}:${b}`), p.lossFactor);
        opt.step();
        net.clampSigma();
        rec += l.reconstruction;
        kl += l.kl;
        batches++;
      }
      epochsTrained = epoch + 1;
      const figures: Record<string, number> = { reconstruction: rec / batches, kl: kl / batches };
      let stop = false;
      if (valid) {
        let vl = 0, vr = 0;
        for (let b = 0; b < valid.length; b += bs) {
          const m = Math.min(bs, valid.length - b);
          const l = net.trainStep(gather(x, dim, valid, b, b + m, buf), m, rng.split(`valid:${b}`), p.lossFactor, false);
          vl += (l.reconstruction + l.kl) * m;
          vr += m;
        }
        figures.validation = vl / vr;
        if (figures.validation < best - 1e-4) {
          best = figures.validation;
          bestWeights = packWeights(net.params);
          sinceBest = 0;
        } else if (++sinceBest >= p.patience) stop = true;
      }
      opts.onProgress?.({ stage: 'epoch', done: epoch + 1, total: p.epochs, message: `epoch ${epoch + 1}/${p.epochs}`, figures });
      if (stop) break;
      await yieldToEventLoop();
    }
    if (bestWeights) unpackWeights(bestWeights, net.params);
    return new FittedTvae(p, data.schema, tf, net, { rows: data.numRows, columns: data.numColumns, seed }, epochsTrained);
  }
}

class FittedTvae implements FittedSynthesizer<TvaeParams> {
  readonly kind = KIND;
  constructor(
    readonly params: Readonly<TvaeParams>,
    readonly schema: Schema,
    private readonly tf: DataTransformer,
    private readonly net: TvaeNet,
    private readonly training: SynthesizerPayload['training'],
    private readonly epochsTrained: number,
  ) {}

  private draw(n: number, rng: Rng): Table {
    return this.tf.inverse(this.net.sample(n, rng.split('net')), n, this.schema, rng.split('decode'));
  }

  sample(n: number, opts: SampleOptions): Table {
    if (!Number.isFinite(opts?.seed)) throw new SynthopsError('invalid_argument', `invalid seed: ${opts?.seed}. Pass a finite number.`);
    const rng = createRng(opts.seed, KIND, 'sample', opts.shard ?? 0);
    return sampleConditioned(this.schema, n, opts.conditions ?? [], rng, (k, r) => this.draw(k, r), opts.signal);
  }

  save(): Artifact<SynthesizerPayload> {
    const state: TvaeState = { transformer: this.tf.state(), weights: packWeights(this.net.params), epochsTrained: this.epochsTrained };
    return makeArtifact(`synthesizer/${KIND}`, KIND_VERSION, {
      kind: KIND,
      params: this.params as unknown as JsonValue,
      schema: this.schema,
      state: state as unknown as JsonValue,
      training: this.training,
    });
  }
}

/**
 * TVAE: a variational autoencoder over mode-normalised rows, trained on CPU with the SIMD GEMM engine.
 * Deterministic for a seed (same seed → same weights → same sample). Saved weights are packed f32 inside the
 * JSON artifact. Conditions: `equals` / `range` by rejection sampling, `shares` by one pass per category.
 *
 * @example
 * const fitted = await tvae.create({ epochs: 100 }).fit(adult, { seed: 1, onProgress });
 * const synthetic = fitted.sample(1000, { seed: 2 });
 */
export const tvae: SynthesizerKind<TvaeParams> = {
  kind: KIND,
  kindVersion: KIND_VERSION,
  readableVersions: [1],
  description: 'TVAE: variational autoencoder with mode-specific normalisation (neural, CPU, WebAssembly SIMD).',
  create(params: Partial<TvaeParams> = {}): Synthesizer<TvaeParams> {
    return new TvaeSynthesizer(validate(params));
  },
  load(artifact: Artifact<SynthesizerPayload>): FittedSynthesizer<TvaeParams> {
    const a = readArtifact<SynthesizerPayload>(artifact, `synthesizer/${KIND}`, [1]);
    const p = validate(a.payload.params as unknown as Partial<TvaeParams>);
    const state = a.payload.state as unknown as TvaeState;
    if (!state || !state.transformer || !Array.isArray(state.transformer.encodings))
      throw new SynthopsError('incompatible_artifact', 'invalid artifact: the TVAE state has no transformer.');
    const tf = new DataTransformer(state.transformer);
    const net = new TvaeNet({ dataDim: tf.dim, embeddingDim: p.embeddingDim, compressDims: p.compressDims, decompressDims: p.decompressDims }, tf.spans, createRng(0));
    unpackWeights(state.weights, net.params);
    return new FittedTvae(p, a.payload.schema, tf, net, a.payload.training, state.epochsTrained ?? p.epochs);
  },
};
