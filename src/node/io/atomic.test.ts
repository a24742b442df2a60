import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SynthopsError } from '../../core/errors.js';
import { withAtomicFile, writeFileAtomic } from './atomic.js';

const dir = mkdtempSync(join(tmpdir(), 'synthops-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes the content and leaves no temp file', async () => {
    const p = join(dir, 'a.txt');
    await writeFileAtomic(p, 'hello');
    expect(readFileSync(p, 'utf8')).toBe('hello');
    await writeFileAtomic(p, new TextEncoder().encode('again'));
    expect(readFileSync(p, 'utf8')).toBe('again');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('keeps the old file and removes the temp file when the writer fails', async () => {
    const p = join(dir, 'b.txt');
    writeFileSync(p, 'old');
    await expect(
      withAtomicFile(p, async (fh) => {
        await fh.write('partial');
        throw new SynthopsError('invalid_argument', 'boom');
      }),
    ).rejects.toThrow('boom');
    expect(readFileSync(p, 'utf8')).toBe('old');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('a missing folder is a not_found SynthopsError naming the file', async () => {
    const p = join(dir, 'nope', 'c.txt');
    await expect(writeFileAtomic(p, 'x')).rejects.toMatchObject({ code: 'not_found', location: { file: p } });
  });
});
