// I/O benchmark: CSV read throughput (MB/s, rows/s) and peak memory for adult and for a generated
// 1,000,000 × 20 mixed-type CSV (written to a temp folder and deleted afterwards); CSV and Parquet writes of adult.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRng } from '../src/core/random.js';
import { compileDatetimeFormat } from '../src/core/table/datetime.js';
import type { Table } from '../src/core/table/table.js';
import { readTable, readTableChunks, type ReadOptions } from '../src/node/io/read.js';
import { peakRssMb, report, timed } from './util.js';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const dir = mkdtempSync(join(tmpdir(), 'synthops-io-bench-'));
/** Set IO_BENCH_KEEP=path to generate the big CSV once at that path and reuse it (for experiments). */
const keep = process.env.IO_BENCH_KEEP;
const only = process.env.IO_BENCH_ONLY_BIG === '1';

async function readFigure(label: string, path: string, opts: ReadOptions = {}, repeat = 1, collect = true): Promise<number> {
  const mb = statSync(path).size / 1048576;
  // With `repeat` > 1: the median read (wall and CPU) of that many, i.e. the steady speed once the JIT is warm.
  const runs: { t: Table; seconds: number; cpuSeconds: number }[] = [];
  // One forced collection before the series, not before each read: V8's forced gc() also shrinks the young generation,
  // so a read right after it pays for regrowing it (adult's steady reads measured ~105 ms with a gc() before each, ~50
  // ms without) — a cost no real reading process has. (None at all before adult's first and second reads: the second
  // read of a process is measured as a process meets it.)
  if (collect) gc();
  for (let r = 0; r < repeat; r++) {
    const cpu0 = process.cpuUsage();
    const { value: t, seconds } = await timed(() => readTable(path, opts));
    const cpu = process.cpuUsage(cpu0);
    runs.push({ t, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  }
  const { t, seconds, cpuSeconds } = runs.sort((a, b) => a.seconds - b.seconds)[runs.length >> 1];
  // CPU seconds beside wall seconds: on a shared machine the wall time includes waiting for a core.
  // The load average says how many other processes competed for the 2 cores meanwhile.
  report(label, {
    rows: t.numRows, cols: t.numColumns, MB: mb, seconds, 'MB/s': mb / seconds, 'rows/s': Math.round(t.numRows / seconds),
    cpuSeconds, 'MB/cpu-s': mb / cpuSeconds, 'rows/cpu-s': Math.round(t.numRows / cpuSeconds), peakRssMB: peakRssMb(), load1m: loadavg()[0],
  });
  return t.numRows;
}

/**
 * The first read of the file in a fresh process (`io-fresh.ts`), `runs` times: the median run by wall seconds, with
 * the range of MB/s and the largest peak memory (the whole process: node itself, the table, any reader thread).
 */
function freshFigure(label: string, path: string, runs = 3): void {
  const got: { rows: number; MB: number; seconds: number; cpuSeconds: number; peakRssMB: number; load1m: number }[] = [];
  for (let r = 0; r < runs; r++) {
    const p = spawnSync(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'io-fresh.ts'), path], { encoding: 'utf8' });
    if (p.status !== 0) throw new Error(`io-fresh.ts failed: ${p.stderr}`);
    got.push(JSON.parse(p.stdout.trim().split('\n').pop()!));
  }
  got.sort((a, b) => a.seconds - b.seconds);
  const m = got[got.length >> 1];
  const rates = got.map((g) => g.MB / g.seconds);
  report(label, {
    rows: m.rows, MB: m.MB, seconds: m.seconds, 'MB/s': m.MB / m.seconds, 'MB/s range': `${Math.min(...rates).toFixed(1)}–${Math.max(...rates).toFixed(1)}`,
    cpuSeconds: m.cpuSeconds, peakRssMB: Math.max(...got.map((g) => g.peakRssMB)), load1m: m.load1m,
  });
}

/** Streams the file in chunks of 200k rows (what `synthops profile` does): rows/s and the peak memory of streaming. */
async function chunkFigure(label: string, path: string): Promise<void> {
  gc();
  const mb = statSync(path).size / 1048576;
  const cpu0 = process.cpuUsage();
  let rows = 0, chunks = 0;
  const { seconds } = await timed(async () => {
    for await (const t of readTableChunks(path)) {
      rows += t.numRows;
      chunks++;
    }
  });
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  report(label, { rows, chunks, MB: mb, seconds, 'MB/s': mb / seconds, 'rows/s': Math.round(rows / seconds), cpuSeconds, 'MB/cpu-s': mb / cpuSeconds, peakRssMB: peakRssMb(), load1m: loadavg()[0] });
}

/** Writes a seeded 1M × 20 mixed CSV: integers, decimals, categories, codes, a boolean, two datetimes, an id; ~2 % missing in four columns. */
async function generate(path: string, rows: number): Promise<void> {
  const rng = createRng(2026, 'io-bench');
  const ts = compileDatetimeFormat('YYYY-MM-DD HH:mm:ss'), day = compileDatetimeFormat('YYYY-MM-DD');
  const cities = ['London', 'Paris', 'New York', 'Tokyo', 'Berlin', 'Madrid', 'Rome', 'Lagos', 'Lima', 'Seoul'];
  const plans = ['free', 'basic', 'pro', 'enterprise'];
  const colors = ['red', 'green', 'blue'];
  const devices = ['ios', 'android', 'web', 'desktop', 'tv'];
  const out = createWriteStream(path);
  out.write('id,age,visits,items,score_a,score_b,amount,balance,ratio,temp,city,plan,color,device,tier,level,active,signup,last_seen,weight\n');
  const t0 = Date.UTC(2015, 0, 1);
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const miss = (p: number) => rng.next() < p;
    const line = [
      'R' + String(i).padStart(8, '0'),
      miss(0.02) ? '' : String(18 + rng.int(70)),
      String(rng.int(500)),
      String(rng.int(20)),
      String(rng.int(100000)),
      String(rng.int(1000) - 500),
      (rng.next() * 5000).toFixed(2),
      miss(0.02) ? '' : (rng.normal() * 1000).toFixed(2),
      rng.next().toFixed(4),
      (15 + rng.normal() * 8).toFixed(1),
      cities[rng.int(cities.length)],
      plans[rng.int(plans.length)],
      miss(0.02) ? '' : colors[rng.int(colors.length)],
      devices[rng.int(devices.length)],
      String(rng.int(5)),
      String(1 + rng.int(3)),
      rng.next() < 0.5 ? 'true' : 'false',
      day.format(t0 + rng.int(3000) * 86400000),
      ts.format(t0 + rng.int(3000 * 86400) * 1000),
      miss(0.02) ? '' : (50 + rng.next() * 60).toFixed(1),
    ].join(',');
    buf += line + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

try {
  if (!only) await smallFigures();
  const big = keep ?? join(dir, 'mixed-1m.csv');
  const rows = Number(process.env.IO_BENCH_ROWS ?? 1_000_000);
  if (!keep || !existsSync(keep)) {
    const { seconds: gs } = await timed(() => generate(big, rows));
    report(`generate csv: ${rows} × 20 mixed`, { rows, MB: statSync(big).size / 1048576, seconds: gs, peakRssMB: peakRssMb() });
  }
  // Streaming first: peak RSS only grows, so this shows the memory of a chunked read before the whole-table one.
  await chunkFigure(`stream csv (200k-row chunks): ${rows} × 20`, big);
  await readFigure(`read csv: ${rows} × 20 mixed`, big);
  freshFigure(`read csv, fresh process (median of 3): ${rows} × 20`, big);
  const m = process.memoryUsage();
  report('  memory after the 1M read', { rssMB: m.rss / 1048576, heapTotalMB: m.heapTotal / 1048576, heapUsedMB: m.heapUsed / 1048576, arrayBuffersMB: m.arrayBuffers / 1048576 });
  // Opt-in two-part parse (the second half on a worker thread; the default is one thread): last, since peak RSS only
  // grows — its peakRssMB is the larger of the two reads.
  await readFigure(`read csv (2 threads, opt-in): ${rows} × 20`, big, { parallelMinBytes: 0 });
} finally {
  rmSync(dir, { recursive: true, force: true });
}

async function smallFigures(): Promise<void> {
  const adult = resolve(import.meta.dirname, '../../shared/datasets/adult.csv');
  freshFigure('read csv, fresh process (median of 3): adult', adult);
  await readFigure('read csv: adult (first read in this process)', adult, {}, 1, false);
  await readFigure('read csv: adult (second read)', adult, {}, 1, false);
  await readFigure('read csv: adult (steady, median of 5)', adult, {}, 5);
  // In two parts (opt-in), to compare: the default is one thread.
  await readFigure('read csv: adult (2 threads, opt-in, steady, median of 5)', adult, { parallelMinBytes: 0 }, 5);
  const t = await readTable(adult);
  // The writers (and the Parquet library) are loaded only now: loaded at the start, their modules left V8 a
  // collection to finish (a 5.8 ms mark-compact, --trace-gc) that landed in adult's first read, which measures the
  // reader in a process that has loaded what reading needs.
  const { writeTable } = await import('../src/node/io/write.js');
  for (const ext of ['csv', 'parquet']) {
    const p = join(dir, `adult.${ext}`);
    const { seconds } = await timed(() => writeTable(p, t));
    report(`write ${ext}: adult`, { rows: t.numRows, MB: statSync(p).size / 1048576, seconds, 'rows/s': Math.round(t.numRows / seconds), peakRssMB: peakRssMb() });
  }
  const pq = join(dir, 'adult.parquet');
  const { value: tp, seconds: sp } = await timed(() => readTable(pq));
  report('read parquet: adult', { rows: tp.numRows, seconds: sp, 'rows/s': Math.round(tp.numRows / sp), peakRssMB: peakRssMb() });
}
