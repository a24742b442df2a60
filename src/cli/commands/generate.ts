import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_SYNTHESIZER, SYNTHESIZERS } from '../../core/synth/registry.js';
import { writeFileAtomic } from '../../node/io/atomic.js';
import { readTable } from '../../node/io/read.js';
import { writeTable } from '../../node/io/write.js';
import type { CliIO } from '../context.js';
import { fitTable, parseCount, parseSeed, round } from './fit.js';
import type { RegisterCommand } from './index.js';
import { loadSchemaFlags } from './inspect.js';
import { buildConditions, printSummary, readRules, sampleTable } from './sample.js';

interface GenerateFlags {
  rows?: string;
  out: string;
  seed: string;
  synthesizer: string;
  modelOut?: string;
  schema?: string;
  condition: string[];
  rebalance?: string;
  constraints?: string;
  json?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];

/**
 * `synthops generate DATA --out SYNTH.csv [--rows N] [--synthesizer KIND] [--seed S] [--model-out M.json]
 * [--condition col=value]... [--rebalance col] [--json]`: fit + sample in one step with the default synthesizer
 * (`cart`; `--synthesizer gaussian-copula` is faster). Rows default to the input's row count.
 */
export const registerGenerate: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('generate')
    .description('Fit a synthesizer and write synthetic rows in one step.')
    .argument('<data>', 'training data: .csv .tsv .jsonl .parquet')
    .requiredOption('--out <file>', 'output file: .csv .tsv .jsonl .parquet')
    .option('--rows <n>', 'number of rows (default: as many as the input)')
    .option('--seed <n>', 'random seed for fitting and sampling', '0')
    .option('--synthesizer <kind>', `one of ${SYNTHESIZERS.map((s) => s.kind).join(', ')}`, DEFAULT_SYNTHESIZER)
    .option('--model-out <file>', 'also save the fitted synthesizer (JSON)')
    .option('--schema <file>', 'synthops schema JSON to use instead of inferring')
    .option('--condition <col=value>', 'fix a column to a value (repeatable)', collect, [])
    .option('--rebalance <col[=a:share,...]>', 'draw a column\'s categories in given shares (default: equal)')
    .option('--constraints <file>', 'rules file (JSON or YAML): inequality, range, combinations')
    .option('--json', 'print a JSON summary on stdout')
    .addHelpText('after', '\nExample:\n  synthops generate examples/census.csv --rows 10000 --out synth.csv\n')
    .action(async (data: string, flags: GenerateFlags) => {
      const seed = parseSeed(flags.seed);
      const rows = flags.rows === undefined ? undefined : parseCount('--rows', flags.rows);
      const table = await readTable(resolve(io.cwd, data), { schema: await loadSchemaFlags(io, flags), signal: io.signal, displayPath: data });
      const { fitted, seconds: fitSeconds } = await fitTable(io, table, flags.synthesizer, seed, {});
      if (flags.modelOut) await writeFileAtomic(resolve(io.cwd, flags.modelOut), JSON.stringify(fitted.save()) + '\n');
      const n = rows ?? table.numRows;
      const conditions = buildConditions(fitted, flags.condition, flags.rebalance);
      const constraints = flags.constraints ? await readRules(io, flags.constraints) : undefined;
      const { table: synth, report, seconds } = sampleTable(io, fitted, n, seed, 0, conditions, constraints);
      await writeTable(resolve(io.cwd, flags.out), synth);
      printSummary(io, flags.json, {
        synthesizer: fitted.kind,
        rows: n,
        seed,
        fitSeconds: round(fitSeconds),
        seconds: round(seconds),
        out: flags.out,
        warnings: report.warnings,
        constraintViolations: report.constraintViolations,
      });
    });
};
