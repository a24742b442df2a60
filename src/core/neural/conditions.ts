import { SynthopsError } from '../errors.js';
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
