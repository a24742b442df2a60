import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TableBuilder } from '../../core/table/infer-builder.js';
import { CsvParser } from './csv-parser.js';

/** Parses `text` cut into the given pieces; returns the rows as text (categorical columns give labels back). */
function parse(pieces: string[], delimiter = ','): string[][] {
  const p = new CsvParser({ delimiter, start: (names) => new TableBuilder(names), file: 'x.csv' });
  for (const s of pieces) p.write(s);
  const b = p.end();
  // Every column read as categorical, so each cell comes back as the text it was written as.
  const t = b.finish({ schema: { specVersion: 1, columns: b.columns.map((c) => ({ name: c.name, type: 'categorical' as const, nullable: true })) } });
  return [t.columnNames, ...Array.from({ length: t.numRows }, (_, i) => t.columns.map((c) => String(c.get(i) ?? '')))];
}

/** Cuts `text` at the given fractions. */
function cut(text: string, at: number[]): string[] {
  const idx = [...new Set(at.map((f) => Math.floor(f * text.length)))].sort((a, b) => a - b);
  const out: string[] = [];
  let prev = 0;
  for (const i of idx) {
    out.push(text.slice(prev, i));
    prev = i;
  }
  out.push(text.slice(prev));
  return out;
}

const quote = (s: string) => (/[",\r\n]/.test(s) || s === '' ? '"' + s.replace(/"/g, '""') + '"' : s);

describe('CsvParser', () => {
  it('gives the same rows however the text is cut into chunks, with quotes, embedded newlines and CRLF (property)', () => {
    const field = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('a,b', 'say "hi"', 'x\r\ny', 'line\nbreak', '"', '""', ' ', 'é€😀'));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((w) => fc.tuple(fc.constant(w), fc.array(fc.array(field, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 8 }))),
        fc.boolean(),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        ([w, rows], crlf, at) => {
          const eol = crlf ? '\r\n' : '\n';
          const header = Array.from({ length: w }, (_, j) => `c${j}`);
          // Every field quoted so that empty fields and spaces survive; the expected rows are the fields themselves.
          const text = header.join(',') + eol + rows.map((r) => r.map((f) => '"' + f.replace(/"/g, '""') + '"').join(',')).join(eol) + eol;
          const whole = parse([text]);
          expect(whole).toEqual([header, ...rows]);
          expect(parse(cut(text, at))).toEqual(whole);
        },
      ),
      { seed: 7, numRuns: 400 },
    );
  });

  it('unquoted rows: chunk cuts anywhere give the same table; minimal quoting reads back the same fields', () => {
    const rows = Array.from({ length: 50 }, (_, i) => [String(i), (i * 0.25).toFixed(2), ['red', 'green', 'a,b', ''][i % 4], i % 5 ? `t${i}` : 'x"y']);
    const text = 'id,v,c,t\n' + rows.map((r) => r.map(quote).join(',')).join('\n');
    const whole = parse([text]);
    expect(whole.slice(1)).toEqual(rows);
    for (let k = 1; k < text.length; k += 7) expect(parse([text.slice(0, k), text.slice(k)])).toEqual(whole);
  });

  it('skips empty lines, reads a last line without a newline, and a one-column table keeps empty lines as missing', () => {
    expect(parse(['a,b\r\n\r\n1,2\n\n3,4'])).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
    expect(parse(['a\n1\n\n3\n'])).toEqual([['a'], ['1'], [''], ['3']]);
    expect(parse(['a;b\n1;2\n'], ';')).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('old Mac line ends (CR only)', () => {
    const p = new CsvParser({ delimiter: ',', newline: '\r', start: (n) => new TableBuilder(n) });
    p.write('a,b\r1,"x\r\ny"\r3,4\r');
    const t = p.end().finish();
    expect(t.numRows).toBe(2);
    expect(t.column('b').get(0)).toBe('x\r\ny');
  });

  it('ragged rows, unclosed quotes and text after a closing quote are errors naming the file and the row, not the value', () => {
    const err = (text: string) => {
      try {
        parse(cut(text, [0.5]));
      } catch (e) {
        return { message: (e as Error).message, location: (e as { location?: unknown }).location };
      }
      return null;
    };
    expect(err('a,b,c\n1,2,3\n4,5\n')).toEqual({ message: 'invalid row: it has 2 fields but the header has 3. Check delimiters and quotes.', location: { file: 'x.csv', row: 1 } });
    expect(err('a,b\n1,2\n3,4,secret\n')).toMatchObject({ message: expect.stringMatching(/^invalid row: it has 3 fields/), location: { file: 'x.csv', row: 1 } });
    expect(err('a,b\n1,"2,3\n4,5\n')).toMatchObject({ message: expect.stringMatching(/^invalid quoting: a quoted field is not closed/), location: { row: 0 } });
    expect(err('a,b\n1,"2"secret\n')).toMatchObject({ message: expect.stringMatching(/^invalid quoting: text follows a closing quote/), location: { row: 0 } });
    expect(err('a,"b\n')).toMatchObject({ message: expect.stringMatching(/^invalid quoting/), location: { line: 1 } });
    for (const t of ['a,b,c\n1,2,3\n4,5\n', 'a,b\n1,2\n3,4,secret\n', 'a,b\n1,"2"secret\n']) expect(err(t)?.message).not.toMatch(/secret/);
  });
});
