import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isSynthopsError } from '../../src/core/errors.js';
import { loadSynthesizer, synthesizerKind } from '../../src/core/synth/registry.js';
import type { FittedSynthesizer } from '../../src/core/synth/synthesizer.js';
import type { Column } from '../../src/core/table/column.js';
import type { Schema } from '../../src/core/table/schema.js';
import { Table } from '../../src/core/table/table.js';
import { hasShared, loadShared } from '../helpers/datasets.js';

/** Options of {@link runSynthesizerContract}. */
export interface ContractOptions {
  /** Params passed to `create` (keep them small so the suite stays fast). */
  params?: Record<string, unknown>;
  /** Rows of adult to fit on. Default 1500. */
  rows?: number;
  /** Per-test timeout in ms. Default 60 000. */
  timeout?: number;
}

const FIRST = ['Quillon', 'Zephyrine', 'Barnaby', 'Ottilie', 'Casimir', 'Wilhelmina', 'Thaddeus', 'Perpetua'];
const LAST = ['Vandersloot', 'Quackenbush', 'Oyelaran', 'Featherstonehaugh', 'Zabriskie'];

/** A table with personal data, an id column, a nullable numeric and a category: 300 rows, deterministic. */
export function piiTable(): Table {
  const schema: Schema = {
    specVersion: 1,
    primaryKey: 'customer_id',
    columns: [
      { name: 'customer_id', type: 'id', nullable: false },
      { name: 'name', type: 'text', nullable: false, pii: 'person_name' },
      { name: 'email', type: 'text', nullable: false, pii: 'email' },
      { name: 'phone', type: 'text', nullable: true, pii: 'phone' },
      { name: 'age', type: 'numerical', nullable: true, integer: true, decimals: 0 },
      { name: 'plan', type: 'categorical', nullable: false },
      { name: 'spend', type: 'numerical', nullable: false, decimals: 2 },
    ],
  };
  const rows = Array.from({ length: 300 }, (_, i) => {
    const first = FIRST[i % FIRST.length], last = LAST[(i * 7) % LAST.length];
    return {
      customer_id: `C${String(1000 + i).padStart(6, '0')}`,
      name: `${first} ${last}${i}`,
      email: `${first.toLowerCase()}.${i}@corp-mail.test`,
      phone: i % 10 === 0 ? null : `(212) 55${i % 10}-${String(1000 + i).slice(-4)}`,
      age: i % 13 === 0 ? null : 20 + ((i * 37) % 50),
      plan: ['basic', 'plus', 'pro'][(i * 5) % 3],
      spend: Math.round(((i * 7919) % 10000) + (i % 2 ? 0.25 : 0.5) * 100) / 100,
    };
  });
  return Table.fromRows(rows, schema);
}

function snapshot(t: Table): string {
  return JSON.stringify(t.columns.map((c: Column) => (c.storage === 'numeric' ? [Array.from(c.values), c.nulls && Array.from(c.nulls)] : [Array.from(c.codes), c.dictionary])));
}

function sameTable(a: Table, b: Table): boolean {
  return snapshot(a) === snapshot(b) && JSON.stringify(a.schema) === JSON.stringify(b.schema);
}

/**
 * The contract every registered synthesizer must pass: schema and row count kept, determinism per seed and
 * shard, different seeds differ, save → load → same sample, input never mutated, no PII value copied, no
 * NaN or invalid code in the output, clear errors on bad input and bad conditions.
 */
export function runSynthesizerContract(kind: string, opts: ContractOptions = {}): void {
  const timeout = opts.timeout ?? 60000;
  const rows = opts.rows ?? 1500;
  describe.skipIf(!hasShared)(`synthesizer contract: ${kind}`, () => {
    let adult: Table;
    let fitted: FittedSynthesizer;
    let before: string;
    beforeAll(async () => {
      const full = await loadShared('adult');
      adult = full.take(Int32Array.from({ length: rows }, (_, i) => (i * 7) % full.numRows));
      before = snapshot(adult);
      fitted = await synthesizerKind(kind).create(opts.params as never).fit(adult, { seed: 11 });
    }, timeout);

    it('keeps the schema and the row count', () => {
      for (const n of [0, 1, 257]) {
        const s = fitted.sample(n, { seed: 1 });
        expect(s.numRows).toBe(n);
        expect(s.schema).toEqual(adult.schema);
      }
    });

    it('is deterministic per seed and shard, and differs across seeds and shards', () => {
      const a = fitted.sample(300, { seed: 5 });
      expect(sameTable(a, fitted.sample(300, { seed: 5 }))).toBe(true);
      expect(sameTable(a, fitted.sample(300, { seed: 6 }))).toBe(false);
      expect(sameTable(a, fitted.sample(300, { seed: 5, shard: 1 }))).toBe(false);
    });

    it('refits identically with the same seed', async () => {
      const again = await synthesizerKind(kind).create(opts.params as never).fit(adult, { seed: 11 });
      expect(sameTable(again.sample(200, { seed: 3 }), fitted.sample(200, { seed: 3 }))).toBe(true);
    }, timeout);

    it('saves to JSON and loads back to the same sampler', () => {
      const json = JSON.parse(JSON.stringify(fitted.save()));
      expect(json.kind).toBe(`synthesizer/${kind}`);
      const loaded = loadSynthesizer(json, 'model.json');
      expect(sameTable(loaded.sample(400, { seed: 9 }), fitted.sample(400, { seed: 9 }))).toBe(true);
      expect(sameTable(loaded.sample(50, { seed: 9, conditions: [{ column: 'sex', equals: 'Female' }] }), fitted.sample(50, { seed: 9, conditions: [{ column: 'sex', equals: 'Female' }] }))).toBe(true);
    });

    it('never mutates its input', () => {
      fitted.sample(100, { seed: 2 });
      expect(snapshot(adult)).toBe(before);
    });

    it('writes only finite numbers within the protected range and valid labels', () => {
      const s = fitted.sample(2000, { seed: 4 });
      const bad: string[] = [];
      s.columns.forEach((c, j) => {
        const name = s.schema.columns[j].name;
        if (c.storage === 'numeric') {
          const [lo, hi] = adult.numeric(name).extent();
          for (let i = 0; i < c.length; i++)
            if (!c.isNull(i) && !(Number.isFinite(c.values[i]) && c.values[i] >= lo && c.values[i] <= hi)) bad.push(`${name}@${i}`);
        } else {
          const labels = new Set(adult.categorical(name).dictionary);
          for (let i = 0; i < c.length; i++) if (c.codes[i] >= 0 && !labels.has(c.dictionary[c.codes[i]])) bad.push(`${name}@${i}`);
        }
      });
      expect(bad.slice(0, 5)).toEqual([]);
    });

    it('conditions exactly and rebalances', () => {
      const s = fitted.sample(300, { seed: 8, conditions: [{ column: 'income', equals: '>50K' }, { column: 'sex', equals: 'Female' }] });
      const inc = s.categorical('income'), sex = s.categorical('sex');
      for (let i = 0; i < 300; i++) {
        expect(inc.dictionary[inc.codes[i]]).toBe('>50K');
        expect(sex.dictionary[sex.codes[i]]).toBe('Female');
      }
      const r = fitted.sample(1000, { seed: 8, conditions: [{ column: 'income', shares: { '<=50K': 0.5, '>50K': 0.5 } }] });
      const rc = r.categorical('income');
      let hi = 0;
      for (let i = 0; i < 1000; i++) if (rc.dictionary[rc.codes[i]] === '>50K') hi++;
      expect(hi).toBe(500);
    });

    it('rejects conditions on unknown columns or values with a clear error', () => {
      const bad = [
        [{ column: 'nope', equals: 'x' }, 'not_found'],
        [{ column: 'income', equals: 'rich' }, 'invalid_argument'],
        [{ column: 'age', equals: 'old' }, 'invalid_argument'],
        [{ column: 'age', equals: 1e9 }, 'invalid_argument'],
      ] as const;
      for (const [cond, code] of bad) {
        let err: unknown;
        try {
          fitted.sample(10, { seed: 1, conditions: [cond] });
        } catch (e) {
          err = e;
        }
        expect(isSynthopsError(err) && err.code).toBe(code);
        expect(String((err as Error).message)).not.toMatch(/\bat \w+ \(/);
      }
    });

    it('replaces PII, regenerates ids and never embeds them in the artifact', async () => {
      const t = piiTable();
      const f = await synthesizerKind(kind).create(opts.params as never).fit(t, { seed: 1 });
      const s = f.sample(600, { seed: 2 });
      const art = JSON.stringify(f.save());
      for (const col of ['name', 'email', 'phone', 'customer_id']) {
        const real = new Set(t.categorical(col).dictionary);
        const out = s.categorical(col);
        for (let i = 0; i < out.length; i++) if (out.codes[i] >= 0 && col !== 'customer_id') expect(real.has(out.dictionary[out.codes[i]])).toBe(false);
        for (const v of real) expect(art.includes(v)).toBe(false);
      }
      const ids = s.categorical('customer_id');
      const seen = new Set<string>();
      for (let i = 0; i < ids.length; i++) seen.add(ids.dictionary[ids.codes[i]]);
      expect(seen.size).toBe(600);
      expect([...seen].every((x) => /^C\d{6,}$/.test(x))).toBe(true);
      const phone = s.categorical('phone');
      for (let i = 0; i < phone.length; i++) if (phone.codes[i] >= 0) expect(phone.dictionary[phone.codes[i]]).toMatch(/^\(\d{3}\) \d{3}-\d{4}$/);
      const spend = s.numeric('spend').values;
      for (let i = 0; i < spend.length; i++) expect(Math.round(spend[i] * 100)).toBeCloseTo(spend[i] * 100, 6);
    }, timeout);

    it('fails clearly on too few rows and copes with all-null, constant and unique columns', async () => {
      const schema: Schema = {
        specVersion: 1,
        columns: [
          { name: 'x', type: 'numerical', nullable: true },
          { name: 'empty', type: 'numerical', nullable: true },
          { name: 'const', type: 'categorical', nullable: false },
          { name: 'uniq', type: 'categorical', nullable: false },
        ],
      };
      const mk = (n: number) => Table.fromRows(Array.from({ length: n }, (_, i) => ({ x: i % 4 ? i * 1.5 : null, empty: null, const: 'a', uniq: `u${i}` })), schema);
      for (const n of [0, 1]) {
        await expect(synthesizerKind(kind).create(opts.params as never).fit(mk(n), { seed: 1 })).rejects.toMatchObject({ code: 'invalid_input' });
      }
      const f = await synthesizerKind(kind).create(opts.params as never).fit(mk(200), { seed: 1 });
      const s = f.sample(300, { seed: 1 });
      expect(s.numeric('empty').nullCount).toBe(300);
      const c = s.categorical('const');
      for (let i = 0; i < 300; i++) expect(c.dictionary[c.codes[i]]).toBe('a');
      const u = s.categorical('uniq');
      const real = new Set(mk(200).categorical('uniq').dictionary);
      for (let i = 0; i < 300; i++) expect(real.has(u.dictionary[u.codes[i]])).toBe(false);
      const x = s.numeric('x');
      for (let i = 0; i < 300; i++) expect(x.isNull(i) || Number.isFinite(x.values[i])).toBe(true);
    }, timeout);

    it('property: any small mixed table gives finite values, valid codes and a similar missing share', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ a: fc.option(fc.double({ min: -1e12, max: 1e12, noNaN: true }), { nil: null }), b: fc.constantFrom('p', 'q', 'r', null) }), { minLength: 20, maxLength: 80 }),
          fc.integer({ min: 0, max: 1000 }),
          async (rs, seed) => {
            const schema: Schema = { specVersion: 1, columns: [{ name: 'a', type: 'numerical', nullable: true }, { name: 'b', type: 'categorical', nullable: true }] };
            const t = Table.fromRows(rs, schema);
            const f = await synthesizerKind(kind).create(opts.params as never).fit(t, { seed });
            const s = f.sample(200, { seed });
            const a = s.numeric('a');
            for (let i = 0; i < 200; i++) if (!a.isNull(i)) expect(Number.isFinite(a.values[i])).toBe(true);
            const b = s.categorical('b');
            for (let i = 0; i < 200; i++) expect(b.codes[i] >= -1 && b.codes[i] < b.dictionary.length).toBe(true);
            if (t.numeric('a').nullCount === 0) expect(a.nullCount).toBe(0);
            if (t.numeric('a').nullCount === t.numRows) expect(a.nullCount).toBe(200);
          },
        ),
        { numRuns: 15, seed: 42 },
      );
    }, timeout);
  });
}
