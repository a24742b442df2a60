import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TableBuilder } from '../../src/core/table/infer-builder.js';
import type { Table } from '../../src/core/table/table.js';
import { ByteFileReader, readDelimitedBytes } from '../../src/node/io/csv-bytes.js';
import { CsvParser } from '../../src/node/io/csv-parser.js';
import { detectDelimiter } from '../../src/node/io/read.js';
import { SHARED_NAMES, datasetPath, hasShared } from '../helpers/datasets.js';

// `readTable` reads delimited files from their bytes (csv-bytes.ts) and falls back to the text parser
// (`CsvParser` over the decoded text) for anything it does not handle. The byte reader must build exactly the table
// the text parser builds: schema, codes, dictionaries, values and nulls.
const dir = mkdtempSync(join(tmpdir(), 'synthops-read-bytes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function plain(t: Table): unknown {
  return {
    schema: t.schema,
    columns: t.columns.map((c) =>
      c.storage === 'numeric' ? { values: Array.from(c.values, (v) => (Object.is(v, -0) ? '-0' : v)), nulls: c.nulls ? Array.from(c.nulls) : null } : { codes: Array.from(c.codes), dictionary: c.dictionary },
    ),
  };
}

/** The text parser's table (the reference), fed in pieces of `piece` characters. */
function viaText(path: string, delimiter: string, piece = 1 << 16): Table {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
  const p = new CsvParser({ delimiter, start: (names) => new TableBuilder(names) });
  for (let i = 0; i < text.length; i += piece) p.write(text.slice(i, i + piece));
  return p.end().finish();
}

/** The byte reader's table; `wasm: false` reads every batch with the TypeScript loops (default: the WebAssembly scanners). */
async function viaBytes(path: string, delimiter: string, chunkBytes?: number, batchRows?: number, wasm?: boolean): Promise<Table | null> {
  const b = await readDelimitedBytes(path, statSync(path).size, { delimiter, chunkBytes, batchRows, wasm, start: (names) => new TableBuilder(names) });
  return b && b.finish();
}

describe.skipIf(!hasShared)('byte CSV reader on every shared dataset', () => {
  for (const name of SHARED_NAMES) {
    it(`${name}: the text parser's table, read in one piece (WebAssembly scanners, and TypeScript alone) and in 64 KiB pieces of 7-row batches`, async () => {
      const path = datasetPath(name);
      const delimiter = detectDelimiter(readFileSync(path, 'utf8').slice(0, 65536));
      const want = plain(viaText(path, delimiter));
      const whole = await viaBytes(path, delimiter);
      expect(whole).not.toBeNull();
      expect(plain(whole!)).toEqual(want);
      expect(plain((await viaBytes(path, delimiter, undefined, undefined, false))!)).toEqual(want);
      expect(plain((await viaBytes(path, delimiter, 1 << 16, 7))!)).toEqual(want);
    }, 60_000);
  }
});

describe('byte CSV reader', () => {
  let k = 0;
  const write = (bytes: string | Buffer): string => {
    const p = join(dir, `f${k++}.csv`);
    writeFileSync(p, bytes);
    return p;
  };

  it('builds the text parser’s table for generated files: quotes, "" escapes, embedded CR/LF, CRLF, BOM, missing tokens, non-ASCII, numbers, dates, any chunk size (property)', async () => {
    const cell = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('', 'NA', '-', '0', '-0', '12', '007', '3.50', '-2.25', '1e5', '1.5e-7', '123456789012345678', '0.1000000000000000055511', '2019-03-23', '2019-03-23 20:21:09', '2019-02-30') },
      { weight: 3, arbitrary: fc.constantFrom('red', 'green', 'blue', 'true', 'false', 'é', 'naïve', '東京', '😀x') },
      { weight: 2, arbitrary: fc.constantFrom('a,b', 'say "hi"', 'x\r\ny', 'line\nbreak', '"', '""', ' ', 'tail\r') },
      { weight: 2, arbitrary: fc.integer({ min: -5000, max: 5000 }).map((i) => String(i / 100)) },
      { weight: 1, arbitrary: fc.string({ maxLength: 5 }) },
    );
    const quote = (s: string, always: boolean) => (always || /[",\r\n]/.test(s) || s.startsWith('"') ? `"${s.replace(/"/g, '""')}"` : s);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 5 }).chain((w) => fc.tuple(fc.constant(w), fc.array(fc.array(cell, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 40 }))),
        fc.record({ crlf: fc.boolean(), bom: fc.boolean(), eol: fc.boolean(), quoteAll: fc.boolean(), blank: fc.boolean(), chunk: fc.integer({ min: 1, max: 300 }), batch: fc.integer({ min: 1, max: 40 }), typed: fc.boolean(), wasm: fc.boolean() }),
        async ([w, rows], o) => {
          // A typed column block first (many numbers or dates) so the columns are not all text from the start.
          const lead = o.typed ? Array.from({ length: 30 }, (_, i) => Array.from({ length: w }, (_, j) => (j % 2 ? String(i * 7 - 40) : `2020-01-${String((i % 28) + 1).padStart(2, '0')}`))) : [];
          const nl = o.crlf ? '\r\n' : '\n';
          const lines = [Array.from({ length: w }, (_, j) => `c${j}`), ...lead, ...rows].map((r) => r.map((s) => quote(s, o.quoteAll)).join(','));
          if (o.blank) lines.splice(1, 0, '');
          const text = (o.bom ? '\uFEFF' : '') + lines.join(nl) + (o.eol ? nl : '');
          const path = write(text);
          let want: unknown;
          try {
            want = plain(viaText(path, ','));
          } catch {
            want = 'error';
          }
          // Cut anywhere: in chunks of o.chunk bytes and batches of o.batch rows (read a column at a time, by the
          // WebAssembly scanners or the TypeScript loops), or not.
          for (const [chunk, batch, wasm] of [[o.chunk, o.batch, o.wasm], [undefined, undefined, true]] as const) {
            const got = await viaBytes(path, ',', chunk, batch, wasm);
            // Where the text parser fails (e.g. a header-only file) the byte reader must give up, not build a table.
            if (want === 'error') expect(got).toBeNull();
            else {
              expect(got).not.toBeNull();
              expect(plain(got!)).toEqual(want);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  }, 120_000);

  it('builds the text parser’s table when unquoted fields hold lone CRs, CRLF row ends, long or odd numbers, labels that are prefixes of others and column type changes far into the file (property)', async () => {
    // Fields are read in one pass (the end found while the value is parsed, a label guessed from its first two
    // bytes and compared): every way a value can stop early or run on past a guess.
    const cell = fc.oneof(
      fc.constantFrom('', '-', '12', '-0', '0.5', '1.', '.5', '12a', '1e5', '1234567890123456', '999999999999999', '1000000000000000', '-99999999.9999999', '0.000999999999999999', '9999999.99999999', '12345678901234567890', '-98765432109876543210.5', '0.00000000000000000001', '18446744073709551617', '12\r', 'a\rb', '\r', 'x\ty', '2020-01-02', '2020-01-02x', '2020-01-0', 'red', 'r\u00e9d', 'redd', 're', 'r', 'red\r', 'rex'),
      fc.integer({ min: -999, max: 999 }).map(String),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 4 }).chain((w) => fc.tuple(fc.constant(w), fc.array(fc.array(cell, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 30 }))),
        fc.record({ crlf: fc.boolean(), eol: fc.boolean(), lead: fc.integer({ min: 0, max: 600 }), chunk: fc.integer({ min: 1, max: 200 }), batch: fc.integer({ min: 1, max: 700 }), wasm: fc.boolean() }),
        async ([w, rows], o) => {
          const lead = Array.from({ length: o.lead }, (_, i) => Array.from({ length: w }, (_, j) => (j === 0 ? `2021-03-${String((i % 28) + 1).padStart(2, '0')}` : j === 1 ? `k${i}` : String(i))));
          const nl = o.crlf ? '\r\n' : '\n';
          const text = [Array.from({ length: w }, (_, j) => `c${j}`), ...lead, ...rows].map((r) => r.join(',')).join(nl) + (o.eol ? nl : '');
          const path = write(text);
          let want: unknown;
          try {
            want = plain(viaText(path, ','));
          } catch {
            want = 'error';
          }
          for (const [chunk, batch, wasm] of [[o.chunk, o.batch, o.wasm], [undefined, undefined, true]] as const) {
            const got = await viaBytes(path, ',', chunk, batch, wasm);
            if (want === 'error') expect(got).toBeNull();
            else {
              expect(got).not.toBeNull();
              expect(plain(got!)).toEqual(want);
            }
          }
        },
      ),
      { numRuns: 120 },
    );
  }, 120_000);

  it('reads ISO dates (the three formats the WebAssembly scanner reads) as the text parser does: leap days, years before 1970 and from 0000, bad days, months, hours, separators (property)', async () => {
    // 600 distinct dates first, so the column turns datetime while it is read (at its 512th label), then any cell.
    // (f: 0 `YYYY-MM-DD`, 1 `YYYY-MM-DD HH:mm:ss`, 2 `YYYY-MM-DDTHH:mm:ss`.)
    const p2 = (n: number) => String(n).padStart(2, '0');
    const date = (y: number, m: number, d: number, h: number, mi: number, s: number, f: number) => `${String(y).padStart(4, '0')}-${p2(m)}-${p2(d)}` + (f === 0 ? '' : `${f === 1 ? ' ' : 'T'}${p2(h)}:${p2(mi)}:${p2(s)}`);
    // Most cells in the column's own format (one cell it does not read turns the column to text for good), a few not;
    // years often at the edges (0000, whose January and February come before year 0 in the day count; 1900, 2000).
    const year = fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 1, 1900, 1969, 1970, 2000, 2024));
    const cellsOf = (f: number) =>
      fc.array(
        fc.oneof(
          { weight: 12, arbitrary: fc.tuple(year, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 })).map(([y, m, d, h, mi, s]) => date(y, m, d, h, mi, s, f)) },
          { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 2 })).map(([y, m, d, g]) => date(y, m, d, 1, 2, 3, g)) },
          { weight: 1, arbitrary: fc.constantFrom('2000-02-29', '1900-02-29', '2024-02-29', '2023-02-29', '1969-12-31', '0000-01-01', '0000-03-01', '9999-12-31 23:59:59', '2021-03-04T05:06:07', '2021-03-04 05:06:07', '2021-03-04x05:06:07', '2021/03/04', '2021-3-04', '', 'NA', 'x', '12') },
        ),
        { minLength: 1, maxLength: 40 },
      );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 }).chain((f) => fc.tuple(fc.constant(f), cellsOf(f))),
        fc.record({ crlf: fc.boolean(), batch: fc.integer({ min: 1, max: 700 }) }),
        async ([f, cells], o) => {
          const lead = Array.from({ length: 600 }, (_, i) => date(1950 + (i % 90), (i % 12) + 1, (i % 28) + 1, i % 24, i % 60, (i * 7) % 60, f));
          const nl = o.crlf ? '\r\n' : '\n';
          const path = write(['when,n', ...[...lead, ...cells].map((c, i) => `${c},${i}`)].join(nl) + nl);
          const want = plain(viaText(path, ','));
          for (const wasm of [true, false]) expect(plain((await viaBytes(path, ',', undefined, o.batch, wasm))!)).toEqual(want);
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it('gives up (the text reader then reports the error) on invalid UTF-8, ragged rows, bad quoting, a one-column table and CR-only files', async () => {
    const cases = [
      Buffer.concat([Buffer.from('a,b\n1,2\n'), Buffer.from([0x31, 0x2c, 0xff, 0x0a])]),
      'a,b,c\n1,2,3\n4,5\n',
      'a,b\n1,2\n3,4,5\n',
      'a,b\n1,"2,3\n4,5\n',
      'a,b\n1,"2"x\n',
      'a\n1\n\n2\n',
    ];
    for (const c of cases) for (const [chunk, batch] of [[3, 1], [undefined, undefined]]) for (const wasm of [true, false]) expect(await viaBytes(write(c), ',', chunk, batch, wasm)).toBeNull();
  });

  it('builds the same table with the WebAssembly scanners when label tables outgrow the memory, a column passes their label limit or turns to text late, and a batch outgrows its region', async () => {
    // 40 text columns of 3000 distinct 24-byte labels each (their tables grow the workspace's memory again and
    // again in the middle of batches), one of 9000 (past the tables' limit: read in TypeScript from there), a number
    // column that turns to text after 5000 rows (its thousands of labels copied in at once), then rows of 3 KB (a
    // batch of 1024 is bigger than the region batches are first copied to).
    const rnd = (i: number, j: number) => ((i * 2654435761 + j * 40503) >>> 0) % 3000;
    const lines = [['n', 'wide', 'late', ...Array.from({ length: 40 }, (_, j) => `t${j}`)].join(',')];
    for (let i = 0; i < 12000; i++) {
      const wide = i >= 11000 ? 'w'.repeat(3000) + (i % 7) : `k${(i * 7919) % 9000}`;
      const late = i < 5000 ? String(i % 1500) : `L${i % 2500}`;
      lines.push([String(i % 97), wide, late, ...Array.from({ length: 40 }, (_, j) => `label-${j}-${String(rnd(i, j)).padStart(12, '0')}`)].join(','));
    }
    const path = write(lines.join('\n') + '\n');
    const want = plain(viaText(path, ','));
    for (const wasm of [true, false]) expect(plain((await viaBytes(path, ',', undefined, undefined, wasm))!)).toEqual(want);
  }, 120_000);

  it('reads in 60-row builders, without giving up, when a 1.5 MB field makes it hold longer stretches and every builder starts new label tables', async () => {
    // The WebAssembly workspace moves the stretch it holds to a bigger region of its heap; each new builder drops the
    // label tables made before (their heap is taken again), which must leave the region alone. (Corrupted bytes would
    // make the reader give up, and the text reader would hide it: so the reader must finish by itself.)
    const label = (i: number, j: number) => `v${j}-${(i * (j + 3)) % 300}${'z'.repeat((i + j) % 30)}`;
    const rows = Array.from({ length: 24_000 }, (_, i) => [i, i === 3 ? 'q'.repeat(1_500_000) : label(i, 10), ...Array.from({ length: 10 }, (_, j) => label(i, j))].join(','));
    const path = write(['id', 't', ...Array.from({ length: 10 }, (_, j) => `g${j}`)].join(',') + '\n' + rows.join('\n') + '\n');
    const r = (await ByteFileReader.open(path, { delimiter: ',', rowsPerBuilder: 60, start: (names) => new TableBuilder(names) }))!;
    const parts: Table[] = [];
    try {
      const steps = r.stream(statSync(path).size);
      for (;;) {
        const s = await steps.next();
        if (s.done) {
          expect(s.value).not.toBeNull();
          if (s.value!.numRows > 0) parts.push(s.value!.finish()); // (the rows after the last full builder: none here)
          break;
        }
        parts.push(s.value.finish());
      }
    } finally {
      await r.close();
    }
    expect(parts.length).toBe(400);
    const whole = viaText(path, ',');
    const col = (t: Table, name: string) => Array.from({ length: t.numRows }, (_, i) => t.column(name).get(i));
    for (const name of ['id', 't', 'g0', 'g9']) expect(parts.flatMap((t) => col(t, name))).toEqual(col(whole, name));
  }, 60_000);

  it('reads TSV and semicolon files, and rows longer than the chunk', async () => {
    const long = 'x'.repeat(5000);
    const t = write(`a\tb\n1\t${long}\n2\t"${long}\n${long}"\n`);
    expect(plain((await viaBytes(t, '\t', 64))!)).toEqual(plain(viaText(t, '\t')));
    const s = write('a;b\n1,5;x\n2,5;y\n');
    expect(plain((await viaBytes(s, ';', 4))!)).toEqual(plain(viaText(s, ';')));
  });
});
