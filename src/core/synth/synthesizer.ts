import type { Artifact } from '../artifact.js';
import type { JsonValue } from '../json.js';
import type { ParallelRunner } from '../parallel.js';
import type { GemmOptions } from '../neural/gemm.js';
import type { RunOptions } from '../progress.js';
import type { Schema } from '../table/schema.js';
import type { Table } from '../table/table.js';

/**
 * A condition on sampled rows. `equals` fixes a column to one value (category label or number);
 * `shares` asks for a column's categories in given proportions (rebalancing); `range` bounds a number.
 * @example { column: 'income', equals: '>50K' }
 * @example { column: 'income', shares: { '<=50K': 0.5, '>50K': 0.5 } }
 */
export type Condition =
  | { column: string; equals: string | number }
  | { column: string; shares: Record<string, number> }
  | { column: string; range: { min?: number; max?: number } };

export interface SampleOptions extends RunOptions {
  /** Required: the same (seed, shard, n, conditions) always gives the same table. */
  seed: number;
  /** Shard index for distributed sampling; rows of shard k come from stream (seed, k). Default 0. */
  shard?: number;
  conditions?: Condition[];
  /**
   * User rules (see `ConstraintRule` in constraints/rules.ts: inequality, range, combinations), enforced by
   * redrawing violating rows; counts are returned in `SampleReport.constraintViolations`. Default none.
   */
  constraints?: unknown;
}

export interface FitOptions extends RunOptions {
  /** Default 0. */
  seed?: number;
  /**
   * Where independent pieces of the fit may run (e.g. `arf`'s trees on worker threads). The fitted model is the
   * same with or without it; default: in this thread. Kinds that do not split their work ignore it.
   */
  parallel?: ParallelRunner;
  /**
   * How the neural kinds (`tvae`, `ctgan`) multiply matrices: the kernel and an optional helper thread (from
   * `startGemmHelper` in `synthops/node`). Every choice fits the same model bit for bit; default WebAssembly SIMD on
   * this thread. Other kinds ignore it.
   */
  gemm?: GemmOptions;
}

/** What sampling reports besides the rows (constraint checks, fallbacks). Returned, never printed. */
export interface SampleReport {
  /** Rows that violated a constraint and were redrawn or repaired, per rule id. */
  constraintViolations: Record<string, number>;
  warnings: string[];
}

/**
 * A synthesizer before fitting: a kind and JSON params only (no state). `fit` returns a separate
 * fitted object, so sampling before fitting is a type error.            [scikit-learn BaseEstimator]
 */
export interface Synthesizer<P extends object = Record<string, JsonValue>> {
  readonly kind: string;
  readonly params: Readonly<P>;
  fit(data: Table, opts?: FitOptions): Promise<FittedSynthesizer<P>>;
}

export interface FittedSynthesizer<P extends object = Record<string, JsonValue>> {
  readonly kind: string;
  readonly params: Readonly<P>;
  /** The schema of the training table (and of every sampled table). */
  readonly schema: Schema;
  /** Draws `n` rows. Deterministic in (seed, shard, n, conditions). */
  sample(n: number, opts: SampleOptions): Table;
  /** Like `sample`, also returning constraint and fallback counts. */
  sampleWithReport?(n: number, opts: SampleOptions): { table: Table; report: SampleReport };
  /** Versioned JSON (kind `synthesizer/<kind>`); embeds no training row. */
  save(): Artifact<SynthesizerPayload>;
  /**
   * The categories a categorical column can take in samples (rare ones merged away), or undefined for other
   * columns. Used for `--rebalance col` with equal shares. Optional.
   * @example fitted.categories?.('income') // ['<=50K', '>50K']
   */
  categories?(column: string): string[] | undefined;
}

/** Payload of a saved synthesizer. `state` is the kind's own versioned layout. */
export interface SynthesizerPayload {
  kind: string;
  params: JsonValue;
  schema: Schema;
  state: JsonValue;
  /** Training summary for provenance: rows, columns, fit seconds, seed. No row values. */
  training: { rows: number; columns: number; seed: number; seconds?: number };
}

/** A synthesizer kind as registered: how to make one from params and how to load a saved one. */
export interface SynthesizerKind<P extends object = any> {
  kind: string;
  /** Version of this kind's `state` layout. */
  kindVersion: number;
  /** Versions `load` can still read (golden artifacts of each stay in test/artifacts/). */
  readableVersions: readonly number[];
  description: string;
  /** Fills defaults and validates params; throws ValidationError listing every bad param. */
  create(params?: Partial<P>): Synthesizer<P>;
  load(artifact: Artifact<SynthesizerPayload>): FittedSynthesizer<P>;
}
