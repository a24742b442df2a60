import type { PiiKind } from './schema.js';

/**
 * Detects personal data in a column from its name and a sample of its values. Rules, in order:
 *
 * 1. Value patterns. A kind is chosen when at least `minShare` (default 0.9) of the non-empty samples match it:
 *    `email` (`local@domain.tld`), `credit_card` (13–19 digits, optional spaces/dashes, passing the Luhn check),
 *    `national_id` (US SSN shape `ddd-dd-dddd`), `ip_address` (IPv4 dotted quad ≤ 255 or IPv6 hex groups),
 *    `url` (`http(s)://` or `www.`), `phone` (7–15 digits with at least one of `+ ( ) - . space`, or a leading `+`),
 *    `street_address` (a house number then words ending in a street word such as Street/St/Ave/Road/Lane).
 * 2. Column names (case and separators ignored) when values did not decide: email/e-mail/mail → email;
 *    phone/tel/mobile/cell/fax → phone; `name` alone, first/last/full/given/family/person/customer/patient/user
 *    name, surname → person_name (so `Airport Name` is not PII); address/street →
 *    street_address; ssn/social security/national id/passport/tax id → national_id; credit card/card number/ccn/pan →
 *    credit_card; ip/ip address → ip_address; url/website/homepage/link → url; zip/zipcode/postcode/postal code →
 *    postcode. A name rule only applies to text-like values (not to a numeric measurement column), except postcode
 *    and phone, which are often stored as numbers.
 * 3. Otherwise undefined (not PII).
 *
 * Deterministic: the same name and samples always give the same answer.
 *
 * @example
 * detectPii('contact', ['ann@example.org', 'bo@example.com']); // 'email'
 * detectPii('zip', ['02139', '94105']);                          // 'postcode'
 */
export function detectPii(name: string, samples: readonly string[], opts: { numeric?: boolean; minShare?: number } = {}): PiiKind | undefined {
  const minShare = opts.minShare ?? 0.9;
  const xs = samples.filter((s) => s !== '');
  if (xs.length && !opts.numeric) {
    // A rule stops once the samples left cannot bring its hits to the share (most columns match no rule, and a
    // few misses tell).
    const need = minShare * xs.length;
    for (const [kind, test] of VALUE_RULES) {
      let hits = 0;
      for (let i = 0; i < xs.length; i++) {
        if (test(xs[i])) hits++;
        else if (hits + xs.length - 1 - i < need) break;
      }
      if (hits >= need) return kind;
    }
  }
  const key = name.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  for (const [kind, re] of NAME_RULES) {
    if (!re.test(key)) continue;
    if (opts.numeric && kind !== 'postcode' && kind !== 'phone' && kind !== 'national_id' && kind !== 'credit_card') continue;
    return kind;
  }
  return undefined;
}

/**
 * Luhn checksum over the digits of `s` (other characters ignored); true when it is valid and there are ≥ 2 digits.
 * @example luhnValid('4539 1488 0343 6467'); // true
 */
export function luhnValid(s: string): boolean {
  let sum = 0, n = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) continue;
    let d = c;
    if (n % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    n++;
  }
  return n >= 2 && sum % 10 === 0;
}

const EMAIL = /^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
const CARD = /^\d(?:[ -]?\d){12,18}$/;
const SSN = /^\d{3}-\d{2}-\d{4}$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6 = /^(?=.*:.*:)[0-9A-Fa-f:]{2,39}$/;
const URL_RE = /^(https?:\/\/|www\.)[^\s]+$/i;
const STREET = /^\d+[A-Za-z]?\s+([A-Za-z0-9.'-]+\s+)*(street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|court|ct|place|pl|way|terrace|square|sq|highway|hwy|parkway|pkwy)\.?(\s+(apt|suite|unit|#)\s*\S+)?$/i;

/** Whether the first character of `s` is an ASCII digit (every rule but email, IPv6, url and phone needs one). */
function digitFirst(s: string): boolean {
  const c = s.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/** Whether the first character of `s` is an ASCII letter. */
function letterFirst(s: string): boolean {
  const c = s.charCodeAt(0) | 32;
  return c >= 97 && c <= 122;
}

function isPhone(s: string): boolean {
  // (A letter first can never match: checked before the pattern, which most text labels would otherwise run.)
  if (letterFirst(s) || !/^\+?[\d\s().-]+$/.test(s)) return false;
  const digits = s.replace(/\D/g, '').length;
  if (digits < 7 || digits > 15) return false;
  return s.startsWith('+') || /[\s().-]/.test(s);
}

function isIp(s: string): boolean {
  const m = digitFirst(s) ? IPV4.exec(s) : null;
  if (m) return m.slice(1).every((x) => Number(x) <= 255);
  return s.includes(':') && IPV6.test(s);
}

/**
 * Each kind's test. A cheap necessary condition (a character the pattern must start with or contain) comes before
 * each pattern: most samples of a text column are words that no rule matches, and a pattern run — or compiled, on a
 * file's first read — for each of them was most of the time `detectPii` took.
 */
const VALUE_RULES: [PiiKind, (s: string) => boolean][] = [
  ['email', (s) => s.includes('@') && EMAIL.test(s)],
  ['credit_card', (s) => digitFirst(s) && CARD.test(s) && luhnValid(s)],
  ['national_id', (s) => digitFirst(s) && SSN.test(s)],
  ['ip_address', isIp],
  ['url', (s) => (s.charCodeAt(0) | 32) === 104 /* h */ || (s.charCodeAt(0) | 32) === 119 /* w */ ? URL_RE.test(s) : false],
  ['phone', isPhone],
  ['street_address', (s) => digitFirst(s) && STREET.test(s)],
];

const NAME_RULES: [PiiKind, RegExp][] = [
  ['email', /(^| )(e ?mail|email address|mail)( |$)/],
  ['phone', /(^| )(phone|telephone|tel|mobile|cell|fax)( |$)|phone/],
  ['national_id', /(^| )(ssn|social security( number)?|national id|passport( number)?|tax id|nin)( |$)/],
  ['credit_card', /(^| )(credit card( number)?|card number|ccn|pan)( |$)/],
  ['ip_address', /(^| )(ip|ip address|ipv4|ipv6)( |$)/],
  ['url', /(^| )(url|website|homepage|web site|link)( |$)/],
  ['postcode', /(^| )(zip|zipcode|zip code|postcode|post code|postal code|postalcode)( |$)/],
  ['street_address', /(^| )(address|street|street address|addr)( |$)/],
  ['person_name', /(^| )(first|last|full|given|middle|family|person|customer|patient|user|client|employee) ?name( |$)|(^| )surname( |$)|^name$/],
];
