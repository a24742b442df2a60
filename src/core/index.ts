/**
 * synthops core: pure, isomorphic (Node, workers, browsers). No I/O, no globals, no console.
 * Curated exports only; add each new public symbol here by name.
 */
export {
  SynthopsError,
  ValidationError,
  isSynthopsError,
  throwIfAborted,
  formatLocation,
  type ErrorCode,
  type ErrorLocation,
  type ValidationIssue,
} from './errors.js';
export { createRng, AliasTable, hashString, mix32, type Rng } from './random.js';
export { canonicalJson, contentHash, type JsonValue } from './json.js';
export {
  Table,
  NumericColumn,
  CategoricalColumn,
  COLUMN_TYPES,
  PII_KINDS,
  storageOf,
  columnSpec,
  validateSchema,
  type Row,
  type Column,
  type CellValue,
  type ColumnType,
  type PiiKind,
  type Storage,
  type ColumnSpec,
  type Schema,
} from './table/index.js';
// Built-in learners (features, binning, trees).
export { featureMatrix, type FeatureMatrix } from './learners/features.js';
export {
  fitBinning,
  applyBinning,
  binningToJSON,
  binningFromJSON,
  type Binning,
  type BinnedMatrix,
  type BinningOptions,
} from './learners/binning.js';
export {
  fitTree,
  applyTree,
  predictTree,
  treeToJSON,
  treeFromJSON,
  type Tree,
  type TreeTarget,
  type TreeOptions,
} from './learners/tree.js';
export {
  fitLearner,
  loadLearner,
  learnerTarget,
  kFoldIndices,
  wrapRandomForest,
  LEARNER_KINDS,
  type LearnerKind,
  type FittedModel,
  type LearnerOptions,
} from './learners/learner.js';
export { type GradientBoostingOptions } from './learners/gradient-boosting.js';
export { type RandomForestOptions } from './learners/random-forest.js';
export { type LogisticOptions } from './learners/logistic.js';
export { type LinearOptions } from './learners/linear.js';
// Schema inference, datetime formats, PII detection, SDV metadata import (foundation I/O).
export { inferSchema, inferColumnSpec, LOW_CARDINALITY_MAX, BOOLEAN_PAIRS, type ColumnStats } from './table/infer.js';
export { ColumnBuilder, TableBuilder, MISSING_TOKENS, plainDecimals, type FinishOptions } from './table/infer-builder.js';
export { summarizeColumns, type ColumnSummary } from './table/infer-summary.js';
export { compileDatetimeFormat, detectDatetimeFormat, strftimeToFormat, DATETIME_CANDIDATES, type DatetimeFormat } from './table/datetime.js';
export { detectPii, luhnValid } from './table/pii.js';
export { schemaFromSdvMetadata } from './table/sdv.js';
