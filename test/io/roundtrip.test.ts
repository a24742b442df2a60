import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Table } from '../../src/core/table/table.js';
import { readTable } from '../../src/node/io/read.js';
import { writeTable } from '../../src/node/io/write.js';
import { SHARED_NAMES, datasetPath, hasShared } from '../helpers/datasets.js';

const dir = mkdtempSync(join(tmpdir(), 'synthops-roundtrip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Value-for-value comparison: same column names, types, nulls and cells (numbers exactly). */
function expectSameValues(a: Table, b: Table): void {
  expect(b.numRows).toBe(a.numRows);
  expect(b.schema.columns.map((c) => [c.name, c.type, c.format])).toEqual(a.schema.columns.map((c) => [c.name, c.type, c.format]));
  a.columns.forEach((ca, j) => {
    const cb = b.columns[j];
    let mismatches = 0, first = -1;
    for (let i = 0; i < a.numRows; i++) {
      if (!Object.is(ca.get(i), cb.get(i))) {
        mismatches++;
        if (first < 0) first = i;
      }
    }
    expect({ column: a.schema.columns[j].name, mismatches, first }).toEqual({ column: a.schema.columns[j].name, mismatches: 0, first: -1 });
  });
}

describe.skipIf(!hasShared)('round trip of every shared dataset', () => {
  for (const name of SHARED_NAMES) {
    it(`${name}: read → CSV and Parquet → read is value-for-value identical`, async () => {
      const t = await readTable(datasetPath(name));
      const csv = join(dir, `${name}.csv`);
      await writeTable(csv, t);
      expectSameValues(t, await readTable(csv));
      // The shared files are normalised CSV (LF, minimal quoting), so the text itself comes back unchanged:
      // same integers, same decimals, same datetime format, same missing token.
      expect(readFileSync(csv, 'utf8') === readFileSync(datasetPath(name), 'utf8')).toBe(true);
      const pq = join(dir, `${name}.parquet`);
      await writeTable(pq, t);
      expectSameValues(t, await readTable(pq));
    }, 60_000);
  }

  it('titanic: JSON lines and TSV round trips keep every value too', async () => {
    const t = await readTable(datasetPath('titanic'));
    for (const ext of ['jsonl', 'tsv']) {
      const p = join(dir, `titanic.${ext}`);
      await writeTable(p, t);
      expectSameValues(t, await readTable(p));
    }
  });

  it('leaves no temporary files behind', () => {
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
