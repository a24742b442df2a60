import { decodeFloats, encodeFloats } from '../artifact.js';
import { SynthopsError, ValidationError, throwIfAborted, type ValidationIssue } from '../errors.js';
import type { JsonValue } from '../json.js';
import { applyBinning, fitBinning, type BinnedMatrix } from '../learners/binning.js';
import type { FeatureMatrix } from '../learners/features.js';
import { applyTree, fitTree, type Tree } from '../learners/tree.js';
import { AliasTable, createRng, type Rng } from '../random.js';
import type { Table } from '../table/table.js';
import type { ResolvedCondition } from './conditions.js';
import type { FitOptions, Synthesizer, SynthesizerKind } from './synthesizer.js';
import { FittedTabular, loadColumnModels, type JointEngine, type ModelledValues, type TabularState } from './tabular-fitted.js';
import { DEFAULT_TRANSFORM, fitColumnModels, isModelled, type ColumnModel } from './transforms/column-model.js';
import { validateRows } from './validate.js';
import { ArfTreeEngine, conditionWindow, drawLeaves, fitLeafBinning, pairCounts, leafCdf, leafInverse, leafQuantiles, learnDependenceTree, summariseTreeV2 } from './arf-leaf-tree.js';

/**
 * Parameters of the `arf` synthesizer (adversarial random forest).
 * @example { trees: 15, minLeaf: 30, maxIterations: 1, dependenceSmoothing: 16 }
 */
export interface ArfParams {
  /** Trees per forest; the density is an equal mixture over the final forest's trees. Default 15. */
  trees: number;
  /** Fewest real training rows in a leaf of the density (smaller leaves are merged into their parent); larger = more privacy, smoother. Default 30 (with the v2 leaf model; on adult 20 put synthetic rows too close to training rows: DCR share 0.57 at dependenceSmoothing 1). */
  minLeaf: number;
  /**
   * Adversarial rounds after the first forest (each: resample synthetic data from the forest, refit). Default 1:
   * on adult the out-of-bag accuracy goes 0.92, 0.63, 0.61, then rises; with the v2 leaf model two forests of 15
   * trees (the same 30 tree fits as three of 10) scored better on both fidelity and privacy than three of 10. The
   * paper's implementation allows 10.
   */
  maxIterations: number;
  /** Stop when the forest's out-of-bag accuracy (real vs synthetic) is ≤ 0.5 + delta. Default 0. */
  delta: number;
  /** Stop early when a round does not lower the out-of-bag accuracy. Either way the forest with the lowest accuracy is kept. Default true. */
  earlyStop: boolean;
  /** Rows drawn (with replacement) to grow each adversarial tree: min(this, 2n). Bounds the cost on big tables; below 2n the trees see a subsample. Default 200000 (adult's 65k stacked rows are all drawn). */
  maxTreeRows: number;
  /** Fewest rows (real + synthetic, bootstrap repeats counted) per leaf while growing the adversarial trees. Default 5. */
  growLeaf: number;
  /** Features tried per split: a count, a fraction in (0, 1], or 0 for √features. Default 0 (√features). */
  maxFeatures: number;
  /** Bins per numeric feature for the trees (2..255). Default 64. */
  maxBins: number;
  /** Points of each leaf's quantile summary of a number (in rank space; the density is interpolated between them). Default 9. */
  leafQuantiles: number;
  /** Pseudo-count added to every category of a leaf's categorical distribution (0 = none). Default 0. */
  smoothing: number;
  /**
   * Leaf model. true (default, kindVersion 2): inside a density leaf the columns follow a dependence tree
   * (Chow–Liu on binned columns given the leaf), each column's bin drawn from the leaf's counts given its parent's
   * bin. false (kindVersion 1): the columns are drawn independently inside a leaf.
   */
  dependence: boolean;
  /** Bins per numeric column for the dependence tree (equal-frequency, cut only between distinct values). Default 16. */
  dependenceBins: number;
  /**
   * Pseudo-rows α mixing each leaf's counts of a column's bin given its parent's bin with the prior: the leaf's
   * marginal of the column reweighted by the global lift P(b | p) / P(b). Larger = fewer leaf-level combinations
   * copied (privacy), smaller = closer fit. Default 16.
   */
  dependenceSmoothing: number;
  /** Edges of the dependence tree carrying less mutual information (nats, given the leaf) are dropped. Default 0. */
  dependenceMinInfo: number;
  /** Privacy threshold for categories and extremes. Default 5. */
  k: number;
  /** Knots of each numeric marginal. Default 1000. */
  gridSize: number;
  [key: string]: JsonValue;
}

const DEFAULTS: ArfParams = {
  trees: 15,
  minLeaf: 30,
  maxIterations: 1,
  delta: 0,
  earlyStop: true,
  maxTreeRows: 200000,
  growLeaf: 5,
  maxFeatures: 0,
  maxBins: 64,
  leafQuantiles: 9,
  smoothing: 0,
  dependence: true,
  dependenceBins: 16,
  dependenceSmoothing: 16,
  dependenceMinInfo: 0,
  k: DEFAULT_TRANSFORM.k,
  gridSize: DEFAULT_TRANSFORM.gridSize,
};

// ---------------------------------------------------------------------------------------------------------
// Adversarial forest: trees in chunks (pure, worker-safe).

/** What a chunk of adversarial trees needs besides the data; plain data (structured-clone safe). */
export interface ArfTreeSpec {
  seed: number;
  /** Adversarial round (part of each tree's random stream). */
  round: number;
  growLeaf: number;
  /** Features tried per split (resolved count). */
  maxFeatures: number;
  /** The first `numReal` rows are the real ones (their density leaves are returned). */
  numReal: number;
  /** Fewest real rows per density leaf. */
  minLeaf: number;
  /** Bootstrap draws per tree (≤ rows). */
  draws: number;
}

/** Trees [from, to) of one adversarial forest as density leaves of the real rows, with their out-of-bag votes. */
export interface ArfTreeChunk {
  /** Per tree: the density leaf of every real row (see `densityLeaves`) and the number of leaves. */
  leaves: { leafOf: Int32Array; numLeaves: number }[];
  /** Per row: sum over this chunk's trees where the row was out of bag of P(real) at its leaf. */
  oobSum: Float64Array;
  /** Per row: number of this chunk's trees where the row was out of bag. */
  oobCount: Uint16Array;
}

/**
 * Fits trees `from` ≤ t < `to` of adversarial round `spec.round`: CART classification trees (Gini) on a
 * bootstrap sample of the stacked real (y = 1) and synthetic (y = 0) rows, √features tried per split.
 * Tree t depends only on (spec.seed, spec.round, t). Pure; runs in a worker thread or here.
 * @example const chunk = fitArfTrees(xb, y, { seed: 1, round: 0, growLeaf: 5, maxFeatures: 4 }, 0, 10);
 */
export function fitArfTrees(xb: BinnedMatrix, y: Int32Array, spec: ArfTreeSpec, from: number, to: number): ArfTreeChunk {
  const N = xb.numRows;
  const oobSum = new Float64Array(N);
  const oobCount = new Uint16Array(N);
  const out: ArfTreeChunk['leaves'] = [];
  const inBag = new Uint8Array(N);
  for (let t = from; t < to; t++) {
    const rng = createRng(spec.seed, 'arf-forest', spec.round).split(t);
    const draws = Math.min(N, spec.draws);
    const rows = new Int32Array(draws);
    inBag.fill(0);
    for (let i = 0; i < draws; i++) {
      const r = rng.int(N);
      rows[i] = r;
      inBag[r] = 1;
    }
    const tree = fitTree(xb, { kind: 'classification', y, numClasses: 2 }, { rng, rows, minSamplesLeaf: spec.growLeaf, maxFeatures: spec.maxFeatures });
    const leaves = applyTree(tree, xb);
    for (let i = 0; i < N; i++)
      if (!inBag[i]) {
        oobSum[i] += tree.value[leaves[i] * 2 + 1];
        oobCount[i]++;
      }
    out.push(densityLeaves(tree, leaves, spec.numReal, spec.minLeaf));
  }
  return { leaves: out, oobSum, oobCount };
}

/**
 * The leaves of a tree's density, each holding ≥ minLeaf real rows. Bottom-up: a tree leaf with ≥ minLeaf real
 * rows is a density leaf; smaller ones stay pending and pool upwards — at the first ancestor where the pending
 * rows of its subtree reach minLeaf, they become one density leaf (a union of neighbouring tree leaves under that
 * ancestor, not necessarily a box; the density never needs the bounds). Rows still pending at the root join the
 * last density leaf. Returns, per real row, its density leaf (compact index) and the number of leaves.
 */
function densityLeaves(tree: Tree, leaves: Int32Array, n: number, minLeaf: number): { leafOf: Int32Array; numLeaves: number } {
  const nn = tree.numNodes;
  const real = new Float64Array(nn);
  for (let i = 0; i < n; i++) real[leaves[i]]++;
  const leafId = new Int32Array(nn).fill(-1);
  const pending: (number[] | null)[] = new Array(nn).fill(null);
  const pendingRows = new Float64Array(nn);
  let numLeaves = 0;
  // Children always come after their parent in the node arrays: reverse index order visits children first.
  for (let node = nn - 1; node >= 0; node--) {
    let list: number[];
    if (tree.feature[node] < 0) {
      if (real[node] === 0) continue;
      if (real[node] >= minLeaf) {
        leafId[node] = numLeaves++;
        continue;
      }
      list = [node];
      pendingRows[node] = real[node];
    } else {
      const l = tree.left[node], r = tree.right[node];
      list = (pending[l] ?? []).concat(pending[r] ?? []);
      pendingRows[node] = pendingRows[l] + pendingRows[r];
      pending[l] = pending[r] = null;
      if (!list.length) continue;
    }
    if (pendingRows[node] >= minLeaf || (node === 0 && numLeaves === 0)) {
      const id = numLeaves++;
      for (const leaf of list) leafId[leaf] = id;
      pendingRows[node] = 0;
    } else if (node === 0) for (const leaf of list) leafId[leaf] = numLeaves - 1;
    else pending[node] = list;
  }
  const leafOf = new Int32Array(n);
  for (let i = 0; i < n; i++) leafOf[i] = leafId[leaves[i]];
  return { leafOf, numLeaves };
}

/** Rows grouped by leaf (CSR): rows of leaf l are rows[start[l] .. start[l + 1]). */
function groupByLeaf(leafOf: Int32Array, numLeaves: number): { start: Int32Array; rows: Int32Array } {
  const start = new Int32Array(numLeaves + 1);
  for (let i = 0; i < leafOf.length; i++) start[leafOf[i] + 1]++;
  for (let l = 0; l < numLeaves; l++) start[l + 1] += start[l];
  const fill = start.slice(0, numLeaves);
  const rows = new Int32Array(leafOf.length);
  for (let i = 0; i < leafOf.length; i++) rows[fill[leafOf[i]]++] = i;
  return { start, rows };
}

// ---------------------------------------------------------------------------------------------------------
// The fitted density: per tree, per leaf, per column summaries (no rows).

/** One tree of the density: leaf weights (real rows) and per-column leaf summaries. */
interface DensityTree {
  count: Float64Array;
  columns: LeafColumn[];
}

/**
 * A column's distribution in every leaf of one tree.
 * Numeric: `nulls` (missing rows per leaf) and `q` quantile points per leaf of the non-missing rows' ranks u.
 * Categorical: sparse counts per leaf (CSR over label indices; label L = missing), `total` per leaf.
 */
type LeafColumn =
  | { kind: 'numeric'; nulls: Float64Array; quantiles: Float32Array }
  | { kind: 'categorical'; start: Int32Array; labels: Int32Array; counts: Float64Array; total: Float64Array };

interface DensityTreeState {
  count: number[];
  columns: (
    | { kind: 'numeric'; nulls: number[]; quantiles: ReturnType<typeof encodeFloats> }
    | { kind: 'categorical'; start: number[]; labels: number[]; counts: number[] }
  )[];
}

/**
 * Adversarial-random-forest engine: the density is an equal mixture over trees; within a tree, a leaf is
 * chosen with probability ∝ its real rows, and every column is drawn on its own from the leaf's distribution:
 * categories from the leaf's counts (missing is a category), numbers from the leaf's quantile summary of ranks
 * (u = position in the column's protected marginal), interpolated between points and mapped through the
 * marginal's inverse CDF (point masses stay exact; values rounded and within the protected range).
 * Conditions are exact: leaves are reweighted by the probability they give the condition, and conditioned
 * columns are drawn from the leaf's distribution restricted to the condition.
 */
export class ArfEngine implements JointEngine {
  private readonly alias: AliasTable[];

  constructor(
    private readonly models: ColumnModel[],
    private readonly q: number,
    private readonly forest: DensityTree[],
  ) {
    this.alias = forest.map((t) => new AliasTable(t.count));
  }

  toJSON(): JsonValue {
    return {
      q: this.q,
      trees: this.forest.map(
        (t): DensityTreeState => ({
          count: Array.from(t.count),
          columns: t.columns.map((c) =>
            c.kind === 'numeric'
              ? { kind: 'numeric', nulls: Array.from(c.nulls), quantiles: encodeFloats(c.quantiles) }
              : { kind: 'categorical', start: Array.from(c.start), labels: Array.from(c.labels), counts: Array.from(c.counts) },
          ),
        }),
      ) as unknown as JsonValue,
    };
  }

  static fromJSON(json: JsonValue, models: ColumnModel[]): ArfEngine {
    const o = json as unknown as { q: number; trees: DensityTreeState[] };
    const modelled = models.filter(isModelled);
    if (!o || !Number.isInteger(o.q) || !Array.isArray(o.trees) || !o.trees.length) throw new SynthopsError('incompatible_artifact', 'invalid arf state: no trees.');
    const forest = o.trees.map((t): DensityTree => {
      if (!Array.isArray(t.count) || !Array.isArray(t.columns) || t.columns.length !== modelled.length)
        throw new SynthopsError('incompatible_artifact', 'invalid arf state: a tree does not match the columns.');
      return {
        count: Float64Array.from(t.count),
        columns: t.columns.map((c): LeafColumn => {
          if (c.kind === 'numeric') return { kind: 'numeric', nulls: Float64Array.from(c.nulls), quantiles: Float32Array.from(decodeFloats(c.quantiles)) };
          const start = Int32Array.from(c.start), counts = Float64Array.from(c.counts);
          return { kind: 'categorical', start, labels: Int32Array.from(c.labels), counts, total: leafTotals(start, counts) };
        }),
      };
    });
    return new ArfEngine(modelled, o.q, forest);
  }

  sample(n: number, rng: Rng, conditions: readonly ResolvedCondition[], signal?: AbortSignal): ModelledValues {
    const models = this.models;
    const out: ModelledValues = models.map((m) => (m.kind === 'numeric' ? new Float64Array(n) : new Int32Array(n)));
    const treeOf = new Int32Array(n), leafOf = new Int32Array(n);
    const pick = rng.split('leaves');
    const cond: (ResolvedCondition | undefined)[] = models.map((_, j) => conditions.find((c) => c.modelled === j));
    // Exact conditioning: weight of (tree, leaf) ∝ real rows × Π P_leaf(condition).
    const weight = conditions.length
      ? (t: number, l: number) => {
          const tree = this.forest[t];
          let p = tree.count[l];
          for (const c of conditions) {
            if (!(p > 0)) break;
            p *= this.leafProbability(tree, l, c);
          }
          return p;
        }
      : null;
    drawLeaves(this.forest.map((t) => t.count.length), this.alias, pick, weight, treeOf, leafOf);
    models.forEach((m, j) => {
      throwIfAborted(signal);
      const r = rng.split(`column-${j}`);
      const c = cond[j];
      if (m.kind === 'categorical') {
        const o = out[j] as Int32Array;
        const L = m.marginal.labels.length;
        if (c?.label !== undefined) {
          o.fill(c.label);
          return;
        }
        for (let i = 0; i < n; i++) {
          const col = this.forest[treeOf[i]].columns[j] as Extract<LeafColumn, { kind: 'categorical' }>;
          const l = leafOf[i];
          let u = r.next() * col.total[l];
          let e = col.start[l];
          const end = col.start[l + 1] - 1;
          for (; e < end; e++) {
            u -= col.counts[e];
            if (u < 0) break;
          }
          const label = col.labels[e];
          o[i] = label >= L ? -1 : label;
        }
      } else if (m.kind === 'numeric') {
        const o = out[j] as Float64Array;
        const mg = m.marginal;
        const q = this.q;
        const win = c ? conditionWindow(c, mg) : null;
        for (let i = 0; i < n; i++) {
          const t = treeOf[i], l = leafOf[i];
          const col = this.forest[t].columns[j] as Extract<LeafColumn, { kind: 'numeric' }>;
          const s = l * q;
          if (!c && col.nulls[l] > 0 && r.next() * this.forest[t].count[l] < col.nulls[l]) {
            o[i] = NaN;
            continue;
          }
          let f = r.next();
          if (win) {
            const a = leafCdf(col.quantiles, s, q, win[0]), b = leafCdf(col.quantiles, s, q, win[1]);
            f = a + f * (b - a);
          }
          o[i] = mg.inverse(leafInverse(col.quantiles, s, q, f));
        }
      }
    });
    return out;
  }

  /** P(condition) in leaf l for a column's leaf summary. */
  private leafProbability(tree: DensityTree, l: number, c: ResolvedCondition): number {
    const col = tree.columns[c.modelled];
    if (col.kind === 'categorical') {
      for (let e = col.start[l]; e < col.start[l + 1]; e++) if (col.labels[e] === c.label) return col.counts[e] / col.total[l];
      return 0;
    }
    const m = this.models[c.modelled];
    if (m.kind !== 'numeric') return 0;
    const present = 1 - col.nulls[l] / tree.count[l];
    const [lo, hi] = conditionWindow(c, m.marginal);
    return present * (leafCdf(col.quantiles, l * this.q, this.q, hi) - leafCdf(col.quantiles, l * this.q, this.q, lo));
  }
}

function leafTotals(start: Int32Array, counts: Float64Array): Float64Array {
  const total = new Float64Array(start.length - 1);
  for (let l = 0; l < total.length; l++) for (let e = start[l]; e < start[l + 1]; e++) total[l] += counts[e];
  return total;
}

// ---------------------------------------------------------------------------------------------------------
// Fitting.

/** Working values of the modelled columns: numbers (NaN missing) and label indices (rare → most frequent, −1 missing). */
function workingValues(table: Table, models: ColumnModel[]): ModelledValues {
  const out: ModelledValues = [];
  models.forEach((m, j) => {
    const col = table.columns[j];
    if (m.kind === 'numeric' && col.storage === 'numeric') out.push(col.values);
    else if (m.kind === 'categorical' && col.storage === 'categorical') {
      const mg = m.marginal;
      let mode = 0;
      for (let i = 1; i < mg.probs.length; i++) if (mg.probs[i] > mg.probs[mode]) mode = i;
      const map = col.dictionary.map((l) => {
        const i = mg.indexOf(l);
        return i < 0 ? mode : i;
      });
      const a = new Int32Array(table.numRows);
      for (let i = 0; i < a.length; i++) a[i] = col.codes[i] < 0 ? -1 : map[col.codes[i]];
      out.push(a);
    }
  });
  return out;
}

/** Randomised ranks (r + U)/m of the present values of y (ties in random order); NaN where missing. O(m log m). */
function randomisedRanks(y: Float64Array, rng: Rng): Float64Array {
  const n = y.length;
  const key = new Float64Array(n);
  rng.fillUniform(key);
  const present: number[] = [];
  for (let i = 0; i < n; i++) if (y[i] === y[i]) present.push(i);
  present.sort((a, b) => y[a] - y[b] || key[a] - key[b]);
  const m = present.length;
  const out = new Float64Array(n).fill(NaN);
  for (let r = 0; r < m; r++) out[present[r]] = (r + rng.next()) / m;
  return out;
}

/** Per-leaf summaries of one tree's density leaves, from the real rows (ranks for numbers, counts for categories). */
function summariseTree(groups: { start: Int32Array; rows: Int32Array }, numLeaves: number, models: ColumnModel[], work: ModelledValues, ranks: (Float64Array | null)[], q: number, smoothing: number): DensityTree {
  const count = new Float64Array(numLeaves);
  for (let l = 0; l < numLeaves; l++) count[l] = groups.start[l + 1] - groups.start[l];
  const columns = models.map((m, j): LeafColumn => {
    if (m.kind === 'numeric') {
      const { nulls, quantiles } = leafQuantiles(groups, numLeaves, ranks[j]!, q);
      return { kind: 'numeric', nulls, quantiles };
    }
    const L = m.kind === 'categorical' ? m.marginal.labels.length : 0;
    const y = work[j] as Int32Array;
    const hist = new Float64Array(L + 1);
    const starts = new Int32Array(numLeaves + 1);
    const labels: number[] = [], counts: number[] = [];
    for (let l = 0; l < numLeaves; l++) {
      hist.fill(smoothing);
      if (smoothing > 0 && m.nullShare === 0) hist[L] = 0;
      for (let e = groups.start[l]; e < groups.start[l + 1]; e++) {
        const v = y[groups.rows[e]];
        hist[v < 0 ? L : v]++;
      }
      for (let c = 0; c <= L; c++)
        if (hist[c] > 0) {
          labels.push(c);
          counts.push(hist[c]);
        }
      starts[l + 1] = labels.length;
    }
    const countsArr = Float64Array.from(counts);
    return { kind: 'categorical', start: starts, labels: Int32Array.from(labels), counts: countsArr, total: leafTotals(starts, countsArr) };
  });
  return { count, columns };
}

function validateParams(params: Partial<ArfParams>): ArfParams {
  const p = { ...DEFAULTS, ...params } as ArfParams;
  const issues: ValidationIssue[] = [];
  const int = (key: keyof ArfParams, lo: number, hi: number) => {
    const v = p[key];
    if (!Number.isInteger(v) || (v as number) < lo || (v as number) > hi)
      issues.push({ path: key as string, message: `invalid ${key as string}: ${JSON.stringify(v)}. Use a whole number from ${lo} to ${hi} (default ${JSON.stringify(DEFAULTS[key])}).` });
  };
  int('trees', 1, 10000);
  int('minLeaf', 1, 1e9);
  int('maxIterations', 0, 1000);
  int('growLeaf', 1, 1e9);
  int('maxTreeRows', 2, 1e9);
  int('maxBins', 2, 255);
  int('leafQuantiles', 2, 1000);
  int('dependenceBins', 1, 1000);
  int('k', 1, 1e9);
  int('gridSize', 2, 100000);
  if (typeof p.delta !== 'number' || !(p.delta >= 0 && p.delta <= 0.5)) issues.push({ path: 'delta', message: `invalid delta: ${JSON.stringify(p.delta)}. Use a number from 0 to 0.5 (default 0).` });
  if (typeof p.smoothing !== 'number' || !(p.smoothing >= 0) || !Number.isFinite(p.smoothing)) issues.push({ path: 'smoothing', message: `invalid smoothing: ${JSON.stringify(p.smoothing)}. Use a number ≥ 0 (default 0).` });
  if (typeof p.maxFeatures !== 'number' || !(p.maxFeatures >= 0) || !Number.isFinite(p.maxFeatures) || (p.maxFeatures > 1 && !Number.isInteger(p.maxFeatures)))
    issues.push({ path: 'maxFeatures', message: `invalid maxFeatures: ${JSON.stringify(p.maxFeatures)}. Use 0 (√features), a fraction in (0, 1] or a whole count.` });
  if (typeof p.dependenceSmoothing !== 'number' || !(p.dependenceSmoothing >= 0) || !Number.isFinite(p.dependenceSmoothing))
    issues.push({ path: 'dependenceSmoothing', message: `invalid dependenceSmoothing: ${JSON.stringify(p.dependenceSmoothing)}. Use a number ≥ 0 (default 16).` });
  if (typeof p.dependenceMinInfo !== 'number' || !(p.dependenceMinInfo >= 0) || !Number.isFinite(p.dependenceMinInfo))
    issues.push({ path: 'dependenceMinInfo', message: `invalid dependenceMinInfo: ${JSON.stringify(p.dependenceMinInfo)}. Use a number ≥ 0 (default 0).` });
  if (typeof p.dependence !== 'boolean') issues.push({ path: 'dependence', message: `invalid dependence: ${JSON.stringify(p.dependence)}. Use true or false (default true).` });
  if (typeof p.earlyStop !== 'boolean') issues.push({ path: 'earlyStop', message: `invalid earlyStop: ${JSON.stringify(p.earlyStop)}. Use true or false (default true).` });
  for (const key of Object.keys(params)) if (!(key in DEFAULTS)) issues.push({ path: key, message: `invalid parameter for arf: "${key}". Known: ${Object.keys(DEFAULTS).join(', ')}.` });
  if (issues.length) throw new ValidationError(issues);
  return p;
}

const KIND_VERSION = 2;

/**
 * `arf`: adversarial random forest (Watson, Blesch, Kapar & Wright, AISTATS 2023). Starting from synthetic
 * rows drawn from the product of the marginals, it alternates: fit a random forest telling real rows from
 * synthetic ones; if its out-of-bag accuracy is above 0.5 + delta, redraw the synthetic rows from the forest
 * (a tree at random, a leaf ∝ its real rows, each column independently from the leaf's real values). The last
 * forest's leaves (merged up to ≥ minLeaf real rows) then hold the density that is saved and sampled: by default
 * (kindVersion 2) a dependence tree over the columns inside every leaf (see `arf-leaf-tree.ts`); with
 * `dependence: false` (kindVersion 1) per-column summaries drawn independently. Trees run through `opts.parallel` (worker threads in Node) when given; the result is the
 * same either way (each tree has its own seed).
 * @example const fitted = await arf.create({ trees: 20 }).fit(table, { seed: 1 });
 */
export const arf: SynthesizerKind<ArfParams> = {
  kind: 'arf',
  kindVersion: KIND_VERSION,
  readableVersions: [1, 2],
  description: 'Adversarial random forest: forests refitted against their own synthetic data until they cannot tell them apart; per-leaf densities.',
  create(params: Partial<ArfParams> = {}): Synthesizer<ArfParams> {
    const p = validateParams(params);
    return {
      kind: 'arf',
      params: p,
      async fit(table: Table, opts: FitOptions = {}) {
        const t0 = Date.now();
        const seed = opts.seed ?? 0;
        validateRows(table, p.k);
        const models = fitColumnModels(table, { k: p.k, gridSize: p.gridSize });
        const modelled = models.filter(isModelled);
        const n = table.numRows;
        const rng = createRng(seed, 'arf');
        const work = workingValues(table, models);
        const ranks = modelled.map((m, j) => (m.kind === 'numeric' ? randomisedRanks(work[j] as Float64Array, rng.split(`ranks-${j}`)) : null));
        // The kept forest's density leaves (one leaf holding every row when no column is modelled).
        let trees: ArfTreeChunk['leaves'] = [{ leafOf: new Int32Array(n), numLeaves: 1 }];
        if (modelled.length) {
          const x: FeatureMatrix = {
            numRows: n,
            names: modelled.map((m) => m.name),
            columns: work,
            levels: modelled.map((m) => (m.kind === 'categorical' ? Math.max(1, m.marginal.labels.length) : 0)),
          };
          const real = applyBinning(x, fitBinning(x, { maxBins: p.maxBins }));
          const P = real.bins.length;
          const mtry = p.maxFeatures === 0 ? Math.max(1, Math.round(Math.sqrt(P))) : p.maxFeatures <= 1 ? Math.max(1, Math.round(p.maxFeatures * P)) : Math.min(P, p.maxFeatures);
          const y = new Int32Array(2 * n);
          y.fill(1, 0, n);
          // Round 0 synthetic data: every column drawn on its own from the real rows (product of marginals).
          let synth: Uint8Array[] = real.bins.map((b, j) => {
            const r = rng.split(`marginal-${j}`);
            const s = new Uint8Array(n);
            for (let i = 0; i < n; i++) s[i] = b[r.int(n)];
            return s;
          });
          trees = [];
          let previous = Infinity;
          for (let round = 0; ; round++) {
            throwIfAborted(opts.signal);
            const xb: BinnedMatrix = { numRows: 2 * n, bins: real.bins.map((b, j) => concatBins(b, synth[j])), numBins: real.numBins, categorical: real.categorical };
            const spec: ArfTreeSpec = { seed, round, growLeaf: p.growLeaf, maxFeatures: mtry, numReal: n, minLeaf: p.minLeaf, draws: Math.min(2 * n, p.maxTreeRows) };
            const calls = Array.from({ length: p.trees }, (_, t) => [xb, y, spec, t, t + 1]);
            const chunks = opts.parallel
              ? await opts.parallel<ArfTreeChunk>('synth/arf', 'fitArfTrees', calls)
              : calls.map((c) => fitArfTrees(xb, y, spec, c[3] as number, c[4] as number));
            const accuracy = oobAccuracy(chunks, y);
            opts.onProgress?.({ stage: 'fit', done: round + 1, total: p.maxIterations + 1, message: `round ${round + 1}: out-of-bag accuracy ${accuracy.toFixed(3)}`, figures: { accuracy } });
            // The forest kept is the one its successor found hardest to beat (lowest out-of-bag accuracy so far).
            if (accuracy < previous || !trees.length) trees = chunks.flatMap((c) => c.leaves);
            if (accuracy <= 0.5 + p.delta || round >= p.maxIterations || (p.earlyStop && accuracy >= previous)) break;
            previous = accuracy;
            synth = drawFromForest(chunks.flatMap((c) => c.leaves), real, n, rng.split(`round-${round}`));
          }
        }
        const groups = trees.map(({ leafOf, numLeaves }) => groupByLeaf(leafOf, numLeaves));
        let engine: JointEngine;
        if (!p.dependence)
          engine = new ArfEngine(
            modelled,
            p.leafQuantiles,
            trees.map(({ numLeaves }, t) => summariseTree(groups[t], numLeaves, modelled, work, ranks, p.leafQuantiles, p.smoothing)),
          );
        else {
          // v2 leaf model: bins, one dependence tree (learnt on up to 3 of the forest's trees' leaves), per-leaf tables.
          const { binning, bins } = fitLeafBinning(modelled, work, ranks, p.dependenceBins);
          const { parent, order } = learnDependenceTree(groups.slice(0, 3), bins, binning.size, p.dependenceMinInfo);
          const forest = trees.map(({ numLeaves }, t) => summariseTreeV2(groups[t], numLeaves, modelled, bins, binning.size, parent, ranks, p.leafQuantiles));
          engine = new ArfTreeEngine(modelled, p.leafQuantiles, binning, parent, order, p.dependenceSmoothing, pairCounts(bins, binning.size, parent), forest);
        }
        opts.onProgress?.({ stage: 'fit', done: p.maxIterations + 1, total: p.maxIterations + 1 });
        const version = p.dependence ? KIND_VERSION : 1;
        return new FittedTabular('arf', version, p, table.schema, models, engine, { rows: n, columns: table.numColumns, seed, seconds: (Date.now() - t0) / 1000 });
      },
    };
  },
  load(artifact) {
    const pl = artifact.payload;
    const v1 = artifact.kindVersion === 1;
    // v1 models drew the columns independently inside a leaf: record that in the params (v1 files have no `dependence`).
    const p = validateParams({ ...(v1 ? { dependence: false } : {}), ...((pl.params ?? {}) as Partial<ArfParams>) });
    const state = pl.state as unknown as TabularState;
    const models = loadColumnModels(state);
    const modelled = models.filter(isModelled);
    const engine = v1 ? ArfEngine.fromJSON(state.engine, models) : ArfTreeEngine.fromJSON(state.engine, modelled);
    return new FittedTabular('arf', artifact.kindVersion, p, pl.schema, models, engine, pl.training);
  },
};

function concatBins(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Out-of-bag accuracy of the forest (votes summed in tree order; rows never out of bag are skipped). */
function oobAccuracy(chunks: ArfTreeChunk[], y: Int32Array): number {
  const N = y.length;
  const sum = new Float64Array(N), cnt = new Float64Array(N);
  for (const c of chunks)
    for (let i = 0; i < N; i++) {
      sum[i] += c.oobSum[i];
      cnt[i] += c.oobCount[i];
    }
  let right = 0, seen = 0;
  for (let i = 0; i < N; i++) {
    if (!cnt[i]) continue;
    seen++;
    const pReal = sum[i] / cnt[i];
    if ((pReal > 0.5 ? 1 : 0) === y[i]) right++;
  }
  return seen ? right / seen : 0.5;
}

/** New synthetic rows (bins) from a forest: a tree at random, a leaf ∝ real rows, each feature from a random real row of that leaf. */
function drawFromForest(trees: ArfTreeChunk['leaves'], real: BinnedMatrix, n: number, rng: Rng): Uint8Array[] {
  const P = real.bins.length;
  const out = real.bins.map(() => new Uint8Array(n));
  const parts = trees.map(({ leafOf, numLeaves }) => ({ leafOf, ...groupByLeaf(leafOf, numLeaves) }));
  const N = real.numRows;
  for (let i = 0; i < n; i++) {
    const part = parts[rng.int(parts.length)];
    const l = part.leafOf[rng.int(N)];
    const s = part.start[l], m = part.start[l + 1] - s;
    for (let j = 0; j < P; j++) out[j][i] = real.bins[j][part.rows[s + rng.int(m)]];
  }
  return out;
}
