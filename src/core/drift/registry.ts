import type { DriftTest } from './drift-test.js';
import { chiSquaredTest } from './tests/chi-squared.js';
import { jensenShannonTest } from './tests/jensen-shannon.js';
import { ksTest } from './tests/ks.js';
import { missingShareTest } from './tests/missing-share.js';
import { psiTest } from './tests/psi.js';
import { twoProportionTest } from './tests/two-proportion.js';
import { wassersteinTest } from './tests/wasserstein.js';
import { SynthopsError } from '../errors.js';

/**
 * Every registered drift test, by versioned id. The contract suite (test/contract/drift.test.ts) runs each one
 * and a completeness check fails when an entry is missing from it.
 */
export const DRIFT_TESTS: readonly DriftTest[] = [ksTest, chiSquaredTest, twoProportionTest, psiTest, jensenShannonTest, wassersteinTest, missingShareTest];

/**
 * The test with id `id`; the version may be left out (`ks` → `ks@1`). Throws `invalid_argument` listing the ids.
 * @example getDriftTest('psi').info.statistic // 'distance'
 */
export function getDriftTest(id: string): DriftTest {
  const t = DRIFT_TESTS.find((x) => x.info.id === id || x.info.id.split('@')[0] === id);
  if (!t) throw new SynthopsError('invalid_argument', `invalid drift test: "${id}". Use one of ${DRIFT_TESTS.map((x) => x.info.id).join(', ')}.`);
  return t;
}
