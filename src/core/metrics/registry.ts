import { SynthopsError } from '../errors.js';
import type { Metric, MetricCategory } from './metric.js';
import { categoryCoverage, rangeCoverage } from './diversity/coverage.js';
import { prdcCoverage, prdcDensity, prdcPrecision, prdcRecall } from './diversity/prdc.js';
import { detectionLogistic, detectionTree, pmse } from './detection/detection-metrics.js';
import { ksComplement } from './fidelity/ks-complement.js';
import { missingShare } from './fidelity/missing-share.js';
import { contingencySimilarity, correlationSimilarity, kMarginal, relatedPairTrends } from './fidelity/pair-metrics.js';
import { tvComplement } from './fidelity/tv-complement.js';
import { utilityTstr } from './utility/tstr.js';
import { boundaryAdherence, categoryAdherence, constraintAdherence, keyUniqueness, schemaMatch } from './validity/validity-metrics.js';
import { attributeInference, dcr, identicalMatch, membershipInference, nndr, rareRecordReproduction } from './privacy/index.js';

/**
 * Every registered metric, in report order. Add a metric by appending one line (its import above, its name in
 * the list below, keeping the category blocks). The contract suite (test/contract/metric*.test.ts) and the
 * report run every entry; the privacy gates of the default policy read privacy results by id.
 */
export const METRICS: Metric[] = [
  // validity
  schemaMatch,
  boundaryAdherence,
  categoryAdherence,
  keyUniqueness,
  constraintAdherence,
  // fidelity
  ksComplement,
  tvComplement,
  missingShare,
  correlationSimilarity,
  contingencySimilarity,
  relatedPairTrends,
  kMarginal,
  // detection / whole table
  detectionTree,
  detectionLogistic,
  pmse,
  // utility
  utilityTstr,
  // diversity
  categoryCoverage,
  rangeCoverage,
  prdcPrecision,
  prdcRecall,
  prdcDensity,
  prdcCoverage,
  // privacy (src/core/metrics/privacy/)
  identicalMatch,
  dcr,
  nndr,
  rareRecordReproduction,
  membershipInference,
  attributeInference,
];

/**
 * The metric with versioned id `id`; a bare name picks the highest registered version (`ks-complement` →
 * `ks-complement@1`). Throws `not_found` listing the registered ids.
 * @example getMetric('ks-complement@1').info.category // 'fidelity'
 */
export function getMetric(id: string): Metric {
  const exact = METRICS.find((m) => m.info.id === id);
  if (exact) return exact;
  const base = id.split('@')[0];
  let best: Metric | undefined;
  let bestV = -1;
  for (const m of METRICS) {
    const [name, v] = m.info.id.split('@');
    const ver = Number(v ?? 0);
    if (name === base && !id.includes('@') && ver > bestV) {
      best = m;
      bestV = ver;
    }
  }
  if (!best) throw new SynthopsError('not_found', `invalid metric id: "${id}". Registered: ${METRICS.map((m) => m.info.id).join(', ') || '(none)'}.`);
  return best;
}

/**
 * The registered metrics of one category, in registry order.
 * @example metricsIn('fidelity').map((m) => m.info.id)
 */
export function metricsIn(category: MetricCategory): Metric[] {
  return METRICS.filter((m) => m.info.category === category);
}
