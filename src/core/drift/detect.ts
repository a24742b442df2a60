import { SynthopsError } from '../errors.js';
import { isNumericType, type ColumnProfile, type DataProfile } from '../profile/profile.js';
import type { ColumnType } from '../table/schema.js';
import { defaultTestIds, SMALL_SAMPLE_LIMIT } from './defaults.js';
import { binnedCounts } from './distribution.js';
import type { DriftTestResult } from './drift-test.js';
import { getDriftTest } from './registry.js';

/** Options of `detectDrift`; every field has a default. */
export interface DriftOptions {
  /** Columns to compare (default: all columns of either side). */
  columns?: string[];
  /** Tests to run on every applicable column instead of the defaults (ids like `psi` or `ks@1`). */
  tests?: string[];
  /** Threshold per test id (overrides the test's default). */
  thresholds?: Record<string, number>;
  /** Share of compared columns that must drift for the dataset to drift. Default 0.5. */
  driftShare?: number;
  /** Where the defaults switch from p-values to effect sizes. Default 1000 (non-missing values, smaller side). */
  smallSampleLimit?: number;
  /** The label column (its drift is reported as label drift). */
  target?: string;
  /** The model-prediction column (its drift is reported as prediction drift). */
  prediction?: string;
  /** Columns never compared (e.g. the time column). */
  exclude?: string[];
}

/** A schema difference between the two sides, reported rather than thrown. */
export interface DriftFinding {
  kind: 'missing-in-current' | 'new-in-current' | 'type-changed' | 'empty-reference' | 'empty-current' | 'all-missing' | 'not-compared';
  column?: string;
  message: string;
}

/** Summary statistics of one side of a column (no rows; categories only for categorical and boolean columns). */
export interface SideSummary {
  rows: number;
  missingShare: number;
  distinct: number;
  mean?: number;
  std?: number;
  /** p5, p25, p50, p75, p95 from the quantile sketch. */
  quantiles?: number[];
}

/** Drift of one column: every test run, the overall verdict, and chart data. */
export interface ColumnDrift {
  column: string;
  type: ColumnType;
  /** `type-changed`: compared as a schema change (always drifted); `missing`: present on one side only. */
  status: 'compared' | 'type-changed' | 'missing';
  /** True when any test drifted (or the type changed). */
  drifted: boolean;
  tests: DriftTestResult[];
  reference?: SideSummary;
  current?: SideSummary;
  /** Shares per bin for charts: bins are reference deciles (numbers) or categories (top 20, the rest pooled). */
  histogram?: { labels: string[]; reference: number[]; current: number[] };
}

/** Dataset-level verdict. */
export interface DatasetDrift {
  /** Columns compared (present on both sides). */
  compared: number;
  drifted: number;
  /** drifted / compared (0 when nothing was compared). */
  share: number;
  /** The share at which the dataset counts as drifted. */
  threshold: number;
  datasetDrifted: boolean;
}

/**
 * The plain-JSON result of `detectDrift`: per-column tests, dataset verdict, label and prediction drift,
 * and schema findings. Renderers (HTML, terminal) are pure functions of it.
 */
export interface DriftResult {
  reference: { rows: number };
  current: { rows: number };
  columns: ColumnDrift[];
  dataset: DatasetDrift;
  /** Drift of the label column, when `target` was given and is present on both sides. */
  labelDrift?: ColumnDrift;
  /** Drift of the prediction column, when `prediction` was given. */
  predictionDrift?: ColumnDrift;
  findings: DriftFinding[];
}

/**
 * Compares a current profile with a reference profile, column by column, with the default tests (see
 * `defaultTestIds`) or the given ones, plus the missing-share test everywhere. Never throws on data problems:
 * missing columns, type changes, empty sides and all-missing columns become findings. Throws
 * `invalid_argument` for unknown test ids or option values.
 * @example
 * const r = detectDrift(profileTable(reference), profileTable(current));
 * r.dataset.share // 0.2 → one column in five drifted
 */
export function detectDrift(reference: DataProfile, current: DataProfile, opts: DriftOptions = {}): DriftResult {
  const driftShare = opts.driftShare ?? 0.5;
  if (!(driftShare > 0 && driftShare <= 1)) throw new SynthopsError('invalid_argument', `invalid driftShare: ${driftShare}. Use a number in (0, 1].`);
  const tests = opts.tests?.map(getDriftTest);
  for (const id of Object.keys(opts.thresholds ?? {})) getDriftTest(id);
  const thresholdOf = (id: string) => {
    const t = opts.thresholds ?? {};
    return t[id] ?? t[id.split('@')[0]];
  };
  const refBy = new Map(reference.columns.map((c) => [c.name, c]));
  const curBy = new Map(current.columns.map((c) => [c.name, c]));
  const exclude = new Set(opts.exclude ?? []);
  const names = opts.columns ?? [...new Set([...reference.columns.map((c) => c.name), ...current.columns.map((c) => c.name)])];
  const findings: DriftFinding[] = [];
  if (reference.rows === 0) findings.push({ kind: 'empty-reference', message: 'the reference has no rows; nothing can be compared.' });
  if (current.rows === 0) findings.push({ kind: 'empty-current', message: 'the current data has no rows; nothing can be compared.' });
  const columns: ColumnDrift[] = [];
  for (const name of names) {
    if (exclude.has(name)) continue;
    const r = refBy.get(name), c = curBy.get(name);
    if (!r || !c) {
      if (!r && !c) throw new SynthopsError('invalid_argument', `invalid column: "${name}". It is in neither the reference nor the current data.`, { column: name });
      findings.push(
        r
          ? { kind: 'missing-in-current', column: name, message: `column "${name}" is in the reference but missing from the current data.` }
          : { kind: 'new-in-current', column: name, message: `column "${name}" is new in the current data (not in the reference).` },
      );
      columns.push({ column: name, type: (r ?? c)!.type, status: 'missing', drifted: false, tests: [] });
      continue;
    }
    if (!sameKind(r.type, c.type)) {
      findings.push({ kind: 'type-changed', column: name, message: `column "${name}" changed type: ${r.type} in the reference, ${c.type} in the current data.` });
      columns.push({ column: name, type: c.type, status: 'type-changed', drifted: true, tests: [], reference: summarise(r), current: summarise(c) });
      continue;
    }
    for (const [side, p] of [['reference', r], ['current', c]] as const)
      if (p.rows > 0 && p.nulls === p.rows) findings.push({ kind: 'all-missing', column: name, message: `column "${name}" has only missing values in the ${side}.` });
    const ids = tests ? tests.map((t) => t.info.id) : defaultTestIds(r, c, { smallSampleLimit: opts.smallSampleLimit ?? SMALL_SAMPLE_LIMIT });
    if (!tests && !ids.length && (r.items?.overflow || c.items?.overflow))
      findings.push({
        kind: 'not-compared',
        column: name,
        message: `column "${name}" has more than 1000 distinct values, so only its missing share was compared. If it holds numbers, give it the numerical type in the schema.`,
      });
    const results: DriftTestResult[] = [];
    for (const id of [...ids.filter((x) => x !== 'missing-share@1'), 'missing-share@1']) {
      const t = getDriftTest(id);
      const res = t.run(r, c, { threshold: thresholdOf(t.info.id) });
      // Default effect sizes must also be significant: with many categories or a few thousand rows, sampling
      // noise alone can reach a distance of 0.1. The confirming test is KS (numbers) or chi-squared (categories).
      if (!tests && res.drifted && (id === 'wasserstein@1' || id === 'jensen-shannon@1')) {
        const confirm = getDriftTest(id === 'wasserstein@1' ? 'ks@1' : 'chi-squared@1').run(r, c);
        if (!confirm.skipped && !confirm.drifted) {
          res.drifted = false;
          res.note = `not significant: ${confirm.test} p = ${confirm.value.toPrecision(3)} ≥ 0.05 for these sample sizes`;
        }
        if (res.details) res.details.confirmP = confirm.value;
      }
      results.push(res);
    }
    columns.push({
      column: name,
      type: r.type,
      status: 'compared',
      drifted: results.some((x) => x.drifted),
      tests: results,
      reference: summarise(r),
      current: summarise(c),
      ...histogramOf(r, c),
    });
  }
  const compared = columns.filter((c) => c.status !== 'missing');
  const drifted = compared.filter((c) => c.drifted).length;
  const share = compared.length ? drifted / compared.length : 0;
  const out: DriftResult = {
    reference: { rows: reference.rows },
    current: { rows: current.rows },
    columns,
    dataset: { compared: compared.length, drifted, share, threshold: driftShare, datasetDrifted: compared.length > 0 && share >= driftShare },
    findings,
  };
  if (opts.target) {
    const col = columns.find((c) => c.column === opts.target);
    if (col) out.labelDrift = col;
  }
  if (opts.prediction) {
    const col = columns.find((c) => c.column === opts.prediction);
    if (col) out.predictionDrift = col;
  }
  return out;
}

function sameKind(a: ColumnType, b: ColumnType): boolean {
  if (a === b) return true;
  const group = (t: ColumnType) => (isNumericType(t) ? (t === 'datetime' ? 'time' : 'number') : t === 'categorical' || t === 'boolean' ? 'category' : t);
  return group(a) === group(b);
}

const QS = [0.05, 0.25, 0.5, 0.75, 0.95];

/** Per-side summary from a column profile. */
export function summarise(p: ColumnProfile): SideSummary {
  const s: SideSummary = { rows: p.rows, missingShare: p.rows ? p.nulls / p.rows : 0, distinct: Math.round(p.distinct.estimate()) };
  if (p.sketch && p.sketch.n) {
    const m = p.sketch.moments();
    s.mean = m.mean;
    s.std = m.std;
    s.quantiles = QS.map((q) => p.sketch!.quantile(q));
  }
  return s;
}

const TOP = 20;
function histogramOf(r: ColumnProfile, c: ColumnProfile): Pick<ColumnDrift, 'histogram'> {
  if (r.rows - r.nulls === 0 || c.rows - c.nulls === 0) return {};
  const b = binnedCounts(r, c);
  if (!b) return {};
  const tr = b.ref.reduce((s, x) => s + x, 0) || 1, tc = b.cur.reduce((s, x) => s + x, 0) || 1;
  let idx = b.labels.map((_, i) => i);
  if (!r.sketch && idx.length > TOP) idx = idx.sort((i, j) => b.ref[j] + b.cur[j] - b.ref[i] - b.cur[i]);
  const keep = idx.slice(0, TOP);
  const labels = keep.map((i) => b.labels[i]);
  const reference = keep.map((i) => b.ref[i] / tr);
  const current = keep.map((i) => b.cur[i] / tc);
  if (idx.length > TOP) {
    labels.push('(other)');
    reference.push(1 - reference.reduce((s, x) => s + x, 0));
    current.push(1 - current.reduce((s, x) => s + x, 0));
  }
  return { histogram: { labels, reference, current } };
}
