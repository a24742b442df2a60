import { isSynthopsError } from '../errors.js';
import type { MetricResult } from './metric.js';

/**
 * Runs a metric body and turns a thrown error into `status: 'error'` (code and message kept; messages never hold
 * row values), so one failing metric never stops a report.
 * @example runGuarded('ks-complement@1', () => ({ metric: 'ks-complement@1', status: 'ok', score: 1, warnings: [] }))
 */
export function runGuarded(id: string, body: () => MetricResult): MetricResult {
  try {
    return body();
  } catch (e) {
    const code = isSynthopsError(e) ? e.code : 'internal';
    const message = e instanceof Error ? e.message : String(e);
    return { metric: id, status: 'error', warnings: [], error: { code, message } };
  }
}

/** A `skipped` result with the reason as its only warning. */
export function skippedResult(id: string, reason: string): MetricResult {
  return { metric: id, status: 'skipped', warnings: [reason] };
}

/** Mean of the finite entries; NaN when there is none. */
export function finiteMean(v: readonly number[]): number {
  let s = 0, k = 0;
  for (const x of v) {
    if (Number.isFinite(x)) {
      s += x;
      k++;
    }
  }
  return k ? s / k : NaN;
}

/** Rounds to 6 significant decimals for compact, stable JSON. */
export function round6(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 1e6) / 1e6 : x;
}
