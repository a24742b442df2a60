/**
 * Measures the cost of serving a model: latency percentiles and throughput at several batch sizes, by calling
 * it on consecutive slices of real rows. Wall-clock times from performance.now(); nothing is estimated.
 */
import { throwIfAborted } from '../../core/errors.js';
import type { PredictiveModel } from '../../core/model-eval/model.js';
import type { InferenceCost } from '../../core/model-eval/report.js';
import type { Table } from '../../core/table/table.js';

/** Options of `measureInferenceCost`. */
export interface InferenceCostOptions {
  /** Default [1, 8, 64, 256]. */
  batchSizes?: number[];
  /** Most calls per batch size. Default 50. */
  maxCalls?: number;
  /** Stop a batch size after this many seconds of calls. Default 5. */
  maxSeconds?: number;
  /** Untimed warm-up calls per batch size. Default 2. */
  warmup?: number;
  signal?: AbortSignal;
}

function pct(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const h = (sorted.length - 1) * q, lo = Math.floor(h), hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * @example await measureInferenceCost(model, test, { batchSizes: [1, 32, 256] })
 */
export async function measureInferenceCost(model: PredictiveModel, table: Table, opts: InferenceCostOptions = {}): Promise<InferenceCost> {
  const sizes = opts.batchSizes ?? [1, 8, 64, 256];
  const maxCalls = opts.maxCalls ?? 50, maxMs = (opts.maxSeconds ?? 5) * 1000, warmup = opts.warmup ?? 2;
  const n = table.numRows;
  const batches = [];
  for (const bs of sizes) {
    const size = Math.max(1, Math.min(bs, n));
    let offset = 0;
    const next = () => {
      if (offset + size > n) offset = 0;
      const s = table.slice(offset, offset + size);
      offset += size;
      return s;
    };
    for (let w = 0; w < warmup; w++) await model.predict(next(), { signal: opts.signal });
    const lat: number[] = [];
    const t0 = performance.now();
    while (lat.length < maxCalls && performance.now() - t0 < maxMs) {
      throwIfAborted(opts.signal);
      const s = next();
      const a = performance.now();
      await model.predict(s, { signal: opts.signal });
      lat.push(performance.now() - a);
    }
    const total = lat.reduce((x, y) => x + y, 0);
    lat.sort((x, y) => x - y);
    batches.push({ batchSize: size, calls: lat.length, p50Ms: pct(lat, 0.5), p95Ms: pct(lat, 0.95), p99Ms: pct(lat, 0.99), meanMs: total / lat.length, rowsPerSecond: (size * lat.length) / (total / 1000) });
  }
  return { target: model.info.kind, batches };
}
