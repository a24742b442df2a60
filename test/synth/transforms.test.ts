import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random.js';
import { parseCondition, parseRebalance, splitShares } from '../../src/core/synth/conditions.js';
import { fitIdFormat, generateIds } from '../../src/core/synth/privacy/ids.js';
import { fakePii, fitPiiFormat } from '../../src/core/synth/privacy/pii.js';
import { fitCategoricalMarginal } from '../../src/core/synth/transforms/categorical-marginal.js';
import { fillUint32 } from '../../src/core/synth/transforms/fast-random.js';
import { normalCdf, normalFromUint32, normalQuantile } from '../../src/core/synth/transforms/normal.js';
import { fitNumericMarginal } from '../../src/core/synth/transforms/numeric-marginal.js';

describe('normal functions', () => {
  it('match textbook values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 7);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 6);
    expect(normalQuantile(0)).toBe(-Infinity);
  });
  it('property: quantile inverts the cdf', () => {
    fc.assert(fc.property(fc.double({ min: 1e-9, max: 1 - 1e-9, noNaN: true }), (p) => Math.abs(normalCdf(normalQuantile(p)) - p) < 2e-7 * Math.max(1, p / 0.01)), { seed: 1 });
  });
  it('table normals have mean 0 and variance 1', () => {
    const u = new Uint32Array(200000);
    fillUint32(createRng(3), u);
    let s = 0, s2 = 0;
    for (const x of u) {
      const z = normalFromUint32(x);
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / u.length)).toBeLessThan(0.01);
    expect(Math.abs(s2 / u.length - 1)).toBeLessThan(0.02);
  });
});

describe('numeric marginal', () => {
  it('property: monotone, within the protected range, never the unique real extremes', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 12, maxLength: 300 }), fc.integer({ min: 1, max: 5 }), (xs, k) => {
        const m = fitNumericMarginal(Float64Array.from(xs), { k, gridSize: 50 });
        const s = [...xs].sort((a, b) => a - b);
        let prev = -Infinity;
        for (let i = 0; i <= 100; i++) {
          const v = m.inverse(i / 100);
          expect(v).toBeGreaterThanOrEqual(prev);
          expect(v).toBeGreaterThanOrEqual(s[k - 1]);
          expect(v).toBeLessThanOrEqual(s[s.length - k]);
          prev = v;
        }
        if (k > 1 && s[0] < s[k - 1]) expect(m.min).toBeGreaterThan(s[0]);
      }),
      { seed: 2, numRuns: 100 },
    );
  });
  it('keeps a zero-inflated point mass and rounds to the decimals', () => {
    const rng = createRng(4);
    const xs = Float64Array.from({ length: 5000 }, () => (rng.next() < 0.9 ? 0 : Math.round(Math.exp(6 + 3 * rng.next()))));
    const m = fitNumericMarginal(xs, { k: 5, decimals: 0 });
    let zeros = 0;
    for (let i = 0; i < 10000; i++) {
      const v = m.inverse(rng.next());
      if (v === 0) zeros++;
      expect(Number.isInteger(v)).toBe(true);
    }
    expect(Math.abs(zeros / 10000 - 0.9)).toBeLessThan(0.015);
    const iv = m.cdfInterval(0)!;
    expect(iv[1] - iv[0]).toBeCloseTo(0.9, 1);
  });
  it('inverseZ agrees with inverse(Φ(z))', () => {
    const rng = createRng(5);
    const m = fitNumericMarginal(Float64Array.from({ length: 3000 }, () => rng.normal() * 10), { decimals: 3 });
    for (let i = 0; i < 500; i++) {
      const z = rng.normal() * 2;
      expect(Math.abs(m.inverseZ(z) - m.inverse(normalCdf(z)))).toBeLessThan(0.2);
    }
  });
});

describe('categorical marginal', () => {
  it('merges categories with fewer than k rows into the most frequent one', () => {
    const codes = Int32Array.from([...Array(50).fill(0), ...Array(30).fill(1), ...Array(4).fill(2), -1, -1]);
    const f = fitCategoricalMarginal(codes, ['a', 'b', 'rare'], { k: 5 })!;
    expect(f.marginal.labels).toEqual(['a', 'b']);
    expect(f.marginal.merged).toBe(1);
    expect(f.codeMap[2]).toBe(0);
    expect(f.marginal.probs[0]).toBeCloseTo(54 / 84, 10);
    expect(fitCategoricalMarginal(Int32Array.from([0, 1, 2]), ['x', 'y', 'z'], { k: 2 })).toBeNull();
  });
});

describe('conditions', () => {
  it('parses col=value and rebalance texts', () => {
    expect(parseCondition('income=>50K')).toEqual({ column: 'income', equals: '>50K' });
    expect(() => parseCondition('income')).toThrow(/column=value/);
    expect(parseRebalance('y=a:0.25,b:0.75', () => [])).toEqual({ column: 'y', shares: { a: 0.25, b: 0.75 } });
    expect(parseRebalance('y', () => ['a', 'b'])).toEqual({ column: 'y', shares: { a: 0.5, b: 0.5 } });
  });
  it('property: shares split n exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10000 }), fc.array(fc.double({ min: 0.01, max: 5, noNaN: true }), { minLength: 1, maxLength: 6 }), (n, ws) => {
        const shares = Object.fromEntries(ws.map((w, i) => [`c${i}`, w]));
        const groups = splitShares(n, [{ column: 'y', shares }]);
        expect(groups.reduce((a, g) => a + g.n, 0)).toBe(n);
      }),
      { seed: 3 },
    );
  });
});

describe('privacy helpers', () => {
  it('fakes PII in the input format, seeded', () => {
    const f = fitPiiFormat('phone', ['(212) 555-0101', '(646) 555-0199', '+1 212 555 0100']);
    expect(f.mask).toBe('(###) ###-####');
    const a = fakePii(f, 50, createRng(1));
    expect(a.every((x) => /^\(\d{3}\) \d{3}-\d{4}$/.test(x))).toBe(true);
    expect(fakePii(f, 50, createRng(1))).toEqual(a);
    const emails = fakePii({ kind: 'email' }, 30, createRng(2));
    expect(emails.every((e) => /@example\.(com|org|net)$/.test(e))).toBe(true);
    const cards = fakePii(fitPiiFormat('credit_card', ['4111 1111 1111 1111']), 20, createRng(3));
    for (const c of cards) {
      const d = c.replace(/\D/g, '').split('').map(Number).reverse();
      const sum = d.reduce((s, x, i) => s + (i % 2 ? (x * 2 > 9 ? x * 2 - 9 : x * 2) : x), 0);
      expect(sum % 10).toBe(0);
    }
  });
  it('regenerates ids uniquely in the input format', () => {
    const f = fitIdFormat(['CUST-000017', 'CUST-000932']);
    expect(f).toEqual({ kind: 'numbered', prefix: 'CUST-', width: 6 });
    const ids = generateIds(f, 1000, createRng(1), 0);
    expect(new Set(ids).size).toBe(1000);
    expect(ids[0]).toBe('CUST-000001');
    const u = generateIds(fitIdFormat(['123e4567-e89b-42d3-a456-426614174000']), 100, createRng(1), 0);
    expect(new Set(u).size).toBe(100);
  });
});

describe('column models', () => {
  it('property: numbers of any magnitude keep their spread (no rounding tiny values to 0)', async () => {
    const { Table } = await import('../../src/core/table/table.js');
    const { synthesizerKind } = await import('../../src/core/synth/registry.js');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -305, max: 300 }), fc.integer({ min: 0, max: 99 }), async (exp, seed) => {
        const rng = createRng(seed, 'magnitudes');
        const scale = Math.pow(10, exp);
        const rows = Array.from({ length: 200 }, () => ({ x: rng.uniform(1, 10) * scale }));
        const t = Table.fromRows(rows, { specVersion: 1, columns: [{ name: 'x', type: 'numerical', nullable: false }] });
        const f = await synthesizerKind('independent').create({}).fit(t, { seed });
        const x = f.sample(200, { seed }).numeric('x').values;
        expect(new Set(x).size).toBeGreaterThan(50);
        for (const v of x) expect(v >= scale && v <= 10 * scale).toBe(true);
      }),
      { numRuns: 25, seed: 7 },
    );
  });
});
