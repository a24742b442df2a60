/**
 * A deterministic, exactly mergeable quantile sketch over doubles: values are counted in fixed buckets
 * whose edges come from the IEEE-754 bit pattern (sign, exponent and the top `MANTISSA_BITS` bits of the
 * mantissa), so a bucket depends only on the value — never on the data seen so far. Consequences:
 * - merging two sketches adds counts bucket by bucket, so sketch(A ∪ B) = merge(sketch(A), sketch(B)) exactly,
 *   whatever the order or the sharding;
 * - every bucket spans a relative width of 2⁻⁷ (≤ 0.79 %), so a quantile read from the sketch is within
 *   `RELATIVE_ERROR` (0.39 %) of a value lying in the same bucket as the true quantile; zero has its own bucket;
 * - CDFs are exact at bucket edges; between edges the CDF of the data can differ from the sketch's by at most
 *   the mass of one bucket (`maxBucketMass`), which drift tests use as their error bound.
 * Exact min and max are kept as well. Memory is one (key, count) pair per occupied bucket: at most 256 per
 * power of two spanned by the data.
 */

/** Mantissa bits kept per bucket key. */
export const MANTISSA_BITS = 7;
/** Largest relative distance between a value and its bucket's midpoint. */
export const RELATIVE_ERROR = 2 ** -(MANTISSA_BITS + 1);
const SHIFT = 20 - MANTISSA_BITS;
/** Keys lie in [-KEY_LIMIT, KEY_LIMIT]. */
const KEY_LIMIT = (2047 << MANTISSA_BITS) + (1 << MANTISSA_BITS);

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * The bucket key of a finite double: 0 for zero, positive and increasing for positive values, the mirror
 * image for negative ones. Monotone: x ≤ y implies key(x) ≤ key(y).
 * @example bucketKey(1) < bucketKey(1.01) // true (different buckets)
 */
export function bucketKey(x: number): number {
  if (x === 0) return 0;
  f64[0] = x < 0 ? -x : x;
  const k = (u32[HI] >>> SHIFT) + 1;
  return x < 0 ? -k : k;
}

/** Lower edge of the magnitude of bucket |key| (key ≥ 1). */
function magnitudeLow(k: number): number {
  u32[HI] = (k - 1) << SHIFT;
  u32[1 - HI] = 0;
  return f64[0];
}

/**
 * The [low, high) range of a bucket (for negative keys, (low, high]). Key 0 is [0, 0].
 * @example bucketRange(bucketKey(3)) // [3, 3.015625]
 */
export function bucketRange(key: number): [number, number] {
  if (key === 0) return [0, 0];
  const k = key < 0 ? -key : key;
  const lo = magnitudeLow(k);
  const hi = magnitudeLow(k + 1);
  return key > 0 ? [lo, hi] : [-hi, -lo];
}

/** Serialisable form of a sketch. */
export interface QuantileSketchJson {
  /** Occupied bucket keys, ascending. */
  keys: number[];
  /** Count per key. */
  counts: number[];
  min: number | null;
  max: number | null;
}

/**
 * An immutable quantile sketch. Build with `QuantileSketch.fromValues` (NaN ignored) or
 * `QuantileSketchBuilder`; combine with `merge`.
 * @example
 * const s = QuantileSketch.fromValues(Float64Array.of(1, 2, 3, 4)); s.quantile(0.5) // ≈ 2
 */
export class QuantileSketch {
  /** Occupied keys, strictly ascending. */
  readonly keys: Int32Array;
  /** Count per key (whole numbers). */
  readonly counts: Float64Array;
  /** Total count. */
  readonly n: number;
  /** Exact smallest value (NaN when empty). */
  readonly min: number;
  /** Exact largest value (NaN when empty). */
  readonly max: number;

  constructor(keys: Int32Array, counts: Float64Array, min: number, max: number) {
    this.keys = keys;
    this.counts = counts;
    let n = 0;
    for (let i = 0; i < counts.length; i++) n += counts[i];
    this.n = n;
    this.min = n ? min : NaN;
    this.max = n ? max : NaN;
  }

  static empty(): QuantileSketch {
    return new QuantileSketch(new Int32Array(0), new Float64Array(0), NaN, NaN);
  }

  /** Sketch of the finite values in `values` (NaN, ±Infinity skipped). O(n + b log b) for b occupied buckets. */
  static fromValues(values: ArrayLike<number>): QuantileSketch {
    const b = new QuantileSketchBuilder();
    b.addAll(values);
    return b.build();
  }

  /** Exact merge: counts added per bucket, extremes combined. Commutative and associative. */
  merge(other: QuantileSketch): QuantileSketch {
    return mergeSketches(this, other);
  }

  /**
   * A representative value per bucket: the bucket's midpoint, clamped to [min, max] (so a constant column
   * is represented by its exact value).
   */
  representatives(): Float64Array {
    const out = new Float64Array(this.keys.length);
    for (let i = 0; i < out.length; i++) {
      const [lo, hi] = bucketRange(this.keys[i]);
      const mid = this.keys[i] === 0 ? 0 : lo + (hi - lo) / 2;
      out[i] = Math.min(this.max, Math.max(this.min, mid));
    }
    return out;
  }

  /**
   * The q-quantile (0 ≤ q ≤ 1): the representative of the bucket holding the ⌈q·n⌉-th value; exact min / max
   * at q = 0 / 1. NaN when empty.
   */
  quantile(q: number): number {
    if (!this.n) return NaN;
    if (q <= 0) return this.min;
    if (q >= 1) return this.max;
    const rank = Math.max(1, Math.ceil(q * this.n));
    const reps = this.representatives();
    let c = 0;
    for (let i = 0; i < this.keys.length; i++) {
      c += this.counts[i];
      if (c >= rank) return reps[i];
    }
    return this.max;
  }

  /** Mean and standard deviation (population) computed from bucket representatives. */
  moments(): { mean: number; std: number } {
    if (!this.n) return { mean: NaN, std: NaN };
    const reps = this.representatives();
    let s = 0;
    for (let i = 0; i < reps.length; i++) s += reps[i] * this.counts[i];
    const mean = s / this.n;
    let v = 0;
    for (let i = 0; i < reps.length; i++) v += (reps[i] - mean) ** 2 * this.counts[i];
    return { mean, std: Math.sqrt(v / this.n) };
  }

  /** Largest share of the values in one bucket: the bound on the CDF error between bucket edges. */
  maxBucketMass(): number {
    if (!this.n) return 0;
    let m = 0;
    for (let i = 0; i < this.counts.length; i++) if (this.counts[i] > m) m = this.counts[i];
    return m / this.n;
  }

  toJSON(): QuantileSketchJson {
    return { keys: Array.from(this.keys), counts: Array.from(this.counts), min: this.n ? this.min : null, max: this.n ? this.max : null };
  }

  /** Rebuilds from `toJSON()` output; throws RangeError on malformed input (callers wrap it). */
  static fromJSON(j: QuantileSketchJson): QuantileSketch {
    if (!j || !Array.isArray(j.keys) || !Array.isArray(j.counts) || j.keys.length !== j.counts.length)
      throw new RangeError('invalid quantile sketch: keys and counts must be arrays of the same length.');
    const keys = Int32Array.from(j.keys);
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== j.keys[i] || Math.abs(keys[i]) > KEY_LIMIT || (i && keys[i] <= keys[i - 1]))
        throw new RangeError('invalid quantile sketch: keys must be ascending bucket keys.');
      if (!(j.counts[i] > 0) || !Number.isInteger(j.counts[i])) throw new RangeError('invalid quantile sketch: counts must be whole numbers > 0.');
    }
    return new QuantileSketch(keys, Float64Array.from(j.counts), j.min ?? NaN, j.max ?? NaN);
  }
}

/**
 * Accumulates values into a dense scratch array (one slot per possible key, 2 MB) and emits a sparse
 * `QuantileSketch`. Reuse one builder across columns to avoid reallocating the scratch.
 * @example const b = new QuantileSketchBuilder(); b.addAll(col.values); const s = b.build();
 */
export class QuantileSketchBuilder {
  private readonly dense = new Float64Array(2 * KEY_LIMIT + 1);
  private touched = new Int32Array(1024);
  private numTouched = 0;
  private min = Infinity;
  private max = -Infinity;

  /** Adds finite values; NaN and infinities are skipped. */
  addAll(values: ArrayLike<number>): void {
    const dense = this.dense;
    let min = this.min, max = this.max;
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      if (!(x - x === 0)) continue; // NaN or ±Infinity
      if (x < min) min = x;
      if (x > max) max = x;
      let k: number;
      if (x === 0) k = 0;
      else {
        f64[0] = x < 0 ? -x : x;
        k = (u32[HI] >>> SHIFT) + 1;
        if (x < 0) k = -k;
      }
      const slot = k + KEY_LIMIT;
      if (dense[slot] === 0) this.touch(slot);
      dense[slot]++;
    }
    this.min = min;
    this.max = max;
  }

  private touch(slot: number): void {
    if (this.numTouched === this.touched.length) {
      const t = new Int32Array(this.touched.length * 2);
      t.set(this.touched);
      this.touched = t;
    }
    this.touched[this.numTouched++] = slot;
  }

  /** Emits the sketch and resets the builder. */
  build(): QuantileSketch {
    const slots = this.touched.slice(0, this.numTouched).sort();
    const keys = new Int32Array(slots.length);
    const counts = new Float64Array(slots.length);
    for (let i = 0; i < slots.length; i++) {
      keys[i] = slots[i] - KEY_LIMIT;
      counts[i] = this.dense[slots[i]];
      this.dense[slots[i]] = 0;
    }
    const s = new QuantileSketch(keys, counts, this.min, this.max);
    this.numTouched = 0;
    this.min = Infinity;
    this.max = -Infinity;
    return s;
  }
}

function mergeSketches(a: QuantileSketch, b: QuantileSketch): QuantileSketch {
    const keys = new Int32Array(a.keys.length + b.keys.length);
    const counts = new Float64Array(keys.length);
    let i = 0, j = 0, o = 0;
    while (i < a.keys.length || j < b.keys.length) {
      if (j >= b.keys.length || (i < a.keys.length && a.keys[i] < b.keys[j])) {
        keys[o] = a.keys[i];
        counts[o++] = a.counts[i++];
      } else if (i >= a.keys.length || b.keys[j] < a.keys[i]) {
        keys[o] = b.keys[j];
        counts[o++] = b.counts[j++];
      } else {
        keys[o] = a.keys[i];
        counts[o++] = a.counts[i++] + b.counts[j++];
      }
    }
    const min = a.n && b.n ? Math.min(a.min, b.min) : a.n ? a.min : b.min;
    const max = a.n && b.n ? Math.max(a.max, b.max) : a.n ? a.max : b.max;
    return new QuantileSketch(keys.slice(0, o), counts.slice(0, o), min, max);
}
