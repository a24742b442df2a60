import { decodeFloats, encodeFloats } from '../artifact.js';
import { SynthopsError, ValidationError, throwIfAborted, type ValidationIssue } from '../errors.js';
import type { JsonValue } from '../json.js';
import { applyBinning, binningFromJSON, binningToJSON, fitBinning, type BinnedMatrix, type Binning } from '../learners/binning.js';
import type { FeatureMatrix } from '../learners/features.js';
import { applyTree, fitTree, treeFromJSON, treeToJSON, type Tree } from '../learners/tree.js';
import { createRng, type Rng } from '../random.js';
import type { Table } from '../table/table.js';
import type { ResolvedCondition } from './conditions.js';
import type { FitOptions, Synthesizer, SynthesizerKind } from './synthesizer.js';
import { FittedTabular, loadColumnModels, type JointEngine, type ModelledValues, type TabularState } from './tabular-fitted.js';
import { DEFAULT_TRANSFORM, fitColumnModels, isModelled, type ColumnModel } from './transforms/column-model.js';
import { validateRows } from './validate.js';

/**
 * Parameters of the `cart` synthesizer.
 * @example { minLeaf: 50, leafQuantiles: 9, k: 5 }
 */
export interface CartParams {
  /** Fewest training rows per leaf; larger = more privacy (fewer near-copies), smoother. Default 50 (measured on adult: DCR share 0.538, fidelity targets met). */
  minLeaf: number;
  /** Deepest tree level (root = 0). Default 30. */
  maxDepth: number;
  /** Bins per numeric predictor (2..255). Default 64. */
  maxBins: number;
  /** Points of each leaf's quantile summary for numbers (the leaf density is interpolated between them). Default 9. */
  leafQuantiles: number;
  /** Privacy threshold for categories and extremes. Default 5. */
  k: number;
  /** Knots of the marginal of the first visited column. Default 1000. */
  gridSize: number;
  /** Column visit order (names of modelled columns); default the schema order. Unlisted columns follow in schema order. */
  visitOrder: string[];
  [key: string]: JsonValue;
}

const DEFAULTS: CartParams = { minLeaf: 50, maxDepth: 30, maxBins: 64, leafQuantiles: 9, k: DEFAULT_TRANSFORM.k, gridSize: DEFAULT_TRANSFORM.gridSize, visitOrder: [] };

/** One step of the sequential model: column `modelled` predicted from the columns visited before it. */
interface Step {
  modelled: number;
  /** Categorical: classes = labels (+1 for missing when nullable). Numeric: value tree on non-missing rows. */
  tree: Tree | null;
  /** Numeric nullable: classification tree for "missing" (class 1). */
  nullTree: Tree | null;
  /** Numeric: per node, offsets into `quantiles` (leafQuantiles points per leaf, in the marginal's probability scale u; −1 for non-leaves). */
  leafStart: Int32Array | null;
  quantiles: Float64Array | null;
  /** Number of quantile points per leaf. */
  q: number;
}

interface StepState {
  modelled: number;
  tree: JsonValue | null;
  nullTree: JsonValue | null;
  leafStart: number[] | null;
  quantiles: ReturnType<typeof encodeFloats> | null;
  q: number;
}

/**
 * Sequential CART engine: columns are visited in order; the first is drawn from its protected marginal,
 * each later one from the leaf of a tree grown on the columns before it. Categories are drawn from the
 * leaf's class shares; numbers from the leaf's quantile summary of *ranks* (u = the value's position in the
 * column's protected marginal), interpolated linearly between the points (a smoothed leaf density, never a
 * donor row) and mapped through the marginal's inverse CDF, so point masses (zeros of capital-gain, 40 hours)
 * stay exact, other values are interpolated, and everything is rounded and within the protected range. Missing values are a class (categorical) or their own tree (numeric), so which rows are missing
 * follows the other columns. Conditions are met by rejection (batches, with a budget).
 * Stored: the bins, the trees (split rules, counts, class shares) and per-leaf quantiles of ≥ minLeaf values.
 */
export class CartEngine implements JointEngine {
  constructor(
    private readonly models: ColumnModel[],
    private readonly order: number[],
    private readonly binning: Binning,
    private readonly steps: Step[],
  ) {}

  toJSON(): JsonValue {
    return {
      order: this.order,
      binning: binningToJSON(this.binning),
      steps: this.steps.map(
        (s): StepState => ({
          modelled: s.modelled,
          tree: s.tree ? treeToJSON(s.tree) : null,
          nullTree: s.nullTree ? treeToJSON(s.nullTree) : null,
          leafStart: s.leafStart ? Array.from(s.leafStart) : null,
          quantiles: s.quantiles ? encodeFloats(s.quantiles) : null,
          q: s.q,
        }),
      ) as unknown as JsonValue,
    };
  }

  static fromJSON(json: JsonValue, models: ColumnModel[]): CartEngine {
    const o = json as unknown as { order: number[]; binning: JsonValue; steps: StepState[] };
    if (!o || !Array.isArray(o.order) || !Array.isArray(o.steps)) throw new SynthopsError('incompatible_artifact', 'invalid cart state: no visit order or steps.');
    const steps = o.steps.map((s) => ({
      modelled: s.modelled,
      tree: s.tree ? treeFromJSON(s.tree) : null,
      nullTree: s.nullTree ? treeFromJSON(s.nullTree) : null,
      leafStart: s.leafStart ? Int32Array.from(s.leafStart) : null,
      quantiles: s.quantiles ? Float64Array.from(decodeFloats(s.quantiles)) : null,
      q: s.q,
    }));
    return new CartEngine(models.filter(isModelled), o.order, binningFromJSON(o.binning), steps);
  }

  sample(n: number, rng: Rng, conditions: readonly ResolvedCondition[], signal?: AbortSignal): ModelledValues {
    if (!conditions.length) return this.sampleFree(n, rng, signal);
    const modelled = this.models;
    const out: ModelledValues = modelled.map((m) => (m.kind === 'numeric' ? new Float64Array(n) : new Int32Array(n)));
    let filled = 0, drawn = 0, round = 0;
    const budget = 1000 * n + 100000;
    while (filled < n) {
      throwIfAborted(signal);
      const batch = Math.min(Math.max(1024, 2 * (n - filled)), 1 << 18);
      const vals = this.sampleFree(batch, rng.split(`round-${round++}`), signal);
      drawn += batch;
      for (let i = 0; i < batch && filled < n; i++) {
        if (!conditions.every((c) => matches(vals[c.modelled], i, c))) continue;
        for (let j = 0; j < out.length; j++) out[j][filled] = vals[j][i];
        filled++;
      }
      if (filled < n && drawn > budget)
        throw new SynthopsError('invalid_argument', `invalid conditions: too unlikely under the fitted model (${filled} of ${n} rows after ${drawn} draws). Loosen or remove a condition.`);
    }
    return out;
  }

  private sampleFree(n: number, rng: Rng, signal?: AbortSignal): ModelledValues {
    const modelled = this.models;
    const out: ModelledValues = modelled.map((m) => (m.kind === 'numeric' ? new Float64Array(n) : new Int32Array(n)));
    const bins: Uint8Array[] = [];
    this.order.forEach((mi, p) => {
      throwIfAborted(signal);
      const m = modelled[mi];
      const step = this.steps[p];
      const r = rng.split(`column-${p}`);
      const x: BinnedMatrix = { numRows: n, bins: bins.slice(), numBins: this.binning.numBins.slice(0, p), categorical: this.binning.categorical.slice(0, p) };
      if (m.kind === 'categorical') {
        const o = out[mi] as Int32Array;
        const L = m.marginal.labels.length;
        if (!step.tree) {
          for (let i = 0; i < n; i++) o[i] = m.nullShare > 0 && r.next() < m.nullShare ? -1 : m.marginal.inverse(r.next());
        } else {
          const leaves = applyTree(step.tree, x);
          const K = step.tree.numClasses, v = step.tree.value;
          for (let i = 0; i < n; i++) {
            let u = r.next();
            const base = leaves[i] * K;
            let c = 0;
            for (; c < K - 1; c++) {
              u -= v[base + c];
              if (u < 0) break;
            }
            o[i] = c >= L ? -1 : c;
          }
        }
      } else if (m.kind === 'numeric') {
        const o = out[mi] as Float64Array;
        const mg = m.marginal;
        if (!step.tree) {
          for (let i = 0; i < n; i++) o[i] = m.nullShare > 0 && r.next() < m.nullShare ? NaN : mg.inverse(r.next());
        } else {
          const leaves = applyTree(step.tree, x);
          const nullLeaves = step.nullTree ? applyTree(step.nullTree, x) : null;
          const qs = step.quantiles!, starts = step.leafStart!, q = step.q;
          for (let i = 0; i < n; i++) {
            if (nullLeaves && r.next() < step.nullTree!.value[nullLeaves[i] * 2 + 1]) {
              o[i] = NaN;
              continue;
            }
            const s = starts[leaves[i]];
            const t = r.next() * (q - 1);
            const a = Math.floor(t);
            const lo = qs[s + a], hi = qs[s + Math.min(a + 1, q - 1)];
            o[i] = mg.inverse(lo + (t - a) * (hi - lo));
          }
        }
      }
      bins.push(binColumn(out[mi], this.binning, p));
    });
    return out;
  }
}

function matches(a: Float64Array | Int32Array, i: number, c: ResolvedCondition): boolean {
  const v = a[i];
  if (c.label !== undefined) return v === c.label;
  if (v !== v) return false;
  if (c.value !== undefined) return v === c.value;
  return (c.min === undefined || v >= c.min) && (c.max === undefined || v <= c.max);
}

/** b[rows[i]] for every i, in a new array of b's type. */
function pick(b: Uint8Array, rows: Int32Array): Uint8Array {
  const out = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = b[rows[i]];
  return out;
}

/** What one tree of the sequential CART needs besides the data (plain JSON, for worker threads). */
export interface CartStepSpec {
  seed: number;
  /** Position of the column in the visit order (its trees' random streams are keyed by it). */
  pIdx: number;
  /** Number of categories (categorical column), 0 for a numeric one. */
  labels: number;
  nullShare: number;
  minLeaf: number;
  maxDepth: number;
  leafQuantiles: number;
}

/** The fitted parts of one step (trees and, for numbers, per-leaf quantiles of ranks). */
export type CartStepResult = Pick<Step, 'tree' | 'nullTree' | 'leafStart' | 'quantiles'>;

/**
 * Grows the tree(s) of one column of the sequential CART on the binned columns before it (`xp`), from the
 * column's working values `y` (label indices, −1 = missing; or numbers, NaN = missing). A pure function of
 * its arguments: `synth/cart` exports it so worker threads can run the columns in parallel.
 */
export function fitCartStep(xp: BinnedMatrix, y: Float64Array | Int32Array, spec: CartStepSpec): CartStepResult {
  const n = xp.numRows;
  const rng = createRng(spec.seed, 'cart');
  const pIdx = spec.pIdx;
  const treeOpts = { rng: rng.split(`tree-${pIdx}`), minSamplesLeaf: spec.minLeaf, maxDepth: spec.maxDepth };
  if (spec.labels > 0) {
    const L = spec.labels;
    const yy = new Int32Array(n);
    for (let i = 0; i < n; i++) yy[i] = y[i] < 0 ? L : y[i];
    return { tree: fitTree(xp, { kind: 'classification', y: yy, numClasses: spec.nullShare > 0 ? L + 1 : L }, treeOpts), nullTree: null, leafStart: null, quantiles: null };
  }
  const yv = y as Float64Array;
  const present: number[] = [];
  for (let i = 0; i < n; i++) if (yv[i] === yv[i]) present.push(i);
  const rows = Int32Array.from(present);
  let nullTree: Tree | null = null;
  if (spec.nullShare > 0) {
    const isNull = new Int32Array(n);
    for (let i = 0; i < n; i++) isNull[i] = yv[i] === yv[i] ? 0 : 1;
    nullTree = fitTree(xp, { kind: 'classification', y: isNull, numClasses: 2 }, { ...treeOpts, rng: rng.split(`null-${pIdx}`) });
  }
  // Work in the marginal's probability scale: each value becomes its randomised rank u in (0, 1)
  // (uniform within ties), so point masses survive and no leaf stores a real value.
  const yc = randomisedRanks(yv, rows, rng.split(`ranks-${pIdx}`));
  const tree = fitTree(xp, { kind: 'regression', y: yc }, { ...treeOpts, rows });
  // The rows where the value is present (all of them when the column has no missing values).
  const sub: BinnedMatrix = rows.length === n ? xp : { numRows: rows.length, bins: xp.bins.map((b) => pick(b, rows)), numBins: xp.numBins, categorical: xp.categorical };
  const leaves = applyTree(tree, sub);
  return { tree, nullTree, ...leafQuantiles(tree, leaves, rows, yc, spec.leafQuantiles) };
}

/** Bins one working column with feature `p` of the binning. */
function binColumn(col: Float64Array | Int32Array, b: Binning, p: number): Uint8Array {
  const one: Binning = { numBins: [b.numBins[p]], edges: [b.edges[p]], categorical: [b.categorical[p]], catBins: [b.catBins[p]], names: [b.names[p]] };
  return applyBinning({ numRows: col.length, names: [b.names[p]], columns: [col], levels: [b.categorical[p] ? b.catBins[p]!.length : 0] }, one).bins[0];
}

/** Working values of the modelled columns: numbers (NaN missing) and label indices (rare → mode, −1 missing). */
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

/** Randomised ranks (r + U)/m of the present values (ties broken at random); 0 elsewhere. O(m log m). */
function randomisedRanks(y: Float64Array, rows: Int32Array, rng: Rng): Float64Array {
  const m = rows.length;
  const key = new Float64Array(y.length);
  rng.fillUniform(key);
  const idx = Array.from(rows).sort((a, b) => y[a] - y[b] || key[a] - key[b]);
  const out = new Float64Array(y.length);
  for (let r = 0; r < m; r++) out[idx[r]] = (r + rng.next()) / m;
  return out;
}

/** Sorted-value quantile summary of each leaf: q points per leaf, evenly spaced in probability. */
function leafQuantiles(tree: Tree, leaves: Int32Array, rows: Int32Array, y: Float64Array, q: number): { leafStart: Int32Array; quantiles: Float64Array } {
  const leafStart = new Int32Array(tree.numNodes).fill(-1);
  let nLeaves = 0;
  for (let node = 0; node < tree.numNodes; node++) if (tree.feature[node] < 0) leafStart[node] = q * nLeaves++;
  const byLeaf: number[][] = Array.from({ length: tree.numNodes }, () => []);
  for (let i = 0; i < rows.length; i++) byLeaf[leaves[i]].push(y[rows[i]]);
  const quantiles = new Float64Array(q * nLeaves);
  for (let node = 0; node < tree.numNodes; node++) {
    const s = leafStart[node];
    if (s < 0) continue;
    const v = byLeaf[node].sort((a, b) => a - b);
    const m = v.length;
    for (let j = 0; j < q; j++) {
      if (!m) {
        quantiles[s + j] = tree.value[node];
        continue;
      }
      const pos = (j / (q - 1)) * (m - 1);
      const a = Math.floor(pos);
      quantiles[s + j] = v[a] + (pos - a) * ((v[Math.min(a + 1, m - 1)] ?? v[a]) - v[a]);
    }
  }
  return { leafStart, quantiles };
}

function validateParams(params: Partial<CartParams>): CartParams {
  const p = { ...DEFAULTS, ...params } as CartParams;
  const issues: ValidationIssue[] = [];
  const int = (key: keyof CartParams, lo: number, hi: number) => {
    const v = p[key];
    if (!Number.isInteger(v) || (v as number) < lo || (v as number) > hi) issues.push({ path: key as string, message: `invalid ${key as string}: ${JSON.stringify(v)}. Use a whole number from ${lo} to ${hi} (default ${JSON.stringify(DEFAULTS[key])}).` });
  };
  int('minLeaf', 1, 1e9);
  int('maxDepth', 1, 200);
  int('maxBins', 2, 255);
  int('leafQuantiles', 2, 1000);
  int('k', 1, 1e9);
  int('gridSize', 2, 100000);
  if (!Array.isArray(p.visitOrder) || !p.visitOrder.every((x) => typeof x === 'string')) issues.push({ path: 'visitOrder', message: 'invalid visitOrder: expected a list of column names.' });
  for (const key of Object.keys(params)) if (!(key in DEFAULTS)) issues.push({ path: key, message: `invalid parameter for cart: "${key}". Known: ${Object.keys(DEFAULTS).join(', ')}.` });
  if (issues.length) throw new ValidationError(issues);
  return p;
}

const KIND_VERSION = 1;
/** Categorical columns with more categories than this are drawn from their marginal instead of a tree. */
const MAX_TREE_CLASSES = 1000;

/** Tables with fewer rows fit their trees in process even when a parallel runner is given. */
const PARALLEL_MIN_ROWS = 100_000;

/**
 * `cart`: sequential synthesis with decision trees (column by column, each from the ones before it),
 * with smoothed leaf densities and minimum leaf sizes so that rows are not copied.
 * @example const fitted = await cart.create({ minLeaf: 10 }).fit(table, { seed: 1 });
 */
export const cart: SynthesizerKind<CartParams> = {
  kind: 'cart',
  kindVersion: KIND_VERSION,
  readableVersions: [1],
  description: 'Sequential decision trees (each column from the ones before it) with smoothed leaf densities; best fidelity on census-like data.',
  create(params: Partial<CartParams> = {}): Synthesizer<CartParams> {
    const p = validateParams(params);
    return {
      kind: 'cart',
      params: p,
      async fit(table: Table, opts: FitOptions = {}) {
        const t0 = Date.now();
        const seed = opts.seed ?? 0;
        validateRows(table, p.k);
        const models = fitColumnModels(table, { k: p.k, gridSize: p.gridSize });
        const modelled = models.filter(isModelled);
        const names = modelled.map((m) => m.name);
        for (const c of p.visitOrder)
          if (!names.includes(c)) throw new SynthopsError('invalid_argument', `invalid visitOrder: "${c}" is not a modelled column (numeric or categorical).`, { column: c });
        const order = [...p.visitOrder.map((c) => names.indexOf(c)), ...names.map((_, i) => i).filter((i) => !p.visitOrder.includes(names[i]))];
        const work = workingValues(table, models);
        const x: FeatureMatrix = {
          numRows: table.numRows,
          names: order.map((i) => names[i]),
          columns: order.map((i) => work[i]),
          levels: order.map((i) => (modelled[i].kind === 'categorical' ? Math.max(1, (modelled[i] as { marginal: { labels: string[] } }).marginal.labels.length) : 0)),
        };
        const binning = fitBinning(x, { maxBins: p.maxBins });
        const xb = applyBinning(x, binning);
        const n = table.numRows;
        const steps: Step[] = [];
        // The trees are independent at fit time (each is grown on the real columns before it), so they run
        // through `opts.parallel` (worker threads in Node) when given; each call seeds its own streams from
        // (seed, column position), so the model is the same wherever the calls run.
        const calls: unknown[][] = [];
        for (let pIdx = 0; pIdx < order.length; pIdx++) {
          const mi = order[pIdx];
          const m = modelled[mi];
          steps.push({ modelled: mi, tree: null, nullTree: null, leafStart: null, quantiles: null, q: p.leafQuantiles });
          if (pIdx === 0) continue;
          const labels = m.kind === 'categorical' ? m.marginal.labels.length : 0;
          // Documented fallback: a column with more than MAX_TREE_CLASSES categories is drawn from its marginal
          // (a tree's per-leaf class shares would need nodes × classes numbers).
          if (labels > MAX_TREE_CLASSES) continue;
          const xp: BinnedMatrix = { numRows: n, bins: xb.bins.slice(0, pIdx), numBins: xb.numBins.slice(0, pIdx), categorical: xb.categorical.slice(0, pIdx) };
          const spec: CartStepSpec = { seed, pIdx, labels, nullShare: m.nullShare, minLeaf: p.minLeaf, maxDepth: p.maxDepth, leafQuantiles: p.leafQuantiles };
          calls.push([xp, work[mi], spec]);
        }
        throwIfAborted(opts.signal);
        // Below PARALLEL_MIN_ROWS the workers' start-up and copies cost more than they save (adult, load 9:
        // 9.9 s wall and 5.3 CPU seconds on two workers against 8.1 s and 3.3 in process at load 18).
        const fitted = opts.parallel && n >= PARALLEL_MIN_ROWS
          ? await opts.parallel<CartStepResult>('synth/cart', 'fitCartStep', calls)
          : calls.map((c, i) => {
              throwIfAborted(opts.signal);
              opts.onProgress?.({ stage: 'fit', done: i, total: calls.length, message: `tree ${i + 1}/${calls.length}` });
              return fitCartStep(c[0] as BinnedMatrix, c[1] as Float64Array | Int32Array, c[2] as CartStepSpec);
            });
        for (let i = 0; i < calls.length; i++) Object.assign(steps[(calls[i][2] as CartStepSpec).pIdx], fitted[i]);
        opts.onProgress?.({ stage: 'fit', done: order.length, total: order.length });
        const engine = new CartEngine(modelled, order, binning, steps);
        return new FittedTabular('cart', KIND_VERSION, p, table.schema, models, engine, { rows: n, columns: table.numColumns, seed, seconds: (Date.now() - t0) / 1000 });
      },
    };
  },
  load(artifact) {
    const pl = artifact.payload;
    const p = validateParams((pl.params ?? {}) as Partial<CartParams>);
    const state = pl.state as unknown as TabularState;
    const models = loadColumnModels(state);
    return new FittedTabular('cart', KIND_VERSION, p, pl.schema, models, CartEngine.fromJSON(state.engine, models), pl.training);
  },
};
