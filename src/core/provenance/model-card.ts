/**
 * Model cards written from measured results: the sections of the common model-card template (model details,
 * intended use, factors, metrics, evaluation data, training data, quantitative analyses, ethical
 * considerations, caveats and recommendations) plus the NIST AI RMF "Measure" subcategories the measured
 * results give evidence for. JSON (versioned artifact) and Markdown. Only summary figures, never rows.
 */
import { makeArtifact, readArtifact, type Artifact } from '../artifact.js';
import type { Estimate } from '../model-eval/estimate.js';
import type { ModelEvalReport } from '../model-eval/report.js';
import { fairnessLabel } from '../model-eval/evaluate.js';

/** What the caller knows and the measurements cannot: all optional, shown as "not stated" when absent. */
export interface ModelCardContext {
  name?: string;
  version?: string;
  owners?: string;
  intendedUse?: string;
  outOfScope?: string;
  ethicalConsiderations?: string;
  /** Extra caveats to list beside those derived from the results. */
  caveats?: string[];
}

/** One NIST AI RMF MEASURE subcategory and how this card's results bear on it. */
export interface RmfItem {
  id: string;
  /** Our short paraphrase of the subcategory. */
  topic: string;
  /** What in this report addresses it. */
  evidence: string;
}

/** The card's content; every figure comes from a ModelEvalReport. */
export interface ModelCard {
  modelDetails: { name: string; version: string; owners: string; type: string; parameters: Record<string, string | number | boolean | null> };
  intendedUse: { primary: string; outOfScope: string };
  factors: { sliceColumns: string[]; note: string };
  metrics: { name: string; value: number | null; interval: [number, number] | null }[];
  evaluationData: { source: string; rows: number; label: string };
  trainingData: { source: string; rows: number; synthetic: boolean; provenance?: string }[];
  quantitativeAnalyses: {
    slices: { slice: string; rows: number; metric: string; value: number | null; interval: [number, number] | null }[];
    fairness: { column: string; demographicParityDifference: number | null; equalizedOddsDifference: number | null; equalOpportunityDifference: number | null }[];
    weakSlices: string[];
    calibration: { ece: number | null; mce: number | null } | null;
    robustness: string[];
    syntheticVsReal: string[];
  };
  ethicalConsiderations: string;
  caveats: string[];
  nistAiRmfMeasure: RmfItem[];
  generatedFrom: { kind: string; kindVersion: number };
}

export const MODEL_CARD_KIND = 'model-card';
export const MODEL_CARD_VERSION = 1;

const NOT_STATED = 'Not stated by the model owner.';

/**
 * Builds the card from a report (and optional context).
 * @example modelCard(report, { name: 'income-tree', intendedUse: 'Teaching example' })
 */
export function modelCard(report: ModelEvalReport, ctx: ModelCardContext = {}): ModelCard {
  const r = report.evaluation;
  const { kind, ...parameters } = report.model;
  const headKey = r.task === 'classification' ? 'f1' : 'mae';
  const slices = r.slices.flatMap((s) => s.groups.filter((g) => g.metrics).map((g) => ({ slice: g.description, rows: g.support, metric: headKey, value: g.metrics![headKey].value, interval: g.metrics![headKey].interval })));
  const caveats: string[] = [];
  const lvl = Math.round(r.bootstrap.level * 100);
  if (report.data.evaluation.rows < 1000) caveats.push(`Evaluated on only ${report.data.evaluation.rows} rows: intervals are wide.`);
  if (r.weakSlices?.found.length) caveats.push(`The model is significantly worse on ${r.weakSlices.found.length} slice(s); see quantitative analyses.`);
  const small = r.slices.flatMap((s) => s.groups.filter((g) => g.tooSmall)).length;
  if (small) caveats.push(`${small} slice(s) had fewer than ${report.options.minSupport} rows and were not measured.`);
  if (r.calibration && (r.calibration.width.ece.value ?? 0) > 0.05) caveats.push(`Probabilities are not well calibrated (ECE ${fmt(r.calibration.width.ece)}); do not read scores as probabilities without recalibration.`);
  for (const f of r.fairness) if ((f.demographicParityRatio.value ?? 1) < 0.8) caveats.push(`Selection rates differ across ${fairnessLabel(f)} (parity ratio ${fmt(f.demographicParityRatio)}, below 0.8).`);
  if (report.data.training?.some((t) => t.synthetic)) caveats.push('Trained on synthetic data: check the synthetic-vs-real comparison before deployment.');
  caveats.push(...r.warnings, ...(ctx.caveats ?? []));
  return {
    modelDetails: { name: ctx.name ?? report.title, version: ctx.version ?? NOT_STATED, owners: ctx.owners ?? NOT_STATED, type: `${kind} (${r.task})`, parameters },
    intendedUse: { primary: ctx.intendedUse ?? NOT_STATED, outOfScope: ctx.outOfScope ?? NOT_STATED },
    factors: {
      sliceColumns: report.options.sliceBy,
      note: report.options.sliceBy.length ? `Performance was measured for every value of ${report.options.sliceBy.join(', ')} and their pairwise crossings, and searched for weak slices.` : 'No slice columns were given; only automatic weak-slice discovery was run.',
    },
    metrics: Object.entries(r.overall).map(([name, e]) => ({ name, value: e.value, interval: e.interval })),
    evaluationData: { source: report.data.evaluation.source, rows: report.data.evaluation.rows, label: report.label },
    trainingData: report.data.training ?? [],
    quantitativeAnalyses: {
      slices,
      fairness: r.fairness.map((f) => ({ column: fairnessLabel(f), demographicParityDifference: f.demographicParityDifference.value, equalizedOddsDifference: f.equalizedOddsDifference.value, equalOpportunityDifference: f.equalOpportunityDifference.value })),
      weakSlices: r.weakSlices?.found.map((w) => w.summary) ?? [],
      calibration: r.calibration ? { ece: r.calibration.width.ece.value, mce: r.calibration.width.mce.value } : null,
      robustness: report.robustness?.perturbations.map((p) => `${p.description}: ${(p.changedShare * 100).toFixed(1)}% of predictions change, ${p.metric} ${p.before.toFixed(3)} → ${p.after.toFixed(3)}`) ?? [],
      syntheticVsReal: report.comparison
        ? [`Trained on real: ${headKey === 'f1' ? 'accuracy' : 'MAE'} ${fmt(report.comparison.real.overall[headKey === 'f1' ? 'accuracy' : 'mae'])}; on synthetic: ${fmt(report.comparison.synthetic.overall[headKey === 'f1' ? 'accuracy' : 'mae'])}.`, ...report.comparison.flagged.map((f) => f.summary)]
        : [],
    },
    ethicalConsiderations: ctx.ethicalConsiderations ?? (r.fairness.length ? `Fairness gaps were measured for ${[...new Set(r.fairness.map((f) => f.columns.join(' × ')))].join(', ')} (see quantitative analyses, ${lvl}% intervals). Whether they are acceptable depends on the use; the owner has not stated it.` : NOT_STATED),
    caveats,
    nistAiRmfMeasure: rmfItems(report),
    generatedFrom: { kind: 'report/model-eval', kindVersion: 1 },
  };
}

/** Which MEASURE subcategories the report gives evidence for (our own summary of each, not the framework's text). */
function rmfItems(report: ModelEvalReport): RmfItem[] {
  const r = report.evaluation;
  const items: RmfItem[] = [
    { id: 'MEASURE 1.1', topic: 'Choose metrics for the risks that matter and record which were measured.', evidence: `${Object.keys(r.overall).length} performance metrics recorded, each with its method.` },
    { id: 'MEASURE 2.1', topic: 'Document test sets, metrics and tools used in evaluation.', evidence: `Evaluation data ${report.data.evaluation.source} (${report.data.evaluation.rows} rows), seeded bootstrap (${r.bootstrap.resamples} resamples, seed ${r.bootstrap.seed}).` },
    { id: 'MEASURE 2.3', topic: 'Measure performance under conditions like deployment, with uncertainty.', evidence: `Every metric has a ${Math.round(r.bootstrap.level * 100)}% confidence interval.` },
  ];
  if (report.robustness || report.inferenceCost)
    items.push({ id: 'MEASURE 2.5', topic: 'Show the system is valid and reliable, and where it stops generalising.', evidence: [report.robustness ? `${report.robustness.perturbations.length} input perturbations tested` : '', report.inferenceCost ? `latency measured at ${report.inferenceCost.batches.length} batch sizes` : ''].filter(Boolean).join('; ') + '.' });
  if (r.slices.length || r.weakSlices)
    items.push({ id: 'MEASURE 2.6', topic: 'Evaluate where the system may fail or be unsafe, beyond average performance.', evidence: `${r.slices.reduce((s, x) => s + x.groups.length, 0)} slices measured; ${r.weakSlices?.found.length ?? 0} weak slice(s) found among ${r.weakSlices?.tested ?? 0} tested with FDR control.` });
  if (r.fairness.length)
    items.push({ id: 'MEASURE 2.11', topic: 'Evaluate fairness and bias across groups.', evidence: `Demographic parity, equal opportunity and equalized odds gaps with intervals for ${[...new Set(r.fairness.map((f) => f.columns.join(' × ')))].join(', ')}${r.fairness.some((f) => f.class !== undefined) ? ' (one-vs-rest, per class)' : ''}.` });
  if (report.comparison || report.data.training?.some((t) => t.synthetic))
    items.push({ id: 'MEASURE 2.9', topic: 'Explain and document the model and its data, so its output can be interpreted.', evidence: 'Training data provenance recorded, including whether it is synthetic; real- and synthetic-trained models compared on the same real test set.' });
  if (r.calibration)
    items.push({ id: 'MEASURE 2.3 (calibration)', topic: 'Check that confidence matches observed outcomes.', evidence: `Expected calibration error ${fmt(r.calibration.width.ece)} (equal width), ${fmt(r.calibration.mass.ece)} (equal mass).` });
  items.push({ id: 'MEASURE 4.2', topic: 'Feed measurement results back to the people deciding on deployment.', evidence: report.gate ? `A policy gate with ${report.gate.checks.length} check(s) ${report.gate.passed ? 'passed' : 'failed'}.` : 'No policy gate was applied to this report.' });
  return items;
}

function fmt(e: Estimate | undefined): string {
  if (!e || e.value === null) return 'n/a';
  return e.interval ? `${e.value.toFixed(3)} [${e.interval[0].toFixed(3)}, ${e.interval[1].toFixed(3)}]` : e.value.toFixed(3);
}

function num(v: number | null, interval?: [number, number] | null): string {
  if (v === null) return 'n/a';
  return interval ? `${v.toFixed(3)} [${interval[0].toFixed(3)}, ${interval[1].toFixed(3)}]` : v.toFixed(3);
}

/** Wraps a card in the versioned envelope. */
export function modelCardArtifact(card: ModelCard): Artifact<ModelCard> {
  return makeArtifact(MODEL_CARD_KIND, MODEL_CARD_VERSION, card);
}

/** Reads a card artifact (throws `incompatible_artifact` otherwise). */
export function readModelCard(value: unknown, source = 'model card'): ModelCard {
  return readArtifact<ModelCard>(value, MODEL_CARD_KIND, [1], source).payload;
}

/**
 * The card as Markdown.
 * @example writeFileAtomic('MODEL_CARD.md', modelCardMarkdown(card))
 */
export function modelCardMarkdown(card: ModelCard): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const L: string[] = [];
  L.push(`# Model card: ${card.modelDetails.name}`, '');
  L.push('## Model details', '', `- Type: ${card.modelDetails.type}`, `- Version: ${card.modelDetails.version}`, `- Owners: ${card.modelDetails.owners}`);
  for (const [k, v] of Object.entries(card.modelDetails.parameters)) L.push(`- ${k}: ${v}`);
  L.push('', '## Intended use', '', `- Primary use: ${card.intendedUse.primary}`, `- Out of scope: ${card.intendedUse.outOfScope}`);
  L.push('', '## Factors', '', card.factors.note);
  L.push('', '## Metrics', '', '| Metric | Value [95% interval] |', '|---|---|');
  for (const m of card.metrics) L.push(`| ${m.name} | ${num(m.value, m.interval)} |`);
  L.push('', '## Evaluation data', '', `- Source: ${card.evaluationData.source}`, `- Rows: ${card.evaluationData.rows}`, `- Label: ${card.evaluationData.label}`);
  L.push('', '## Training data', '');
  if (!card.trainingData.length) L.push('Not recorded (predictions were evaluated as given).');
  for (const t of card.trainingData) L.push(`- ${t.source}: ${t.rows} rows, ${t.synthetic ? 'synthetic' : 'real'}${t.provenance ? ` (${t.provenance})` : ''}`);
  const q = card.quantitativeAnalyses;
  L.push('', '## Quantitative analyses', '');
  if (q.slices.length) {
    L.push('### Slices', '', '| Slice | Rows | Metric | Value [interval] |', '|---|---:|---|---|');
    for (const s of q.slices) L.push(`| ${esc(s.slice)} | ${s.rows} | ${s.metric} | ${num(s.value, s.interval)} |`);
    L.push('');
  }
  if (q.fairness.length) {
    L.push('### Fairness', '', '| Column | Demographic parity difference | Equal opportunity difference | Equalized odds difference |', '|---|---|---|---|');
    for (const f of q.fairness) L.push(`| ${esc(f.column)} | ${num(f.demographicParityDifference)} | ${num(f.equalOpportunityDifference)} | ${num(f.equalizedOddsDifference)} |`);
    L.push('');
  }
  L.push('### Weak slices', '', ...(q.weakSlices.length ? q.weakSlices.map((w) => `- ${w}`) : ['None found.']), '');
  if (q.calibration) L.push('### Calibration', '', `- Expected calibration error: ${num(q.calibration.ece)}`, `- Maximum calibration error: ${num(q.calibration.mce)}`, '');
  if (q.robustness.length) L.push('### Robustness', '', ...q.robustness.map((x) => `- ${x}`), '');
  if (q.syntheticVsReal.length) L.push('### Synthetic vs real training data', '', ...q.syntheticVsReal.map((x) => `- ${x}`), '');
  L.push('## Ethical considerations', '', card.ethicalConsiderations);
  L.push('', '## Caveats and recommendations', '', ...(card.caveats.length ? card.caveats.map((c) => `- ${c}`) : ['None derived from the results.']));
  L.push('', '## NIST AI RMF — Measure', '', 'Subcategories of the MEASURE function that the measured results give evidence for (summarised in our words):', '', '| Subcategory | About | Evidence in this card |', '|---|---|---|');
  for (const m of card.nistAiRmfMeasure) L.push(`| ${m.id} | ${esc(m.topic)} | ${esc(m.evidence)} |`);
  L.push('', '_Generated by synthops from measured results; contains summary statistics only, never data rows._', '');
  return L.join('\n');
}
