import type { EvaluationReport, ReportMetric } from '../reports/evaluation.js';
import type { PolicyResult } from '../reports/policy.js';

const f = (x: number | undefined | null) => (x === undefined || x === null || !Number.isFinite(x) ? '   —  ' : x.toFixed(3).padStart(6));

function metricLine(m: ReportMetric): string {
  const iv = m.interval ? `[${m.interval[0].toFixed(3)}, ${m.interval[1].toFixed(3)}]` : '';
  const status = m.status === 'ok' ? '' : m.status === 'skipped' ? `skipped: ${m.warnings[0] ?? ''}` : `error: ${m.error?.message ?? ''}`;
  return `  ${m.metric.padEnd(30)} ${f(m.score)}  ${f(m.reference)}  ${iv.padEnd(16)} ${status}`.trimEnd();
}

/**
 * Terminal summary of an evaluation report: the plain-language summary, one line per metric (score, holdout
 * reference, interval, status), warnings, and the gate results when given. Plain text, no colour codes. Pure.
 * @example io.stderr(renderEvaluationText(report, checkPolicy(report.payload)))
 */
export function renderEvaluationText(report: EvaluationReport, gates?: PolicyResult): string {
  const p = report.payload;
  const lines: string[] = [];
  lines.push(`Evaluation: ${p.rows.training} training rows, ${p.rows.synthetic} synthetic rows, ${p.rows.holdout} holdout rows (${p.holdoutSource === 'given' ? 'given' : 'split off the real data'}); seed ${p.seed}`);
  lines.push('');
  for (const s of p.summary) lines.push(`* ${s}`);
  lines.push('');
  lines.push(`  ${'metric'.padEnd(30)}  score  as-real  interval`);
  for (const cat of ['validity', 'fidelity', 'utility', 'diversity', 'privacy'] as const) {
    const ms = p.metrics.filter((m) => m.category === cat);
    if (!ms.length) continue;
    const c = p.categories.find((x) => x.category === cat);
    lines.push(`${cat.toUpperCase()}${c && c.verdict !== 'none' ? ` — ${c.verdict}` : ''}`);
    for (const m of ms) lines.push(metricLine(m));
  }
  const warns = [...p.warnings, ...p.metrics.flatMap((m) => (m.status === 'ok' ? m.warnings.map((w) => `${m.metric}: ${w}`) : []))];
  if (warns.length) {
    lines.push('', 'Notes:');
    for (const w of warns) lines.push(`  - ${w}`);
  }
  if (gates) {
    lines.push('', `Gates: ${gates.passed ? 'PASSED' : 'FAILED'}`);
    for (const g of gates.gates) lines.push(`  ${g.status.toUpperCase().padEnd(7)} ${g.gate} — ${g.observed}`);
  }
  return lines.join('\n') + '\n';
}
