import type { Rng } from '../random.js';
import { reluBackward, reluForward } from './activations.js';
import { BatchNorm } from './batchNorm.js';
import type { Span } from './dataTransformer.js';
import { Gemm } from './gemm.js';
import { Linear, type OneHotTail } from './linear.js';
import type { Param } from './param.js';

/**
 * CTGAN's generator (Xu et al. 2019): residual blocks `[ReLU(BN(Linear(x))), x]` over the noise and the
 * conditional vector, then a linear layer to the encoded row. `activate` applies tanh to scalar slots and a
 * Gumbel-softmax (temperature τ) to every one-hot block; `backward` takes the gradient with respect to the
 * activated row (plus the raw-logit gradient of the conditional loss) back to the weights.
 * @example const g = new Generator(128 + condDim, [256, 256], dataDim, rng); const raw = g.forward(input, 500);
 */
export class Generator {
  readonly fcs: Linear[] = [];
  readonly bns: BatchNorm[] = [];
  readonly out: Linear;
  private acts: Float32Array[] = [];
  private widths: number[] = [];
  /** Scratch buffers reused across batches (no per-batch allocation in training). */
  private nexts: Float32Array[] = [];
  private dAs: Float32Array[] = [];
  private dXs: Float32Array[] = [];

  constructor(readonly inDim: number, dims: number[], readonly outDim: number, rng: Rng, mm: Gemm = new Gemm()) {
    let d = inDim;
    dims.forEach((h, i) => {
      this.fcs.push(new Linear(d, h, rng.split(`g${i}`), `g${i}`, mm));
      this.bns.push(new BatchNorm(h, `g${i}.bn`));
      d += h;
    });
    this.out = new Linear(d, outDim, rng.split('gout'), 'gout', mm);
  }

  get params(): Param[] {
    return [...this.fcs.flatMap((l, i) => [...l.params, ...this.bns[i].params]), ...this.out.params];
  }

  /**
   * Raw outputs (n × outDim) for inputs (n × inDim: noise then conditional vector). The returned buffer, and the
   * activations kept for `backward`, are reused by the next call. `cond`, when given, says where each row's
   * conditional vector (the last `cond.width` input columns, one-hot) has its 1: every layer then adds that weight
   * row instead of multiplying the block (same bits, fewer multiply-adds).
   */
  forward(input: Float32Array, n: number, cond?: OneHotTail): Float32Array {
    let x = input, d = this.inDim;
    for (let i = 0; i < this.fcs.length; i++) {
      const h = this.fcs[i].outDim;
      const a = reluForward(this.bns[i].forward(this.fcs[i].forward(x, n, cond), n), n * h);
      const len = n * (h + d);
      if (!this.nexts[i] || this.nexts[i].length < len) this.nexts[i] = new Float32Array(len);
      const next = this.nexts[i].subarray(0, len);
      for (let r = 0; r < n; r++) {
        const o = r * (h + d);
        for (let k = 0; k < h; k++) next[o + k] = a[r * h + k];
        for (let k = 0; k < d; k++) next[o + h + k] = x[r * d + k];
      }
      this.acts[i] = a; // the batch norm's output buffer, untouched until the next forward
      this.widths[i] = d;
      x = next;
      d += h;
    }
    return this.out.forward(x, n, cond);
  }

  /**
   * Accumulates weight gradients from dRaw (n × outDim, gradient w.r.t. the raw outputs). Layer i's input is
   * [a_{i-1}, …, a_0, network input]; only the hidden columns need a gradient, so the columns of the network input
   * (noise and conditional vector) are never computed.
   */
  backward(dRaw: Float32Array, n: number): void {
    const inDim = this.inDim;
    let g = this.out.backward(dRaw, n, true, this.out.inDim - inDim)!;
    for (let i = this.fcs.length - 1; i >= 0; i--) {
      const h = this.fcs[i].outDim, d = this.widths[i] - inDim; // d: hidden columns of this layer's input
      if (!this.dAs[i] || this.dAs[i].length < n * h) this.dAs[i] = new Float32Array(n * h);
      if (!this.dXs[i] || this.dXs[i].length < n * d) this.dXs[i] = new Float32Array(n * d);
      const dA = this.dAs[i].subarray(0, n * h), dX = this.dXs[i].subarray(0, n * d);
      for (let r = 0; r < n; r++) {
        const o = r * (h + d);
        for (let k = 0; k < h; k++) dA[r * h + k] = g[o + k];
        for (let k = 0; k < d; k++) dX[r * d + k] = g[o + h + k];
      }
      reluBackward(dA, this.acts[i], n * h);
      const dIn = this.fcs[i].backward(this.bns[i].backward(dA, n), n, i > 0, d);
      if (dIn) for (let k = 0; k < n * d; k++) dX[k] += dIn[k];
      g = dX;
    }
  }
}

/**
 * Applies CTGAN's output activations to raw generator rows in place of a copy: tanh on scalar slots, Gumbel-softmax
 * with temperature `tau` on one-hot blocks (noise from `rng`). Returns the activated rows (in `out` when given,
 * which must hold n × dim values).
 */
export function activate(raw: Float32Array, n: number, dim: number, spans: readonly Span[], tau: number, rng: Rng, out?: Float32Array): Float32Array {
  const y = out ? out.subarray(0, n * dim) : new Float32Array(n * dim);
  const invTau = 1 / tau;
  for (let r = 0; r < n; r++) {
    const o = r * dim;
    for (let si = 0; si < spans.length; si++) {
      const s = spans[si];
      const a = o + s.start;
      if (s.activation === 'tanh') {
        y[a] = Math.tanh(raw[a]);
        continue;
      }
      let max = -Infinity;
      for (let k = 0; k < s.size; k++) {
        // Gumbel noise −log(−log u) with u = (x + ½)/2³² strictly inside (0, 1): one 32-bit draw per slot.
        const u = (rng.nextUint32() + 0.5) * 2.3283064365386963e-10;
        const v = (raw[a + k] - Math.log(-Math.log(u))) * invTau;
        y[a + k] = v;
        if (v > max) max = v;
      }
      let sum = 0;
      for (let k = 0; k < s.size; k++) sum += (y[a + k] = Math.exp(y[a + k] - max));
      for (let k = 0; k < s.size; k++) y[a + k] /= sum;
    }
  }
  return y;
}

/** Gradient through `activate`: dRaw from dY, given the activated rows y. */
export function activateBackward(dY: Float32Array, y: Float32Array, n: number, dim: number, spans: readonly Span[], tau: number, dRaw: Float32Array): void {
  for (let r = 0; r < n; r++) {
    const o = r * dim;
    for (const s of spans) {
      const a = o + s.start;
      if (s.activation === 'tanh') {
        dRaw[a] += dY[a] * (1 - y[a] * y[a]);
        continue;
      }
      let dot = 0;
      for (let k = 0; k < s.size; k++) dot += y[a + k] * dY[a + k];
      for (let k = 0; k < s.size; k++) dRaw[a + k] += (y[a + k] * (dY[a + k] - dot)) / tau;
    }
  }
}

function copyInto(out: Float32Array, a: Float32Array): Float32Array {
  out.set(a);
  return out;
}

/**
 * CTGAN's critic with PacGAN: `pac` rows are concatenated into one input; two Linear → LeakyReLU(0.2) → Dropout(0.5)
 * layers and a linear score. Besides forward/backward it computes the WGAN-GP gradient penalty and its exact
 * gradient with respect to the weights (double backpropagation written out for this piecewise-linear network).
 * @example const d = new Critic(pac * (dataDim + condDim), [256, 256], rng);
 */
export class Critic {
  readonly layers: Linear[];
  private factors: Float32Array[] = [];
  private readonly slope = 0.2;

  constructor(readonly inDim: number, dims: number[], rng: Rng, readonly dropout = 0.5, private readonly mm: Gemm = new Gemm()) {
    let d = inDim;
    this.layers = dims.map((h, i) => {
      const l = new Linear(d, h, rng.split(`d${i}`), `d${i}`, mm);
      d = h;
      return l;
    });
    this.layers.push(new Linear(d, 1, rng.split('dout'), 'dout', mm));
  }

  get params(): Param[] {
    return this.layers.flatMap((l) => l.params);
  }

  /**
   * Scores (m values) for m packed rows; dropout masks drawn from `rng`. The returned buffer is reused by the next
   * call (copy the scores you keep).
   */
  forward(x: Float32Array, m: number, rng: Rng, keepFirst = false): Float32Array {
    const pre = this.layers[0].forward(x, m);
    if (keepFirst) this.firstPre = copyInto(this.buf('firstPre', pre.length), pre);
    return this.forwardFrom(pre, m, rng);
  }

  /**
   * The first layer's pre-activations (x·W₁ + b₁, m × H₁) of the last `forward` called with `keepFirst`, kept
   * for `gradientPenaltyFromFirst` (valid until the next such call).
   */
  firstPre: Float32Array = new Float32Array(0);

  /** The rest of the forward pass from the first layer's pre-activations `pre` (overwritten by the activations). */
  private forwardFrom(pre: Float32Array, m: number, rng: Rng): Float32Array {
    const keep = 1 - this.dropout, scale = 1 / keep, slope = this.slope;
    // One 32-bit draw per unit: kept when below keep · 2³² (exact for keep = 0.5).
    const threshold = keep * 4294967296;
    let h = pre;
    for (let i = 0; i < this.layers.length - 1; i++) {
      const p = i === 0 ? pre : this.layers[i].forward(h, m);
      const len = m * this.layers[i].outDim;
      if (!this.factors[i] || this.factors[i].length < len) this.factors[i] = new Float32Array(len);
      const f = this.factors[i];
      for (let k = 0; k < len; k++) {
        const drop = rng.nextUint32() < threshold ? scale : 0;
        const fk = (f[k] = p[k] > 0 ? drop : drop * slope);
        p[k] *= fk;
      }
      h = p;
    }
    return this.layers[this.layers.length - 1].forward(h, m);
  }

  /**
   * From dScores (m) back through the last forward: accumulates weight gradients (unless `weights` is false, as
   * in the generator's step, where only dx is needed) and returns dx (m × inDim) (null when `input` is false, as
   * in the critic's own step, which skips the widest product).
   */
  backward(dScore: Float32Array, m: number, opts: { weights?: boolean; input?: boolean } = {}): Float32Array | null {
    const weights = opts.weights ?? true, input = opts.input ?? true;
    const back = (l: Linear, g: Float32Array, needDx: boolean) => (weights ? l.backward(g, m, needDx) : needDx ? l.backwardInput(g, m) : null);
    const last = this.layers.length - 1;
    let g = back(this.layers[last], dScore, true)!;
    for (let i = last - 1; i >= 0; i--) {
      const f = this.factors[i], len = m * this.layers[i].outDim;
      for (let k = 0; k < len; k++) g[k] *= f[k];
      const needDx = i > 0 || input;
      const next = back(this.layers[i], g, needDx);
      if (!needDx) return null;
      g = next!;
    }
    return g;
  }

  private scratch = new Map<string, Float32Array>();
  /** A reusable scratch buffer of at least `len` floats (contents undefined). */
  private buf(name: string, len: number): Float32Array {
    let b = this.scratch.get(name);
    if (!b || b.length < len) this.scratch.set(name, (b = new Float32Array(len)));
    return b.subarray(0, len);
  }

  /**
   * Gradient penalty λ · mean_r (‖∇ₓ D(x_r)‖ − 1)² at the m packed rows x, and its gradient with respect to the
   * critic's weights accumulated into them. Since LeakyReLU and dropout act as fixed per-unit factors fᵢ around x,
   * ∇ₓD = W₁ (f₁ ⊙ (W₂ (f₂ ⊙ w₃))) is multilinear in the weights, and its gradient follows by the chain rule
   * (biases do not enter it). Returns the penalty.
   */
  gradientPenalty(x: Float32Array, m: number, lambda: number, rng: Rng): number {
    if (this.layers.length !== 3) throw new Error('gradientPenalty supports two hidden layers');
    this.forward(x, m, rng);
    return this.penaltyAtFactors(m, lambda);
  }

  /**
   * The gradient penalty (as `gradientPenalty`) at the interpolates x_q = a_q·real_q + (1 − a_q)·fake_q, given only
   * their first-layer pre-activations `pre` (m × H₁). The first layer is affine, so these are
   * a_q·pre(real_q) + (1 − a_q)·pre(fake_q) — computed from `firstPre` of the pass that scored the real and the
   * generated packs, without multiplying the interpolates by W₁ again. `pre` is overwritten.
   */
  gradientPenaltyFromFirst(pre: Float32Array, m: number, lambda: number, rng: Rng): number {
    if (this.layers.length !== 3) throw new Error('gradientPenalty supports two hidden layers');
    this.forwardFrom(pre, m, rng);
    return this.penaltyAtFactors(m, lambda);
  }

  /** The penalty and its weight gradient from the factors of the last forward pass (m rows). */
  private penaltyAtFactors(m: number, lambda: number): number {
    const [l1, l2, l3] = this.layers;
    const H1 = l1.outDim, H2 = l2.outDim, Din = this.inDim;
    const [f1, f2] = this.factors;
    const w3 = l3.w.data;
    const e2 = this.buf('e2', m * H2);
    for (let r = 0; r < m; r++) for (let j = 0; j < H2; j++) e2[r * H2 + j] = f2[r * H2 + j] * w3[j];
    const d1 = this.buf('d1', m * H1);
    this.mm.nt(m, H2, H1, e2, l2.w.data, d1, false);
    const e1 = this.buf('e1', m * H1);
    for (let k = 0; k < m * H1; k++) e1[k] = f1[k] * d1[k];
    const g = this.buf('g', m * Din);
    this.mm.nt(m, H1, Din, e1, l1.w.data, g, false);
    let gp = 0;
    const u = g; // reuse: u_r = λ·2(‖g_r‖ − 1)/m · g_r/‖g_r‖
    for (let r = 0; r < m; r++) {
      let s = 0;
      for (let k = 0; k < Din; k++) s += g[r * Din + k] * g[r * Din + k];
      const norm = Math.sqrt(s);
      gp += (norm - 1) ** 2;
      const c = norm > 0 ? (lambda * 2 * (norm - 1)) / (m * norm) : 0;
      for (let k = 0; k < Din; k++) u[r * Din + k] *= c;
    }
    // W1 grad += uᵀ·e1; de1 = u·W1; dd1 = de1 ⊙ f1; W2 grad += dd1ᵀ·e2; de2 = dd1·W2; w3 grad += Σ_r de2 ⊙ f2.
    this.mm.tn(Din, m, H1, u, e1, l1.w.grad, true);
    const dd1 = this.buf('dd1', m * H1);
    this.mm.nn(m, Din, H1, u, l1.w.data, dd1, false);
    for (let k = 0; k < m * H1; k++) dd1[k] *= f1[k];
    this.mm.tn(H1, m, H2, dd1, e2, l2.w.grad, true);
    const de2 = this.buf('de2', m * H2);
    this.mm.nn(m, H1, H2, dd1, l2.w.data, de2, false);
    for (let r = 0; r < m; r++) for (let j = 0; j < H2; j++) l3.w.grad[j] += de2[r * H2 + j] * f2[r * H2 + j];
    return (lambda * gp) / m;
  }
}
