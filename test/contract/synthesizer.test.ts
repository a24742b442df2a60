import { SYNTHESIZERS } from '../../src/core/synth/registry.js';
import { runSynthesizerContract } from './synthesizer.contract.js';

// Small training budgets for the neural kinds keep the suite fast (full-size figures: bench/neural.bench.ts).
const PARAMS: Record<string, Record<string, unknown>> = {
  tvae: { epochs: 3, batchSize: 250 },
  ctgan: { epochs: 2, batchSize: 250, generatorDims: [64, 64], discriminatorDims: [64, 64], embeddingDim: 32 },
};

// Every registered synthesizer runs through the shared contract.
for (const s of SYNTHESIZERS) runSynthesizerContract(s.kind, PARAMS[s.kind] ? { params: PARAMS[s.kind], timeout: 180000 } : {});
