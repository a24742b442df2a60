import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { SynthopsError } from '../../core/errors.js';
import { LEARNER_KINDS, type LearnerKind } from '../../core/learners/learner.js';
import { compareTrainingData } from '../../core/model-eval/compare.js';
import { evaluatePredictions, type ModelEvalOptions } from '../../core/model-eval/evaluate.js';
import { applyGate, parseGatePolicy, type GatePolicy } from '../../core/model-eval/gate.js';
import { fitLearnerModel } from '../../core/model-eval/learner-model.js';
import { predictionsFromModel, type PredictiveModel } from '../../core/model-eval/model.js';
import { inferTask, predictionsFromTable } from '../../core/model-eval/predictions.js';
import { modelEvalArtifact, type ModelEvalReport } from '../../core/model-eval/report.js';
import { runRobustness } from '../../core/model-eval/robustness.js';
import { modelCard, modelCardArtifact, modelCardMarkdown } from '../../core/provenance/model-card.js';
import { modelEvalHtml } from '../../core/render/model-eval-html.js';
import { modelEvalTerminal } from '../../core/render/model-eval-terminal.js';
import type { Table } from '../../core/table/table.js';
import { endpointModel } from '../../node/endpoint/client.js';
import { measureInferenceCost } from '../../node/endpoint/inference-cost.js';
import { writeFileAtomic } from '../../node/io/atomic.js';
import { readTable } from '../../node/io/read.js';
import { nodeDocument } from '../../node/render/document.js';
import type { CliIO } from '../context.js';
import { readConfigFile } from '../files.js';
import { EXIT } from '../exit.js';
import type { RegisterCommand } from './index.js';

interface ModelEvalFlags {
  label?: string;
  prediction?: string;
  score?: string;
  positive?: string;
  threshold?: string;
  endpoint?: string;
  features?: string;
  classes?: string;
  batchSize?: string;
  timeout?: string;
  retries?: string;
  train?: string;
  learner?: string;
  trainReal?: string;
  trainSynthetic?: string;
  synthesizer?: string;
  test?: string;
  sliceBy?: string;
  minSupport?: string;
  resamples?: string;
  seed?: string;
  robustness?: boolean;
  cost?: boolean;
  policy?: string;
  out?: string;
  json?: string;
  card?: string;
  title?: string;
}

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

function int(flag: string, v: string | undefined, min: number, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new SynthopsError('invalid_argument', `invalid ${flag}: ${JSON.stringify(v)}. Use a whole number ≥ ${min}.`);
  return n;
}

async function readData(path: string, io: CliIO): Promise<Table> {
  return readTable(resolve(io.cwd, path), { signal: io.signal, displayPath: path });
}

async function loadGate(path: string, io: CliIO): Promise<GatePolicy> {
  return parseGatePolicy(await readConfigFile(io, path, 'policy file'), path);
}

/** Reads the synthesizer provenance from a synthesizer artifact given with --synthesizer (kind and version only). */
async function synthProvenance(path: string | undefined, io: CliIO): Promise<string | undefined> {
  if (!path) return undefined;
  try {
    const v = JSON.parse(await readFile(resolve(io.cwd, path), 'utf8')) as { kind?: unknown; kindVersion?: unknown; createdBy?: unknown };
    if (typeof v.kind !== 'string') throw new Error('no kind');
    return `${v.kind}@${String(v.kindVersion ?? '?')}${typeof v.createdBy === 'string' ? `, written by ${v.createdBy}` : ''}, artifact ${basename(path)}`;
  } catch {
    throw new SynthopsError('invalid_input', 'invalid --synthesizer: not a readable synthops synthesizer artifact (JSON with a "kind").', { file: path });
  }
}

/** `synthops model-eval`: metrics with intervals, calibration, slices, fairness, weak slices; or synthetic-vs-real. */
export const registerModelEval: RegisterCommand = (program: Command, io: CliIO, setStatus) => {
  program
    .command('model-eval')
    .description('Evaluate a model: metrics with bootstrap intervals, calibration, slices and fairness, weak-slice discovery, robustness, inference cost; or compare training on real vs synthetic data.')
    .argument('[data]', 'evaluation data (CSV, TSV, JSONL, Parquet) with the label and, unless a model is called, the prediction columns')
    .option('--label <col>', 'true label / target column (required)')
    .option('--prediction <col>', 'predicted class or value column')
    .option('--score <col>', 'binary: probability of the positive class, in [0, 1]')
    .option('--positive <label>', 'binary: the positive class (default 1/true/yes, else the rarer class)')
    .option('--threshold <x>', 'binary: score ≥ threshold predicts positive (default 0.5)')
    .option('--endpoint <url>', 'call a model behind an HTTP endpoint: POST {"rows": [...]} → {"predictions": [...]}')
    .option('--features <cols>', 'features sent to the endpoint / used by the learner (default: every column but the label)')
    .option('--classes <labels>', 'endpoint: class labels, when its answers do not name them')
    .option('--batch-size <n>', 'endpoint: rows per request (default 256)')
    .option('--timeout <ms>', 'endpoint: per-request timeout (default 10000)')
    .option('--retries <n>', 'endpoint: retries on timeouts and 5xx (default 3)')
    .option('--train <file>', 'train a built-in learner on this file and evaluate it on DATA')
    .option('--learner <kind>', `built-in learner: ${LEARNER_KINDS.join(', ')} (default random-forest)`)
    .option('--train-real <file>', 'synthetic vs real: real training data')
    .option('--train-synthetic <file>', 'synthetic vs real: synthetic training data')
    .option('--synthesizer <artifact>', 'synthetic vs real: the fitted synthesizer artifact, recorded as provenance')
    .option('--test <file>', 'synthetic vs real: the real test data both models are evaluated on')
    .option('--slice-by <cols>', 'columns to slice by, e.g. sex,race (each alone and crossed in pairs)')
    .option('--min-support <n>', 'smallest slice measured (default 30)')
    .option('--resamples <n>', 'bootstrap resamples for the intervals (default 200)')
    .option('--seed <n>', 'seed of the bootstrap, perturbations and learners (default 0)')
    .option('--robustness', 'with a model to call: perturbation tests (noise, category swaps, missing values, shifts)')
    .option('--cost', 'with a model to call: latency percentiles and throughput at several batch sizes')
    .option('--policy <file>', 'gate (YAML or JSON): {checks: [{metric: overall.rocAuc, min: 0.8}, …]}; exit 1 when a check fails')
    .option('--out <file>', 'write a self-contained HTML report')
    .option('--json <file>', 'write the report as versioned JSON (- for stdout)')
    .option('--card <file>', 'write a model card: Markdown to FILE and JSON beside it (FILE.json)')
    .option('--title <text>', 'report title')
    .addHelpText(
      'after',
      '\nExamples:\n  synthops model-eval scored.csv --label income --score p_income --slice-by sex,race --out report.html --json report.json\n  synthops model-eval test.csv --label income --endpoint http://127.0.0.1:8080/predict --robustness --cost\n  synthops model-eval test.csv --label income --train train.csv --learner gradient-boosting --card card.md\n  synthops model-eval --train-real train.csv --train-synthetic synth.csv --test test.csv --label income --slice-by sex,race\n\nPolicy file (YAML):\n  checks:\n    - metric: overall.rocAuc\n      min: 0.85\n      use: lower          # the lower end of the interval\n    - metric: fairness.sex.demographicParityDifference\n      max: 0.2\n    - metric: weakSlices.count\n      max: 0\n',
    )
    .action(async (dataPath: string | undefined, o: ModelEvalFlags) => {
      // Validate every option before reading data.
      if (!o.label) throw new SynthopsError('invalid_argument', 'invalid options: --label is required (the true label column).');
      const compare = Boolean(o.trainReal || o.trainSynthetic || o.test);
      if (compare) {
        if (!o.trainReal || !o.trainSynthetic || !o.test) throw new SynthopsError('invalid_argument', 'invalid options: synthetic vs real needs --train-real, --train-synthetic and --test together.');
        if (dataPath) throw new SynthopsError('invalid_argument', 'invalid options: give either DATA or --test, not both.');
      } else if (!dataPath) throw new SynthopsError('invalid_argument', 'invalid options: give the evaluation DATA file (or --train-real/--train-synthetic/--test).');
      const modes = [o.prediction || o.score ? 'columns' : '', o.endpoint ? 'endpoint' : '', o.train ? 'train' : '', compare ? 'compare' : ''].filter(Boolean);
      if (modes.length === 0) throw new SynthopsError('invalid_argument', 'invalid options: say what to evaluate: --prediction/--score columns, --endpoint URL, --train FILE, or --train-real/--train-synthetic/--test.');
      if (modes.length > 1) throw new SynthopsError('invalid_argument', `invalid options: choose one way to get predictions, not ${modes.join(' and ')}.`);
      const learner = (o.learner ?? 'random-forest') as LearnerKind;
      if (!LEARNER_KINDS.includes(learner)) throw new SynthopsError('invalid_argument', `invalid --learner: ${JSON.stringify(o.learner)}. Use one of ${LEARNER_KINDS.join(', ')}.`);
      const threshold = o.threshold === undefined ? undefined : Number(o.threshold);
      if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) throw new SynthopsError('invalid_argument', `invalid --threshold: ${JSON.stringify(o.threshold)}. Use a number in [0, 1].`);
      const seed = int('--seed', o.seed, 0, 0);
      const resamples = int('--resamples', o.resamples, 0, 200);
      const minSupport = int('--min-support', o.minSupport, 1, 30);
      if ((o.robustness || o.cost) && modes[0] === 'columns') throw new SynthopsError('invalid_argument', 'invalid options: --robustness and --cost need a model to call (--endpoint or --train).');
      const policy = o.policy ? await loadGate(o.policy, io) : undefined;
      const sliceBy = o.sliceBy ? list(o.sliceBy) : [];
      const evalOpts: ModelEvalOptions = { sliceBy, minSupport, resamples, seed, signal: io.signal };
      const predOpts = { positive: o.positive, threshold };
      const warnings: string[] = [];

      let report: ModelEvalReport;
      if (compare) {
        const [real, synth, test] = [await readData(o.trainReal!, io), await readData(o.trainSynthetic!, io), await readData(o.test!, io)];
        for (const [t, f] of [[real, o.trainReal!], [synth, o.trainSynthetic!], [test, o.test!]] as const)
          if (!t.has(o.label)) throw new SynthopsError('invalid_argument', `invalid --label: "${o.label}" is not in this file.`, { file: f, column: o.label });
        const features = o.features ? list(o.features) : real.columnNames.filter((c) => c !== o.label && test.has(c) && synth.has(c));
        const task = inferTask(real.column(o.label));
        io.stderr(`training ${learner} on real (${real.numRows} rows) and synthetic (${synth.numRows} rows) data…\n`);
        const mReal = fitLearnerModel(real, o.label, { kind: learner, features, seed, task });
        const mSynth = fitLearnerModel(synth, o.label, { kind: learner, features, seed, task });
        const pReal = predictionsFromModel(test, o.label, mReal, await mReal.predict(test), predOpts);
        const pSynth = predictionsFromModel(test, o.label, mSynth, await mSynth.predict(test), predOpts);
        const comparison = compareTrainingData(pReal, pSynth, test, evalOpts);
        report = {
          title: o.title ?? `Synthetic vs real training data: ${o.label}`,
          subtitle: `${learner} trained on ${o.trainReal} and on ${o.trainSynthetic}, both evaluated on ${o.test}`,
          model: { ...mSynth.info },
          data: {
            evaluation: { source: o.test!, rows: test.numRows },
            training: [
              { source: o.trainReal!, rows: real.numRows, synthetic: false },
              { source: o.trainSynthetic!, rows: synth.numRows, synthetic: true, ...((await synthProvenance(o.synthesizer, io)) ? { provenance: await synthProvenance(o.synthesizer, io) } : {}) },
            ],
          },
          label: o.label,
          options: { minSupport, resamples, seed, sliceBy },
          evaluation: comparison.synthetic,
          comparison,
          warnings,
        };
      } else {
        const data = await readData(dataPath!, io);
        if (!data.has(o.label)) throw new SynthopsError('invalid_argument', `invalid --label: "${o.label}" is not in the data.`, { file: dataPath, column: o.label });
        let model: PredictiveModel | null = null;
        let training: ModelEvalReport['data']['training'];
        if (o.endpoint) {
          const features = o.features ? list(o.features) : data.columnNames.filter((c) => c !== o.label);
          model = endpointModel({
            url: o.endpoint, task: inferTask(data.column(o.label)), features, classes: o.classes ? list(o.classes) : undefined,
            batchSize: int('--batch-size', o.batchSize, 1, 256), timeoutMs: int('--timeout', o.timeout, 1, 10000), retries: int('--retries', o.retries, 0, 3),
          });
        } else if (o.train) {
          const train = await readData(o.train, io);
          if (!train.has(o.label)) throw new SynthopsError('invalid_argument', `invalid --label: "${o.label}" is not in the training data.`, { file: o.train, column: o.label });
          const features = o.features ? list(o.features) : train.columnNames.filter((c) => c !== o.label && data.has(c));
          io.stderr(`training ${learner} on ${train.numRows} rows…\n`);
          model = fitLearnerModel(train, o.label, { kind: learner, features, seed, task: inferTask(train.column(o.label)) });
          training = [{ source: o.train, rows: train.numRows, synthetic: false }];
        }
        const preds = model
          ? predictionsFromModel(data, o.label, model, await model.predict(data, { signal: io.signal }), predOpts)
          : predictionsFromTable(data, { label: o.label, prediction: o.prediction, score: o.score, positive: o.positive, threshold }, dataPath);
        // Never slice or search by the prediction columns themselves.
        const exclude = new Set([o.label, o.prediction, o.score].filter(Boolean) as string[]);
        const evaluation = evaluatePredictions(preds, data, { ...evalOpts, discoverColumns: evalOpts.discoverColumns ?? discoverable(data, sliceBy, exclude) });
        report = {
          title: o.title ?? `Model evaluation: ${o.label}`,
          subtitle: `${dataPath}${model ? ` · model: ${model.info.kind}` : ''}`,
          model: model ? { ...model.info } : { kind: 'predictions', prediction: o.prediction ?? null, score: o.score ?? null },
          data: { evaluation: { source: dataPath!, rows: data.numRows }, ...(training ? { training } : {}) },
          label: o.label,
          options: { minSupport, resamples, seed, sliceBy },
          evaluation,
          warnings,
        };
        if (model && o.robustness) report.robustness = await runRobustness(model, data, o.label, { seed, ...predOpts, signal: io.signal });
        if (model && o.cost) report.inferenceCost = await measureInferenceCost(model, data, { signal: io.signal });
      }
      if (policy) report.gate = applyGate(report.evaluation, policy);

      // Render everything first, then write each output atomically.
      const outputs: [string, string][] = [];
      if (o.out) outputs.push([o.out, modelEvalHtml(report, nodeDocument())]);
      if (o.json && o.json !== '-') outputs.push([o.json, JSON.stringify(modelEvalArtifact(report), null, 1) + '\n']);
      if (o.card) {
        const card = modelCard(report);
        outputs.push([o.card, modelCardMarkdown(card)], [o.card.replace(/\.md$/i, '') + '.json', JSON.stringify(modelCardArtifact(card), null, 1) + '\n']);
      }
      for (const [path, text] of outputs) await writeFileAtomic(resolve(io.cwd, path), text);
      if (o.json === '-') io.stdout(JSON.stringify(modelEvalArtifact(report)) + '\n');
      io.stderr(modelEvalTerminal(report));
      if (report.gate && !report.gate.passed) setStatus(EXIT.gateFailed);
    });
};

/** Weak-slice search columns: the slice columns plus other non-prediction columns with ≤ 50 categories. */
function discoverable(data: Table, sliceBy: string[], exclude: Set<string>): string[] {
  const rest = data.columnNames.filter((c) => !sliceBy.includes(c) && !exclude.has(c)).filter((c) => {
    const col = data.column(c);
    return col.storage === 'numeric' || col.dictionary.length <= 50;
  });
  return [...sliceBy, ...rest];
}
