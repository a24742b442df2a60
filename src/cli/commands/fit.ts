import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { SynthopsError } from '../../core/errors.js';
import type { Progress } from '../../core/progress.js';
import { DEFAULT_SYNTHESIZER, SYNTHESIZERS, synthesizerKind } from '../../core/synth/registry.js';
import type { FittedSynthesizer } from '../../core/synth/synthesizer.js';
import type { Table } from '../../core/table/table.js';
import { writeFileAtomic } from '../../node/io/atomic.js';
import { readTable } from '../../node/io/read.js';
import { poolRunner } from '../../node/workers/parallel-runner.js';
import { WorkerPool } from '../../node/workers/pool.js';
import type { CliIO } from '../context.js';
import type { RegisterCommand } from './index.js';
import { loadSchemaFlags } from './inspect.js';

interface FitFlags {
  synthesizer: string;
  out: string;
  seed: string;
  params?: string;
  schema?: string;
  json?: boolean;
  epochs?: string;
  batchSize?: string;
}

/** Synthesizer kinds trained by gradient descent in epochs: the only ones `--epochs` / `--batch-size` apply to. */
export const NEURAL_KINDS: readonly string[] = ['tvae', 'ctgan'];

/**
 * Turns `--epochs N` / `--batch-size N` into synthesizer parameters. They apply only to the neural kinds
 * (`tvae`, `ctgan`); given with another kind, or with a value that is not a whole number ≥ 1 (batch size ≥ 2),
 * they are a user error (exit 2).
 * @example trainingParams('tvae', { epochs: '50' }) // { epochs: 50 }
 */
export function trainingParams(kind: string, flags: { epochs?: string; batchSize?: string }): Record<string, number> {
  const out: Record<string, number> = {};
  const given = [flags.epochs !== undefined && '--epochs', flags.batchSize !== undefined && '--batch-size'].filter(Boolean);
  if (!given.length) return out;
  if (!NEURAL_KINDS.includes(kind))
    throw new SynthopsError('invalid_argument', `invalid ${given.join(' and ')} for --synthesizer ${kind}: only ${NEURAL_KINDS.join(' and ')} train in epochs. Drop the flag or use --synthesizer tvae.`);
  const whole = (name: string, text: string, min: number): number => {
    const v = Number(text);
    if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(v) || v < min) throw new SynthopsError('invalid_argument', `invalid ${name}: ${JSON.stringify(text)}. Pass a whole number ≥ ${min}.`);
    return v;
  };
  if (flags.epochs !== undefined) out.epochs = whole('--epochs', flags.epochs, 1);
  if (flags.batchSize !== undefined) out.batchSize = whole('--batch-size', flags.batchSize, 2);
  return out;
}

/**
 * `synthops fit DATA --synthesizer KIND --out MODEL.json [--seed S] [--params JSON] [--schema FILE] [--json]`:
 * fits a synthesizer and saves it as versioned JSON (no training rows inside). Progress on stderr;
 * `--json` prints `{ synthesizer, rows, columns, seconds, out }` on stdout.
 */
export const registerFit: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('fit')
    .description('Fit a synthesizer to a data file and save it as JSON.')
    .argument('<data>', 'training data: .csv .tsv .jsonl .parquet')
    .option('--synthesizer <kind>', `one of ${SYNTHESIZERS.map((s) => s.kind).join(', ')}`, DEFAULT_SYNTHESIZER)
    .requiredOption('--out <file>', 'where to write the fitted synthesizer (JSON)')
    .option('--seed <n>', 'random seed', '0')
    .option('--params <json>', 'synthesizer parameters as JSON, e.g. \'{"k":10}\'')
    .option('--schema <file>', 'synthops schema JSON to use instead of inferring (mark PII, ids, types)')
    .option('--epochs <n>', 'training epochs (tvae, ctgan only; default: the synthesizer\'s)')
    .option('--batch-size <n>', 'rows per training step (tvae, ctgan only; default 500)')
    .option('--json', 'print a JSON summary on stdout')
    .addHelpText('after', '\nExamples:\n  synthops fit examples/census.csv --synthesizer cart --out census.model.json\n  synthops fit examples/census.csv --synthesizer tvae --epochs 50 --batch-size 250 --out census.tvae.json\n')
    .action(async (data: string, flags: FitFlags) => {
      const training = trainingParams(flags.synthesizer, flags);
      const table = await readTable(resolve(io.cwd, data), { schema: await loadSchemaFlags(io, flags), signal: io.signal, displayPath: data });
      const { fitted, seconds } = await fitTable(io, table, flags.synthesizer, parseSeed(flags.seed), { ...parseParams(flags.params), ...training });
      await writeFileAtomic(resolve(io.cwd, flags.out), JSON.stringify(fitted.save()) + '\n');
      const summary = { synthesizer: fitted.kind, rows: table.numRows, columns: table.numColumns, seconds: round(seconds), out: flags.out };
      if (flags.json) io.stdout(JSON.stringify(summary, null, 2) + '\n');
      else io.stderr(`fitted ${fitted.kind} on ${table.numRows} rows × ${table.numColumns} columns in ${round(seconds)} s → ${flags.out}\n`);
    });
};

/** Fits `kind` on `table` with a progress bar on stderr. */
export async function fitTable(io: CliIO, table: Table, kind: string, seed: number, params: Record<string, unknown>): Promise<{ fitted: FittedSynthesizer; seconds: number }> {
  const synth = synthesizerKind(kind).create(params as never);
  const bar = progressBar(io, `fit ${kind}`);
  const t0 = performance.now();
  // Kinds that split their work (arf's trees) run it on worker threads; workers start only when used.
  const pool = new WorkerPool();
  try {
    const fitted = await synth.fit(table, { seed, signal: io.signal, onProgress: bar.update, parallel: poolRunner(pool) });
    return { fitted, seconds: (performance.now() - t0) / 1000 };
  } finally {
    bar.stop();
    await pool.close();
  }
}

/**
 * A progress bar on stderr that appears only on a terminal and only after one second of work.
 * Returns an `onProgress` callback and `stop`.
 */
export function progressBar(io: CliIO, label: string): { update: (p: Progress) => void; stop: () => void } {
  const start = Date.now();
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(p: Progress) {
      if (!io.isTTY || p.total === undefined) return;
      if (!bar) {
        if (Date.now() - start < 1000) return;
        bar = new cliProgress.SingleBar(
          { format: `${label} [{bar}] {value}/{total} · ETA {eta_formatted} · {message}`, stream: { write: (s: string) => io.stderr(s), isTTY: true } as never, clearOnComplete: true, hideCursor: false, etaBuffer: 5 },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.total, p.done, { message: p.message ?? '' });
      } else bar.update(p.done, { message: p.message ?? '' });
    },
    stop() {
      bar?.stop();
    },
  };
}

/** Parses `--seed`: a finite number. */
export function parseSeed(text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new SynthopsError('invalid_argument', `invalid --seed: ${JSON.stringify(text)}. Pass a number, e.g. --seed 42.`);
  return v;
}

/** Parses a whole-number flag ≥ 0 such as `--rows`. */
export function parseCount(name: string, text: string): number {
  const v = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(v)) throw new SynthopsError('invalid_argument', `invalid ${name}: ${JSON.stringify(text)}. Pass a whole number ≥ 0.`);
  return v;
}

function parseParams(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new SynthopsError('invalid_argument', 'invalid --params: not JSON. Pass an object, e.g. --params \'{"k":10}\'.');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new SynthopsError('invalid_argument', 'invalid --params: expected a JSON object.');
  return v as Record<string, unknown>;
}

/** Reads a JSON file with clear errors (missing file, directory, bad JSON). */
export async function readJson(io: CliIO, file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SynthopsError('not_found', 'invalid file: it does not exist. Check the path.', { file });
    throw new SynthopsError('invalid_argument', `invalid file: cannot read it (${code ?? 'unknown error'}).`, { file });
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new SynthopsError('invalid_input', 'invalid JSON: the file does not parse. Pass a model written by synthops fit.', { file });
  }
}

export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
