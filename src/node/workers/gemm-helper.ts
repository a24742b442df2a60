import { MessageChannel, Worker } from 'node:worker_threads';
import { SynthopsError } from '../../core/errors.js';
import { kernelModule, type GemmHelper } from '../../core/neural/gemm.js';

// The helper thread: its own instance of the SIMD kernel module, fed through a SharedArrayBuffer. It sleeps in
// Atomics.wait on control[0]: 1 = a job is posted, 2 = done, 3 = quit, 4 = the job failed. control[1..8] = m, k, n, from, accumulate,
// float offsets of A, B, C in the data buffer; control[9] = 1 when a bigger data buffer waits on the port.
// Plain JavaScript evaluated in the worker, so it runs the same from TypeScript sources and from dist.
const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { module, control, port } = workerData;
let data = new Float32Array(workerData.data);
const ex = new WebAssembly.Instance(module, {}).exports;
const base = (ex.heapBase() + 63) & ~63;
const KC = ${256};
const align = (x) => (x + 63) & ~63;
for (;;) {
  let cmd = Atomics.load(control, 0);
  while (cmd === 0 || cmd === 2) {
    Atomics.wait(control, 0, cmd);
    cmd = Atomics.load(control, 0);
  }
  if (cmd === 3) break;
  try {
  if (control[9] === 1) {
    // The buffer was posted before the job; wait (1 ms at a time) in case the message is still in flight.
    let msg;
    while (!(msg = receiveMessageOnPort(port))) Atomics.wait(control, 10, 0, 1);
    data = new Float32Array(msg.message);
    control[9] = 0;
  }
  const m = control[1], k = control[2], n = control[3], from = control[4], acc = control[5];
  const oa = control[6], ob = control[7], oc = control[8], rows = m - from;
  const pa = base, pb = align(pa + rows * k * 4), pc = align(pb + k * n * 4), need = pc + rows * n * 4;
  const have = ex.memory.buffer.byteLength;
  if (need > have) ex.memory.grow(Math.ceil((need - have) / 65536));
  const heap = new Float32Array(ex.memory.buffer);
  heap.set(data.subarray(oa, oa + rows * k), pa >> 2);
  heap.set(data.subarray(ob, ob + k * n), pb >> 2);
  if (acc) heap.set(data.subarray(oc, oc + rows * n), pc >> 2);
  for (let k0 = 0; k0 < k; k0 += KC) ex.gemm(rows, Math.min(KC, k - k0), n, pa + k0 * 4, pb + k0 * n * 4, pc, acc || k0 > 0 ? 1 : 0, k);
  data.set(heap.subarray(pc >> 2, (pc >> 2) + rows * n), oc);
  Atomics.store(control, 0, 2);
  } catch {
    Atomics.store(control, 0, 4);
  }
  Atomics.notify(control, 0);
}
`;

/**
 * Starts one helper thread for the neural engine's matrix multiply (see `GemmHelper` in core/neural/gemm.ts):
 * large products are split by rows between the calling thread and this one, with bit-identical results, so
 * TVAE/CTGAN training uses two cores. Returns null when WebAssembly SIMD is unavailable. Pass it to a fit as
 * `{ gemm: { helper: h.helper } }` (or to `new Gemm({ helper })`); `close()` stops the thread (it never keeps the
 * process alive).
 *
 * @example
 * const h = startGemmHelper();
 * try { await tvae.create().fit(table, { seed: 1, gemm: { helper: h?.helper } }); } finally { h?.close(); }
 */
export function startGemmHelper(): { helper: GemmHelper; close: () => void } | null {
  const module = kernelModule();
  if (!module) return null;
  const control = new Int32Array(new SharedArrayBuffer(16 * 4));
  let data = new Float32Array(new SharedArrayBuffer(1 << 22));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, control, port: port2, data: data.buffer }, transferList: [port2] });
  worker.unref();
  port1.unref();
  let closed = false;
  const helper: GemmHelper = {
    start(m, k, n, a, b, c, accumulate, from) {
      const rows = m - from;
      const oa = 0, ob = rows * k, oc = ob + k * n, need = oc + rows * n;
      if (need > data.length) {
        data = new Float32Array(new SharedArrayBuffer(Math.max(need, data.length * 2) * 4));
        port1.postMessage(data.buffer);
        control[9] = 1;
      }
      data.set(a.subarray(from * k, m * k), oa);
      data.set(b.subarray(0, k * n), ob);
      if (accumulate) data.set(c.subarray(from * n, m * n), oc);
      control[1] = m;
      control[2] = k;
      control[3] = n;
      control[4] = from;
      control[5] = accumulate ? 1 : 0;
      control[6] = oa;
      control[7] = ob;
      control[8] = oc;
      Atomics.store(control, 0, 1);
      Atomics.notify(control, 0);
      return () => {
        // Loop: a wake-up can be stale (the helper's notify for the previous job may land after this job was
        // posted), so only a state other than 1 ends the wait.
        let state: number;
        while ((state = Atomics.load(control, 0)) === 1) Atomics.wait(control, 0, 1);
        Atomics.store(control, 0, 0);
        if (state !== 2) throw new SynthopsError('internal', 'internal error: the matrix-multiply helper thread failed.');
        c.set(data.subarray(oc, oc + rows * n), from * n);
      };
    },
  };
  return {
    helper,
    close() {
      if (closed) return;
      closed = true;
      Atomics.store(control, 0, 3);
      Atomics.notify(control, 0);
      void worker.terminate();
    },
  };
}
