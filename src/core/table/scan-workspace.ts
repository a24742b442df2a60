import { lazyWasmModule } from '../wasm-module.js';
import { CSV_SCAN_WASM_BASE64 } from './csv-scan.wasm.js';
import type { LabelIndex } from './label-index.js';

/** The compiled field scanners (see wasm/csvscan.ts); null where the runtime has no WebAssembly. */
const scanModule = lazyWasmModule(CSV_SCAN_WASM_BASE64);

interface Exports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  scanNumbers(pos: number, ends: number, r0: number, count: number, d: number, last: boolean, out: number, tok: number, st: number): number;
  scanLabels(t: number, pos: number, ends: number, r0: number, count: number, d: number, last: boolean, out: number): number;
  addLabels(t: number, from: number, lens: number, n: number): boolean;
  rows(a: number, L: number, final: boolean, most: number, pos: number, ends: number, st: number): number;
  scanDates(sep: number, pos: number, ends: number, r0: number, count: number, d: number, last: boolean, out: number, tok: number): number;
  rehash(t: number, slots: number, mask: number): boolean;
}

/**
 * Where the number scanner's state lies (see wasm/csvscan.ts `scanNumbers`): indices in `ScanWorkspace.stateF` (f64)
 * and `stateI` (i32) of the same 256 bytes.
 */
export const NUMBER_STATE = { lo: 0, hi: 1, small: 2, maxDec: 36, minDec: 37, integer: 38, smallN: 39, smallBits: 40, missing: 41, numbers: 42 } as const;

/** Bytes of a stretch of the file the workspace holds at first (the reader's 1 MiB chunks; a longer stretch gets a bigger region). */
const REGION = (1 << 20) + (64 << 10);
/** Most WebAssembly memory a workspace takes; past it a batch or a label table is read in TypeScript. */
const MAX_BYTES = 512 << 20;
const PAGE = 1 << 16;
/** Labels a column's table holds at most: a column with more (ids, free text) is read in TypeScript, as before. */
const MAX_LABELS = 4096;
/** The datetime formats the date scanner reads, and the byte between date and time (0: a date alone). */
const ISO_SEPARATOR: Record<string, number | undefined> = { 'YYYY-MM-DD': 0, 'YYYY-MM-DD HH:mm:ss': 32, 'YYYY-MM-DDTHH:mm:ss': 84 };
/** Guess slots of a label table (see wasm/csvscan.ts `scanLabels`). */
const GUESSES = 1024;
/** Bytes kept readable past anything the scanners read (they compare 8 bytes at a time). */
const SLACK = 16;

/**
 * A WebAssembly memory and instance of the CSV field scanners for one read (see wasm/csvscan.ts): a reader copies
 * each stretch of the file it parses into it (`hold`), finds the rows there in batches (`rows`), and a column builder
 * reads its field of every row of a batch (`ColumnBuilder.scanColumn` with the workspace) — numbers with their
 * summaries, labels through a table that mirrors the column's `LabelIndex`, and dates of the three ISO formats. The
 * same loops as the TypeScript ones, with the same results; what they do not read (a new label, a type change, a
 * date of another format) stays with TypeScript, on the same bytes.
 *
 * WebAssembly runs compiled from its first call: a file read once in a fresh process is parsed at full speed from
 * its first rows, where JavaScript would still be interpreted (adult, 3.4 MB: about half its first read).
 *
 * Views (`bytes`, `pos`, `ends`, …) are of the memory as it is now: anything that may grow it (`mirror`, a label
 * table's `sync`, `hold`) makes new ones, so take them again afterwards.
 */
export class ScanWorkspace {
  readonly batch: number;
  /** Changes at each `reset` (a new builder's columns): label tables made before belong to dropped columns. */
  epoch = 0;
  /** The whole memory: a batch's bytes are at `pos`/`ends` addresses in it. */
  bytes!: Uint8Array;
  /** Where each row of the batch has its next field, and where it ends (addresses in `bytes`). */
  pos!: Int32Array;
  ends!: Int32Array;
  /** A scan's outputs (value r - r0 of the rows read): numbers with their decimals byte, or label codes. */
  outNums!: Float64Array;
  outTok!: Uint8Array;
  outCodes!: Int32Array;
  /** The number scanner's state (see `NUMBER_STATE`). */
  stateF!: Float64Array;
  stateI!: Int32Array;
  private readonly ex: Exports;
  /** @internal Addresses of `pos`, `ends` and `outCodes` (for `LabelMirror`). */
  readonly posAt: number;
  readonly endsAt: number;
  readonly codesAt: number;
  private readonly outAt: number;
  private readonly tokAt: number;
  private readonly stateAt: number;
  private regionAt: number;
  private regionCap: number;
  private heapAt: number;
  private top: number;

  private constructor(ex: Exports, batch: number) {
    this.ex = ex;
    this.batch = batch;
    let at = align(ex.heapBase());
    const take = (n: number): number => {
      const a = at;
      at = align(at + n);
      return a;
    };
    this.stateAt = take(256);
    this.posAt = take(4 * batch);
    this.endsAt = take(4 * batch);
    this.outAt = take(8 * batch);
    this.codesAt = take(4 * batch);
    this.tokAt = take(batch);
    this.regionAt = take(REGION);
    this.regionCap = REGION;
    this.heapAt = this.top = at;
    this.fit(at + (64 << 10));
    this.views();
  }

  /** A workspace for batches of up to `batch` rows, or null where WebAssembly is not available. */
  static create(batch: number): ScanWorkspace | null {
    const mod = scanModule();
    if (!mod) return null;
    try {
      return new ScanWorkspace(new WebAssembly.Instance(mod, {}).exports as unknown as Exports, batch);
    } catch {
      return null;
    }
  }

  /**
   * Copies `src` (a stretch of a delimited file, from a row's start) into the workspace: returns the address of its
   * first byte in `bytes`, or -1 when it does not fit (it is then read in TypeScript).
   */
  hold(src: Uint8Array): number {
    const n = src.length;
    if (n > this.regionCap) {
      const at = this.alloc(n * 2);
      if (at < 0) return -1;
      this.regionAt = at;
      this.regionCap = n * 2;
      // (Label tables are made after it from now on: a `reset` must not give its memory away.)
      this.heapAt = this.top;
    }
    this.bytes.set(src, this.regionAt);
    return this.regionAt;
  }

  /**
   * The next rows of the held stretch, from address a to L (see wasm/csvscan.ts `rows`): up to `most` rows' bounds
   * go to `pos`/`ends`; returns how many. `next` is then where they end, `stop` why (0 the end or `most` rows, 1 the
   * next row holds a quote, 2 the next row does not end by L and the stretch is not `final`).
   */
  rows(a: number, L: number, final: boolean, most: number): number {
    return this.ex.rows(a, L, final, Math.min(most, this.batch), this.posAt, this.endsAt, this.stateAt);
  }
  get next(): number {
    return this.stateI[48];
  }
  get stop(): number {
    return this.stateI[49];
  }

  /** Runs the number scanner (see wasm/csvscan.ts `scanNumbers`) on the loaded batch, with `stateF`/`stateI` as its state. */
  scanNumbers(r0: number, count: number, d: number, last: boolean): number {
    return this.ex.scanNumbers(this.posAt, this.endsAt, r0, count, d, last, this.outAt, this.tokAt, this.stateAt);
  }

  /**
   * Runs the date scanner (see wasm/csvscan.ts `scanDates`) for the ISO format `pattern` on the loaded batch: the
   * epoch milliseconds go to `outNums`. Returns as `scanNumbers`; `r0` (nothing read) for a format it does not read.
   */
  scanDates(pattern: string, r0: number, count: number, d: number, last: boolean): number {
    const sep = ISO_SEPARATOR[pattern];
    if (sep === undefined) return r0;
    return this.ex.scanDates(sep, this.posAt, this.endsAt, r0, count, d, last, this.outAt, this.tokAt);
  }

  /** A label table for the column whose labels `index` holds (in sync with it through `LabelMirror.sync`). */
  mirror(index: LabelIndex): LabelMirror {
    return new LabelMirror(this, index);
  }

  /** The rows go on into new builders: the label tables so far are dropped and their memory taken again. */
  reset(): void {
    this.top = this.heapAt;
    this.epoch++;
  }

  /** @internal For `LabelMirror`. */
  get exports(): Exports {
    return this.ex;
  }

  /** @internal `n` bytes of the workspace's heap (8-aligned, not zeroed), growing the memory; -1 past its limit. */
  alloc(n: number): number {
    const at = this.top, end = align(at + n);
    if (end + SLACK > MAX_BYTES) return -1;
    this.fit(end + SLACK);
    this.top = end;
    return at;
  }

  /** Grows the memory to hold `end` bytes (new views when it grew). */
  private fit(end: number): void {
    const mem = this.ex.memory, have = mem.buffer.byteLength;
    if (end <= have) return;
    mem.grow(Math.ceil((Math.max(end, have * 1.5) - have) / PAGE));
    this.views();
  }

  private views(): void {
    const buf = this.ex.memory.buffer, b = this.batch;
    this.bytes = new Uint8Array(buf);
    this.pos = new Int32Array(buf, this.posAt, b);
    this.ends = new Int32Array(buf, this.endsAt, b);
    this.outNums = new Float64Array(buf, this.outAt, b);
    this.outTok = new Uint8Array(buf, this.tokAt, b);
    this.outCodes = new Int32Array(buf, this.codesAt, b);
    this.stateF = new Float64Array(buf, this.stateAt, 32);
    this.stateI = new Int32Array(buf, this.stateAt, 64);
  }
}

/**
 * A column's label table in a workspace: the same labels with the same codes as its `LabelIndex`, which stays the
 * column's dictionary (labels added there from TypeScript are copied in by `sync` before each scan).
 */
export class LabelMirror {
  /** Labels copied in so far. */
  private synced = 0;
  private readonly hdr: number;
  private mask = 63;
  private labelCap = 64;
  private pool = -1;
  private poolCap = 0;
  private poolLen = 0;
  /** The table gave up (too many labels, or no memory): the column is read in TypeScript. */
  off = false;
  readonly epoch: number;

  constructor(
    readonly ws: ScanWorkspace,
    readonly index: LabelIndex,
  ) {
    this.epoch = ws.epoch;
    this.hdr = ws.alloc(24);
    const slots = ws.alloc(4 * (this.mask + 1)), labels = ws.alloc(12 * this.labelCap), guesses = ws.alloc(4 * GUESSES);
    this.poolCap = 1024;
    this.pool = ws.alloc(this.poolCap);
    if (this.hdr < 0 || slots < 0 || labels < 0 || guesses < 0 || this.pool < 0) {
      this.off = true;
      return;
    }
    ws.bytes.fill(0, guesses, guesses + 4 * GUESSES);
    const h = this.header();
    h[2] = labels;
    h[3] = 0;
    h[4] = this.pool;
    h[5] = guesses;
    if (!ws.exports.rehash(this.hdr, slots, this.mask)) this.off = true;
  }

  /** Whether this table still serves its column: a workspace reset or a new `LabelIndex` (a type change) ends it. */
  serves(ws: ScanWorkspace, index: LabelIndex): boolean {
    return this.ws === ws && this.epoch === ws.epoch && this.index === index;
  }

  /** Copies in the labels the index has gained; false (and `off`) when the table would grow past its limit. */
  sync(): boolean {
    if (this.off) return false;
    const n = this.index.size;
    if (n === this.synced) return true;
    if (n > MAX_LABELS || !this.room(n)) {
      this.off = true;
      return false;
    }
    const { pool, ends } = this.index.bytesView();
    const ws = this.ws, step = ws.batch;
    for (let c = this.synced; c < n; ) {
      const m = Math.min(step, n - c);
      const from = c > 0 ? ends[c - 1] : 0, to = ends[c + m - 1];
      // (Views taken after `room`, which may have grown the memory.)
      ws.bytes.set(pool.subarray(from, to), this.pool + this.poolLen);
      const lens = ws.outCodes, shift = this.poolLen - from;
      for (let i = 0; i < m; i++) lens[i] = ends[c + i] + shift;
      if (!ws.exports.addLabels(this.hdr, this.poolLen, ws.codesAt, m)) {
        this.off = true;
        return false;
      }
      this.poolLen += to - from;
      c += m;
    }
    this.synced = n;
    return true;
  }

  /** Runs the label scanner (see wasm/csvscan.ts `scanLabels`) on the workspace's batch: codes go to `ws.outCodes`. */
  scan(r0: number, count: number, d: number, last: boolean): number {
    const ws = this.ws;
    return ws.exports.scanLabels(this.hdr, ws.posAt, ws.endsAt, r0, count, d, last, ws.codesAt);
  }

  /** Makes room for `n` labels (the table at most half full) and their bytes; false when memory runs out. */
  private room(n: number): boolean {
    const ws = this.ws;
    const { ends } = this.index.bytesView();
    const bytes = ends[n - 1] - (this.synced > 0 ? ends[this.synced - 1] : 0);
    if (this.poolLen + bytes > this.poolCap) {
      const cap = Math.max(this.poolCap * 2, this.poolLen + bytes);
      const at = ws.alloc(cap);
      if (at < 0) return false;
      ws.bytes.copyWithin(at, this.pool, this.pool + this.poolLen);
      this.pool = at;
      this.poolCap = cap;
      this.header()[4] = at;
    }
    if (n > this.labelCap) {
      let cap = this.labelCap;
      while (cap < n) cap *= 2;
      const at = ws.alloc(12 * cap);
      if (at < 0) return false;
      const old = this.header()[2];
      ws.bytes.copyWithin(at, old, old + 12 * this.synced);
      this.labelCap = cap;
      this.header()[2] = at;
    }
    if (2 * n > this.mask + 1) {
      let slots = this.mask + 1;
      while (2 * n > slots) slots *= 2;
      const at = ws.alloc(4 * slots);
      if (at < 0) return false;
      this.mask = slots - 1;
      if (!ws.exports.rehash(this.hdr, at, this.mask)) return false;
    }
    return true;
  }

  private header(): Int32Array {
    return new Int32Array(this.ws.bytes.buffer, this.hdr, 6);
  }
}

const align = (n: number): number => (n + 7) & ~7;
