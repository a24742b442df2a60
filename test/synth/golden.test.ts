import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SYNTHESIZERS, loadSynthesizer } from '../../src/core/synth/registry.js';
import { piiTable } from '../contract/synthesizer.contract.js';

// Golden synthesizer artifacts (written once by test/synth/write-golden.ts) must keep loading and keep
// giving the same rows for the same seed: a saved model is a promise to users.
const dir = join(import.meta.dirname, '../artifacts');
const files = readdirSync(dir).filter((f) => /^synthesizer-.*\.json$/.test(f));

describe('golden synthesizer artifacts', () => {
  it('exist for every registered kind (completeness: a new synthesizer needs a golden artifact)', () => {
    const missing = SYNTHESIZERS.map((s) => s.kind).filter((k) => !files.some((f) => f.startsWith(`synthesizer-${k}-v`)));
    expect(missing).toEqual([]);
  });
  for (const f of files) {
    it(`${f} loads and samples the recorded rows`, () => {
      const { artifact, sample } = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      const fitted = loadSynthesizer(artifact, f);
      const t = fitted.sample(sample.rows, { seed: sample.seed });
      expect(t.toRows()).toEqual(sample.table);
    });
    it(`${f} embeds no training value of a PII or id column`, () => {
      const text = readFileSync(join(dir, f), 'utf8');
      const real = piiTable();
      for (const col of ['name', 'email', 'phone', 'customer_id']) for (const v of real.categorical(col).dictionary) expect(text.includes(v)).toBe(false);
    });
  }
});
