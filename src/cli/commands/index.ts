import type { Command } from 'commander';
import type { CliIO } from '../context.js';
import { registerDrift } from './drift.js';
import { registerProfile } from './profile.js';
import { registerInspect } from './inspect.js';
import { registerFit } from './fit.js';
import { registerSample } from './sample.js';
import { registerGenerate } from './generate.js';
import { registerModelEval } from './model-eval.js';
import { registerCard } from './card.js';
import { registerEvaluate } from './evaluate.js';
import { registerCheck } from './check.js';

/**
 * Registers one CLI verb on `program`. The action must call `setStatus` with the exit status when it is
 * not 0 (e.g. 1 for a failed gate) and throw SynthopsError for user mistakes.
 */
export type RegisterCommand = (program: Command, io: CliIO, setStatus: (code: number) => void) => void;

/** Every CLI verb, one file each in this folder. Add yours to this list. */
export const commands: RegisterCommand[] = [registerInspect, registerProfile, registerDrift, registerFit, registerSample, registerGenerate, registerModelEval, registerCard, registerEvaluate, registerCheck];
