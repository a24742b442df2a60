/**
 * Self-contained HTML report of a model evaluation: headline figures with intervals, confusion matrix,
 * reliability diagram, per-slice bars, fairness gaps, weak slices, robustness and synthetic-vs-real sections
 * when present. A pure function of the result; charts are SVG from Observable Plot (document injected).
 */
import { fairnessLabel, type ModelEvalResult } from '../model-eval/evaluate.js';
import type { Estimate } from '../model-eval/estimate.js';
import type { ModelEvalReport } from '../model-eval/report.js';
import { badge, chartGrid, escapeHtml, htmlPage, htmlTable, section } from './html.js';
import { Plot, plotToSvg } from './plot.js';

/** Formats an estimate as `0.853 [0.846, 0.861]` (— when undefined). */
export function formatEstimate(e: Estimate | undefined, digits = 3): string {
  if (!e || e.value === null) return '—';
  const f = (v: number) => v.toFixed(digits);
  return e.interval ? `${f(e.value)} [${f(e.interval[0])}, ${f(e.interval[1])}]` : f(e.value);
}

const LABELS: Record<string, string> = {
  accuracy: 'Accuracy', balancedAccuracy: 'Balanced accuracy', precision: 'Precision', recall: 'Recall', f1: 'F1',
  macroPrecision: 'Precision (macro)', macroRecall: 'Recall (macro)', macroF1: 'F1 (macro)', weightedPrecision: 'Precision (weighted)',
  weightedRecall: 'Recall (weighted)', weightedF1: 'F1 (weighted)', rocAuc: 'ROC AUC', prAuc: 'PR AUC (average precision)',
  logLoss: 'Log loss (lower is better)', brier: 'Brier score (lower is better)', mae: 'MAE (lower is better)', rmse: 'RMSE (lower is better)',
  r2: 'R²', mape: 'MAPE (share, lower is better)', selectionRate: 'Selection rate', meanError: 'Mean error',
};

/** A readable name for a metric key. */
export function metricLabel(key: string): string {
  return LABELS[key] ?? key;
}

/**
 * The HTML page. `document` is a DOM document for the charts (the browser's, or `nodeDocument()` in Node).
 * @example writeFileAtomic('report.html', modelEvalHtml(report, nodeDocument()))
 */
export function modelEvalHtml(report: ModelEvalReport, document: unknown): string {
  const r = report.evaluation;
  const parts: string[] = [];
  const head = r.task === 'classification' ? ['accuracy', 'f1', 'rocAuc', 'brier'] : ['mae', 'rmse', 'r2'];
  parts.push(
    `<div class="summary">${head
      .filter((k) => r.overall[k])
      .map((k) => `<div class="tile"><div class="v">${r.overall[k].value === null ? '—' : r.overall[k].value!.toFixed(3)}</div><div class="l">${escapeHtml(metricLabel(k))}${
        r.overall[k].interval ? ` · ${Math.round(r.bootstrap.level * 100)}% CI ${r.overall[k].interval!.map((v) => v.toFixed(3)).join('–')}` : ''
      }</div></div>`)
      .join('')}${report.gate ? `<div class="tile"><div class="v">${badge(report.gate.passed ? 'passed' : 'failed', report.gate.passed ? 'good' : 'bad')}</div><div class="l">Policy gate</div></div>` : ''}</div>`,
  );
  parts.push(
    section(
      'Metrics',
      htmlTable(['Metric', 'Value', `${Math.round(r.bootstrap.level * 100)}% interval`], Object.entries(r.overall).map(([k, e]) => [metricLabel(k), e.value === null ? null : e.value.toFixed(4), e.interval ? `${e.interval[0].toFixed(4)} – ${e.interval[1].toFixed(4)}` : null])),
      { intro: `${r.rows.toLocaleString('en-US')} rows. Intervals: Poisson bootstrap, ${r.bootstrap.resamples} resamples, seed ${r.bootstrap.seed}.${r.positiveClass !== undefined ? ` Positive class: ${r.positiveClass}.` : ''}${r.threshold != null ? ` Threshold ${r.threshold}.` : ''}` },
    ),
  );
  const charts: { title: string; svg: string; caption?: string }[] = [];
  if (r.confusion && r.classes) {
    const cells = r.confusion.flatMap((row, t) => row.map((v, p) => ({ truth: r.classes![t], predicted: r.classes![p], count: v })));
    const maxCell = Math.max(...cells.map((c) => c.count));
    charts.push({
      title: 'Confusion matrix',
      svg: plotToSvg(document, {
        width: 360, height: 300, marginLeft: 90, padding: 0.05,
        color: { scheme: 'blues' },
        x: { label: 'Predicted' }, y: { label: 'True' },
        marks: [Plot.cell(cells, { x: 'predicted', y: 'truth', fill: 'count' }), Plot.text(cells, { x: 'predicted', y: 'truth', text: (d: { count: number }) => d.count.toLocaleString('en-US'), fill: (d: { count: number }) => (d.count > maxCell / 2 ? 'white' : 'black') })],
      }),
    });
  }
  if (r.calibration) {
    const bins = r.calibration.width.bins.filter((b) => b.count > 0);
    charts.push({
      title: 'Reliability diagram',
      caption: `ECE ${formatEstimate(r.calibration.width.ece)} (equal width), ${formatEstimate(r.calibration.mass.ece)} (equal mass). On the diagonal = calibrated.`,
      svg: plotToSvg(document, {
        width: 360, height: 300, x: { domain: [0, 1], label: 'Mean predicted probability' }, y: { domain: [0, 1], label: 'Observed frequency' },
        marks: [Plot.line([[0, 0], [1, 1]], { stroke: '#999', strokeDasharray: '4,3' }), Plot.line(bins, { x: 'confidence', y: 'frequency', stroke: 'var(--real)' }), Plot.dot(bins, { x: 'confidence', y: 'frequency', r: (d: { count: number }) => 2 + Math.sqrt(d.count) / 10, fill: 'var(--real)' })],
      }),
    });
  }
  const key = r.task === 'classification' ? 'f1' : 'mae';
  for (const s of r.slices.filter((s) => s.columns.length === 1)) {
    const data = s.groups.filter((g) => g.metrics && g.metrics[key].value !== null).map((g) => ({ group: g.description.replace(`${s.columns[0]} = `, ''), v: g.metrics![key].value!, lo: g.metrics![key].interval?.[0] ?? g.metrics![key].value!, hi: g.metrics![key].interval?.[1] ?? g.metrics![key].value! }));
    if (!data.length) continue;
    charts.push({
      title: `${metricLabel(key)} by ${s.columns[0]}`,
      caption: `Bars: value; lines: ${Math.round(r.bootstrap.level * 100)}% interval; dashed: overall.`,
      svg: plotToSvg(document, {
        width: 360, height: 40 + 28 * data.length, marginLeft: 130, x: { label: metricLabel(key) }, y: { label: null },
        marks: [Plot.barX(data, { y: 'group', x: 'v', fill: 'var(--real)', fillOpacity: 0.6 }), Plot.ruleY(data, { y: 'group', x1: 'lo', x2: 'hi', stroke: 'black' }), Plot.ruleX([r.overall[key].value ?? 0], { strokeDasharray: '4,3' })],
      }),
    });
  }
  if (charts.length) parts.push(section('Charts', chartGrid(charts)));
  if (r.perClass) {
    parts.push(section('Per class', htmlTable(['Class', 'Support', 'Precision', 'Recall', 'F1'], r.perClass.map((c) => [c.class, c.support, formatEstimate(c.precision), formatEstimate(c.recall), formatEstimate(c.f1)]))));
  }
  if (r.thresholds) {
    parts.push(section('Across thresholds', htmlTable(['Threshold', 'Precision', 'Recall', 'F1', 'FPR', 'Selection rate', 'Accuracy'], r.thresholds.map((t) => [t.threshold, fx(t.precision), fx(t.recall), fx(t.f1), fx(t.fpr), fx(t.selectionRate), fx(t.accuracy)])), { intro: 'Predict positive when the score is at least the threshold.' }));
  }
  if (r.slices.length) {
    const withAuc = r.slices.some((s) => s.groups.some((g) => g.metrics?.rocAuc));
    const metricKeys = r.task === 'classification' ? ['accuracy', 'f1', 'precision', 'recall', ...(withAuc ? ['rocAuc'] : [])] : ['mae', 'rmse'];
    parts.push(
      section(
        'Slices',
        r.slices.map((s) => `<h3>${escapeHtml(s.columns.join(' × '))}</h3>` + htmlTable(['Slice', 'Rows', ...metricKeys.map(metricLabel)], s.groups.map((g) => [g.description, g.support, ...metricKeys.map((k) => (g.tooSmall ? 'too few rows' : formatEstimate(g.metrics![k])))]))).join(''),
        { intro: `Metrics per value of the slice columns and their crossings; slices with fewer than ${report.options.minSupport} rows get none.` },
      ),
    );
  }
  if (r.fairness.length) {
    parts.push(
      section(
        'Fairness',
        htmlTable(['Column', 'Demographic parity difference', 'Demographic parity ratio', 'Equal opportunity difference', 'Equalized odds difference'], r.fairness.map((f) => [fairnessLabel(f), formatEstimate(f.demographicParityDifference), formatEstimate(f.demographicParityRatio), formatEstimate(f.equalOpportunityDifference), formatEstimate(f.equalizedOddsDifference)])) +
          r.fairness.map((f) => `<h3>${escapeHtml(fairnessLabel(f))}</h3>` + htmlTable(['Group', 'Rows', 'Selection rate', 'True-positive rate', 'False-positive rate'], f.groups.map((g) => [g.description, g.support, formatEstimate(g.selectionRate), formatEstimate(g.truePositiveRate), formatEstimate(g.falsePositiveRate)]))).join(''),
        { intro: 'Differences: 0 is parity, larger is less fair. Ratio: 1 is parity (the "80 % rule" flags < 0.8).' },
      ),
    );
  }
  if (r.weakSlices) {
    const w = r.weakSlices;
    parts.push(
      section(
        'Weak slices',
        w.found.length ? `<ul>${w.found.map((f) => `<li>${escapeHtml(f.summary)} <span class="cap">q = ${f.qValue.toPrecision(2)}</span></li>`).join('')}</ul>` : '<p>No slice is significantly worse than the rest.</p>',
        { intro: `${w.tested} slices tested (${w.method}), false discovery rate ${w.alpha}, at least ${w.minSupport} rows each.` },
      ),
    );
  }
  if (report.robustness) {
    parts.push(section('Robustness', htmlTable(['Perturbation', 'Predictions changed', 'Metric', 'Before', 'After', 'Drop'], report.robustness.perturbations.map((p) => [p.description, `${(p.changedShare * 100).toFixed(1)}%`, metricLabel(p.metric), fx(p.before), fx(p.after), fx(p.drop)])), { intro: 'Share of predictions that change and the metric drop when inputs are perturbed (seeded).' }));
  }
  if (report.comparison) {
    const c = report.comparison;
    parts.push(
      section(
        'Synthetic vs real training data',
        htmlTable(['Metric', 'Trained on real', 'Trained on synthetic'], Object.keys(c.real.overall).map((k) => [metricLabel(k), formatEstimate(c.real.overall[k]), formatEstimate(c.synthetic.overall[k])])) +
          sideBySideSlices(c.real, c.synthetic) +
          (c.flagged.length ? `<h3>Slices where the synthetic-trained model is worse</h3><ul>${c.flagged.map((f) => `<li>${escapeHtml(f.summary)}</li>`).join('')}</ul>` : '<p>No slice where the synthetic-trained model is significantly worse.</p>'),
        { intro: `The same learner trained on real and on synthetic data, both evaluated on the same real test set. ${c.method}` },
      ),
    );
  }
  if (report.inferenceCost) {
    parts.push(section('Inference cost', htmlTable(['Batch size', 'Calls', 'p50 ms', 'p95 ms', 'p99 ms', 'Rows/s'], report.inferenceCost.batches.map((b) => [b.batchSize, b.calls, b.p50Ms.toFixed(2), b.p95Ms.toFixed(2), b.p99Ms.toFixed(2), Math.round(b.rowsPerSecond)]))));
  }
  if (r.warnings.length || report.warnings.length) parts.push(section('Warnings', `<ul>${[...r.warnings, ...report.warnings].map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`));
  return htmlPage({ title: report.title, subtitle: report.subtitle, body: parts.join('\n'), data: report });
}

/** Per-slice table: the same slice's headline metric for the real- and the synthetic-trained model. */
function sideBySideSlices(real: ModelEvalResult, synth: ModelEvalResult): string {
  const key = real.task === 'classification' ? 'accuracy' : 'mae';
  const key2 = real.task === 'classification' ? 'f1' : 'rmse';
  // Binary scores: per-slice ROC AUC of both models too.
  const has = (r: ModelEvalResult) => r.slices.some((s) => s.groups.some((g) => g.metrics?.rocAuc));
  const auc = has(real) && has(synth);
  const rows: (string | number | null)[][] = [];
  real.slices.forEach((s, i) => {
    const t = synth.slices[i];
    s.groups.forEach((g, j) => {
      if (g.tooSmall || !g.metrics || !t?.groups[j]?.metrics) return;
      const m = t.groups[j].metrics!;
      rows.push([g.description, g.support, formatEstimate(g.metrics[key]), formatEstimate(m[key]), formatEstimate(g.metrics[key2]), formatEstimate(m[key2]), ...(auc ? [formatEstimate(g.metrics.rocAuc), formatEstimate(m.rocAuc)] : [])]);
    });
  });
  if (!rows.length) return '';
  const aucHead = auc ? [`${metricLabel('rocAuc')} (real)`, `${metricLabel('rocAuc')} (synthetic)`] : [];
  return `<h3>Per slice</h3>` + htmlTable(['Slice', 'Rows', `${metricLabel(key)} (real)`, `${metricLabel(key)} (synthetic)`, `${metricLabel(key2)} (real)`, `${metricLabel(key2)} (synthetic)`, ...aucHead], rows);
}

function fx(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3) : '—';
}

export type { ModelEvalResult };
