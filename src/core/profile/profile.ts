import { makeArtifact, readArtifact, type Artifact } from '../artifact.js';
import { SynthopsError } from '../errors.js';
import type { JsonValue } from '../json.js';
import type { ColumnType } from '../table/schema.js';
import { COLUMN_TYPES } from '../table/schema.js';
import type { Table } from '../table/table.js';
import { FrequentItems, type FrequentItemsJson } from './frequent-items.js';
import { HyperLogLog } from './hyperloglog.js';
import { QuantileSketch, QuantileSketchBuilder, type QuantileSketchJson } from './quantile-sketch.js';

/**
 * The summary of one column in a profile: counts and mergeable sketches, never rows.
 * - numerical / datetime columns: `sketch` (quantiles, histogram, exact min / max);
 * - categorical / boolean columns: `items` (exact value counts up to a cap);
 * - id / text columns: neither (their values identify people or carry free text); only null and distinct counts.
 */
export interface ColumnProfile {
  name: string;
  type: ColumnType;
  /** Rows seen (missing included). */
  rows: number;
  /** Missing values. */
  nulls: number;
  sketch: QuantileSketch | null;
  /** Numeric columns: true when every non-missing value is a whole number (false for categorical columns). */
  integer: boolean;
  items: FrequentItems | null;
  /** Distinct-count estimate of the non-missing values. */
  distinct: HyperLogLog;
}

/**
 * A mergeable dataset profile: one `ColumnProfile` per column, in column order. Built from a table (or
 * chunk by chunk) with `profileTable`, combined with `mergeProfiles`, saved as a versioned artifact
 * (`kind: 'profile'`). Drift detection runs on profiles, so a reference is read once and never kept raw.
 * @example const ref = mergeProfiles(profileTable(part1), profileTable(part2));
 */
export interface DataProfile {
  rows: number;
  columns: ColumnProfile[];
}

/** Whether a column type is summarised with a quantile sketch (else with value counts). */
export function isNumericType(t: ColumnType): boolean {
  return t === 'numerical' || t === 'datetime';
}

/** Whether a column type keeps its value counts in a profile (id and text never do). */
export function keepsItems(t: ColumnType): boolean {
  return t === 'categorical' || t === 'boolean';
}

/**
 * Profiles every column of `table` (or the named ones). O(rows × columns); memory is the sketches plus one
 * 4 MB scratch buffer reused across columns.
 * @example const p = profileTable(table);
 */
export function profileTable(table: Table, opts: { columns?: readonly string[] } = {}): DataProfile {
  const names = opts.columns ?? table.columnNames;
  const builder = new QuantileSketchBuilder();
  const columns = names.map((name): ColumnProfile => {
    const spec = table.spec(name);
    const col = table.column(name);
    const distinct = new HyperLogLog();
    if (col.storage === 'numeric') {
      builder.addAll(col.values);
      distinct.addNumbers(col.values);
      return { name, type: spec.type, rows: col.length, nulls: col.nullCount, sketch: builder.build(), integer: allIntegers(col.values), items: null, distinct };
    }
    const counts = col.counts();
    const used = new Map<string, number>();
    counts.forEach((c, i) => {
      if (c > 0) used.set(col.dictionary[i], (used.get(col.dictionary[i]) ?? 0) + c);
    });
    for (const label of used.keys()) distinct.addString(label);
    return { name, type: spec.type, rows: col.length, nulls: col.nullCount, sketch: null, integer: false, items: keepsItems(spec.type) ? FrequentItems.fromCounts(used) : null, distinct };
  });
  return { rows: table.numRows, columns };
}

/**
 * Merges profiles of disjoint parts of one dataset (files, shards, chunks). The columns must have the same
 * names and types; their order follows `a`. Exact: merging the profiles of the halves of a table gives the
 * profile of the whole table.
 * @example mergeProfiles(profileTable(t.slice(0, 100)), profileTable(t.slice(100)))
 */
export function mergeProfiles(a: DataProfile, b: DataProfile): DataProfile {
  const issues: string[] = [];
  const byName = new Map(b.columns.map((c) => [c.name, c]));
  for (const c of a.columns) {
    const o = byName.get(c.name);
    if (!o) issues.push(`column "${c.name}" is missing from the second profile`);
    else if (o.type !== c.type) issues.push(`column "${c.name}" is ${c.type} in one profile and ${o.type} in the other`);
  }
  for (const c of b.columns) if (!a.columns.some((x) => x.name === c.name)) issues.push(`column "${c.name}" is missing from the first profile`);
  if (issues.length)
    throw new SynthopsError('schema_mismatch', `invalid merge: ${issues.join('; ')}. Profiles to merge must come from files with the same columns and types.`);
  const columns = a.columns.map((c): ColumnProfile => {
    const o = byName.get(c.name)!;
    return {
      name: c.name,
      type: c.type,
      rows: c.rows + o.rows,
      nulls: c.nulls + o.nulls,
      sketch: c.sketch && o.sketch ? c.sketch.merge(o.sketch) : null,
      integer: c.integer && o.integer,
      items: c.items && o.items ? c.items.merge(o.items) : null,
      distinct: c.distinct.merge(o.distinct),
    };
  });
  return { rows: a.rows + b.rows, columns };
}

/** Kind and version of profile artifacts. */
export const PROFILE_KIND = 'profile';
export const PROFILE_VERSION = 1;

interface ColumnProfileJson {
  name: string;
  type: ColumnType;
  rows: number;
  nulls: number;
  sketch?: QuantileSketchJson;
  integer?: boolean;
  items?: FrequentItemsJson;
  distinct: string;
}

/** The profile as a versioned artifact (plain JSON; counts and sketches only). */
export function profileToArtifact(p: DataProfile, extra: { windows?: JsonValue; calibration?: JsonValue } = {}): Artifact<JsonValue> {
  const payload = {
    rows: p.rows,
    columns: p.columns.map((c) => {
      const o: ColumnProfileJson = { name: c.name, type: c.type, rows: c.rows, nulls: c.nulls, distinct: c.distinct.toJSON() };
      if (c.sketch) {
        o.sketch = c.sketch.toJSON();
        o.integer = c.integer;
      }
      if (c.items) o.items = c.items.toJSON();
      return o;
    }),
    ...(extra.windows !== undefined ? { windows: extra.windows } : {}),
    ...(extra.calibration !== undefined ? { calibration: extra.calibration } : {}),
  };
  return makeArtifact(PROFILE_KIND, PROFILE_VERSION, payload as unknown as JsonValue & object) as Artifact<JsonValue>;
}

/**
 * Reads a profile artifact (parsed JSON). Throws `incompatible_artifact` naming `source` when it is not one.
 * Returns the profile and the optional window baseline and calibration stored with it.
 */
export function profileFromArtifact(value: unknown, source = 'profile'): { profile: DataProfile; windows?: JsonValue; calibration?: JsonValue } {
  const art = readArtifact<{ rows: number; columns: ColumnProfileJson[]; windows?: JsonValue; calibration?: JsonValue }>(value, PROFILE_KIND, [PROFILE_VERSION], source);
  const p = art.payload;
  const bad = (msg: string, column?: string) => new SynthopsError('incompatible_artifact', `invalid profile: ${msg}`, { file: source, column });
  if (!(p.rows >= 0) || !Array.isArray(p.columns)) throw bad('"rows" and "columns" are required.');
  const columns = p.columns.map((c): ColumnProfile => {
    if (!c || typeof c.name !== 'string' || !(COLUMN_TYPES as readonly string[]).includes(c.type)) throw bad('each column needs a name and a known type.');
    try {
      return {
        name: c.name,
        type: c.type,
        rows: Number(c.rows),
        nulls: Number(c.nulls),
        sketch: c.sketch ? QuantileSketch.fromJSON(c.sketch) : isNumericType(c.type) ? QuantileSketch.empty() : null,
        integer: c.integer === true,
        items: c.items ? FrequentItems.fromJSON(c.items) : null,
        distinct: HyperLogLog.fromJSON(c.distinct),
      };
    } catch (e) {
      throw bad((e as Error).message, c.name);
    }
  });
  return {
    profile: { rows: p.rows, columns },
    ...(p.windows !== undefined ? { windows: p.windows } : {}),
    ...(p.calibration !== undefined ? { calibration: p.calibration } : {}),
  };
}

function allIntegers(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x === x && x !== Math.floor(x)) return false;
  }
  return true;
}
