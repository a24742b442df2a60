import { ValidationError, type ValidationIssue } from '../../errors.js';
import type { ColumnModel } from '../transforms/column-model.js';

/**
 * A user rule on sampled rows (from a JSON or YAML file: `{ "rules": [ ... ] }`). Each has an optional `id`
 * (default `<type>-<index>`) used in violation counts.
 * - `inequality`: `low` ≤ `high` (or `<` with `strict: true`) between two numeric/datetime columns,
 *   e.g. `{ "type": "inequality", "low": "start", "high": "end" }`;
 * - `range`: a numeric column within `[min, max]`;
 * - `combinations`: the listed tuples are the only allowed combinations of categorical columns,
 *   e.g. `{ "type": "combinations", "columns": ["city", "country"], "allowed": [["Paris", "France"], ["Lyon", "France"]] }`.
 * Missing values never violate a rule.
 */
export type ConstraintRule =
  | { type: 'inequality'; id?: string; low: string; high: string; strict?: boolean }
  | { type: 'range'; id?: string; column: string; min?: number; max?: number }
  | { type: 'combinations'; id?: string; columns: string[]; allowed: string[][] };

/** A rule compiled against the modelled columns: `ok(values, i)` says whether row i satisfies it. */
export interface CompiledRule {
  id: string;
  ok(values: (Float64Array | Int32Array)[], i: number): boolean;
}

/**
 * Validates rules (parsed JSON/YAML) against the fitted column models and compiles them. Throws a
 * ValidationError listing every problem (unknown columns, wrong column types, malformed rules, unknown labels).
 */
export function compileRules(value: unknown, models: readonly ColumnModel[], source = 'constraints'): CompiledRule[] {
  const issues: ValidationIssue[] = [];
  const rules = (value && typeof value === 'object' && !Array.isArray(value) ? (value as { rules?: unknown }).rules : value) as unknown;
  if (!Array.isArray(rules)) throw new ValidationError([{ file: source, message: 'invalid constraints: expected { "rules": [ ... ] } or a list of rules.' }]);
  const modelledIndex = new Map<string, number>();
  let mi = 0;
  for (const m of models) if (m.kind === 'numeric' || m.kind === 'categorical') modelledIndex.set(m.name, mi++);
  const col = (path: string, name: unknown, kind: 'numeric' | 'categorical'): number => {
    const m = models.find((x) => x.name === name);
    if (typeof name !== 'string' || !m) {
      issues.push({ file: source, path, message: `${path}: invalid column ${JSON.stringify(name)}. No such column.` });
      return -1;
    }
    if (m.kind !== kind) {
      issues.push({ file: source, path, column: name, message: `${path}: invalid column type. This rule needs a ${kind} column.` });
      return -1;
    }
    return modelledIndex.get(name)!;
  };
  const out: CompiledRule[] = [];
  rules.forEach((r: Record<string, unknown>, k: number) => {
    const p = `rules/${k}`;
    const id = typeof r?.id === 'string' ? r.id : `${String(r?.type)}-${k}`;
    if (r?.type === 'inequality') {
      const a = col(`${p}/low`, r.low, 'numeric'), b = col(`${p}/high`, r.high, 'numeric');
      const strict = r.strict === true;
      if (a >= 0 && b >= 0)
        out.push({
          id,
          ok: (v, i) => {
            const x = v[a][i], y = v[b][i];
            return x !== x || y !== y || (strict ? x < y : x <= y);
          },
        });
    } else if (r?.type === 'range') {
      const c = col(`${p}/column`, r.column, 'numeric');
      const min = r.min === undefined ? -Infinity : Number(r.min), max = r.max === undefined ? Infinity : Number(r.max);
      if (Number.isNaN(min) || Number.isNaN(max) || min > max) issues.push({ file: source, path: p, message: `${p}: invalid range. min and max must be numbers with min ≤ max.` });
      else if (c >= 0) out.push({ id, ok: (v, i) => !(v[c][i] < min || v[c][i] > max) });
    } else if (r?.type === 'combinations') {
      const cols = Array.isArray(r.columns) ? (r.columns as unknown[]).map((name, j) => col(`${p}/columns/${j}`, name, 'categorical')) : [];
      if (cols.length < 2) issues.push({ file: source, path: p, message: `${p}: invalid columns. List at least two categorical columns.` });
      if (!Array.isArray(r.allowed) || !r.allowed.length) issues.push({ file: source, path: p, message: `${p}: invalid allowed. List the allowed combinations.` });
      if (cols.length >= 2 && cols.every((c) => c >= 0) && Array.isArray(r.allowed)) {
        const labels = (r.columns as string[]).map((name) => {
          const m = models.find((x) => x.name === name)!;
          return m.kind === 'categorical' ? m.marginal.labels : [];
        });
        const allowed = new Set<string>();
        (r.allowed as unknown[]).forEach((t, j) => {
          if (!Array.isArray(t) || t.length !== cols.length) {
            issues.push({ file: source, path: `${p}/allowed/${j}`, message: `${p}/allowed/${j}: invalid combination. Give ${cols.length} labels.` });
            return;
          }
          allowed.add(t.map((label, q) => labels[q].indexOf(String(label))).join(','));
        });
        out.push({
          id,
          ok: (v, i) => {
            let key = '';
            for (let q = 0; q < cols.length; q++) {
              const c = v[cols[q]][i];
              if (c < 0) return true;
              key += (q ? ',' : '') + c;
            }
            return allowed.has(key);
          },
        });
      }
    } else issues.push({ file: source, path: `${p}/type`, message: `${p}/type: invalid rule type ${JSON.stringify(r?.type)}. Use inequality, range or combinations.` });
  });
  if (issues.length) throw new ValidationError(issues);
  return out;
}
