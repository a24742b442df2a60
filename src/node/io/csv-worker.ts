/**
 * Worker-thread entry of the two-part CSV reader (`parsePartsInWorker`): takes pieces of the file's second half
 * from the back (whole rows, no header), parses each with the byte reader and posts its columns back, moving the
 * typed arrays. A failure posts `{ ok: false }` for that piece: the reader then parses from there itself, and
 * reports any error exactly as a whole-file read would. The worker stays for later files.
 */
import { parentPort } from 'node:worker_threads';
import { TableBuilder } from '../../core/table/infer-builder.js';
import { ByteFileReader } from './csv-bytes.js';
import { roomPart, takePiece, type CsvPartReply, type CsvPartTask } from './csv-parallel.js';

const port = parentPort;
if (!port) throw new Error('csv-worker.ts must run in a worker thread.');

port.on('message', (m: { id: number; task: CsvPartTask }) => {
  void run(m.id, m.task).finally(() => port.postMessage({ id: m.id, done: true } satisfies CsvPartReply));
});

/** Takes pieces from the back until none is left, posting each one's columns (or `ok: false`) as it is done. */
async function run(id: number, task: CsvPartTask): Promise<void> {
  const claim = new Int32Array(task.claim);
  const pieces = task.bounds.length - 1;
  for (let k = takePiece(claim, pieces, true); k >= 0; k = takePiece(claim, pieces, true)) {
    let done: Awaited<ReturnType<typeof parsePiece>> = null;
    try {
      if (task.delayMs) await new Promise((r) => setTimeout(r, task.delayMs));
      done = await parsePiece(task, k, pieces);
      if (task.fail) done = null;
    } catch {
      done = null;
    }
    if (done) port!.postMessage({ id, piece: k, ok: true, states: done.states } satisfies CsvPartReply, done.transfer);
    else port!.postMessage({ id, piece: k, ok: false } satisfies CsvPartReply);
  }
}

async function parsePiece(task: CsvPartTask, k: number, pieces: number) {
  const from = task.bounds[k], to = task.bounds[k + 1];
  const capacity = Math.max(1024, Math.ceil(((to - from) / task.bytesPerRow) * 1.02));
  // With shared rooms the rows go straight into the piece's region of the reader's arrays (past it, into our own).
  const { rooms, regions } = task;
  const room = rooms && regions ? (j: number) => roomPart(rooms[j], regions[k], regions[k + 1]) : undefined;
  const reader = await ByteFileReader.open(task.path, { delimiter: task.delimiter, names: task.names, start: (names) => new TableBuilder(names, capacity, room) });
  if (!reader) return null;
  let end: number;
  try {
    // A piece before the last must end exactly at its bound (else a quoted field runs over it: the reader reads on).
    end = await reader.read(from, to, k === pieces - 1);
  } finally {
    await reader.close();
  }
  if (end !== to || !reader.builder) return null;
  const states = reader.builder.columns.map((c) => c.exportState());
  const buffers = new Set<ArrayBuffer>();
  for (const s of states) for (const a of [s.nums, s.tok, s.codes, s.hashes, s.missCounts, s.small, s.labelBytes, s.labelEnds]) if (a && a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  return { states, transfer: [...buffers] };
}
