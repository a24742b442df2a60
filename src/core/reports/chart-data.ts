import type { AlignedColumn } from '../metrics/aligned.js';
import { quantileCuts } from '../metrics/fidelity/discretise.js';

/** Categories seen fewer times than this in the real data are lumped into "(other)" so no rare value is shown. */
export const MIN_LABEL_COUNT = 10;
/** Most categories drawn per column (the rest are lumped into "(other)"). */
export const MAX_LABELS = 12;

/** Real-versus-synthetic shares of one column, for the report's distribution charts. Aggregates only. */
export interface ColumnChart {
  column: string;
  kind: 'numeric' | 'categorical';
  /** Bin labels (numeric: value ranges on the real data's quantile edges) or category labels seen ≥ MIN_LABEL_COUNT times. */
  labels: string[];
  real: number[];
  synthetic: number[];
}

function fmt(x: number): string {
  return Math.abs(x) >= 1000 || Number.isInteger(x) ? String(Math.round(x)) : x.toPrecision(3);
}

/**
 * Share of rows per bin/category for table 0 (real) and table 1 (synthetic), missing values as "(missing)".
 * Numeric columns use the real data's deciles; only category labels seen at least MIN_LABEL_COUNT times in the
 * real data are named. O(rows) per column.
 * @example columnCharts(alignTables([real, synth]))[0].labels
 */
export function columnCharts(cols: readonly AlignedColumn[]): ColumnChart[] {
  return cols.map((c) => {
    if (c.kind === 'numeric') {
      const cuts = quantileCuts(c.values[0], 10);
      const labels = ['(missing)'];
      for (let k = 0; k <= cuts.length; k++) labels.push(k === 0 ? `≤ ${fmt(cuts[0] ?? NaN)}` : k === cuts.length ? `> ${fmt(cuts[k - 1])}` : `${fmt(cuts[k - 1])}–${fmt(cuts[k])}`);
      if (cuts.length === 0) labels[1] = 'all values';
      const shares = c.values.slice(0, 2).map((v) => {
        const counts = new Float64Array(labels.length);
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          if (x !== x) {
            counts[0]++;
            continue;
          }
          let lo = 0, hi = cuts.length;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (cuts[mid] < x) lo = mid + 1;
            else hi = mid;
          }
          counts[lo + 1]++;
        }
        return Array.from(counts, (k) => (v.length ? k / v.length : 0));
      });
      const keep = labels.map((_, k) => k > 0 || shares[0][0] > 0 || shares[1][0] > 0);
      return { column: c.name, kind: 'numeric', labels: labels.filter((_, k) => keep[k]), real: shares[0].filter((_, k) => keep[k]), synthetic: shares[1].filter((_, k) => keep[k]) };
    }
    const counts = c.codes.slice(0, 2).map((codes) => {
      const k = new Float64Array(c.levels + 1);
      for (let i = 0; i < codes.length; i++) k[codes[i] + 1]++;
      return k;
    });
    const order = Array.from({ length: c.levels }, (_, k) => k).filter((k) => counts[0][k + 1] >= MIN_LABEL_COUNT).sort((a, b) => counts[0][b + 1] - counts[0][a + 1]).slice(0, MAX_LABELS);
    const named = new Set(order);
    const labels = order.map((k) => c.dictionary[k]);
    const share = (t: number) => {
      const n = c.codes[t].length || 1;
      const out = order.map((k) => counts[t][k + 1] / n);
      let other = 0;
      for (let k = 0; k < c.levels; k++) if (!named.has(k)) other += counts[t][k + 1];
      out.push(other / n, counts[t][0] / n);
      return out;
    };
    const real = share(0), synthetic = share(1);
    const all = [...labels, '(other)', '(missing)'];
    const keep = all.map((_, k) => k < labels.length || real[k] > 0 || synthetic[k] > 0);
    return { column: c.name, kind: 'categorical', labels: all.filter((_, k) => keep[k]), real: real.filter((_, k) => keep[k]), synthetic: synthetic.filter((_, k) => keep[k]) };
  });
}
