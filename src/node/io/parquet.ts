import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { SynthopsError } from '../../core/errors.js';
import { TableBuilder } from '../../core/table/infer-builder.js';
import { checkHeader } from './read.js';

/**
 * Reads a Parquet file into a TableBuilder, one row group at a time (so memory holds one decoded row group plus
 * the typed columns). Values become text for the builder: numbers and bigints as decimal text, booleans
 * `true`/`false`, dates as ISO 8601 (`YYYY-MM-DDTHH:mm:ss.SSSZ`), null missing, other objects as JSON.
 * A file that is not Parquet is an `invalid_input` error naming it.
 *
 * @example const b = await readParquet('data.parquet');
 */
export async function readParquet(path: string, shown = path): Promise<TableBuilder> {
  let file, metadata;
  try {
    file = await asyncBufferFromFile(path);
    metadata = await parquetMetadataAsync(file);
  } catch {
    throw new SynthopsError('invalid_input', 'invalid Parquet file: it could not be parsed (bad magic bytes or a damaged footer).', { file: shown });
  }
  const names = parquetSchema(metadata).children.map((c) => c.element.name);
  checkHeader(names, shown);
  const builder = new TableBuilder(names);
  let start = 0;
  for (const rg of metadata.row_groups) {
    const n = Number(rg.num_rows);
    const end = start + n;
    const cols = new Map<string, unknown[]>();
    try {
      await parquetRead({
        file,
        metadata,
        rowStart: start,
        rowEnd: end,
        compressors,
        onChunk: (c) => {
          const arr = cols.get(c.columnName) ?? new Array<unknown>(n);
          cols.set(c.columnName, arr);
          const data = c.columnData as ArrayLike<unknown>;
          for (let i = 0; i < data.length; i++) {
            const r = c.rowStart + i - start;
            if (r >= 0 && r < n) arr[r] = data[i];
          }
        },
      });
    } catch {
      throw new SynthopsError('invalid_input', 'invalid Parquet file: a row group could not be decoded.', { file: shown, row: start });
    }
    for (let j = 0; j < names.length; j++) {
      const col = builder.columns[j];
      const arr = cols.get(names[j]);
      for (let i = 0; i < n; i++) col.push(toText(arr ? arr[i] : null));
    }
    start = end;
  }
  return builder;
}

function toText(v: unknown): string {
  if (v === null || v === undefined) return '';
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return Number.isFinite(v) ? (v === 0 && 1 / v < 0 ? '-0' : String(v)) : '';
    case 'bigint':
    case 'boolean':
      return String(v);
    default:
      if (v instanceof Date) return v.toISOString();
      if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
      return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  }
}
