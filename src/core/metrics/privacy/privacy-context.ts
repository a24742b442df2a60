import { SynthopsError } from '../../errors.js';
import { MixedSpace, type EncodedRows } from '../../neighbors/mixed-space.js';
import { MixedTree, type KnnResult } from '../../neighbors/mixed-tree.js';
import type { KnnProvider, KnnRequest } from '../../neighbors/knn-provider.js';
import { createRng } from '../../random.js';
import type { Table } from '../../table/table.js';
import { RowHashIndex, type KeyColumn } from './row-hash.js';

/** Which table a search reads. */
export type ContextTable = 'train' | 'synth' | 'hold';

/**
 * Options of a {@link PrivacyContext}. Defaults keep every search exact over every row; the query sampling below only
 * starts where an exact search is far beyond a report's time budget (a search of 1M query rows against 1M rows).
 * @example privacyContext(train, synthetic, holdout, { maxExactPairs: 1e10, sampleRows: 20_000, seed: 1 })
 */
export interface PrivacyContextOptions {
  /**
   * A table's rows are all used as queries while (its rows × the largest table's rows) ≤ this; above it the table is
   * queried through a seeded simple random sample of `sampleRows` rows (the searched data stay complete: each sampled
   * row's neighbours are exact over the full real / synthetic table). Default 1e10 (e.g. 100k × 100k stays exact).
   */
  maxExactPairs?: number;
  /**
   * Query rows kept per table when sampling. Default: a budget of about 2·10⁹ query × data row pairs per search,
   * i.e. 2·10⁹ / (largest table's rows), between 2,000 and 20,000 (1M rows → 2,000 queries, Hoeffding ±0.030; 200k →
   * 10,000, ±0.014). In 20 mixed dimensions an exact search scans 0.4–3.6% of 1M rows per query (measured 0.9–5.6 ms
   * per query on the 1M × 20 bench tables, load 7–12), so 20,000 queries per search took minutes each, and every query
   * row of all searches would take ≈ 20,000 CPU s at 1M × 20 (docs/metrics.md). `maxExactPairs: Infinity` asks for that.
   */
  sampleRows?: number;
  /** Seeds the query samples. Default 0. */
  seed?: number;
}

/** Default query sample per table (see {@link PrivacyContextOptions.sampleRows}): 2·10⁹ / largest rows, in [2,000, 20,000]. */
export function defaultSampleRows(largestRows: number): number {
  return Math.max(2_000, Math.min(20_000, Math.floor(2e9 / Math.max(1, largestRows))));
}

/** Half-width of a 95% Hoeffding bound on the mean of m independent values in [0, 1]: √(ln(2/0.05) / 2m). */
export function hoeffding95(m: number): number {
  return m > 0 ? Math.sqrt(Math.log(2 / 0.05) / (2 * m)) : 1;
}

/** A table, or (suffix Q) its query rows: all rows, or the seeded sample when sampling is on. */
type SearchTable = ContextTable | 'trainQ' | 'synthQ' | 'holdQ';
interface SearchSpec { data: SearchTable; queries: ContextTable; k: number; excludeSelf: boolean; alias?: string }

/** Neighbours behind the k-NN radii of precision / recall / density / coverage (Naeem et al. 2020). */
export const PRDC_K = 5;

/** The neighbour searches shared by the privacy metrics (and the diversity metrics' coverage), by key. */
const SEARCHES: Record<string, SearchSpec> = {
  's→t': { data: 'train', queries: 'synth', k: 2, excludeSelf: false },
  's→h': { data: 'hold', queries: 'synth', k: 1, excludeSelf: false },
  'h→t': { data: 'train', queries: 'hold', k: 2, excludeSelf: false },
  'h→h': { data: 'hold', queries: 'hold', k: 1, excludeSelf: true },
  't→s': { data: 'synth', queries: 'train', k: 1, excludeSelf: false },
  'h→s': { data: 'synth', queries: 'hold', k: 1, excludeSelf: false },
  't→h': { data: 'hold', queries: 'train', k: 1, excludeSelf: false },
  // Diversity (precision / recall / density / coverage) works within the query rows of each table: k-NN radii of a
  // table's rows among themselves, and nearest neighbours between the query rows of two tables (the same searches
  // as t→s / t→h when nothing is sampled: `alias`).
  'tq→tq': { data: 'trainQ', queries: 'train', k: PRDC_K, excludeSelf: true },
  'sq→sq': { data: 'synthQ', queries: 'synth', k: PRDC_K, excludeSelf: true },
  'hq→hq': { data: 'holdQ', queries: 'hold', k: PRDC_K, excludeSelf: true },
  'tq→sq': { data: 'synthQ', queries: 'train', k: 1, excludeSelf: false, alias: 't→s' },
  'tq→hq': { data: 'holdQ', queries: 'train', k: 1, excludeSelf: false, alias: 't→h' },
};

/** The searches the privacy metrics use (prefetched by default); the diversity ones are added on request. */
export const PRIVACY_SEARCHES = ['s→t', 's→h', 'h→t', 'h→h', 't→s', 'h→s', 't→h'];
/** The searches of the precision / recall / density / coverage metrics. */
export const DIVERSITY_SEARCHES = ['tq→tq', 'sq→sq', 'hq→hq', 'tq→sq', 'tq→hq'];

/**
 * Shared neighbour searches of the privacy metrics for one (training, synthetic, holdout) triple, computed on first use
 * and cached, so DCR, NNDR and membership inference in one report share them (each search runs once). Distances are
 * Gower distances in the space fitted on the training data. The searched data are always the full tables; the query
 * rows are the full tables too unless {@link PrivacyContextOptions.maxExactPairs} is exceeded (then see
 * {@link approximation}). {@link prefetch} runs the searches through an injected {@link KnnProvider} (e.g. worker
 * threads) ahead of the metrics; without it each search runs in this thread when first asked for.
 *
 * @example
 * const ctx = privacyContext(real, synthetic, holdout);
 * ctx.synthToTrain().distances; // k = 2 per synthetic (query) row: distance to the closest and second-closest training row
 */
export class PrivacyContext {
  readonly space: MixedSpace;
  readonly train: EncodedRows;
  readonly synth: EncodedRows;
  readonly hold: EncodedRows | null;
  private readonly memo = new Map<string, unknown>();
  private readonly samples: Record<ContextTable, Int32Array | null>;
  private readonly queryRows: Record<ContextTable, EncodedRows | null>;

  constructor(readonly real: Table, readonly synthetic: Table, readonly holdout: Table | null, opts: PrivacyContextOptions & { columns?: readonly string[] } = {}) {
    this.space = MixedSpace.fromTable(real, opts.columns ? { columns: opts.columns } : {});
    this.train = this.space.encode(real, 'training data');
    this.synth = this.space.encode(synthetic, 'synthetic data');
    this.hold = holdout ? this.space.encode(holdout, 'holdout data') : null;
    const largest = Math.max(this.train.numRows, this.synth.numRows, this.hold?.numRows ?? 0);
    const maxPairs = opts.maxExactPairs ?? 1e10, m = Math.max(2, Math.floor(opts.sampleRows ?? defaultSampleRows(largest)));
    const sample = (which: ContextTable, rows: EncodedRows | null): Int32Array | null => {
      if (!rows || rows.numRows * largest <= maxPairs || rows.numRows <= m) return null;
      return createRng(opts.seed ?? 0, 'privacy-query-sample', which).permutation(rows.numRows).subarray(0, m).sort();
    };
    this.samples = { train: sample('train', this.train), synth: sample('synth', this.synth), hold: sample('hold', this.hold) };
    const view = (which: ContextTable): EncodedRows | null => {
      const rows = this.rows(which, false);
      const idx = this.samples[which];
      return rows && idx ? takeEncoded(rows, idx) : rows;
    };
    this.queryRows = { train: view('train'), synth: view('synth'), hold: view('hold') };
  }

  private cached<T>(key: string, f: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, f());
    return this.memo.get(key) as T;
  }

  private rows(which: SearchTable, required = true): EncodedRows {
    if (which === 'trainQ' || which === 'synthQ' || which === 'holdQ') return this.queries(which.slice(0, -1) as ContextTable);
    const r = which === 'train' ? this.train : which === 'synth' ? this.synth : this.hold;
    if (!r && required) throw new SynthopsError('invalid_argument', 'invalid holdout: none given. This metric needs real rows the synthesizer never saw.');
    return r!;
  }

  /** The query rows of a table: all its rows, or the seeded sample when the table is too large for exact queries. */
  queries(which: ContextTable): EncodedRows {
    const q = this.queryRows[which];
    if (!q) return this.rows(which);
    return q;
  }

  /** Row indices of the query sample of a table (ascending), or null when every row is a query. */
  querySample(which: ContextTable): Int32Array | null {
    return this.samples[which];
  }

  /**
   * Null when every search is exact over every row; else what was sampled and the error bound of a mean over sampled
   * query rows (95% Hoeffding half-width, distribution-free, for values in [0, 1] such as DCR-share indicators).
   */
  approximation(): { sampledRows: Record<string, { sampled: number; of: number; hoeffding95: number }>; note: string } | null {
    const out: Record<string, { sampled: number; of: number; hoeffding95: number }> = {};
    for (const w of ['train', 'synth', 'hold'] as const) {
      const s = this.samples[w];
      if (s) out[w === 'train' ? 'training' : w === 'synth' ? 'synthetic' : 'holdout'] = { sampled: s.length, of: this.rows(w).numRows, hoeffding95: Math.round(hoeffding95(s.length) * 1e4) / 1e4 };
    }
    if (!Object.keys(out).length) return null;
    const parts = Object.entries(out).map(([k, v]) => `${v.sampled} of ${v.of} ${k} rows (±${v.hoeffding95})`);
    return {
      sampledRows: out,
      note: `Approximation: neighbour searches are exact over the full real and synthetic tables, but queried from a seeded random sample of ${parts.join(', ')}; a share over sampled rows is within the stated Hoeffding bound of the full-data share with 95% probability.`,
    };
  }

  /** Index over the training rows. */
  trainTree(): MixedTree { return this.cached('trainTree', () => MixedTree.build(this.space, this.train)); }
  /** Index over the synthetic rows. */
  synthTree(): MixedTree { return this.cached('synthTree', () => MixedTree.build(this.space, this.synth)); }
  /** Index over the holdout rows. */
  holdTree(): MixedTree { return this.cached('holdTree', () => MixedTree.build(this.space, this.rows('hold'))); }

  /** Index over a table's rows, or over its query rows (the same index when nothing is sampled). */
  tree(which: SearchTable): MixedTree {
    if (which.endsWith('Q')) {
      const base = which.slice(0, -1) as ContextTable;
      if (!this.samples[base]) return this.tree(base);
      return this.cached(`tree:${which}`, () => MixedTree.build(this.space, this.rows(which)));
    }
    return which === 'train' ? this.trainTree() : which === 'synth' ? this.synthTree() : this.holdTree();
  }

  /** True when the search `key` is the same search as its alias (nothing sampled on either side). */
  private aliased(key: string): string {
    const s = SEARCHES[key];
    if (s.alias && !this.samples[s.queries] && !this.samples[(s.data as string).replace(/Q$/, '') as ContextTable]) return s.alias;
    return key;
  }

  private request(key: string): KnnRequest {
    const s = SEARCHES[key];
    // Leave-one-out maps query i to its data row: the sample index against a full table, i itself within the sample.
    const self = s.data === s.queries ? this.samples[s.queries] : null;
    return { data: this.rows(s.data), queries: this.queries(s.queries), k: s.k, excludeSelf: s.excludeSelf, ...(s.excludeSelf && self ? { selfRows: self } : {}) };
  }

  /** The cached result of search `key` (see SEARCHES), computed in this thread if not prefetched. */
  search(key: string, signal?: AbortSignal): KnnResult {
    key = this.aliased(key);
    return this.cached(key, () => {
      const s = SEARCHES[key];
      const r = this.request(key);
      return this.tree(s.data).knn(r.queries, { k: r.k, excludeSelf: r.excludeSelf, ...(r.selfRows ? { selfRows: r.selfRows } : {}), ...(signal ? { signal } : {}) });
    });
  }

  /**
   * Runs the shared searches not yet cached through `provider` (as one batch, so a worker pool runs them without
   * round trips to this thread) and
   * caches the results; the metrics then find them ready. Searches needing a holdout are skipped without one.
   */
  async prefetch(provider: KnnProvider, searches: readonly string[] = PRIVACY_SEARCHES, signal?: AbortSignal): Promise<void> {
    const keys = [...new Set(searches.map((k) => this.aliased(k)))].filter((k) => !this.memo.has(k) && (this.hold || (!SEARCHES[k].data.startsWith('hold') && SEARCHES[k].queries !== 'hold')));
    if (!this.synth.numRows || !this.train.numRows) return;
    const results = keys.length ? await provider(keys.map((k) => this.request(k)), signal) : [];
    keys.forEach((k, i) => { if (!this.memo.has(k)) this.memo.set(k, results[i]); });
  }

  /** Synthetic (query) rows → 2 nearest training rows. */
  synthToTrain(signal?: AbortSignal): KnnResult { return this.search('s→t', signal); }
  /** Synthetic (query) rows → nearest holdout row. */
  synthToHold(signal?: AbortSignal): KnnResult { return this.search('s→h', signal); }
  /** Holdout (query) rows → 2 nearest training rows. */
  holdToTrain(signal?: AbortSignal): KnnResult { return this.search('h→t', signal); }
  /** Holdout (query) rows → nearest other holdout row (leave-one-out). */
  holdToHold(signal?: AbortSignal): KnnResult { return this.search('h→h', signal); }
  /** Training (query) rows → nearest synthetic row. */
  trainToSynth(signal?: AbortSignal): KnnResult { return this.search('t→s', signal); }
  /** Holdout (query) rows → nearest synthetic row. */
  holdToSynth(signal?: AbortSignal): KnnResult { return this.search('h→s', signal); }
  /** Training (query) rows → nearest holdout row. */
  trainToHold(signal?: AbortSignal): KnnResult { return this.search('t→h', signal); }

  /**
   * Exact-match index of the training rows over every column of the space ({@link keys}('train')), built once and
   * shared by identical-match and rare-record reproduction (when its quasi-identifiers are all the columns).
   */
  trainRowIndex(): RowHashIndex {
    return this.cached('trainRowIndex', () => RowHashIndex.build(this.keys('train')));
  }

  /** Key columns for exact row matching: raw numeric values and shared label codes. */
  keys(which: ContextTable): KeyColumn[] {
    return this.cached(`keys:${which}`, () => {
      const table = which === 'train' ? this.real : which === 'synth' ? this.synthetic : this.holdout;
      const enc = this.rows(which);
      if (!table) throw new SynthopsError('invalid_argument', 'invalid holdout: none given. This metric needs real rows the synthesizer never saw.');
      return [...this.space.numColumns.map((n) => table.numeric(n).values), ...enc.cat];
    });
  }
}

/** Rows `idx` of encoded rows (copied). */
export function takeEncoded(rows: EncodedRows, idx: ArrayLike<number>): EncodedRows {
  return {
    numRows: idx.length,
    num: rows.num.map((c) => Float64Array.from(idx, (i) => c[i])),
    cat: rows.cat.map((c) => Int32Array.from(idx, (i) => c[i])),
  };
}

const cache = new WeakMap<Table, WeakMap<Table, Map<Table | null, PrivacyContext>>>();

/**
 * The cached {@link PrivacyContext} for these tables (same table objects → same context, so metrics of one report
 * share their neighbour searches). Tables are immutable, so caching by identity is safe. `opts` apply when the
 * context is created (the report creates it first, with its options; metrics called later get the same context).
 */
export function privacyContext(real: Table, synthetic: Table, holdout: Table | undefined, opts: PrivacyContextOptions = {}): PrivacyContext {
  let bySynth = cache.get(real);
  if (!bySynth) cache.set(real, (bySynth = new WeakMap()));
  let byHold = bySynth.get(synthetic);
  if (!byHold) bySynth.set(synthetic, (byHold = new Map()));
  const h = holdout ?? null;
  let ctx = byHold.get(h);
  if (!ctx) byHold.set(h, (ctx = new PrivacyContext(real, synthetic, h, opts)));
  return ctx;
}
