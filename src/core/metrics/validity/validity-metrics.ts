import type { Table } from '../../table/table.js';
import type { Metric, MetricInput, MetricResult, RowWeights } from '../metric.js';
import { finiteMean, round6, runGuarded, skippedResult } from '../run-guarded.js';
import { meanOverColumns, weightedColumns } from '../fidelity/weighted-columns.js';

/**
 * A validity metric. `rowFree`: the score depends on the schemas only, not on any row, so every row resample gives the
 * same score: the metric states the interval [score, score] itself instead of the report resampling rows 30 times
 * (each resample gathered 5,000 rows of every column: 0.5 CPU s at 1M rows, for nothing). `weighted`: the metric's
 * `computeWeighted` (its score on a row resample given by multiplicities, see Metric).
 */
function validityMetric(id: string, name: string, description: string, appliesTo: Metric['info']['appliesTo'], body: (real: Table, synth: Table) => MetricResult | { score: number; details: MetricResult['details'] }, opts: { rowFree?: boolean; weighted?: (input: MetricInput, w: RowWeights) => number | null } = {}): Metric {
  return {
    ...(opts.weighted ? { computeWeighted: opts.weighted } : {}),
    info: { id, name, category: 'validity', goal: 'maximize', range: [0, 1], appliesTo, description, ...(opts.rowFree ? {} : { bootstrap: 'rows' as const }) },
    compute: (input) =>
      runGuarded(id, () => {
        const r = body(input.real, input.synthetic);
        if ('metric' in r) return r;
        return { metric: id, status: 'ok', score: r.score, ...(opts.rowFree ? { interval: [r.score, r.score] as [number, number] } : {}), details: r.details ?? null, warnings: [] };
      }),
  };
}

/** Columns of `real` that `synth` also has with the same storage, and of the given types. */
function shared(real: Table, synth: Table, types: readonly string[]): string[] {
  return real.schema.columns.filter((c) => types.includes(c.type) && synth.has(c.name) && synth.column(c.name).storage === real.column(c.name).storage).map((c) => c.name);
}

/**
 * Schema match: share of the real schema's columns that the synthetic table has with the same type (order
 * ignored); missing, retyped and extra columns are listed in details. 1 = same columns and types, 0 = none in common.
 * No row enters the score, so its interval is [score, score] (stated by the metric, no row bootstrap).
 * @example schemaMatch.compute({ real, synthetic, schema: real.schema, seed: 1 }).score // 1
 */
export const schemaMatch = validityMetric(
  'schema-match@1',
  'Schema match',
  'Whether the synthetic table has the same columns with the same types: 1 = identical schema.',
  [],
  (real, synth) => {
    const missing: string[] = [], wrongType: string[] = [];
    for (const c of real.schema.columns) {
      if (!synth.has(c.name)) missing.push(c.name);
      else if (synth.spec(c.name).type !== c.type) wrongType.push(c.name);
    }
    const extra = synth.schema.columns.filter((c) => !real.has(c.name)).map((c) => c.name);
    const n = real.schema.columns.length;
    return { score: n ? (n - missing.length - wrongType.length) / n : 1, details: { missing, wrongType, extra } };
  },
  { rowFree: true },
);

/**
 * Boundary adherence: mean over numerical and datetime columns of the share of present synthetic values inside the
 * real [min, max]. 1 = no value outside the real range; 0 = every value outside.
 * @example boundaryAdherence.compute({ real, synthetic, schema: real.schema, seed: 1 }).score
 */
export const boundaryAdherence = validityMetric(
  'boundary-adherence@1',
  'Boundary adherence',
  'Whether numbers and dates stay inside the real minimum and maximum: 1 = always.',
  ['numerical', 'datetime'],
  (real, synth) => {
    const names = shared(real, synth, ['numerical', 'datetime']);
    if (!names.length) return skippedResult('boundary-adherence@1', 'No numerical or datetime column.');
    const cols = names.map((name) => {
      const [lo, hi] = real.numeric(name).extent();
      const v = synth.numeric(name).values;
      let present = 0, inside = 0;
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x !== x) continue;
        present++;
        if (x >= lo && x <= hi) inside++;
      }
      return { column: name, score: present ? inside / present : 1 };
    });
    return { score: finiteMean(cols.map((c) => c.score)), details: { columns: cols.map((c) => ({ column: c.column, score: round6(c.score) })) } };
  },
  {
    // From the resample's weighted histograms: the real extent and the synthetic values drawn inside it.
    weighted: (input, w) => {
      const wc = weightedColumns(input.real, input.synthetic);
      if (!wc || wc.cols.some((c) => (c.type === 'numerical' || c.type === 'datetime') && c.kind !== 'numeric')) return null;
      return meanOverColumns(wc, w, ['numerical', 'datetime'], (s) => {
        if (s.kind !== 'numeric') return NaN;
        const present = s.synthRows - s.synthMissing;
        return present ? s.synthInside / present : 1;
      });
    },
  },
);

/**
 * Category adherence: mean over categorical and boolean columns of the share of present synthetic values whose
 * category occurs in the real column. 1 = no invented category; 0 = only invented ones.
 * @example categoryAdherence.compute({ real, synthetic, schema: real.schema, seed: 1 }).score
 */
export const categoryAdherence = validityMetric(
  'category-adherence@1',
  'Category adherence',
  'Whether categorical columns only use categories that exist in the real data: 1 = never invents one.',
  ['categorical', 'boolean'],
  (real, synth) => {
    const names = shared(real, synth, ['categorical', 'boolean']);
    if (!names.length) return skippedResult('category-adherence@1', 'No categorical or boolean column.');
    const cols = names.map((name) => {
      const rc = real.categorical(name);
      const seen = new Set<string>();
      const used = new Uint8Array(rc.dictionary.length);
      for (let i = 0; i < rc.codes.length; i++) if (rc.codes[i] >= 0) used[rc.codes[i]] = 1;
      rc.dictionary.forEach((d, k) => used[k] && seen.add(d));
      const sc = synth.categorical(name);
      const ok = sc.dictionary.map((d) => (seen.has(d) ? 1 : 0));
      let present = 0, inside = 0, invented = 0;
      for (let i = 0; i < sc.codes.length; i++) {
        const c = sc.codes[i];
        if (c < 0) continue;
        present++;
        inside += ok[c];
      }
      for (const v of ok) if (!v) invented++;
      return { column: name, score: present ? inside / present : 1, inventedCategories: invented };
    });
    return { score: finiteMean(cols.map((c) => c.score)), details: { columns: cols.map((c) => ({ ...c, score: round6(c.score) })) } };
  },
  {
    // From the resample's weighted category counts (aligned codes: a label is one code in both tables).
    weighted: (input, w) => {
      const wc = weightedColumns(input.real, input.synthetic);
      if (!wc || wc.cols.some((c) => (c.type === 'categorical' || c.type === 'boolean') && c.kind !== 'categorical')) return null;
      return meanOverColumns(wc, w, ['categorical', 'boolean'], (s) => {
        if (s.kind !== 'categorical') return NaN;
        let present = 0, inside = 0;
        for (let k = 1; k < s.synthCounts.length; k++) {
          present += s.synthCounts[k];
          if (s.realCounts[k] > 0) inside += s.synthCounts[k];
        }
        return present ? inside / present : 1;
      });
    },
  },
);

/**
 * Key uniqueness: for the primary key and every `id` column, the share of present synthetic values that are
 * distinct (and present: a missing key counts as a violation). 1 = every key unique; skipped without keys.
 * @example keyUniqueness.compute({ real, synthetic, schema: real.schema, seed: 1 }).status
 */
export const keyUniqueness = validityMetric(
  'key-uniqueness@1',
  'Key uniqueness',
  'Whether identifier columns hold a different, present value in every synthetic row: 1 = all unique.',
  ['id'],
  (real, synth) => {
    const keys = new Set(real.schema.columns.filter((c) => c.type === 'id').map((c) => c.name));
    if (real.schema.primaryKey) keys.add(real.schema.primaryKey);
    const names = [...keys].filter((k) => synth.has(k));
    if (!names.length) return skippedResult('key-uniqueness@1', 'No primary key or id column.');
    const cols = names.map((name) => {
      const c = synth.column(name);
      const n = c.length;
      if (n === 0) return { column: name, score: 1 };
      let distinct = 0;
      if (c.storage === 'categorical') {
        const seen = new Uint8Array(c.dictionary.length);
        for (let i = 0; i < n; i++) {
          const k = c.codes[i];
          if (k >= 0 && !seen[k]) {
            seen[k] = 1;
            distinct++;
          }
        }
      } else {
        const s = Float64Array.from(c.values).sort();
        for (let i = 0; i < n; i++) if (s[i] === s[i] && (i === 0 || s[i] !== s[i - 1])) distinct++;
      }
      return { column: name, score: distinct / n };
    });
    return { score: finiteMean(cols.map((c) => c.score)), details: { columns: cols.map((c) => ({ column: c.column, score: round6(c.score) })) } };
  },
  { weighted: (input, w) => keyUniquenessWeighted(input.real, input.synthetic, w) },
);

/** Per synthetic key column: each row's value as a group id (-1 = missing) and a scratch mark per group. */
const keyGroups = new WeakMap<Table, WeakMap<Table, { groups: Int32Array; seen: Uint8Array }[] | null>>();

/** Key uniqueness on a resample: distinct present keys among the rows drawn (weight > 0) / rows drawn. */
function keyUniquenessWeighted(real: Table, synth: Table, w: RowWeights): number {
  let inner = keyGroups.get(real);
  if (!inner) keyGroups.set(real, (inner = new WeakMap()));
  let cols = inner.get(synth);
  if (cols === undefined) {
    const keys = new Set(real.schema.columns.filter((c) => c.type === 'id').map((c) => c.name));
    if (real.schema.primaryKey) keys.add(real.schema.primaryKey);
    const names = [...keys].filter((k) => synth.has(k));
    cols = names.length
      ? names.map((name) => {
          const c = synth.column(name);
          if (c.storage === 'categorical') return { groups: c.codes, seen: new Uint8Array(c.dictionary.length) };
          const distinct = Float64Array.from(c.values).sort();
          let u = 0;
          for (let i = 0; i < distinct.length; i++) if (distinct[i] === distinct[i] && (u === 0 || distinct[i] !== distinct[u - 1])) distinct[u++] = distinct[i];
          const groups = new Int32Array(c.length).fill(-1);
          for (let i = 0; i < c.length; i++) {
            const x = c.values[i];
            if (x !== x) continue;
            let lo = 0, hi = u - 1;
            while (lo < hi) {
              const mid = (lo + hi) >> 1;
              if (distinct[mid] < x) lo = mid + 1;
              else hi = mid;
            }
            groups[i] = lo;
          }
          return { groups, seen: new Uint8Array(u) };
        })
      : null;
    inner.set(synth, cols);
  }
  if (!cols) return NaN;
  const n = w.syntheticRows, ws = w.synthetic;
  let s = 0;
  for (const { groups, seen } of cols) {
    seen.fill(0);
    let distinct = 0;
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      if (ws[i] > 0 && g >= 0 && !seen[g]) {
        seen[g] = 1;
        distinct++;
      }
    }
    s += n ? distinct / n : 1;
  }
  return s / cols.length;
}

/**
 * Constraint adherence: the schema's declared constraints checked on every synthetic row — `nullable: false`
 * (no missing value), `integer: true` (whole numbers) and declared `categories` (values among them). Score = mean
 * over the constraints checked of the share of rows that satisfy it. 1 = no violation; skipped when the schema
 * declares none.
 * @example constraintAdherence.compute({ real, synthetic, schema: real.schema, seed: 1 }).details
 */
export const constraintAdherence = validityMetric(
  'constraint-adherence@1',
  'Constraint adherence',
  'Whether the synthetic rows respect the rules declared in the schema (required values, whole numbers, allowed categories): 1 = no violation.',
  [],
  (real, synth) => {
    const checks: { column: string; constraint: string; violations: number; score: number }[] = [];
    const n = synth.numRows;
    for (const spec of real.schema.columns) {
      if (!synth.has(spec.name) || n === 0) continue;
      const c = synth.column(spec.name);
      if (!spec.nullable) {
        let bad = 0;
        if (c.storage === 'numeric') {
          for (let i = 0; i < n; i++) if (c.values[i] !== c.values[i]) bad++;
        } else for (let i = 0; i < n; i++) if (c.codes[i] < 0) bad++;
        checks.push({ column: spec.name, constraint: 'not-null', violations: bad, score: 1 - bad / n });
      }
      if (spec.integer && c.storage === 'numeric') {
        let bad = 0;
        for (let i = 0; i < n; i++) {
          const x = c.values[i];
          if (x === x && !Number.isInteger(x)) bad++;
        }
        checks.push({ column: spec.name, constraint: 'integer', violations: bad, score: 1 - bad / n });
      }
      if (spec.categories && c.storage === 'categorical') {
        const allowed = new Set(spec.categories);
        const ok = c.dictionary.map((d) => allowed.has(d));
        let bad = 0;
        for (let i = 0; i < n; i++) if (c.codes[i] >= 0 && !ok[c.codes[i]]) bad++;
        checks.push({ column: spec.name, constraint: 'categories', violations: bad, score: 1 - bad / n });
      }
    }
    if (!checks.length) return skippedResult('constraint-adherence@1', 'The schema declares no constraint (not-null, integer, categories).');
    return { score: finiteMean(checks.map((c) => c.score)), details: { checks: checks.map((c) => ({ ...c, score: round6(c.score) })) } };
  },
  { weighted: (input, w) => constraintWeighted(input.real, input.synthetic, w) },
);

/** The synthetic rows violating each declared constraint, in the order constraintAdherence checks them. */
const violations = new WeakMap<Table, WeakMap<Table, Int32Array[]>>();

/** Constraint adherence on a resample: violations drawn (with multiplicity) per check. O(violating rows). */
function constraintWeighted(real: Table, synth: Table, w: RowWeights): number {
  let inner = violations.get(real);
  if (!inner) violations.set(real, (inner = new WeakMap()));
  let checks = inner.get(synth);
  if (!checks) {
    checks = [];
    const n = synth.numRows;
    const rows = (bad: (i: number) => boolean) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) if (bad(i)) out.push(i);
      return Int32Array.from(out);
    };
    for (const spec of real.schema.columns) {
      if (!synth.has(spec.name) || n === 0) continue;
      const c = synth.column(spec.name);
      if (!spec.nullable) checks.push(c.storage === 'numeric' ? rows((i) => c.values[i] !== c.values[i]) : rows((i) => c.codes[i] < 0));
      if (spec.integer && c.storage === 'numeric') checks.push(rows((i) => c.values[i] === c.values[i] && !Number.isInteger(c.values[i])));
      if (spec.categories && c.storage === 'categorical') {
        const allowed = new Set(spec.categories);
        const ok = c.dictionary.map((d) => allowed.has(d));
        checks.push(rows((i) => c.codes[i] >= 0 && !ok[c.codes[i]]));
      }
    }
    inner.set(synth, checks);
  }
  if (!checks.length) return NaN;
  const n = w.syntheticRows, ws = w.synthetic;
  let s = 0;
  for (const idx of checks) {
    let bad = 0;
    for (let i = 0; i < idx.length; i++) bad += ws[idx[i]];
    s += 1 - bad / n;
  }
  return s / checks.length;
}
