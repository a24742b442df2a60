import { SynthopsError } from '../errors.js';
import type { Condition } from './synthesizer.js';
import type { ColumnModel } from './transforms/column-model.js';

/**
 * A condition resolved against the fitted column models: which modelled column, and the allowed range in
 * that column's u-space (the marginal's cumulative probability). `value` is the exact number for a numeric
 * `equals`; `label` the label index for a categorical `equals`.
 */
export interface ResolvedCondition {
  /** Index among the modelled columns. */
  modelled: number;
  column: string;
  uLo: number;
  uHi: number;
  value?: number;
  label?: number;
  min?: number;
  max?: number;
}

/**
 * Parses CLI condition text `col=value` (the first `=` splits; the value may contain `=`), e.g. `income=>50K`.
 * Throws `invalid_argument` for text without `=`.
 */
export function parseCondition(text: string): Condition {
  const i = text.indexOf('=');
  if (i <= 0) throw new SynthopsError('invalid_argument', `invalid condition: "${text}". Write column=value, e.g. income=>50K.`);
  return { column: text.slice(0, i), equals: text.slice(i + 1) };
}

/**
 * Parses `--rebalance col` (equal shares over the column's categories) or `col=a:0.5,b:0.5`.
 * Labels may contain `:`; the last `:` of each item splits label and share.
 */
export function parseRebalance(text: string, labelsOf: (column: string) => readonly string[]): Condition {
  const i = text.indexOf('=');
  const column = i < 0 ? text : text.slice(0, i);
  const shares: Record<string, number> = {};
  if (i < 0) {
    const labels = labelsOf(column);
    for (const l of labels) shares[l] = 1 / labels.length;
  } else {
    for (const item of text.slice(i + 1).split(',')) {
      const k = item.lastIndexOf(':');
      const share = Number(item.slice(k + 1));
      if (k <= 0 || !(share >= 0) || !Number.isFinite(share))
        throw new SynthopsError('invalid_argument', `invalid rebalance share: "${item}". Write label:share, e.g. >50K:0.5.`, { column });
      shares[item.slice(0, k)] = share;
    }
  }
  return { column, shares };
}

/**
 * Resolves `equals` and `range` conditions (not `shares`; split those first with {@link splitShares}) against
 * fitted column models. Errors name the column: unknown column, a column that is generated (PII, id), a label
 * not among the synthesizer's categories (including rare categories merged away for privacy), a number
 * outside the protected range.
 */
export function resolveConditions(conditions: readonly Condition[], models: readonly ColumnModel[]): ResolvedCondition[] {
  const modelledIndex = new Map<string, number>();
  let mi = 0;
  for (const m of models) if (m.kind === 'numeric' || m.kind === 'categorical') modelledIndex.set(m.name, mi++);
  const seen = new Set<string>();
  return conditions.map((c) => {
    const m = models.find((x) => x.name === c.column);
    if (!m) throw new SynthopsError('not_found', `invalid condition column: "${c.column}". No such column; columns are ${models.map((x) => `"${x.name}"`).join(', ')}.`, { column: c.column });
    if (seen.has(c.column)) throw new SynthopsError('invalid_argument', 'invalid condition: the column is conditioned twice. Give one condition per column.', { column: c.column });
    seen.add(c.column);
    if (m.kind !== 'numeric' && m.kind !== 'categorical')
      throw new SynthopsError('invalid_argument', `invalid condition column: it is a ${m.kind} column, generated without a model, so it cannot be conditioned on.`, { column: c.column });
    const modelled = modelledIndex.get(m.name)!;
    if ('shares' in c) throw new SynthopsError('internal', 'shares must be split before resolving.');
    if (m.kind === 'categorical') {
      if (!('equals' in c)) throw new SynthopsError('invalid_argument', 'invalid condition: a range applies to numeric columns only. Use column=label.', { column: c.column });
      const label = m.marginal.indexOf(String(c.equals));
      if (label < 0)
        throw new SynthopsError(
          'invalid_argument',
          `invalid condition value: not one of the column's ${m.marginal.labels.length} categories (categories with fewer than k training rows are merged for privacy).`,
          { column: c.column },
        );
      const [uLo, uHi] = m.marginal.interval(label);
      return { modelled, column: c.column, uLo, uHi, label };
    }
    if ('equals' in c) {
      const v = typeof c.equals === 'number' ? c.equals : Number(c.equals);
      if (!Number.isFinite(v)) throw new SynthopsError('invalid_argument', 'invalid condition value: not a number, and the column is numeric.', { column: c.column });
      const iv = m.marginal.cdfInterval(v);
      if (!iv) throw new SynthopsError('invalid_argument', `invalid condition value: outside the column's protected range [${m.marginal.min}, ${m.marginal.max}].`, { column: c.column });
      return { modelled, column: c.column, uLo: iv[0], uHi: iv[1], value: v };
    }
    const { min, max } = c.range;
    if ((min !== undefined && !Number.isFinite(min)) || (max !== undefined && !Number.isFinite(max)) || (min !== undefined && max !== undefined && min > max))
      throw new SynthopsError('invalid_argument', 'invalid condition range: min and max must be finite numbers with min ≤ max.', { column: c.column });
    const [uLo, uHi] = m.marginal.rangeInterval(min, max);
    if (!(uHi > uLo)) throw new SynthopsError('invalid_argument', 'invalid condition range: it holds no probability under the fitted model.', { column: c.column });
    return { modelled, column: c.column, uLo, uHi, min, max };
  });
}

/**
 * Splits a request with `shares` conditions into groups of plain `equals` conditions with row counts
 * (largest-remainder rounding, so counts add up to n exactly). At most one `shares` condition.
 */
export function splitShares(n: number, conditions: readonly Condition[]): { n: number; conditions: Condition[] }[] {
  const sharesConds = conditions.filter((c) => 'shares' in c);
  const rest = conditions.filter((c) => !('shares' in c));
  if (!sharesConds.length) return [{ n, conditions: rest }];
  if (sharesConds.length > 1) throw new SynthopsError('invalid_argument', 'invalid conditions: more than one rebalanced column. Rebalance one column at a time.');
  const sc = sharesConds[0] as { column: string; shares: Record<string, number> };
  const entries = Object.entries(sc.shares).filter(([, s]) => s > 0);
  const total = entries.reduce((a, [, s]) => a + s, 0);
  if (!entries.length || !(total > 0) || !Number.isFinite(total))
    throw new SynthopsError('invalid_argument', 'invalid rebalance shares: give at least one positive finite share.', { column: sc.column });
  const exact = entries.map(([, s]) => (s / total) * n);
  const counts = exact.map(Math.floor);
  let left = n - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let j = 0; left > 0; j++, left--) counts[order[j % order.length][1]]++;
  return entries.map(([label], i) => ({ n: counts[i], conditions: [...rest, { column: sc.column, equals: label }] })).filter((g) => g.n > 0);
}
