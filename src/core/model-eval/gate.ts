/**
 * Policy gates on a model evaluation: a list of checks, each a figure of the report with a bound. The gate
 * fails when any check fails (the CLI then exits 1). Bounds may apply to the value or to an end of its
 * interval, so "AUC at least 0.8 with 95 % confidence" is `{ metric: 'overall.rocAuc', min: 0.8, use: 'lower' }`.
 */
import { ValidationError, type ValidationIssue } from '../errors.js';
import type { Estimate } from './estimate.js';
import type { ModelEvalResult } from './evaluate.js';

/** One check. `metric` paths: `overall.<key>` (e.g. overall.f1), `fairness.<column>.<key>` (e.g.
 *  fairness.sex.demographicParityDifference; multiclass: the worst class — highest difference, lowest ratio), `calibration.ece` / `calibration.mce` (equal width),
 *  `weakSlices.count`, `slices.min.<key>` (the worst slice's value, e.g. slices.min.f1). */
export interface GateCheck {
  metric: string;
  min?: number;
  max?: number;
  /** Which number to compare: the value (default) or the lower / upper end of its interval. */
  use?: 'value' | 'lower' | 'upper';
}

/** A policy file: `{ "checks": [ … ] }` (JSON or YAML). */
export interface GatePolicy {
  checks: GateCheck[];
}

/** Outcome of every check. */
export interface GateResult {
  passed: boolean;
  checks: (GateCheck & { actual: number | null; passed: boolean; message: string })[];
}

/**
 * Validates an untrusted policy object; all problems are reported at once.
 * @example parseGatePolicy(YAML.parse(text), 'policy.yaml')
 */
export function parseGatePolicy(value: unknown, source = 'policy'): GatePolicy {
  const issues: ValidationIssue[] = [];
  const v = value as { checks?: unknown };
  if (!v || typeof v !== 'object' || !Array.isArray(v.checks)) throw new ValidationError([{ file: source, message: 'invalid policy: expected an object with a "checks" list.' }]);
  v.checks.forEach((c: unknown, i) => {
    const x = c as Partial<GateCheck>;
    if (!x || typeof x !== 'object' || typeof x.metric !== 'string') { issues.push({ file: source, path: `checks/${i}`, message: `invalid check ${i + 1}: needs a "metric" string.` }); return; }
    if (x.min === undefined && x.max === undefined) issues.push({ file: source, path: `checks/${i}`, message: `invalid check ${i + 1} (${x.metric}): give "min" and/or "max".` });
    for (const b of ['min', 'max'] as const) if (x[b] !== undefined && typeof x[b] !== 'number') issues.push({ file: source, path: `checks/${i}/${b}`, message: `invalid ${b} in check ${i + 1}: not a number.` });
    if (x.use !== undefined && !['value', 'lower', 'upper'].includes(x.use)) issues.push({ file: source, path: `checks/${i}/use`, message: `invalid use in check ${i + 1}: ${JSON.stringify(x.use)}. Use value, lower or upper.` });
  });
  if (issues.length) throw new ValidationError(issues);
  return { checks: v.checks as GateCheck[] };
}

function pick(e: Estimate | undefined, use: GateCheck['use']): number | null {
  if (!e) return null;
  if (use === 'lower') return e.interval ? e.interval[0] : e.value;
  if (use === 'upper') return e.interval ? e.interval[1] : e.value;
  return e.value;
}

/** Resolves a check's figure; null when the report does not have it. */
function resolve(r: ModelEvalResult, path: string, use: GateCheck['use']): number | null {
  const parts = path.split('.');
  if (parts[0] === 'overall') return pick(r.overall[parts[1]], use);
  if (parts[0] === 'fairness') {
    // Multiclass reports hold one result per class: the check reads the worst class (highest difference, lowest ratio).
    const vals = r.fairness.filter((x) => x.columns.join(' × ') === parts[1]).map((f) => pick((f as unknown as Record<string, Estimate>)[parts[2]], use)).filter((v): v is number => v !== null);
    if (!vals.length) return null;
    return parts[2] === 'demographicParityRatio' ? Math.min(...vals) : Math.max(...vals);
  }
  if (parts[0] === 'calibration' && r.calibration) return pick((r.calibration.width as unknown as Record<string, Estimate>)[parts[1]], use);
  if (path === 'weakSlices.count') return r.weakSlices ? r.weakSlices.found.length : null;
  if (parts[0] === 'slices' && parts[1] === 'min') {
    let m: number | null = null;
    for (const s of r.slices) for (const g of s.groups) {
      const v = g.metrics ? pick(g.metrics[parts[2]], use) : null;
      if (v !== null && (m === null || v < m)) m = v;
    }
    return m;
  }
  return null;
}

/**
 * Applies a policy. A check whose figure is missing fails (a gate must not pass by accident).
 * @example applyGate(result, { checks: [{ metric: 'overall.rocAuc', min: 0.8 }] }).passed
 */
export function applyGate(r: ModelEvalResult, policy: GatePolicy): GateResult {
  const checks = policy.checks.map((c) => {
    const actual = resolve(r, c.metric, c.use);
    let passed = actual !== null;
    if (actual !== null && c.min !== undefined && !(actual >= c.min)) passed = false;
    if (actual !== null && c.max !== undefined && !(actual <= c.max)) passed = false;
    const bound = [c.min !== undefined ? `≥ ${c.min}` : '', c.max !== undefined ? `≤ ${c.max}` : ''].filter(Boolean).join(' and ');
    const message = actual === null ? `${c.metric}: not measured in this report` : `${c.metric}${c.use && c.use !== 'value' ? ` (${c.use} bound)` : ''} = ${actual.toFixed(4)}, required ${bound}`;
    return { ...c, actual, passed, message };
  });
  return { passed: checks.every((c) => c.passed), checks };
}
