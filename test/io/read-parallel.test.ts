import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Table } from '../../src/core/table/table.js';
import fc from 'fast-check';
import { csvPartStats, csvPartTuning } from '../../src/node/io/csv-parallel.js';
import { writeTable } from '../../src/node/io/write.js';
import { readTable } from '../../src/node/io/read.js';
import { SHARED_NAMES, datasetPath, hasShared } from '../helpers/datasets.js';

// Files from `parallelMinBytes` on are parsed in two parts, the second on a worker thread. `parallelMinBytes: 0` forces that
// on small files: the table (schema, codes, dictionaries, values, nulls) and every error must be exactly those of
// one sequential parse.
const dir = mkdtempSync(join(tmpdir(), 'synthops-read-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function plain(t: Table): unknown {
  return {
    schema: t.schema,
    columns: t.columns.map((c) =>
      c.storage === 'numeric' ? { values: Array.from(c.values), nulls: c.nulls ? Array.from(c.nulls) : null } : { codes: Array.from(c.codes), dictionary: c.dictionary },
    ),
  };
}

async function expectSameRead(path: string): Promise<void> {
  const seq = await readTable(path, { parallelMinBytes: Infinity });
  const par = await readTable(path, { parallelMinBytes: 0 });
  expect(plain(par)).toEqual(plain(seq));
}

async function errorOf(path: string, parallelMinBytes: number): Promise<unknown> {
  try {
    await readTable(path, { parallelMinBytes });
  } catch (e) {
    const x = e as { name: string; code: string; message: string; location?: unknown };
    return { name: x.name, code: x.code, message: x.message, location: x.location };
  }
  return 'no error';
}

describe.skipIf(!hasShared)('parallel CSV read of every shared dataset', () => {
  for (const name of SHARED_NAMES) it(`${name}: same table as a sequential read`, () => expectSameRead(datasetPath(name)), 60_000);
});

describe.skipIf(!hasShared)('parallel CSV read uses the worker', () => {
  it('joins the worker’s part once it is running (adult, two parts asked for)', async () => {
    const before = csvPartStats.joined;
    // The first read starts the worker; a later one finds it ready (a few tries: the machine may be busy).
    for (let k = 0; k < 12 && csvPartStats.joined === before; k++) await readTable(datasetPath('adult'), { parallelMinBytes: 0 });
    expect(csvPartStats.joined).toBeGreaterThan(before);
  }, 60_000);
});

describe('parallel CSV read', () => {
  const write = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const rows = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n');

  it('joins columns whose type changes across the cut (numbers then text, dates then few dates, words past 512 labels)', async () => {
    const day = (i: number) => new Date(Date.UTC(2015, 0, 1) + i * 86400000).toISOString().slice(0, 10);
    // Joined: a text column with numbers after the cut, many dates then a few (too few to be tested on their own),
    // words past the 512-label datetime test, numbers with a missing token.
    const text = 'n,d,w,m\n' + rows(3000, (i) => [i === 10 ? 'x' : String(i % 7), i < 1500 ? day(i) : day(i % 30), 'w' + (i % 700), i % 9 === 0 ? 'NA' : String(i / 4)].join(','));
    await expectSameRead(write('types.csv', text + '\n'));
    await expectSameRead(write('types-noeol.csv', text));
    // Not joined (the second part is parsed again on this thread): numbers, then text with many labels after the cut.
    await expectSameRead(write('types-late-text.csv', 'n\n' + rows(3000, (i) => (i < 2000 ? String(i % 7) : i > 2900 && i % 50 === 0 ? 'x' : String(i))) + '\n'));
  });

  it('handles quoted fields with newlines across any of the pieces’ bounds', async () => {
    for (const span of [3, 40, 400]) {
      const text = 'a,b,c\n' + rows(3000, (i) => (i % 97 === 5 ? `${i},"${'x\n'.repeat(span)}end",${i % 5}` : `${i},q${i % 3},${i % 5}`)) + '\n';
      await expectSameRead(write(`quoted-${span}.csv`, text));
    }
  });

  it('handles a quoted field with newlines across the cut and a BOM', async () => {
    const text = '\uFEFFa,b\n' + rows(400, (i) => (i === 200 ? `1,"line\n${'x\n'.repeat(200)}end"` : `${i},"q${i % 3}"`)) + '\r\n';
    await expectSameRead(write('quoted.csv', text));
  });

  it('gives the same error, with the row counted over the whole file, for a bad row in the second part', async () => {
    const p = write('ragged.csv', 'a,b\n' + rows(1000, (i) => (i === 900 ? '1,2,3' : `${i},${i}`)) + '\n');
    const seq = await errorOf(p, Infinity);
    expect(seq).toMatchObject({ code: 'invalid_input' });
    expect(await errorOf(p, 0)).toEqual(seq);
    const q = write('unclosed.csv', 'a,b\n' + rows(1000, (i) => (i === 950 ? '1,"open' : `${i},${i}`)) + '\n');
    expect(await errorOf(q, 0)).toEqual(await errorOf(q, Infinity));
    const u = join(dir, 'utf8.csv');
    writeFileSync(u, Buffer.concat([Buffer.from('a,b\n' + rows(1000, (i) => `${i},${i}`) + '\n'), Buffer.from([0x31, 0x2c, 0xff, 0x0a])]));
    const bad = await errorOf(u, Infinity);
    expect(bad).toMatchObject({ code: 'invalid_input' });
    expect(await errorOf(u, 0)).toEqual(bad);
  });

  /** 1M-style mixed rows: a sorted key, numbers, few labels, dates, missing tokens; `change` rows on, a column turns to text. */
  const mixed = (n: number, change: number, longHead: number) =>
    'id,x,y,k,cat,day,t,flag\n' +
    rows(n, (i) =>
      [
        'R' + String(i).padStart(8, '0'),
        (i * 0.37).toFixed(3),
        i % 11 === 0 ? 'NA' : String(i % 1000),
        i === change ? 'oops' : String(i % 5),
        'c' + (i % 17),
        new Date(Date.UTC(2010, 0, 1) + (i % 3000) * 86400000).toISOString().slice(0, 10),
        new Date(Date.UTC(2010, 0, 1) + i * 60000).toISOString().slice(0, 19).replace('T', ' '),
        // Long fields in the first rows: the bytes per row estimated from the first 64 KiB are then too high.
        i < longHead ? 'z'.repeat(200) : i % 3 === 0 ? '' : 'yes',
      ].join(','),
    ) +
    '\n';

  it('gives the sequential table when the shared arrays’ regions are too small or too large (slack forced)', async () => {
    const p = write('mixed-slack.csv', mixed(6000, 4500, 0));
    const long = write('mixed-longhead.csv', mixed(6000, -1, 300));
    const before = csvPartTuning.slack;
    try {
      for (const slack of [-0.6, -0.05, 0, 0.03, 0.5]) {
        csvPartTuning.slack = slack;
        await expectSameRead(p);
        await expectSameRead(long);
      }
    } finally {
      csvPartTuning.slack = before;
    }
  }, 60_000);

  it('gives the sequential table with a late worker, and with one that fails each piece after writing its rows', async () => {
    const p = write('mixed-late.csv', mixed(6000, 3000, 0));
    try {
      csvPartTuning.delayMs = 300;
      await expectSameRead(p);
      csvPartTuning.delayMs = 0;
      csvPartTuning.fail = true;
      for (let k = 0; k < 3; k++) await expectSameRead(p);
      csvPartTuning.pieces = 8;
      await expectSameRead(p);
    } finally {
      csvPartTuning.delayMs = 0;
      csvPartTuning.fail = false;
      csvPartTuning.pieces = 4;
    }
  }, 60_000);

  it('joins the worker’s pieces in place (in the shared arrays) once it is running', async () => {
    const p = write('mixed-inplace.csv', mixed(8000, -1, 0));
    const before = csvPartStats.inPlace;
    for (let k = 0; k < 12 && csvPartStats.inPlace === before; k++) await expectSameRead(p);
    expect(csvPartStats.inPlace).toBeGreaterThan(before);
  }, 60_000);

  it('property: mixed files with a type change, quoted fields and long rows anywhere read as one sequential read', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 50, max: 4000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 400 }),
        fc.constantFrom(-0.3, 0, 0.03),
        fc.integer({ min: -1, max: 30 }),
        async (n, at, longHead, slack, quoteEvery) => {
          let text = mixed(n, Math.floor(n * at), longHead);
          // Quoted fields (some with newlines) in the flag column.
          if (quoteEvery > 0) text = text.replace(/,yes\n/g, (m, off: number) => (off % (quoteEvery * 7) === 0 ? ',"y\nes"\n' : m));
          const p = write('mixed-prop.csv', text);
          const before = csvPartTuning.slack;
          csvPartTuning.slack = slack;
          try {
            await expectSameRead(p);
          } finally {
            csvPartTuning.slack = before;
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 180_000);

  it('a table read in two parts (arrays on SharedArrayBuffers) writes and reads back as Parquet and CSV', async () => {
    const p = write('mixed-write.csv', mixed(5000, -1, 0));
    const seq = await readTable(p, { parallelMinBytes: Infinity });
    let par = await readTable(p, { parallelMinBytes: 0 });
    for (let k = 0; k < 8 && !par.columns.some((c) => (c.storage === 'numeric' ? c.values : c.codes).buffer instanceof SharedArrayBuffer); k++) par = await readTable(p, { parallelMinBytes: 0 });
    for (const fmt of ['parquet', 'csv'] as const) {
      const out = join(dir, `back.${fmt}`);
      await writeTable(out, par);
      const a = await readTable(out);
      await writeTable(out, seq);
      const b = await readTable(out);
      expect(plain(a)).toEqual(plain(b));
    }
  }, 60_000);
});

