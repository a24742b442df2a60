import { decodeFloats, encodeFloats } from '../artifact.js';
import { SynthopsError } from '../errors.js';
import type { Param } from './param.js';

/** Packed weights inside an artifact: parameter names and sizes, and every value as base64 little-endian f32. */
export interface PackedWeights {
  names: string[];
  sizes: number[];
  values: { dtype: 'f32' | 'f64'; length: number; base64: string };
}

/**
 * Packs parameters (in their fixed order) into a compact JSON-safe record (≈ 1.33 bytes per byte of weights).
 * @example const w = packWeights(net.params); ... unpackWeights(w, other.params);
 */
export function packWeights(params: readonly Param[]): PackedWeights {
  const total = params.reduce((s, p) => s + p.data.length, 0);
  const all = new Float32Array(total);
  let at = 0;
  for (const p of params) {
    all.set(p.data, at);
    at += p.data.length;
  }
  return { names: params.map((p) => p.name), sizes: params.map((p) => p.data.length), values: encodeFloats(all) };
}

/** Writes packed weights into `params`; throws `incompatible_artifact` when names or sizes differ. */
export function unpackWeights(w: PackedWeights, params: readonly Param[]): void {
  const ok = Array.isArray(w?.names) && w.names.length === params.length && params.every((p, i) => w.names[i] === p.name && w.sizes[i] === p.data.length);
  if (!ok) throw new SynthopsError('incompatible_artifact', 'invalid weights: the saved layers do not match the network described by the artifact.');
  const all = decodeFloats(w.values);
  let at = 0;
  for (const p of params) {
    p.data.set(all.subarray(at, at + p.data.length));
    at += p.data.length;
  }
}
