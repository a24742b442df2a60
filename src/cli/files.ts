import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SynthopsError } from '../core/errors.js';
import type { CliIO } from './context.js';

/**
 * Reads a user's configuration file (policy, rules): JSON when the name ends in `.json`, YAML otherwise. A missing
 * file or a parse failure is a user error naming the file (`invalid <what>: …`), never a stack trace.
 * @example await readConfigFile(io, 'policy.yaml', 'policy file') // the parsed value, validated by the caller
 */
export async function readConfigFile(io: CliIO, path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, path), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EISDIR' ? 'it is a directory' : 'it does not exist or cannot be read';
    throw new SynthopsError('not_found', `invalid ${what}: ${why}. Check the path.`, { file: path });
  }
  const json = /\.json$/i.test(path);
  try {
    return json ? JSON.parse(text.replace(/^\uFEFF/, '')) : parseYaml(text);
  } catch (e) {
    const detail = String((e as Error).message).split('\n')[0];
    throw new SynthopsError('invalid_input', `invalid ${what}: it is not valid ${json ? 'JSON' : 'YAML'} (${detail}).`, { file: path });
  }
}
