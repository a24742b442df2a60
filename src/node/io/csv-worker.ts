/**
 * Worker-thread entry of the two-part CSV reader (`parsePartInWorker`): parses the byte range of one part of a
 * file (whole rows, no header) with the byte reader and posts the columns back, moving the typed arrays. Any
 * failure (or the reader having claimed the part first) posts `{ ok: false }`: the reader then parses the part
 * itself, and reports any error exactly as a whole-file read would. The worker stays for later parts.
 */
import { parentPort } from 'node:worker_threads';
import { TableBuilder } from '../../core/table/infer-builder.js';
import { ByteFileReader } from './csv-bytes.js';
import type { CsvPartReply, CsvPartTask } from './csv-parallel.js';

const port = parentPort;
if (!port) throw new Error('csv-worker.ts must run in a worker thread.');

port.on('message', (m: { id: number; task: CsvPartTask }) => {
  void parsePart(m.task).then(
    (done) => (done ? port.postMessage({ id: m.id, ok: true, states: done.states } satisfies CsvPartReply, done.transfer) : port.postMessage({ id: m.id, ok: false } satisfies CsvPartReply)),
    () => port.postMessage({ id: m.id, ok: false } satisfies CsvPartReply),
  );
});

async function parsePart(task: CsvPartTask) {
  if (Atomics.compareExchange(new Int32Array(task.claim), 0, 0, 1) !== 0) return null;
  const reader = await ByteFileReader.open(task.path, { delimiter: task.delimiter, names: task.names, start: (names) => new TableBuilder(names, task.capacity) });
  if (!reader) return null;
  let end: number;
  try {
    end = await reader.read(task.start, task.end, true);
  } finally {
    await reader.close();
  }
  if (end < 0 || !reader.builder) return null;
  const states = reader.builder.columns.map((c) => c.exportState());
  const buffers = new Set<ArrayBuffer>();
  for (const s of states) for (const a of [s.nums, s.tok, s.codes, s.hashes, s.missCounts, s.small]) if (a && a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  return { states, transfer: [...buffers] };
}
