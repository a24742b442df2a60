import type { JsonValue } from '../json.js';
import type { ColumnType, Schema } from '../table/schema.js';
import type { Table } from '../table/table.js';

export type MetricCategory = 'validity' | 'fidelity' | 'utility' | 'privacy' | 'diversity';

/** What a metric is; shown in reports and used by the registry and contract suite. */
export interface MetricInfo {
  /** Stable versioned id, e.g. 'ks-complement@1'. A changed definition is a new version. */
  id: string;
  name: string;
  category: MetricCategory;
  /** Direction of the *raw* statistic in `details`; `score` is always higher-is-better in [0, 1]. */
  goal: 'maximize' | 'minimize';
  range: [number, number];
  /** Column types the metric looks at ([] = whole table). */
  appliesTo: ColumnType[];
  /** One or two sentences: what 1 and 0 mean, for a non-expert. */
  description: string;
  /**
   * 'rows' when the metric is cheap enough for the report to bootstrap it on resampled rows (n-out-of-n by default,
   * see reports/bootstrap-rows.ts: through `computeWeighted` when the metric has it, else by recomputing on the
   * gathered resample); absent = the metric supplies its own interval or none.
   */
  bootstrap?: 'rows';
  /**
   * How the report computes the "as good as real" reference: 'holdout' (default outside privacy) recomputes the
   * metric with the holdout in place of the synthetic data; 'self' means `compute` fills `reference` itself (or
   * leaves it out).
   */
  reference?: 'holdout' | 'self';
  /**
   * True when the metric uses the shared neighbour searches of the privacy context (the report runs them first,
   * on worker threads when given a provider). Privacy metrics are assumed to.
   */
  neighbours?: boolean;
}

export interface MetricInput {
  /** The real data the synthesizer was trained on. */
  real: Table;
  /** The synthetic data. */
  synthetic: Table;
  /** Real rows the synthesizer never saw (privacy and utility need it). */
  holdout?: Table;
  schema: Schema;
  seed: number;
  /** Prediction target for utility metrics. */
  target?: string;
  /** Columns the user marks sensitive (attribute inference). */
  sensitive?: string[];
  /** Quasi-identifiers for attribute inference (default: every non-sensitive column). */
  quasiIdentifiers?: string[];
  signal?: AbortSignal;
}

export interface MetricResult {
  metric: string;
  status: 'ok' | 'skipped' | 'error';
  /** Normalised to [0, 1], higher is better. */
  score?: number;
  /** The same metric for a real holdout against the training data ("as good as real"). */
  reference?: number;
  /** Bootstrap confidence interval of `score`. */
  interval?: [number, number];
  /** The raw statistic and per-column / per-pair breakdowns. Never real row values. */
  details?: JsonValue;
  warnings: string[];
  error?: { code: string; message: string };
}

/**
 * One row resample of (real, synthetic) given as how many times each row is drawn: resampling a table with
 * replacement is the same as weighting its rows by these multiplicities (a Multinomial(draws, 1/rows) vector), so a
 * metric can compute its score on the resample from the original tables and per-table precomputations, without
 * gathering rows. Multiplicities above 255 do not occur in practice (the report then gathers rows instead).
 */
export interface RowWeights {
  /** Multiplicity of each real row (length = real rows); the resampled real table has Σ real rows. */
  real: Uint8Array;
  /** Multiplicity of each synthetic row. */
  synthetic: Uint8Array;
  /** Σ real, Σ synthetic: the resampled tables' row counts. */
  realRows: number;
  syntheticRows: number;
  /**
   * Every resample of the report, this one included, when they are scored together: a metric may then compute all of
   * them in one pass on its first call (e.g. the pair counts, with the resamples' weights side by side) and cache them.
   */
  batch?: readonly RowWeights[];
}

/** A registered metric. `compute` is pure and deterministic in `input.seed`. */
export interface Metric {
  info: MetricInfo;
  compute(input: MetricInput): MetricResult | Promise<MetricResult>;
  /**
   * Optional, for `bootstrap: 'rows'` metrics: the score `compute` would give on the resampled tables that `weights`
   * describes (each row repeated its multiplicity times), computed from `input`'s full tables — equal to it to 1e-12
   * (contract-tested). NaN when that score would not be ok (skipped, error, undefined); null when this path cannot
   * handle the input (the report then gathers the rows and calls `compute`). Caches per table are allowed.
   */
  computeWeighted?(input: MetricInput, weights: RowWeights): number | null;
}
