import { SynthopsError } from '../errors.js';
import type { MetricCategory } from '../metrics/metric.js';
import type { EvaluationPayload } from './evaluation.js';

/**
 * A quality gate. Kinds:
 * - `category-vs-reference`: the category's mean score ≥ its mean reference − `margin`;
 * - `score-vs-reference`: metric `metric`'s score ≥ its reference − `margin`;
 * - `score-min`: metric `metric`'s score ≥ `min`;
 * - `detail-max`: metric `metric`'s `details[field]` ≤ `max`.
 * A gate whose metric was skipped is reported as skipped (not failed) unless `required`; an errored metric fails.
 */
export type Gate =
  | { name: string; kind: 'category-vs-reference'; category: MetricCategory; margin: number; required?: boolean }
  | { name: string; kind: 'score-vs-reference'; metric: string; margin: number; required?: boolean }
  | { name: string; kind: 'score-min'; metric: string; min: number; required?: boolean }
  | { name: string; kind: 'detail-max'; metric: string; field: string; max: number; required?: boolean };

/** A set of gates (versioned). */
export interface Policy {
  policyVersion: 1;
  gates: Gate[];
}

/**
 * The default policy (docs/policy.md): fidelity within 0.05 of the holdout reference; DCR share ≤ 0.55;
 * identical-match share ≤ the holdout's; membership-inference AUC ≤ 0.6.
 * @example checkPolicy(report.payload, DEFAULT_POLICY).passed
 */
export const DEFAULT_POLICY: Policy = {
  policyVersion: 1,
  gates: [
    { name: 'fidelity within 0.05 of the holdout reference', kind: 'category-vs-reference', category: 'fidelity', margin: 0.05 },
    { name: 'DCR share ≤ 0.55', kind: 'detail-max', metric: 'dcr@1', field: 'dcrShare', max: 0.55 },
    { name: 'identical-match share ≤ the holdout\'s', kind: 'score-vs-reference', metric: 'identical-match@1', margin: 0 },
    { name: 'membership-inference AUC ≤ 0.6', kind: 'detail-max', metric: 'membership-inference@1', field: 'auc', max: 0.6 },
  ],
};

/** One gate's outcome. */
export interface GateResult {
  gate: string;
  status: 'pass' | 'fail' | 'skipped';
  /** The observed value and what it was compared with, in words. */
  observed: string;
}

/** Outcome of a policy: passed when no gate failed. */
export interface PolicyResult {
  passed: boolean;
  gates: GateResult[];
}

const f = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');

/**
 * Checks a report against a policy. Pure.
 * @example const { passed, gates } = checkPolicy(report.payload, DEFAULT_POLICY);
 */
export function checkPolicy(report: EvaluationPayload, policy: Policy = DEFAULT_POLICY): PolicyResult {
  const gates = policy.gates.map((g): GateResult => {
    if (g.kind === 'category-vs-reference') {
      const c = report.categories.find((x) => x.category === g.category);
      if (!c || c.score === null) return { gate: g.name, status: g.required ? 'fail' : 'skipped', observed: `no ${g.category} metric ran` };
      if (c.reference === null) return { gate: g.name, status: g.required ? 'fail' : 'skipped', observed: `${g.category} ${f(c.score)}, no reference` };
      return { gate: g.name, status: c.score >= c.reference - g.margin ? 'pass' : 'fail', observed: `${g.category} ${f(c.score)} vs reference ${f(c.reference)} (margin ${g.margin})` };
    }
    const m = report.metrics.find((x) => x.metric === g.metric);
    if (!m) return { gate: g.name, status: g.required ? 'fail' : 'skipped', observed: `${g.metric} not in the report` };
    if (m.status === 'error') return { gate: g.name, status: 'fail', observed: `${g.metric} failed: ${m.error?.message ?? 'error'}` };
    if (m.status === 'skipped') return { gate: g.name, status: g.required ? 'fail' : 'skipped', observed: `${g.metric} skipped: ${m.warnings[0] ?? ''}` };
    const score = m.score ?? NaN;
    switch (g.kind) {
      case 'score-min':
        return { gate: g.name, status: score >= g.min ? 'pass' : 'fail', observed: `score ${f(score)} (minimum ${g.min})` };
      case 'score-vs-reference': {
        const ref = m.reference ?? NaN;
        if (!Number.isFinite(ref)) return { gate: g.name, status: g.required ? 'fail' : 'skipped', observed: `score ${f(score)}, no reference` };
        return { gate: g.name, status: score >= ref - g.margin ? 'pass' : 'fail', observed: `score ${f(score)} vs reference ${f(ref)} (margin ${g.margin})` };
      }
      case 'detail-max': {
        const d = m.details && typeof m.details === 'object' && !Array.isArray(m.details) ? (m.details as Record<string, unknown>)[g.field] : undefined;
        if (typeof d !== 'number') return { gate: g.name, status: 'fail', observed: `${g.metric} has no numeric "${g.field}"` };
        return { gate: g.name, status: d <= g.max ? 'pass' : 'fail', observed: `${g.field} ${f(d)} (maximum ${g.max})` };
      }
    }
  });
  return { passed: gates.every((g) => g.status !== 'fail'), gates };
}

/**
 * Validates a parsed policy (YAML or JSON) and returns it typed; throws `invalid_input` listing every problem.
 * @example parseGatePolicy(YAML.parse(text), 'policy.yaml')
 */
export function parseGatePolicy(value: unknown, source = 'policy'): Policy {
  const issues: string[] = [];
  const v = value as { policyVersion?: unknown; gates?: unknown };
  if (!v || typeof v !== 'object') throw new SynthopsError('invalid_input', `invalid policy: not an object. See docs/policy.md.`, { file: source });
  if (v.policyVersion !== 1) issues.push('policyVersion must be 1');
  if (!Array.isArray(v.gates)) issues.push('gates must be a list');
  const gates = Array.isArray(v.gates) ? (v.gates as Record<string, unknown>[]) : [];
  gates.forEach((g, i) => {
    const at = `gates[${i}]`;
    if (!g || typeof g !== 'object') return issues.push(`${at} is not an object`);
    if (typeof g.name !== 'string') issues.push(`${at}.name must be text`);
    switch (g.kind) {
      case 'category-vs-reference':
        if (!['validity', 'fidelity', 'utility', 'diversity', 'privacy'].includes(g.category as string)) issues.push(`${at}.category must be a metric category`);
        if (typeof g.margin !== 'number') issues.push(`${at}.margin must be a number`);
        break;
      case 'score-vs-reference':
        if (typeof g.metric !== 'string') issues.push(`${at}.metric must be a metric id`);
        if (typeof g.margin !== 'number') issues.push(`${at}.margin must be a number`);
        break;
      case 'score-min':
        if (typeof g.metric !== 'string') issues.push(`${at}.metric must be a metric id`);
        if (typeof g.min !== 'number') issues.push(`${at}.min must be a number`);
        break;
      case 'detail-max':
        if (typeof g.metric !== 'string') issues.push(`${at}.metric must be a metric id`);
        if (typeof g.field !== 'string') issues.push(`${at}.field must be text`);
        if (typeof g.max !== 'number') issues.push(`${at}.max must be a number`);
        break;
      default:
        issues.push(`${at}.kind must be one of category-vs-reference, score-vs-reference, score-min, detail-max`);
    }
  });
  if (issues.length) throw new SynthopsError('invalid_input', `invalid policy: ${issues.join('; ')}. See docs/policy.md.`, { file: source });
  return v as Policy;
}
