import { SynthopsError, throwIfAborted } from '../errors.js';
import type { Rng } from '../random.js';
import type { Condition } from '../synth/synthesizer.js';
import type { Schema } from '../table/schema.js';
import type { Table } from '../table/table.js';

/**
 * Checks sampling conditions against a schema (every issue at once) and returns a row predicate for a table
 * of that schema: true when row i meets every `equals` and `range` condition. `shares` conditions are handled
 * by the caller (one `equals` pass per category); they are ignored by the predicate.
 * @example const keep = conditionPredicate(schema, [{ column: 'sex', equals: 'Female' }]); keep(table, 0);
 */
export function conditionPredicate(schema: Schema, conditions: readonly Condition[]): (t: Table, i: number) => boolean {
  const names = new Set(schema.columns.map((c) => c.name));
  for (const c of conditions)
    if (!names.has(c.column)) throw new SynthopsError('invalid_argument', `invalid condition column: "${c.column}". It is not in the fitted schema.`, { column: c.column });
  const checks: ((t: Table, i: number) => boolean)[] = [];
  for (const c of conditions) {
    if ('equals' in c) {
      const want = c.equals;
      checks.push((t, i) => {
        const v = t.get(i, c.column);
        return typeof want === 'number' ? v === want : v === want;
      });
    } else if ('range' in c) {
      const { min = -Infinity, max = Infinity } = c.range;
      checks.push((t, i) => {
        const v = t.get(i, c.column);
        return typeof v === 'number' && v >= min && v <= max;
      });
    }
  }
  return (t, i) => checks.every((f) => f(t, i));
}

/**
 * Splits `n` rows over categories in proportion to `shares` (largest remainders; deterministic).
 * @example splitShares(10, { a: 0.5, b: 0.5 }) // [['a', 5], ['b', 5]]
 */
export function splitShares(n: number, shares: Record<string, number>): [string, number][] {
  const entries = Object.entries(shares);
  const total = entries.reduce((s, [, w]) => s + (w > 0 ? w : 0), 0);
  if (!(total > 0)) throw new SynthopsError('invalid_argument', 'invalid shares: they must contain a positive number.');
  const raw = entries.map(([k, w]) => [k, (n * Math.max(0, w)) / total] as const);
  const out = raw.map(([k, v]) => [k, Math.floor(v)] as [string, number]);
  let left = n - out.reduce((s, [, v]) => s + v, 0);
  const order = raw.map(([, v], i) => [v - Math.floor(v), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i][1]++;
    left--;
  }
  return out;
}

/** Draws `n` rows from a model; `equals` lists the categorical `equals` conditions the model may steer towards. */
export type DrawRows = (n: number, rng: Rng, equals: readonly { column: string; value: string }[]) => Table;

/**
 * Sampling with conditions for neural synthesizers: unconditional rows in chunks of 1000 (each from its own
 * stream), `equals` / `range` by rejection (the model may steer towards `equals` first; gives up with
 * `invalid_argument` after 200·n + 10 000 draws), one `shares` condition by one pass per category, shuffled.
 * Deterministic in (rng, n, conditions).
 * @example sampleConditioned(schema, 100, [{ column: 'sex', equals: 'Female' }], rng, draw, signal);
 */
export function sampleConditioned(schema: Schema, n: number, conditions: readonly Condition[], rng: Rng, draw: DrawRows, signal?: AbortSignal): Table {
  if (!Number.isInteger(n) || n < 0) throw new SynthopsError('invalid_argument', `invalid rows: ${n}. Pass a whole number ≥ 0.`);
  const concat = (parts: Table[]): Table => (parts.length === 1 ? parts[0] : parts[0].concat(...parts.slice(1)));
  if (conditions.length === 0) {
    const parts: Table[] = [];
    for (let at = 0, chunk = 0; at < n || chunk === 0; at += 1000, chunk++) {
      throwIfAborted(signal);
      parts.push(draw(Math.min(1000, n - at), rng.split(chunk), []));
      if (n === 0) break;
    }
    return concat(parts);
  }
  const matching = (k: number, conds: readonly Condition[], r: Rng): Table => {
    const keep = conditionPredicate(schema, conds);
    const equals = conds.flatMap((c) => ('equals' in c && typeof c.equals === 'string' ? [{ column: c.column, value: c.equals }] : []));
    const parts: Table[] = [];
    let got = 0, drawn = 0;
    const limit = 200 * k + 10000;
    for (let round = 0; got < k || round === 0; round++) {
      throwIfAborted(signal);
      if (drawn >= limit)
        throw new SynthopsError('invalid_argument', `invalid conditions: only ${got} of ${k} rows matched after ${drawn} draws. The condition is too rare under this model.`);
      const t = draw(2000, r.split(round), equals);
      drawn += 2000;
      const ok = t.filter((i) => keep(t, i));
      const take = Math.min(ok.numRows, k - got);
      parts.push(ok.slice(0, take));
      got += take;
    }
    return concat(parts);
  };
  const shares = conditions.filter((c): c is Extract<Condition, { shares: unknown }> => 'shares' in c);
  const rest = conditions.filter((c) => !('shares' in c));
  if (shares.length > 1) throw new SynthopsError('invalid_argument', 'invalid conditions: at most one `shares` condition is supported.');
  if (shares.length === 0) return matching(n, rest, rng);
  conditionPredicate(schema, conditions);
  const parts = splitShares(n, shares[0].shares)
    .filter(([, k]) => k > 0)
    .map(([label, k], i) => matching(k, [...rest, { column: shares[0].column, equals: label }], rng.split(`share:${i}`)));
  if (parts.length === 0) return draw(0, rng, []);
  const all = concat(parts);
  return all.take(rng.split('shuffle').permutation(all.numRows));
}
