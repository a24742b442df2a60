import type { MetricCategory, MetricResult } from '../metrics/metric.js';

/** Verdict of one category: good / fair / poor, or none when no metric of it ran. */
export type Verdict = 'good' | 'fair' | 'poor' | 'none';

/** One category's summary: mean score and mean reference over its metrics that ran, and a verdict. */
export interface CategorySummary {
  category: MetricCategory;
  score: number | null;
  reference: number | null;
  verdict: Verdict;
  metrics: number;
}

const ORDER: MetricCategory[] = ['validity', 'fidelity', 'utility', 'diversity', 'privacy'];
const NAMES: Record<MetricCategory, string> = { validity: 'Validity', fidelity: 'Fidelity', utility: 'Utility', diversity: 'Diversity', privacy: 'Privacy' };

/** Margin below the reference that still counts as "about as good as real data". */
export const GOOD_MARGIN = 0.03;
/** Margin below the reference that counts as "fair". */
export const FAIR_MARGIN = 0.1;

/**
 * Per-category summaries and plain sentences for a non-expert. A category with references is judged against them:
 * good when score ≥ reference − 0.03, fair when ≥ reference − 0.1, poor otherwise; without references against
 * fixed levels (0.95 / 0.85). Pure.
 * @example summarise(report.payload.metrics).sentences[0]
 */
export function summarise(results: readonly (MetricResult & { category: MetricCategory })[]): { categories: CategorySummary[]; sentences: string[] } {
  const categories: CategorySummary[] = [];
  const sentences: string[] = [];
  for (const cat of ORDER) {
    const ok = results.filter((r) => r.category === cat && r.status === 'ok' && Number.isFinite(r.score));
    if (!ok.length) {
      categories.push({ category: cat, score: null, reference: null, verdict: 'none', metrics: 0 });
      continue;
    }
    const score = ok.reduce((a, r) => a + r.score!, 0) / ok.length;
    const withRef = ok.filter((r) => Number.isFinite(r.reference));
    const reference = withRef.length === ok.length ? withRef.reduce((a, r) => a + r.reference!, 0) / withRef.length : null;
    const verdict: Verdict = reference !== null ? (score >= reference - GOOD_MARGIN ? 'good' : score >= reference - FAIR_MARGIN ? 'fair' : 'poor') : score >= 0.95 ? 'good' : score >= 0.85 ? 'fair' : 'poor';
    categories.push({ category: cat, score, reference, verdict, metrics: ok.length });
    sentences.push(sentence(cat, score, reference, verdict));
  }
  const suspicious = results.find((r) => r.warnings.some((w) => w.startsWith('Privacy finding')));
  if (suspicious) sentences.push('Warning: a detector found synthetic rows sitting on top of real ones — the generator may be copying training rows.');
  const tree = results.find((r) => r.metric === 'detection-tree@1' && r.status === 'ok');
  const logit = results.find((r) => r.metric === 'detection-logistic@1' && r.status === 'ok');
  if (tree && logit && tree.score! < 0.8 && logit.score! > 0.9)
    sentences.push('A simple (linear) detector cannot tell the data apart, but a tree model can: the relationships between columns are not kept. Trust the tree detector.');
  return { categories, sentences };
}

function f2(x: number): string {
  return x.toFixed(2);
}

function sentence(cat: MetricCategory, score: number, ref: number | null, verdict: Verdict): string {
  const vs = ref !== null ? ` (${f2(score)} vs ${f2(ref)} for real data)` : ` (${f2(score)})`;
  const what: Record<MetricCategory, [string, string, string]> = {
    fidelity: ['Synthetic columns and their relationships match the real ones about as well as a second sample of real data would', 'Synthetic data resembles the real data, but less closely than a second real sample would', 'Synthetic data differs clearly from the real data'],
    validity: ['Synthetic values respect the real data\'s types, ranges and categories', 'Some synthetic values break the real data\'s ranges, categories or rules', 'Many synthetic values break the real data\'s ranges, categories or rules'],
    utility: ['Models trained on synthetic data predict about as well as models trained on real data', 'Models trained on synthetic data predict somewhat worse than models trained on real data', 'Models trained on synthetic data predict much worse than models trained on real data'],
    diversity: ['Synthetic data covers the real categories and ranges', 'Synthetic data misses some real categories or ranges', 'Synthetic data misses many real categories or ranges'],
    privacy: ['Synthetic rows are no closer to the training data than new real data would be', 'Synthetic rows are somewhat closer to the training data than new real data would be', 'Synthetic rows sit too close to the training data: check the privacy gates'],
  };
  const [good, fair, poor] = what[cat];
  return `${NAMES[cat]}: ${verdict === 'good' ? good : verdict === 'fair' ? fair : poor}${vs}.`;
}
