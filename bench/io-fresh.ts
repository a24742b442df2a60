// One `readTable` of a file in this fresh process (run by io.bench.ts as a child): prints one JSON line with wall
// and CPU seconds, MB/s and the process's peak memory, so the figures include the JIT's warm-up and nothing else the
// bench did before.
import { statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { readTable } from '../src/node/io/read.js';
import { peakRssMb } from './util.js';

const path = process.argv[2];
const mb = statSync(path).size / 1048576;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const t = await readTable(path);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ rows: t.numRows, MB: mb, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMB: peakRssMb(), load1m: loadavg()[0] }));
