import type { EvaluationReport } from '../reports/evaluation.js';
import type { PolicyResult } from '../reports/policy.js';

const f = (x: number | undefined | null) => (x === undefined || x === null || !Number.isFinite(x) ? '—' : x.toFixed(3));
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * Markdown version of an evaluation report: summary sentences, a verdict table per category, a metric table
 * (score, holdout reference, interval, status) and the gates when given. Pure.
 * @example writeFile('report.md', renderEvaluationMarkdown(report))
 */
export function renderEvaluationMarkdown(report: EvaluationReport, gates?: PolicyResult): string {
  const p = report.payload;
  const out: string[] = ['# Synthetic data evaluation', ''];
  out.push(`${p.rows.training} training rows · ${p.rows.synthetic} synthetic rows · ${p.rows.holdout} holdout rows (${p.holdoutSource}) · seed ${p.seed}`, '');
  out.push('## Summary', '', ...p.summary.map((s) => `- ${s}`), '');
  out.push('| category | score | as good as real | verdict |', '|---|---:|---:|---|');
  for (const c of p.categories) if (c.verdict !== 'none') out.push(`| ${c.category} | ${f(c.score)} | ${f(c.reference)} | ${c.verdict} |`);
  out.push('', '## Metrics', '', '| metric | category | score | reference | interval | status |', '|---|---|---:|---:|---|---|');
  for (const m of p.metrics) {
    const status = m.status === 'ok' ? 'ok' : `${m.status}: ${cell(m.status === 'error' ? (m.error?.message ?? '') : (m.warnings[0] ?? ''))}`;
    out.push(`| \`${m.metric}\` ${cell(m.name)} | ${m.category} | ${f(m.score)} | ${f(m.reference)} | ${m.interval ? `${f(m.interval[0])} – ${f(m.interval[1])}` : '—'} | ${status} |`);
  }
  const warns = [...p.warnings, ...p.metrics.flatMap((m) => (m.status === 'ok' ? m.warnings.map((w) => `\`${m.metric}\`: ${w}`) : []))];
  if (warns.length) out.push('', '## Notes', '', ...warns.map((w) => `- ${cell(w)}`));
  if (gates) {
    out.push('', `## Gates: ${gates.passed ? 'passed' : 'FAILED'}`, '', '| gate | status | observed |', '|---|---|---|');
    for (const g of gates.gates) out.push(`| ${cell(g.gate)} | ${g.status} | ${cell(g.observed)} |`);
  }
  return out.join('\n') + '\n';
}
