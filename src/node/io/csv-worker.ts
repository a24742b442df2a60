/**
 * Worker-thread entry of the parallel CSV reader (`readCsvPartInWorker`): parses the byte range of one part of a
 * file (whole rows, no header) into column builders and posts their contents back, moving the typed arrays.
 * Any failure posts `{ ok: false }`: the main thread then parses the part itself and reports the error exactly as
 * a whole-file read would (file, row, line).
 */
import { createReadStream } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { TableBuilder } from '../../core/table/infer-builder.js';
import { CsvParser } from './csv-parser.js';
import type { CsvPartTask } from './csv-parallel.js';

const port = parentPort;
if (!port) throw new Error('csv-worker.ts must run in a worker thread.');

port.once('message', (task: CsvPartTask) => {
  void parsePart(task).then(
    ({ states, transfer }) => port.postMessage({ ok: true, states }, transfer),
    (e: unknown) => port.postMessage({ ok: false, message: String((e as Error)?.message ?? e) }),
  );
});

async function parsePart(task: CsvPartTask) {
  const parser = new CsvParser({ delimiter: task.delimiter, newline: task.newline, header: task.names, start: (names) => new TableBuilder(names, task.capacity) });
  // A part starts inside the file: a U+FEFF there is data, not a byte-order mark.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  for await (const chunk of createReadStream(task.path, { start: task.start, end: task.end - 1, highWaterMark: 1 << 16 })) {
    const text = decoder.decode(chunk as Buffer, { stream: true });
    if (text) parser.write(text);
  }
  const tail = decoder.decode();
  if (tail) parser.write(tail);
  const states = parser.end().columns.map((c) => c.exportState());
  const buffers = new Set<ArrayBuffer>();
  for (const s of states) for (const a of [s.nums, s.tok, s.codes, s.hashes, s.missCounts, s.small]) if (a && a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  return { states, transfer: [...buffers] };
}
