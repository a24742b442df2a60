import { SynthopsError, throwIfAborted } from '../errors.js';
import type { JsonValue } from '../json.js';
import type { Rng } from '../random.js';
import type { ResolvedCondition } from '../synth/conditions.js';
import type { JointEngine, ModelledValues } from '../synth/tabular-fitted.js';
import type { ColumnModel } from '../synth/transforms/column-model.js';
import { CategoricalColumn, NumericColumn, type Column } from '../table/column.js';
import type { Schema } from '../table/schema.js';
import { Table } from '../table/table.js';

type Modelled = Extract<ColumnModel, { kind: 'numeric' | 'categorical' }>;

/** Draws n rows of the working table; `equals` lists categorical labels the model may steer towards. */
export type DrawWorking = (n: number, rng: Rng, equals: readonly { column: string; value: string }[]) => Table;

/**
 * The table a neural synthesizer trains on: only the modelled columns (numbers, and categories after the
 * shared privacy transform merged rare ones), in schema order. Personal data and ids never reach the network.
 * @example const work = workingTable(table, fitColumnModels(table, DEFAULT_TRANSFORM));
 */
export function workingTable(table: Table, models: readonly ColumnModel[]): Table {
  const columns: Column[] = [];
  const schema: Schema = { specVersion: 1, columns: [] };
  models.forEach((m, j) => {
    const col = table.columns[j];
    if (m.kind === 'numeric' && col.storage === 'numeric') {
      columns.push(new NumericColumn(col.values));
      schema.columns.push({ name: m.name, type: 'numerical', nullable: m.nullShare > 0 });
    } else if (m.kind === 'categorical' && col.storage === 'categorical') {
      const mg = m.marginal;
      let mode = 0;
      for (let i = 1; i < mg.probs.length; i++) if (mg.probs[i] > mg.probs[mode]) mode = i;
      const map = col.dictionary.map((l) => {
        const i = mg.indexOf(l);
        return i < 0 ? mode : i;
      });
      const codes = new Int32Array(table.numRows);
      for (let i = 0; i < codes.length; i++) codes[i] = col.codes[i] < 0 ? -1 : map[col.codes[i]];
      columns.push(new CategoricalColumn(codes, mg.labels));
      schema.columns.push({ name: m.name, type: 'categorical', nullable: m.nullShare > 0 });
    }
  });
  return new Table(schema, columns);
}

/**
 * Adapts a neural sampler of working tables to the shared `JointEngine` (which adds PII, ids, shares and exact
 * conditions). Numbers are rounded and clamped by each column's marginal (`finish`); labels map to marginal
 * indices. Conditions: categorical `equals` may steer the model and are then met by rejection, ranges by
 * rejection (the engine gives up with `invalid_argument` after 200·n + 10 000 draws); numeric `equals` are
 * filled in exactly by the shared layer.
 */
export class NeuralEngine implements JointEngine {
  private readonly modelled: Modelled[];

  constructor(models: readonly ColumnModel[], private readonly draw: DrawWorking, private readonly state: () => JsonValue) {
    this.modelled = models.filter((m): m is Modelled => m.kind === 'numeric' || m.kind === 'categorical');
  }

  toJSON(): JsonValue {
    return this.state();
  }

  private values(t: Table): ModelledValues {
    return this.modelled.map((m) => {
      const col = t.column(m.name);
      if (m.kind === 'numeric' && col.storage === 'numeric') {
        const out = new Float64Array(t.numRows);
        for (let i = 0; i < out.length; i++) {
          const v = col.values[i];
          out[i] = v === v ? m.marginal.finish(v) : NaN;
        }
        return out;
      }
      if (m.kind === 'categorical' && col.storage === 'categorical') {
        const map = col.dictionary.map((l) => m.marginal.indexOf(l));
        return Int32Array.from(col.codes, (c) => (c < 0 ? -1 : map[c]));
      }
      throw new SynthopsError('internal', `column "${m.name}": the network's output does not match its column model.`);
    });
  }

  sample(n: number, rng: Rng, conditions: readonly ResolvedCondition[], signal?: AbortSignal): ModelledValues {
    const filters = conditions.filter((c) => c.label !== undefined || c.min !== undefined || c.max !== undefined);
    if (filters.length === 0) {
      const parts: ModelledValues[] = [];
      for (let at = 0, chunk = 0; at < n; at += 1000, chunk++) {
        throwIfAborted(signal);
        parts.push(this.values(this.draw(Math.min(1000, n - at), rng.split(chunk), [])));
      }
      return concat(parts, this.modelled, n);
    }
    const equals = filters.flatMap((c) => {
      const m = this.modelled[c.modelled];
      return c.label !== undefined && m.kind === 'categorical' ? [{ column: m.name, value: m.marginal.labels[c.label] }] : [];
    });
    const parts: ModelledValues[] = [];
    let got = 0, drawn = 0;
    const limit = 200 * n + 10000;
    for (let round = 0; got < n; round++) {
      throwIfAborted(signal);
      if (drawn >= limit)
        throw new SynthopsError('invalid_argument', `invalid conditions: only ${got} of ${n} rows matched after ${drawn} draws. The condition is too rare under this model.`);
      const v = this.values(this.draw(2000, rng.split(round), equals));
      drawn += 2000;
      const keep: number[] = [];
      for (let i = 0; i < 2000 && got + keep.length < n; i++) {
        let ok = true;
        for (const c of filters) {
          const x = v[c.modelled][i];
          if (c.label !== undefined) ok = x === c.label;
          else ok = x === x && (c.min === undefined || x >= c.min) && (c.max === undefined || x <= c.max);
          if (!ok) break;
        }
        if (ok) keep.push(i);
      }
      parts.push(v.map((a) => (a instanceof Float64Array ? Float64Array.from(keep, (i) => a[i]) : Int32Array.from(keep, (i) => a[i]))));
      got += keep.length;
    }
    return concat(parts, this.modelled, n);
  }
}

function concat(parts: ModelledValues[], modelled: readonly Modelled[], n: number): ModelledValues {
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
