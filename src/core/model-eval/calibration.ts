/**
 * Calibration of predicted probabilities: does "70 %" come true 70 % of the time? Expected calibration error
 * (ECE: support-weighted mean |confidence − frequency| over bins) and maximum calibration error (MCE: the worst
 * bin), with equal-width or equal-mass bins, plus the reliability-diagram data.
 */
import type { Weights } from './confusion.js';

/** How probabilities are grouped: `width` = [0, 0.1), [0.1, 0.2), …; `mass` = bins holding equal numbers of rows. */
export type BinStrategy = 'width' | 'mass';

/**
 * Bin index per row for `p` (values in [0, 1]). Equal-mass edges are quantiles of `p`; rows with equal `p`
 * always share a bin, so with heavy ties there can be fewer non-empty bins than asked.
 * @example calibrationBins(Float64Array.of(0.05, 0.95), 10, 'width').bin // [0, 9]
 */
export function calibrationBins(p: ArrayLike<number>, numBins: number, strategy: BinStrategy): { bin: Uint8Array; edges: number[] } {
  const n = p.length;
  const bin = new Uint8Array(n);
  const k = Math.max(1, Math.min(255, Math.floor(numBins)));
  let edges: number[];
  if (strategy === 'width') {
    edges = Array.from({ length: k + 1 }, (_, i) => i / k);
  } else {
    const sorted = Float64Array.from(p).sort(); // native numeric sort of a typed array
    edges = [0];
    for (let b = 1; b < k; b++) edges.push(n ? sorted[Math.min(n - 1, Math.floor((b * n) / k))] : b / k);
    edges.push(1);
  }
  assignBins(p, edges, bin);
  return { bin, edges };
}

/**
 * Bin of every value: the largest b with edges[b] ≤ p (the last bin includes its upper edge). Fills `out`.
 * @example assignBins(Float64Array.of(0.25, 1), [0, 0.5, 1], new Uint8Array(2)) // [0, 1]
 */
export function assignBins(p: ArrayLike<number>, edges: readonly number[], out: Uint8Array): Uint8Array {
  const k = edges.length - 1;
  for (let i = 0; i < p.length; i++) {
    let lo = 0, hi = k - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (edges[mid] <= p[i]) lo = mid;
      else hi = mid - 1;
    }
    out[i] = lo;
  }
  return out;
}

/** One bin of a reliability diagram. */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  /** (Weighted) rows in the bin. */
  count: number;
  /** Mean predicted probability in the bin (NaN when empty). */
  confidence: number;
  /** Observed share of positive outcomes in the bin (NaN when empty). */
  frequency: number;
}

/** Calibration errors (lower is better, 0 is perfectly calibrated, 1 is worst) and the diagram bins. */
export interface CalibrationScores {
  ece: number;
  mce: number;
  bins: ReliabilityBin[];
}

/**
 * ECE, MCE and reliability bins of probabilities `p` for outcomes `outcome` (1 = the event happened), with
 * bins from `calibrationBins`.
 * @example calibrationScores(Float64Array.of(0.8, 0.8), Uint8Array.of(1, 0), { bin: Uint8Array.of(8, 8), edges }) // ece 0.3
 */
export function calibrationScores(p: ArrayLike<number>, outcome: ArrayLike<number>, bins: { bin: Uint8Array; edges: number[] }, w: Weights = null): CalibrationScores {
  const k = bins.edges.length - 1;
  const cnt = new Float64Array(k), sp = new Float64Array(k), so = new Float64Array(k);
  const b = bins.bin;
  for (let i = 0; i < p.length; i++) {
    const wi = w ? w[i] : 1;
    cnt[b[i]] += wi;
    sp[b[i]] += wi * p[i];
    if (outcome[i]) so[b[i]] += wi;
  }
  let W = 0;
  for (let j = 0; j < k; j++) W += cnt[j];
  let ece = 0, mce = 0;
  const out: ReliabilityBin[] = [];
  for (let j = 0; j < k; j++) {
    const c = cnt[j];
    const conf = c > 0 ? sp[j] / c : NaN, freq = c > 0 ? so[j] / c : NaN;
    if (c > 0) {
      const gap = Math.abs(conf - freq);
      ece += (c / W) * gap;
      if (gap > mce) mce = gap;
    }
    out.push({ lower: bins.edges[j], upper: bins.edges[j + 1], count: c, confidence: conf, frequency: freq });
  }
  return W > 0 ? { ece, mce, bins: out } : { ece: NaN, mce: NaN, bins: out };
}
