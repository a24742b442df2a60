import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SynthopsError } from '../../core/errors.js';
import { createRng } from '../../core/random.js';
import { renderEvaluationHtml } from '../../core/render/evaluation-html.js';
import { renderEvaluationMarkdown } from '../../core/render/evaluation-markdown.js';
import { renderEvaluationText } from '../../core/render/evaluation-text.js';
import { checkPolicy, DEFAULT_POLICY } from '../../core/reports/policy.js';
import { DEFAULT_SYNTHESIZER, SYNTHESIZERS } from '../../core/synth/registry.js';
import type { Table } from '../../core/table/table.js';
import { writeFileAtomic } from '../../node/io/atomic.js';
import { readTable } from '../../node/io/read.js';
import { writeTable } from '../../node/io/write.js';
import { nodeDocument } from '../../node/render/document.js';
import { evaluateInPool } from '../../node/workers/evaluate-in-pool.js';
import type { CliIO } from '../context.js';
import { EXIT } from '../exit.js';
import { loadGatePolicy } from './evaluate.js';
import { fitTable, parseCount, parseSeed, round, trainingParams } from './fit.js';
import type { RegisterCommand } from './index.js';
import { loadSchemaFlags } from './inspect.js';
import { buildConditions, readRules, sampleTable } from './sample.js';

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
  report: boolean | string;
  reportJson?: string;
  reportMarkdown?: string;
  holdout?: string;
  holdoutShare: string;
  target?: string;
  sensitive?: string;
  resamples?: string;
  policy?: string;
  epochs?: string;
  batchSize?: string;
}

const collect = (v: string, prev: string[]) => [...prev, v];
const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

/** `synth.csv` → `synth.report.html` beside it. */
function besideOut(out: string, suffix: string): string {
  return out.replace(/(\.[^./\\]+)?$/, suffix);
}

/** Splits `table` (seeded) into the rows the synthesizer learns from and a holdout it never sees. */
export function splitHoldout(table: Table, share: number, seed: number): { training: Table; holdout: Table } {
  const perm = createRng(seed, 'generate-holdout').permutation(table.numRows);
  const nh = Math.round(table.numRows * share);
  return { holdout: table.take(perm.slice(0, nh).sort()), training: table.take(perm.slice(nh).sort()) };
}

/**
 * `synthops generate DATA --out SYNTH.csv [--rows N] [--synthesizer KIND] [--seed S]`: fit + sample in one step with
 * the default synthesizer (`cart`), then evaluate the synthetic rows and write the report beside them
 * (`SYNTH.report.html` and `SYNTH.report.json`, or `--report FILE`, `--no-report`).
 *
 * So that the privacy scores mean something, a seeded 20% of DATA (`--holdout-share`) is held out before fitting and
 * serves as the "as good as real" reference; pass `--holdout FILE` to use rows the synthesizer never saw and fit on
 * all of DATA, or `--no-report` to fit on all rows and skip the evaluation.
 */
export const registerGenerate: RegisterCommand = (program: Command, io: CliIO, setStatus) => {
  program
    .command('generate')
    .description('Fit a synthesizer, write synthetic rows, and evaluate them against the real data in one step.')
    .argument('<data>', 'training data: .csv .tsv .jsonl .parquet')
    .requiredOption('--out <file>', 'output file: .csv .tsv .jsonl .parquet')
    .option('--rows <n>', 'number of rows (default: as many as the rows the synthesizer was fitted on)')
    .option('--seed <n>', 'random seed for the split, fitting, sampling and evaluation', '0')
    .option('--synthesizer <kind>', `one of ${SYNTHESIZERS.map((s) => s.kind).join(', ')}`, DEFAULT_SYNTHESIZER)
    .option('--model-out <file>', 'also save the fitted synthesizer (JSON)')
    .option('--epochs <n>', 'training epochs (tvae, ctgan only; default: the synthesizer\'s)')
    .option('--batch-size <n>', 'rows per training step (tvae, ctgan only; default 500)')
    .option('--schema <file>', 'synthops schema JSON to use instead of inferring')
    .option('--condition <col=value>', 'fix a column to a value (repeatable)', collect, [])
    .option('--rebalance <col[=a:share,...]>', 'draw a column\'s categories in given shares (default: equal)')
    .option('--constraints <file>', 'rules file (JSON or YAML): inequality, range, combinations')
    .option('--report <file>', 'HTML evaluation report (default: OUT with .report.html)')
    .option('--no-report', 'skip the evaluation: fit on every row and write only the synthetic data')
    .option('--report-json <file>', 'versioned JSON evaluation report (default: OUT with .report.json)')
    .option('--report-markdown <file>', 'also write the evaluation as Markdown')
    .option('--holdout <file>', 'real rows the synthesizer never saw, as the reference (then DATA is fitted whole)')
    .option('--holdout-share <x>', 'share of DATA held out as the reference when no --holdout is given', '0.2')
    .option('--target <col>', 'prediction target for the utility metrics (train on synthetic, test on real)')
    .option('--sensitive <cols>', 'sensitive columns for the attribute-inference attack, comma-separated')
    .option('--resamples <n>', 'bootstrap resamples for the intervals (default 30; 0 = none)')
    .option('--policy <file>', 'quality gates (YAML/JSON); exit 1 when one fails (default gates are only reported)')
    .option('--json', 'print a JSON summary on stdout')
    .addHelpText('after', '\nExamples:\n  synthops generate examples/census.csv --out synth.csv --target income\n  synthops generate train.csv --holdout test.csv --synthesizer gaussian-copula --rows 100000 --out synth.parquet\n  synthops generate data.csv --out synth.csv --no-report\n')
    .action(async (data: string, flags: GenerateFlags) => {
      const seed = parseSeed(flags.seed);
      const neural = trainingParams(flags.synthesizer, flags);
      const rows = flags.rows === undefined ? undefined : parseCount('--rows', flags.rows);
      const share = Number(flags.holdoutShare);
      if (!(share > 0 && share < 1)) throw new SynthopsError('invalid_argument', `invalid --holdout-share: ${JSON.stringify(flags.holdoutShare)}. Use a number between 0 and 1, e.g. 0.2.`);
      const resamples = flags.resamples === undefined ? undefined : parseCount('--resamples', flags.resamples);
      const withReport = flags.report !== false;
      const policy = flags.policy ? await loadGatePolicy(flags.policy, io) : DEFAULT_POLICY;
      const table = await readTable(resolve(io.cwd, data), { schema: await loadSchemaFlags(io, flags), signal: io.signal, displayPath: data });
      if (withReport && flags.target && !table.schema.columns.some((c) => c.name === flags.target)) {
        throw new SynthopsError('invalid_argument', `invalid --target: no column named ${JSON.stringify(flags.target)} in the data.`, { file: data, column: flags.target });
      }
      let training = table;
      let holdout: Table | undefined;
      if (withReport) {
        if (flags.holdout) holdout = await readTable(resolve(io.cwd, flags.holdout), { schema: table.schema, signal: io.signal, displayPath: flags.holdout });
        else if (table.numRows >= 10) ({ training, holdout } = splitHoldout(table, share, seed));
      }
      const { fitted, seconds: fitSeconds } = await fitTable(io, training, flags.synthesizer, seed, neural);
      if (flags.modelOut) await writeFileAtomic(resolve(io.cwd, flags.modelOut), JSON.stringify(fitted.save()) + '\n');
      const n = rows ?? training.numRows;
      const conditions = buildConditions(fitted, flags.condition, flags.rebalance);
      const constraints = flags.constraints ? await readRules(io, flags.constraints) : undefined;
      const { table: synth, report, seconds } = sampleTable(io, fitted, n, seed, 0, conditions, constraints);
      await writeTable(resolve(io.cwd, flags.out), synth);
      for (const w of report.warnings) io.stderr(`warning: ${w}\n`);
      io.stderr(`wrote ${n} synthetic rows (${fitted.kind}, fitted on ${training.numRows} rows in ${round(fitSeconds)} s, sampled in ${round(seconds)} s) → ${flags.out}\n`);

      const summary: Record<string, unknown> = {
        synthesizer: fitted.kind,
        rows: n,
        trainingRows: training.numRows,
        holdoutRows: holdout?.numRows ?? 0,
        seed,
        fitSeconds: round(fitSeconds),
        seconds: round(seconds),
        out: flags.out,
        warnings: report.warnings,
        constraintViolations: report.constraintViolations,
      };
      if (withReport) {
        if (!holdout) io.stderr('note: too few rows for a holdout; the report compares against the training rows only.\n');
        const evalStart = performance.now();
        // Neighbour searches (privacy, diversity) run on worker threads; the report is the same as in one thread.
        const evaluation = await evaluateInPool(
          { real: training, synthetic: synth, ...(holdout ? { holdout } : {}) },
          {
            seed,
            ...(flags.target ? { target: flags.target } : {}),
            ...(flags.sensitive ? { sensitive: list(flags.sensitive) } : {}),
            ...(resamples !== undefined ? { resamples } : {}),
            signal: io.signal,
            onMetric: (id, done, total) => {
              if (io.isTTY) io.stderr(`\r  evaluating ${done}/${total} ${id}`.padEnd(60) + (done === total ? '\n' : ''));
            },
          },
        );
        const gates = checkPolicy(evaluation.payload, policy);
        const html = typeof flags.report === 'string' ? flags.report : besideOut(flags.out, '.report.html');
        const json = flags.reportJson ?? besideOut(flags.out, '.report.json');
        await writeFileAtomic(resolve(io.cwd, html), renderEvaluationHtml(evaluation, { document: nodeDocument(), gates }));
        await writeFileAtomic(resolve(io.cwd, json), JSON.stringify(evaluation, null, 1) + '\n');
        if (flags.reportMarkdown) await writeFileAtomic(resolve(io.cwd, flags.reportMarkdown), renderEvaluationMarkdown(evaluation, gates));
        io.stderr(renderEvaluationText(evaluation, gates));
        io.stderr(`report → ${html} (open in a browser), ${json}; evaluated in ${round((performance.now() - evalStart) / 1000)} s\n`);
        summary.report = { html, json, gatesPassed: gates.passed, failedGates: gates.gates.filter((g) => g.status === 'fail').map((g) => g.gate) };
        if (flags.policy && !gates.passed) setStatus(EXIT.gateFailed);
      }
      if (flags.json) io.stdout(JSON.stringify(summary, null, 2) + '\n');
    });
};
