import type { CategoricalColumn, NumericColumn } from './column.js';
import { compileDatetimeFormat } from './datetime.js';
import type { ColumnType, PiiKind } from './schema.js';
import type { Table } from './table.js';

/** One column's overview, as `synthops inspect --json` prints it. */
export interface ColumnSummary {
  name: string;
  type: ColumnType;
  /** Share of rows where the value is missing, in [0, 1]. */
  nullShare: number;
  /** Number of distinct non-missing values (exact). */
  distinct: number;
  /** The PII kind, or null when the column is not personal data. */
  pii: PiiKind | null;
  /** numerical: smallest and largest value; datetime: earliest and latest, printed in the column's format. */
  min?: number | string;
  max?: number | string;
  /** categorical/boolean: the most frequent labels with their counts (at most `top`); never for PII columns. */
  top?: { value: string; count: number }[];
}

/**
 * A per-column overview of a table: type, null share, exact distinct count, PII kind, range or top categories.
 * Raw values of PII columns are never included (no min/max/top), nor are values of `id` and `text` columns.
 * O(rows log rows) per numeric column (distinct values are counted on a sorted copy).
 *
 * @example
 * summarizeColumns(table).find((c) => c.name === 'age'); // { name: 'age', type: 'numerical', nullShare: 0, distinct: 73, pii: null, min: 17, max: 90 }
 */
export function summarizeColumns(table: Table, opts: { top?: number } = {}): ColumnSummary[] {
  const topN = opts.top ?? 3;
  const n = table.numRows;
  return table.schema.columns.map((spec, j) => {
    const col = table.columns[j];
    const out: ColumnSummary = {
      name: spec.name,
      type: spec.type,
      nullShare: n ? col.nullCount / n : 0,
      distinct: 0,
      pii: spec.pii ?? null,
    };
    if (col.storage === 'numeric') {
      const c = col as NumericColumn;
      const v = new Float64Array(n - c.nullCount);
      let k = 0;
      for (let i = 0; i < n; i++) if (!c.isNull(i) && c.values[i] === c.values[i]) v[k++] = c.values[i];
      const s = v.subarray(0, k).sort();
      let d = k ? 1 : 0;
      for (let i = 1; i < k; i++) if (s[i] !== s[i - 1]) d++;
      out.distinct = d;
      if (k && !spec.pii) {
        if (spec.type === 'datetime') {
          const f = compileDatetimeFormat(!spec.format || spec.format === 'iso' ? 'YYYY-MM-DDTHH:mm:ss.SSSZ' : spec.format);
          out.min = f.format(s[0]);
          out.max = f.format(s[k - 1]);
        } else {
          out.min = s[0];
          out.max = s[k - 1];
        }
      }
    } else {
      const c = col as CategoricalColumn;
      const counts = c.counts();
      out.distinct = counts.reduce((a, x) => a + (x > 0 ? 1 : 0), 0);
      if (!spec.pii && (spec.type === 'categorical' || spec.type === 'boolean')) {
        out.top = [...counts.keys()]
          .filter((i) => counts[i] > 0)
          .sort((a, b) => counts[b] - counts[a] || a - b)
          .slice(0, topN)
          .map((i) => ({ value: c.dictionary[i], count: counts[i] }));
      }
    }
    return out;
  });
}
