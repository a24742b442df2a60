import { describe, expect, it } from 'vitest';
import { ctgan } from '../../src/core/synth/ctgan.js';
import type { SynthesizerKind } from '../../src/core/synth/synthesizer.js';
import { tvae } from '../../src/core/synth/tvae.js';
import type { Table } from '../../src/core/table/table.js';
import { readTable } from '../../src/node/io/read.js';

// Issue 5: every category with a share of at least 1 % in a column appears in the neural synthesizers' output.
// Short trainings on the bundled census extract (5,000 adult rows) keep this fast; the full adult check is printed
// by `npm run bench -- neural`.
const census = await readTable(new URL('../../examples/census.csv', import.meta.url).pathname);

/** Column#index of every category with share ≥ 1 % in `real` that `synth` never produces (no labels printed). */
function missingFrequentCategories(real: Table, synth: Table): string[] {
  const missing: string[] = [];
  for (const spec of real.schema.columns) {
    if (spec.type !== 'categorical' && spec.type !== 'boolean') continue;
    const r = real.categorical(spec.name), s = synth.categorical(spec.name);
    const counts = new Float64Array(r.dictionary.length);
    for (const c of r.codes) if (c >= 0) counts[c]++;
    const seen = new Set<string>();
    for (const c of s.codes) if (c >= 0) seen.add(s.dictionary[c]);
    r.dictionary.forEach((label, i) => {
      if (counts[i] / real.numRows >= 0.01 && !seen.has(label)) missing.push(`${spec.name}#${i}`);
    });
  }
  return missing;
}

describe('neural synthesizers keep every frequent category', () => {
  const cases: [string, SynthesizerKind, Record<string, unknown>][] = [
    ['tvae', tvae, { epochs: 15 }],
    ['ctgan', ctgan, { epochs: 4, generatorDims: [128, 128], discriminatorDims: [128, 128] }],
  ];
  it.each(cases)('%s: each category with a share of at least 1 percent appears in 5,000 sampled rows', async (_name, kind, params) => {
    const frequent = census.schema.columns.filter((c) => c.type === 'categorical').length;
    expect(frequent).toBeGreaterThan(5); // the check has categories to look at
    const fitted = await kind.create(params).fit(census, { seed: 3 });
    const synth = fitted.sample(5000, { seed: 4 });
    expect(missingFrequentCategories(census, synth)).toEqual([]);
  }, 300000);

  it('the check itself fails when a frequent category is dropped', () => {
    const col = census.schema.columns.find((c) => c.type === 'categorical')!.name;
    const codes = census.categorical(col).codes;
    const first = codes.find((c) => c >= 0)!;
    const keep = Int32Array.from({ length: census.numRows }, (_, i) => i).filter((i) => codes[i] !== first);
    expect(missingFrequentCategories(census, census.take(keep))).toEqual([`${col}#${first}`]);
  });
});
