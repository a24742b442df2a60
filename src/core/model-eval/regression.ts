/**
 * Regression scores with optional per-row weights (bootstrap resamples): MAE, RMSE, R² and MAPE.
 */
import type { Weights } from './confusion.js';

/** Regression scores. MAE, RMSE, MAPE: lower is better (0 is perfect). R²: higher is better (1 is perfect, 0 is
 *  no better than predicting the mean, negative is worse). */
export interface RegressionScores {
  mae: number;
  rmse: number;
  r2: number;
  /** Mean |error| / |truth| over rows whose truth is not 0 (a share, not a percentage); NaN when all are 0. */
  mape: number;
  /** (Weighted) rows left out of MAPE because their truth is 0. */
  mapeExcluded: number;
  total: number;
}

/**
 * Scores of numeric predictions `pred` against truth `y` (both finite).
 * @example regressionScores(Float64Array.of(1, 2, 3), Float64Array.of(1, 2, 5)).mae // 0.6667
 */
export function regressionScores(y: ArrayLike<number>, pred: ArrayLike<number>, w: Weights = null): RegressionScores {
  const n = y.length;
  const shift = n ? y[0] : 0; // shifted sums keep the variance accurate for large offsets
  let W = 0, sAbs = 0, sSq = 0, sY = 0, sY2 = 0, sPct = 0, wPct = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    if (wi === 0) continue;
    const e = pred[i] - y[i];
    const ae = Math.abs(e);
    W += wi;
    sAbs += wi * ae;
    sSq += wi * e * e;
    const d = y[i] - shift;
    sY += wi * d;
    sY2 += wi * d * d;
    if (y[i] !== 0) {
      sPct += (wi * ae) / Math.abs(y[i]);
      wPct += wi;
    }
  }
  if (!(W > 0)) return { mae: NaN, rmse: NaN, r2: NaN, mape: NaN, mapeExcluded: 0, total: 0 };
  const ssTot = sY2 - (sY * sY) / W;
  return {
    mae: sAbs / W,
    rmse: Math.sqrt(sSq / W),
    r2: ssTot > 0 ? 1 - sSq / ssTot : NaN,
    mape: wPct > 0 ? sPct / wPct : NaN,
    mapeExcluded: W - wPct,
    total: W,
  };
}

/**
 * Per-group sums for regression scores in one pass: for group g, entries [g*4 + 0..3] hold Σw, Σw|e|, Σw e²,
 * Σw (e = pred − y). Rows with group −1 are skipped.
 * @example groupErrors(Int32Array.of(0, 0), 1, Float64Array.of(1, -1)) // [2, 2, 2, 0]
 */
export function groupErrors(groups: Int32Array, numGroups: number, err: ArrayLike<number>, w: Weights = null): Float64Array {
  const out = new Float64Array(numGroups * 4);
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    if (g < 0) continue;
    const wi = w ? w[i] : 1;
    const e = err[i];
    out[g * 4] += wi;
    out[g * 4 + 1] += wi * Math.abs(e);
    out[g * 4 + 2] += wi * e * e;
    out[g * 4 + 3] += wi * e;
  }
  return out;
}
