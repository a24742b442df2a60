import type { EvaluationReport, ReportMetric } from '../reports/evaluation.js';
import type { PolicyResult } from '../reports/policy.js';
import { badge, chartGrid, escapeHtml, htmlPage, htmlTable, raw, section } from './html.js';
import { Plot, plotToSvg } from './plot.js';

/** Options of `renderEvaluationHtml`. */
export interface EvaluationHtmlOptions {
  /** A DOM document for the charts (the browser's, or `nodeDocument()` from src/node/render/document.ts). */
  document: unknown;
  /** Gate results to show (from checkPolicy). */
  gates?: PolicyResult;
  /** Title; default 'Synthetic data evaluation'. */
  title?: string;
}

const f = (x: number | undefined | null) => (x === undefined || x === null || !Number.isFinite(x) ? '—' : x.toFixed(3));
const TONE = { good: 'good', fair: 'warn', poor: 'bad', none: 'info' } as const;

/**
 * A self-contained HTML report (inline CSS and SVG charts, opens offline): summary tiles and sentences for a
 * non-expert, gates, per-column real-vs-synthetic distributions, a pair-trend heat map, the DCR histogram, utility
 * bars and the full metric table. The report JSON is embedded for tools. Pure function of the report.
 * @example writeFileAtomic('report.html', renderEvaluationHtml(report, { document: nodeDocument() }))
 */
export function renderEvaluationHtml(report: EvaluationReport, opts: EvaluationHtmlOptions): string {
  const p = report.payload;
  const doc = opts.document;
  const tiles = p.categories
    .filter((c) => c.verdict !== 'none')
    .map((c) => `<div class="tile"><div class="l">${escapeHtml(c.category)}</div><div class="v">${f(c.score)}</div><div class="l">real data: ${f(c.reference)} ${badge(c.verdict, TONE[c.verdict])}</div></div>`)
    .join('');
  let body = section('Summary', `<div class="summary">${tiles}</div><ul>${p.summary.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>`, {
    id: 'summary',
    intro: `${p.rows.training} training rows, ${p.rows.synthetic} synthetic rows, ${p.rows.holdout} real holdout rows (${p.holdoutSource === 'given' ? 'given' : 'split off the real data'}). Each score is 1 at best; "real data" is the same score for the holdout against the training data.`,
  });
  if (opts.gates) {
    body += section(
      `Gates: ${opts.gates.passed ? 'passed' : 'failed'}`,
      htmlTable(['gate', 'status', 'observed'], opts.gates.gates.map((g) => [g.gate, raw(badge(g.status, g.status === 'pass' ? 'good' : g.status === 'fail' ? 'bad' : 'info')), g.observed])),
      { id: 'gates' },
    );
  }
  const colCards = p.charts.columns.map((c) => {
    const rows = c.labels.flatMap((label, i) => [
      { label, side: 'real', share: c.real[i] },
      { label, side: 'synthetic', share: c.synthetic[i] },
    ]);
    const svg = plotToSvg(doc, {
      width: 360,
      height: 220,
      marginBottom: 60,
      x: { domain: c.labels, tickRotate: -35, label: null },
      y: { label: 'share of rows', grid: true },
      color: { domain: ['real', 'synthetic'], range: ['#4c78a8', '#f58518'], legend: true },
      marks: [
        Plot.barY(rows.filter((r) => r.side === 'real'), { x: 'label', y: 'share', fill: 'side', fillOpacity: 0.6 }),
        Plot.barY(rows.filter((r) => r.side === 'synthetic'), { x: 'label', y: 'share', fill: 'side', fillOpacity: 0.85, insetLeft: 5, insetRight: 5 }),
        Plot.ruleY([0]),
      ],
    });
    const shape = findColumnScore(p.metrics, c.column);
    return { title: c.column, svg, caption: shape !== null ? `column score ${f(shape)}` : undefined };
  });
  body += section('Columns: real versus synthetic', chartGrid(colCards), { id: 'columns', intro: 'Share of rows per value range (numbers, on the real data\'s deciles) or category. Rare categories are grouped as "(other)".' });
  if (p.charts.pairs.length) {
    const cells = p.charts.pairs.flatMap((q) => [
      { a: q.a, b: q.b, score: q.score },
      { a: q.b, b: q.a, score: q.score },
    ]);
    const heat = plotToSvg(doc, {
      width: Math.min(900, 160 + 28 * p.columns.length),
      height: Math.min(900, 140 + 28 * p.columns.length),
      marginLeft: 130,
      marginBottom: 120,
      x: { tickRotate: -45, label: null },
      y: { label: null },
      color: { type: 'linear', domain: [0.5, 1], scheme: 'RdYlGn', label: 'pair score' }, // no ramp legend: it needs a canvas
      marks: [Plot.cell(cells, { x: 'a', y: 'b', fill: 'score', title: (d: { score: number }) => d.score.toFixed(3) })],
    });
    body += section('Relationships between columns', chartGrid([{ title: 'Pair-trend score per column pair', svg: heat, caption: 'Colour from red (score 0.5 or less: relationship lost) to green (1: kept). Correlation for number pairs, two-way tables otherwise.' }]), { id: 'pairs' });
  }
  const extra: { title: string; svg: string; caption?: string }[] = [];
  const dcr = p.metrics.find((m) => m.metric === 'dcr@1' && m.status === 'ok');
  const hist = (dcr?.details as { histogram?: { edges: number[]; synthetic: number[]; holdout: number[] } } | undefined)?.histogram;
  if (hist && hist.edges.length > 1) {
    const tot = (v: number[]) => v.reduce((a, b) => a + b, 0) || 1;
    const ts = tot(hist.synthetic), th = tot(hist.holdout);
    const rows = hist.synthetic.flatMap((s, i) => [
      { x: hist.edges[i], side: 'synthetic', share: s / ts },
      { x: hist.edges[i], side: 'holdout', share: (hist.holdout[i] ?? 0) / th },
    ]);
    extra.push({
      title: 'Distance to the closest training row',
      svg: plotToSvg(doc, {
        width: 420,
        height: 220,
        x: { label: 'distance' },
        y: { label: 'share', grid: true },
        color: { domain: ['holdout', 'synthetic'], range: ['#4c78a8', '#f58518'], legend: true },
        marks: [Plot.lineY(rows, { x: 'x', y: 'share', stroke: 'side', curve: 'step-after' }), Plot.ruleY([0])],
      }),
      caption: 'Synthetic rows should sit as far from training rows as unseen real rows do; a peak at 0 means copies.',
    });
  }
  const util = p.metrics.find((m) => m.metric === 'utility-tstr@1' && m.status === 'ok');
  const learners = (util?.details as { learners?: { learner: string; real: Record<string, number>; synthetic: Record<string, number> }[]; primary?: string } | undefined)?.learners;
  if (learners?.length) {
    const key = 'f1' in learners[0].real ? 'f1' : 'r2';
    const rows = learners.flatMap((l) => [
      { learner: l.learner, trained: 'on real', value: l.real[key] },
      { learner: l.learner, trained: 'on synthetic', value: l.synthetic[key] },
    ]);
    extra.push({
      title: `Utility: ${key === 'f1' ? 'macro F1' : 'R²'} on the real holdout`,
      svg: plotToSvg(doc, {
        width: 420,
        height: 220,
        x: { label: null },
        y: { label: key === 'f1' ? 'macro F1' : 'R²', grid: true },
        color: { domain: ['on real', 'on synthetic'], range: ['#4c78a8', '#f58518'], legend: true },
        marks: [Plot.barY(rows, { fx: 'learner', x: 'trained', y: 'value', fill: 'trained' }), Plot.ruleY([0])],
      }),
      caption: 'Models trained on synthetic data should score close to models trained on real data.',
    });
  }
  if (extra.length) body += section('Privacy and utility', chartGrid(extra), { id: 'privacy-utility' });
  body += section('All metrics', htmlTable(['metric', 'category', 'score', 'real data', 'interval', 'status'], p.metrics.map((m) => metricRow(m))), {
    id: 'metrics',
    intro: 'Every score is in [0, 1], higher is better. "real data" is the reference (holdout vs training). Intervals are 95% bootstrap intervals.',
  });
  const warns = [...p.warnings, ...p.metrics.flatMap((m) => (m.status === 'ok' ? m.warnings.map((w) => `${m.metric}: ${w}`) : []))];
  if (warns.length) body += section('Notes', `<ul>${warns.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`, { id: 'notes' });
  return htmlPage({ title: opts.title ?? 'Synthetic data evaluation', subtitle: `seed ${p.seed}${p.target ? ` · target ${p.target}` : ''}`, body, data: report });
}

function metricRow(m: ReportMetric): (string | ReturnType<typeof raw>)[] {
  const status = m.status === 'ok' ? raw(badge('ok', 'good')) : m.status === 'skipped' ? raw(`${badge('skipped', 'info')} ${escapeHtml(m.warnings[0] ?? '')}`) : raw(`${badge('error', 'bad')} ${escapeHtml(m.error?.message ?? '')}`);
  return [raw(`<b>${escapeHtml(m.name)}</b><br><code>${escapeHtml(m.metric)}</code>`), m.category, f(m.score), f(m.reference), m.interval ? `${f(m.interval[0])} – ${f(m.interval[1])}` : '—', status];
}

function findColumnScore(metrics: ReportMetric[], column: string): number | null {
  for (const id of ['ks-complement@1', 'tv-complement@1']) {
    const m = metrics.find((x) => x.metric === id && x.status === 'ok');
    const cols = (m?.details as { columns?: { column: string; score: number }[] } | undefined)?.columns;
    const c = cols?.find((x) => x.column === column);
    if (c) return c.score;
  }
  return null;
}
