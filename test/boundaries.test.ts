import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const src = join(root, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.ts$/.test(f) && !/\.test\.ts$/.test(f) ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
  for (let m; (m = re.exec(text)); ) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** Packages core may use: each runs unchanged in a browser and a worker. */
const CORE_PACKAGES = ['@noble/hashes', '@faker-js/faker', '@observablehq/plot'];
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => 'node:' + m)]);
/** Which top-level layers each layer may import (imports go one way). */
const LAYERS: Record<string, string[]> = {
  core: ['core'],
  node: ['core', 'node'],
  cli: ['core', 'node', 'cli'],
  server: ['core', 'node', 'server'],
};

describe('layer boundaries', () => {
  const all = files(src);
  it('finds the source files', () => expect(all.length).toBeGreaterThan(5));

  for (const file of all) {
    const layer = relative(src, file).split(/[\\/]/)[0];
    const allowed = LAYERS[layer];
    if (!allowed) continue;
    it(`${relative(root, file)} imports only what its layer may`, () => {
      const bad: string[] = [];
      for (const spec of imports(file)) {
        if (spec.startsWith('.')) {
          const target = relative(src, resolve(dirname(file), spec)).split(/[\\/]/)[0];
          if (!allowed.includes(target)) bad.push(`${spec} (layer ${target})`);
        } else if (layer === 'core') {
          const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
          if (builtins.has(spec) || builtins.has(pkg)) bad.push(`${spec} (Node built-in)`);
          else if (!CORE_PACKAGES.includes(pkg)) bad.push(`${spec} (package not on the isomorphic list)`);
        }
      }
      expect(bad).toEqual([]);
    });
  }

  it('core never touches process, console, or Math.random', () => {
    const offenders = all
      .filter((f) => relative(src, f).startsWith('core'))
      .filter((f) => /\bprocess\.|\bconsole\.|Math\.random\(|\brequire\(/.test(readFileSync(f, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')))
      .map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });
});
