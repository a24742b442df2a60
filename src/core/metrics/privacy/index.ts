/** Privacy metrics: exact, over the full real data, each with a holdout reference and a bootstrap interval. */
export { identicalMatch } from './identical-match.js';
export { dcr, DCR_SHARE_GATE, sizeCorrectedShare, dcrScore } from './dcr.js';
export { nndr, nndrRatios } from './nndr.js';
export { rareRecordReproduction, quasiIdentifiers, RARE_COUNT } from './rare-records.js';
export { membershipInference, MIA_AUC_GATE, miaScore } from './membership-inference.js';
export { attributeInference, inferenceAdvantage } from './attribute-inference.js';
export { PrivacyContext, privacyContext, hoeffding95, PRDC_K, type PrivacyContextOptions } from './privacy-context.js';
export { RowHashIndex, type KeyColumn } from './row-hash.js';

import { attributeInference } from './attribute-inference.js';
import { dcr } from './dcr.js';
import { identicalMatch } from './identical-match.js';
import { membershipInference } from './membership-inference.js';
import { nndr } from './nndr.js';
import { rareRecordReproduction } from './rare-records.js';
import type { Metric } from '../metric.js';

/** Every privacy metric, in report order. */
export const PRIVACY_METRICS: readonly Metric[] = [identicalMatch, dcr, nndr, rareRecordReproduction, membershipInference, attributeInference];
