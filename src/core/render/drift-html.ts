import type { ColumnDrift } from '../drift/detect.js';
import type { DriftReport } from '../drift/report.js';
import { badge, chartGrid, escapeHtml, htmlPage, htmlTable, raw, section } from './html.js';
import { Plot, plotToSvg } from './plot.js';

const num = (x: number) => (x === 0 ? '0' : Math.abs(x) < 1e-3 ? x.toExponential(2) : +x.toPrecision(4) + '');

/**
 * A self-contained HTML drift report (inline CSS and SVG, opens offline): summary tiles, the column table with
 * every test's value, threshold and verdict, one chart per compared column (reference vs current shares per
 * bin), the window timeline (drift share, alerts, estimated accuracy) and the policy outcome. The report JSON is
 * embedded for tools. `document` is a DOM document for chart rendering (the browser's, or `nodeDocument()`).
 * @example writeFileAtomic('drift.html', renderDriftHtml(report, nodeDocument()))
 */
export function renderDriftHtml(report: DriftReport, document: unknown, opts: { maxCharts?: number } = {}): string {
  const r = report.result;
  const d = r.dataset;
  const tiles = `<div class="summary">${[
    [`${d.drifted} / ${d.compared}`, 'columns drifted'],
    [`${(100 * d.share).toFixed(0)} %`, `drift share (dataset drifts at ${(100 * d.threshold).toFixed(0)} %)`],
    [d.datasetDrifted ? 'yes' : 'no', 'dataset drift'],
    ...(report.performance ? [[num(report.performance.current.estimatedAccuracy), 'estimated accuracy (current)']] : []),
    ...(report.event ? [[report.event.retrain ? 'retrain' : 'ok', 'policy']] : []),
  ]
    .map(([v, l]) => `<div class="tile"><div class="v">${escapeHtml(v)}</div><div class="l">${escapeHtml(l)}</div></div>`)
    .join('')}</div>`;
  const findings = r.findings.length ? `<ul>${r.findings.map((f) => `<li>${escapeHtml(f.message)}</li>`).join('')}</ul>` : '';
  const rows = r.columns.flatMap((c) =>
    c.status !== 'compared'
      ? [[c.column, c.type, c.status, null, null, raw(c.drifted ? badge('drift', 'bad') : badge(c.status, 'warn'))]]
      : c.tests.map((t) => [
          c.column,
          c.type,
          t.test,
          t.skipped ? 'skipped' : num(t.value),
          `${t.statistic === 'p-value' ? '<' : '≥'} ${num(t.threshold)}`,
          raw(t.skipped ? badge('skipped', 'info') + ' ' + escapeHtml(t.skipped) : (t.drifted ? badge('drift', 'bad') : badge('ok', 'good')) + (t.note ? ' ' + escapeHtml(t.note) : '')),
        ]),
  );
  const charted = r.columns.filter((c) => c.histogram).sort((a, b) => Number(b.drifted) - Number(a.drifted)).slice(0, opts.maxCharts ?? 60);
  const cards = charted.map((c) => ({ title: `${c.column}${c.drifted ? ' — drift' : ''}`, svg: columnChart(c, document), caption: caption(c) }));
  const mv = report.multivariate;
  let mvHtml = '';
  if (mv) {
    const dc = mv.domainClassifier, rc = mv.reconstruction;
    mvHtml += 'value' in dc
      ? `<p>Domain classifier (gradient boosting telling current rows from reference rows, out-of-fold): AUC <b>${num(dc.value)}</b> (drift at ≥ ${num(dc.threshold)}) ${dc.drifted ? badge('multivariate drift', 'bad') : badge('no multivariate drift', 'good')}. Most telling columns: ${escapeHtml(dc.topColumns.map((c) => `${c.column} (${(100 * c.importance).toFixed(0)} %)`).join(', '))}.</p>`
      : `<p>Domain classifier: skipped (${escapeHtml(dc.skipped)}).</p>`;
    mvHtml += 'value' in rc
      ? `<p>Reconstruction error (principal components of the reference's numerical columns): <b>${num(rc.value)}</b> (drift at ≥ ${num(rc.threshold)}) ${rc.drifted ? badge('correlation structure changed', 'bad') : badge('structure kept', 'good')}.</p>`
      : `<p>Reconstruction error: skipped (${escapeHtml(rc.skipped)}).</p>`;
  }
  let body = section('Summary', tiles + mvHtml + findings, { intro: `Reference ${report.reference.name} (${report.reference.rows} rows) vs current ${report.current.name} (${report.current.rows} rows).` });
  if (report.event) {
    const e = report.event;
    body += section(
      'Retraining policy',
      e.fired.length
        ? htmlTable(['trigger', 'value', 'limit'], e.fired.map((f) => [f.name, num(f.value), `> ${num(f.above)}`]))
        : `<p>${e.checked} trigger(s) checked; none fired.</p>`,
    );
  }
  body += section('Columns', htmlTable(['column', 'type', 'test', 'value', 'drift if', 'verdict'], rows), {
    intro: 'p-value tests drift below their threshold; distances drift at or above it. Defaults: KS / chi-squared / z-test up to 1000 rows, effect sizes above.',
  });
  if (report.windows) body += section(`Timeline (${report.windows.width} windows on ${report.windows.column})`, timeline(report, document), { intro: report.windows.baselineNote ?? 'Alert thresholds were learned from the reference’s own windows (99th percentile of window-vs-reference distances).' });
  if (cards.length) body += section('Distributions', chartGrid(cards), { intro: 'Share of rows per bin: reference deciles for numbers, categories (top 20) otherwise.' });
  return htmlPage({ title: 'Drift report', subtitle: `${report.reference.name} → ${report.current.name}`, body, data: report });
}

function caption(c: ColumnDrift): string {
  const t = c.tests.find((x) => !x.skipped);
  const miss = c.reference && c.current ? ` · missing ${(100 * c.reference.missingShare).toFixed(1)} % → ${(100 * c.current.missingShare).toFixed(1)} %` : '';
  return (t ? `${t.test} = ${num(t.value)}` : '') + miss;
}

function columnChart(c: ColumnDrift, document: unknown): string {
  const h = c.histogram!;
  const ref = h.labels.map((bin, i) => ({ bin, side: 'reference', share: h.reference[i] }));
  const cur = h.labels.map((bin, i) => ({ bin, side: 'current', share: h.current[i] }));
  // Two marks, so the bars overlay instead of stacking: wide reference bars, narrower current bars on top.
  return plotToSvg(document, {
    width: 360,
    height: 200,
    marginBottom: 50,
    x: { domain: h.labels, tickRotate: -35, label: null },
    y: { label: 'share', grid: true },
    color: { domain: ['reference', 'current'], range: ['#4c78a8', '#f58518'], legend: true },
    marks: [
      Plot.barY(ref, { x: 'bin', y: 'share', fill: 'side', fillOpacity: 0.6 }),
      Plot.barY(cur, { x: 'bin', y: 'share', fill: 'side', fillOpacity: 0.85, insetLeft: 6, insetRight: 6 }),
      Plot.ruleY([0]),
    ],
  });
}

function timeline(report: DriftReport, document: unknown): string {
  const w = report.windows!;
  const pts = w.items.map((x) => ({ t: new Date(x.start), share: x.driftShare, alerts: x.alerts.length, empty: Boolean(x.empty) }));
  const charts = [
    {
      title: 'Drift share and alerts per window',
      svg: plotToSvg(document, {
        width: 720,
        height: 220,
        y: { label: 'drift share', domain: [0, 1], grid: true },
        marks: [
          Plot.lineY(pts, { x: 't', y: 'share', stroke: '#4c78a8' }),
          Plot.dot(pts.filter((p) => p.alerts > 0), { x: 't', y: 'share', r: 5, fill: '#cf222e' }),
          Plot.dot(pts.filter((p) => p.empty), { x: 't', y: 0, r: 4, stroke: '#9a6700', symbol: 'times' }),
        ],
      }),
      caption: 'Red dots: windows with at least one alert. Crosses: empty windows.',
    },
  ];
  const perf = report.performance?.windows?.filter((x) => x.rows > 0);
  if (perf?.length) {
    const data = perf.flatMap((x) => [
      { t: new Date(x.start), kind: 'estimated', acc: x.estimatedAccuracy },
      ...(x.realisedAccuracy !== undefined ? [{ t: new Date(x.start), kind: 'realised', acc: x.realisedAccuracy }] : []),
    ]);
    charts.push({
      title: 'Accuracy per window',
      svg: plotToSvg(document, {
        width: 720,
        height: 220,
        y: { label: 'accuracy', grid: true },
        color: { legend: true },
        marks: [Plot.lineY(data, { x: 't', y: 'acc', stroke: 'kind' })],
      }),
      caption: 'Estimated from the model’s confidence (calibrated on the reference when it had labels); realised where labels exist.',
    });
  }
  const alertRows = w.items.filter((x) => x.alerts.length).slice(0, 50).flatMap((x) => x.alerts.map((a) => [new Date(x.start).toISOString(), a.column, a.test, num(a.value), `> ${num(a.threshold)}`]));
  // Full-width figures: a timeline squeezed into a grid cell is unreadable.
  const wide = charts.map((c) => `<figure class="card" style="margin:0 0 16px">${'<figcaption>' + escapeHtml(c.title) + '</figcaption>'}${c.svg}<p class="cap">${escapeHtml(c.caption)}</p></figure>`).join('');
  return wide + (alertRows.length ? htmlTable(['window', 'column', 'test', 'value', 'threshold'], alertRows) : '<p>No window went beyond its learned thresholds.</p>');
}
