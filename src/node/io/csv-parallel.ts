import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { ColumnBuilderState, ColumnRoom } from '../../core/table/infer-builder.js';
import { compiledIsFresh } from '../workers/pool.js';

/**
 * What the CSV worker parses: the pieces [bounds[k], bounds[k + 1]) of the file at `path` (whole rows, no header;
 * the last piece ends the file), taking them one at a time from the last one backwards while the reader takes
 * them from the first one forwards (`takePiece`), so a slow or late worker only ever holds up the pieces it took.
 */
export interface CsvPartTask {
  path: string;
  bounds: number[];
  delimiter: string;
  names: string[];
  /** Bytes per row (for the room made for each piece's rows). */
  bytesPerRow: number;
  /** One Int32 shared with the reader: pieces taken from the front (low 16 bits) and from the back (high 16). */
  claim: SharedArrayBuffer;
  /**
   * Each column's arrays for the whole file, on SharedArrayBuffers (see `sharedRooms`), and where piece k's rows go
   * in them: rows [regions[k], regions[k + 1]). Without them the worker's arrays are its own (moved back).
   */
  rooms?: ColumnRoom[];
  regions?: number[];
  /** For tests (`csvPartTuning`): wait this long before each piece; answer `ok: false` after parsing each piece. */
  delayMs?: number;
  fail?: boolean;
}

/**
 * Each of `columns` columns' arrays for `rows` rows on SharedArrayBuffers (numbers, tokens and label codes; pages
 * never written are never made resident), as rooms from row 0 named `id`.
 */
export function sharedRooms(columns: number, rows: number, id: number): ColumnRoom[] {
  return Array.from({ length: columns }, () => ({
    id,
    at: 0,
    nums: new Float64Array(new SharedArrayBuffer(rows * 8)),
    tok: new Uint8Array(new SharedArrayBuffer(rows)),
    codes: new Int32Array(new SharedArrayBuffer(rows * 4)),
  }));
}

/** Rows [from, to) of `room` (a room from row 0) as a room. */
export function roomPart(room: ColumnRoom, from: number, to: number): ColumnRoom {
  return { id: room.id, at: from, nums: room.nums.subarray(from, to), tok: room.tok.subarray(from, to), codes: room.codes.subarray(from, to) };
}

/** Settings of the two-part read, for tests (e.g. tiny regions, to make them overflow). */
export const csvPartTuning = {
  /** Spare rows in each region of the shared arrays, as a share of the rows estimated for it. */
  slack: 0.03,
  /**
   * The share of the file this thread reads before the pieces start, and the number of pieces after it: the worker
   * takes them from the back and this thread, after its share, from the front, so a worker that is late or still
   * slow (its first pieces run before its JIT has warmed up) holds up only the pieces it took.
   */
  firstShare: 0.5,
  pieces: 4,
  /** Tests only: make the worker late (ms before each piece), or fail each piece after writing its rows. */
  delayMs: 0,
  fail: false,
};

/** The worker's answer for one piece (its columns, or `ok: false`: it failed), or `done` when it took no more. */
export interface CsvPartReply {
  id: number;
  piece?: number;
  ok?: boolean;
  states?: ColumnBuilderState[];
  done?: boolean;
}

/**
 * Takes the next of `pieces` pieces from the front (the reader) or the back (the worker): its index, or -1 when
 * none is left. Lock-free on the shared claim word.
 */
export function takePiece(claim: Int32Array, pieces: number, fromBack: boolean): number {
  for (;;) {
    const v = Atomics.load(claim, 0);
    const front = v & 0xffff, back = v >>> 16;
    if (front + back >= pieces) return -1;
    const next = fromBack ? front | ((back + 1) << 16) : front + 1 + (back << 16);
    if (Atomics.compareExchange(claim, 0, v, next) === v) return fromBack ? pieces - 1 - back : front;
  }
}

/** Pieces taken from the back so far (by the worker). */
export function piecesTakenFromBack(claim: Int32Array): number {
  return Atomics.load(claim, 0) >>> 16;
}

const HERE = import.meta.url;
/** A small young generation keeps the worker's memory low (its strings are few: labels it had not seen). */
const LIMITS = { maxYoungGenerationSizeMb: 8 };
/** True when running from TypeScript sources (tsx, vitest) rather than compiled dist. */
const FROM_SOURCES = HERE.endsWith('.ts');
/** The CSV worker's entry and the Node-side modules it runs (src/core aside). */
const CSV_WORKER_SOURCES = ['node/io/csv-worker.ts', 'node/io/csv-bytes.ts', 'node/io/csv-parallel.ts'];

interface Shared {
  worker: Worker;
  /** Message handlers of the jobs in progress (by id). */
  pending: Map<number, (r: CsvPartReply | null) => void>;
  idle?: ReturnType<typeof setTimeout>;
  /** Stop the worker as soon as no job is left (it parsed a large part: its heap holds that part's leftovers). */
  stopWhenDone?: boolean;
}
/** An idle worker is stopped after this long (a burst of reads keeps it; its memory is not held for good). */
const IDLE_MS = 2000;
/** The one CSV worker of this process, started on first use and kept (unreferenced while idle) for later reads. */
let shared: Shared | null = null;
let nextId = 1;

function csvWorker(): Shared {
  if (shared) return shared;
  // From sources the worker runs the compiled dist/ when it is fresh (as the worker pool's do: no tsx to load, ≈ 40 MB
  // less at the 1M read's peak); else a tiny bootstrap registers tsx's loader in the worker first.
  const worker = compiledIsFresh(CSV_WORKER_SOURCES)
    ? new Worker(fileURLToPath(new URL('../../../dist/node/io/csv-worker.js', HERE)), { resourceLimits: LIMITS })
    : FROM_SOURCES
    ? new Worker(`import(${JSON.stringify(tsxApiUrl())}).then((m) => { m.register(); return import(${JSON.stringify(new URL('./csv-worker.ts', HERE).href)}); });`, { eval: true, resourceLimits: LIMITS })
    : new Worker(fileURLToPath(new URL('./csv-worker.js', HERE)), { resourceLimits: LIMITS });
  worker.unref();
  const s: Shared = { worker, pending: new Map() };
  const stop = () => {
    if (s.pending.size === 0) {
      if (shared === s) shared = null;
      void worker.terminate();
    }
  };
  const stopWhenIdle = () => {
    clearTimeout(s.idle);
    // Idle for a while (or done with a large part: at once): stopped, so its heap (the labels of the last part,
    // until some collection) is freed.
    if (s.stopWhenDone) stop();
    else s.idle = setTimeout(stop, IDLE_MS).unref();
  };
  const finished = (id: number) => {
    s.pending.delete(id);
    if (s.pending.size === 0) {
      worker.unref();
      stopWhenIdle();
    }
  };
  worker.on('message', (r: CsvPartReply) => {
    s.pending.get(r.id)?.(r);
    if (r.done) finished(r.id);
  });
  const fail = () => {
    if (shared === s) shared = null;
    for (const [id, f] of [...s.pending]) {
      f(null);
      finished(id);
    }
  };
  worker.once('error', fail);
  worker.once('exit', fail);
  stopWhenIdle();
  return (shared = s);
}

/** A job on the CSV worker: the columns of each piece it took, in any order. */
export interface CsvPartJob {
  /** Piece k's columns (a piece the worker took), or null when it failed on it or stopped. */
  piece(k: number): Promise<ColumnBuilderState[] | null>;
}

/** How many parts the worker parsed were joined on (for tests: the worker is used only when it is ready in time). */
export const csvPartStats = { joined: 0, inPlace: 0 };

/** Starts the CSV worker now (if it is not running), so it is ready by the time a part is sent. */
export function warmCsvWorker(): void {
  csvWorker();
}

/**
 * Sends a job to the CSV worker (see `CsvPartTask`). `large`: the worker is stopped once it is done (rather than
 * kept idle for a while for later reads), so that its heap — the labels and builders of a large part, until its
 * next collection — does not add to the reader's peak memory (1M × 20 file: 331–336 MB against 366–381 MB kept).
 */
export function parsePartsInWorker(task: CsvPartTask, large = false): CsvPartJob {
  const s = csvWorker();
  if (large) s.stopWhenDone = true;
  const id = nextId++;
  const got = new Map<number, ColumnBuilderState[] | null>();
  const waiting = new Map<number, (st: ColumnBuilderState[] | null) => void>();
  let failed = false;
  clearTimeout(s.idle);
  s.pending.set(id, (r) => {
    if (!r) {
      failed = true;
      for (const [k, f] of waiting) {
        waiting.delete(k);
        f(null);
      }
      return;
    }
    if (r.piece === undefined) return;
    const st = r.ok && r.states ? r.states : null;
    const f = waiting.get(r.piece);
    if (f) {
      waiting.delete(r.piece);
      f(st);
    } else got.set(r.piece, st);
  });
  s.worker.ref(); // a job in progress keeps the process alive
  s.worker.postMessage({ id, task });
  return {
    piece: (k) =>
      new Promise((resolve) => {
        if (got.has(k)) {
          const st = got.get(k)!;
          got.delete(k);
          resolve(st);
        } else if (failed) resolve(null);
        else waiting.set(k, resolve);
      }),
  };
}

/**
 * Where to cut a file of `size` bytes for a second thread: just after the first LF at or after `size * share`
 * (searched in the next 1 MiB), or -1 when there is none. Whether that LF really ends a row (it may sit inside a
 * quoted field) is checked by the caller: its parse of the first part must end exactly there.
 */
export async function splitPoint(path: string, size: number, share: number): Promise<number> {
  const from = Math.floor(size * share);
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(1 << 20, size - from));
    const { bytesRead } = await fh.read(buf, 0, buf.length, from);
    const k = buf.subarray(0, bytesRead).indexOf(10, 0);
    return k < 0 || from + k + 1 >= size ? -1 : from + k + 1;
  } finally {
    await fh.close();
  }
}

/**
 * Lets go of a joined part's typed arrays (their views become empty): the buffers are moved into a message on a
 * channel that is then closed. (Measured: this does not return their memory before a garbage collection —
 * `process.memoryUsage().arrayBuffers` is unchanged right after — so it does not lower a read's peak; it only
 * makes sure nothing uses them.) Only for arrays nothing else refers to.
 */
export function releaseBuffers(st: ColumnBuilderState): void {
  const buffers = new Set<ArrayBuffer>();
  for (const a of [st.nums, st.tok, st.codes, st.hashes]) if (a && a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0) buffers.add(a.buffer);
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(null, [...buffers]);
  port1.close();
  port2.close();
}

/** File URL of tsx's ESM register API (the `import` build: the CommonJS one cannot register from a worker). */
function tsxApiUrl(): string {
  const cjs = createRequire(HERE).resolve('tsx/esm/api');
  const mjs = cjs.replace(/\.cjs$/, '.mjs');
  return pathToFileURL(existsSync(mjs) ? mjs : cjs).href;
}
