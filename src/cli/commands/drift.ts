import { resolve } from 'node:path';
import type { Command } from 'commander';
import { evaluatePolicy, parsePolicy, type Policy } from '../../core/drift/policy.js';
import type { Calibration } from '../../core/drift/performance.js';
import { buildDriftReport, DRIFT_REPORT_VERSION } from '../../core/drift/report.js';
import { getDriftTest } from '../../core/drift/registry.js';
import { baselineFromJson, parseWindow } from '../../core/drift/windows.js';
import { makeArtifact } from '../../core/artifact.js';
import { SynthopsError } from '../../core/errors.js';
import { renderDriftHtml } from '../../core/render/drift-html.js';
import { renderDriftText } from '../../core/render/drift-text.js';
import { writeFileAtomic } from '../../node/io/atomic.js';
import { nodeDocument } from '../../node/render/document.js';
import { EXIT } from '../exit.js';
import type { CliIO } from '../context.js';
import { readConfigFile } from '../files.js';
import type { RegisterCommand } from './index.js';
import { loadSchemaFlags } from './inspect.js';
import { isProfilePath, loadInput } from './profile.js';

interface DriftFlags {
  timeColumn?: string;
  window?: string;
  policy?: string;
  out?: string;
  json?: string;
  tests?: string;
  threshold: string[];
  driftShare?: string;
  target?: string;
  prediction?: string;
  proba?: string;
  classes?: string;
  columns?: string;
  all?: boolean;
  multivariate: boolean;
  seed?: string;
  schema?: string;
}

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

async function loadPolicy(path: string, io: CliIO): Promise<Policy> {
  return parsePolicy(await readConfigFile(io, path, 'policy file'), path);
}

/** `synthops drift REFERENCE CURRENT`: column, dataset, window and performance drift, with retraining triggers. */
export const registerDrift: RegisterCommand = (program: Command, io: CliIO, setStatus) => {
  program
    .command('drift')
    .description('Compare current data with a reference (a data file or a .profile.json): per-column drift tests, dataset drift, windows over time, confidence-based performance, retraining policy. Also works as a fidelity view: drift real.csv synthetic.csv.')
    .argument('<reference>', 'reference data file or .profile.json')
    .argument('<current>', 'current data file (or .profile.json when no windows or probabilities are needed)')
    .option('--time-column <col>', 'datetime column for per-window drift')
    .option('--window <length>', 'window length: 30m, 6h, 1d, 1w')
    .option('--policy <file>', 'retraining policy (YAML or JSON); exit 1 when a trigger fires')
    .option('--out <file>', 'write a self-contained HTML report')
    .option('--json <file>', 'write the report as versioned JSON (- for stdout)')
    .option('--tests <ids>', 'run these tests on every column instead of the defaults, e.g. ks,psi')
    .option('--threshold <test=value>', 'override a test threshold, e.g. wasserstein=0.2 (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--drift-share <x>', 'share of drifted columns at which the dataset drifts (default 0.5)')
    .option('--target <col>', 'label column (label drift; realised accuracy with --proba)')
    .option('--prediction <col>', 'model prediction column (prediction drift)')
    .option('--proba <cols>', 'classifier probability column(s): estimated accuracy without labels')
    .option('--classes <labels>', 'class labels: [negative,positive] for one probability column, else one per column')
    .option('--columns <cols>', 'compare only these columns')
    .option('--all', 'list every test in the terminal summary, not only drifted ones')
    .option('--no-multivariate', 'skip the domain classifier (multivariate drift; runs when both sides are data files)')
    .option('--seed <n>', 'seed for the domain classifier (default 0)')
    .option('--schema <file>', 'synthops schema JSON: column types for data files instead of inferring them from the first 200,000 rows')
    .addHelpText(
      'after',
      '\nExamples:\n  synthops drift ref.csv current.csv --out drift.html\n  synthops drift ref.profile.json current.csv --time-column ts --window 1d --policy retrain.yaml --json drift.json\n  synthops drift real.csv synthetic.csv   # fidelity view\n\nPolicy file (YAML):\n  version: 1\n  triggers:\n    - when: drift-share\n      above: 0.3\n    - when: column-distance\n      column: age\n      test: wasserstein\n      above: 0.2\n    - when: accuracy-drop\n      above: 0.05\n',
    )
    .action(async (refPath: string, curPath: string, o: DriftFlags) => {
      // Validate every option before reading data.
      if (Boolean(o.timeColumn) !== Boolean(o.window)) throw new SynthopsError('invalid_argument', 'invalid options: --time-column and --window go together.');
      const widthMs = o.window ? parseWindow(o.window) : 0;
      const thresholds: Record<string, number> = {};
      for (const t of o.threshold) {
        const m = /^([a-z0-9@-]+)=(.+)$/i.exec(t);
        if (!m || !Number.isFinite(Number(m[2]))) throw new SynthopsError('invalid_argument', `invalid --threshold: ${JSON.stringify(t)}. Use test=value, e.g. wasserstein=0.2.`);
        thresholds[getDriftTest(m[1]).info.id] = Number(m[2]);
      }
      const tests = o.tests ? list(o.tests).map((x) => getDriftTest(x).info.id) : undefined;
      const driftShare = o.driftShare === undefined ? undefined : Number(o.driftShare);
      if (driftShare !== undefined && !(driftShare > 0 && driftShare <= 1)) throw new SynthopsError('invalid_argument', `invalid --drift-share: ${JSON.stringify(o.driftShare)}. Use a number in (0, 1].`);
      const seed = o.seed === undefined ? 0 : Number(o.seed);
      if (!Number.isFinite(seed)) throw new SynthopsError('invalid_argument', `invalid --seed: ${JSON.stringify(o.seed)}. Use a number.`);
      const policy = o.policy ? await loadPolicy(o.policy, io) : undefined;
      const schema = await loadSchemaFlags(io, { schema: o.schema });
      if (isProfilePath(curPath) && (o.window || o.proba)) throw new SynthopsError('invalid_argument', 'invalid current: windows and --proba need the current rows, not a profile.', { file: curPath });

      // Windows and performance estimates need every row; otherwise both files are streamed chunk by chunk into
      // profiles, keeping only a uniform row sample of each side for the multivariate tests.
      const keepRows = Boolean(o.window || o.proba);
      const ref = await loadInput(refPath, io, io.signal, { keepRows, schema });
      let currentTable;
      let currentProfile;
      if (isProfilePath(curPath)) {
        const c = await loadInput(curPath, io, io.signal);
        currentProfile = c.profile;
        currentTable = undefined;
      } else {
        const c = await loadInput(curPath, io, io.signal, { keepRows, align: ref.profile, schema });
        currentTable = c.table;
        currentProfile = c.profile;
      }
      // --target may be absent from the current data when probabilities are given: labels have not arrived yet.
      for (const [flag, col] of [['--time-column', o.timeColumn], ['--target', o.proba ? undefined : o.target], ['--prediction', o.prediction]] as const)
        if (col && currentTable && !currentTable.has(col)) throw new SynthopsError('invalid_argument', `invalid ${flag}: "${col}". The current data has no such column.`, { file: curPath, column: col });
      const report = buildDriftReport({
        referenceName: refPath,
        currentName: curPath,
        reference: ref.profile,
        referenceTable: ref.table,
        current: currentTable,
        currentProfile,
        drift: { tests, thresholds, driftShare, target: o.target, prediction: o.prediction, columns: o.columns ? list(o.columns) : undefined },
        window: o.window ? { column: o.timeColumn!, width: o.window, widthMs, baseline: baselineFromJson(ref.windows) } : undefined,
        classifier: o.proba ? { probabilities: list(o.proba), classes: o.classes ? list(o.classes) : undefined, target: o.target } : undefined,
        calibration: ref.calibration as unknown as Calibration | undefined,
        multivariate: o.multivariate,
        seed,
      });
      if (policy) report.event = evaluatePolicy(policy, report);
      const artifact = makeArtifact('report/drift', DRIFT_REPORT_VERSION, report);
      if (o.out) await writeFileAtomic(resolve(io.cwd, o.out), renderDriftHtml(report, nodeDocument()));
      if (o.json === '-') io.stdout(JSON.stringify(artifact) + '\n');
      else if (o.json) await writeFileAtomic(resolve(io.cwd, o.json), JSON.stringify(artifact, null, 1) + '\n');
      io.stderr(renderDriftText(report, { all: o.all }));
      if (report.event) {
        if (o.json !== '-') io.stdout(JSON.stringify(report.event) + '\n');
        if (report.event.retrain) setStatus(EXIT.gateFailed);
      }
    });
};

