import { extname } from 'node:path';
import { SynthopsError } from '../../core/errors.js';

/** File formats synthops reads and writes. */
export type TableFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';

/** Extensions (lower case) and the format each means. */
export const EXTENSIONS: Readonly<Record<string, TableFormat>> = {
  '.csv': 'csv',
  '.txt': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.parquet': 'parquet',
  '.pq': 'parquet',
};

/**
 * The format for a path, chosen by its extension (case-insensitive), or `explicit` when given.
 * Throws `invalid_argument` naming the file for an unknown extension.
 * @example formatOf('data/train.CSV'); // 'csv'
 */
export function formatOf(path: string, explicit?: TableFormat): TableFormat {
  if (explicit) return explicit;
  const ext = extname(path).toLowerCase();
  const f = EXTENSIONS[ext];
  if (!f)
    throw new SynthopsError(
      'invalid_argument',
      `invalid file extension: ${JSON.stringify(ext || '(none)')}. Use one of ${Object.keys(EXTENSIONS).join(', ')}.`,
      { file: path },
    );
  return f;
}
