/**
 * Every score-based metric of a binary classifier in one fused O(m) pass over score keys: ROC AUC, average
 * precision, log loss, Brier score and the bin sums of two calibration binnings.
 *
 * A key is a set of rows treated alike: exactly, all rows with one (score, outcome); for bootstrap resamples of
 * large data, all rows of one (score bucket, outcome). Each key carries its row count (`mult`), the mean score
 * and the mean log-loss and Brier terms of its rows; keys in one tie block (`blockLow` marks the lowest key of
 * each block) count as tied. Rows are never re-sorted per resample: a resample is a weight per key.
 */
import { assignBins } from './calibration.js';
import type { Weights } from './confusion.js';

/** Per-key data prepared once, ascending by score. */
export interface ScoreLayout {
  n: number;
  isPos: Uint8Array;
  /** Mean score (probability of the positive class) of the key's rows. */
  score: Float64Array;
  /** Rows per key (the point estimate uses these as weights). */
  mult: Float64Array;
  /** 1 where key j is the lowest key of its tie block. */
  blockLow: Uint8Array;
  /** Mean −log p(true class) of the key's rows (p clipped to [1e-15, 1 − 1e-15]). */
  llTerm: Float64Array;
  /** Mean (p − outcome)² of the key's rows. */
  brTerm: Float64Array;
  binA: Uint8Array;
  binsA: number;
  binB: Uint8Array;
  binsB: number;
}

function logLossTerm(p: number, pos: number): number {
  const q = Math.min(1 - 1e-15, Math.max(1e-15, p));
  return pos ? -Math.log(q) : -Math.log(1 - q);
}

/**
 * Score keys from rows (any order). With at most `maxBlocks` distinct scores the keys are exact: one per
 * (distinct score, outcome). Otherwise distinct scores are merged into about `maxBlocks` buckets of equal row
 * counts (never splitting a score, never crossing a calibration-bin edge) and ties within a bucket are
 * approximate. O(n log n) once (one native sort of a copy of the scores).
 * @example scoreKeys(scores, isPos, [0, .1, …, 1], massEdges, Infinity) // exact keys
 */
export function scoreKeys(rowScore: Float64Array, rowPos: Uint8Array, edgesA: readonly number[], edgesB: readonly number[], maxBlocks = Infinity): ScoreLayout {
  return scoreKeysFrom(distinctScores(rowScore, rowPos), edgesA, edgesB, maxBlocks);
}

/** Distinct scores ascending, with negative and positive row counts per distinct score ([2u], [2u + 1]). */
export interface DistinctScores {
  uniq: Float64Array;
  cnt: Float64Array;
  n: number;
}

/**
 * Counts rows per distinct score and outcome (one native sort of a copy, one binary search per row). With `rank`,
 * also writes each row's distinct-score index into it (0 = lowest).
 */
export function distinctScores(rowScore: Float64Array, rowPos: Uint8Array, rank?: Int32Array): DistinctScores {
  const n = rowScore.length;
  const sorted = Float64Array.from(rowScore).sort();
  let u = 0;
  for (let j = 0; j < n; j++) if (j === 0 || sorted[j] !== sorted[u - 1]) sorted[u++] = sorted[j];
  const uniq = sorted.subarray(0, u);
  // Per distinct score: negative and positive row counts.
  const cnt = new Float64Array(2 * u);
  for (let i = 0; i < n; i++) {
    const v = rowScore[i];
    let lo = 0, hi = u - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (uniq[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    cnt[2 * lo + rowPos[i]]++;
    if (rank) rank[i] = lo;
  }
  return { uniq, cnt, n };
}

/** Score keys from distinct-score counts (see `scoreKeys`). */
export function scoreKeysFrom(d: DistinctScores, edgesA: readonly number[], edgesB: readonly number[], maxBlocks = Infinity): ScoreLayout {
  const { uniq, cnt, n } = d;
  const u = uniq.length;
  const bA = assignBins(uniq, edgesA, new Uint8Array(u));
  const bB = assignBins(uniq, edgesB, new Uint8Array(u));
  // Bucket boundaries over distinct scores.
  const bucketOf = new Int32Array(u);
  if (u > maxBlocks) {
    const target = n / maxBlocks;
    let b = 0, acc = 0;
    for (let t = 0; t < u; t++) {
      if (t > 0 && (acc >= target || bA[t] !== bA[t - 1] || bB[t] !== bB[t - 1])) { b++; acc = 0; }
      bucketOf[t] = b;
      acc += cnt[2 * t] + cnt[2 * t + 1];
    }
  } else for (let t = 0; t < u; t++) bucketOf[t] = t;
  const numBuckets = u ? bucketOf[u - 1] + 1 : 0;
  // Accumulate per (bucket, outcome): count, Σp, Σ log-loss term, Σ Brier term.
  const acc = new Float64Array(numBuckets * 2 * 4);
  for (let t = 0; t < u; t++) {
    const p = uniq[t];
    for (let o = 0; o < 2; o++) {
      const c = cnt[2 * t + o];
      if (!c) continue;
      const a = (bucketOf[t] * 2 + o) * 4;
      acc[a] += c;
      acc[a + 1] += c * p;
      acc[a + 2] += c * logLossTerm(p, o);
      acc[a + 3] += c * (p - o) * (p - o);
    }
  }
  const keys: number[] = [];
  for (let k = 0; k < numBuckets * 2; k++) if (acc[k * 4] > 0) keys.push(k);
  const m = keys.length;
  const L: ScoreLayout = {
    n: m,
    isPos: new Uint8Array(m),
    score: new Float64Array(m),
    mult: new Float64Array(m),
    blockLow: new Uint8Array(m),
    llTerm: new Float64Array(m),
    brTerm: new Float64Array(m),
    binA: new Uint8Array(m),
    binsA: edgesA.length - 1,
    binB: new Uint8Array(m),
    binsB: edgesB.length - 1,
  };
  const firstDistinct = new Int32Array(numBuckets).fill(-1);
  for (let t = 0; t < u; t++) if (firstDistinct[bucketOf[t]] < 0) firstDistinct[bucketOf[t]] = t;
  keys.forEach((k, j) => {
    const a = k * 4, c = acc[a], bucket = k >> 1;
    L.isPos[j] = k & 1;
    L.mult[j] = c;
    L.score[j] = acc[a + 1] / c;
    L.llTerm[j] = acc[a + 2] / c;
    L.brTerm[j] = acc[a + 3] / c;
    L.blockLow[j] = j === 0 || keys[j - 1] >> 1 !== bucket ? 1 : 0;
    L.binA[j] = bA[firstDistinct[bucket]];
    L.binB[j] = bB[firstDistinct[bucket]];
  });
  return L;
}

/** Output of `scorePass`; calibration sums are [count, Σp, Σoutcome] per bin, bin-major. */
export interface ScorePassResult {
  auc: number;
  ap: number;
  logLoss: number;
  brier: number;
  calA: Float64Array;
  calB: Float64Array;
}

/**
 * One descending pass with weight w[j] per key (default: `L.mult`, i.e. every row once). AUC adds, for each
 * negative tie block, the positive weight above it plus half the tied positive weight; AP adds (positive weight
 * in the block) × (precision at that threshold) and divides by the total positive weight at the end.
 * @example scorePass(layout).auc
 */
export function scorePass(L: ScoreLayout, w: Weights = null): ScorePassResult {
  const { isPos, blockLow, llTerm, brTerm, binA, binB, score } = L;
  const ww = w ?? L.mult;
  const calA = new Float64Array(L.binsA * 3), calB = new Float64Array(L.binsB * 3);
  let posAbove = 0, negAbove = 0, aucSum = 0, apSum = 0, bp = 0, bn = 0, ll = 0, br = 0, W = 0;
  for (let j = L.n - 1; j >= 0; j--) {
    const wj = ww[j];
    if (wj !== 0) {
      const pos = isPos[j];
      if (pos) bp += wj;
      else bn += wj;
      ll += wj * llTerm[j];
      br += wj * brTerm[j];
      W += wj;
      const a = binA[j] * 3, b = binB[j] * 3, pw = wj * score[j];
      calA[a] += wj; calA[a + 1] += pw; calA[a + 2] += wj * pos;
      calB[b] += wj; calB[b + 1] += pw; calB[b + 2] += wj * pos;
    }
    if (blockLow[j]) {
      aucSum += bn * (posAbove + 0.5 * bp);
      posAbove += bp;
      negAbove += bn;
      if (bp > 0) apSum += (bp * posAbove) / (posAbove + negAbove);
      bp = bn = 0;
    }
  }
  const P = posAbove, N = negAbove;
  return {
    auc: P > 0 && N > 0 ? aucSum / (P * N) : NaN,
    ap: P > 0 ? apSum / P : NaN,
    logLoss: W > 0 ? ll / W : NaN,
    brier: W > 0 ? br / W : NaN,
    calA,
    calB,
  };
}

/** ECE and MCE from [count, Σp, Σoutcome] bin sums (as from `scorePass`). */
export function calibrationFromSums(sums: Float64Array): { ece: number; mce: number } {
  let W = 0;
  for (let b = 0; b < sums.length; b += 3) W += sums[b];
  if (!(W > 0)) return { ece: NaN, mce: NaN };
  let ece = 0, mce = 0;
  for (let b = 0; b < sums.length; b += 3) {
    const c = sums[b];
    if (!(c > 0)) continue;
    const gap = Math.abs(sums[b + 1] / c - sums[b + 2] / c);
    ece += (c / W) * gap;
    if (gap > mce) mce = gap;
  }
  return { ece, mce };
}
