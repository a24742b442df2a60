import type { Rng } from '../random.js';

/** A fitted one-dimensional Gaussian mixture: component weights (sum 1), means and standard deviations. */
export interface Mixture1d {
  weights: number[];
  means: number[];
  stds: number[];
}

/** Options of `fitBayesianMixture`; every field has a default. */
export interface BayesianMixtureOptions {
  /** Upper bound on the number of components. Default 10. */
  maxComponents?: number;
  /** Concentration of the Dirichlet-process (stick-breaking) prior: small values switch unneeded components off. Default 0.001. */
  weightPrior?: number;
  /** Components whose posterior weight ends below this are dropped. Default 0.005. */
  minWeight?: number;
  /** Variational iterations at most. Default 100. */
  maxIter?: number;
  /** Stop when no mean moves by more than tol × data std. Default 1e-4. */
  tol?: number;
  /** Fit on at most this many values (a seeded subsample). Default 20000. */
  maxRows?: number;
}

/**
 * Variational Bayesian Gaussian mixture for one numeric column (mean-field; a truncated Dirichlet-process prior on the weights,
 * Normal–Gamma prior on each component's mean and precision). With a small weight prior, the posterior
 * empties components that the data does not need, so the number of modes is learned (≤ maxComponents).
 * Initialised by k-means++ seeding and Lloyd steps from `rng`; deterministic for a seed. NaN values are ignored.
 * Cost O(n · K · iterations).
 *
 * @example
 * const mix = fitBayesianMixture(ages, createRng(1)); // { weights: [0.4, 0.6], means: [...], stds: [...] }
 */
export function fitBayesianMixture(values: ArrayLike<number>, rng: Rng, options: BayesianMixtureOptions = {}): Mixture1d {
  const { maxComponents = 10, weightPrior = 0.001, minWeight = 0.005, maxIter = 100, tol = 1e-4, maxRows = 20000 } = options;
  let finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite.push(values[i]);
  if (finite.length === 0) return { weights: [1], means: [0], stds: [1] };
  if (finite.length > maxRows) {
    const perm = rng.permutation(finite.length);
    finite = Array.from(perm.subarray(0, maxRows), (i) => finite[i]);
  }
  const n = finite.length;
  let mean = 0;
  for (const v of finite) mean += v;
  mean /= n;
  let variance = 0;
  for (const v of finite) variance += (v - mean) ** 2;
  variance /= n;
  const scale = Math.sqrt(variance) || 1;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = (finite[i] - mean) / scale;

  // k-means++ seeding on the standardised values, then a few Lloyd steps.
  const K = Math.min(maxComponents, n);
  const centers: number[] = [x[rng.int(n)]];
  const d2 = new Float64Array(n);
  for (let c = 1; c < K; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      let best = Infinity;
      for (const m of centers) best = Math.min(best, (x[i] - m) ** 2);
      d2[i] = best;
      total += best;
    }
    if (!(total > 0)) break;
    let r = rng.next() * total;
    let pick = n - 1;
    for (let i = 0; i < n; i++) {
      r -= d2[i];
      if (r < 0) { pick = i; break; }
    }
    centers.push(x[pick]);
  }
  const k = centers.length;
  const resp = new Float64Array(n * k);
  const assign = new Int32Array(n);
  for (let step = 0; step < 5; step++) {
    const sum = new Float64Array(k), cnt = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      let best = 0, bd = Infinity;
      for (let c = 0; c < k; c++) {
        const d = (x[i] - centers[c]) ** 2;
        if (d < bd) { bd = d; best = c; }
      }
      assign[i] = best;
      sum[best] += x[i];
      cnt[best]++;
    }
    for (let c = 0; c < k; c++) if (cnt[c] > 0) centers[c] = sum[c] / cnt[c];
  }
  for (let i = 0; i < n; i++) resp[i * k + assign[i]] = 1;

  // Priors (standardised scale): mean 0, weak mean precision 1e-3, a weak Gamma(0.5, 0.005) on the precision.
  const beta0 = 1e-3, m0 = 0, a0 = 0.5, b0 = 0.005;
  // Stick-breaking (Dirichlet process) weights: v_c ~ Beta(g1[c], g2[c]), π_c = v_c Π_{j<c} (1 − v_j).
  const g1 = new Float64Array(k), g2 = new Float64Array(k);
  const beta = new Float64Array(k), m = new Float64Array(k), a = new Float64Array(k), b = new Float64Array(k);
  const Nk = new Float64Array(k), xbar = new Float64Array(k), S = new Float64Array(k);
  const mStep = () => {
    Nk.fill(0); xbar.fill(0); S.fill(0);
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) {
      const r = resp[i * k + c];
      Nk[c] += r;
      xbar[c] += r * x[i];
    }
    for (let c = 0; c < k; c++) xbar[c] = Nk[c] > 1e-10 ? xbar[c] / Nk[c] : 0;
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) S[c] += resp[i * k + c] * (x[i] - xbar[c]) ** 2;
    let tail = 0;
    for (let c = k - 1; c >= 0; c--) {
      g1[c] = 1 + Nk[c];
      g2[c] = weightPrior + tail;
      tail += Nk[c];
    }
    for (let c = 0; c < k; c++) {
      beta[c] = beta0 + Nk[c];
      m[c] = (beta0 * m0 + Nk[c] * xbar[c]) / beta[c];
      a[c] = a0 + Nk[c] / 2;
      b[c] = b0 + 0.5 * (S[c] + (beta0 * Nk[c] * (xbar[c] - m0) ** 2) / beta[c]);
    }
  };
  mStep();
  const logRho = new Float64Array(k);
  for (let iter = 0; iter < maxIter; iter++) {
    const eLogPi = new Float64Array(k), eLogLam = new Float64Array(k), eLam = new Float64Array(k);
    let rest = 0; // Σ_{j<c} E[ln(1 − v_j)]
    for (let c = 0; c < k; c++) {
      const dsum = digamma(g1[c] + g2[c]);
      eLogPi[c] = digamma(g1[c]) - dsum + rest;
      rest += digamma(g2[c]) - dsum;
      eLogLam[c] = digamma(a[c]) - Math.log(b[c]);
      eLam[c] = a[c] / b[c];
    }
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let c = 0; c < k; c++) {
        const v = eLogPi[c] + 0.5 * eLogLam[c] - 0.5 * (1 / beta[c] + eLam[c] * (x[i] - m[c]) ** 2);
        logRho[c] = v;
        if (v > max) max = v;
      }
      let s = 0;
      for (let c = 0; c < k; c++) s += (logRho[c] = Math.exp(logRho[c] - max));
      for (let c = 0; c < k; c++) resp[i * k + c] = logRho[c] / s;
    }
    const prev = Float64Array.from(m);
    mStep();
    let moved = 0;
    for (let c = 0; c < k; c++) moved = Math.max(moved, Math.abs(m[c] - prev[c]));
    if (moved < tol) break;
  }
  const out: Mixture1d = { weights: [], means: [], stds: [] };
  let remaining = 1;
  for (let c = 0; c < k; c++) {
    const v = g1[c] / (g1[c] + g2[c]);
    const w = remaining * v;
    remaining *= 1 - v;
    if (w < minWeight) continue;
    out.weights.push(w);
    out.means.push(mean + scale * m[c]);
    out.stds.push(Math.max(scale * Math.sqrt(b[c] / a[c]), scale * 1e-3));
  }
  if (out.weights.length === 0) return { weights: [1], means: [mean], stds: [scale] };
  const total = out.weights.reduce((s, w) => s + w, 0);
  out.weights = out.weights.map((w) => w / total);
  return out;
}

/** Digamma ψ(x) for x > 0: recurrence up to x ≥ 6, then the asymptotic series. */
export function digamma(x: number): number {
  let r = 0;
  while (x < 6) {
    r -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  return r + Math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))));
}
