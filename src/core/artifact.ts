import { SynthopsError } from './errors.js';
import type { JsonValue } from './json.js';

/**
 * The envelope of every persisted synthops object (fitted synthesizers, reports, profiles, cards).
 * Plain JSON only: never class serialisation. A reader checks `format`, `formatVersion`, `kind` and
 * `kindVersion` and refuses (code `incompatible_artifact`) what it cannot read, with a message that says why.
 */
export interface ArtifactEnvelope {
  format: 'synthops';
  /** Version of the envelope itself. */
  formatVersion: 1;
  /** e.g. 'synthesizer/gaussian-copula', 'report/evaluation', 'profile', 'model-card'. */
  kind: string;
  /** Version of the kind's payload layout; bump on any incompatible change and keep loaders for old ones. */
  kindVersion: number;
  /** synthops version that wrote it (informational). */
  createdBy?: string;
}

export type Artifact<P extends JsonValue | object = JsonValue> = ArtifactEnvelope & { payload: P };

/** Wraps a payload in the envelope. */
export function makeArtifact<P extends object>(kind: string, kindVersion: number, payload: P): Artifact<P> {
  return { format: 'synthops', formatVersion: 1, kind, kindVersion, createdBy: 'synthops@0.1.0', payload };
}

/**
 * Checks an untrusted value (parsed JSON) is an artifact of `kind` with a kindVersion in `readable`,
 * and returns it typed. `source` names the file for messages.
 */
export function readArtifact<P = unknown>(value: unknown, kind: string | RegExp, readable: readonly number[], source = 'artifact'): Artifact<P & object> {
  const v = value as Partial<Artifact<any>> | null;
  if (!v || typeof v !== 'object' || v.format !== 'synthops')
    throw new SynthopsError('incompatible_artifact', `invalid artifact: not a synthops file (no "format": "synthops").`, { file: source });
  if (v.formatVersion !== 1)
    throw new SynthopsError('incompatible_artifact', `invalid formatVersion: ${JSON.stringify(v.formatVersion)}. This synthops reads formatVersion 1; upgrade synthops.`, { file: source });
  const kindOk = typeof kind === 'string' ? v.kind === kind : typeof v.kind === 'string' && kind.test(v.kind);
  if (!kindOk) throw new SynthopsError('incompatible_artifact', `invalid kind: ${JSON.stringify(v.kind)}. Expected ${String(kind)}.`, { file: source });
  if (!readable.includes(v.kindVersion as number))
    throw new SynthopsError(
      'incompatible_artifact',
      `invalid kindVersion: ${JSON.stringify(v.kindVersion)} for ${v.kind}. This synthops reads versions ${readable.join(', ')}.`,
      { file: source },
    );
  if (v.payload === undefined || v.payload === null) throw new SynthopsError('incompatible_artifact', 'invalid artifact: no payload.', { file: source });
  return v as Artifact<P & object>;
}

/** Float64Array/Float32Array ↔ base64 (little-endian) for compact numeric payloads inside JSON. */
export function encodeFloats(a: Float64Array | Float32Array): { dtype: 'f64' | 'f32'; length: number; base64: string } {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return { dtype: a instanceof Float32Array ? 'f32' : 'f64', length: a.length, base64: bytesToBase64(littleEndian(bytes, a.BYTES_PER_ELEMENT)) };
}

export function decodeFloats(e: { dtype: 'f64' | 'f32'; length: number; base64: string }): Float64Array | Float32Array {
  const size = e.dtype === 'f32' ? 4 : 8;
  const bytes = littleEndian(base64ToBytes(e.base64), size);
  if (bytes.length !== e.length * size) throw new SynthopsError('incompatible_artifact', `invalid encoded array: ${bytes.length} bytes for ${e.length} × ${e.dtype}.`);
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return e.dtype === 'f32' ? new Float32Array(buf) : new Float64Array(buf);
}

const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
function littleEndian(bytes: Uint8Array, width: number): Uint8Array {
  if (LE) return bytes;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += width) for (let k = 0; k < width; k++) out[i + k] = bytes[i + width - 1 - k];
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  if (i < bytes.length) {
    const n = (bytes[i] << 16) | ((i + 1 < bytes.length ? bytes[i + 1] : 0) << 8);
    out += B64[n >> 18] + B64[(n >> 12) & 63] + (i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=') + '=';
  }
  return out;
}

export function base64ToBytes(s: string): Uint8Array {
  const clean = s.replace(/[^A-Za-z0-9+/]/g, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  const lookup = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) lookup[B64.charCodeAt(i)] = i;
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const a = lookup[clean.charCodeAt(i)], b = lookup[clean.charCodeAt(i + 1)];
    const c = i + 2 < clean.length ? lookup[clean.charCodeAt(i + 2)] : 0;
    const d = i + 3 < clean.length ? lookup[clean.charCodeAt(i + 3)] : 0;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}
