import type { DataProfile } from '../profile/profile.js';
import { CategoricalColumn, NumericColumn } from '../table/column.js';
import { storageOf } from '../table/schema.js';
import type { Table } from '../table/table.js';

/**
 * Re-types columns of `current` whose inferred type differs from the reference's only because of inference
 * (e.g. small integer codes read as categories on one side and numbers on the other): numbers become labels
 * when the reference holds labels, and labels become numbers when every label is a number and the reference is
 * numerical. Anything else is left alone, so real type changes still surface as `type-changed` findings.
 * @example const cur = alignToReference(await readTable('cur.csv'), refProfile);
 */
export function alignToReference(current: Table, reference: DataProfile): Table {
  let t = current;
  for (const ref of reference.columns) {
    if (!t.has(ref.name)) continue;
    const spec = t.spec(ref.name);
    if (spec.type === ref.type) continue;
    const col = t.column(ref.name);
    const want = storageOf(ref.type);
    if (want === 'categorical' && col.storage === 'numeric' && ref.type !== 'id' && ref.type !== 'text' && spec.type === 'numerical') {
      const labels = Array.from(col.values, (x) => (x === x ? String(x) : null));
      t = t.withColumn({ name: ref.name, type: ref.type, nullable: spec.nullable }, CategoricalColumn.from(labels));
    } else if (want === 'numeric' && ref.type === 'numerical' && col.storage === 'categorical') {
      const nums = col.dictionary.map((x) => (/^\s*-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(x) ? Number(x) : NaN));
      if (nums.some((x) => Number.isNaN(x))) continue;
      const v = new Float64Array(col.length);
      for (let i = 0; i < v.length; i++) v[i] = col.codes[i] < 0 ? NaN : nums[col.codes[i]];
      t = t.withColumn({ name: ref.name, type: 'numerical', nullable: spec.nullable }, new NumericColumn(v));
    }
  }
  return t;
}
