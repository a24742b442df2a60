import { makeArtifact, type Artifact } from '../artifact.js';
import { SynthopsError, throwIfAborted } from '../errors.js';
import type { JsonValue } from '../json.js';
import { createRng, type Rng } from '../random.js';
import { CategoricalColumn, NumericColumn, type Column } from '../table/column.js';
import type { Schema } from '../table/schema.js';
import { Table } from '../table/table.js';
import { resolveConditions, splitShares, type ResolvedCondition } from './conditions.js';
import { compileRules, type CompiledRule } from './constraints/rules.js';
import type { FittedSynthesizer, SampleOptions, SampleReport, SynthesizerPayload } from './synthesizer.js';
import {
  columnModelFromJSON,
  columnModelToJSON,
  generateColumn,
  isModelled,
  missingColumn,
  type ColumnModel,
  type ColumnModelState,
} from './transforms/column-model.js';

/** Values of the modelled columns as sampled by an engine: numbers (NaN = missing) or label indices (−1 = missing). */
export type ModelledValues = (Float64Array | Int32Array)[];

/**
 * The joint model of a synthesizer over its modelled columns (numeric and categorical, in schema order).
 * It must honour resolved conditions exactly (or throw `invalid_argument` when they are too unlikely).
 */
export interface JointEngine {
  sample(n: number, rng: Rng, conditions: readonly ResolvedCondition[], signal?: AbortSignal): ModelledValues;
  toJSON(): JsonValue;
}

/** The `state` of a saved synthesizer built on {@link FittedTabular}. */
export interface TabularState {
  columns: ColumnModelState[];
  engine: JsonValue;
}

/**
 * A fitted synthesizer made of per-column models (transforms, privacy) and a joint engine. Handles
 * everything common to all kinds: shards, conditions and rebalancing, PII and id generation, assembling the
 * output table in the input's schema, and saving.
 */
export class FittedTabular<P extends object> implements FittedSynthesizer<P> {
  constructor(
    readonly kind: string,
    readonly kindVersion: number,
    readonly params: Readonly<P>,
    readonly schema: Schema,
    readonly models: ColumnModel[],
    readonly engine: JointEngine,
    readonly training: SynthesizerPayload['training'],
  ) {}

  sample(n: number, opts: SampleOptions): Table {
    return this.sampleWithReport(n, opts).table;
  }

  sampleWithReport(n: number, opts: SampleOptions): { table: Table; report: SampleReport } {
    if (!Number.isSafeInteger(n) || n < 0) throw new SynthopsError('invalid_argument', `invalid rows: ${n}. Pass a whole number ≥ 0.`);
    if (!Number.isFinite(opts.seed)) throw new SynthopsError('invalid_argument', `invalid seed: ${opts.seed}. Pass a finite number.`);
    const shard = opts.shard ?? 0;
    const rng = createRng(opts.seed).split(shard);
    const groups = splitShares(n, opts.conditions ?? []);
    const rules = opts.constraints === undefined ? [] : compileRules(opts.constraints, this.models);
    const violations: Record<string, number> = Object.fromEntries(rules.map((r) => [r.id, 0]));
    const modelled = this.models.filter(isModelled);
    const parts: ModelledValues[] = [];
    const resolvedAll: ResolvedCondition[][] = [];
    groups.forEach((g, gi) => {
      throwIfAborted(opts.signal);
      const resolved = resolveConditions(g.conditions, this.models);
      resolvedAll.push(resolved);
      const grng = rng.split(`group-${gi}`);
      const vals = this.engine.sample(g.n, grng, resolved, opts.signal);
      enforce(vals, resolved);
      if (rules.length) this.applyRules(vals, rules, resolved, grng, violations, opts.signal);
      parts.push(vals);
      opts.onProgress?.({ stage: 'sample', done: gi + 1, total: groups.length });
    });
    let values: ModelledValues = parts.length === 1 ? parts[0] : concatParts(parts, modelled, n);
    if (parts.length > 1) {
      const perm = rng.split('shuffle').permutation(n);
      values = values.map((a) => {
        const out = a instanceof Float64Array ? new Float64Array(n) : new Int32Array(n);
        for (let i = 0; i < n; i++) out[i] = a[perm[i]];
        return out;
      });
    }
    const columns: Column[] = [];
    let mi = 0;
    this.schema.columns.forEach((spec, j) => {
      const m = this.models[j];
      if (m.kind === 'numeric') {
        const v = values[mi++] as Float64Array;
        columns.push(new NumericColumn(v));
      } else if (m.kind === 'categorical') {
        columns.push(new CategoricalColumn(values[mi++] as Int32Array, m.marginal.labels));
      } else if (m.kind === 'missing') columns.push(missingColumn(spec, n));
      else columns.push(generateColumn(m, n, rng.split(`column-${spec.name}`), shard * n));
    });
    const warnings: string[] = [];
    for (const m of this.models) {
      if (m.kind === 'redacted') warnings.push(`column "${m.name}": every category has fewer than k rows; written as placeholder labels.`);
      if (m.kind === 'categorical' && m.marginal.merged) warnings.push(`column "${m.name}": ${m.marginal.merged} rare categories merged into the most frequent one.`);
    }
    return { table: new Table(this.schema, columns), report: { constraintViolations: violations, warnings } };
  }

  /**
   * Redraws rows that break a rule (rejection, up to 100 rounds); counts every violating draw per rule id.
   * Throws `invalid_argument` when the rules cannot be met (impossible or far too unlikely).
   */
  private applyRules(vals: ModelledValues, rules: CompiledRule[], conds: ResolvedCondition[], rng: Rng, counts: Record<string, number>, signal?: AbortSignal): void {
    const bad = (v: ModelledValues, i: number) => {
      let broken = false;
      for (const r of rules)
        if (!r.ok(v, i)) {
          counts[r.id]++;
          broken = true;
        }
      return broken;
    };
    let todo: number[] = [];
    for (let i = 0; i < vals[0]?.length; i++) if (bad(vals, i)) todo.push(i);
    for (let round = 0; todo.length && round < 100; round++) {
      throwIfAborted(signal);
      const m = Math.max(64, todo.length * 2);
      const fresh = this.engine.sample(m, rng.split(`rules-${round}`), conds, signal);
      enforce(fresh, conds);
      const next: number[] = [];
      let j = 0;
      for (const i of todo) {
        while (j < m && bad(fresh, j)) j++;
        if (j >= m) {
          next.push(i);
          continue;
        }
        for (let c = 0; c < vals.length; c++) vals[c][i] = fresh[c][j];
        j++;
      }
      todo = next;
    }
    if (todo.length)
      throw new SynthopsError('invalid_argument', `invalid constraints: ${todo.length} rows still break a rule after 100 redraws. The rules may be impossible under the data; check them.`);
  }

  categories(column: string): string[] | undefined {
    const m = this.models.find((x) => x.name === column);
    return m?.kind === 'categorical' ? [...m.marginal.labels] : undefined;
  }

  save(): Artifact<SynthesizerPayload> {
    const state: TabularState = { columns: this.models.map(columnModelToJSON), engine: this.engine.toJSON() };
    return makeArtifact(`synthesizer/${this.kind}`, this.kindVersion, {
      kind: this.kind,
      params: this.params as unknown as JsonValue,
      schema: this.schema,
      state: state as unknown as JsonValue,
      training: this.training,
    });
  }
}

/** Reads the column models of a saved tabular synthesizer. */
export function loadColumnModels(state: TabularState): ColumnModel[] {
  if (!state || !Array.isArray(state.columns)) throw new SynthopsError('incompatible_artifact', 'invalid synthesizer state: no column models.');
  return state.columns.map(columnModelFromJSON);
}

/** Makes conditioned values exact: numeric equals → the value itself; ranges → clamped. */
function enforce(vals: ModelledValues, conds: readonly ResolvedCondition[]): void {
  for (const c of conds) {
    const a = vals[c.modelled];
    if (c.value !== undefined) a.fill(c.value);
    else if (c.label !== undefined) a.fill(c.label);
    else if (a instanceof Float64Array)
      for (let i = 0; i < a.length; i++) {
        if (c.min !== undefined && a[i] < c.min) a[i] = c.min;
        if (c.max !== undefined && a[i] > c.max) a[i] = c.max;
      }
  }
}

function concatParts(parts: ModelledValues[], modelled: ColumnModel[], n: number): ModelledValues {
  return modelled.map((m, j) => {
    const out = m.kind === 'numeric' ? new Float64Array(n) : new Int32Array(n);
    let o = 0;
    for (const p of parts) {
      out.set(p[j], o);
      o += p[j].length;
    }
    return out;
  });
}
