import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** Any value that survives `JSON.stringify` → `JSON.parse` unchanged. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * JSON with object keys sorted at every level and no whitespace: the same value always gives the
 * same text, so it can be hashed and compared. Non-finite numbers are rejected.
 * @example canonicalJson({ b: 1, a: [2, 3] }) === '{"a":[2,3],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) throw new RangeError(`invalid JSON number: ${v}. JSON holds finite numbers only.`);
  return v;
}

/** `sha256:<hex>` of the canonical JSON of `value` (or of a string / bytes as given). */
export function contentHash(value: unknown): string {
  const bytes =
    value instanceof Uint8Array ? value : utf8ToBytes(typeof value === 'string' ? value : canonicalJson(value));
  return 'sha256:' + bytesToHex(sha256(bytes));
}
