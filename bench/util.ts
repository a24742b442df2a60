/** Shared helpers for benchmarks: time a block and print a figure line with peak memory. */
import { existsSync, readFileSync } from 'node:fs';

/** Peak resident set size of this process so far, in MB (from /proc on Linux; current RSS elsewhere). */
export function peakRssMb(): number {
  if (existsSync('/proc/self/status')) {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  }
  return process.memoryUsage().rss / 1048576;
}

export async function timed<T>(fn: () => T | Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

/** Prints one aligned line: `label  key=value ...`. */
export function report(label: string, figures: Record<string, string | number>): void {
  const parts = Object.entries(figures).map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : v}`);
  console.log(`${label.padEnd(40)} ${parts.join('  ')}`);
}

function fmt(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3);
}
