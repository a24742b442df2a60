import { SynthopsError } from '../../errors.js';
import { MixedSpace, type EncodedRows } from '../../neighbors/mixed-space.js';
import { MixedTree } from '../../neighbors/mixed-tree.js';
import { createRng } from '../../random.js';
import type { Table } from '../../table/table.js';
import type { JsonValue } from '../../json.js';
import type { Metric, MetricInput, MetricResult } from '../metric.js';
import { guarded, skipped } from './guard.js';
import { quasiIdentifiers } from './rare-records.js';
import { meanBootstrapInterval, round, weightedMean } from './stats.js';

const ID = 'attribute-inference@1';

/** Neighbours that vote (categorical) or are averaged (numeric). */
const K = 5;
/** A numeric guess counts as correct within this share of the training range. */
const NUMERIC_TOLERANCE = 0.05;

/** Sensitive values of one column for one table: shared codes (categorical, -1 missing) or raw numbers. */
interface Target { kind: 'categorical' | 'numeric'; values: Int32Array | Float64Array }

function targets(tables: Table[], column: string): Target[] {
  const first = tables[0].column(column);
  if (first.storage === 'numeric') return tables.map((t) => ({ kind: 'numeric', values: t.numeric(column).values }));
  const map = new Map<string, number>();
  return tables.map((t) => {
    const col = t.categorical(column);
    const remap = col.dictionary.map((l) => {
      let c = map.get(l);
      if (c === undefined) map.set(l, (c = map.size));
      return c;
    });
    return { kind: 'categorical', values: Int32Array.from(col.codes, (c) => (c < 0 ? -1 : remap[c])) };
  });
}

/** Per target row: 1 when the k-NN guess from the attacker's data is right. */
function attack(tree: MixedTree, queries: EncodedRows, known: Target, truth: Target, tol: number, signal?: AbortSignal): Float64Array {
  const nn = tree.knn(queries, signal ? { k: K, signal } : { k: K });
  const out = new Float64Array(queries.numRows);
  const kv = known.values, tv = truth.values;
  for (let i = 0; i < out.length; i++) {
    const o = i * K;
    if (known.kind === 'categorical') {
      let best = -2, bestVotes = 0;
      for (let a = 0; a < K; a++) {
        const r = nn.indices[o + a];
        if (r < 0) break;
        const v = kv[r];
        let votes = 0;
        for (let b = 0; b < K; b++) { const r2 = nn.indices[o + b]; if (r2 >= 0 && kv[r2] === v) votes++; }
        if (votes > bestVotes) { bestVotes = votes; best = v; } // ties: the nearer label wins
      }
      out[i] = best === tv[i] ? 1 : 0;
    } else {
      let s = 0, m = 0;
      for (let a = 0; a < K; a++) { const r = nn.indices[o + a]; if (r >= 0 && kv[r] === kv[r]) { s += kv[r]; m++; } }
      const t = tv[i];
      out[i] = t !== t ? (m === 0 ? 1 : 0) : m > 0 && Math.abs(s / m - t) <= tol ? 1 : 0;
    }
  }
  return out;
}

/** Accuracy of guessing one value for everyone (the attacker's most frequent label, or median), with no QIs. */
function baseline(known: Target, truth: Target, tol: number): number {
  const kv = known.values, tv = truth.values;
  let guess: number;
  if (known.kind === 'categorical') {
    const counts = new Map<number, number>();
    for (let i = 0; i < kv.length; i++) counts.set(kv[i], (counts.get(kv[i]) ?? 0) + 1);
    guess = -1; let top = -1;
    for (const [v, c] of counts) if (c > top || (c === top && v < guess)) { top = c; guess = v; }
    let ok = 0;
    for (let i = 0; i < tv.length; i++) if (tv[i] === guess) ok++;
    return tv.length ? ok / tv.length : NaN;
  }
  const present = Float64Array.from(Array.from(kv).filter((x) => x === x)).sort();
  guess = present.length ? present[present.length >> 1] : NaN;
  let ok = 0;
  for (let i = 0; i < tv.length; i++) {
    const t = tv[i];
    if (t !== t ? guess !== guess : Math.abs(guess - t) <= tol) ok++;
  }
  return tv.length ? ok / tv.length : NaN;
}

/** Attacker advantage over the baseline, in [0, 1]: 0 = QIs tell nothing more, 1 = every guess right. */
export function inferenceAdvantage(accuracy: number, base: number): number {
  if (!(base < 1)) return 0;
  return Math.min(1, Math.max(0, (accuracy - base) / (1 - base)));
}

/**
 * Attribute inference on the columns the user marks sensitive (`input.sensitive`), given quasi-identifiers
 * (`input.quasiIdentifiers`, default every other non-identifier column). The attacker knows a training member's
 * quasi-identifiers and guesses the sensitive value from the released data with a 5-nearest-neighbour vote (numeric:
 * the mean; correct within 5% of the training range), exact Gower search over the full tables.
 *
 * - advantage = (accuracy − baseline) / (1 − baseline), clamped to [0, 1]; baseline = guessing the released data's
 *   most frequent value (median for numbers) for everyone.
 * - `score` = 1 − advantage on training members with the synthetic data released; the worst sensitive column counts.
 *   1 = the synthetic data let no better guess than the baseline.
 * - `reference` = the same when a real holdout is released instead (what any real sample of the population gives:
 *   inference from general patterns, not from memorised people). Score ≥ reference means no extra leakage.
 * - `interval`: bootstrap over all training rows of the worst column's score (200 resamples of n rows).
 * - `details.columns[]`: per column `accuracy`, `baseline`, `advantage`, `referenceAccuracy`, `referenceAdvantage`,
 *   `nonMemberAccuracy` (synthetic data against holdout rows) and `memberGap` (members − non-members accuracy: > 0
 *   hints at memorisation). Skipped when no column is marked sensitive.
 *
 * @example attributeInference.compute({ real, synthetic, holdout, schema, seed: 1, sensitive: ['income'] })
 */
export const attributeInference: Metric = {
  info: {
    id: ID,
    name: 'Attribute inference',
    category: 'privacy',
    goal: 'minimize',
    range: [0, 1],
    appliesTo: [],
    description:
      'How much better than a blind guess an attacker infers a sensitive column of a training member from the quasi-identifiers ' +
      'using the synthetic data. Score 1 = no better than guessing; compare with the reference (a real holdout released instead).',
  },
  compute: (input: MetricInput): MetricResult =>
    guarded(ID, () => {
      const sensitive = input.sensitive ?? [];
      if (!sensitive.length) return skipped(ID, 'No column is marked sensitive: attribute inference needs at least one (sensitive columns).');
      const bad = sensitive.filter((c) => !input.real.has(c) || !input.synthetic.has(c) || (input.holdout && !input.holdout.has(c)));
      if (bad.length) throw new SynthopsError('invalid_argument', `invalid sensitive columns: ${bad.join(', ')}. They must be columns of the training, synthetic and holdout data.`);
      if (input.real.numRows === 0 || input.synthetic.numRows === 0) return skipped(ID, 'Attribute inference needs training and synthetic rows.');
      const rng = createRng(input.seed, ID);
      const perColumn: JsonValue[] = [];
      let worst = Infinity, worstRef = Infinity, worstCorrect: Float64Array | null = null, worstBase = 0;
      for (const s of sensitive) {
        const qi = quasiIdentifiers(input).filter((c) => c !== s && !sensitive.includes(c));
        if (!qi.length) throw new SynthopsError('invalid_argument', `invalid quasi-identifiers for ${s}: none left. Give at least one column that is not sensitive.`);
        const space = MixedSpace.fromTable(input.real, { columns: qi });
        const tr = space.encode(input.real, 'training data');
        const sy = space.encode(input.synthetic, 'synthetic data');
        const tables = [input.real, input.synthetic, ...(input.holdout ? [input.holdout] : [])];
        const [tT, tS, tH] = targets(tables, s);
        let tol = 0;
        if (tT.kind === 'numeric') {
          const [lo, hi] = input.real.numeric(s).extent();
          tol = Number.isFinite(hi - lo) ? NUMERIC_TOLERANCE * (hi - lo) : 0;
        }
        const synTree = MixedTree.build(space, sy);
        const correct = attack(synTree, tr, tS, tT, tol, input.signal);
        const acc = weightedMean(correct);
        const base = baseline(tS, tT, tol);
        const adv = inferenceAdvantage(acc, base);
        const entry: Record<string, JsonValue> = { column: s, accuracy: round(acc), baseline: round(base), advantage: round(adv) };
        let refScore = NaN;
        if (input.holdout && tH && input.holdout.numRows > 0) {
          const ho = space.encode(input.holdout, 'holdout data');
          const refAcc = weightedMean(attack(MixedTree.build(space, ho), tr, tH, tT, tol, input.signal));
          const refAdv = inferenceAdvantage(refAcc, baseline(tH, tT, tol));
          const nonMember = weightedMean(attack(synTree, ho, tS, tH, tol, input.signal));
          Object.assign(entry, { referenceAccuracy: round(refAcc), referenceAdvantage: round(refAdv), nonMemberAccuracy: round(nonMember), memberGap: round(acc - nonMember) });
          refScore = 1 - refAdv;
        }
        perColumn.push(entry);
        if (1 - adv < worst) { worst = 1 - adv; worstCorrect = correct; worstBase = base; }
        if (refScore < worstRef) worstRef = refScore;
      }
      const wc = worstCorrect!;
      const interval = meanBootstrapInterval(wc, rng, (m) => 1 - inferenceAdvantage(m, worstBase));
      return {
        metric: ID,
        status: 'ok',
        score: worst,
        ...(Number.isFinite(worstRef) ? { reference: worstRef } : {}),
        ...(interval ? { interval } : {}),
        details: { columns: perColumn, neighbours: K, numericTolerance: NUMERIC_TOLERANCE },
        warnings: input.holdout ? [] : ['No holdout given: no "as good as real" reference for attribute inference.'],
      };
    }),
};
