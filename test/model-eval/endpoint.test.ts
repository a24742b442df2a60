import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { evaluatePredictions } from '../../src/core/model-eval/evaluate.js';
import { predictionsFromModel } from '../../src/core/model-eval/model.js';
import { Table } from '../../src/core/table/table.js';
import { endpointModel } from '../../src/node/endpoint/client.js';
import { measureInferenceCost } from '../../src/node/endpoint/inference-cost.js';

type Handler = (body: { rows: { x: number }[] }, res: ServerResponse, calls: number) => void;
let server: Server;
let base = '';
const handlers = new Map<string, Handler>();
const calls = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const path = req.url ?? '';
      const c = (calls.get(path) ?? 0) + 1;
      calls.set(path, c);
      const h = handlers.get(path);
      if (!h) { res.statusCode = 404; res.end(); return; }
      h(JSON.parse(data), res, c);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const json = (res: ServerResponse, v: unknown) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(v)); };
  // A "model": P(yes) = x / 10, clipped to [0, 1] (perturbed or missing x stays valid).
  const p = (x: number | null) => Math.min(1, Math.max(0, (x ?? 5) / 10));
  handlers.set('/proba', (b, res) => json(res, { predictions: b.rows.map((r) => ({ no: 1 - p(r.x), yes: p(r.x) })) }));
  handlers.set('/flaky', (b, res, c) => { if (c % 2 === 1) { res.statusCode = 503; res.end(); } else json(res, { predictions: b.rows.map((r) => r.x / 10), classes: ['no', 'yes'] }); });
  handlers.set('/slow', (_b, res) => { setTimeout(() => { if (!res.writableEnded) res.end('{}'); }, 400); });
  handlers.set('/garbage', (_b, res) => { res.end('<html>oops'); });
  handlers.set('/short', (_b, res) => json(res, { predictions: [0.5] }));
  handlers.set('/regress', (b, res) => json(res, { predictions: b.rows.map((r) => r.x * 2) }));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const schema = { specVersion: 1 as const, columns: [{ name: 'x', type: 'numerical' as const, nullable: false }, { name: 'y', type: 'categorical' as const, nullable: false }] };
const table = Table.fromRows(Array.from({ length: 50 }, (_, i) => ({ x: i % 11, y: i % 11 >= 5 ? 'yes' : 'no' })), schema);

describe('endpointModel (local node:http server on 127.0.0.1)', () => {
  it('sends batches and reads class-probability objects', async () => {
    const m = endpointModel({ url: `${base}/proba`, task: 'classification', features: ['x'], batchSize: 16 });
    const out = await m.predict(table);
    expect(m.requests).toBe(4); // 50 rows in batches of 16
    expect(m.classes).toEqual(['no', 'yes']);
    expect(out[2 * 3 + 1]).toBeCloseTo(0.3, 12);
    const preds = predictionsFromModel(table, 'y', m, out);
    const r = evaluatePredictions(preds, table, { resamples: 20 });
    expect(r.overall.rocAuc.value).toBe(1); // P(yes) increases with x and y = x ≥ 5
  });
  it('retries 5xx answers with backoff and then succeeds', async () => {
    const m = endpointModel({ url: `${base}/flaky`, task: 'classification', features: ['x'], batchSize: 100, backoffMs: 5 });
    const out = await m.predict(table);
    expect(m.requests).toBe(2);
    expect(out.length).toBe(100);
  });
  it('a timeout after all retries is a clear error', async () => {
    const m = endpointModel({ url: `${base}/slow`, task: 'regression', features: ['x'], timeoutMs: 50, retries: 1, backoffMs: 5 });
    await expect(m.predict(table)).rejects.toThrow(/after 2 attempts: no answer within 50 ms/);
  });
  it('malformed JSON, wrong counts and unknown URLs are clear errors that echo nothing', async () => {
    await expect(endpointModel({ url: `${base}/garbage`, task: 'regression', features: ['x'] }).predict(table)).rejects.toThrow(/batch 1: not JSON/);
    await expect(endpointModel({ url: `${base}/short`, task: 'regression', features: ['x'] }).predict(table)).rejects.toThrow(/1 predictions for 50 rows/);
    await expect(endpointModel({ url: `${base}/nope`, task: 'regression', features: ['x'] }).predict(table)).rejects.toThrow(/HTTP 404/);
    expect(() => endpointModel({ url: 'ftp://x', task: 'regression', features: ['x'] })).toThrow(/scheme/);
  });
  it('measures latency percentiles and throughput per batch size', async () => {
    const m = endpointModel({ url: `${base}/regress`, task: 'regression', features: ['x'] });
    const cost = await measureInferenceCost(m, table, { batchSizes: [1, 10], maxCalls: 5, warmup: 1 });
    expect(cost.batches.map((b) => b.batchSize)).toEqual([1, 10]);
    for (const b of cost.batches) {
      expect(b.calls).toBe(5);
      expect(b.p50Ms).toBeLessThanOrEqual(b.p95Ms);
      expect(b.p95Ms).toBeLessThanOrEqual(b.p99Ms);
      expect(b.rowsPerSecond).toBeGreaterThan(0);
    }
  });
});

describe('synthops model-eval --endpoint (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synthops-endpoint-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'data.csv'), 'x,y\n' + Array.from({ length: 120 }, (_, i) => `${i % 11},${i % 11 >= 5 ? 'yes' : 'no'}`).join('\n') + '\n');
  const cli = async (args: string[]) => {
    let err = '';
    const code = await run(args, { cwd: dir, stdout: () => {}, stderr: (t) => (err += t), isTTY: false, env: {}, signal: new AbortController().signal });
    return { code, err };
  };
  it('evaluates a model behind an endpoint, with robustness and cost', async () => {
    const r = await cli(['model-eval', 'data.csv', '--label', 'y', '--endpoint', `${base}/proba`, '--batch-size', '50', '--resamples', '20', '--robustness', '--cost', '--json', 'e.json']);
    expect(r.code, r.err).toBe(0);
    const rep = JSON.parse(readFileSync(join(dir, 'e.json'), 'utf8')).payload;
    expect(rep.model.kind).toBe('http-endpoint');
    expect(rep.evaluation.overall.rocAuc.value).toBe(1);
    expect(rep.robustness.perturbations.length).toBe(4);
    expect(rep.inferenceCost.batches.map((b: { batchSize: number }) => b.batchSize)).toEqual([1, 8, 64, 120]);
  });
  it('malformed answers and timeouts exit 2 and write nothing', async () => {
    const bad = await cli(['model-eval', 'data.csv', '--label', 'y', '--endpoint', `${base}/garbage`, '--out', 'bad.html', '--json', 'bad.json']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/not JSON/);
    const slow = await cli(['model-eval', 'data.csv', '--label', 'y', '--endpoint', `${base}/slow`, '--timeout', '30', '--retries', '0', '--out', 'slow.html']);
    expect(slow.code).toBe(2);
    expect(slow.err).toMatch(/no answer within 30 ms/);
    for (const f of ['bad.html', 'bad.json', 'slow.html']) expect(existsSync(join(dir, f))).toBe(false);
  });
});
