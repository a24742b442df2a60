/**
 * A model behind an HTTP prediction endpoint, as a PredictiveModel: rows go out as JSON in batches, predictions
 * come back, with a timeout per request and retries with exponential backoff on timeouts, network errors, 429
 * and 5xx. Anything malformed becomes one clear SynthopsError naming the batch; response bodies and row values
 * are never echoed.
 *
 * Protocol: POST `{"rows": [{feature: value, …}, …]}` → `{"predictions": [...]}` with one entry per row:
 * - a number: the predicted value (regression) or P(positive class) (binary; needs `classes` = [negative, positive]);
 * - a string: the predicted class (probability 1);
 * - an object `{class: probability, …}`;
 * - an array of probabilities, in the order of `classes` (option) or of a top-level `"classes"` in the response.
 */
import { SynthopsError } from '../../core/errors.js';
import type { PredictiveModel } from '../../core/model-eval/model.js';
import type { Table } from '../../core/table/table.js';

/** Options of `endpointModel`. */
export interface EndpointOptions {
  /** http(s) URL of the prediction endpoint. */
  url: string;
  task: 'classification' | 'regression';
  /** Feature columns sent for every row. */
  features: string[];
  /** Classification: class labels; needed when the endpoint returns bare numbers or arrays without "classes". */
  classes?: string[];
  /** Rows per request. Default 256. */
  batchSize?: number;
  /** Milliseconds per request attempt. Default 10000. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** First backoff in ms, doubled per retry. Default 200. */
  backoffMs?: number;
  /** Extra request headers (e.g. authorization). */
  headers?: Record<string, string>;
  /** Injected for tests; default global fetch. */
  fetch?: typeof fetch;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); reject(new SynthopsError('aborted', 'the operation was cancelled.')); }, { once: true });
  });

/**
 * The endpoint as a model (classes are learned from the first response when not given).
 * @example const m = endpointModel({ url: 'http://127.0.0.1:8080/predict', task: 'classification', features });
 */
export function endpointModel(opts: EndpointOptions): PredictiveModel & { requests: number } {
  let url: URL;
  try { url = new URL(opts.url); } catch { throw new SynthopsError('invalid_argument', `invalid endpoint URL: ${JSON.stringify(opts.url)}. Use an http:// or https:// address.`); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SynthopsError('invalid_argument', `invalid endpoint URL scheme: ${url.protocol}. Use http or https.`);
  const batchSize = opts.batchSize ?? 256, timeoutMs = opts.timeoutMs ?? 10000, retries = opts.retries ?? 3, backoff = opts.backoffMs ?? 200;
  const doFetch = opts.fetch ?? fetch;
  const model: PredictiveModel & { requests: number } = {
    task: opts.task,
    ...(opts.classes ? { classes: [...opts.classes] } : {}),
    features: opts.features,
    info: { kind: 'http-endpoint', url: `${url.origin}${url.pathname}`, batchSize, timeoutMs, retries },
    requests: 0,
    async predict(table: Table, popts = {}): Promise<Float64Array> {
      for (const f of opts.features) if (!table.has(f)) throw new SynthopsError('schema_mismatch', `invalid data: the feature "${f}" sent to the endpoint is missing.`, { column: f });
      const n = table.numRows;
      const sel = table.select(opts.features);
      const chunks: Float64Array[] = [];
      for (let start = 0, b = 0; start < n; start += batchSize, b++) {
        const rows = sel.slice(start, Math.min(n, start + batchSize)).toRows();
        const body = await post(JSON.stringify({ rows }), b, popts.signal);
        chunks.push(parse(body, rows.length, b));
      }
      const width = opts.task === 'regression' ? 1 : model.classes!.length;
      const out = new Float64Array(n * width);
      let o = 0;
      for (const c of chunks) { out.set(c, o); o += c.length; }
      return out;
    },
  };

  async function post(body: string, batch: number, signal?: AbortSignal): Promise<unknown> {
    let last = '';
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(backoff * 2 ** (attempt - 1), signal);
      if (signal?.aborted) throw new SynthopsError('aborted', 'the operation was cancelled.');
      const timeout = AbortSignal.timeout(timeoutMs);
      const sig = signal ? AbortSignal.any([signal, timeout]) : timeout;
      model.requests++;
      let res: Response;
      try {
        res = await doFetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...opts.headers }, body, signal: sig });
      } catch (e) {
        if (signal?.aborted) throw new SynthopsError('aborted', 'the operation was cancelled.');
        last = timeout.aborted ? `no answer within ${timeoutMs} ms` : `network error (${(e as Error).name})`;
        continue;
      }
      if (res.status === 429 || res.status >= 500) {
        last = `HTTP ${res.status}`;
        await res.body?.cancel();
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new SynthopsError('invalid_input', `invalid endpoint response to batch ${batch + 1}: HTTP ${res.status}. Check the URL and the request format ({"rows": [...]}).`);
      }
      let text: string;
      try { text = await res.text(); } catch {
        last = timeout.aborted ? `no answer within ${timeoutMs} ms` : 'connection lost while reading';
        continue;
      }
      try { return JSON.parse(text); } catch {
        throw new SynthopsError('invalid_input', `invalid endpoint response to batch ${batch + 1}: not JSON. Expected {"predictions": [...]}.`);
      }
    }
    throw new SynthopsError('invalid_input', `endpoint failed on batch ${batch + 1} after ${retries + 1} attempts: ${last}. Nothing was written.`);
  }

  function parse(body: unknown, rows: number, batch: number): Float64Array {
    const bad = (why: string): never => { throw new SynthopsError('invalid_input', `invalid endpoint response to batch ${batch + 1}: ${why}. Expected {"predictions": [...]} with one entry per row.`); };
    const b = body as { predictions?: unknown; classes?: unknown };
    if (!b || typeof b !== 'object' || !Array.isArray(b.predictions)) bad('no "predictions" list');
    const preds = b.predictions as unknown[];
    if (preds.length !== rows) bad(`${preds.length} predictions for ${rows} rows`);
    if (opts.task === 'regression') {
      const out = new Float64Array(rows);
      preds.forEach((p, i) => { if (typeof p !== 'number' || !Number.isFinite(p)) bad(`prediction ${i + 1} is not a finite number`); out[i] = p as number; });
      return out;
    }
    if (!model.classes && Array.isArray(b.classes) && b.classes.every((c) => typeof c === 'string')) model.classes = [...(b.classes as string[])];
    if (!model.classes) {
      const first = preds[0];
      if (first && typeof first === 'object' && !Array.isArray(first)) model.classes = Object.keys(first).sort();
      else if (typeof first === 'string') model.classes = [...new Set(preds as string[])].sort();
      else bad('class labels unknown (give "classes" in the response or the classes option)');
    }
    const classes = model.classes!;
    const k = classes.length;
    const index = new Map(classes.map((c, i) => [c, i]));
    const out = new Float64Array(rows * k);
    preds.forEach((p, i) => {
      if (typeof p === 'number') {
        if (k !== 2 || !(p >= 0 && p <= 1)) bad(`prediction ${i + 1} is a number but not a probability of a binary task`);
        out[i * 2] = 1 - p; out[i * 2 + 1] = p;
      } else if (typeof p === 'string') {
        let c = index.get(p);
        if (c === undefined) { classes.push(p); index.set(p, (c = classes.length - 1)); bad(`prediction ${i + 1} is a class not announced earlier`); }
        out[i * k + c!] = 1;
      } else if (Array.isArray(p)) {
        if (p.length !== k || !p.every((x) => typeof x === 'number' && x >= 0 && x <= 1)) bad(`prediction ${i + 1} is not ${k} probabilities in [0, 1]`);
        for (let c = 0; c < k; c++) out[i * k + c] = p[c] as number;
      } else if (p && typeof p === 'object') {
        for (const [key, v] of Object.entries(p)) {
          const c = index.get(key);
          if (c === undefined || typeof v !== 'number' || !(v >= 0 && v <= 1)) bad(`prediction ${i + 1} has an unknown class or a probability outside [0, 1]`);
          out[i * k + c!] = v as number;
        }
      } else bad(`prediction ${i + 1} has an unsupported type`);
    });
    return out;
  }

  return model;
}

