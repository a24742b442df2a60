/**
 * Worker-thread entry of the pool: imports a core module by URL, calls one of its exported functions with
 * the task's arguments and posts the result (or the error's code and message) back.
 */
import { parentPort } from 'node:worker_threads';

interface TaskMessage {
  id: number;
  module: string;
  name: string;
  args: unknown[];
}

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread.');
const modules = new Map<string, Promise<Record<string, unknown>>>();

port.on('message', (msg: TaskMessage) => {
  void (async () => {
    try {
      let mod = modules.get(msg.module);
      if (!mod) modules.set(msg.module, (mod = import(msg.module) as Promise<Record<string, unknown>>));
      const fn = (await mod)[msg.name];
      if (typeof fn !== 'function') throw Object.assign(new Error(`invalid task: ${msg.name} is not a function of its module.`), { code: 'internal' });
      const result = await (fn as (...a: unknown[]) => unknown)(...msg.args);
      port.postMessage({ id: msg.id, ok: true, result }, transferables(result));
    } catch (e) {
      const err = e as { name?: string; message?: string; code?: string; issues?: unknown; location?: unknown };
      port.postMessage({ id: msg.id, ok: false, error: { name: err?.name ?? 'Error', message: String(err?.message ?? e), code: err?.code, location: err?.location } });
    }
  })();
});

/** The distinct buffers of the typed arrays inside a result (moved, not copied, to the main thread). */
function transferables(v: unknown, out: ArrayBuffer[] = [], seen = new Set<unknown>(), depth = 0): ArrayBuffer[] {
  if (!v || typeof v !== 'object' || depth > 6 || seen.has(v)) return out;
  seen.add(v);
  if (ArrayBuffer.isView(v)) {
    const b = v.buffer;
    if (b instanceof ArrayBuffer && !seen.has(b)) {
      seen.add(b);
      out.push(b);
    }
    return out;
  }
  if (Array.isArray(v)) for (const x of v) transferables(x, out, seen, depth + 1);
  else for (const x of Object.values(v)) transferables(x, out, seen, depth + 1);
  return out;
}
