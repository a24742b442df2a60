import { SynthopsError, throwIfAborted } from '../errors.js';
import { mix32 } from '../random.js';
import type { EncodedRows, MixedSpace } from './mixed-space.js';

/** k nearest neighbours of a block of query rows: row-major `numQueries × k`, ascending distance. */
export interface KnnResult {
  k: number;
  /** First query row covered (`start` of the search). */
  start: number;
  numQueries: number;
  /** Gower distances in [0, 1]; Infinity where the data has fewer than k rows. */
  distances: Float64Array;
  /** Row indices into the indexed data; -1 where the data has fewer than k rows. */
  indices: Int32Array;
  /** Work done: data rows whose distance was computed (brute force would compute numQueries × numRows). */
  rowsScanned: number;
}

/** Options of {@link MixedTree.knn}. */
export interface KnnOptions {
  /** Neighbours per query. Default 1. */
  k?: number;
  /** Skip data row i for query row i (the queries are the indexed table itself: leave-one-out). Default false. */
  excludeSelf?: boolean;
  /**
   * With `excludeSelf`: the data row that query row i is (when the queries are a sample of the indexed rows, e.g.
   * `selfRows[i]` = the sampled row's index). Default: query i is data row i.
   */
  selfRows?: Int32Array;
  /** First query row (for chunking across workers). Default 0. */
  start?: number;
  /** One past the last query row. Default `queries.numRows`. */
  end?: number;
  /**
   * Scan the rows within one categorical mismatch of each query before (or instead of) the tree search. Default true;
   * the results are the same either way (false is for tests and benchmarks).
   */
  nearFirst?: boolean;
  signal?: AbortSignal;
}

/** Options of {@link MixedTree.build}. */
export interface MixedTreeOptions {
  /** Largest leaf (rows scanned by brute force). Default 24. */
  leafSize?: number;
}

/** Categorical columns with more levels than this get no per-node presence set (their bound term is 0). */
const MAX_PRESENCE_LEVELS = 1024;
/**
 * Weight of a numeric column's scaled range against a categorical column's spread when choosing splits. A categorical
 * mismatch adds a whole 1 to the lower bound while a numeric gap adds a fraction, so categorical splits prune more;
 * 0.1 was fastest of 0.05–1 on adult (26k training rows, 6.5k queries: ≈ 4× faster than 1).
 */
const NUMERIC_SPLIT_WEIGHT = 0.1;
/**
 * Largest number of rows one categorical mismatch away from a query that {@link MixedTree.knn} scans before the tree
 * search (more: straight to the tree). On adult the tree search costs about as much as scanning a few hundred rows.
 */
const NEAR_SCAN_ROWS = 256;

/**
 * Exact k-nearest-neighbour index for the Gower distance of a {@link MixedSpace}: a binary space-partitioning tree
 * over mixed columns. Every node keeps, per numeric column, the min / max and whether missing values occur, and per
 * categorical column the set of levels present. For a query that gives a lower bound on the distance to any row in
 * the node (the gap to the interval, or 1 for a level not present), and subtrees whose bound cannot beat the current
 * k-th best are pruned. Leaves are scanned with early abandoning. Results are exact: the same distances as brute
 * force (property-tested), computed in the same column order so even the floating-point sums agree.
 *
 * Before the tree, each query scans the block of data rows with exactly its categorical values (hashed at build time;
 * skipped for blocks larger than max(1024, 4√n)): any row outside that block differs in at least one categorical
 * column, so its distance sum is ≥ 1 column, and when the k-th best inside the block is within that, the tree is
 * not searched at all; otherwise the tree search starts from those candidates and skips the block's rows. Next (for
 * searches with at least rows / 16 queries) come the rows exactly one categorical mismatch away, found through one
 * hash of the rows per categorical column that leaves that column out ({@link NEAR_SCAN_ROWS} at most): every other
 * row's sum is ≥ 2, so when the k-th best sum so far is below 2 and no two of the k best tie, those k are the unique
 * answer and the tree is not searched; otherwise that k-th best bounds the tree search (skipping subtrees whose lower
 * bound exceeds it removes no answer row, and the traversal order is unchanged, so ties resolve exactly as without
 * the scan). On adult (26k training, 32k synthetic rows) this answers about half the queries and cut the report's
 * searches from 8.4 to 6.4 CPU s, identical neighbours.
 *
 * Splits take the column with the largest spread (numeric: 0.1 × scaled range, + 0.5 when it mixes missing and present values; categorical: 1 − share of the most frequent
 * level) at its median, with ties kept on one side. Build O(n·p·depth); a query visits few leaves when data cluster.
 *
 * @example
 * const space = MixedSpace.fromTable(train);
 * const tree = MixedTree.build(space, space.encode(train));
 * const nn = tree.knn(space.encode(synthetic), { k: 2 }); // nn.distances[2*i] = DCR of synthetic row i
 */
export class MixedTree {
  readonly numRows: number;
  private readonly p: number;
  private readonly nNum: number;
  private readonly nCat: number;
  private readonly perm: Int32Array;
  private readonly rowNum: Float64Array;
  private readonly rowCat: Int32Array;
  private readonly nodeStart: Int32Array;
  private readonly nodeEnd: Int32Array;
  private readonly nodeLeft: Int32Array;
  private readonly nodeRight: Int32Array;
  /** Per node and numeric column: min then max (+Infinity / -Infinity when the node has no present value). */
  private readonly nodeBox: Float64Array;
  /** Per node and numeric column: bit 1 = has a missing value, bit 2 = has a present value. */
  private readonly nodeNumFlags: Uint8Array;
  /** Per node: `presenceWords` 32-bit words, bit (levelOffset[j] + code + 1) set when the level occurs below it. */
  private readonly presence: Int32Array;
  private readonly presenceWords: number;
  private readonly levels: Int32Array;
  private readonly levelOffset: Int32Array;
  private readonly totalLevels: number;
  private readonly blocks: CategoricalBlocks | null;
  /**
   * Each row's categorical codes + 1 as bytes, four to a word (`packedWords` words a row), when every column has at
   * most 255 levels (else null): a row's mismatches are counted a word at a time.
   */
  private readonly packed: Int32Array | null;
  /** Built on first use by a large enough search (see {@link nearBlocks}). */
  private near: NearBlocks | undefined;
  readonly numNodes: number;

  private constructor(f: {
    numRows: number; p: number; nNum: number; nCat: number; perm: Int32Array; rowNum: Float64Array; rowCat: Int32Array;
    nodeStart: Int32Array; nodeEnd: Int32Array; nodeLeft: Int32Array; nodeRight: Int32Array; nodeBox: Float64Array;
    nodeNumFlags: Uint8Array; presence: Int32Array; presenceWords: number; levels: Int32Array; levelOffset: Int32Array;
    totalLevels: number; numNodes: number; blocks: CategoricalBlocks | null; packed: Int32Array | null;
  }) {
    this.numRows = f.numRows; this.p = f.p; this.nNum = f.nNum; this.nCat = f.nCat; this.perm = f.perm;
    this.rowNum = f.rowNum; this.rowCat = f.rowCat; this.nodeStart = f.nodeStart; this.nodeEnd = f.nodeEnd;
    this.nodeLeft = f.nodeLeft; this.nodeRight = f.nodeRight; this.nodeBox = f.nodeBox;
    this.nodeNumFlags = f.nodeNumFlags; this.presence = f.presence; this.presenceWords = f.presenceWords; this.levels = f.levels;
    this.levelOffset = f.levelOffset; this.totalLevels = f.totalLevels; this.numNodes = f.numNodes;
    this.blocks = f.blocks;
    this.packed = f.packed;
  }

  /** Builds the index over `data` (encoded in `space`; pass null when only the encoded rows are at hand, e.g. in a worker). */
  static build(space: MixedSpace | null, data: EncodedRows, opts: MixedTreeOptions = {}): MixedTree {
    const leafSize = Math.max(1, Math.floor(opts.leafSize ?? 24));
    const n = data.numRows;
    const nNum = data.num.length, nCat = data.cat.length;
    if (space && (nNum !== space.numColumns.length || nCat !== space.catColumns.length))
      throw new SynthopsError('internal', 'invalid encoded rows: they were not encoded in this space.');
    const p = nNum + nCat;
    const levels = new Int32Array(nCat);
    const levelOffset = new Int32Array(nCat);
    let totalLevels = 0;
    for (let j = 0; j < nCat; j++) {
      let mx = -1;
      const c = data.cat[j];
      for (let i = 0; i < n; i++) if (c[i] > mx) mx = c[i];
      const L = mx + 2; // index 0 = missing, code + 1 otherwise
      levels[j] = L;
      levelOffset[j] = totalLevels;
      if (L <= MAX_PRESENCE_LEVELS) totalLevels += L;
      else levelOffset[j] = -1;
    }

    let cap = Math.max(16, Math.ceil((4 * n) / leafSize));
    let nodeStart = new Int32Array(cap), nodeEnd = new Int32Array(cap), nodeLeft = new Int32Array(cap), nodeRight = new Int32Array(cap);
    const W = (totalLevels + 32) >> 5; // one more bit, never set: the bit of a level the data lacks
    let nodeBox = new Float64Array(cap * 2 * nNum), nodeNumFlags = new Uint8Array(cap * nNum);
    let presence = new Int32Array(cap * W);
    let numNodes = 0;
    const grow = () => {
      const c2 = cap * 2;
      const g32 = (a: Int32Array) => { const b = new Int32Array(c2); b.set(a); return b; };
      nodeStart = g32(nodeStart); nodeEnd = g32(nodeEnd); nodeLeft = g32(nodeLeft); nodeRight = g32(nodeRight);
      const f = new Float64Array(c2 * 2 * nNum); f.set(nodeBox); nodeBox = f;
      const u = new Uint8Array(c2 * nNum); u.set(nodeNumFlags); nodeNumFlags = u;
      const w = new Int32Array(c2 * W); w.set(presence); presence = w;
      cap = c2;
    };

    const perm = new Int32Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    // The rows kept physically in tree order (row-major), so a node's statistics stream over its own slice instead of
    // gathering through perm from all of the data (on 1M rows × 20 columns the gathers' cache misses were ~80% of the
    // build). After each split the node's slice is reordered to match perm; `where` is each row's position.
    const rowNum = new Float64Array(n * nNum);
    const rowCat = new Int32Array(n * nCat);
    for (let j = 0; j < nNum; j++) { const v = data.num[j]; for (let i = 0; i < n; i++) rowNum[i * nNum + j] = v[i]; }
    for (let j = 0; j < nCat; j++) { const c = data.cat[j]; for (let i = 0; i < n; i++) rowCat[i * nCat + j] = c[i]; }
    const where = new Int32Array(n);
    for (let i = 0; i < n; i++) where[i] = i;
    let tmpNum = new Float64Array(0), tmpCat = new Int32Array(0);
    const keys = new Float64Array(n);
    const counts = new Int32Array(Math.max(1, ...Array.from(levels)));
    const spreads = new Float64Array(p);

    // Explicit stack of nodes to fill in (no recursion: skewed splits could be deep).
    const stack: number[] = [];
    const newNode = (s: number, e: number): number => {
      if (numNodes === cap) grow();
      const id = numNodes++;
      nodeStart[id] = s; nodeEnd[id] = e; nodeLeft[id] = -1; nodeRight[id] = -1;
      stack.push(id);
      return id;
    };
    newNode(0, n);
    while (stack.length) {
      const id = stack.pop()!;
      const s = nodeStart[id], e = nodeEnd[id], size = e - s;
      // Bounds and spreads.
      for (let j = 0; j < nNum; j++) {
        let lo = Infinity, hi = -Infinity, miss = 0, pres = 0;
        for (let r = s; r < e; r++) {
          const x = rowNum[r * nNum + j];
          if (x !== x) miss = 1;
          else { pres = 1; if (x < lo) lo = x; if (x > hi) hi = x; }
        }
        nodeBox[(id * nNum + j) * 2] = lo; nodeBox[(id * nNum + j) * 2 + 1] = hi;
        nodeNumFlags[id * nNum + j] = miss | (pres << 1);
        spreads[j] = NUMERIC_SPLIT_WEIGHT * (pres ? Math.min(1, hi - lo) : 0) + (miss && pres ? 0.5 : 0);
      }
      for (let j = 0; j < nCat; j++) {
        const L = levels[j];
        counts.fill(0, 0, L);
        for (let r = s; r < e; r++) counts[rowCat[r * nCat + j] + 1]++;
        let mx = 0;
        for (let l = 0; l < L; l++) if (counts[l] > mx) mx = counts[l];
        spreads[nNum + j] = 1 - mx / size;
        const off = levelOffset[j];
        if (off >= 0) for (let l = 0; l < L; l++) if (counts[l] > 0) presence[id * W + ((off + l) >> 5)] |= 1 << ((off + l) & 31);
      }
      if (size <= leafSize) continue;
      let best = -1, bestSpread = 0;
      for (let j = 0; j < p; j++) if (spreads[j] > bestSpread) { bestSpread = spreads[j]; best = j; }
      if (best < 0) continue; // every row identical on every column
      // Keys of the split column: numeric missing sorts last; categorical by code (missing = -1 first).
      if (best < nNum) { for (let r = s; r < e; r++) { const x = rowNum[r * nNum + best]; keys[r] = x !== x ? Infinity : x; } }
      else { const jc = best - nNum; for (let r = s; r < e; r++) keys[r] = rowCat[r * nCat + jc]; }
      const mid = s + (size >> 1);
      select(keys, perm, s, e, mid);
      const [lt, gt] = partition3(keys, perm, s, e, keys[mid]);
      // Keep ties on one side: split before or after the run equal to the median, whichever is more balanced.
      const c1 = lt > s ? lt : -1, c2 = gt < e ? gt : -1;
      let m: number;
      if (c1 < 0) m = c2;
      else if (c2 < 0) m = c1;
      else m = Math.abs(c1 - mid) <= Math.abs(c2 - mid) ? c1 : c2;
      // Move the node's rows into perm's new order (one gather per row, within the node's slice).
      if (tmpNum.length < size * nNum) tmpNum = new Float64Array(size * nNum);
      if (tmpCat.length < size * nCat) tmpCat = new Int32Array(size * nCat);
      for (let r = s; r < e; r++) {
        const o = where[perm[r]], t = r - s;
        for (let j = 0; j < nNum; j++) tmpNum[t * nNum + j] = rowNum[o * nNum + j];
        for (let j = 0; j < nCat; j++) tmpCat[t * nCat + j] = rowCat[o * nCat + j];
      }
      rowNum.set(tmpNum.subarray(0, size * nNum), s * nNum);
      rowCat.set(tmpCat.subarray(0, size * nCat), s * nCat);
      for (let r = s; r < e; r++) where[perm[r]] = r;
      if (m <= s || m >= e) continue; // cannot happen with spread > 0; stay a leaf to be safe
      nodeLeft[id] = newNode(s, m);
      nodeRight[id] = newNode(m, e);
    }

    return new MixedTree({
      numRows: n, p, nNum, nCat, perm, rowNum, rowCat,
      nodeStart: nodeStart.slice(0, numNodes), nodeEnd: nodeEnd.slice(0, numNodes), nodeLeft: nodeLeft.slice(0, numNodes),
      nodeRight: nodeRight.slice(0, numNodes), nodeBox: nodeBox.slice(0, numNodes * 2 * nNum),
      nodeNumFlags: nodeNumFlags.slice(0, numNodes * nNum), presence: presence.slice(0, numNodes * W), presenceWords: W,
      levels, levelOffset, totalLevels, numNodes, blocks: nCat > 0 ? buildBlocks(rowCat, n, nCat) : null,
      packed: nCat > 0 && levels.every((L) => L <= 255) ? packCodes(rowCat, n, nCat) : null,
    });
  }

  /**
   * For the query loaded into `qn` / `qPresIdx` (see {@link loadQuery}): node → Σ over columns of the smallest term any
   * row below the node can have against the query, a lower bound of their distance sums (× columns). A closure over
   * the index's arrays, made once per search, so the hot loop calls it like a local function.
   */
  private gapSums(qn: Float64Array, qPresIdx: Int32Array): (node: number) => number {
    const numeric = this.numericGaps(qn), misses = this.levelMisses(qPresIdx);
    return (node) => {
      let lb = numeric(node);
      for (let m = misses(node); m > 0; m--) lb += 1;
      return lb;
    };
  }

  /** The categorical part of {@link gapSums}: query levels absent below the node (each a sure mismatch). */
  private levelMisses(qPresIdx: Int32Array): (node: number) => number {
    const { presence, presenceWords } = this;
    let nPres = 0;
    for (let j = 0; j < this.nCat; j++) if (this.levelOffset[j] >= 0) nPres++;
    return (node) => {
      let m = 0;
      const pb = node * presenceWords;
      // Branch-free (a level's presence is unpredictable): 1 when the query level's bit is clear.
      for (let t = 0; t < nPres; t++) m += ((presence[pb + qPresIdx[2 * t]] >>> qPresIdx[2 * t + 1]) & 1) ^ 1;
      return m;
    };
  }

  /** The numeric part of {@link gapSums}, summed in column order (the categorical 1s are added after it). */
  private numericGaps(qn: Float64Array): (node: number) => number {
    const { nNum, nodeNumFlags, nodeBox } = this;
    return (node) => {
      let lb = 0;
      const nb = node * nNum;
      for (let j = 0; j < nNum; j++) {
        const q = qn[j];
        if (q !== q) { if (!(nodeNumFlags[nb + j] & 1)) lb += 1; continue; }
        // A node without present values has min +Infinity and max -Infinity: the gap is infinite, the term 1.
        const lo = nodeBox[2 * (nb + j)];
        if (q < lo) { const g = lo - q; lb += g > 1 ? 1 : g; }
        else {
          const hi = nodeBox[2 * (nb + j) + 1];
          if (q > hi) { const g = q - hi; lb += g > 1 ? 1 : g; }
        }
      }
      return lb;
    };
  }

  /** Per categorical column j, the rows grouped by their categorical values on every other column (built once). */
  private nearBlocks(): NearBlocks {
    if (!this.near) {
      const { rowCat, numRows, nCat } = this;
      this.near = { byColumn: Array.from({ length: nCat }, (_, j) => buildBlocks(rowCat, numRows, nCat, j)) };
    }
    return this.near;
  }

  /**
   * Copies row `i` of `rows` into the query buffers: numbers, category codes, and per categorical column with a
   * presence set, the word and bit position of the code's presence bit (`qPresIdx`, two entries per column; the
   * never-set bit after the last level when the level never occurs in the data: a sure mismatch in every node).
   */
  private loadQuery(rows: EncodedRows, i: number, qn: Float64Array, qc: Int32Array, qPresIdx: Int32Array): void {
    const { nNum, nCat, levels, levelOffset } = this;
    for (let j = 0; j < nNum; j++) qn[j] = rows.num[j][i];
    let t = 0;
    for (let j = 0; j < nCat; j++) {
      const c = rows.cat[j][i];
      qc[j] = c;
      const off = levelOffset[j];
      if (off < 0) continue;
      const bit = c + 1 < levels[j] ? off + c + 1 : this.totalLevels; // the never-set bit for a level the data lacks
      qPresIdx[2 * t] = bit >> 5;
      qPresIdx[2 * t + 1] = bit & 31;
      t++;
    }
  }

  /**
   * Ball counts: for each query row q, the number of data rows i with distance(q, x_i) ≤ `radii[i]` (radii indexed by
   * data row, in distance units, e.g. each row's k-th-neighbour distance). Exact: a node is skipped only when its lower
   * bound exceeds the largest radius inside it. With `stopAtOne` a query stops at its first covering row (count 0/1).
   * Used by precision / recall / density (Naeem et al. 2020).
   * @example tree.countWithin(space.encode(synthetic), radii) // Int32Array, one count per synthetic row
   */
  countWithin(queries: EncodedRows, radii: Float64Array, opts: { stopAtOne?: boolean; signal?: AbortSignal } = {}): Int32Array {
    const { p, nNum, nCat, perm, rowNum, rowCat, nodeStart, nodeEnd, nodeLeft, nodeRight } = this;
    if (queries.num.length !== nNum || queries.cat.length !== nCat)
      throw new SynthopsError('internal', 'invalid queries: they were not encoded in the space of this index.');
    if (radii.length !== this.numRows) throw new SynthopsError('internal', 'invalid radii: one per data row is needed.');
    const nq = queries.numRows;
    const out = new Int32Array(nq);
    if (this.numRows === 0 || nq === 0) return out;
    // Largest radius (as a distance sum over columns) per node; children always have larger ids than their parent.
    const rowR = new Float64Array(this.numRows);
    for (let r = 0; r < this.numRows; r++) rowR[r] = radii[perm[r]];
    const maxR = new Float64Array(this.numNodes);
    for (let node = this.numNodes - 1; node >= 0; node--) {
      const L = nodeLeft[node];
      if (L >= 0) maxR[node] = Math.max(maxR[L], maxR[nodeRight[node]]);
      else {
        let m = -Infinity;
        for (let r = nodeStart[node]; r < nodeEnd[node]; r++) if (rowR[r] > m) m = rowR[r];
        maxR[node] = m;
      }
    }
    const qn = new Float64Array(nNum), qc = new Int32Array(nCat), qPresIdx = new Int32Array(2 * nCat);
    const stack = new Int32Array(this.numNodes + 1);
    const gapSum = this.gapSums(qn, qPresIdx);
    const lowerBound = (node: number): number => gapSum(node) / p;
    const stopAtOne = opts.stopAtOne ?? false;
    for (let qi = 0; qi < nq; qi++) {
      if ((qi & 1023) === 0) throwIfAborted(opts.signal);
      this.loadQuery(queries, qi, qn, qc, qPresIdx);
      let count = 0, sp = 0;
      stack[sp++] = 0;
      search: while (sp > 0) {
        const node = stack[--sp];
        // lowerBound ≤ true distance up to rounding; the 1e-12 slack keeps the skip safe.
        if (lowerBound(node) > maxR[node] + 1e-12) continue;
        const L = nodeLeft[node];
        if (L >= 0) { stack[sp++] = nodeRight[node]; stack[sp++] = L; continue; }
        for (let r = nodeStart[node]; r < nodeEnd[node]; r++) {
          const lim = rowR[r] * p + 1e-9;
          let s = numericTerms(rowNum, r * nNum, qn, nNum);
          if (s > lim) continue;
          const cb = r * nCat;
          for (let j = 0; j < nCat; j++) if (rowCat[cb + j] !== qc[j]) s += 1;
          // The same sum and division as knn(), so a radius taken from knn() compares exactly.
          if (s / p <= rowR[r]) {
            count++;
            if (stopAtOne) break search;
          }
        }
      }
      out[qi] = count;
    }
    return out;
  }

  /**
   * Ball counts from the balls' side: for each data row i of this index, the number of `centres` rows c with
   * distance(c, x_i) ≤ `radii[c]` (radii indexed by centre row). The same counts as
   * `MixedTree.build(null, centres).countWithin(data, radii)` — the same per-column terms summed in the same order, so
   * even the floating-point comparisons agree — but each centre searches with its own radius, so a node is skipped
   * whenever its lower bound exceeds that one radius (not the largest radius in the node). A centre whose radius is
   * below one categorical mismatch (1 / columns) can only hold rows with exactly its categorical values: it scans that
   * block and no tree; one below two mismatches only rows within one mismatch, scanned through the per-column blocks
   * of {@link knn} when there are at most 4 × NEAR_SCAN_ROWS of them (adult's four report requests: 2.5–2.7 → 1.6–1.7
   * CPU s). `nearFirst: false` skips that scan (same counts). With `stopAtOne` the counts are clipped to 0 / 1 (is row
   * i in any ball?). Result indexed by data row (the order the index was built from).
   * @example MixedTree.build(null, syntheticRows).countBalls(realRows, realRadii) // per synthetic row: real balls holding it
   */
  countBalls(centres: EncodedRows, radii: Float64Array, opts: { stopAtOne?: boolean; nearFirst?: boolean; signal?: AbortSignal } = {}): Int32Array {
    const { p, nNum, nCat, perm, rowNum, rowCat, nodeStart, nodeEnd, nodeLeft, nodeRight, blocks } = this;
    if (centres.num.length !== nNum || centres.cat.length !== nCat)
      throw new SynthopsError('internal', 'invalid centres: they were not encoded in the space of this index.');
    if (radii.length !== centres.numRows) throw new SynthopsError('internal', 'invalid radii: one per centre row is needed.');
    const out = new Int32Array(this.numRows);
    if (this.numRows === 0) return out;
    const hits = new Int32Array(this.numRows); // by tree position
    const qn = new Float64Array(nNum), qc = new Int32Array(nCat), qPresIdx = new Int32Array(2 * nCat);
    const stack = new Int32Array(this.numNodes + 1);
    const gapSum = this.gapSums(qn, qPresIdx);
    const lowerBound = (node: number): number => gapSum(node) / p;
    const misses = this.levelMisses(qPresIdx);
    // The distance test of countWithin, with the data row at tree position r and the centre in qn / qc.
    // Categorical mismatches are counted first (the sum is at least their count, so a count past the limit settles
    // it); the sum itself adds their 1s after the numeric terms, as countWithin does.
    const packed = this.packed, pw = (nCat + 3) >> 2, qPacked = new Int32Array(pw), levels = this.levels;
    const inside = (r: number, rad: number, lim: number): boolean => {
      let miss = 0;
      if (packed) {
        for (let w = 0, pr = r * pw; w < pw; w++) {
          const x = packed[pr + w] ^ qPacked[w]; // see knn
          const y = (((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) & 0x80808080;
          miss += Math.imul(y >>> 7, 0x01010101) >>> 24;
        }
        if (miss > lim) return false;
      } else {
        const cb = r * nCat;
        for (let j = 0; j < nCat; j++) if (rowCat[cb + j] !== qc[j] && ++miss > lim) return false;
      }
      let s = numericTerms(rowNum, r * nNum, qn, nNum);
      if (s > lim) return false;
      for (; miss > 0; miss--) s += 1;
      return s / p <= rad;
    };
    // Any row differing from the centre in a categorical column has a sum ≥ 1, so its distance is ≥ 1 / p (division
    // rounds monotonically): with a radius below that only the centre's exact-categorical block can be inside.
    const oneMismatch = 1 / p;
    // Likewise a radius below two mismatches holds only rows within one categorical mismatch of the centre: scan them
    // (see nearBlocks) when they are few, else search the tree.
    const twoMismatches = 2 / p;
    const near = blocks && (opts.nearFirst ?? true) && nCat >= 2 && centres.numRows * 16 >= this.numRows ? this.nearBlocks() : null;
    const groups = new Int32Array(nCat), cand = new Int32Array(near ? 4 * NEAR_SCAN_ROWS : 0);
    for (let ci = 0; ci < centres.numRows; ci++) {
      if ((ci & 1023) === 0) throwIfAborted(opts.signal);
      const rad = radii[ci];
      if (!(rad >= 0)) continue; // NaN: nothing is inside (countWithin's comparisons are all false)
      const lim = rad * p + 1e-9;
      this.loadQuery(centres, ci, qn, qc, qPresIdx);
      if (packed) {
        qPacked.fill(0);
        for (let j = 0; j < nCat; j++) qPacked[j >> 2] |= (qc[j] + 1 < levels[j] ? qc[j] + 1 : 255) << ((j & 3) * 8);
      }
      if (near && rad >= oneMismatch && rad < twoMismatches) {
        const b = findBlock(blocks!, rowCat, nCat, qc);
        const m = gatherNear(blocks!, near, rowCat, nCat, qc, b, 4 * NEAR_SCAN_ROWS, groups, cand);
        if (m >= 0) {
          if (b >= 0) for (let t = blocks!.start[b], be = blocks!.start[b + 1]; t < be; t++) { const r = blocks!.pos[t]; if (inside(r, rad, lim)) hits[r]++; }
          for (let t = 0; t < m; t++) { const r = cand[t]; if (inside(r, rad, lim)) hits[r]++; }
          continue;
        }
      }
      if (blocks && rad < oneMismatch) {
        const b = findBlock(blocks, rowCat, nCat, qc);
        if (b < 0) continue;
        const be = blocks.start[b + 1];
        for (let t = blocks.start[b]; t < be; t++) {
          const r = blocks.pos[t];
          if (inside(r, rad, lim)) hits[r]++;
        }
        continue;
      }
      let sp = 0;
      stack[sp++] = 0;
      while (sp > 0) {
        const node = stack[--sp];
        // lowerBound ≤ true distance up to rounding; the 1e-12 slack keeps the skip safe (as in countWithin).
        // The sure categorical mismatches alone (≤ the full bound) often settle it without the numeric part.
        if (misses(node) / p > rad + 1e-12 || lowerBound(node) > rad + 1e-12) continue;
        const L = nodeLeft[node];
        if (L >= 0) { stack[sp++] = nodeRight[node]; stack[sp++] = L; continue; }
        const e = nodeEnd[node];
        for (let r = nodeStart[node]; r < e; r++) if (inside(r, rad, lim)) hits[r]++;
      }
    }
    const stopAtOne = opts.stopAtOne ?? false;
    for (let r = 0; r < this.numRows; r++) out[perm[r]] = stopAtOne && hits[r] > 0 ? 1 : hits[r];
    return out;
  }

  /**
   * Exact k nearest neighbours (Gower distance) of query rows `start..end` of `queries` (encoded in the same space).
   * Equal distances may be returned in any order among themselves; distances are exact.
   */
  knn(queries: EncodedRows, opts: KnnOptions = {}): KnnResult {
    const k = Math.max(1, Math.floor(opts.k ?? 1));
    const start = opts.start ?? 0;
    const end = opts.end ?? queries.numRows;
    const excludeSelf = opts.excludeSelf ?? false;
    const selfRows = opts.selfRows;
    const { p, nNum, nCat, perm, rowNum, rowCat, nodeStart, nodeEnd, nodeLeft, nodeRight } = this;
    if (queries.num.length !== nNum || queries.cat.length !== nCat)
      throw new SynthopsError('internal', 'invalid queries: they were not encoded in the space of this index.');
    const nq = Math.max(0, end - start);
    const outD = new Float64Array(nq * k).fill(Infinity);
    const outI = new Int32Array(nq * k).fill(-1);
    if (this.numRows === 0 || nq === 0) return { k, start, numQueries: nq, distances: outD, indices: outI, rowsScanned: 0 };
    const qn = new Float64Array(nNum);
    const qc = new Int32Array(nCat);
    const qPresIdx = new Int32Array(2 * nCat); // presence word and bit of the query levels (see loadQuery)
    const bd = new Float64Array(k);
    const bi = new Int32Array(k);
    const stackNode = new Int32Array(this.numNodes + 1);
    const stackLb = new Float64Array(this.numNodes + 1);
    const blocks = this.blocks;
    const blockOf = blocks ? blocks.blockOf : null;
    const blockCap = Math.max(1024, 4 * Math.sqrt(this.numRows));

    const lowerBound = this.gapSums(qn, qPresIdx);
    // The bound in two parts, categorical first: a child whose sure mismatches alone reach the k-th best (or the bound)
    // is skipped without its numeric part (the full bound, ≥ that count, would skip it too). The full bound adds the
    // 1s after the numeric part, exactly as gapSums does, so the traversal order is unchanged.
    const numericGap = this.numericGaps(qn), misses = this.levelMisses(qPresIdx);

    // Rows within one categorical mismatch (see nearBlocks): built once per index, when a search has enough queries
    // to pay for it; `nearFirst: false` searches without it (the same results).
    const near = blocks && (opts.nearFirst ?? true) && nCat >= 2 && nq * 16 >= this.numRows ? this.nearBlocks() : null;
    const nearCap = NEAR_SCAN_ROWS;
    const groups = new Int32Array(nCat);
    const cand = near ? new Int32Array(nearCap) : new Int32Array(0);
    const cd = new Float64Array(k), ci = new Int32Array(k);
    const packed = this.packed, pw = (nCat + 3) >> 2, qPacked = new Int32Array(pw), levels = this.levels;

    let scanned = 0;
    for (let qi = start; qi < end; qi++) {
      const self = selfRows ? selfRows[qi] : qi;
      if (((qi - start) & 1023) === 0) throwIfAborted(opts.signal);
      this.loadQuery(queries, qi, qn, qc, qPresIdx);
      if (packed) {
        qPacked.fill(0);
        // A level the data lacks gets byte 255, which no data row has (their bytes are ≤ 254).
        for (let j = 0; j < nCat; j++) qPacked[j >> 2] |= (qc[j] + 1 < levels[j] ? qc[j] + 1 : 255) << ((j & 3) * 8);
      }
      let count = 0;
      let worst = Infinity;
      // Whether two rows with equal distance sums could be among the k best so far (their order would then be the
      // traversal's, so only the tree search below may answer).
      let tie = false;
      // Exact-categorical block first: every row outside it differs in at least one categorical column, so its
      // distance sum is ≥ 1; when the k-th best inside the block is ≤ 1 nothing outside can beat it.
      let qBlock = -1, found = -1;
      if (blocks) {
        const b = findBlock(blocks, rowCat, nCat, qc);
        found = b;
        if (b >= 0 && blocks.start[b + 1] - blocks.start[b] <= blockCap) {
          qBlock = b;
          const be = blocks.start[b + 1];
          scanned += be - blocks.start[b];
          for (let t = blocks.start[b]; t < be; t++) {
            const r = blocks.pos[t];
            if (excludeSelf && perm[r] === self) continue;
            let s = 0;
            const nb = r * nNum;
            for (let j = 0; j < nNum; j++) {
              const a = rowNum[nb + j], bq = qn[j];
              let d = a - bq;
              if (d < 0) d = -d;
              if (d !== d) d = a !== a && bq !== bq ? 0 : 1;
              else if (d > 1) d = 1;
              s += d;
              if (s > worst) break;
            }
            if (s >= worst) { if (s === worst) tie = true; continue; }
            let pos = count < k ? count++ : k - 1;
            while (pos > 0 && bd[pos - 1] > s) { bd[pos] = bd[pos - 1]; bi[pos] = bi[pos - 1]; pos--; }
            if (pos > 0 && bd[pos - 1] === s) tie = true;
            bd[pos] = s; bi[pos] = perm[r];
            if (count === k) worst = bd[k - 1];
          }
        }
      }
      const done = count === k && worst <= 1;
      // Then the rows within one categorical mismatch: every other row's distance sum is ≥ 2, so when the k-th best
      // among them is below 2 and no two of the k best tie, they are the answer (with no ties the k nearest and their
      // order are unique: exactly what the tree search would return). Otherwise their k-th best still bounds the
      // search: subtrees whose lower bound exceeds it hold no answer row, so skipping them changes nothing.
      let bound = Infinity;
      if (near && !done && (found < 0 || qBlock >= 0)) {
        const m = gatherNear(blocks!, near, rowCat, nCat, qc, qBlock, nearCap, groups, cand);
        if (m >= 0) {
          let cc = count, cw = worst, ctie = tie;
          for (let t = 0; t < count; t++) { cd[t] = bd[t]; ci[t] = bi[t]; }
          scanned += m;
          for (let t = 0; t < m; t++) {
            const r = cand[t];
            if (excludeSelf && perm[r] === self) continue;
            let s = numericTerms(rowNum, r * nNum, qn, nNum);
            if (s > cw) continue;
            const cb = r * nCat;
            for (let j = 0; j < nCat; j++) {
              if (rowCat[cb + j] !== qc[j]) { s += 1; if (s > cw) break; }
            }
            if (s >= cw) { if (s === cw) ctie = true; continue; }
            let pos = cc < k ? cc++ : k - 1;
            while (pos > 0 && cd[pos - 1] > s) { cd[pos] = cd[pos - 1]; ci[pos] = ci[pos - 1]; pos--; }
            if (pos > 0 && cd[pos - 1] === s) ctie = true;
            cd[pos] = s; ci[pos] = perm[r];
            if (cc === k) cw = cd[k - 1];
          }
          if (cc === k) {
            if (cw < 2 && !ctie) {
              const o = (qi - start) * k;
              for (let t = 0; t < k; t++) { outD[o + t] = cd[t] / p; outI[o + t] = ci[t]; }
              continue;
            }
            bound = cw;
          }
        }
      }
      let sp = 0;
      if (!done) { stackNode[sp] = 0; stackLb[sp] = lowerBound(0); sp++; }
      while (sp > 0) {
        sp--;
        const node = stackNode[sp];
        if (stackLb[sp] >= worst || stackLb[sp] > bound) continue;
        const L = nodeLeft[node];
        if (L >= 0) {
          const R = nodeRight[node];
          const mL = misses(L), mR = misses(R);
          let lbL = Infinity, lbR = Infinity;
          if (mL < worst && mL <= bound) { lbL = numericGap(L); for (let t = mL; t > 0; t--) lbL += 1; }
          if (mR < worst && mR <= bound) { lbR = numericGap(R); for (let t = mR; t > 0; t--) lbR += 1; }
          // Push the farther child first so the nearer is searched first.
          if (lbL <= lbR) {
            if (lbR < worst && lbR <= bound) { stackNode[sp] = R; stackLb[sp] = lbR; sp++; }
            if (lbL < worst && lbL <= bound) { stackNode[sp] = L; stackLb[sp] = lbL; sp++; }
          } else {
            if (lbL < worst && lbL <= bound) { stackNode[sp] = L; stackLb[sp] = lbL; sp++; }
            if (lbR < worst && lbR <= bound) { stackNode[sp] = R; stackLb[sp] = lbR; sp++; }
          }
          continue;
        }
        const e = nodeEnd[node];
        scanned += e - nodeStart[node];
        for (let r = nodeStart[node]; r < e; r++) {
          if (excludeSelf && perm[r] === self) continue;
          if (qBlock >= 0 && blockOf![r] === qBlock) continue; // already scanned
          // Categorical mismatches first: the sum is at least their count, so a row they already rule out needs no
          // numeric terms. The sum itself adds the 1s after the numeric terms, in that fixed order.
          let miss = 0;
          const cb = r * nCat;
          if (packed) {
            for (let w = 0, pr = r * pw; w < pw; w++) {
              // Per byte of the xor: high bit set when the byte is nonzero; then the high bits are summed.
              const x = packed[pr + w] ^ qPacked[w];
              const y = (((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) & 0x80808080;
              miss += Math.imul(y >>> 7, 0x01010101) >>> 24;
            }
          } else for (let j = 0; j < nCat; j++) { const x = rowCat[cb + j] ^ qc[j]; miss += (x | -x) >>> 31; } // branch-free
          if (miss >= worst) continue;
          let s = numericTerms(rowNum, r * nNum, qn, nNum);
          for (; miss > 0; miss--) s += 1;
          if (s >= worst) continue;
          // Insert into the sorted k-best list.
          let pos = count < k ? count++ : k - 1;
          while (pos > 0 && bd[pos - 1] > s) { bd[pos] = bd[pos - 1]; bi[pos] = bi[pos - 1]; pos--; }
          bd[pos] = s; bi[pos] = perm[r];
          if (count === k) worst = bd[k - 1];
        }
      }
      const o = (qi - start) * k;
      for (let t = 0; t < count; t++) { outD[o + t] = bd[t] / p; outI[o + t] = bi[t]; }
    }
    return { k, start, numQueries: nq, distances: outD, indices: outI, rowsScanned: scanned };
  }
}

/** Quickselect with 3-way partitions: afterwards keys[lo..target) ≤ keys[target] ≤ keys(target..hi). */
function select(keys: Float64Array, perm: Int32Array, lo: number, hi: number, target: number): void {
  while (hi - lo > 1) {
    const a = keys[lo], b = keys[(lo + hi) >> 1], c = keys[hi - 1];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b; // median of three
    const [lt, gt] = partition3(keys, perm, lo, hi, pivot);
    if (target < lt) hi = lt;
    else if (target >= gt) lo = gt;
    else return;
  }
}

/** Dutch-flag partition of [lo, hi) around `pivot`; returns [start of equal run, end of equal run). */
function partition3(keys: Float64Array, perm: Int32Array, lo: number, hi: number, pivot: number): [number, number] {
  let lt = lo, i = lo, gt = hi;
  while (i < gt) {
    const x = keys[i];
    if (x < pivot) { swap(keys, perm, lt++, i++); }
    else if (x > pivot) { swap(keys, perm, i, --gt); }
    else i++;
  }
  return [lt, gt];
}

function swap(keys: Float64Array, perm: Int32Array, i: number, j: number): void {
  const k = keys[i]; keys[i] = keys[j]; keys[j] = k;
  const t = perm[i]; perm[i] = perm[j]; perm[j] = t;
}

/** Row-major codes + 1 as bytes, four columns to a 32-bit word (padding bytes 0). */
function packCodes(rowCat: Int32Array, n: number, nCat: number): Int32Array {
  const pw = (nCat + 3) >> 2;
  const out = new Int32Array(n * pw);
  for (let r = 0; r < n; r++) for (let j = 0; j < nCat; j++) out[r * pw + (j >> 2)] |= (rowCat[r * nCat + j] + 1) << ((j & 3) * 8);
  return out;
}

/** Data rows grouped by their exact categorical values (positions in the tree's row order). */
interface CategoricalBlocks {
  /** Block of every position. */
  blockOf: Int32Array;
  /** Positions of block b are pos[start[b] .. start[b + 1]). */
  start: Int32Array;
  pos: Int32Array;
  /** Open-addressing table: block id per slot, -1 empty. */
  slots: Int32Array;
}

/** Hash of a row's categorical codes, leaving out column `skip` (-1: none). */
function catHash(codes: Int32Array, base: number, nCat: number, skip = -1): number {
  let h = 0x2545f491;
  for (let j = 0; j < nCat; j++) if (j !== skip) h = mix32(h ^ (codes[base + j] + 0x9e3779b9)) + j;
  return mix32(h >>> 0);
}

/** Rows grouped by equal categorical values on every column but `skip` (-1: every column, the exact blocks). */
function buildBlocks(rowCat: Int32Array, n: number, nCat: number, skip = -1): CategoricalBlocks {
  let size = 16;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  const rep: number[] = [];
  const blockOf = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let sl = catHash(rowCat, r * nCat, nCat, skip) & mask;
    for (;;) {
      const b = slots[sl];
      if (b < 0) { slots[sl] = rep.length; blockOf[r] = rep.length; rep.push(r); break; }
      if (sameCats(rowCat, rep[b] * nCat, rowCat, r * nCat, nCat, skip)) { blockOf[r] = b; break; }
      sl = (sl + 1) & mask;
    }
  }
  const nb = rep.length;
  const start = new Int32Array(nb + 1);
  for (let r = 0; r < n; r++) start[blockOf[r] + 1]++;
  for (let b = 0; b < nb; b++) start[b + 1] += start[b];
  const fill = start.slice(0, nb);
  const pos = new Int32Array(n);
  for (let r = 0; r < n; r++) pos[fill[blockOf[r]]++] = r;
  // Store a representative position per block in the slots' place: slots keep block ids; the representative of
  // block b is pos[start[b]].
  return { blockOf, start, pos, slots };
}

function sameCats(a: Int32Array, ia: number, b: Int32Array, ib: number, nCat: number, skip = -1): boolean {
  for (let j = 0; j < nCat; j++) if (j !== skip && a[ia + j] !== b[ib + j]) return false;
  return true;
}

/** Block whose categorical values equal `qc` (on every column but `skip`, as the blocks were built), or -1. */
function findBlock(blocks: CategoricalBlocks, rowCat: Int32Array, nCat: number, qc: Int32Array, skip = -1): number {
  const mask = blocks.slots.length - 1;
  let sl = catHash(qc, 0, nCat, skip) & mask;
  for (;;) {
    const b = blocks.slots[sl];
    if (b < 0) return -1;
    if (sameCats(rowCat, blocks.pos[blocks.start[b]] * nCat, qc, 0, nCat, skip)) return b;
    sl = (sl + 1) & mask;
  }
}

/**
 * The data rows within one categorical mismatch of a query: its exact block plus, per categorical column j, the rows
 * equal to it on every other categorical column (one {@link buildBlocks} per column, `skip` = j). Every other row
 * differs in at least two categorical columns, so its distance sum is ≥ 2.
 */
interface NearBlocks {
  /** Per categorical column j: the rows grouped with column j left out. */
  byColumn: CategoricalBlocks[];
}

/**
 * Positions of the rows exactly one categorical mismatch away from the query codes `qc` (rows of its exact block
 * `exact`, -1 if none, are left out), gathered into `out` column by column; returns how many, or -1 when there are
 * more than `cap` (then nothing is gathered).
 */
function gatherNear(blocks: CategoricalBlocks, near: NearBlocks, rowCat: Int32Array, nCat: number, qc: Int32Array, exact: number, cap: number, groups: Int32Array, out: Int32Array): number {
  const e0 = exact >= 0 ? blocks.start[exact + 1] - blocks.start[exact] : 0;
  let total = 0;
  for (let j = 0; j < nCat; j++) {
    const bj = near.byColumn[j];
    const g = findBlock(bj, rowCat, nCat, qc, j);
    groups[j] = g;
    // The exact block lies inside every column's group: count only the rows beyond it.
    if (g >= 0) total += bj.start[g + 1] - bj.start[g] - e0;
    if (total > cap) return -1;
  }
  let m = 0;
  const blockOf = blocks.blockOf;
  for (let j = 0; j < nCat; j++) {
    const g = groups[j];
    if (g < 0) continue;
    const bj = near.byColumn[j];
    for (let t = bj.start[g], e = bj.start[g + 1]; t < e; t++) {
      const r = bj.pos[t];
      if (exact < 0 || blockOf[r] !== exact) out[m++] = r;
    }
  }
  return m;
}

/**
 * The numeric part of a row's distance sum: Σ over numeric columns of min(|a − b|, 1) on range-scaled values, where a
 * missing value against a missing value adds 0 and against a value adds 1 (the Gower-style terms of every search and
 * ball count here). The row's values start at rowNum[nb].
 */
function numericTerms(rowNum: Float64Array, nb: number, qn: Float64Array, nNum: number): number {
  let s = 0;
  for (let j = 0; j < nNum; j++) {
    const a = rowNum[nb + j], b = qn[j];
    let d = a - b;
    if (d < 0) d = -d;
    if (d !== d) d = a !== a && b !== b ? 0 : 1;
    else if (d > 1) d = 1;
    s += d;
  }
  return s;
}
