/**
 * Robustness: how predictions react to small, realistic input perturbations. Each perturbation is seeded and
 * applied to the feature columns only; the result per perturbation is the share of predictions that change
 * and the drop of the headline metric (accuracy for classification, MAE rise for regression).
 */
import { SynthopsError, throwIfAborted } from '../errors.js';
import { createRng, type Rng } from '../random.js';
import { CategoricalColumn, NumericColumn, type Column } from '../table/column.js';
import { Table } from '../table/table.js';
import type { PredictiveModel } from './model.js';
import { predictionsFromModel } from './model.js';
import type { Predictions } from './predictions.js';

/** A kind of perturbation. */
export type PerturbationKind = 'numeric-noise' | 'category-swap' | 'missing' | 'shift';

/** One perturbation to test; `amount` meaning depends on the kind (see `perturbTable`). */
export interface Perturbation {
  kind: PerturbationKind;
  /** numeric-noise: noise sd as a share of each column's sd (default 0.1); category-swap / missing: share of
   *  cells changed (default 0.1); shift: added share of each column's sd (default 0.25). */
  amount?: number;
}

/** The default battery. */
export const DEFAULT_PERTURBATIONS: readonly Perturbation[] = [
  { kind: 'numeric-noise', amount: 0.1 },
  { kind: 'category-swap', amount: 0.1 },
  { kind: 'missing', amount: 0.1 },
  { kind: 'shift', amount: 0.25 },
];

/** The effect of one perturbation. */
export interface PerturbationResult {
  kind: PerturbationKind;
  amount: number;
  description: string;
  /** Share of rows whose predicted class (or, regression, value by more than 1e-9) changed. 0 is most robust. */
  changedShare: number;
  /** 'accuracy' (classification) or 'mae' (regression). */
  metric: string;
  before: number;
  after: number;
  /** Classification: before − after (positive = worse). Regression: after − before (positive = worse). */
  drop: number;
}

/** All perturbations of one run. */
export interface RobustnessResult {
  seed: number;
  perturbations: PerturbationResult[];
}

function defaultAmount(kind: PerturbationKind): number {
  return kind === 'numeric-noise' ? 0.1 : kind === 'shift' ? 0.25 : 0.1;
}

function sd(v: Float64Array): number {
  let n = 0, s = 0, s2 = 0;
  for (const x of v) if (x === x) { n++; s += x; s2 += x * x; }
  return n > 1 ? Math.sqrt(Math.max(0, (s2 - (s * s) / n) / (n - 1))) : 0;
}

/**
 * A perturbed copy of `table` (only `columns` change; the input is never mutated).
 * - numeric-noise: adds N(0, (amount · sd)²) to every present numeric value;
 * - category-swap: replaces a share `amount` of categorical cells with a category drawn from the column's
 *   own frequencies (excluding the current one when possible);
 * - missing: blanks a share `amount` of cells of every column;
 * - shift: adds amount · sd to every numeric value.
 * @example perturbTable(test, model.features, { kind: 'missing', amount: 0.1 }, createRng(1))
 */
export function perturbTable(table: Table, columns: readonly string[], p: Perturbation, rng: Rng): Table {
  const amount = p.amount ?? defaultAmount(p.kind);
  if (!(amount >= 0)) throw new SynthopsError('invalid_argument', `invalid perturbation amount: ${amount}. Use a number ≥ 0.`);
  const cols: Column[] = table.columns.map((c, j) => {
    const name = table.schema.columns[j].name;
    if (!columns.includes(name)) return c;
    const r = rng.split(name);
    const n = c.length;
    if (c.storage === 'numeric') {
      const v = Float64Array.from(c.values);
      const s = sd(c.values);
      if (p.kind === 'numeric-noise') for (let i = 0; i < n; i++) { if (v[i] === v[i]) v[i] += r.normal() * amount * s; }
      else if (p.kind === 'shift') for (let i = 0; i < n; i++) v[i] += amount * s;
      else if (p.kind === 'missing') for (let i = 0; i < n; i++) { if (r.next() < amount) v[i] = NaN; }
      else return c;
      return NumericColumn.from(v);
    }
    const codes = Int32Array.from(c.codes);
    if (p.kind === 'missing') for (let i = 0; i < n; i++) { if (r.next() < amount) codes[i] = -1; }
    else if (p.kind === 'category-swap') {
      const counts = c.counts();
      const k = counts.length;
      if (k < 2) return c;
      const cum = new Float64Array(k);
      let acc = 0;
      for (let j2 = 0; j2 < k; j2++) cum[j2] = acc += counts[j2];
      for (let i = 0; i < n; i++) {
        if (codes[i] < 0 || r.next() >= amount) continue;
        for (let tries = 0; tries < 8; tries++) {
          const u = r.next() * acc;
          let lo = 0;
          while (cum[lo] <= u) lo++;
          if (lo !== codes[i]) { codes[i] = lo; break; }
        }
      }
    } else return c;
    return new CategoricalColumn(codes, c.dictionary);
  });
  return new Table({ ...table.schema, columns: table.schema.columns.map((s) => ({ ...s, nullable: true })) }, cols);
}

function headline(preds: Predictions): number {
  if (preds.task === 'classification') {
    let c = 0;
    for (let i = 0; i < preds.y.length; i++) if (preds.y[i] === preds.pred[i]) c++;
    return c / preds.y.length;
  }
  let s = 0;
  for (let i = 0; i < preds.y.length; i++) s += Math.abs(preds.pred[i] - preds.y[i]);
  return s / preds.y.length;
}

/**
 * Runs every perturbation against `model` on `table` (which holds the `label` column).
 * @example await runRobustness(model, test, 'income', { seed: 1 })
 */
export async function runRobustness(model: PredictiveModel, table: Table, label: string, opts: { seed?: number; perturbations?: readonly Perturbation[]; positive?: string; threshold?: number; signal?: AbortSignal } = {}): Promise<RobustnessResult> {
  const seed = opts.seed ?? 0;
  const base = predictionsFromModel(table, label, model, await model.predict(table, { signal: opts.signal }), opts);
  const before = headline(base);
  const out: PerturbationResult[] = [];
  for (const p of opts.perturbations ?? DEFAULT_PERTURBATIONS) {
    throwIfAborted(opts.signal);
    const amount = p.amount ?? defaultAmount(p.kind);
    const perturbed = perturbTable(table, model.features, p, createRng(seed, 'robustness', p.kind));
    const preds = predictionsFromModel(perturbed, label, model, await model.predict(perturbed, { signal: opts.signal }), opts);
    let changed = 0;
    for (let i = 0; i < preds.y.length; i++) if (Math.abs(preds.pred[i] - base.pred[i]) > 1e-9) changed++;
    const after = headline(preds);
    out.push({
      kind: p.kind,
      amount,
      description: describe(p.kind, amount),
      changedShare: changed / preds.y.length,
      metric: base.task === 'classification' ? 'accuracy' : 'mae',
      before,
      after,
      drop: base.task === 'classification' ? before - after : after - before,
    });
  }
  return { seed, perturbations: out };
}

function describe(kind: PerturbationKind, a: number): string {
  const pct = `${Math.round(a * 100)}%`;
  if (kind === 'numeric-noise') return `Gaussian noise of ${a} sd on numeric features`;
  if (kind === 'category-swap') return `${pct} of categorical cells swapped to another category`;
  if (kind === 'missing') return `${pct} of feature cells made missing`;
  return `numeric features shifted by +${a} sd`;
}
