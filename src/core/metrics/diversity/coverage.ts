import { alignTables } from '../aligned.js';
import type { Metric } from '../metric.js';
import { finiteMean, round6, runGuarded, skippedResult } from '../run-guarded.js';
import { meanOverColumns, weightedColumns } from '../fidelity/weighted-columns.js';

const CAT = 'category-coverage@1';
const RANGE = 'range-coverage@1';

/**
 * Category coverage: mean over categorical and boolean columns of the share of the real data's categories that
 * appear at least once in the synthetic data. 1 = every real category appears; 0 = none does (mode collapse).
 * @example categoryCoverage.compute({ real, synthetic, schema: real.schema, seed: 1 }).score
 */
export const categoryCoverage: Metric = {
  info: {
    id: CAT,
    name: 'Category coverage',
    category: 'diversity',
    goal: 'maximize',
    range: [0, 1],
    appliesTo: ['categorical', 'boolean'],
    description: 'Whether every category of the real data shows up in the synthetic data: 1 = all do, lower = some are never generated.',
    bootstrap: 'rows',
  },
  compute: (input) =>
    runGuarded(CAT, () => {
      const cols = alignTables([input.real, input.synthetic], ['categorical', 'boolean']);
      if (!cols.length) return skippedResult(CAT, 'No categorical or boolean column.');
      const rows = cols.map((c) => {
        if (c.kind !== 'categorical') return { column: c.name, realCategories: 0, covered: 0, score: NaN };
        const inReal = new Uint8Array(c.levels), inSynth = new Uint8Array(c.levels);
        for (const k of c.codes[0]) if (k >= 0) inReal[k] = 1;
        for (const k of c.codes[1]) if (k >= 0) inSynth[k] = 1;
        let total = 0, covered = 0;
        for (let k = 0; k < c.levels; k++) {
          total += inReal[k];
          covered += inReal[k] & inSynth[k];
        }
        return { column: c.name, realCategories: total, covered, score: total ? covered / total : NaN };
      });
      return { metric: CAT, status: 'ok', score: finiteMean(rows.map((r) => r.score)), details: { columns: rows.map((r) => ({ ...r, score: round6(r.score) })) }, warnings: [] };
    }),
  // Categories drawn in the resample = non-zero weighted counts.
  computeWeighted: (input, w) => {
    const wc = weightedColumns(input.real, input.synthetic);
    return (
      wc &&
      meanOverColumns(wc, w, ['categorical', 'boolean'], (s) => {
        if (s.kind !== 'categorical') return NaN;
        let total = 0, covered = 0;
        for (let k = 1; k < s.realCounts.length; k++) {
          if (s.realCounts[k] > 0) {
            total++;
            if (s.synthCounts[k] > 0) covered++;
          }
        }
        return total ? covered / total : NaN;
      })
    );
  },
};

/**
 * Range coverage: mean over numerical and datetime columns of the share of the real [min, max] spanned by the
 * synthetic values (|[min, max]_real ∩ [min, max]_synth| / |[min, max]_real|). 1 = the whole real range is reached;
 * 0 = the synthetic values cover none of it. Constant real columns score 1 when the value is reached.
 * @example rangeCoverage.compute({ real, synthetic, schema: real.schema, seed: 1 }).score
 */
export const rangeCoverage: Metric = {
  info: {
    id: RANGE,
    name: 'Range coverage',
    category: 'diversity',
    goal: 'maximize',
    range: [0, 1],
    appliesTo: ['numerical', 'datetime'],
    description: 'Whether synthetic numbers and dates reach across the whole real range: 1 = from the real minimum to the real maximum.',
    bootstrap: 'rows',
  },
  compute: (input) =>
    runGuarded(RANGE, () => {
      const cols = alignTables([input.real, input.synthetic], ['numerical', 'datetime']);
      if (!cols.length) return skippedResult(RANGE, 'No numerical or datetime column.');
      const rows = cols.map((c) => {
        if (c.kind !== 'numeric') return { column: c.name, score: NaN };
        const [rl, rh] = extent(c.values[0]), [sl, sh] = extent(c.values[1]);
        if (rl !== rl) return { column: c.name, score: NaN };
        if (sl !== sl) return { column: c.name, score: 0 };
        if (rh === rl) return { column: c.name, score: sl <= rl && sh >= rh ? 1 : 0 };
        return { column: c.name, score: Math.max(0, Math.min(rh, sh) - Math.max(rl, sl)) / (rh - rl) };
      });
      return { metric: RANGE, status: 'ok', score: finiteMean(rows.map((r) => r.score)), details: { columns: rows.map((r) => ({ ...r, score: round6(r.score) })) }, warnings: [] };
    }),
  // The resample's extents are the first and last grid values with a non-zero weighted count.
  computeWeighted: (input, w) => {
    const wc = weightedColumns(input.real, input.synthetic);
    return (
      wc &&
      meanOverColumns(wc, w, ['numerical', 'datetime'], (s, g) => {
        if (s.kind !== 'numeric' || !g) return NaN;
        if (s.realLo < 0) return NaN;
        if (s.synthLo < 0) return 0;
        const rl = g.grid[s.realLo], rh = g.grid[s.realHi], sl = g.grid[s.synthLo], sh = g.grid[s.synthHi];
        if (rh === rl) return sl <= rl && sh >= rh ? 1 : 0;
        return Math.max(0, Math.min(rh, sh) - Math.max(rl, sl)) / (rh - rl);
      })
    );
  },
};

function extent(v: Float64Array): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return lo === Infinity ? [NaN, NaN] : [lo, hi];
}
