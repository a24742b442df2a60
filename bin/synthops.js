#!/usr/bin/env node
// In a checkout the TypeScript sources run directly (through tsx), so the CLI always matches src/.
// A published package has only dist/ and runs the compiled JavaScript.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

// A closed pipe (`synthops ... | head`) is the reader's choice, not an error: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e && e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const root = fileURLToPath(new URL('..', import.meta.url));
const srcMain = root + 'src/cli/main.ts';
let main;
if (existsSync(srcMain)) {
  const { register } = await import('tsx/esm/api');
  register();
  main = await import(pathToFileURL(srcMain).href);
} else {
  main = await import(pathToFileURL(root + 'dist/cli/main.js').href);
}
process.exitCode = await main.run(process.argv.slice(2));
