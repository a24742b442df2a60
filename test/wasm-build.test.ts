import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The WebAssembly modules ship as generated base64 files in src/core (nothing is compiled at install time). Each must
// be exactly what its AssemblyScript source in wasm/ compiles to now: a source edited without `npm run build:wasm`
// would otherwise test and run the old module.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('generated WebAssembly modules', () => {
  it('are what wasm/*.ts compile to (npm run build:wasm -- --check)', () => {
    let out = '';
    let failed = false;
    try {
      out = execFileSync(process.execPath, [join(root, 'wasm', 'build.mjs'), '--check'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      failed = true;
      out = String((e as { stdout?: string }).stdout ?? '');
    }
    expect(out.match(/STALE: .*/g) ?? []).toEqual([]);
    expect(failed).toBe(false);
    expect(out.match(/up to date: /g)?.length).toBe(3);
  }, 60_000);
});
