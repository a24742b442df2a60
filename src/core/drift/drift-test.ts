import type { ColumnProfile } from '../profile/profile.js';

/**
 * What a drift statistic measures, which fixes the direction of its threshold:
 * - `p-value`: probability of a difference at least this large if nothing changed; drift when value < threshold;
 * - `distance`: an effect size (0 = identical); drift when value ≥ threshold.
 */
export type StatisticKind = 'p-value' | 'distance';

/** How a column is summarised in a profile: a quantile sketch (`numeric`) or value counts (`categorical`). */
export type DataKind = 'numeric' | 'categorical';

/**
 * One test on one column. `value` is never NaN: a test that cannot run (wrong kind, an empty side, too many
 * categories) sets `skipped` with the reason and reports the neutral value (1 for p-values, 0 for distances).
 * @example { test: 'ks@1', column: 'age', statistic: 'p-value', value: 0.003, threshold: 0.05, drifted: true }
 */
export interface DriftTestResult {
  /** Versioned test id, e.g. `ks@1`. */
  test: string;
  column: string;
  statistic: StatisticKind;
  value: number;
  threshold: number;
  drifted: boolean;
  /** Why the test did not run (then `drifted` is false). */
  skipped?: string;
  /** A caveat on the decision, e.g. when the sketch's error bound could change it. */
  note?: string;
  /** Test-specific numbers (statistic, error bound, sample sizes). */
  details?: Record<string, number>;
}

/** Static description of a registered drift test. */
export interface DriftTestInfo {
  /** Versioned id: a changed definition gets a new version. */
  id: string;
  title: string;
  statistic: StatisticKind;
  /** Threshold used when none is given: a significance level for p-values, an effect size for distances. */
  defaultThreshold: number;
  /** Column kinds it can run on. */
  appliesTo: DataKind[];
  /** Kinds on which swapping reference and current leaves the value unchanged. */
  symmetric: DataKind[];
  /** One sentence on what it measures. */
  description: string;
}

/**
 * A drift test: compares the profile of a column in the reference with its profile in the current data.
 * Tests read sketches only, so they run the same from raw files and from saved profiles.
 * @example ksTest.run(refProfile.columns[0], curProfile.columns[0]).drifted
 */
export interface DriftTest {
  info: DriftTestInfo;
  run(reference: ColumnProfile, current: ColumnProfile, opts?: { threshold?: number }): DriftTestResult;
}

/** The kind of summary a column profile carries, or null for id / text columns (no distribution kept). */
export function dataKindOf(p: ColumnProfile): DataKind | null {
  return p.sketch ? 'numeric' : p.items ? 'categorical' : null;
}

/** Builds a result and applies the threshold in the direction of the statistic. */
export function decide(
  info: DriftTestInfo,
  column: string,
  value: number,
  threshold: number,
  extra: { details?: Record<string, number>; note?: string } = {},
): DriftTestResult {
  const drifted = info.statistic === 'p-value' ? value < threshold : value >= threshold;
  const r: DriftTestResult = { test: info.id, column, statistic: info.statistic, value, threshold, drifted };
  if (extra.note) r.note = extra.note;
  if (extra.details) r.details = extra.details;
  return r;
}

/** A result for a test that could not run: neutral value, not drifted, with the reason. */
export function skippedResult(info: DriftTestInfo, column: string, threshold: number, reason: string): DriftTestResult {
  return { test: info.id, column, statistic: info.statistic, value: info.statistic === 'p-value' ? 1 : 0, threshold, drifted: false, skipped: reason };
}

/**
 * Common preconditions: the test applies to the column kind on both sides and both sides have values.
 * Returns the reason to skip, or null.
 */
export function skipReason(info: DriftTestInfo, ref: ColumnProfile, cur: ColumnProfile): string | null {
  const kr = dataKindOf(ref), kc = dataKindOf(cur);
  if (kr === null || kc === null) return `no distribution is kept for ${ref.type} columns`;
  if (kr !== kc) return 'the column has a different type in the reference and the current data';
  if (!info.appliesTo.includes(kr)) return `${info.id} does not apply to ${kr} columns`;
  if (ref.rows - ref.nulls === 0 || cur.rows - cur.nulls === 0) return 'no non-missing values on one side';
  if (kr === 'categorical' && (ref.items!.overflow || cur.items!.overflow)) return 'too many distinct values to compare counts';
  return null;
}
