/**
 * The model-evaluation report: one versioned JSON document holding the evaluation and, when measured,
 * robustness, the synthetic-vs-real comparison, inference cost and the policy gate outcome. Renderers
 * (HTML, terminal, model card) are pure functions of it.
 */
import { makeArtifact, type Artifact } from '../artifact.js';
import type { TrainingDataComparison } from './compare.js';
import type { ModelEvalResult } from './evaluate.js';
import type { GateResult } from './gate.js';
import type { RobustnessResult } from './robustness.js';

/** Latency and throughput at one batch size. */
export interface BatchCost {
  batchSize: number;
  calls: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Rows predicted per second over all calls at this batch size. Higher is cheaper to serve. */
  rowsPerSecond: number;
}

/** Inference cost of a model, measured (not estimated) at several batch sizes. */
export interface InferenceCost {
  target: string;
  batches: BatchCost[];
}

/** What was evaluated and how: recorded in the report and the model card. */
export interface ModelEvalReport {
  title: string;
  subtitle?: string;
  /** The model: `{ kind: 'predictions' }` for given prediction columns, a learner's info, or an endpoint. */
  model: { kind: string; [key: string]: string | number | boolean | null };
  /** Data used (file names and row counts only, never rows). */
  data: { evaluation: { source: string; rows: number }; training?: { source: string; rows: number; synthetic: boolean; provenance?: string }[] };
  label: string;
  options: { minSupport: number; resamples: number; seed: number; sliceBy: string[] };
  evaluation: ModelEvalResult;
  robustness?: RobustnessResult;
  comparison?: TrainingDataComparison;
  inferenceCost?: InferenceCost;
  gate?: GateResult;
  warnings: string[];
}

/** Artifact kind and version of the persisted report. */
export const MODEL_EVAL_REPORT_KIND = 'report/model-eval';
export const MODEL_EVAL_REPORT_VERSION = 1;

/**
 * Wraps a report in the versioned artifact envelope (written by `--json`).
 * @example JSON.stringify(modelEvalArtifact(report))
 */
export function modelEvalArtifact(report: ModelEvalReport): Artifact<ModelEvalReport> {
  return makeArtifact(MODEL_EVAL_REPORT_KIND, MODEL_EVAL_REPORT_VERSION, report);
}
