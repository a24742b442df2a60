import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SynthopsError } from '../../core/errors.js';

/**
 * Writes `data` to `path` atomically: the bytes go to `path.tmp-<random>` in the same folder, are fsynced,
 * then the temp file is renamed over `path`. Readers see either the old file or the complete new one, never
 * a half-written file. On any error the temp file is removed and the error is rethrown as a SynthopsError
 * (`not_found` when the folder does not exist, `invalid_argument` when it is not writable).
 *
 * @example
 * await writeFileAtomic('out/report.json', JSON.stringify(result));
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await withAtomicFile(path, async (fh) => {
    await fh.writeFile(data);
  });
}

/**
 * Opens a temp file beside `path`, lets `write` fill it through the FileHandle, then fsyncs and renames it to
 * `path`. Used by streaming writers (CSV, JSON lines) that write in chunks. The temp file never survives an error.
 *
 * @example
 * await withAtomicFile('big.csv', async (fh) => { await fh.write('a,b\n'); await fh.write('1,2\n'); });
 */
export async function withAtomicFile(path: string, write: (fh: FileHandle) => Promise<void>): Promise<void> {
  const tmp = join(dirname(path), `${basename(path)}.tmp-${randomBytes(6).toString('hex')}`);
  let fh: FileHandle | undefined;
  try {
    try {
      fh = await open(tmp, 'wx');
    } catch (e) {
      throw openError(path, e);
    }
    await write(fh);
    await fh.sync();
    await fh.close();
    fh = undefined;
    await rename(tmp, path);
  } catch (e) {
    if (fh) await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    if (e instanceof SynthopsError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new SynthopsError('invalid_argument', 'invalid output path: it is a directory. Name a file.', { file: path, cause: e });
    throw new SynthopsError('internal', `could not write the file (${code ?? (e as Error).message}).`, { file: path, cause: e });
  }
}

function openError(path: string, e: unknown): SynthopsError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new SynthopsError('not_found', 'invalid output path: its folder does not exist. Create the folder first.', { file: path, cause: e });
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new SynthopsError('invalid_argument', 'invalid output path: the folder is not writable.', { file: path, cause: e });
  return new SynthopsError('internal', `could not create a temporary file (${code ?? (e as Error).message}).`, { file: path, cause: e });
}
