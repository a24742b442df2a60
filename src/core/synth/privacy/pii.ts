import { faker } from '@faker-js/faker/locale/en';
import type { Rng } from '../../random.js';
import type { PiiKind } from '../../table/schema.js';

/** What is kept of a PII column: its kind and the most common character mask of its values (never a value). */
export interface PiiFormat {
  kind: PiiKind;
  /**
   * Most common shape of the values with digits as `#`, upper-case letters as `A`, lower-case as `a`
   * (e.g. `(###) ###-####`, `AA# #AA`); used for phone, national_id, postcode and credit_card.
   * Absent when the shape varies too much or for kinds that faker formats (names, emails, addresses).
   */
  mask?: string;
}

const MASKED: readonly PiiKind[] = ['phone', 'national_id', 'postcode', 'credit_card'];

/** Character mask of one value: digits → #, letters → A / a, others kept. */
export function shapeOf(s: string): string {
  return s.replace(/[0-9]/g, '#').replace(/[A-Z]/g, 'A').replace(/[a-z]/g, 'a');
}

/**
 * Learns the format of a PII column from its labels: the most common mask, for the masked kinds.
 * Only the mask is stored; it contains no characters of any value except separators.
 */
export function fitPiiFormat(kind: PiiKind, labels: readonly string[]): PiiFormat {
  if (!MASKED.includes(kind) || !labels.length) return { kind };
  const counts = new Map<string, number>();
  for (const l of labels) {
    const m = shapeOf(l);
    counts.set(m, (counts.get(m) ?? 0) + 1);
  }
  let best = '', bestN = 0;
  for (const [m, c] of counts) if (c > bestN) [best, bestN] = [m, c];
  return bestN >= 0.5 * labels.length && /#/.test(best) ? { kind, mask: best } : { kind };
}

/**
 * Generates `n` fake values of the column's kind and format, seeded from `rng` (deterministic).
 * Emails use the reserved example.com / example.org / example.net domains, so they cannot belong to anyone.
 * Values are never drawn from the input.
 *
 * @example fakePii({ kind: 'phone', mask: '(###) ###-####' }, 3, createRng(1)) // ['(417) 086-2291', ...]
 */
export function fakePii(format: PiiFormat, n: number, rng: Rng): string[] {
  const out = new Array<string>(n);
  if (format.mask) {
    for (let i = 0; i < n; i++) out[i] = fillMask(format.mask, rng, format.kind === 'credit_card');
    return out;
  }
  faker.seed(rng.nextUint32());
  const providers = ['example.com', 'example.org', 'example.net'];
  for (let i = 0; i < n; i++) {
    switch (format.kind) {
      case 'email':
        out[i] = faker.internet.email({ provider: providers[i % 3] }).toLowerCase();
        break;
      case 'person_name':
        out[i] = faker.person.fullName();
        break;
      case 'street_address':
        out[i] = faker.location.streetAddress();
        break;
      case 'ip_address':
        out[i] = faker.internet.ipv4();
        break;
      case 'url':
        out[i] = faker.internet.url();
        break;
      case 'phone':
        out[i] = faker.phone.number();
        break;
      case 'postcode':
        out[i] = faker.location.zipCode();
        break;
      case 'national_id':
        out[i] = fillMask('###-##-####', rng, false);
        break;
      case 'credit_card':
        out[i] = fillMask('#### #### #### ####', rng, true);
        break;
    }
  }
  return out;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/** Replaces # with random digits and A/a with random letters; with `luhn`, the last digit makes the Luhn sum valid. */
function fillMask(mask: string, rng: Rng, luhn: boolean): string {
  const chars = mask.split('');
  const digitPos: number[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '#') {
      chars[i] = String(rng.int(10));
      digitPos.push(i);
    } else if (c === 'A') chars[i] = UPPER[rng.int(26)];
    else if (c === 'a') chars[i] = LOWER[rng.int(26)];
  }
  if (luhn && digitPos.length > 1) {
    let sum = 0;
    for (let j = digitPos.length - 2, dbl = true; j >= 0; j--, dbl = !dbl) {
      let d = Number(chars[digitPos[j]]);
      if (dbl) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    chars[digitPos[digitPos.length - 1]] = String((10 - (sum % 10)) % 10);
  }
  return chars.join('');
}
