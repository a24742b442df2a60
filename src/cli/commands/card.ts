import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readArtifact } from '../../core/artifact.js';
import { SynthopsError } from '../../core/errors.js';
import { MODEL_EVAL_REPORT_KIND, type ModelEvalReport } from '../../core/model-eval/report.js';
import { modelCard, modelCardArtifact, modelCardMarkdown, type ModelCardContext } from '../../core/provenance/model-card.js';
import { writeFileAtomic } from '../../node/io/atomic.js';
import type { CliIO } from '../context.js';
import type { RegisterCommand } from './index.js';

interface CardFlags {
  out?: string;
  json?: string;
  name?: string;
  version?: string;
  owners?: string;
  intendedUse?: string;
  outOfScope?: string;
  ethics?: string;
  caveat: string[];
}

/** `synthops card REPORT.json`: a model card (Markdown + JSON) from a saved model-eval report. */
export const registerCard: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('card')
    .description('Write a model card (Markdown and JSON) from a saved `model-eval --json` report: metrics with intervals, slices, fairness, calibration, limitations, NIST AI RMF Measure items.')
    .argument('<report>', 'model-eval report JSON (from --json)')
    .option('--out <file>', 'Markdown card (default: print to stdout)')
    .option('--json <file>', 'card as versioned JSON')
    .option('--name <text>', 'model name')
    .option('--version <text>', 'model version')
    .option('--owners <text>', 'who owns the model')
    .option('--intended-use <text>', 'what the model is for')
    .option('--out-of-scope <text>', 'uses it is not meant for')
    .option('--ethics <text>', 'ethical considerations')
    .option('--caveat <text>', 'an extra caveat (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .addHelpText('after', '\nExample:\n  synthops model-eval test.csv --label income --train train.csv --slice-by sex,race --json eval.json\n  synthops card eval.json --name income-rf --intended-use "Teaching example" --out MODEL_CARD.md --json card.json\n')
    .action(async (path: string, o: CardFlags) => {
      let value: unknown;
      try {
        value = JSON.parse(await readFile(resolve(io.cwd, path), 'utf8'));
      } catch (e) {
        const missing = (e as { code?: string }).code === 'ENOENT';
        throw new SynthopsError(missing ? 'not_found' : 'invalid_input', missing ? 'invalid report: the file does not exist.' : 'invalid report: not valid JSON.', { file: path });
      }
      const report = readArtifact<ModelEvalReport>(value, MODEL_EVAL_REPORT_KIND, [1], path).payload;
      if (!report.evaluation || !report.options) throw new SynthopsError('incompatible_artifact', 'invalid report: no evaluation inside.', { file: path });
      const ctx: ModelCardContext = { name: o.name, version: o.version, owners: o.owners, intendedUse: o.intendedUse, outOfScope: o.outOfScope, ethicalConsiderations: o.ethics, caveats: o.caveat };
      const card = modelCard(report, ctx);
      const md = modelCardMarkdown(card);
      const writes: [string, string][] = [];
      if (o.out) writes.push([o.out, md]);
      if (o.json) writes.push([o.json, JSON.stringify(modelCardArtifact(card), null, 1) + '\n']);
      for (const [p, text] of writes) await writeFileAtomic(resolve(io.cwd, p), text);
      if (!o.out) io.stdout(md);
      else io.stderr(`model card written to ${o.out}${o.json ? ` and ${o.json}` : ''}\n`);
    });
};
