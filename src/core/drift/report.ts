import { SynthopsError } from '../errors.js';
import type { DataProfile } from '../profile/profile.js';
import type { Table } from '../table/table.js';
import { detectDrift, type DriftOptions, type DriftResult } from './detect.js';
import { estimatePerformance, fitCalibration, scoreRows, type Calibration, type ClassifierColumns, type PerformanceEstimate } from './performance.js';
import { domainClassifierDrift, type DomainClassifierResult } from './multivariate/domain-classifier.js';
import { reconstructionDrift, type ReconstructionResult } from './multivariate/reconstruction.js';
import type { PolicyEvent } from './policy.js';
import { learnWindowBaseline, splitWindows, windowedDrift, type WindowBaseline, type WindowDrift } from './windows.js';

/** Version of the drift report layout (`kind: 'report/drift'`). */
export const DRIFT_REPORT_VERSION = 1;

/**
 * Everything `synthops drift` computes, as plain JSON: the drift result, optional windows and performance
 * estimates, and the policy event. Renderers (`renderDriftHtml`, `renderDriftText`) are pure functions of it.
 */
export interface DriftReport {
  reference: { name: string; rows: number; from: 'data' | 'profile' };
  current: { name: string; rows: number };
  result: DriftResult;
  /** Multivariate drift when both sides were read as rows (each part says why when it could not run). */
  multivariate?: {
    domainClassifier: DomainClassifierResult | { skipped: string };
    reconstruction: ReconstructionResult | { skipped: string };
  };
  windows?: {
    column: string;
    width: string;
    baseline: WindowBaseline | null;
    /** Why there is no baseline (alerts then cannot fire). */
    baselineNote?: string;
    untimed: number;
    items: WindowDrift[];
  };
  performance?: {
    /** Accuracy on the reference: realised when it had labels, else estimated. */
    reference?: PerformanceEstimate;
    current: PerformanceEstimate;
    /** reference accuracy − current estimated accuracy (positive = worse). */
    drop?: number;
    calibrated: boolean;
    windows?: (PerformanceEstimate & { start: number; end: number })[];
  };
  event?: PolicyEvent;
}

/** Inputs of `buildDriftReport`. */
export interface DriftReportInput {
  referenceName: string;
  currentName: string;
  reference: DataProfile;
  /** The reference rows, when it was read from data (needed to learn window thresholds and calibration). */
  referenceTable?: Table;
  /** The current rows; needed for windows and performance (a profile alone gives column and dataset drift). */
  current?: Table;
  currentProfile: DataProfile;
  drift?: DriftOptions;
  window?: { column: string; width: string; widthMs: number; baseline?: WindowBaseline };
  classifier?: ClassifierColumns;
  /** Calibration stored with a reference profile. */
  calibration?: Calibration;
  /** Run the domain classifier (needs rows on both sides). Default true. */
  multivariate?: boolean;
  /** Seed for the domain classifier. Default 0. */
  seed?: number;
}

/**
 * Assembles a drift report: dataset and column drift, then per-window drift with thresholds learned from the
 * reference's windows, then confidence-based performance (overall and per window).
 * @example buildDriftReport({ referenceName: 'ref.csv', currentName: 'cur.csv', reference, current, currentProfile })
 */
export function buildDriftReport(input: DriftReportInput): DriftReport {
  const exclude = [...(input.drift?.exclude ?? []), ...(input.window ? [input.window.column] : [])];
  const result = detectDrift(input.reference, input.currentProfile, { ...input.drift, exclude });
  const report: DriftReport = {
    reference: { name: input.referenceName, rows: input.reference.rows, from: input.referenceTable ? 'data' : 'profile' },
    current: { name: input.currentName, rows: input.currentProfile.rows },
    result,
  };
  if (input.multivariate !== false) {
    if (!input.referenceTable || !input.current) {
      const skipped = 'a side was given as a profile; multivariate tests need rows';
      report.multivariate = { domainClassifier: { skipped }, reconstruction: { skipped } };
    } else {
      const refT = input.referenceTable, curT = input.current;
      const exclude = new Set([...(input.drift?.exclude ?? []), ...(input.window ? [input.window.column] : [])]);
      const columns = refT.columnNames.filter((c) => !exclude.has(c) && (!input.drift?.columns || input.drift.columns.includes(c)));
      const attempt = <T,>(f: () => T): T | { skipped: string } => {
        try {
          return f();
        } catch (e) {
          return { skipped: (e as Error).message };
        }
      };
      report.multivariate = {
        domainClassifier: attempt(() => domainClassifierDrift(refT, curT, { seed: input.seed ?? 0, columns })),
        reconstruction: attempt(() => reconstructionDrift(refT, curT, { seed: input.seed ?? 0, columns })),
      };
    }
  }
  if ((input.window || input.classifier) && !input.current)
    throw new SynthopsError('invalid_argument', 'invalid current: windows and performance estimates need the current rows, not a profile.');
  if (input.window && input.current) {
    const current = input.current;
    const w = input.window;
    let baseline: WindowBaseline | null = w.baseline ?? null;
    let note: string | undefined;
    if (!baseline && input.referenceTable) {
      if (!input.referenceTable.has(w.column)) note = `the reference has no column "${w.column}"; alert thresholds cannot be learned`;
      else
        try {
          baseline = learnWindowBaseline(input.referenceTable, w.column, w.widthMs, input.reference);
        } catch (e) {
          note = (e as Error).message;
        }
    } else if (!baseline) note = 'the reference profile was built without --time-column/--window, so no alert thresholds were learned';
    if (baseline && baseline.widthMs !== w.widthMs) {
      note = 'the reference profile learned its thresholds for a different window length; alerts are off';
      baseline = null;
    }
    const wd = windowedDrift(input.reference, current, w.column, w.widthMs, baseline ?? undefined, { ...input.drift, exclude });
    report.windows = { column: w.column, width: w.width, baseline, ...(note ? { baselineNote: note } : {}), untimed: wd.untimed, items: wd.windows };
  }
  if (input.classifier && input.current) {
    const target = input.classifier.target && input.current.has(input.classifier.target) ? input.classifier.target : undefined;
    const cur = scoreRows(input.current, { ...input.classifier, target });
    let calibration = input.calibration;
    let refPerf: PerformanceEstimate | undefined;
    if (input.referenceTable) {
      const refCols = { ...input.classifier, target: input.classifier.target && input.referenceTable.has(input.classifier.target) ? input.classifier.target : undefined };
      const ref = scoreRows(input.referenceTable, refCols);
      if (ref.correct) calibration = fitCalibration(ref);
      refPerf = estimatePerformance(ref, calibration);
    } else if (calibration) refPerf = { rows: calibration.counts.reduce((s, x) => s + x, 0), estimatedAccuracy: calibration.referenceAccuracy, realisedAccuracy: calibration.referenceAccuracy };
    const current = estimatePerformance(cur, calibration);
    const refAcc = refPerf?.realisedAccuracy ?? refPerf?.estimatedAccuracy;
    report.performance = { ...(refPerf ? { reference: refPerf } : {}), current, ...(refAcc !== undefined ? { drop: refAcc - current.estimatedAccuracy } : {}), calibrated: Boolean(calibration) };
    if (input.window) {
      const { windows } = splitWindows(input.current, input.window.column, input.window.widthMs);
      report.performance.windows = windows.map((w) => ({ start: w.start, end: w.end, ...estimatePerformance(cur, calibration, w.rows) }));
    }
  }
  return report;
}
