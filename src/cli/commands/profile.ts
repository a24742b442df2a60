import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SynthopsError } from '../../core/errors.js';
import type { JsonValue } from '../../core/json.js';
import { fitCalibration, scoreRows } from '../../core/drift/performance.js';
import { learnWindowBaseline, parseWindow } from '../../core/drift/windows.js';
import { mergeProfiles, profileFromArtifact, profileTable, profileToArtifact, type DataProfile } from '../../core/profile/profile.js';
import { alignToReference } from '../../core/drift/align.js';
import { RowReservoir } from '../../core/table/row-reservoir.js';
import type { Schema } from '../../core/table/schema.js';
import type { Table } from '../../core/table/table.js';
import { writeFileAtomic } from '../../node/io/atomic.js';
import { readTable, readTableChunks } from '../../node/io/read.js';
import type { CliIO } from '../context.js';
import type { RegisterCommand } from './index.js';
import { loadSchemaFlags } from './inspect.js';

/** True for a saved profile (`*.profile.json` or any `.json` artifact) rather than a data file. */
export function isProfilePath(p: string): boolean {
  return /\.json$/i.test(p) && !/\.jsonl$/i.test(p);
}

/**
 * A reference or current input: a profile always; for a data file also rows: all of them with `keepRows`, else
 * a uniform sample (`sampled`) kept while the file was streamed.
 */
export interface LoadedInput {
  name: string;
  profile: DataProfile;
  table?: Table;
  /** `table` is a uniform random sample of the rows (the file was streamed), not every row. */
  sampled?: boolean;
  windows?: JsonValue;
  calibration?: JsonValue;
}

/** Options for `loadInput`. */
export interface LoadInputOptions {
  /** Keep every row (window thresholds, calibration and performance need them). Default false: stream. */
  keepRows?: boolean;
  /** Re-type columns like this reference profile (see `alignToReference`). Default: as inferred. */
  align?: DataProfile;
  /** Rows in the sample kept while streaming (for multivariate drift). Default 20,000. */
  sampleRows?: number;
  /** Rows per streamed chunk (see `readTableChunks`). Default 200,000. */
  rowsPerChunk?: number;
  /** Column types to use instead of inferring them (`--schema`). Default: inferred (from the first chunk when streaming). */
  schema?: Schema;
}

/**
 * Reads a data file or a profile artifact. A data file is streamed chunk by chunk (`readTableChunks`): each chunk
 * is profiled and merged into the profile, then dropped, so memory holds one chunk plus a row sample, whatever
 * the file's size; with `keepRows` the whole table is read instead. Errors name the file.
 */
export async function loadInput(path: string, io: CliIO, signal?: AbortSignal, opts: LoadInputOptions = {}): Promise<LoadedInput> {
  const full = resolve(io.cwd, path);
  if (isProfilePath(path)) {
    let text: string;
    try {
      text = await readFile(full, 'utf8');
    } catch {
      throw new SynthopsError('not_found', 'invalid file: it does not exist or cannot be read. Check the path.', { file: path });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new SynthopsError('invalid_input', 'invalid profile: the file is not valid JSON.', { file: path });
    }
    const p = profileFromArtifact(json, path);
    return { name: path, profile: p.profile, windows: p.windows, calibration: p.calibration };
  }
  if (opts.keepRows) {
    const read = await readTable(full, { signal, schema: opts.schema });
    const table = opts.align ? alignToReference(read, opts.align) : read;
    return { name: path, profile: profileTable(table), table };
  }
  let profile: DataProfile | undefined;
  const sample = new RowReservoir({ size: opts.sampleRows ?? 20_000, seed: 0 });
  for await (const chunk of readTableChunks(full, { signal, rowsPerChunk: opts.rowsPerChunk, schema: opts.schema })) {
    const t = opts.align ? alignToReference(chunk, opts.align) : chunk;
    const p = profileTable(t);
    profile = profile ? mergeProfiles(profile, p) : p;
    sample.add(t);
  }
  return { name: path, profile: profile!, table: sample.table ?? undefined, sampled: sample.rows > sample.size };
}

function list(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

/** `synthops profile DATA... --out ref.profile.json`: mergeable per-column sketches, no rows. */
export const registerProfile: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('profile')
    .description('Summarise data files (or merge profiles) into a mergeable profile: quantile sketches, histograms, value counts, null counts, distinct-count estimates. No rows are stored.')
    .argument('<inputs...>', 'data files (CSV, TSV, JSONL, Parquet) and/or .profile.json files; all are merged')
    .requiredOption('--out <file>', 'where to write the profile (e.g. ref.profile.json)')
    .option('--time-column <col>', 'with --window: learn per-window alert thresholds from this data and store them')
    .option('--window <length>', 'window length for the thresholds: 30m, 6h, 1d, 1w')
    .option('--proba <cols>', 'probability column(s) of a classifier, comma-separated (stores a calibration map with --target)')
    .option('--classes <labels>', 'class labels: [negative,positive] for one probability column, else one per column')
    .option('--target <col>', 'true label column (for the calibration map)')
    .option('--schema <file>', 'synthops schema JSON: column types to use instead of inferring them from the first 200,000 rows')
    .option('--json', 'print a JSON summary on stdout')
    .addHelpText('after', '\nExamples:\n  synthops profile ref.csv --out ref.profile.json\n  synthops profile part1.csv part2.csv --out ref.profile.json --time-column ts --window 1d\n  synthops profile a.profile.json b.profile.json --out all.profile.json\n')
    .action(async (inputs: string[], o: { out: string; timeColumn?: string; window?: string; proba?: string; classes?: string; target?: string; schema?: string; json?: boolean }) => {
      if (Boolean(o.timeColumn) !== Boolean(o.window)) throw new SynthopsError('invalid_argument', 'invalid options: --time-column and --window go together.');
      if (o.target && !o.proba) throw new SynthopsError('invalid_argument', 'invalid options: --target needs --proba (the calibration map links probabilities to labels).');
      const widthMs = o.window ? parseWindow(o.window) : 0;
      const schema = await loadSchemaFlags(io, { schema: o.schema });
      let merged: DataProfile | undefined;
      let windows: JsonValue | undefined;
      let calibration: JsonValue | undefined;
      const tables: Table[] = [];
      for (const path of inputs) {
        // Window thresholds and calibration need every row; a plain profile streams the file.
        const inp = await loadInput(path, io, io.signal, { keepRows: Boolean(o.timeColumn || o.proba), schema });
        try {
          merged = merged ? mergeProfiles(merged, inp.profile) : inp.profile;
        } catch (e) {
          if (e instanceof SynthopsError) throw new SynthopsError(e.code, e.message, { file: path });
          throw e;
        }
        if (inp.table && (o.timeColumn || o.proba)) tables.push(inp.table);
        else if (o.timeColumn || o.proba) throw new SynthopsError('invalid_argument', 'invalid input: window thresholds and calibration need data files, not profiles.', { file: path });
        io.stderr(`profiled ${path}: ${inp.profile.rows} rows, ${inp.profile.columns.length} columns\n`);
      }
      const all = tables.length > 1 ? tables[0].concat(...tables.slice(1)) : tables[0];
      if (o.timeColumn && all) {
        if (!all.has(o.timeColumn)) throw new SynthopsError('invalid_argument', `invalid --time-column: "${o.timeColumn}". No such column.`, { column: o.timeColumn });
        windows = learnWindowBaseline(all, o.timeColumn, widthMs, merged) as unknown as JsonValue;
      }
      if (o.proba && o.target && all) {
        calibration = fitCalibration(scoreRows(all, { probabilities: list(o.proba), classes: o.classes ? list(o.classes) : undefined, target: o.target })) as unknown as JsonValue;
      }
      const art = profileToArtifact(merged!, { windows, calibration });
      await writeFileAtomic(resolve(io.cwd, o.out), JSON.stringify(art) + '\n');
      io.stderr(`wrote ${o.out}: ${merged!.rows} rows, ${merged!.columns.length} columns${windows ? ', window thresholds' : ''}${calibration ? ', calibration' : ''}\n`);
      if (o.json) io.stdout(JSON.stringify({ out: o.out, rows: merged!.rows, columns: merged!.columns.map((c) => ({ name: c.name, type: c.type, nulls: c.nulls })) }) + '\n');
    });
};
