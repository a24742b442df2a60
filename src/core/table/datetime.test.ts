import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DATETIME_CANDIDATES, compileDatetimeFormat, detectDatetimeFormat, strftimeToFormat } from './datetime.js';

describe('compileDatetimeFormat', () => {
  it('parses and prints YYYY-MM-DD HH:mm:ss in UTC', () => {
    const f = compileDatetimeFormat('YYYY-MM-DD HH:mm:ss');
    expect(f.parse('2019-03-23 20:21:09')).toBe(Date.UTC(2019, 2, 23, 20, 21, 9));
    expect(f.format(Date.UTC(2019, 2, 23, 20, 21, 9))).toBe('2019-03-23 20:21:09');
  });

  it('is strict: wrong width, impossible dates and trailing text are NaN', () => {
    const f = compileDatetimeFormat('YYYY-MM-DD');
    for (const s of ['2019-3-23', '2019-02-30', '2019-13-01', '2019-03-23x', '19-03-23', '']) expect(f.parse(s)).toBeNaN();
    expect(f.parse('2020-02-29')).toBe(Date.UTC(2020, 1, 29));
    expect(f.parse('1900-02-29')).toBeNaN();
  });

  it('unpadded tokens refuse leading zeros so printing gives the same text', () => {
    const f = compileDatetimeFormat('M/D/YYYY');
    expect(f.parse('1/5/2020')).toBe(Date.UTC(2020, 0, 5));
    expect(f.parse('01/5/2020')).toBeNaN();
    expect(f.format(Date.UTC(2020, 11, 25))).toBe('12/25/2020');
  });

  it('parseBytes of the ISO formats gives what parse gives, on near-dates of every kind (property)', () => {
    const enc = new TextEncoder();
    const ch = fc.constantFrom('0', '1', '2', '3', '5', '9', '-', ':', ' ', 'T', 'x', '/');
    const near = fc.tuple(fc.date({ min: new Date(-30000000000000), max: new Date(253402300799000), noInvalidDate: true }), fc.array(fc.tuple(fc.nat(19), ch), { maxLength: 2 }), fc.integer({ min: -1, max: 1 }));
    for (const pattern of ['YYYY-MM-DD', 'YYYY-MM-DD HH:mm:ss', 'YYYY-MM-DDTHH:mm:ss']) {
      const f = compileDatetimeFormat(pattern);
      expect(f.byteWidth).toBe(pattern.length);
      fc.assert(
        fc.property(near, ([d, edits, cut]) => {
          // A real date's text, with a few characters changed and maybe one too few or too many.
          const chars = [...f.format(Math.floor(d.getTime() / 1000) * 1000)];
          for (const [i, c] of edits) if (i < chars.length) chars[i] = c;
          const text = (cut < 0 ? chars.slice(1) : cut > 0 ? [...chars, '0'] : chars).join('');
          const bytes = enc.encode('|' + text + '|');
          expect(Object.is(f.parseBytes!(bytes, 1, bytes.length - 1), f.parse(text))).toBe(true);
        }),
        { seed: 11, numRuns: 400 },
      );
    }
  });

  it('ZZ offsets convert to UTC', () => {
    expect(compileDatetimeFormat('YYYY-MM-DDTHH:mm:ssZZ').parse('2020-01-01T02:00:00+02:00')).toBe(Date.UTC(2020, 0, 1));
  });

  it('every candidate format: format → parse is the identity on whole seconds (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1000, 0, 1) / 1000, max: Date.UTC(9999, 11, 31) / 1000 }), fc.constantFrom(...DATETIME_CANDIDATES), (sec, pattern) => {
        const f = compileDatetimeFormat(pattern);
        const text = f.format(sec * 1000);
        expect(f.format(f.parse(text))).toBe(text);
      }),
      { seed: 7, numRuns: 400 },
    );
  });

  it('rejects a pattern without a year', () => {
    expect(() => compileDatetimeFormat('HH:mm')).toThrow(/YYYY/);
  });
});

describe('detectDatetimeFormat', () => {
  it('finds the format of shared-data examples', () => {
    expect(detectDatetimeFormat(['2019-03-23 20:21:09', '2019-03-01 08:00:00'])).toBe('YYYY-MM-DD HH:mm:ss');
    expect(detectDatetimeFormat(['1990-01-08', '2001-12-31'])).toBe('YYYY-MM-DD');
    expect(detectDatetimeFormat(['2020-01-01T10:00:00Z'])).toBe('YYYY-MM-DDTHH:mm:ssZ');
  });

  it('prefers month-first, switching to day-first when a first field exceeds 12', () => {
    expect(detectDatetimeFormat(['03/04/2020', '12/01/2020'])).toBe('MM/DD/YYYY');
    expect(detectDatetimeFormat(['03/04/2020', '25/01/2020'])).toBe('DD/MM/YYYY');
  });

  it('says undefined for numbers, words and mixed formats', () => {
    expect(detectDatetimeFormat(['12', '13.5'])).toBeUndefined();
    expect(detectDatetimeFormat(['Manhattan', 'Queens'])).toBeUndefined();
    expect(detectDatetimeFormat(['2020-01-01', '01/02/2020'])).toBeUndefined();
    expect(detectDatetimeFormat([])).toBeUndefined();
  });
});

describe('strftimeToFormat', () => {
  it('maps SDV datetime formats', () => {
    expect(strftimeToFormat('%Y-%m-%d %H:%M:%S')).toBe('YYYY-MM-DD HH:mm:ss');
    expect(strftimeToFormat('%m/%d/%Y')).toBe('MM/DD/YYYY');
    expect(strftimeToFormat('%b %d %Y')).toBeUndefined();
  });
});
