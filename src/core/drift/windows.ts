import { SynthopsError } from '../errors.js';
import type { JsonValue } from '../json.js';
import { profileTable, type DataProfile } from '../profile/profile.js';
import type { Table } from '../table/table.js';
import { detectDrift, type DriftOptions } from './detect.js';
import { dataKindOf } from './drift-test.js';
import { getDriftTest } from './registry.js';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Parses a window length such as `30m`, `6h`, `1d`, `1w` into milliseconds. Throws `invalid_argument`.
 * @example parseWindow('6h') // 21600000
 */
export function parseWindow(spec: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([mhdw])$/.exec(String(spec).trim());
  if (!m || !(Number(m[1]) > 0))
    throw new SynthopsError('invalid_argument', `invalid window: ${JSON.stringify(spec)}. Use a number and a unit m, h, d or w, e.g. 1d or 6h.`);
  return Number(m[1]) * UNITS[m[2]];
}

/**
 * The time column as epoch milliseconds (NaN when missing): datetime columns as they are; numbers are taken as
 * epoch ms; text is parsed per distinct label (ISO 8601 and the formats `Date.parse` reads). Throws
 * `invalid_input` naming the column when a value cannot be read as a time.
 * @example timeValues(table, 'pickup')
 */
export function timeValues(table: Table, column: string): Float64Array {
  const col = table.column(column);
  if (col.storage === 'numeric') return col.values;
  const parsed = col.dictionary.map((label) => Date.parse(label));
  const bad = parsed.findIndex((x) => Number.isNaN(x));
  if (bad >= 0) {
    const rows = col.codes.findIndex((c) => c === bad);
    throw new SynthopsError('invalid_input', 'invalid time value: it is not a date or time. Use ISO 8601 (2024-05-01T12:00:00Z) or epoch milliseconds.', {
      column,
      ...(rows >= 0 ? { row: rows } : {}),
    });
  }
  const out = new Float64Array(col.length);
  for (let i = 0; i < col.length; i++) out[i] = col.codes[i] < 0 ? NaN : parsed[col.codes[i]];
  return out;
}

/** One time window: [start, start + width) in epoch ms and the rows in it. */
export interface TimeWindow {
  start: number;
  end: number;
  rows: Int32Array;
}

/**
 * Groups rows into consecutive windows of `widthMs` aligned to the Unix epoch (UTC), in time order; windows
 * with no rows between the first and the last are returned empty (so gaps show). Rows with a missing time are
 * counted in `untimed`.
 * @example splitWindows(t, 'ts', parseWindow('1d')).windows.length
 */
export function splitWindows(table: Table, column: string, widthMs: number): { windows: TimeWindow[]; untimed: number } {
  const t = timeValues(table, column);
  let lo = Infinity, hi = -Infinity, untimed = 0;
  for (let i = 0; i < t.length; i++) {
    const x = t[i];
    if (x !== x) {
      untimed++;
      continue;
    }
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (lo === Infinity) return { windows: [], untimed };
  const first = Math.floor(lo / widthMs);
  const count = Math.floor(hi / widthMs) - first + 1;
  if (count > 100_000) throw new SynthopsError('invalid_argument', `invalid window: it splits the data into ${count} windows. Use a longer window.`, { column });
  const sizes = new Int32Array(count);
  const bin = new Int32Array(t.length);
  for (let i = 0; i < t.length; i++) {
    const x = t[i];
    bin[i] = x !== x ? -1 : Math.floor(x / widthMs) - first;
    if (bin[i] >= 0) sizes[bin[i]]++;
  }
  const rows = Array.from(sizes, (s) => new Int32Array(s));
  const fill = new Int32Array(count);
  for (let i = 0; i < t.length; i++) if (bin[i] >= 0) rows[bin[i]][fill[bin[i]]++] = i;
  return { windows: rows.map((r, k) => ({ start: (first + k) * widthMs, end: (first + k + 1) * widthMs, rows: r })), untimed };
}

/**
 * Alert thresholds learned from the reference's own windows: for each column, the test used for window
 * monitoring (Wasserstein for numbers, Jensen–Shannon for categories, missing share for all) and the 99th
 * percentile (nearest rank) of that distance between each reference window and the whole reference — with
 * fewer than 100 windows this is the largest one seen. A current window alerts when it goes beyond.
 */
export interface WindowBaseline {
  widthMs: number;
  /** Reference windows the thresholds were learned from. */
  windows: number;
  /** Median rows per reference window. */
  medianRows: number;
  thresholds: { column: string; test: string; threshold: number }[];
}

/** Tests used per column for window monitoring (distances only, so thresholds can be learned). */
function monitorTests(kind: 'numeric' | 'categorical' | null): string[] {
  return kind === 'numeric' ? ['wasserstein@1', 'missing-share@1'] : kind === 'categorical' ? ['jensen-shannon@1', 'missing-share@1'] : ['missing-share@1'];
}

/**
 * Learns window alert thresholds from a reference table with a time column (see `WindowBaseline`). Needs at
 * least 3 non-empty reference windows; throws `invalid_input` otherwise.
 * @example const base = learnWindowBaseline(ref, 'ts', parseWindow('1d'));
 */
export function learnWindowBaseline(reference: Table, timeColumn: string, widthMs: number, refProfile?: DataProfile): WindowBaseline {
  const { windows } = splitWindows(reference, timeColumn, widthMs);
  const full = windows.filter((w) => w.rows.length > 0);
  if (full.length < 3)
    throw new SynthopsError('invalid_input', `invalid window: the reference has ${full.length} non-empty window(s) of this length; at least 3 are needed to learn alert thresholds. Use a shorter window.`, { column: timeColumn });
  const names = reference.columnNames.filter((n) => n !== timeColumn);
  const whole = refProfile ?? profileTable(reference, { columns: names });
  const values = new Map<string, number[]>();
  for (const w of full) {
    const p = profileTable(reference.take(w.rows), { columns: names });
    for (const c of p.columns) {
      const r = whole.columns.find((x) => x.name === c.name);
      if (!r) continue;
      for (const id of monitorTests(r.type === 'datetime' ? null : dataKindOf(r))) {
        const res = getDriftTest(id).run(r, c, { threshold: Infinity });
        if (res.skipped) continue;
        const key = c.name + '\u0000' + id;
        if (!values.has(key)) values.set(key, []);
        values.get(key)!.push(res.value);
      }
    }
  }
  const thresholds = [...values.entries()].map(([key, v]) => {
    const [column, test] = key.split('\u0000');
    v.sort((a, b) => a - b);
    return { column, test, threshold: v[Math.max(0, Math.ceil(0.99 * v.length) - 1)] };
  });
  const sizes = full.map((w) => w.rows.length).sort((a, b) => a - b);
  return { widthMs, windows: full.length, medianRows: sizes[sizes.length >> 1], thresholds };
}

/** Drift and data quality of one current window. */
export interface WindowDrift {
  start: number;
  end: number;
  rows: number;
  /** Share of columns drifted under the default tests (0 for an empty window). */
  driftShare: number;
  /** Columns whose monitored distance exceeded its learned threshold. */
  alerts: { column: string; test: string; value: number; threshold: number }[];
  /** Missing share per column in this window. */
  missingShare: Record<string, number>;
  /** Set for an empty window (no rows): nothing was compared. */
  empty?: true;
}

/**
 * Per-window drift of `current` against the reference profile: the default-test drift share, data quality
 * (missing shares), and alerts against a learned `baseline` when given. Empty windows are reported, not skipped.
 * @example windowedDrift(refProfile, current, 'ts', parseWindow('1d'), baseline)
 */
export function windowedDrift(
  reference: DataProfile,
  current: Table,
  timeColumn: string,
  widthMs: number,
  baseline?: WindowBaseline,
  opts: DriftOptions = {},
): { windows: WindowDrift[]; untimed: number } {
  const { windows, untimed } = splitWindows(current, timeColumn, widthMs);
  const names = current.columnNames.filter((n) => n !== timeColumn);
  const refBy = new Map(reference.columns.map((c) => [c.name, c]));
  const out = windows.map((w): WindowDrift => {
    if (!w.rows.length) return { start: w.start, end: w.end, rows: 0, driftShare: 0, alerts: [], missingShare: {}, empty: true };
    const p = profileTable(current.take(w.rows), { columns: names });
    const r = detectDrift(reference, p, { ...opts, exclude: [...(opts.exclude ?? []), timeColumn] });
    const alerts: WindowDrift['alerts'] = [];
    for (const t of baseline?.thresholds ?? []) {
      const rc = refBy.get(t.column), cc = p.columns.find((c) => c.name === t.column);
      if (!rc || !cc) continue;
      const res = getDriftTest(t.test).run(rc, cc, { threshold: t.threshold });
      if (!res.skipped && res.value > t.threshold) alerts.push({ column: t.column, test: t.test, value: res.value, threshold: t.threshold });
    }
    const missingShare: Record<string, number> = {};
    for (const c of p.columns) missingShare[c.name] = c.rows ? c.nulls / c.rows : 0;
    return { start: w.start, end: w.end, rows: w.rows.length, driftShare: r.dataset.share, alerts, missingShare };
  });
  return { windows: out, untimed };
}

/** Reads a baseline stored in a profile artifact (`profile --time-column --window`); undefined when absent. */
export function baselineFromJson(v: JsonValue | undefined): WindowBaseline | undefined {
  const b = v as unknown as WindowBaseline | undefined;
  if (!b || typeof b !== 'object' || !(b.widthMs > 0) || !Array.isArray(b.thresholds)) return undefined;
  return b;
}
