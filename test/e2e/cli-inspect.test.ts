import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { DATASETS_DIR, hasShared } from '../helpers/datasets.js';

const root = resolve(import.meta.dirname, '../..');
const bad = (f: string) => join('test/fixtures/bad', f);
const work = mkdtempSync(join(tmpdir(), 'synthops-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the CLI in-process with captured output. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await run(argv, {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    cwd: root,
    isTTY: false,
    env: {},
    signal: new AbortController().signal,
  });
  return { code, out, err };
}

/** Every bad input: exit 2, one line on stderr naming the file and what is wrong, nothing on stdout, no stack. */
const BAD: [string, string[], RegExp][] = [
  ['missing file', ['inspect', bad('no-such-file.csv')], /no-such-file\.csv: invalid file: it does not exist/],
  ['directory', ['inspect', 'test/fixtures/bad'], /test\/fixtures\/bad: invalid file: it is a directory/],
  ['empty file', ['inspect', bad('empty.csv')], /empty\.csv: invalid file: it is empty/],
  ['header only', ['inspect', bad('header-only.csv')], /header-only\.csv: invalid file: it has a header but no data rows/],
  ['ragged rows', ['inspect', bad('ragged.csv')], /ragged\.csv: row 2: invalid row: it has 2 fields but the header has 3/],
  ['invalid UTF-8', ['inspect', bad('invalid-utf8.csv')], /invalid-utf8\.csv:2: invalid text encoding/],
  ['binary file', ['inspect', bad('binary.csv')], /binary\.csv: invalid file: it looks binary/],
  ['duplicate column names', ['inspect', bad('duplicate-names.csv')], /duplicate-names\.csv:1: column "a": invalid header: columns 1 and 3 have the same name/],
  ['empty column name', ['inspect', bad('empty-name.csv')], /empty-name\.csv:1: invalid header: column 2 has no name/],
  ['unknown extension', ['inspect', bad('table.xlsx')], /table\.xlsx: invalid file extension: "\.xlsx"/],
  ['malformed Parquet', ['inspect', bad('malformed.parquet')], /malformed\.parquet: invalid Parquet file/],
  ['unclosed quote', ['inspect', bad('unclosed-quote.csv')], /unclosed-quote\.csv: row \d+: invalid (quoting|row)/],
  ['unparseable --schema', ['inspect', bad('tiny.csv'), '--schema', bad('unparseable.schema.json')], /unparseable\.schema\.json:2: invalid JSON/],
  ['invalid --schema', ['inspect', bad('tiny.csv'), '--schema', bad('invalid.schema.json')], /invalid\.schema\.json: columns\/0\/type: invalid type: "decimal"/],
  ['missing --schema file', ['inspect', bad('tiny.csv'), '--schema', bad('nope.json')], /nope\.json: invalid file: it does not exist/],
  ['--schema naming an absent column', ['inspect', bad('tiny.csv'), '--schema', bad('absent-column.schema.json')], /column "zz": invalid schema column: "zz" is not in the data/],
  ['--schema type that does not fit', ['inspect', bad('tiny.csv'), '--schema', bad('wrong-type.schema.json')], /column "b": invalid value for a numerical column \(row 1\)/],
];

describe('synthops inspect: bad input', () => {
  for (const [what, argv, message] of BAD) {
    it(`${what}: exit 2 with a one-line message and no stack trace`, async () => {
      const r = await cli(...argv);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/^synthops: error: /);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).not.toMatch(/\n\s+at |Error:/);
    });
  }

  it('never prints a data value in an error (the bad cell "x" of tiny.csv stays hidden)', async () => {
    const r = await cli('inspect', bad('tiny.csv'), '--schema', bad('wrong-type.schema.json'));
    expect(r.err).not.toMatch(/"x"|'x'|: x\b/);
  });

  it('a real subprocess exits 2 with no stack trace', () => {
    for (const f of ['ragged.csv', 'malformed.parquet']) {
      const p = spawnSync(process.execPath, ['bin/synthops.js', 'inspect', bad(f)], { cwd: root, encoding: 'utf8' });
      expect(p.status).toBe(2);
      expect(p.stdout).toBe('');
      expect(p.stderr.trim().split('\n')).toHaveLength(1);
      expect(p.stderr).not.toMatch(/\n\s+at /);
    }
  }, 30_000);
});

describe.skipIf(!hasShared)('synthops inspect on real data', () => {
  it('adult --json: 15 columns, the six numeric ones numerical and the other nine categorical', async () => {
    const r = await cli('inspect', join(DATASETS_DIR, 'adult.csv'), '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { rows: number; columns: { name: string; type: string; nullShare: number; distinct: number; pii: string | null }[] };
    expect(j.rows).toBe(32561);
    expect(j.columns).toHaveLength(15);
    const numerical = ['age', 'fnlwgt', 'education-num', 'capital-gain', 'capital-loss', 'hours-per-week'];
    for (const c of j.columns) {
      expect(c.type, c.name).toBe(numerical.includes(c.name) ? 'numerical' : 'categorical');
      expect(c.nullShare).toBe(0);
      expect(c.pii).toBeNull();
    }
    expect(j.columns.find((c) => c.name === 'income')?.distinct).toBe(2);
    expect(j.columns.find((c) => c.name === 'native-country')?.distinct).toBe(42);
  });

  it('--schema-out writes a schema that --schema reads back to the same result', async () => {
    const out = join(work, 'taxis.schema.json');
    const a = await cli('inspect', join(DATASETS_DIR, 'taxis.csv'), '--json', '--schema-out', out);
    expect(a.code).toBe(0);
    const schema = JSON.parse(readFileSync(out, 'utf8')) as { specVersion: number; columns: { name: string; type: string; format?: string }[] };
    expect(schema.specVersion).toBe(1);
    expect(schema.columns.find((c) => c.name === 'pickup')).toMatchObject({ type: 'datetime', format: 'YYYY-MM-DD HH:mm:ss' });
    const b = await cli('inspect', join(DATASETS_DIR, 'taxis.csv'), '--json', '--schema', out);
    expect(JSON.parse(b.out)).toEqual(JSON.parse(a.out));
  });

  it('--schema overrides inference: passengers forced to numerical', async () => {
    const p = join(work, 'override.schema.json');
    writeFileSync(p, JSON.stringify({ specVersion: 1, columns: [{ name: 'passengers', type: 'numerical' }] }));
    const r = await cli('inspect', join(DATASETS_DIR, 'taxis.csv'), '--json', '--schema', p);
    const cols = (JSON.parse(r.out) as { columns: { name: string; type: string }[] }).columns;
    expect(cols.find((c) => c.name === 'passengers')?.type).toBe('numerical');
    expect(cols.find((c) => c.name === 'color')?.type).toBe('categorical');
  });

  it('--sdv-metadata imports SDV types (birdstrikes Flight Date with its strftime format)', async () => {
    const r = await cli('inspect', join(DATASETS_DIR, 'birdstrikes.csv'), '--json', '--sdv-metadata', join(DATASETS_DIR, 'birdstrikes.metadata.json'));
    expect(r.code).toBe(0);
    const schema = (JSON.parse(r.out) as { schema: { columns: { name: string; type: string; format?: string }[] } }).schema;
    expect(schema.columns.find((c) => c.name === 'Flight Date')).toMatchObject({ type: 'datetime', format: 'YYYY-MM-DD' });
    expect(schema.columns.find((c) => c.name === 'Speed IAS in knots')?.type).toBe('numerical');
  });

  it('the terminal table lists every column with its type on stdout', async () => {
    const r = await cli('inspect', 'examples/census.csv');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/census\.csv: 5000 rows, 15 columns/);
    expect(r.out).toMatch(/^education-num\s+numerical\s/m);
    expect(r.out).toMatch(/^income\s+categorical\s/m);
  });

  it('PII values are never printed: an email column shows no value', async () => {
    const p = join(work, 'people.csv');
    const rows = Array.from({ length: 30 }, (_, i) => `${i},user${i}@example.org,${i % 3 === 0 ? 'a' : 'b'}`);
    writeFileSync(p, 'customer_id,contact,group\n' + rows.join('\n') + '\n');
    for (const flag of [[], ['--json']]) {
      const r = await cli('inspect', p, ...flag);
      expect(r.code).toBe(0);
      expect(r.out).not.toMatch(/@example\.org/);
      expect(r.out).toMatch(/email/);
    }
  });
});
