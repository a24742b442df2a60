import { describe, expect, it } from 'vitest';
import { loadShared } from '../../../test/helpers/datasets.js';
import type { Table } from '../table/table.js';
import { ctgan } from './ctgan.js';

// Small networks and few rows keep these tests fast; the full-size figures are in bench/neural.bench.ts.
const small = { epochs: 2, batchSize: 100, generatorDims: [64, 64], discriminatorDims: [64, 64], embeddingDim: 32 };

async function adultSubset(n = 800): Promise<Table> {
  return (await loadShared('adult')).slice(0, n);
}

describe('ctgan', () => {
  it('fit → sample keeps the schema and the row count; same seed → same sample', async () => {
    const data = await adultSubset();
    const a = await ctgan.create(small).fit(data, { seed: 1 });
    const b = await ctgan.create(small).fit(data, { seed: 1 });
    const s = a.sample(250, { seed: 2 });
    expect(s.numRows).toBe(250);
    expect(s.schema).toEqual(data.schema);
    expect(a.save()).toEqual(b.save());
    expect(s.toRows()).toEqual(b.sample(250, { seed: 2 }).toRows());
    expect(s.toRows()).not.toEqual(a.sample(250, { seed: 3 }).toRows());
  });

  it('save → JSON → load gives the same sample', async () => {
    const fitted = await ctgan.create(small).fit(await adultSubset(500), { seed: 4 });
    const loaded = ctgan.load(JSON.parse(JSON.stringify(fitted.save())));
    expect(loaded.sample(120, { seed: 5 }).toRows()).toEqual(fitted.sample(120, { seed: 5 }).toRows());
  });

  it('the conditional vector steers towards a rare category; equals holds on every row', async () => {
    const data = await adultSubset();
    const fitted = await ctgan.create({ ...small, epochs: 4 }).fit(data, { seed: 1 });
    const rows = fitted.sample(60, { seed: 1, conditions: [{ column: 'race', equals: 'Amer-Indian-Eskimo' }] }).toRows();
    expect(rows).toHaveLength(60);
    for (const r of rows) expect(r.race).toBe('Amer-Indian-Eskimo');
  });

  it('rejects a batch size that is not a multiple of pac, with every issue listed', () => {
    expect(() => ctgan.create({ batchSize: 55, pac: 10, tau: 0 })).toThrowError(
      expect.objectContaining({ code: 'invalid_argument', issues: expect.arrayContaining([expect.objectContaining({ path: 'batchSize' }), expect.objectContaining({ path: 'tau' })]) }),
    );
  });

  it('early stopping on the validation TV signal stops after `patience` epochs without improvement and keeps the best generator', async () => {
    const data = await adultSubset(600);
    const params = { ...small, epochs: 60, batchSize: 100, patience: 2 };
    const figures: number[] = [];
    const fitted = await ctgan.create(params).fit(data, { seed: 1, onProgress: (p) => figures.push(p.figures!.validation) });
    expect(figures.length).toBeLessThan(60);
    expect(figures.every((v) => v >= 0 && v <= 1)).toBe(true);
    const state = (fitted.save().payload.state as { engine: { epochsTrained: number; bestEpoch: number; weights: unknown } }).engine;
    expect(state.epochsTrained).toBe(figures.length);
    // Best = first epoch within 1e-4 of the minimum; training stopped `patience` epochs after the last improvement.
    expect(figures[state.bestEpoch - 1]).toBeCloseTo(Math.min(...figures), 3);
    expect(state.epochsTrained).toBe(state.bestEpoch + 2);
    // The kept generator is the one of the best epoch: training only up to that epoch gives the same weights.
    const upTo = await ctgan.create({ ...params, epochs: state.bestEpoch }).fit(data, { seed: 1 });
    expect((upTo.save().payload.state as { engine: { weights: unknown } }).engine.weights).toEqual(state.weights);
  });

  it('an abort signal stops training with code aborted', async () => {
    const ctl = new AbortController();
    const run = ctgan.create({ ...small, epochs: 20 }).fit(await adultSubset(300), {
      seed: 1,
      signal: ctl.signal,
      onProgress: (p) => {
        expect(p.figures?.critic).toBeTypeOf('number');
        ctl.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
  });
});
