import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SynthopsError } from '../../core/errors.js';
import { parseCondition, parseRebalance } from '../../core/synth/conditions.js';
import { loadSynthesizer } from '../../core/synth/registry.js';
import type { Condition, FittedSynthesizer, SampleReport } from '../../core/synth/synthesizer.js';
import type { Table } from '../../core/table/table.js';
import { writeTable } from '../../node/io/write.js';
import type { CliIO } from '../context.js';
import { readConfigFile } from '../files.js';
import { parseCount, parseSeed, progressBar, readJson, round } from './fit.js';
import type { RegisterCommand } from './index.js';

interface SampleFlags {
  rows: string;
  seed: string;
  out: string;
  shard: string;
  condition: string[];
  rebalance?: string;
  constraints?: string;
  json?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];

/**
 * `synthops sample MODEL.json --rows N --seed S --out SYNTH.csv [--condition col=value]... [--rebalance col[=a:0.5,b:0.5]]
 * [--shard K] [--json]`: draws rows from a saved synthesizer and writes them (CSV/TSV/JSONL/Parquet by extension)
 * in the training data's representation. `--json` prints `{ rows, seed, shard, seconds, out, warnings }`.
 */
export const registerSample: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('sample')
    .description('Draw synthetic rows from a fitted synthesizer.')
    .argument('<model>', 'a synthesizer saved by synthops fit')
    .requiredOption('--rows <n>', 'number of rows')
    .requiredOption('--out <file>', 'output file: .csv .tsv .jsonl .parquet')
    .option('--seed <n>', 'random seed (same seed → same rows)', '0')
    .option('--shard <k>', 'shard index for distributed sampling (rows of shard k come from stream (seed, k))', '0')
    .option('--condition <col=value>', 'fix a column to a value (repeatable), e.g. --condition income=>50K', collect, [])
    .option('--rebalance <col[=a:share,...]>', 'draw a column\'s categories in given shares (default: equal)')
    .option('--constraints <file>', 'rules file (JSON or YAML): inequality, range, combinations; violating rows are redrawn')
    .option('--json', 'print a JSON summary on stdout')
    .addHelpText('after', '\nExamples:\n  synthops sample census.model.json --rows 10000 --seed 1 --out synth.csv\n  synthops sample census.model.json --rows 5000 --rebalance income --out balanced.csv\n')
    .action(async (model: string, flags: SampleFlags) => {
      const fitted = loadSynthesizer(await readJson(io, model), model);
      const n = parseCount('--rows', flags.rows);
      const seed = parseSeed(flags.seed);
      const shard = parseCount('--shard', flags.shard);
      const conditions = buildConditions(fitted, flags.condition, flags.rebalance);
      const constraints = flags.constraints ? await readRules(io, flags.constraints) : undefined;
      const { table, report, seconds } = sampleTable(io, fitted, n, seed, shard, conditions, constraints);
      await writeTable(resolve(io.cwd, flags.out), table);
      printSummary(io, flags.json, { rows: n, seed, shard, seconds: round(seconds), out: flags.out, warnings: report.warnings, constraintViolations: report.constraintViolations });
    });
};

/** Builds conditions from `--condition` texts and `--rebalance`. */
export function buildConditions(fitted: FittedSynthesizer, conds: string[], rebalance: string | undefined): Condition[] {
  const out = conds.map(parseCondition);
  if (rebalance) {
    out.push(
      parseRebalance(rebalance, (column) => {
        const spec = fitted.schema.columns.find((c) => c.name === column);
        if (!spec) throw new SynthopsError('not_found', `invalid --rebalance column: "${column}". No such column.`, { column });
        const labels = fitted.categories?.(column);
        if (!labels) throw new SynthopsError('invalid_argument', '--rebalance needs a categorical column; give shares explicitly, e.g. --rebalance col=a:0.5,b:0.5.', { column });
        return labels;
      }),
    );
  }
  return out;
}

/** Samples with a progress bar. */
export function sampleTable(io: CliIO, fitted: FittedSynthesizer, n: number, seed: number, shard: number, conditions: Condition[], constraints?: unknown): { table: Table; report: SampleReport; seconds: number } {
  const bar = progressBar(io, 'sample');
  const t0 = performance.now();
  try {
    const opts = { seed, shard, conditions, constraints, signal: io.signal, onProgress: bar.update };
    const r = fitted.sampleWithReport ? fitted.sampleWithReport(n, opts) : { table: fitted.sample(n, opts), report: { constraintViolations: {}, warnings: [] } };
    return { ...r, seconds: (performance.now() - t0) / 1000 };
  } finally {
    bar.stop();
  }
}

export function printSummary(io: CliIO, json: boolean | undefined, summary: Record<string, unknown> & { rows: number; out: string; seconds: number; warnings: string[] }): void {
  if (json) io.stdout(JSON.stringify(summary, null, 2) + '\n');
  else {
    for (const w of summary.warnings) io.stderr(`warning: ${w}\n`);
    io.stderr(`wrote ${summary.rows} synthetic rows in ${summary.seconds} s → ${summary.out}\n`);
  }
}

/** Reads a constraints file: JSON for .json, YAML otherwise. */
export async function readRules(io: CliIO, file: string): Promise<unknown> {
  return readConfigFile(io, file, 'constraints file');
}
