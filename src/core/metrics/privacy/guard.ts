import { isSynthopsError } from '../../errors.js';
import type { MetricResult } from '../metric.js';

/**
 * Runs a privacy metric body; a user-facing SynthopsError (missing holdout, unknown column, mismatched schema)
 * becomes a result with status 'error' so a report goes on. Abort and internal faults are rethrown.
 */
export function guarded(id: string, body: () => MetricResult): MetricResult {
  try {
    return body();
  } catch (e) {
    if (isSynthopsError(e) && e.code !== 'aborted' && e.code !== 'internal')
      return { metric: id, status: 'error', warnings: [], error: { code: e.code, message: e.message } };
    throw e;
  }
}

/** A skipped result with a reason. */
export function skipped(id: string, reason: string): MetricResult {
  return { metric: id, status: 'skipped', warnings: [reason] };
}
