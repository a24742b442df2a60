import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { ColumnBuilderState } from '../../core/table/infer-builder.js';

/** What the CSV worker parses: bytes [start, end) of the file at `path`, whole rows with no header, to its end. */
export interface CsvPartTask {
  path: string;
  start: number;
  end: number;
  delimiter: string;
  names: string[];
  /** Rows expected (room made at once). */
  capacity: number;
  /**
   * One Int32 shared with the reader: whoever sets it from 0 first (the worker to 1, the reader to 2) parses the
   * part, so a worker that is still starting when the reader is ready for the part never costs a wait.
   */
  claim: SharedArrayBuffer;
}

/** The worker's answer: the part's columns, or `ok: false` (it failed, or the reader claimed the part). */
export interface CsvPartReply {
  id: number;
  ok: boolean;
  states?: ColumnBuilderState[];
}

const HERE = import.meta.url;
/** A small young generation keeps the worker's memory low (its strings are few: labels it had not seen). */
const LIMITS = { maxYoungGenerationSizeMb: 8 };
/** True when running from TypeScript sources (tsx, vitest) rather than compiled dist. */
const FROM_SOURCES = HERE.endsWith('.ts');

interface Shared {
  worker: Worker;
  pending: Map<number, (r: CsvPartReply) => void>;
  idle?: ReturnType<typeof setTimeout>;
}
/** An idle worker is stopped after this long (a burst of reads keeps it; its memory is not held for good). */
const IDLE_MS = 2000;
/** The one CSV worker of this process, started on first use and kept (unreferenced while idle) for later reads. */
let shared: Shared | null = null;
let nextId = 1;

function csvWorker(): Shared {
  if (shared) return shared;
  const worker = FROM_SOURCES
    ? // From sources a tiny bootstrap registers tsx's loader in the worker first (as the worker pool does).
      new Worker(`import(${JSON.stringify(tsxApiUrl())}).then((m) => { m.register(); return import(${JSON.stringify(new URL('./csv-worker.ts', HERE).href)}); });`, { eval: true, resourceLimits: LIMITS })
    : new Worker(fileURLToPath(new URL('./csv-worker.js', HERE)), { resourceLimits: LIMITS });
  worker.unref();
  const s: Shared = { worker, pending: new Map() };
  const settle = (r: CsvPartReply) => {
    const f = s.pending.get(r.id);
    s.pending.delete(r.id);
    if (s.pending.size === 0) {
      worker.unref();
      // Idle for a while: stopped, so its heap (the labels of the last part, until some collection) is freed.
      clearTimeout(s.idle);
      s.idle = setTimeout(() => {
        if (s.pending.size === 0) {
          if (shared === s) shared = null;
          void worker.terminate();
        }
      }, IDLE_MS).unref();
    }
    f?.(r);
  };
  const fail = () => {
    if (shared === s) shared = null;
    for (const id of [...s.pending.keys()]) settle({ id, ok: false });
  };
  worker.on('message', settle);
  s.idle = setTimeout(() => {
    if (s.pending.size === 0) {
      if (shared === s) shared = null;
      void worker.terminate();
    }
  }, IDLE_MS).unref();
  worker.once('error', fail);
  worker.once('exit', fail);
  return (shared = s);
}

/** How many parts the worker parsed were joined on (for tests: the worker is used only when it is ready in time). */
export const csvPartStats = { joined: 0 };

/** Starts the CSV worker now (if it is not running), so it is ready by the time a part is sent. */
export function warmCsvWorker(): void {
  csvWorker();
}

/** Sends a part to the CSV worker. Resolves to its columns, or null (it failed, or the reader claimed the part). */
export function parsePartInWorker(task: CsvPartTask): Promise<ColumnBuilderState[] | null> {
  const s = csvWorker();
  const id = nextId++;
  return new Promise((resolve) => {
    clearTimeout(s.idle);
    s.pending.set(id, (r) => resolve(r.ok && r.states ? r.states : null));
    s.worker.ref(); // a pending part keeps the process alive
    s.worker.postMessage({ id, task });
  });
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
    const k = buf.subarray(0, bytesRead).indexOf(10);
    return k < 0 || from + k + 1 >= size ? -1 : from + k + 1;
  } finally {
    await fh.close();
  }
}

/**
 * Frees the memory of a joined part's typed arrays at once (their views become empty): the buffers are moved
 * into a message on a channel that is then closed, which drops the message and its buffers, instead of waiting
 * for a garbage collection to notice them. Only for arrays nothing else refers to.
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
