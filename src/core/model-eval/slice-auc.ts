/**
 * ROC AUC of a binary classifier per slice group, for every grouping of a slice report at once, with bootstrap
 * resamples that never re-sort rows.
 *
 * Rows are reduced once to keys (score block, crossing cell, outcome) sorted by score block: a block is one distinct
 * score (exact keys, for the point figures) or a bucket of adjacent distinct scores with about equal row counts
 * (bucketed keys, for resamples; a score is never split between buckets). A grouping maps each crossing cell to one of
 * its groups, so one pass over the keys in block order gives every group's Mann–Whitney sum:
 * AUC_g = Σ_blocks pos_b,g · (neg below b in g + ½ · neg_b,g) / (P_g · N_g), ties counting one half.
 * A Poisson bootstrap resample is one Poisson(count) weight per key. Cost: the distinct-score ranks (one sort of the
 * scores, shared with the overall score metrics), O(n) for the keys, then O(keys · groupings) per resample, with at
 * most `buckets × cells × 2` bucketed keys.
 */
import type { Rng } from '../random.js';
import { poissonCounts } from './bootstrap.js';
import { distinctScores, type DistinctScores } from './score-pass.js';

/** Keys sorted by block, with their row counts. */
export interface SliceAucKeys {
  block: Int32Array;
  cell: Int32Array;
  pos: Uint8Array;
  mult: Float64Array;
}

/** Each row's rank among the distinct scores (0 = lowest), and the row count of each distinct score. */
export interface ScoreRanks {
  rank: Int32Array;
  perRank: Float64Array;
}

/** Ranks from `distinctScores` called with a `rank` array (the overall score pass already sorted the scores). */
export function ranksFrom(d: DistinctScores, rank: Int32Array): ScoreRanks {
  return { rank, perRank: Float64Array.from(d.uniq, (_, u) => d.cnt[2 * u] + d.cnt[2 * u + 1]) };
}

/** Distinct-score ranks of rows (through `distinctScores`: one native sort of a copy, one binary search per row). */
export function scoreRanks(score: Float64Array): ScoreRanks {
  const rank = new Int32Array(score.length);
  return ranksFrom(distinctScores(score, new Uint8Array(score.length), rank), rank);
}

/**
 * Keys of rows (distinct-score ranks `ranks`, outcomes `isPos`, crossing cells `cell` in 0…numCells−1), sorted by
 * block. `buckets` = Infinity: one key per row in score order, each distinct score its own block (exact). Otherwise
 * distinct scores are merged into at most `buckets` blocks of about equal row counts and rows are counted per
 * (block, cell, outcome) in a dense array of buckets × numCells × 2 entries. O(n + distinct scores) either way.
 * @example sliceAucKeys(scoreRanks(scores), isPos, cross.codes, cross.numGroups, 256)
 */
export function sliceAucKeys(ranks: ScoreRanks, isPos: Uint8Array, cell: Int32Array, numCells: number, buckets = Infinity): SliceAucKeys {
  const n = isPos.length, u = ranks.perRank.length, rank = ranks.rank;
  if (!(buckets < u)) {
    // Rows in rank order (a counting sort): one key per row.
    const start = new Int32Array(u + 1);
    for (let d = 0; d < u; d++) start[d + 1] = start[d] + ranks.perRank[d];
    const out: SliceAucKeys = { block: new Int32Array(n), cell: new Int32Array(n), pos: new Uint8Array(n), mult: new Float64Array(n).fill(1) };
    for (let i = 0; i < n; i++) {
      const t = start[rank[i]]++;
      out.block[t] = rank[i];
      out.cell[t] = cell[i];
      out.pos[t] = isPos[i];
    }
    return out;
  }
  // Distinct score d goes to bucket ⌊(rows with a lower score) · buckets / n⌋: ascending, ties together.
  const toBucket = new Int32Array(u);
  let below = 0;
  for (let d = 0; d < u; d++) {
    toBucket[d] = Math.floor((below * buckets) / n);
    below += ranks.perRank[d];
  }
  const counts = new Float64Array(buckets * numCells * 2);
  for (let i = 0; i < n; i++) counts[(toBucket[rank[i]] * numCells + cell[i]) * 2 + isPos[i]]++;
  let m = 0;
  for (let k = 0; k < counts.length; k++) if (counts[k] > 0) m++;
  const out: SliceAucKeys = { block: new Int32Array(m), cell: new Int32Array(m), pos: new Uint8Array(m), mult: new Float64Array(m) };
  let j = 0;
  for (let k = 0; k < counts.length; k++) {
    if (counts[k] === 0) continue;
    const o = k & 1, rest = k >>> 1;
    out.pos[j] = o;
    out.cell[j] = rest % numCells;
    out.block[j] = (rest - out.cell[j]) / numCells;
    out.mult[j++] = counts[k];
  }
  return out;
}

/**
 * AUC per group of one grouping (`groupOf[cell]`, `numGroups` groups) from keys weighted by `w` (default the row
 * counts); NaN where a group has no positive or no negative weight. O(keys + groups).
 */
export function groupAuc(keys: SliceAucKeys, groupOf: Int32Array, numGroups: number, w: Float64Array = keys.mult): Float64Array {
  const negBelow = new Float64Array(numGroups), posTot = new Float64Array(numGroups), auc = new Float64Array(numGroups);
  const posBlk = new Float64Array(numGroups), negBlk = new Float64Array(numGroups);
  const touched = new Int32Array(numGroups), mark = new Uint8Array(numGroups);
  let nt = 0;
  const flush = () => {
    for (let t = 0; t < nt; t++) {
      const g = touched[t];
      auc[g] += posBlk[g] * (negBelow[g] + 0.5 * negBlk[g]);
      negBelow[g] += negBlk[g];
      posTot[g] += posBlk[g];
      posBlk[g] = negBlk[g] = 0;
      mark[g] = 0;
    }
    nt = 0;
  };
  const { block, cell, pos } = keys;
  let cur = -1;
  for (let j = 0; j < block.length; j++) {
    const wj = w[j];
    if (wj === 0) continue;
    if (block[j] !== cur) {
      flush();
      cur = block[j];
    }
    const g = groupOf[cell[j]];
    if (!mark[g]) {
      mark[g] = 1;
      touched[nt++] = g;
    }
    if (pos[j]) posBlk[g] += wj;
    else negBlk[g] += wj;
  }
  flush();
  for (let g = 0; g < numGroups; g++) {
    const p = posTot[g], q = negBelow[g]; // after the last block, negBelow is the group's negative total
    auc[g] = p > 0 && q > 0 ? auc[g] / (p * q) : NaN;
  }
  return auc;
}

/**
 * Per-slice AUC for a bootstrap: exact point figures, and per resample the bucketed figures shifted by
 * (exact − bucketed point) so each interval is centred on the exact value (as the overall score metrics do).
 */
export class SliceAuc {
  private readonly exact: Float64Array[];
  private readonly shift: Float64Array[];
  private readonly approx: SliceAucKeys;
  private readonly w: Float64Array;

  /**
   * `buckets` is lowered when the crossing has many cells, so the dense bucket counts stay ≤ 2²¹ entries (at least
   * 16 buckets).
   */
  constructor(ranks: ScoreRanks, isPos: Uint8Array, cell: Int32Array, numCells: number, private readonly groupings: readonly { subOf: Int32Array; numGroups: number }[], buckets: number) {
    const exactKeys = sliceAucKeys(ranks, isPos, cell, numCells);
    this.exact = groupings.map((g) => groupAuc(exactKeys, g.subOf, g.numGroups));
    const b = Math.min(buckets, Math.max(16, Math.floor(2 ** 20 / numCells)));
    this.approx = b < ranks.perRank.length ? sliceAucKeys(ranks, isPos, cell, numCells, b) : exactKeys;
    this.shift = groupings.map((g, gi) => {
      const a = groupAuc(this.approx, g.subOf, g.numGroups), e = this.exact[gi];
      return a.map((x, j) => e[j] - x);
    });
    this.w = new Float64Array(this.approx.mult.length);
  }

  /** AUC per grouping and group: exact for r < 0, else one Poisson resample drawn from `rng`. */
  figures(r: number, rng: Rng): Float64Array[] {
    if (r < 0) return this.exact;
    const w = poissonCounts(rng, this.approx.mult, this.w);
    return this.groupings.map((g, gi) => {
      const a = groupAuc(this.approx, g.subOf, g.numGroups, w), s = this.shift[gi];
      for (let j = 0; j < a.length; j++) a[j] += s[j];
      return a;
    });
  }
}
