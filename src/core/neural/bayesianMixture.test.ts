import { describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import { digamma, fitBayesianMixture } from './bayesianMixture.js';

describe('fitBayesianMixture', () => {
  it('digamma matches known values', () => {
    expect(digamma(1)).toBeCloseTo(-0.5772156649, 8);
    expect(digamma(0.5)).toBeCloseTo(-1.9635100260, 8);
    expect(digamma(10)).toBeCloseTo(2.2517525891, 8);
  });

  it('finds two well separated modes with the right weights and spreads, and switches some components off', () => {
    const r = createRng(3);
    const x = new Float64Array(4000);
    for (let i = 0; i < x.length; i++) x[i] = i % 4 === 0 ? 100 + 2 * r.normal() : 10 + 1 * r.normal();
    const mix = fitBayesianMixture(x, createRng(1));
    const comps = mix.weights.map((w, i) => ({ w, m: mix.means[i], s: mix.stds[i] }));
    expect(comps.length).toBeLessThan(10);
    const low = comps.filter((c) => Math.abs(c.m - 10) < 2), high = comps.filter((c) => Math.abs(c.m - 100) < 2);
    expect(low.length + high.length).toBe(comps.length);
    expect(low.reduce((s, c) => s + c.w, 0)).toBeCloseTo(0.75, 2);
    expect(high.reduce((s, c) => s + c.w, 0)).toBeCloseTo(0.25, 2);
    for (const c of high) expect([c.s > 1.5, c.s < 2.6]).toEqual([true, true]);
    for (const c of low) expect([c.s > 0.7, c.s < 1.3]).toEqual([true, true]);
    expect(mix.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 9);
  });

  it('is deterministic for a seed and ignores NaN', () => {
    const r = createRng(4);
    const x = Array.from({ length: 500 }, (_, i) => (i % 10 === 0 ? NaN : r.gamma(2)));
    expect(fitBayesianMixture(x, createRng(9))).toEqual(fitBayesianMixture(x, createRng(9)));
  });

  it('a constant column gives one component', () => {
    const mix = fitBayesianMixture(new Float64Array(100).fill(5), createRng(1));
    expect(mix.weights).toEqual([1]);
    expect(mix.means[0]).toBeCloseTo(5, 9);
  });
});
