import type { ColumnProfile } from '../profile/profile.js';
import { bucketRange, type QuantileSketch } from '../profile/quantile-sketch.js';

/**
 * Aligned views of two column profiles, shared by the drift tests: counts over the union of sketch buckets,
 * coarse histograms with edges from the reference, and category counts over the union of labels.
 */

/** Counts of two sketches over the union of their buckets (ascending), with one representative value per bucket. */
export interface AlignedBuckets {
  keys: Int32Array;
  ref: Float64Array;
  cur: Float64Array;
  /** Bucket midpoints, clamped to the combined [min, max]. */
  values: Float64Array;
  nRef: number;
  nCur: number;
}

/** Aligns two sketches bucket by bucket. O(b₁ + b₂). */
export function alignBuckets(a: QuantileSketch, b: QuantileSketch): AlignedBuckets {
  const keys = new Int32Array(a.keys.length + b.keys.length);
  const ref = new Float64Array(keys.length), cur = new Float64Array(keys.length);
  let i = 0, j = 0, o = 0;
  while (i < a.keys.length || j < b.keys.length) {
    if (j >= b.keys.length || (i < a.keys.length && a.keys[i] < b.keys[j])) {
      keys[o] = a.keys[i];
      ref[o++] = a.counts[i++];
    } else if (i >= a.keys.length || b.keys[j] < a.keys[i]) {
      keys[o] = b.keys[j];
      cur[o++] = b.counts[j++];
    } else {
      keys[o] = a.keys[i];
      ref[o] = a.counts[i++];
      cur[o++] = b.counts[j++];
    }
  }
  const lo = Math.min(a.n ? a.min : Infinity, b.n ? b.min : Infinity);
  const hi = Math.max(a.n ? a.max : -Infinity, b.n ? b.max : -Infinity);
  const values = new Float64Array(o);
  for (let k = 0; k < o; k++) {
    const [l, h] = bucketRange(keys[k]);
    values[k] = Math.min(hi, Math.max(lo, keys[k] === 0 ? 0 : l + (h - l) / 2));
  }
  return { keys: keys.slice(0, o), ref: ref.slice(0, o), cur: cur.slice(0, o), values, nRef: a.n, nCur: b.n };
}

/** A histogram of both sides over the same bins. */
export interface BinnedCounts {
  /** Bin labels for charts (ranges or category labels). */
  labels: string[];
  ref: Float64Array;
  cur: Float64Array;
}

/**
 * Coarse numeric bins: edges at the reference's deciles (as sketch buckets, deduplicated), plus one bin below
 * the reference's smallest bucket and one above its largest, so values outside the reference's range
 * always land in a bin of their own. Each bin is a union of sketch buckets, so counts are exact.
 */
export function coarseBins(refSketch: QuantileSketch, curSketch: QuantileSketch, numBins = 10): BinnedCounts {
  const al = alignBuckets(refSketch, curSketch);
  // Upper bucket key (inclusive) of each inner bin, from the reference's cumulative counts.
  const uppers: number[] = [];
  let c = 0, target = 1;
  for (let k = 0; k < al.keys.length; k++) {
    if (al.ref[k] === 0) continue;
    c += al.ref[k];
    if (c * numBins >= target * al.nRef) {
      uppers.push(al.keys[k]);
      target = Math.floor((c * numBins) / al.nRef) + 1;
    }
  }
  const firstKey = al.keys.find((_, k) => al.ref[k] > 0) ?? 0;
  const m = uppers.length + 2;
  const ref = new Float64Array(m), cur = new Float64Array(m);
  let bin = 0;
  for (let k = 0; k < al.keys.length; k++) {
    const key = al.keys[k];
    let b: number;
    if (key < firstKey) b = 0;
    else {
      while (bin < uppers.length && key > uppers[bin]) bin++;
      b = bin < uppers.length ? bin + 1 : m - 1;
    }
    ref[b] += al.ref[k];
    cur[b] += al.cur[k];
  }
  const fmt = (x: number) => (Math.abs(x) >= 1e5 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : String(+x.toPrecision(4)));
  const labels: string[] = [`< ${fmt(refSketch.min)}`];
  let prev = refSketch.min;
  for (let u = 0; u < uppers.length; u++) {
    const hi = u === uppers.length - 1 ? refSketch.max : Math.min(refSketch.max, bucketRange(uppers[u])[1]);
    labels.push(`${fmt(prev)}–${fmt(hi)}`);
    prev = hi;
  }
  labels.push(`> ${fmt(refSketch.max)}`);
  return { labels, ref, cur };
}

/** Counts per label over the union of labels (sorted), or null when a side has no value counts. */
export function categoryCounts(a: ColumnProfile, b: ColumnProfile): BinnedCounts | null {
  if (!a.items || !b.items || a.items.overflow || b.items.overflow) return null;
  const labels = [...new Set([...a.items.counts.keys(), ...b.items.counts.keys()])].sort();
  const ref = new Float64Array(labels.length), cur = new Float64Array(labels.length);
  labels.forEach((l, i) => {
    ref[i] = a.items!.counts.get(l) ?? 0;
    cur[i] = b.items!.counts.get(l) ?? 0;
  });
  return { labels, ref, cur };
}

/** Bins for either kind: coarse reference-decile bins for numeric columns, labels for categorical ones. */
export function binnedCounts(a: ColumnProfile, b: ColumnProfile): BinnedCounts | null {
  if (a.sketch && b.sketch) return coarseBins(a.sketch, b.sketch);
  return categoryCounts(a, b);
}

/** Proportions of a count vector (zeros when the total is 0). */
export function proportions(c: Float64Array): Float64Array {
  let t = 0;
  for (let i = 0; i < c.length; i++) t += c[i];
  const out = new Float64Array(c.length);
  if (t > 0) for (let i = 0; i < c.length; i++) out[i] = c[i] / t;
  return out;
}
