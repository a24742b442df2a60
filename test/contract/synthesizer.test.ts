import { SYNTHESIZERS } from '../../src/core/synth/registry.js';
import { runSynthesizerContract } from './synthesizer.contract.js';

// Every registered synthesizer runs through the shared contract.
for (const s of SYNTHESIZERS) runSynthesizerContract(s.kind);
