import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectDelimiter, readTable } from '../../src/node/io/read.js';
import { writeTable } from '../../src/node/io/write.js';

const dir = mkdtempSync(join(tmpdir(), 'synthops-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

describe('readTable: CSV dialects', () => {
  it('handles a BOM, CRLF line ends, quoted delimiters and embedded newlines', async () => {
    const p = file('dialect.csv', '\uFEFFid,note,score\r\n1,"a, b",1.5\r\n2,"line one\r\nline two",2.25\r\n3,"say ""hi""",\r\n');
    const t = await readTable(p);
    expect(t.columnNames).toEqual(['id', 'note', 'score']);
    expect(t.numRows).toBe(3);
    expect(t.column('note').get(0)).toBe('a, b');
    expect(t.column('note').get(1)).toBe('line one\r\nline two');
    expect(t.column('note').get(2)).toBe('say "hi"');
    expect(t.column('score').get(2)).toBeNull();
    const out = join(dir, 'dialect-out.csv');
    await writeTable(out, t);
    const again = await readTable(out);
    for (const c of t.columnNames) for (let i = 0; i < 3; i++) expect(again.column(c).get(i)).toBe(t.column(c).get(i));
  });

  it('detects ; | and tab delimiters', async () => {
    expect(detectDelimiter('a;b;c\n1;2;3\n')).toBe(';');
    expect(detectDelimiter('a|b\n1|2\n')).toBe('|');
    expect(detectDelimiter('a\tb\n1\t2\n')).toBe('\t');
    expect(detectDelimiter('a,b;c\n1,2;3\n')).toBe(',');
    const t = await readTable(file('semi.csv', 'x;y\n1,5;a\n2,5;b\n'));
    expect(t.columnNames).toEqual(['x', 'y']);
    expect(t.column('x').get(0)).toBe('1,5');
  });

  it('.tsv uses tabs; writes keep the missing token and datetime format', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i % 4 === 0 ? 'NA' : (i * 1.5).toFixed(1)}\t03/${String((i % 28) + 1).padStart(2, '0')}/2021`);
    const p = file('t.tsv', 'v\twhen\n' + rows.join('\n') + '\n');
    const t = await readTable(p);
    expect(t.spec('v')).toMatchObject({ type: 'numerical', missingToken: 'NA', decimals: 1 });
    expect(t.spec('when')).toMatchObject({ type: 'datetime', format: 'MM/DD/YYYY' });
    const out = join(dir, 'out.tsv');
    await writeTable(out, t);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(p, 'utf8'));
  });
});

describe('readTable: JSON lines and Parquet', () => {
  it('JSON lines: keys in order of appearance, late keys padded with missing, nested values as JSON', async () => {
    const p = file('x.jsonl', '{"a":1,"b":"x"}\n\n{"a":2.5,"b":null,"c":true}\n{"a":null,"b":"y","c":false,"d":{"k":[1]}}\n');
    const t = await readTable(p);
    expect(t.columnNames).toEqual(['a', 'b', 'c', 'd']);
    expect([0, 1, 2].map((i) => t.column('a').get(i))).toEqual([1, 2.5, null]);
    expect([0, 1, 2].map((i) => t.column('c').get(i))).toEqual([null, 'true', 'false']);
    expect(t.column('d').get(2)).toBe('{"k":[1]}');
  });

  it('a bad JSON line names its line', async () => {
    const p = file('bad.jsonl', '{"a":1}\n{"a":\n');
    await expect(readTable(p)).rejects.toMatchObject({ code: 'invalid_input', location: { file: p, line: 2 }, message: expect.stringMatching(/^invalid JSON line/) });
  });

  it('Parquet keeps nulls, labels and datetimes', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${i % 5 === 0 ? '' : i},${['a', 'b', ''][i % 3]},2020-01-${String((i % 28) + 1).padStart(2, '0')} 10:00:00`);
    const src = await readTable(file('p.csv', 'n,c,t\n' + rows.join('\n') + '\n'));
    const out = join(dir, 'p.parquet');
    await writeTable(out, src);
    const t = await readTable(out);
    expect(t.schema.columns.map((c) => c.type)).toEqual(src.schema.columns.map((c) => c.type));
    for (const c of src.columnNames) for (let i = 0; i < 40; i++) expect(t.column(c).get(i)).toBe(src.column(c).get(i));
  });
});
