import { SynthopsError, ValidationError, type ValidationIssue } from '../errors.js';
import type { DriftReport } from './report.js';

/** What a trigger watches. */
export type TriggerKind = 'drift-share' | 'column-distance' | 'column-drifted' | 'accuracy-drop' | 'window-alerts' | 'schema-change' | 'domain-auc' | 'reconstruction';
const KINDS: readonly TriggerKind[] = ['drift-share', 'column-distance', 'column-drifted', 'accuracy-drop', 'window-alerts', 'schema-change', 'domain-auc', 'reconstruction'];

/**
 * One retraining condition. Fires when the watched value is strictly above `above`:
 * - `drift-share`: share of compared columns that drifted (0..1);
 * - `column-distance`: the value of `test` (a distance test, e.g. `wasserstein`) on `column`;
 * - `column-drifted`: 1 when `column` drifted under its tests (above defaults to 0);
 * - `accuracy-drop`: reference accuracy minus the current estimated accuracy;
 * - `window-alerts`: the largest number of alerts in one window (above defaults to 0);
 * - `schema-change`: number of missing, new or retyped columns (above defaults to 0);
 * - `domain-auc`: the domain classifier's AUC (0.5 = no multivariate drift);
 * - `reconstruction`: the reconstruction-error statistic (0 = same errors as the reference).
 * @example { when: 'column-distance', column: 'age', test: 'wasserstein', above: 0.2 }
 */
export interface Trigger {
  name?: string;
  when: TriggerKind;
  column?: string;
  test?: string;
  above: number;
}

/** A retraining policy: a list of triggers; any one firing means retrain. */
export interface Policy {
  version: 1;
  triggers: Trigger[];
}

/** The machine-readable outcome of a policy check; `retrain` is true when anything fired. */
export interface PolicyEvent {
  kind: 'synthops/drift-event';
  version: 1;
  retrain: boolean;
  fired: { name: string; when: TriggerKind; column?: string; value: number; above: number }[];
  /** Triggers checked. */
  checked: number;
  /** Triggers that could not be evaluated (e.g. accuracy-drop without probability columns), with the reason. */
  unavailable: { name: string; reason: string }[];
}

/**
 * Validates an untrusted policy (parsed YAML or JSON): all problems are reported at once (ValidationError with
 * paths like `triggers/2/above`).
 * @example parsePolicy({ version: 1, triggers: [{ when: 'drift-share', above: 0.3 }] })
 */
export function parsePolicy(value: unknown, source = 'policy'): Policy {
  const issues: ValidationIssue[] = [];
  const v = value as { version?: unknown; triggers?: unknown } | null;
  if (!v || typeof v !== 'object') throw new SynthopsError('invalid_input', 'invalid policy: expected an object with "triggers".', { file: source });
  if (v.version !== undefined && v.version !== 1) issues.push({ file: source, path: 'version', message: `invalid version: ${JSON.stringify(v.version)}. Use 1.` });
  if (!Array.isArray(v.triggers) || !v.triggers.length) issues.push({ file: source, path: 'triggers', message: 'invalid triggers: expected a non-empty list.' });
  const triggers: Trigger[] = [];
  (Array.isArray(v.triggers) ? v.triggers : []).forEach((t: any, i: number) => {
    const at = (k: string) => `triggers/${i}/${k}`;
    if (!t || typeof t !== 'object') return issues.push({ file: source, path: `triggers/${i}`, message: 'invalid trigger: expected an object.' });
    if (!KINDS.includes(t.when)) issues.push({ file: source, path: at('when'), message: `invalid when: ${JSON.stringify(t.when)}. Use one of ${KINDS.join(', ')}.` });
    const needsAbove = t.when === 'drift-share' || t.when === 'column-distance' || t.when === 'accuracy-drop' || t.when === 'domain-auc' || t.when === 'reconstruction';
    if (t.above === undefined ? needsAbove : typeof t.above !== 'number' || !Number.isFinite(t.above))
      issues.push({ file: source, path: at('above'), message: `invalid above: ${JSON.stringify(t.above)}. Give a number.` });
    if ((t.when === 'column-distance' || t.when === 'column-drifted') && typeof t.column !== 'string')
      issues.push({ file: source, path: at('column'), message: 'invalid column: this trigger needs the column name.' });
    if (t.when === 'column-distance' && typeof t.test !== 'string') issues.push({ file: source, path: at('test'), message: 'invalid test: give the distance test, e.g. wasserstein.' });
    triggers.push({ ...(t.name ? { name: String(t.name) } : {}), when: t.when, ...(t.column ? { column: t.column } : {}), ...(t.test ? { test: t.test } : {}), above: t.above ?? 0 });
  });
  if (issues.length) throw new ValidationError(issues);
  return { version: 1, triggers };
}

/**
 * Evaluates a policy against a drift report.
 * @example evaluatePolicy(policy, report).retrain
 */
export function evaluatePolicy(policy: Policy, report: DriftReport): PolicyEvent {
  const fired: PolicyEvent['fired'] = [];
  const unavailable: PolicyEvent['unavailable'] = [];
  for (const t of policy.triggers) {
    const name = t.name ?? (t.column ? `${t.when}:${t.column}` : t.when);
    let value: number | null = null;
    let reason = '';
    const r = report.result;
    switch (t.when) {
      case 'drift-share':
        value = r.dataset.share;
        break;
      case 'column-drifted': {
        const c = r.columns.find((x) => x.column === t.column);
        if (c) value = c.drifted ? 1 : 0;
        else reason = `column "${t.column}" is not in the report`;
        break;
      }
      case 'column-distance': {
        const c = r.columns.find((x) => x.column === t.column);
        const res = c?.tests.find((x) => x.test === t.test || x.test.split('@')[0] === t.test);
        if (res && !res.skipped) value = res.value;
        else reason = c ? `test "${t.test}" did not run on column "${t.column}" (add it with --tests)` : `column "${t.column}" is not in the report`;
        break;
      }
      case 'accuracy-drop':
        if (report.performance?.drop !== undefined) value = report.performance.drop;
        else reason = 'no performance estimate (pass --proba)';
        break;
      case 'window-alerts':
        if (report.windows) value = Math.max(0, ...report.windows.items.map((w) => w.alerts.length));
        else reason = 'no windows (pass --time-column and --window)';
        break;
      case 'domain-auc':
      case 'reconstruction': {
        const m = t.when === 'domain-auc' ? report.multivariate?.domainClassifier : report.multivariate?.reconstruction;
        if (m && 'value' in m) value = m.value;
        else reason = m ? m.skipped : 'multivariate tests did not run (--no-multivariate)';
        break;
      }
      case 'schema-change':
        value = r.findings.filter((f) => f.kind === 'missing-in-current' || f.kind === 'new-in-current' || f.kind === 'type-changed').length;
        break;
    }
    if (value === null) unavailable.push({ name, reason });
    else if (value > t.above) fired.push({ name, when: t.when, ...(t.column ? { column: t.column } : {}), value, above: t.above });
  }
  return { kind: 'synthops/drift-event', version: 1, retrain: fired.length > 0, fired, checked: policy.triggers.length, unavailable };
}
