import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectDrift } from '../../src/core/drift/detect.js';
import { profileTable } from '../../src/core/profile/profile.js';
import { TableBuilder } from '../../src/core/table/infer-builder.js';
import type { Schema } from '../../src/core/table/schema.js';
import type { Table } from '../../src/core/table/table.js';
import { CsvParser } from '../../src/node/io/csv-parser.js';
import { loadInput } from '../../src/cli/commands/profile.js';
import { run } from '../../src/cli/main.js';
import { readTable, readTableChunks } from '../../src/node/io/read.js';
import { datasetPath, hasShared } from '../helpers/datasets.js';

const dir = mkdtempSync(join(tmpdir(), 'synthops-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const io = { stdout: () => undefined, stderr: () => undefined, cwd: dir, isTTY: false, env: {}, signal: new AbortController().signal };

async function chunks(path: string, rowsPerChunk: number): Promise<Table[]> {
  const out: Table[] = [];
  for await (const t of readTableChunks(path, { rowsPerChunk })) out.push(t);
  return out;
}

function plain(t: Table): unknown {
  return {
    schema: t.schema,
    columns: t.columns.map((c) =>
      c.storage === 'numeric' ? { values: Array.from(c.values, (v) => (Object.is(v, -0) ? '-0' : v)), nulls: c.nulls ? Array.from(c.nulls) : null } : { codes: Array.from(c.codes), dictionary: c.dictionary },
    ),
  };
}

/** The chunks the text parser makes (the reference; the first chunk's schema for the rest), or the error it throws after them. */
function textChunks(path: string, rowsPerChunk: number): { chunks: unknown[]; error?: string } {
  const builders: TableBuilder[] = [];
  const chunks: unknown[] = [];
  let schema: Schema | undefined;
  const take = () => {
    for (const b of builders.splice(0)) {
      const t = b.finish({ schema });
      schema ??= t.schema;
      chunks.push(plain(t));
    }
  };
  try {
    const p = new CsvParser({ delimiter: ',', file: path, rowsPerBuilder: rowsPerChunk, full: (b) => builders.push(b), start: (names) => new TableBuilder(names) });
    const text = readFileSync(path, 'utf8');
    for (let i = 0; i < text.length; i += 1 << 16) {
      p.write(text.slice(i, i + (1 << 16)));
      take();
    }
    const last = p.end();
    take();
    if (last.numRows > 0) builders.push(last);
    take();
  } catch (e) {
    return { chunks, error: explain(e) };
  }
  return { chunks };
}

/** An error's message and where it points (file, line, row, column). */
function explain(e: unknown): string {
  const { message, location } = e as { message: string; location?: unknown };
  return `${message} ${JSON.stringify(location ?? {})}`;
}

async function streamed(path: string, rowsPerChunk: number): Promise<{ chunks: unknown[]; error?: string }> {
  const chunks: unknown[] = [];
  try {
    for await (const t of readTableChunks(path, { rowsPerChunk })) chunks.push(plain(t));
  } catch (e) {
    return { chunks, error: explain(e) };
  }
  return { chunks };
}

describe('readTableChunks', () => {
  it('reads from bytes the chunks the text parser makes: numbers, labels, dates, missing values, quoted fields, type changes, any chunk size (property)', async () => {
    const cell = fc.oneof(
      fc.constantFrom('', 'NA', '0', '-0', '12', '3.50', '-2.25', '1e5', '2019-03-23', 'red', 'green', 'é', '"a,b"', '"say ""hi"""', '"x\ny"'),
      fc.integer({ min: -999, max: 999 }).map(String),
    );
    let k = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 4 }).chain((w) => fc.tuple(fc.constant(w), fc.array(fc.array(cell, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 60 }))),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 70 }),
        async ([w, rows], lead, per) => {
          // A typed block first (numbers, dates, labels), so the first chunks' types meet the later rows.
          const head = Array.from({ length: lead }, (_, i) => Array.from({ length: w }, (_, j) => (j === 0 ? String(i) : j === 1 ? `2021-03-${String((i % 28) + 1).padStart(2, '0')}` : `k${i % 7}`)));
          const p = join(dir, `prop${k++}.csv`);
          writeFileSync(p, [Array.from({ length: w }, (_, j) => `c${j}`), ...head, ...rows].map((r) => r.join(',')).join('\n') + '\n');
          const want = textChunks(p, per), got = await streamed(p, per);
          expect(got.chunks).toEqual(want.chunks);
          expect(Boolean(got.error)).toBe(Boolean(want.error));
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it("a bad row after the first megabyte: the chunks before it, then the text reader's error naming the row", async () => {
    // The byte reader gives the first 1 MiB's rows as chunks, then gives up at the ragged row; the text reader goes on
    // from the first chunk not given.
    const rows = Array.from({ length: 80_000 }, (_, i) => (i === 71_234 ? `${i},x` : `${i},${(i * 0.37).toFixed(2)},g${i % 13}`));
    const p = join(dir, 'ragged-late.csv');
    writeFileSync(p, 'id,x,g\n' + rows.join('\n') + '\n');
    const want = textChunks(p, 1000), got = await streamed(p, 1000);
    expect(readFileSync(p).indexOf('71234,x')).toBeGreaterThan(1 << 20);
    expect(want.chunks.length).toBeGreaterThan(65); // (more than the first MiB holds: the byte reader gave some)
    expect(got.chunks).toEqual(want.chunks);
    expect(got.error).toBe(want.error);
    expect(got.error).toMatch(/"row":7123[45]\}/);
  }, 60_000);
  it('chunks of a CSV, put together, are the table readTable gives (same schema in every chunk)', async () => {
    const rows = Array.from({ length: 103 }, (_, i) => `${i},${(i * 0.37).toFixed(2)},${['a', 'b', 'c, d'][i % 3] === 'c, d' ? '"c, d"' : ['a', 'b'][i % 3]},${i % 9 ? `2021-03-${String((i % 28) + 1).padStart(2, '0')}` : ''}`);
    const p = join(dir, 'c.csv');
    writeFileSync(p, 'id,x,g,when\n' + rows.join('\n') + '\n');
    const whole = await readTable(p);
    const parts = await chunks(p, 25);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    for (const t of parts) expect(t.schema).toEqual(parts[0].schema);
    const joined = parts[0].concat(...parts.slice(1));
    expect(joined.numRows).toBe(103);
    expect(joined.schema.columns.map((c) => c.type)).toEqual(whole.schema.columns.map((c) => c.type));
    for (const c of whole.columnNames) for (let i = 0; i < 103; i++) expect(joined.column(c).get(i)).toEqual(whole.column(c).get(i));
  });

  it('a later value that does not fit the first chunk\'s types names the row over the whole file and suggests a schema', async () => {
    const p = join(dir, 'late.csv');
    const rows = Array.from({ length: 50 }, (_, i) => (i === 37 ? 'oops' : String(i * 1.5)));
    writeFileSync(p, 'v\n' + rows.join('\n') + '\n');
    const err = await chunks(p, 10).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/row 38: column "v": invalid value for a numerical column.*pass a schema/);
    expect((err as Error).message).not.toMatch(/oops/);
  });

  it.skipIf(!hasShared)('adult: a profile streamed in chunks gives the same drift result as the whole-table profile', async () => {
    const whole = await readTable(datasetPath('adult'));
    const streamed = await loadInput(datasetPath('adult'), io, undefined, { rowsPerChunk: 5000, sampleRows: 1000 });
    expect(streamed.profile.rows).toBe(whole.numRows);
    expect(streamed.table!.numRows).toBe(1000);
    expect(streamed.sampled).toBe(true);
    const p = profileTable(whole);
    expect(streamed.profile.columns.map((c) => [c.name, c.type, c.rows, c.nulls])).toEqual(p.columns.map((c) => [c.name, c.type, c.rows, c.nulls]));
    const cur = profileTable(whole.slice(0, 8000));
    expect(detectDrift(streamed.profile, cur)).toEqual(detectDrift(p, cur));
  }, 60_000);

  it('profile and drift take --schema: a column inference calls numerical is profiled as categorical', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => `${(i * 7) % 23},${i % 2 ? 'x' : 'y'}`);
    writeFileSync(join(dir, 's.csv'), 'code,g\n' + rows.join('\n') + '\n');
    writeFileSync(join(dir, 's.schema.json'), JSON.stringify({ specVersion: 1, columns: [{ name: 'code', type: 'categorical', nullable: false }] }));
    let out = '';
    const cli = (...argv: string[]) => run(argv, { ...io, stdout: (t: string) => void (out += t) });
    expect(await cli('profile', 's.csv', '--out', 'a.profile.json', '--json')).toBe(0);
    expect(JSON.parse(out).columns[0]).toMatchObject({ name: 'code', type: 'numerical' });
    out = '';
    expect(await cli('profile', 's.csv', '--out', 'b.profile.json', '--json', '--schema', 's.schema.json')).toBe(0);
    expect(JSON.parse(out).columns[0]).toMatchObject({ name: 'code', type: 'categorical' });
    expect(await cli('drift', 'b.profile.json', 's.csv', '--schema', 's.schema.json', '--json', 'd.json')).toBe(0);
  });
});
