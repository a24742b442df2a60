/**
 * Terminal summary of a model evaluation: headline metrics with intervals, weakest slices, fairness gaps,
 * comparison and gate. Plain text, no colour codes (safe to pipe). A pure function of the report.
 */
import type { ModelEvalReport } from '../model-eval/report.js';
import { fairnessLabel } from '../model-eval/evaluate.js';
import { formatEstimate, metricLabel } from './model-eval-html.js';

/**
 * @example io.stderr(modelEvalTerminal(report))
 */
export function modelEvalTerminal(report: ModelEvalReport): string {
  const r = report.evaluation;
  const lines: string[] = [];
  lines.push(`${report.title} — ${r.task}, ${r.rows.toLocaleString('en-US')} rows, ${Math.round(r.bootstrap.level * 100)}% intervals from ${r.bootstrap.resamples} bootstrap resamples`);
  const keys = r.task === 'classification' ? ['accuracy', 'balancedAccuracy', 'precision', 'recall', 'f1', 'rocAuc', 'prAuc', 'logLoss', 'brier'] : ['mae', 'rmse', 'r2', 'mape'];
  for (const k of keys) if (r.overall[k]) lines.push(`  ${metricLabel(k).padEnd(32)} ${formatEstimate(r.overall[k])}`);
  if (r.calibration) lines.push(`  ${'Calibration error (ECE)'.padEnd(32)} ${formatEstimate(r.calibration.width.ece)}`);
  for (const f of r.fairness) lines.push(`  Fairness by ${fairnessLabel(f)}: parity difference ${formatEstimate(f.demographicParityDifference)}, equalized odds difference ${formatEstimate(f.equalizedOddsDifference)}`);
  if (r.weakSlices) {
    lines.push(`  Weak slices: ${r.weakSlices.found.length} of ${r.weakSlices.tested} tested`);
    for (const w of r.weakSlices.found.slice(0, 5)) lines.push(`    - ${w.summary}`);
  }
  if (report.robustness) for (const p of report.robustness.perturbations) lines.push(`  Robustness: ${p.description}: ${(p.changedShare * 100).toFixed(1)}% of predictions change, ${p.metric} ${p.before.toFixed(3)} → ${p.after.toFixed(3)}`);
  if (report.comparison) {
    const c = report.comparison;
    const k = r.task === 'classification' ? 'accuracy' : 'mae';
    lines.push(`  Trained on real: ${metricLabel(k)} ${formatEstimate(c.real.overall[k])}; on synthetic: ${formatEstimate(c.synthetic.overall[k])}`);
    lines.push(`  Slices where the synthetic-trained model is worse: ${c.flagged.length} of ${c.tested}`);
    for (const f of c.flagged.slice(0, 5)) lines.push(`    - ${f.summary}`);
  }
  if (report.inferenceCost) for (const b of report.inferenceCost.batches) lines.push(`  Inference, batch ${b.batchSize}: p50 ${b.p50Ms.toFixed(2)} ms, p95 ${b.p95Ms.toFixed(2)} ms, ${Math.round(b.rowsPerSecond).toLocaleString('en-US')} rows/s`);
  if (report.gate) {
    lines.push(`  Gate: ${report.gate.passed ? 'PASSED' : 'FAILED'}`);
    for (const c of report.gate.checks) lines.push(`    ${c.passed ? 'ok  ' : 'FAIL'} ${c.message}`);
  }
  for (const w of [...r.warnings, ...report.warnings]) lines.push(`  warning: ${w}`);
  return lines.join('\n') + '\n';
}
