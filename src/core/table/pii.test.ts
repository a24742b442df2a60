import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectPii, luhnValid } from './pii.js';

describe('luhnValid', () => {
  it('accepts valid test card numbers and rejects a changed digit', () => {
    expect(luhnValid('4539 1488 0343 6467')).toBe(true);
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
  });
});

describe('detectPii', () => {
  it('by values', () => {
    expect(detectPii('contact', ['ann@example.org', 'bo.x@mail.example.com'])).toBe('email');
    expect(detectPii('c', ['4111 1111 1111 1111', '4539-1488-0343-6467'])).toBe('credit_card');
    expect(detectPii('c', ['4111 1111 1111 1112', '4539-1488-0343-6468'])).toBeUndefined();
    expect(detectPii('x', ['123-45-6789', '987-65-4321'])).toBe('national_id');
    expect(detectPii('x', ['192.168.0.1', '10.0.0.255'])).toBe('ip_address');
    expect(detectPii('x', ['999.1.1.1'])).toBeUndefined();
    expect(detectPii('x', ['https://example.org/a', 'www.example.com'])).toBe('url');
    expect(detectPii('x', ['+44 20 7946 0958', '(555) 123-4567'])).toBe('phone');
    expect(detectPii('x', ['221B Baker Street', '10 Downing St'])).toBe('street_address');
  });

  it('by column name when values do not decide', () => {
    expect(detectPii('zip', ['02139', '94105'])).toBe('postcode');
    expect(detectPii('Postal Code', ['SW1A 1AA'])).toBe('postcode');
    expect(detectPii('first_name', ['Ann', 'Bo'])).toBe('person_name');
    expect(detectPii('name', ['Ann', 'Bo'])).toBe('person_name');
    expect(detectPii('E-mail', ['hidden'])).toBe('email');
  });

  it('does not flag ordinary columns of the shared datasets', () => {
    expect(detectPii('Airport Name', ['BARKSDALE AIR FORCE BASE ARPT', 'DENVER INTL'])).toBeUndefined();
    expect(detectPii('native-country', ['United-States', 'India'])).toBeUndefined();
    expect(detectPii('pickup_zone', ['Lenox Hill West', 'UN/Turtle Bay South'])).toBeUndefined();
    expect(detectPii('age', ['39', '50'], { numeric: true })).toBeUndefined();
  });

  it('numeric columns are PII only by a name that allows numbers', () => {
    expect(detectPii('zipcode', ['2139', '94105'], { numeric: true })).toBe('postcode');
    expect(detectPii('name', ['1', '2'], { numeric: true })).toBeUndefined();
  });

  it('needs 90% of the samples to match a value rule', () => {
    const xs = [...Array.from({ length: 8 }, (_, i) => `u${i}@example.org`), 'n/a', 'none'];
    expect(detectPii('x', xs)).toBeUndefined();
    expect(detectPii('x', xs, { minShare: 0.8 })).toBe('email');
  });
});

describe('detectPii stopping early', () => {
  it('names a kind exactly when its matches reach the share, in any order (property)', () => {
    // Samples that match their own kind's rule only, and one that matches none.
    const kinds = { email: 'ann@example.org', ip_address: '10.0.0.1', url: 'www.example.com', street_address: '12 High Street' } as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(kinds) as (keyof typeof kinds)[])),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        fc.constantFrom(0.1, 0.3, 0.5, 0.7, 0.9, 1),
        fc.integer(),
        (kind, k, m, minShare, seed) => {
          const xs = [...Array<string>(k).fill(kinds[kind]), ...Array<string>(m).fill('x'), ''];
          // A seeded shuffle: the early stop must not depend on where the matches are.
          let r = seed >>> 0;
          for (let i = xs.length - 1; i > 0; i--) {
            r = (Math.imul(r, 1664525) + 1013904223) >>> 0;
            const j = r % (i + 1);
            [xs[i], xs[j]] = [xs[j], xs[i]];
          }
          const want = k > 0 && k >= minShare * (k + m) ? kind : undefined;
          expect(detectPii('x', xs, { minShare })).toBe(want);
        },
      ),
      { seed: 74, numRuns: 500 },
    );
  });
});
