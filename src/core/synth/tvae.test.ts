import { describe, expect, it } from 'vitest';
import { loadShared } from '../../../test/helpers/datasets.js';
import { SynthopsError } from '../errors.js';
import { CategoricalColumn, NumericColumn } from '../table/column.js';
import type { Schema } from '../table/schema.js';
import { Table } from '../table/table.js';
import { tvae } from './tvae.js';

const small = { epochs: 3, batchSize: 200 };

async function adultSubset(n = 1500): Promise<Table> {
  return (await loadShared('adult')).slice(0, n);
}

describe('tvae', () => {
  it('fit → sample keeps the schema and the row count', async () => {
    const data = await adultSubset();
    const fitted = await tvae.create(small).fit(data, { seed: 1 });
    const s = fitted.sample(321, { seed: 2 });
    expect(s.numRows).toBe(321);
    expect(s.schema).toEqual(data.schema);
    expect(fitted.sample(0, { seed: 2 }).numRows).toBe(0);
  });

  it('same seed → same weights → same sample; another seed → another sample', async () => {
    const data = await adultSubset(800);
    const a = await tvae.create(small).fit(data, { seed: 5 });
    const b = await tvae.create(small).fit(data, { seed: 5 });
    expect(a.save()).toEqual(b.save());
    expect(a.sample(200, { seed: 1 }).toRows()).toEqual(b.sample(200, { seed: 1 }).toRows());
    expect(a.sample(200, { seed: 1 }).toRows()).not.toEqual(a.sample(200, { seed: 2 }).toRows());
    const c = await tvae.create(small).fit(data, { seed: 6 });
    expect(c.save()).not.toEqual(a.save());
  });

  it('save → JSON → load gives the same sample, and the artifact holds no training row', async () => {
    const data = await adultSubset(800);
    const fitted = await tvae.create(small).fit(data, { seed: 3 });
    const json = JSON.stringify(fitted.save());
    const loaded = tvae.load(JSON.parse(json));
    expect(loaded.sample(300, { seed: 9 }).toRows()).toEqual(fitted.sample(300, { seed: 9 }).toRows());
    // fnlwgt values are near-unique per person: none may appear in the artifact.
    const fnl = data.numeric('fnlwgt').values;
    let found = 0;
    for (let i = 0; i < 200; i++) if (json.includes(`:${fnl[i]},`) || json.includes(`:${fnl[i]}}`)) found++;
    expect(found).toBe(0);
  });

  it('never copies personal data or ids into the sample', async () => {
    const schema: Schema = {
      specVersion: 1,
      columns: [
        { name: 'email', type: 'categorical', nullable: false, pii: 'email' },
        { name: 'id', type: 'id', nullable: false },
        { name: 'x', type: 'numerical', nullable: false },
        { name: 'g', type: 'categorical', nullable: false },
      ],
    };
    const n = 300;
    const t = new Table(schema, [
      CategoricalColumn.from(Array.from({ length: n }, (_, i) => `user${i}@mail.test`)),
      CategoricalColumn.from(Array.from({ length: n }, (_, i) => `ID${1000 + i}`)),
      NumericColumn.from(Array.from({ length: n }, (_, i) => (i * 37) % 101)),
      CategoricalColumn.from(Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'a' : 'b'))),
    ]);
    const fitted = await tvae.create({ epochs: 2, batchSize: 100 }).fit(t, { seed: 1 });
    const s = fitted.sample(200, { seed: 1 });
    const emails = new Set(t.categorical('email').dictionary), ids = new Set(t.categorical('id').dictionary);
    for (let i = 0; i < s.numRows; i++) {
      expect(emails.has(s.get(i, 'email') as string)).toBe(false);
      expect(ids.has(s.get(i, 'id') as string)).toBe(false);
    }
    const json = JSON.stringify(fitted.save());
    expect(json).not.toContain('mail.test');
    expect(json).not.toContain('ID10');
  });

  it('conditions: equals and range hold on every row; shares give the asked counts', async () => {
    const data = await adultSubset();
    const fitted = await tvae.create(small).fit(data, { seed: 1 });
    const eq = fitted.sample(100, { seed: 1, conditions: [{ column: 'sex', equals: 'Female' }] });
    expect(eq.numRows).toBe(100);
    for (let i = 0; i < 100; i++) expect(eq.get(i, 'sex')).toBe('Female');
    const rg = fitted.sample(50, { seed: 1, conditions: [{ column: 'age', range: { min: 30, max: 40 } }] });
    for (let i = 0; i < 50; i++) expect(Math.abs((rg.get(i, 'age') as number) - 35)).toBeLessThanOrEqual(5);
    const sh = fitted.sample(100, { seed: 1, conditions: [{ column: 'income', shares: { '<=50K': 0.5, '>50K': 0.5 } }] });
    const hi = sh.toRows().filter((r) => r.income === '>50K').length;
    expect(hi).toBe(50);
    expect(() => fitted.sample(10, { seed: 1, conditions: [{ column: 'nope', equals: 'x' }] })).toThrowError(SynthopsError);
  });

  it('rejects bad params all at once and bad row counts', async () => {
    expect(() => tvae.create({ epochs: 0, batchSize: 1.5 })).toThrowError(expect.objectContaining({ code: 'invalid_argument', issues: expect.arrayContaining([expect.objectContaining({ path: 'epochs' }), expect.objectContaining({ path: 'batchSize' })]) }));
    const fitted = await tvae.create({ epochs: 1 }).fit(await adultSubset(200), { seed: 1 });
    expect(() => fitted.sample(-1, { seed: 1 })).toThrowError(expect.objectContaining({ code: 'invalid_argument' }));
  });

  it('an abort signal stops training with code aborted; progress reports each epoch with losses', async () => {
    const data = await adultSubset(600);
    const seen: number[] = [];
    const ctl = new AbortController();
    const run = tvae.create({ epochs: 50, batchSize: 100 }).fit(data, {
      seed: 1,
      signal: ctl.signal,
      onProgress: (p) => {
        seen.push(p.done);
        expect(p.figures?.reconstruction).toBeTypeOf('number');
        if (p.done === 2) ctl.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
    expect(seen).toEqual([1, 2]);
  });

  it('early stopping keeps the best validation weights and trains fewer epochs', async () => {
    const data = await adultSubset(600);
    const figures: number[] = [];
    const fitted = await tvae.create({ epochs: 200, batchSize: 100, patience: 2, learningRate: 0.02 }).fit(data, {
      seed: 1,
      onProgress: (p) => figures.push(p.figures!.validation),
    });
    expect(figures.length).toBeLessThan(200);
    const state = (fitted.save().payload.state as { engine: { epochsTrained: number } }).engine;
    expect(state.epochsTrained).toBe(figures.length);
  });

  it('learns: reconstruction loss falls over epochs on adult', async () => {
    const data = await adultSubset(2000);
    const rec: number[] = [];
    await tvae.create({ epochs: 8, batchSize: 200 }).fit(data, { seed: 2, onProgress: (p) => rec.push(p.figures!.reconstruction) });
    expect(rec[rec.length - 1]).toBeLessThan(rec[0] * 0.8);
  });
});
