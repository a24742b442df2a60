import type { ColumnProfile } from '../profile/profile.js';
import { dataKindOf } from './drift-test.js';

/**
 * Up to this many non-missing values on the smaller side, defaults are hypothesis tests (p-values); above it,
 * effect sizes. With a million rows a p-value test flags differences far too small to matter, while an effect
 * size stays put as samples grow.
 */
export const SMALL_SAMPLE_LIMIT = 1000;

/**
 * The default tests for a column (besides `missing-share@1`, which runs on every column):
 *
 * | column | n ≤ 1000 (smaller side) | n > 1000 |
 * |---|---|---|
 * | numerical | `ks@1` (p < 0.05) | `wasserstein@1` (≥ 0.1 reference std) |
 * | categorical / boolean, ≤ 2 values | `two-proportion-z@1` (p < 0.05) | `jensen-shannon@1` (≥ 0.1) |
 * | categorical, > 2 values | `chi-squared@1` (p < 0.05) | `jensen-shannon@1` (≥ 0.1) |
 * | datetime | none (time moves on: a new period always "drifts"; use windows) | none |
 * | id / text, or > 1000 distinct categories | none (no distribution kept) | none |
 *
 * A default distance counts as drift only when the difference is also significant (KS for numbers,
 * chi-squared for categories, p < 0.05; `details.confirmP`), so many categories over a few thousand rows do not
 * alarm on sampling noise. The thresholds 0.1 keep two random halves of one large table (a million rows) from ever drifting: sampling noise
 * in these distances shrinks like 1/√n and is below 0.01 there (test/drift/false-alarms.test.ts).
 * @example defaultTestIds(refAge, curAge, { smallSampleLimit: 1000 }) // ['wasserstein@1']
 */
export function defaultTestIds(ref: ColumnProfile, cur: ColumnProfile, opts: { smallSampleLimit?: number } = {}): string[] {
  const limit = opts.smallSampleLimit ?? SMALL_SAMPLE_LIMIT;
  const kind = dataKindOf(ref);
  if (kind === null || kind !== dataKindOf(cur) || ref.type === 'datetime') return [];
  const small = Math.min(ref.rows - ref.nulls, cur.rows - cur.nulls) <= limit;
  if (kind === 'numeric') return [small ? 'ks@1' : 'wasserstein@1'];
  if (ref.items!.overflow || cur.items!.overflow) return [];
  const labels = new Set([...ref.items!.counts.keys(), ...cur.items!.counts.keys()]);
  if (!small) return ['jensen-shannon@1'];
  return [labels.size <= 2 ? 'two-proportion-z@1' : 'chi-squared@1'];
}
