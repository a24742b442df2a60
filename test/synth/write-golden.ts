// Writes the golden synthesizer artifacts in test/artifacts/ — run ONCE per kind version:
//   npx tsx test/synth/write-golden.ts
// The files are then kept forever; test/synth/golden.test.ts loads them on every run.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizerKind, SYNTHESIZERS } from '../../src/core/synth/registry.js';
import { piiTable } from '../contract/synthesizer.contract.js';

const dir = join(import.meta.dirname, '../artifacts');
const table = piiTable();
// The neural kinds are written with tiny networks and few epochs so the golden files stay small.
const PARAMS: Record<string, Record<string, unknown>> = {
  tvae: { epochs: 3, batchSize: 50, embeddingDim: 8, compressDims: [16, 16], decompressDims: [16, 16] },
  ctgan: { epochs: 2, batchSize: 50, embeddingDim: 8, generatorDims: [16, 16], discriminatorDims: [16, 16] },
};
for (const s of SYNTHESIZERS) {
  if (!['independent', 'gaussian-copula', 'cart', 'tvae', 'ctgan'].includes(s.kind)) continue;
  const file = join(dir, `synthesizer-${s.kind}-v${s.kindVersion}.json`);
  if (existsSync(file)) continue;
  const fitted = await synthesizerKind(s.kind).create(PARAMS[s.kind] ?? {}).fit(table, { seed: 1 });
  const sample = fitted.sample(20, { seed: 7 });
  writeFileSync(file, JSON.stringify({ artifact: fitted.save(), sample: { rows: 20, seed: 7, table: sample.toRows() } }, null, 1) + '\n');
  console.log('wrote', file);
}
