import type { Rng } from '../../random.js';

/**
 * The shape of an id column, learned from its labels: `prefix` + a number zero-padded to `width`
 * (e.g. `CUST-000123`), or `uuid`, or plain `counter` for anything else. No id value is stored.
 */
export type IdFormat = { kind: 'numbered'; prefix: string; width: number } | { kind: 'uuid' } | { kind: 'counter' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Learns the id format: a shared non-digit prefix followed by digits, or UUIDs. */
export function fitIdFormat(labels: readonly string[]): IdFormat {
  if (!labels.length) return { kind: 'counter' };
  if (labels.every((l) => UUID.test(l))) return { kind: 'uuid' };
  const m0 = /^(\D*)(\d+)$/.exec(labels[0]);
  if (m0 && labels.every((l) => l.startsWith(m0[1]) && /^\d+$/.test(l.slice(m0[1].length)))) {
    let width = Infinity;
    for (const l of labels) width = Math.min(width, l.length - m0[1].length);
    const padded = labels.every((l) => l.length - m0[1].length === width);
    return { kind: 'numbered', prefix: m0[1], width: padded ? width : 1 };
  }
  return { kind: 'counter' };
}

/**
 * Generates `n` ids in `format`, unique within the call; numbered ids of shard s start after s·n
 * (`first` overrides), so shards of equal size never collide. UUIDs come from `rng` (version 4 layout).
 */
export function generateIds(format: IdFormat, n: number, rng: Rng, first: number): string[] {
  const out = new Array<string>(n);
  if (format.kind === 'uuid') {
    const hex = (k: number) => {
      let s = '';
      for (let i = 0; i < k; i++) s += '0123456789abcdef'[rng.int(16)];
      return s;
    };
    for (let i = 0; i < n; i++) out[i] = `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[rng.int(4)]}${hex(3)}-${hex(12)}`;
    return out;
  }
  for (let i = 0; i < n; i++) {
    const num = String(first + i + 1);
    out[i] = format.kind === 'numbered' ? format.prefix + num.padStart(format.width, '0') : `id-${num}`;
  }
  return out;
}
