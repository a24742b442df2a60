import { SynthopsError, throwIfAborted } from '../../core/errors.js';
import { TableBuilder } from '../../core/table/infer-builder.js';
import { checkHeader } from './read.js';

/**
 * Reads JSON lines (one JSON object per line; blank lines skipped) into a TableBuilder. Columns are the keys in
 * order of first appearance; a key first seen on a later line gets missing values for the earlier rows.
 * Values become text for the builder: numbers as JSON writes them, booleans `true`/`false`, null missing,
 * arrays and objects as compact JSON.
 *
 * @example const b = await readJsonLines(decodedText('x.jsonl'), 'x.jsonl');
 */
export async function readJsonLines(text: AsyncIterable<string>, file: string, signal?: AbortSignal): Promise<TableBuilder> {
  let names: string[] = [];
  let rows: string[][] = [];
  let builder: TableBuilder | null = null;
  let line = 0, rest = '';
  const flush = () => {
    if (!rows.length) return;
    if (!builder) {
      checkHeader(names, file);
      builder = new TableBuilder(names);
    }
    for (let j = builder.columns.length; j < names.length; j++) {
      const grown = new TableBuilder([names[j]]).columns[0];
      grown.pushMissing(builder.numRows);
      builder.columns.push(grown);
    }
    for (const r of rows) {
      while (r.length < names.length) r.push('');
      builder.pushRow(r);
    }
    rows = [];
  };
  const index = new Map<string, number>();
  const handle = (l: string) => {
    line++;
    if (l.trim() === '') return;
    let obj: unknown;
    try {
      obj = JSON.parse(l);
    } catch {
      throw new SynthopsError('invalid_input', 'invalid JSON line: it does not parse as JSON.', { file, line });
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj))
      throw new SynthopsError('invalid_input', 'invalid JSON line: expected an object of column → value.', { file, line });
    const r: string[] = new Array<string>(names.length).fill('');
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
      let j = index.get(k);
      if (j === undefined) {
        j = names.length;
        names.push(k);
        index.set(k, j);
      }
      r[j] = v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : v === 0 && 1 / v < 0 ? '-0' : String(v);
    }
    rows.push(r);
  };
  for await (const chunk of text) {
    throwIfAborted(signal);
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) handle(p.endsWith('\r') ? p.slice(0, -1) : p);
    if (rows.length >= 4096) flush();
  }
  if (rest) handle(rest);
  flush();
  if (!builder) throw new SynthopsError('invalid_input', 'invalid file: it has no JSON objects.', { file });
  names = [];
  return builder;
}
