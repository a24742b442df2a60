import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectDrift } from '../../src/core/drift/detect.js';
import { profileTable } from '../../src/core/profile/profile.js';
import type { Table } from '../../src/core/table/table.js';
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

describe('readTableChunks', () => {
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
