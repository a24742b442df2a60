import type { Rng } from '../random.js';
import { reluBackward, reluForward } from './activations.js';
import type { Span } from './dataTransformer.js';
import { Gemm } from './gemm.js';
import { Linear } from './linear.js';
import { param, type Param } from './param.js';

/** Layer sizes of a TVAE network. */
export interface TvaeShape {
  /** Width of an encoded row (the data transformer's `dim`). */
  dataDim: number;
  /** Latent size. */
  embeddingDim: number;
  /** Hidden widths of the encoder, e.g. [128, 128]. */
  compressDims: number[];
  /** Hidden widths of the decoder, e.g. [128, 128]. */
  decompressDims: number[];
}

/** Losses of one batch: reconstruction (per row, times the loss factor) and KL divergence (per row). */
export interface TvaeLosses {
  reconstruction: number;
  kl: number;
}

/**
 * The TVAE network (Xu et al. 2019): an MLP encoder to a diagonal Gaussian posterior, a reparameterised latent
 * draw, and an MLP decoder whose outputs are read per span: tanh scalars with a learned per-output scale σ
 * (Gaussian likelihood), softmax blocks with cross-entropy. Loss = factor · reconstruction + KL, averaged over
 * the batch. Backward passes are written by hand. Deterministic for the `rng` passed to each call.
 *
 * @example
 * const net = new TvaeNet(shape, spans, createRng(0));
 * const losses = net.trainStep(batch, 500, createRng(0, 'step', 1), 2); // then an optimiser step on net.params
 */
export class TvaeNet {
  readonly encoder: Linear[];
  readonly mu: Linear;
  readonly logvar: Linear;
  readonly decoder: Linear[];
  /** Learned output scale per encoded column, kept in [0.01, 1]. */
  readonly sigma: Param;
  private hidden: Float32Array[] = [];
  private decHidden: Float32Array[] = [];
  private eps = new Float32Array(0);
  private std = new Float32Array(0);
  private z = new Float32Array(0);
  private dOut = new Float32Array(0);
  private dH = new Float32Array(0);

  constructor(readonly shape: TvaeShape, readonly spans: readonly Span[], rng: Rng, mm: Gemm = new Gemm()) {
    const { dataDim, embeddingDim, compressDims, decompressDims } = shape;
    let d = dataDim;
    this.encoder = compressDims.map((h, i) => {
      const l = new Linear(d, h, rng.split(`enc${i}`), `enc${i}`, mm);
      d = h;
      return l;
    });
    this.mu = new Linear(d, embeddingDim, rng.split('mu'), 'mu', mm);
    this.logvar = new Linear(d, embeddingDim, rng.split('logvar'), 'logvar', mm);
    d = embeddingDim;
    this.decoder = decompressDims.map((h, i) => {
      const l = new Linear(d, h, rng.split(`dec${i}`), `dec${i}`, mm);
      d = h;
      return l;
    });
    this.decoder.push(new Linear(d, dataDim, rng.split('out'), 'out', mm));
    this.sigma = param('sigma', dataDim);
    this.sigma.data.fill(0.1);
  }

  /** Every trainable parameter, in a fixed order (the order weights are saved in). */
  get params(): Param[] {
    return [...this.encoder.flatMap((l) => l.params), ...this.mu.params, ...this.logvar.params, ...this.decoder.flatMap((l) => l.params), this.sigma];
  }

  /** Decoder outputs (n × dataDim, raw: before tanh / softmax) for latent rows z (n × embeddingDim). */
  decode(z: Float32Array, n: number): Float32Array {
    let h = z;
    this.decHidden = [];
    for (let i = 0; i < this.decoder.length; i++) {
      h = this.decoder[i].forward(h, n);
      if (i < this.decoder.length - 1) {
        reluForward(h, n * this.decoder[i].outDim);
        this.decHidden.push(h);
      }
    }
    return h;
  }

  /**
   * Forward and backward on one batch `x` (n × dataDim); gradients are accumulated into `params`
   * (zero them first). With `backward: false` only the losses are computed (validation).
   */
  trainStep(x: Float32Array, n: number, rng: Rng, lossFactor: number, backward = true): TvaeLosses {
    const E = this.shape.embeddingDim, D = this.shape.dataDim;
    let h = x;
    this.hidden = [];
    for (const l of this.encoder) {
      h = reluForward(l.forward(h, n), n * l.outDim);
      this.hidden.push(h);
    }
    const mu = this.mu.forward(h, n), lv = this.logvar.forward(h, n);
    const len = n * E;
    if (this.z.length < len) {
      this.eps = new Float32Array(len);
      this.std = new Float32Array(len);
      this.z = new Float32Array(len);
    }
    const eps = this.eps, std = this.std, z = this.z;
    let kl = 0;
    for (let i = 0; i < len; i++) {
      eps[i] = rng.normal();
      std[i] = Math.exp(0.5 * lv[i]);
      z[i] = mu[i] + eps[i] * std[i];
      kl += -0.5 * (1 + lv[i] - mu[i] * mu[i] - std[i] * std[i]);
    }
    const out = this.decode(z, n);
    if (this.dOut.length < n * D) this.dOut = new Float32Array(n * D);
    const dOut = this.dOut;
    const sig = this.sigma.data, dSig = this.sigma.grad;
    const scale = lossFactor / n;
    let rec = 0;
    for (const s of this.spans) {
      if (s.activation === 'tanh') {
        const c = s.start, sg = sig[c], inv = 1 / (sg * sg);
        let gs = 0;
        for (let r = 0; r < n; r++) {
          const o = r * D + c;
          const t = Math.tanh(out[o]);
          const diff = x[o] - t;
          rec += 0.5 * diff * diff * inv + Math.log(sg);
          dOut[o] = -diff * (1 - t * t) * inv * scale;
          gs += -diff * diff * inv / sg + 1 / sg;
        }
        if (backward) dSig[c] += gs * scale;
      } else {
        for (let r = 0; r < n; r++) {
          const o = r * D + s.start;
          let max = -Infinity, target = 0;
          for (let k = 0; k < s.size; k++) {
            if (out[o + k] > max) max = out[o + k];
            if (x[o + k] > x[o + target]) target = k;
          }
          let sum = 0;
          for (let k = 0; k < s.size; k++) sum += (dOut[o + k] = Math.exp(out[o + k] - max));
          rec += Math.log(sum) + max - out[o + target];
          for (let k = 0; k < s.size; k++) dOut[o + k] = (dOut[o + k] / sum - (k === target ? 1 : 0)) * scale;
        }
      }
    }
    const losses = { reconstruction: (rec * lossFactor) / n, kl: kl / n };
    if (!backward) return losses;

    let g: Float32Array = dOut.subarray(0, n * D);
    for (let i = this.decoder.length - 1; i >= 0; i--) {
      g = this.decoder[i].backward(g, n)!;
      if (i > 0) reluBackward(g, this.decHidden[i - 1], n * this.decoder[i - 1].outDim);
    }
    // g = dLoss/dz (reconstruction part); add KL and go through the reparameterisation.
    const dMu = new Float32Array(len), dLv = new Float32Array(len);
    for (let i = 0; i < len; i++) {
      dMu[i] = g[i] + mu[i] / n;
      dLv[i] = g[i] * eps[i] * 0.5 * std[i] + (0.5 * (std[i] * std[i] - 1)) / n;
    }
    const H = this.mu.inDim;
    if (this.dH.length < n * H) this.dH = new Float32Array(n * H);
    const dH = this.dH.subarray(0, n * H);
    dH.set(this.mu.backward(dMu, n)!);
    const d2 = this.logvar.backward(dLv, n)!;
    for (let i = 0; i < n * H; i++) dH[i] += d2[i];
    g = dH;
    for (let i = this.encoder.length - 1; i >= 0; i--) {
      reluBackward(g, this.hidden[i], n * this.encoder[i].outDim);
      const next = this.encoder[i].backward(g, n, i > 0);
      if (next) g = next;
    }
    return losses;
  }

  /** Keeps σ in [0.01, 1] (call after each optimiser step). */
  clampSigma(): void {
    const s = this.sigma.data;
    for (let i = 0; i < s.length; i++) s[i] = Math.min(1, Math.max(0.01, s[i]));
  }

  /**
   * Draws n encoded rows: z ~ N(0, I), decode; a tanh slot becomes tanh(o) + σ·N(0, 1), a softmax block a one-hot
   * drawn from its probabilities. Returns n × dataDim, ready for `DataTransformer.inverse`.
   */
  sample(n: number, rng: Rng): Float32Array {
    const E = this.shape.embeddingDim, D = this.shape.dataDim;
    const z = new Float32Array(n * E);
    for (let i = 0; i < z.length; i++) z[i] = rng.normal();
    const out = this.decode(z, n);
    const res = new Float32Array(n * D);
    const sig = this.sigma.data;
    for (let r = 0; r < n; r++) {
      const o = r * D;
      for (const s of this.spans) {
        const a = o + s.start;
        if (s.activation === 'tanh') res[a] = Math.tanh(out[a]) + sig[s.start] * rng.normal();
        else {
          let max = -Infinity;
          for (let k = 0; k < s.size; k++) if (out[a + k] > max) max = out[a + k];
          let sum = 0;
          for (let k = 0; k < s.size; k++) sum += Math.exp(out[a + k] - max);
          let u = rng.next() * sum, pick = s.size - 1;
          for (let k = 0; k < s.size; k++) {
            u -= Math.exp(out[a + k] - max);
            if (u < 0) { pick = k; break; }
          }
          res[a + pick] = 1;
        }
      }
    }
    return res;
  }
}
