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
  fitLearnerToJSON,
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
// Drift detection and mergeable profiles (issue 7).
export { QuantileSketch, QuantileSketchBuilder, bucketKey, bucketRange, RELATIVE_ERROR, type QuantileSketchJson } from './profile/quantile-sketch.js';
export { HyperLogLog } from './profile/hyperloglog.js';
export { FrequentItems, FREQUENT_ITEMS_CAP, type FrequentItemsJson } from './profile/frequent-items.js';
export { profileTable, mergeProfiles, profileToArtifact, profileFromArtifact, PROFILE_KIND, PROFILE_VERSION, type DataProfile, type ColumnProfile } from './profile/profile.js';
export { type DriftTest, type DriftTestInfo, type DriftTestResult, type StatisticKind, type DataKind } from './drift/drift-test.js';
export { DRIFT_TESTS, getDriftTest } from './drift/registry.js';
export { defaultTestIds, SMALL_SAMPLE_LIMIT } from './drift/defaults.js';
export { detectDrift, type DriftOptions, type DriftResult, type ColumnDrift, type DatasetDrift, type DriftFinding, type SideSummary } from './drift/detect.js';
export { alignToReference } from './drift/align.js';
export { domainClassifierDrift, rocAuc, type DomainClassifierOptions, type DomainClassifierResult } from './drift/multivariate/domain-classifier.js';
export { reconstructionDrift, symmetricEigen, type ReconstructionOptions, type ReconstructionResult } from './drift/multivariate/reconstruction.js';
export { parseWindow, splitWindows, learnWindowBaseline, windowedDrift, type WindowBaseline, type WindowDrift, type TimeWindow } from './drift/windows.js';
export { scoreRows, fitCalibration, estimatePerformance, type ClassifierColumns, type Calibration, type PerformanceEstimate } from './drift/performance.js';
export { parsePolicy, evaluatePolicy, type Policy, type Trigger, type TriggerKind, type PolicyEvent } from './drift/policy.js';
export { buildDriftReport, DRIFT_REPORT_VERSION, type DriftReport, type DriftReportInput } from './drift/report.js';
export { chiSquaredSurvival, normalCdf, gammaP, gammaQ } from './drift/math/gamma.js';
export { kolmogorovQ, ksPValue } from './drift/math/kolmogorov.js';
export { renderDriftHtml } from './render/drift-html.js';
export { renderDriftText } from './render/drift-text.js';
// Metrics: registry, scorecard (issue 4).
export { METRICS, getMetric, metricsIn } from './metrics/registry.js';
export type { Metric, MetricInfo, MetricInput, MetricResult, MetricCategory } from './metrics/metric.js';
export { scorecard, type Scorecard, type ScorecardOptions } from './metrics/scorecard.js';
// Synthesizers (issue 3): registry, kinds, conditions, transforms, privacy.
export { SYNTHESIZERS, DEFAULT_SYNTHESIZER, synthesizerKind, loadSynthesizer } from './synth/registry.js';
export { gaussianCopula, independent, type CopulaParams } from './synth/gaussian-copula.js';
export { cart, type CartParams } from './synth/cart.js';
export { arf, fitArfTrees, type ArfParams } from './synth/arf.js';
export type { ParallelRunner } from './parallel.js';
// Neural synthesizers and their engine (issue 5).
export { tvae, TVAE_DEFAULTS, type TvaeParams } from './synth/tvae.js';
export { ctgan, CTGAN_DEFAULTS, type CtganParams } from './synth/ctgan.js';
export { DataTransformer, type ColumnEncoding, type Span, type TransformerState } from './neural/dataTransformer.js';
export { fitBayesianMixture, type Mixture1d, type BayesianMixtureOptions } from './neural/bayesianMixture.js';
export { Gemm, type GemmOptions, type KernelName, type GemmHelper } from './neural/gemm.js';
export { encodedTvDistance } from './neural/fidelitySignal.js';
export { parseCondition, parseRebalance, splitShares, resolveConditions, type ResolvedCondition } from './synth/conditions.js';
export { NumericMarginal, fitNumericMarginal, type NumericMarginalOptions } from './synth/transforms/numeric-marginal.js';
export { CategoricalMarginal, fitCategoricalMarginal } from './synth/transforms/categorical-marginal.js';
export { fakePii, fitPiiFormat, type PiiFormat } from './synth/privacy/pii.js';
export { fitIdFormat, generateIds, type IdFormat } from './synth/privacy/ids.js';
export type { Synthesizer, FittedSynthesizer, SynthesizerKind, SynthesizerPayload, Condition, SampleOptions, FitOptions, SampleReport } from './synth/synthesizer.js';
// Privacy metrics and mixed-type nearest neighbours (issue 4).
export { MixedSpace, MixedTree, bruteForceKnn, inThreadKnn, type EncodedRows, type MixedSpaceOptions, type KnnOptions, type KnnResult, type MixedTreeOptions, type KnnProvider, type KnnRequest } from './neighbors/index.js';
export { prdcPrecision, prdcRecall, prdcDensity, prdcCoverage, prdcRows, type PrdcRows } from './metrics/diversity/prdc.js';
export {
  identicalMatch,
  dcr,
  nndr,
  rareRecordReproduction,
  membershipInference,
  attributeInference,
  PRIVACY_METRICS,
  DCR_SHARE_GATE,
  MIA_AUC_GATE,
  sizeCorrectedShare,
  privacyContext,
  PrivacyContext,
  hoeffding95,
  type PrivacyContextOptions,
} from './metrics/privacy/index.js';
// Model evaluation and model cards (issue 6).
export { evaluatePredictions, type ModelEvalOptions, type ModelEvalResult, type SliceResult, type SliceGroupResult, type FairnessResult } from './model-eval/evaluate.js';
export { predictionsFromTable, inferTask, type Predictions, type ClassificationPredictions, type RegressionPredictions, type PredictionColumns } from './model-eval/predictions.js';
export { predictionsFromModel, type PredictiveModel, type ModelPredictionOptions } from './model-eval/model.js';
export { fitLearnerModel, type LearnerModelOptions } from './model-eval/learner-model.js';
export { confusionMatrix, confusionScores, type ConfusionScores, type ClassScores } from './model-eval/confusion.js';
export { rocAucSorted, averagePrecisionSorted, probabilityLosses, multiclassLosses, thresholdSweep, type ThresholdPoint } from './model-eval/ranking.js';
export { regressionScores, type RegressionScores } from './model-eval/regression.js';
export { calibrationBins, calibrationScores, type CalibrationScores, type ReliabilityBin, type BinStrategy } from './model-eval/calibration.js';
export { poissonWeights, poissonCounts, percentileInterval } from './model-eval/bootstrap.js';
export { type Estimate } from './model-eval/estimate.js';
export { columnGrouping, crossGroupings, type Grouping } from './model-eval/grouping.js';
export { findWeakSlices, type WeakSlice, type WeakSliceResult, type WeakSliceOptions } from './model-eval/weak-slices.js';
export { benjaminiHochberg } from './model-eval/multiple-testing.js';
export { perturbTable, runRobustness, DEFAULT_PERTURBATIONS, type Perturbation, type PerturbationKind, type RobustnessResult } from './model-eval/robustness.js';
export { compareTrainingData, type TrainingDataComparison, type FlaggedSlice } from './model-eval/compare.js';
export { parseGatePolicy, applyGate, type GatePolicy, type GateCheck, type GateResult } from './model-eval/gate.js';
export { modelEvalArtifact, MODEL_EVAL_REPORT_KIND, MODEL_EVAL_REPORT_VERSION, type ModelEvalReport, type InferenceCost, type BatchCost } from './model-eval/report.js';
export { modelCard, modelCardMarkdown, modelCardArtifact, readModelCard, type ModelCard, type ModelCardContext } from './provenance/model-card.js';
export { modelEvalHtml, formatEstimate } from './render/model-eval-html.js';
export { modelEvalTerminal } from './render/model-eval-terminal.js';
// Evaluation reports, gates and renderers (issue 4).
export { evaluate, EVALUATION_KIND, EVALUATION_REPORT_VERSION, type EvaluationInput, type EvaluationSpec, type EvaluationReport, type EvaluationPayload, type ReportMetric } from './reports/evaluation.js';
export { checkPolicy, parseGatePolicy as parseEvaluationPolicy, DEFAULT_POLICY, type Gate as EvaluationGate, type Policy as EvaluationPolicy, type PolicyResult as EvaluationPolicyResult, type GateResult as EvaluationGateResult } from './reports/policy.js';
export { summarise, type CategorySummary, type Verdict } from './reports/summary.js';
export { renderEvaluationHtml, type EvaluationHtmlOptions } from './render/evaluation-html.js';
export { renderEvaluationMarkdown } from './render/evaluation-markdown.js';
export { renderEvaluationText } from './render/evaluation-text.js';
