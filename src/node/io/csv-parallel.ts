import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { ColumnBuilderState } from '../../core/table/infer-builder.js';

/** What a CSV worker parses: bytes [start, end) of the file at `path`, whole rows with no header. */
export interface CsvPartTask {
  path: string;
  start: number;
  end: number;
  delimiter: string;
  newline: '\n' | '\r';
  names: string[];
  /** Rows expected (room made at once). */
  capacity: number;
}

/** A part being parsed on a worker thread. */
export interface CsvPartJob {
  /** Sends the task (the worker may still be starting). */
  send(task: CsvPartTask): void;
  /** The part's columns, or null when the worker failed in any way (the caller then parses the part itself). */
  readonly result: Promise<ColumnBuilderState[] | null>;
  /** Stops the worker (safe at any time, twice too). */
  stop(): void;
}

const HERE = import.meta.url;
/** A small young generation: the worker's short-lived strings are collected often, keeping its memory low. */
const LIMITS = { maxYoungGenerationSizeMb: 4 };
/** True when running from TypeScript sources (tsx, vitest) rather than compiled dist. */
const FROM_SOURCES = HERE.endsWith('.ts');

/**
 * Starts a worker thread for one part of a CSV file; `send` gives it the part once the header is known. The worker
 * starts at once, so its start-up (tens of milliseconds) overlaps the main thread's own parsing.
 */
export function startCsvPartJob(): CsvPartJob {
  const worker = FROM_SOURCES
    ? // From sources a tiny bootstrap registers tsx's loader in the worker first (as the worker pool does).
      new Worker(`import(${JSON.stringify(tsxApiUrl())}).then((m) => { m.register(); return import(${JSON.stringify(new URL('./csv-worker.ts', HERE).href)}); });`, { eval: true, resourceLimits: LIMITS })
    : new Worker(fileURLToPath(new URL('./csv-worker.js', HERE)), { resourceLimits: LIMITS });
  const result = new Promise<ColumnBuilderState[] | null>((resolve) => {
    worker.once('message', (m: { ok: boolean; states?: ColumnBuilderState[] }) => resolve(m.ok ? m.states! : null));
    worker.once('error', () => resolve(null));
    worker.once('exit', () => resolve(null));
  });
  return {
    send: (task) => worker.postMessage(task),
    result,
    stop: () => void worker.terminate(),
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
