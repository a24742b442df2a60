import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readArtifact } from '../../core/artifact.js';
import { SynthopsError } from '../../core/errors.js';
import { renderEvaluationText } from '../../core/render/evaluation-text.js';
import { EVALUATION_KIND, EVALUATION_REPORT_VERSION, type EvaluationPayload, type EvaluationReport } from '../../core/reports/evaluation.js';
import { checkPolicy, DEFAULT_POLICY } from '../../core/reports/policy.js';
import { EXIT } from '../exit.js';
import type { CliIO } from '../context.js';
import { loadGatePolicy, runEvaluation, type EvaluateFlags } from './evaluate.js';
import type { RegisterCommand } from './index.js';

interface CheckFlags {
  policy?: string;
  holdout?: string;
  target?: string;
  sensitive?: string;
  seed?: string;
  json?: boolean;
}

const evaluateFlags = (o: CheckFlags): EvaluateFlags => ({ holdout: o.holdout, target: o.target, sensitive: o.sensitive, seed: o.seed });

async function readReport(path: string, io: CliIO): Promise<EvaluationReport> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, path), 'utf8');
  } catch {
    throw new SynthopsError('not_found', 'invalid report file: it does not exist or cannot be read.', { file: path });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SynthopsError('invalid_input', 'invalid report file: it is not JSON. Pass a report written by synthops evaluate --json.', { file: path });
  }
  return readArtifact<EvaluationPayload>(value, EVALUATION_KIND, [EVALUATION_REPORT_VERSION], path) as EvaluationReport;
}

/** `synthops check (REPORT.json | REAL SYNTH) [--policy policy.yaml]`: quality gates; exit 1 when one fails. */
export const registerCheck: RegisterCommand = (program: Command, io: CliIO, setStatus) => {
  program
    .command('check')
    .description('Check quality gates on an evaluation report (or evaluate REAL against SYNTH first). Prints each gate with pass/fail; exits 1 when a gate fails. Default policy: docs/policy.md.')
    .argument('<report-or-real>', 'a report.json from synthops evaluate --json, or the real data file')
    .argument('[synthetic]', 'synthetic data file (when the first argument is real data)')
    .option('--policy <file>', 'gate policy (YAML or JSON); default: the built-in policy')
    .option('--holdout <file>', 'real holdout (when evaluating)')
    .option('--target <col>', 'utility target (when evaluating)')
    .option('--sensitive <cols>', 'sensitive columns (when evaluating)')
    .option('--seed <n>', 'seed (when evaluating; default 0)')
    .option('--json', 'print the gate results as JSON on stdout')
    .addHelpText('after', '\nExamples:\n  synthops check report.json\n  synthops check real.csv synthetic.csv --policy policy.yaml\n')
    .action(async (first: string, synth: string | undefined, o: CheckFlags) => {
      const policy = o.policy ? await loadGatePolicy(o.policy, io) : DEFAULT_POLICY;
      const report = synth ? await runEvaluation(io, first, synth, evaluateFlags(o)) : await readReport(first, io);
      const result = checkPolicy(report.payload, policy);
      if (o.json) io.stdout(JSON.stringify(result) + '\n');
      if (synth) io.stderr(renderEvaluationText(report, result));
      else {
        io.stderr(`Gates: ${result.passed ? 'PASSED' : 'FAILED'}\n`);
        for (const g of result.gates) io.stderr(`  ${g.status.toUpperCase().padEnd(7)} ${g.gate} — ${g.observed}\n`);
      }
      if (!result.passed) setStatus(EXIT.gateFailed);
    });
};
