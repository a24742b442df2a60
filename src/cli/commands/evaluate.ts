import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SynthopsError } from '../../core/errors.js';
import { renderEvaluationHtml } from '../../core/render/evaluation-html.js';
import { renderEvaluationMarkdown } from '../../core/render/evaluation-markdown.js';
import { renderEvaluationText } from '../../core/render/evaluation-text.js';
import type { EvaluationReport } from '../../core/reports/evaluation.js';
import { evaluateInPool } from '../../node/workers/evaluate-in-pool.js';
import { checkPolicy, DEFAULT_POLICY, parseGatePolicy, type Policy } from '../../core/reports/policy.js';
import type { Table } from '../../core/table/table.js';
import { writeFileAtomic } from '../../node/io/atomic.js';
import { readTable } from '../../node/io/read.js';
import { nodeDocument } from '../../node/render/document.js';
import type { CliIO } from '../context.js';
import { readConfigFile } from '../files.js';
import type { RegisterCommand } from './index.js';

export interface EvaluateFlags {
  holdout?: string;
  target?: string;
  sensitive?: string;
  out?: string;
  json?: string;
  markdown?: string;
  seed?: string;
  resamples?: string;
  metrics?: string;
}

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

/** Reads REAL, then SYNTH and HOLDOUT with the real data's schema, so the three share column types. */
export async function readEvaluationTables(io: CliIO, realPath: string, synthPath: string, holdoutPath?: string): Promise<{ real: Table; synthetic: Table; holdout?: Table }> {
  const real = await readTable(resolve(io.cwd, realPath), { signal: io.signal });
  const synthetic = await readTable(resolve(io.cwd, synthPath), { schema: real.schema, signal: io.signal });
  const holdout = holdoutPath ? await readTable(resolve(io.cwd, holdoutPath), { schema: real.schema, signal: io.signal }) : undefined;
  return { real, synthetic, ...(holdout ? { holdout } : {}) };
}

/** Reads a gate policy (YAML or JSON) or throws a user error naming the file. */
export async function loadGatePolicy(path: string, io: CliIO): Promise<Policy> {
  return parseGatePolicy(await readConfigFile(io, path, 'policy file'), path);
}

/** Runs the evaluation with CLI flags and progress on stderr. */
export async function runEvaluation(io: CliIO, realPath: string, synthPath: string, o: EvaluateFlags): Promise<EvaluationReport> {
  const seed = o.seed === undefined ? 0 : Number(o.seed);
  if (!Number.isFinite(seed)) throw new SynthopsError('invalid_argument', `invalid --seed: ${JSON.stringify(o.seed)}. Use a number.`);
  const resamples = o.resamples === undefined ? undefined : Number(o.resamples);
  if (resamples !== undefined && !(Number.isInteger(resamples) && resamples >= 0)) throw new SynthopsError('invalid_argument', `invalid --resamples: ${JSON.stringify(o.resamples)}. Use a whole number ≥ 0.`);
  const tables = await readEvaluationTables(io, realPath, synthPath, o.holdout);
  // Neighbour searches (privacy, diversity) run on worker threads; the report is the same as in one thread.
  return evaluateInPool(tables, {
    seed,
    ...(o.target ? { target: o.target } : {}),
    ...(o.sensitive ? { sensitive: list(o.sensitive) } : {}),
    ...(o.metrics ? { metrics: list(o.metrics) } : {}),
    ...(resamples !== undefined ? { resamples } : {}),
    signal: io.signal,
    onMetric: (id, done, total) => {
      if (io.isTTY) io.stderr(`\r  ${done}/${total} ${id}`.padEnd(60) + (done === total ? '\n' : ''));
    },
  });
}

/** `synthops evaluate REAL SYNTH`: every registered metric with holdout references and intervals; HTML/JSON/Markdown. */
export const registerEvaluate: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('evaluate')
    .description('Evaluate synthetic data against real data: validity, fidelity, detection, utility, diversity and privacy, each beside the same score for a real holdout ("as good as real") with a bootstrap interval.')
    .argument('<real>', 'real data the synthesizer was trained on (CSV, TSV, JSONL, Parquet)')
    .argument('<synthetic>', 'synthetic data file')
    .option('--holdout <file>', 'real rows the synthesizer never saw (default: 20% of REAL, seeded)')
    .option('--target <col>', 'prediction target for the utility metrics')
    .option('--sensitive <cols>', 'sensitive columns for attribute inference, comma-separated')
    .option('--out <file>', 'write a self-contained HTML report')
    .option('--json <file>', 'write the versioned JSON report (- for stdout)')
    .option('--markdown <file>', 'write a Markdown report')
    .option('--metrics <ids>', 'run only these metric ids, comma-separated')
    .option('--resamples <n>', 'bootstrap resamples for interval estimates (default 30; 0 = none)')
    .option('--seed <n>', 'seed for the split, bootstrap and detectors (default 0)')
    .addHelpText('after', '\nExamples:\n  synthops evaluate real.csv synthetic.csv --out report.html\n  synthops evaluate train.csv synth.csv --holdout test.csv --target income --sensitive race,sex --json report.json\n')
    .action(async (realPath: string, synthPath: string, o: EvaluateFlags) => {
      const report = await runEvaluation(io, realPath, synthPath, o);
      const gates = checkPolicy(report.payload, DEFAULT_POLICY);
      if (o.out) await writeFileAtomic(resolve(io.cwd, o.out), renderEvaluationHtml(report, { document: nodeDocument(), gates }));
      if (o.markdown) await writeFileAtomic(resolve(io.cwd, o.markdown), renderEvaluationMarkdown(report, gates));
      if (o.json === '-') io.stdout(JSON.stringify(report) + '\n');
      else if (o.json) await writeFileAtomic(resolve(io.cwd, o.json), JSON.stringify(report, null, 1) + '\n');
      io.stderr(renderEvaluationText(report, gates));
    });
};
