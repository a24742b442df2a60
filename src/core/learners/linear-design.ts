import type { JsonValue } from '../json.js';
import { SynthopsError } from '../errors.js';
import type { FeatureMatrix } from './features.js';

/** Most one-hot columns per categorical feature (the most frequent levels); rarer levels encode as all zeros. */
export const MAX_ONE_HOT = 100;

/**
 * How features become a linear model's inputs: numeric features standardised ((v − mean) / sd; missing →
 * 0, i.e. the mean, plus a 0/1 "was missing" column when training had missing values); categorical features
 * one-hot (missing, unseen and rare levels → all zeros). Fitted on training rows, applied to any matrix.
 */
export interface LinearDesign {
  /** Indices (into the feature matrix) of numeric features. */
  numeric: number[];
  mean: number[];
  sd: number[];
  /** Per numeric feature: the column of its missing indicator, or -1. */
  missingCol: number[];
  /** Indices of categorical features. */
  categorical: number[];
  /** Per categorical feature: the column of each level's one-hot, or -1. */
  oneHot: Int32Array[];
  /** Total columns (without intercept). */
  width: number;
  /** Dense columns (numeric + indicators) come first: 0..dense-1. */
  dense: number;
}

/** Training-row view of a design: dense values (rows × dense) and one-hot column per categorical (-1 = none). */
export interface DesignRows {
  n: number;
  dense: Float64Array;
  cats: Int32Array;
}

/** Fits a design on the given rows of x. */
export function fitLinearDesign(x: FeatureMatrix, rows: Int32Array): LinearDesign {
  const numeric: number[] = [], mean: number[] = [], sd: number[] = [], hasMissing: boolean[] = [];
  const categorical: number[] = [];
  const freqs: Float64Array[] = [];
  for (let j = 0; j < x.columns.length; j++) {
    const col = x.columns[j];
    if (col instanceof Float64Array) {
      const { s, c, miss } = sumFinite(col, rows);
      const mu = c ? s / c : 0;
      const s2 = sumSquaredDeviations(col, rows, mu);
      const sdev = c > 1 ? Math.sqrt(s2 / (c - 1)) : 0;
      if (!Number.isFinite(mu) || !Number.isFinite(sdev))
        throw new SynthopsError('invalid_input', `invalid feature "${x.names[j]}": values too large to standardise.`, { column: x.names[j] });
      numeric.push(j);
      mean.push(mu);
      sd.push(sdev > 0 ? sdev : 1);
      hasMissing.push(miss);
    } else {
      const f = new Float64Array(x.levels[j]);
      countLevels(col, rows, f);
      categorical.push(j);
      freqs.push(f);
    }
  }
  let width = numeric.length;
  const missingCol = hasMissing.map((m) => (m ? width++ : -1));
  const dense = width;
  const oneHot = freqs.map((f) => {
    const map = new Int32Array(f.length).fill(-1);
    const levels = Array.from({ length: f.length }, (_, c) => c)
      .filter((c) => f[c] > 0)
      .sort((a, b) => f[b] - f[a] || a - b)
      .slice(0, MAX_ONE_HOT)
      .sort((a, b) => a - b);
    for (const c of levels) map[c] = width++;
    return map;
  });
  return { numeric, mean, sd, missingCol, categorical, oneHot, width, dense };
}

// The passes of fitLinearDesign as small monomorphic loops: a worker fits only a few designs, so each loop must get
// optimised early (on-stack replacement) rather than run long in the interpreter (cold: ~80 ms a 42k-row design, warm 5).
// Same additions in the same order as before, so the same design.
function sumFinite(col: Float64Array, rows: Int32Array): { s: number; c: number; miss: boolean } {
  let s = 0, c = 0, miss = false;
  for (let i = 0; i < rows.length; i++) {
    const v = col[rows[i]];
    if (v !== v) miss = true;
    else {
      s += v;
      c++;
    }
  }
  return { s, c, miss };
}

function sumSquaredDeviations(col: Float64Array, rows: Int32Array, mu: number): number {
  let s2 = 0;
  for (let i = 0; i < rows.length; i++) {
    const v = col[rows[i]];
    if (v === v) s2 += (v - mu) * (v - mu);
  }
  return s2;
}

function countLevels(col: Int32Array, rows: Int32Array, f: Float64Array): void {
  for (let i = 0; i < rows.length; i++) {
    const c = col[rows[i]];
    if (c >= 0 && c < f.length) f[c]++;
  }
}

/** Encodes rows of x (default all) with a fitted design. */
export function designRows(d: LinearDesign, x: FeatureMatrix, rows?: Int32Array): DesignRows {
  const n = rows ? rows.length : x.numRows;
  const D = d.dense, C = d.categorical.length;
  const dense = new Float64Array(n * D);
  const cats = new Int32Array(n * C);
  d.numeric.forEach((j, k) => {
    const col = x.columns[j] as Float64Array;
    const mu = d.mean[k], s = d.sd[k], mc = d.missingCol[k];
    for (let i = 0; i < n; i++) {
      const v = col[rows ? rows[i] : i];
      if (v !== v) {
        if (mc >= 0) dense[i * D + mc] = 1;
      } else dense[i * D + k] = (v - mu) / s;
    }
  });
  d.categorical.forEach((j, k) => {
    const col = x.columns[j] as Int32Array;
    const map = d.oneHot[k];
    for (let i = 0; i < n; i++) {
      const c = col[rows ? rows[i] : i];
      cats[i * C + k] = c >= 0 && c < map.length ? map[c] : -1;
    }
  });
  return { n, dense, cats };
}

/** Plain-JSON form of a design. */
export function linearDesignToJSON(d: LinearDesign): JsonValue {
  return { numeric: d.numeric, mean: d.mean, sd: d.sd, missingCol: d.missingCol, categorical: d.categorical, oneHot: d.oneHot.map((m) => Array.from(m)), width: d.width, dense: d.dense };
}

/** Reads what `linearDesignToJSON` wrote. */
export function linearDesignFromJSON(json: JsonValue): LinearDesign {
  const o = json as Record<string, JsonValue>;
  if (!o || typeof o !== 'object' || !Array.isArray(o.numeric) || !Array.isArray(o.oneHot) || !Array.isArray(o.mean) || !Array.isArray(o.sd) || !Array.isArray(o.missingCol) || !Array.isArray(o.categorical))
    throw new SynthopsError('incompatible_artifact', 'invalid linear model: the feature encoding is malformed.');
  return {
    numeric: (o.numeric as number[]).map(Number),
    mean: (o.mean as number[]).map(Number),
    sd: (o.sd as number[]).map(Number),
    missingCol: (o.missingCol as number[]).map(Number),
    categorical: (o.categorical as number[]).map(Number),
    oneHot: (o.oneHot as number[][]).map((m) => Int32Array.from(m)),
    width: Number(o.width),
    dense: Number(o.dense),
  };
}

/**
 * Linear scores Z = X·W + b for K outputs (W is width × K row-major, b is K), written into z (n × K).
 */
export function linearScores(rowsX: DesignRows, d: LinearDesign, W: Float64Array, b: Float64Array, K: number, z: Float64Array): void {
  const { n, dense, cats } = rowsX;
  const D = d.dense, C = d.categorical.length;
  if (K === 2) {
    // The same additions in the same order as the general loop (identical results), without the inner class loop.
    const b0 = b[0], b1 = b[1];
    for (let i = 0; i < n; i++) {
      let z0 = b0, z1 = b1;
      const io = i * D;
      for (let j = 0; j < D; j++) {
        const v = dense[io + j];
        if (v === 0) continue;
        z0 += v * W[2 * j];
        z1 += v * W[2 * j + 1];
      }
      const co = i * C;
      for (let c = 0; c < C; c++) {
        const col = cats[co + c];
        if (col < 0) continue;
        z0 += W[2 * col];
        z1 += W[2 * col + 1];
      }
      z[2 * i] = z0;
      z[2 * i + 1] = z1;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const zo = i * K;
    for (let k = 0; k < K; k++) z[zo + k] = b[k];
    for (let j = 0; j < D; j++) {
      const v = dense[i * D + j];
      if (v === 0) continue;
      const wo = j * K;
      for (let k = 0; k < K; k++) z[zo + k] += v * W[wo + k];
    }
    for (let c = 0; c < C; c++) {
      const col = cats[i * C + c];
      if (col < 0) continue;
      const wo = col * K;
      for (let k = 0; k < K; k++) z[zo + k] += W[wo + k];
    }
  }
}

/** Gradient accumulation: gW += Xᵀ R, gb += Σ R for residuals R (n × K). */
export function linearBackprop(rowsX: DesignRows, d: LinearDesign, R: Float64Array, K: number, gW: Float64Array, gb: Float64Array): void {
  const { n, dense, cats } = rowsX;
  const D = d.dense, C = d.categorical.length;
  if (K === 2) {
    // The general loop unrolled for two outputs: the same additions in the same order.
    let g0 = gb[0], g1 = gb[1];
    for (let i = 0; i < n; i++) {
      const r0 = R[2 * i], r1 = R[2 * i + 1];
      g0 += r0;
      g1 += r1;
      const io = i * D;
      for (let j = 0; j < D; j++) {
        const v = dense[io + j];
        if (v === 0) continue;
        gW[2 * j] += v * r0;
        gW[2 * j + 1] += v * r1;
      }
      const co = i * C;
      for (let c = 0; c < C; c++) {
        const col = cats[co + c];
        if (col < 0) continue;
        gW[2 * col] += r0;
        gW[2 * col + 1] += r1;
      }
    }
    gb[0] = g0;
    gb[1] = g1;
    return;
  }
  for (let i = 0; i < n; i++) {
    const ro = i * K;
    for (let k = 0; k < K; k++) gb[k] += R[ro + k];
    for (let j = 0; j < D; j++) {
      const v = dense[i * D + j];
      if (v === 0) continue;
      const wo = j * K;
      for (let k = 0; k < K; k++) gW[wo + k] += v * R[ro + k];
    }
    for (let c = 0; c < C; c++) {
      const col = cats[i * C + c];
      if (col < 0) continue;
      const wo = col * K;
      for (let k = 0; k < K; k++) gW[wo + k] += R[ro + k];
    }
  }
}
