import type { DriftReport } from '../drift/report.js';

const pct = (x: number) => `${(100 * x).toFixed(x > 0 && x < 0.01 ? 2 : 0)} %`;
const num = (x: number) => (x === 0 ? '0' : Math.abs(x) < 1e-3 ? x.toExponential(1) : x.toFixed(4).replace(/0+$/, '').replace(/\.$/, ''));
const day = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace(/:00\.000Z$|\.000Z$/, '').replace(/ 00:00$/, '');

/**
 * A terminal summary of a drift report (plain text, no colours): dataset verdict, drifted columns (or all with
 * `all`), findings, windows with alerts, performance, and the policy outcome. Contains statistics only, no rows.
 * @example io.stderr(renderDriftText(report, { maxColumns: 20 }))
 */
export function renderDriftText(report: DriftReport, opts: { all?: boolean; maxColumns?: number } = {}): string {
  const r = report.result;
  const lines: string[] = [];
  lines.push(`synthops drift: reference ${report.reference.name} (${report.reference.rows.toLocaleString('en-US')} rows${report.reference.from === 'profile' ? ', profile' : ''}) vs current ${report.current.name} (${report.current.rows.toLocaleString('en-US')} rows)`);
  const d = r.dataset;
  lines.push(`Dataset drift: ${d.drifted} of ${d.compared} columns drifted (${pct(d.share)}; dataset drifts at ${pct(d.threshold)}) → ${d.datasetDrifted ? 'DATASET DRIFT' : 'no dataset drift'}`);
  const shown = r.columns.filter((c) => opts.all || c.drifted || c.status !== 'compared').slice(0, opts.maxColumns ?? 50);
  if (shown.length) {
    const rows = shown.flatMap((c) => {
      if (c.status !== 'compared') return [[c.column, c.type, c.status, '', '', c.drifted ? 'DRIFT' : '']];
      return c.tests.filter((t) => opts.all || t.drifted).map((t) => [c.column, c.type, t.test, t.skipped ? 'skipped' : num(t.value), `${t.statistic === 'p-value' ? '<' : '≥'} ${num(t.threshold)}`, t.drifted ? 'DRIFT' : '']);
    });
    const head = ['column', 'type', 'test', 'value', 'drift if', ''];
    const w = head.map((h, j) => Math.min(28, Math.max(h.length, ...rows.map((x) => String(x[j]).length))));
    const fmt = (x: string[]) => '  ' + x.map((v, j) => String(v).slice(0, 28).padEnd(w[j])).join('  ').trimEnd();
    lines.push(fmt(head), ...rows.map(fmt));
  }
  const mv = report.multivariate;
  if (mv) {
    const dc = mv.domainClassifier, rc = mv.reconstruction;
    lines.push(
      'value' in dc
        ? `Multivariate, domain classifier: AUC ${num(dc.value)} (drift at ≥ ${num(dc.threshold)}) → ${dc.drifted ? 'DRIFT' : 'no drift'}; most telling: ${dc.topColumns.slice(0, 3).map((c) => c.column).join(', ')}`
        : `Multivariate, domain classifier: skipped (${dc.skipped})`,
    );
    lines.push(
      'value' in rc
        ? `Multivariate, reconstruction error: ${num(rc.value)} (drift at ≥ ${num(rc.threshold)}; ${rc.components} of ${rc.columns.length} components) → ${rc.drifted ? 'DRIFT' : 'no drift'}`
        : `Multivariate, reconstruction error: skipped (${rc.skipped})`,
    );
  }
  const labelLine = (what: string, c?: { column: string; drifted: boolean }) => c && lines.push(`${what} (${c.column}): ${c.drifted ? 'DRIFT' : 'no drift'}`);
  labelLine('Label drift', r.labelDrift);
  labelLine('Prediction drift', r.predictionDrift);
  for (const f of r.findings) lines.push(`Finding: ${f.message}`);
  if (report.windows) {
    const w = report.windows;
    const alerted = w.items.filter((x) => x.alerts.length);
    const empty = w.items.filter((x) => x.empty).length;
    lines.push(`Windows (${w.width} on ${w.column}): ${w.items.length} windows${empty ? `, ${empty} empty` : ''}, ${alerted.length} with alerts${w.untimed ? `; ${w.untimed} rows without a time` : ''}`);
    if (w.baselineNote) lines.push(`  note: ${w.baselineNote}`);
    for (const x of alerted.slice(0, 10))
      lines.push(`  ${day(x.start)}: ` + x.alerts.map((a) => `${a.column} ${a.test} ${num(a.value)} > ${num(a.threshold)}`).join('; '));
  }
  if (report.performance) {
    const p = report.performance;
    const ref = p.reference ? `reference accuracy ${num(p.reference.realisedAccuracy ?? p.reference.estimatedAccuracy)} (${p.reference.realisedAccuracy !== undefined ? 'realised' : 'estimated'}), ` : '';
    lines.push(`Performance: ${ref}current estimated ${num(p.current.estimatedAccuracy)}${p.current.realisedAccuracy !== undefined ? `, realised ${num(p.current.realisedAccuracy)}` : ''}${p.drop !== undefined ? ` (drop ${num(p.drop)})` : ''}${p.calibrated ? '' : ' — uncalibrated'}`);
  }
  if (report.event) {
    const e = report.event;
    lines.push(e.retrain ? `Policy: RETRAIN — fired: ${e.fired.map((f) => `${f.name} (${num(f.value)} > ${num(f.above)})`).join(', ')}` : `Policy: ${e.checked} trigger(s) checked, none fired`);
    for (const u of e.unavailable) lines.push(`  not evaluated: ${u.name}: ${u.reason}`);
  }
  return lines.join('\n') + '\n';
}
