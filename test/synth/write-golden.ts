// Writes the golden synthesizer artifacts in test/artifacts/ — run ONCE per kind version:
//   npx tsx test/synth/write-golden.ts
// The files are then kept forever; test/synth/golden.test.ts loads them on every run.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizerKind, SYNTHESIZERS } from '../../src/core/synth/registry.js';
import { piiTable } from '../contract/synthesizer.contract.js';

const dir = join(import.meta.dirname, '../artifacts');
const table = piiTable();
for (const s of SYNTHESIZERS) {
  if (!['independent', 'gaussian-copula', 'cart'].includes(s.kind)) continue;
  const file = join(dir, `synthesizer-${s.kind}-v${s.kindVersion}.json`);
  if (existsSync(file)) continue;
  const fitted = await synthesizerKind(s.kind).create().fit(table, { seed: 1 });
  const sample = fitted.sample(20, { seed: 7 });
  writeFileSync(file, JSON.stringify({ artifact: fitted.save(), sample: { rows: 20, seed: 7, table: sample.toRows() } }, null, 1) + '\n');
  console.log('wrote', file);
}
