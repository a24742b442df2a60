/**
 * Seeded random numbers: xoshiro128** (32-bit integer arithmetic only, so every platform gives
 * the same bits) with splittable streams. `split(id)` derives an independent child stream from the
 * parent's *seed key* and `id`, never from its current state, so child streams are reproducible
 * per (seed, shard) no matter how many numbers the parent has drawn or in which order shards run.
 *
 * @example
 * const rng = createRng(42);
 * const shard3 = rng.split(3);       // same stream on any machine for (42, 3)
 * const x = rng.normal();            // standard normal
 */
export interface Rng {
  /** The seed key this stream was built from (for provenance). */
  readonly key: readonly number[];
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform double in [0, 1) with 53 bits of randomness. */
  next(): number;
  /** Uniform integer in [0, n). `n` must be ≥ 1 and ≤ 2^32. */
  int(n: number): number;
  /** Uniform double in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Standard normal N(0, 1) (Marsaglia polar method). */
  normal(): number;
  /** Gamma(shape, 1) (Marsaglia–Tsang). */
  gamma(shape: number): number;
  /** Index drawn with probability proportional to `weights` (linear scan; use `AliasTable` for many draws). */
  weighted(weights: ArrayLike<number>): number;
  /** In-place Fisher–Yates shuffle; returns the array. */
  shuffle<T extends { length: number; [i: number]: any }>(a: T): T;
  /** A permutation of 0..n-1. */
  permutation(n: number): Int32Array;
  /** An independent child stream, a pure function of (this.key, id). */
  split(id: number | string): Rng;
  /** Fill `out` with uniforms in [0,1). */
  fillUniform(out: Float64Array | Float32Array): void;
  /** Fill `out` with standard normals. */
  fillNormal(out: Float64Array | Float32Array): void;
}

/** Creates a seeded stream. `seed` may be any finite number or a string; extra `path` entries select a sub-stream. */
export function createRng(seed: number | string = 0, ...path: (number | string)[]): Rng {
  const key = [keyPart(seed), ...path.map(keyPart)];
  return new Xoshiro128(key);
}

function keyPart(v: number | string): number {
  if (typeof v === 'string') return hashString(v);
  if (!Number.isFinite(v)) throw new RangeError(`invalid seed: ${v}. Use a finite number.`);
  // Fold the full double into 32 bits so 1 and 1.5 differ, and large seeds keep their high bits.
  const lo = v >>> 0;
  const hi = Math.floor(v / 4294967296) >>> 0;
  const frac = Math.floor((v - Math.floor(v)) * 4294967296) >>> 0;
  return mix32(mix32(lo ^ 0x9e3779b9) ^ mix32(hi + 0x7f4a7c15) ^ mix32(frac + 0x2545f491));
}

/** 32-bit FNV-1a followed by a finaliser; deterministic across platforms. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h >>> 0);
}

/** murmur3 fmix32. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

class Xoshiro128 implements Rng {
  readonly key: readonly number[];
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = NaN;
  /** Last `int` bound and its rejection limit (recomputed when the bound changes). */
  private intN = 0;
  private intLimit = 0;

  constructor(key: number[]) {
    this.key = key;
    // splitmix32 over the key to fill the state.
    let h = 0x6a09e667;
    for (const k of key) h = mix32(h ^ k) + 0x9e3779b9;
    const sm = () => {
      h = (h + 0x9e3779b9) | 0;
      return mix32(h);
    };
    this.s0 = sm();
    this.s1 = sm();
    this.s2 = sm();
    this.s3 = sm();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  nextUint32(): number {
    const s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    let n2 = s2 ^ s0;
    let n3 = s3 ^ s1;
    const n1 = s1 ^ n2;
    const n0 = s0 ^ n3;
    n2 ^= t;
    n3 = rotl(n3, 11);
    this.s0 = n0 | 0;
    this.s1 = n1 | 0;
    this.s2 = n2 | 0;
    this.s3 = n3 | 0;
    return r >>> 0;
  }

  next(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }

  int(n: number): number {
    if (n <= 1) return 0;
    if (n <= 4294967296) {
      // Lemire-style rejection for an unbiased draw. The remainders are computed as x − ⌊x / n⌋·n, which equals x % n
      // for integers below 2^32 (the quotient's rounding error is below its distance to the next integer) but avoids
      // V8's slow floating-point modulo (x is an unsigned 32-bit value, so % is not an integer op): ~10× faster.
      let limit = this.intLimit;
      if (n !== this.intN) {
        limit = this.intLimit = 4294967296 - (4294967296 - Math.floor(4294967296 / n) * n);
        this.intN = n;
      }
      let x = this.nextUint32();
      while (x >= limit) x = this.nextUint32();
      return x - Math.floor(x / n) * n;
    }
    return Math.floor(this.next() * n);
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  normal(): number {
    if (this.spare === this.spare) {
      const s = this.spare;
      this.spare = NaN;
      return s;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    return u * m;
  }

  gamma(shape: number): number {
    if (!(shape > 0)) throw new RangeError(`invalid gamma shape: ${shape}. Use a number > 0.`);
    if (shape < 1) {
      const u = this.next();
      return this.gamma(1 + shape) * Math.pow(u === 0 ? Number.MIN_VALUE : u, 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number, v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  weighted(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i] > 0 ? weights[i] : 0;
    if (!(total > 0)) return this.int(weights.length);
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] > 0 ? weights[i] : 0;
      if (r < w) return i;
      r -= w;
    }
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
    return weights.length - 1;
  }

  shuffle<T extends { length: number; [i: number]: any }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  split(id: number | string): Rng {
    return new Xoshiro128([...this.key, keyPart(id)]);
  }

  fillUniform(out: Float64Array | Float32Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.next();
  }

  fillNormal(out: Float64Array | Float32Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Walker/Vose alias table: O(n) build, O(1) draws from a discrete distribution.
 * @example
 * const t = new AliasTable([0.7, 0.2, 0.1]); const i = t.sample(rng);
 */
export class AliasTable {
  readonly size: number;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new RangeError('invalid weights: empty. An alias table needs at least one weight.');
    this.size = n;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`invalid weight at ${i}: ${w}. Weights must be finite and ≥ 0.`);
      total += w;
    }
    const scaled = new Float64Array(n);
    for (let i = 0; i < n; i++) scaled[i] = total > 0 ? (weights[i] * n) / total : 1;
    const small = new Int32Array(n);
    const large = new Int32Array(n);
    let ns = 0, nl = 0;
    for (let i = n - 1; i >= 0; i--) {
      if (scaled[i] < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns];
      const l = large[--nl];
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      if (scaled[l] < 1) small[ns++] = l;
      else large[nl++] = l;
    }
    while (nl > 0) {
      const l = large[--nl];
      this.prob[l] = 1;
      this.alias[l] = l;
    }
    while (ns > 0) {
      const s = small[--ns];
      this.prob[s] = 1;
      this.alias[s] = s;
    }
  }

  sample(rng: Rng): number {
    const u = rng.next() * this.size;
    const i = Math.floor(u);
    return u - i < this.prob[i] ? i : this.alias[i];
  }
}
