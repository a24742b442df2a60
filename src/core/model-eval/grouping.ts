/**
 * Groupings of rows for slice metrics: one group per value of a categorical column, per quantile bin of a
 * numeric column, and per observed combination for crossings of columns. Missing values form their own group.
 */
import { SynthopsError } from '../errors.js';
import type { Table } from '../table/table.js';

/** Rows split into groups; `codes[i]` is row i's group (every row has one). */
export interface Grouping {
  /** The columns, e.g. ['sex'] or ['sex', 'race']. */
  columns: string[];
  /** Per group: one plain condition per column, e.g. ['sex = Female', 'age < 28']. */
  conditions: string[][];
  codes: Int32Array;
  numGroups: number;
}

/** Options for `columnGrouping`. */
export interface GroupingOptions {
  /** Numeric columns are cut into this many quantile bins. Default 4. */
  numericBins?: number;
}

/** A plain rendering of a number for conditions (3 significant digits, no exponent for ordinary sizes). */
export function formatEdge(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(3)));
}

/**
 * One group per value of `column` (categorical) or per quantile bin (numeric); missing → "(column) is missing".
 * Throws `invalid_input` when the column is entirely missing (there would be nothing to slice).
 * @example columnGrouping(adult, 'age').conditions // [['age < 28'], ['28 ≤ age < 37'], …]
 */
export function columnGrouping(table: Table, column: string, opts: GroupingOptions = {}): Grouping {
  const c = table.column(column);
  const n = table.numRows;
  const codes = new Int32Array(n);
  const conditions: string[][] = [];
  if (c.storage === 'categorical') {
    const k = c.dictionary.length;
    const used = new Int32Array(k + 1);
    for (let i = 0; i < n; i++) used[c.codes[i] < 0 ? k : c.codes[i]] = 1;
    const remap = new Int32Array(k + 1).fill(-1);
    let g = 0;
    for (let j = 0; j <= k; j++) if (used[j]) {
      remap[j] = g++;
      conditions.push([j === k ? `${column} is missing` : `${column} = ${c.dictionary[j]}`]);
    }
    if (g === 1 && used[k]) throw new SynthopsError('invalid_input', `invalid slice column: "${column}" is missing in every row. Choose a column with values.`, { column });
    for (let i = 0; i < n; i++) codes[i] = remap[c.codes[i] < 0 ? k : c.codes[i]];
    return { columns: [column], conditions, codes, numGroups: g };
  }
  const vals = c.values;
  const finite = Float64Array.from(vals.filter((v) => v === v)).sort();
  if (!finite.length) throw new SynthopsError('invalid_input', `invalid slice column: "${column}" is missing in every row. Choose a column with values.`, { column });
  const bins = Math.max(1, opts.numericBins ?? 4);
  const edges: number[] = [];
  for (let b = 1; b < bins; b++) {
    const raw = finite[Math.min(finite.length - 1, Math.floor((b * finite.length) / bins))];
    const e = Number(formatEdge(raw));
    if (e > finite[0] && (edges.length === 0 || e > edges[edges.length - 1])) edges.push(e);
  }
  const k = edges.length + 1;
  for (let b = 0; b < k; b++) {
    if (k === 1) conditions.push([`${column} is present`]);
    else if (b === 0) conditions.push([`${column} < ${formatEdge(edges[0])}`]);
    else if (b === k - 1) conditions.push([`${column} ≥ ${formatEdge(edges[k - 2])}`]);
    else conditions.push([`${formatEdge(edges[b - 1])} ≤ ${column} < ${formatEdge(edges[b])}`]);
  }
  let anyMissing = false;
  for (let i = 0; i < n; i++) {
    const v = vals[i];
    if (v !== v) { codes[i] = k; anyMissing = true; continue; }
    let b = 0;
    while (b < edges.length && v >= edges[b]) b++;
    codes[i] = b;
  }
  if (anyMissing) conditions.push([`${column} is missing`]);
  return { columns: [column], conditions, codes, numGroups: anyMissing ? k + 1 : k };
}

/**
 * The crossing of two groupings: one group per observed combination (unobserved ones are dropped).
 * @example crossGroupings(sex, race).conditions[0] // ['sex = Female', 'race = Amer-Indian-Eskimo']
 */
export function crossGroupings(a: Grouping, b: Grouping): Grouping {
  const n = a.codes.length;
  const total = a.numGroups * b.numGroups;
  const remap = new Int32Array(total).fill(-1);
  const conditions: string[][] = [];
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const key = a.codes[i] * b.numGroups + b.codes[i];
    let g = remap[key];
    if (g < 0) {
      g = remap[key] = conditions.length;
      conditions.push([...a.conditions[a.codes[i]], ...b.conditions[b.codes[i]]]);
    }
    codes[i] = g;
  }
  // Order groups by (a, b) so output is independent of row order.
  const order = [...conditions.keys()];
  const keyOf = new Int32Array(conditions.length);
  for (let key = 0; key < total; key++) if (remap[key] >= 0) keyOf[remap[key]] = key;
  order.sort((x, y) => keyOf[x] - keyOf[y]);
  const rank = new Int32Array(conditions.length);
  order.forEach((g, r) => (rank[g] = r));
  for (let i = 0; i < n; i++) codes[i] = rank[codes[i]];
  return { columns: [...a.columns, ...b.columns], conditions: order.map((g) => conditions[g]), codes, numGroups: conditions.length };
}

/** Joins a group's conditions into one phrase: "age < 25 and workclass = Private". */
export function describeGroup(conditions: readonly string[]): string {
  return conditions.join(' and ');
}
