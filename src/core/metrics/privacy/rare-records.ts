import { SynthopsError } from '../../errors.js';
import { MixedSpace } from '../../neighbors/mixed-space.js';
import { createRng } from '../../random.js';
import type { Table } from '../../table/table.js';
import type { Metric, MetricInput, MetricResult } from '../metric.js';
import { guarded, skipped } from './guard.js';
import { privacyContext } from './privacy-context.js';
import { RowHashIndex, type KeyColumn } from './row-hash.js';
import { meanBootstrapInterval, round, weightedMean } from './stats.js';

const ID = 'rare-record-reproduction@1';

/** A quasi-identifier combination seen fewer than this many times in the training data is rare. */
export const RARE_COUNT = 5;

/** The quasi-identifiers a privacy metric uses: the given ones, else every non-identifier, non-sensitive column. */
export function quasiIdentifiers(input: MetricInput): string[] {
  const real = input.real;
  const given = input.quasiIdentifiers;
  if (given && given.length) {
    const bad = given.filter((c) => !real.has(c));
    if (bad.length) throw new SynthopsError('invalid_argument', `invalid quasi-identifiers: ${bad.join(', ')}. They are not columns of the training data.`);
    return [...given];
  }
  const sensitive = new Set(input.sensitive ?? []);
  const pk = real.schema.primaryKey;
  return real.columnNames.filter((c) => c !== pk && real.spec(c).type !== 'id' && !sensitive.has(c));
}

/**
 * True when the quasi-identifiers are exactly the privacy context's distance columns in its order (numeric columns
 * in table order, then categorical ones): then its key columns are the ones this metric would build.
 */
function sameColumns(input: MetricInput, qi: readonly string[]): boolean {
  const real = input.real, pk = real.schema.primaryKey;
  const all = real.columnNames.filter((n) => n !== pk && real.spec(n).type !== 'id');
  const num = (names: readonly string[]) => names.filter((n) => real.column(n).storage === 'numeric');
  const cat = (names: readonly string[]) => names.filter((n) => real.column(n).storage !== 'numeric');
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  return same(num(qi), num(all)) && same(cat(qi), cat(all));
}

function keysOf(space: MixedSpace, table: Table, what: string): KeyColumn[] {
  const enc = space.encode(table, what);
  return [...space.numColumns.map((n) => table.numeric(n).values), ...enc.cat];
}

/**
 * Rare and unique record reproduction. A training row is rare when its quasi-identifier combination occurs fewer
 * than 5 times in the full training data (unique when once): such people are the easiest to single out. Counts the
 * synthetic rows whose quasi-identifiers equal a rare training combination (exact match, missing equals missing).
 *
 * Quasi-identifiers: `input.quasiIdentifiers`, else every column except identifiers and sensitive columns (then a
 * match is a near-copy of a whole record).
 *
 * - `score` = 1 − share of synthetic rows reproducing a rare training combination (1 = none).
 * - `reference` = 1 − the same share for real holdout rows (chance matches of unseen real people).
 * - `interval`: bootstrap over all synthetic rows (200 resamples of n rows, as exact binomial counts).
 * - `details`: `rareMatchShare`, `uniqueMatchShare`, `holdoutRareMatchShare`, `holdoutUniqueMatchShare`,
 *   `rareCombinations`, `uniqueCombinations`, `uniqueReproduced` (distinct unique training records reproduced) and
 *   `uniqueReproducedShare`, `quasiIdentifiers`. Counts only.
 *
 * @example rareRecordReproduction.compute({ real, synthetic, holdout, schema, seed: 1, quasiIdentifiers: ['age', 'sex'] })
 */
export const rareRecordReproduction: Metric = {
  info: {
    id: ID,
    name: 'Rare record reproduction',
    category: 'privacy',
    goal: 'minimize',
    range: [0, 1],
    appliesTo: [],
    description:
      'Share of synthetic rows that reproduce the quasi-identifiers of a rare (fewer than 5) or unique training record; ' +
      'the score is 1 minus that share. Compare with the holdout reference (chance matches of real people).',
  },
  compute: (input: MetricInput): MetricResult =>
    guarded(ID, () => {
      if (input.synthetic.numRows === 0) return skipped(ID, 'Rare-record reproduction needs synthetic rows.');
      const qi = quasiIdentifiers(input);
      // With every column as quasi-identifier (the default without sensitive columns), the keys and the training index
      // are the privacy context's, shared with identical-match; else a space over the quasi-identifiers.
      const ctx = sameColumns(input, qi) ? privacyContext(input.real, input.synthetic, input.holdout) : null;
      const space = ctx ? null : MixedSpace.fromTable(input.real, { columns: qi });
      const index = ctx ? ctx.trainRowIndex() : RowHashIndex.build(keysOf(space!, input.real, 'training data'));
      let rareCombos = 0, uniqueCombos = 0;
      for (let g = 0; g < index.numGroups; g++) {
        if (index.count[g] < RARE_COUNT) rareCombos++;
        if (index.count[g] === 1) uniqueCombos++;
      }
      const scan = (table: Table, what: string, which: 'synth' | 'hold') => {
        const keys = ctx ? ctx.keys(which) : keysOf(space!, table, what);
        const rare = new Float64Array(table.numRows), unique = new Float64Array(table.numRows);
        const seen = new Uint8Array(index.numGroups);
        let uniqueHit = 0;
        for (let i = 0; i < table.numRows; i++) {
          const g = index.lookup(keys, i);
          if (g < 0) continue;
          const c = index.count[g];
          if (c < RARE_COUNT) rare[i] = 1;
          if (c === 1) { unique[i] = 1; if (!seen[g]) { seen[g] = 1; uniqueHit++; } }
        }
        return { rare, unique, uniqueHit };
      };
      const s = scan(input.synthetic, 'synthetic data', 'synth');
      const h = input.holdout ? scan(input.holdout, 'holdout data', 'hold') : null;
      const share = weightedMean(s.rare);
      const interval = meanBootstrapInterval(s.rare, createRng(input.seed, ID), (m) => 1 - m);
      return {
        metric: ID,
        status: 'ok',
        score: s.rare.length ? 1 - share : 1,
        ...(h && h.rare.length ? { reference: 1 - weightedMean(h.rare) } : {}),
        ...(interval ? { interval } : {}),
        details: {
          rareMatchShare: round(share),
          uniqueMatchShare: round(weightedMean(s.unique)),
          holdoutRareMatchShare: h ? round(weightedMean(h.rare)) : null,
          holdoutUniqueMatchShare: h ? round(weightedMean(h.unique)) : null,
          rareThreshold: RARE_COUNT,
          rareCombinations: rareCombos,
          uniqueCombinations: uniqueCombos,
          uniqueReproduced: s.uniqueHit,
          uniqueReproducedShare: uniqueCombos ? round(s.uniqueHit / uniqueCombos) : 0,
          quasiIdentifiers: qi,
        },
        warnings: h ? [] : ['No holdout given: no "as good as real" reference for rare-record reproduction.'],
      };
    }),
};
