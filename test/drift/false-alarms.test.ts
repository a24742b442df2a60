import { describe, expect, it } from 'vitest';
import { detectDrift } from '../../src/core/drift/detect.js';
import { profileTable } from '../../src/core/profile/profile.js';
import { createRng } from '../../src/core/random.js';
import { NumericColumn } from '../../src/core/table/column.js';
import { loadShared } from '../helpers/datasets.js';

// The one full-size check: two random halves of a 1,000,000-row table never drift under the defaults.
describe('false alarms at a million rows', () => {
  it('two random halves of 1,000,000 rows (adult resampled, plus noise columns) flag no column', async () => {
    const adult = await loadShared('adult');
    const n = 1_000_000;
    const rng = createRng(2026);
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = rng.int(adult.numRows);
    let t = adult.take(idx);
    // Continuous columns with every value distinct, where a p-value test would be most trigger-happy.
    const noise = new Float64Array(n), heavy = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      noise[i] = rng.normal();
      heavy[i] = rng.next() < 0.05 ? NaN : Math.exp(2 * rng.normal());
    }
    t = t.withColumn({ name: 'noise', type: 'numerical', nullable: false }, new NumericColumn(noise));
    t = t.withColumn({ name: 'heavy', type: 'numerical', nullable: true }, new NumericColumn(heavy));
    const perm = rng.permutation(n);
    const a = profileTable(t.take(perm.subarray(0, n / 2)));
    const b = profileTable(t.take(perm.subarray(n / 2)));
    const r = detectDrift(a, b);
    expect(r.dataset.compared).toBe(17);
    expect(r.columns.filter((c) => c.drifted).map((c) => c.column)).toEqual([]);
    // The margin: every default distance sits far below its threshold of 0.1.
    for (const c of r.columns) for (const x of c.tests) if (x.statistic === 'distance') expect(x.value).toBeLessThan(0.02);
  }, 60_000);
});
