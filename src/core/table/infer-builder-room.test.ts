import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ColumnBuilder, type ColumnRoom } from './infer-builder.js';

// A reader on two threads gives each part's builder a region of one set of (shared) arrays; joining the second
// part is then a move to the left inside them. Whatever the regions' sizes (too small: a part grows into arrays of
// its own and is copied), the joined column must be exactly the one built by pushing every value in order.

function result(b: ColumnBuilder): unknown {
  const stats = b.stats();
  const { spec, column } = b.finish();
  return { stats, spec, values: Array.from({ length: column.length }, (_, i) => column.get(i)) };
}

function whole(rows: number, id = 7): ColumnRoom {
  return { id, at: 0, nums: new Float64Array(new SharedArrayBuffer(rows * 8)), tok: new Uint8Array(new SharedArrayBuffer(rows)), codes: new Int32Array(new SharedArrayBuffer(rows * 4)) };
}
const part = (r: ColumnRoom, from: number, to: number): ColumnRoom => ({ id: r.id, at: from, nums: r.nums.subarray(from, to), tok: r.tok.subarray(from, to), codes: r.codes.subarray(from, to) });

/** First part in rows [0, cut) of the room, the second written at row `at` (region [at, end)), then joined as the reader does. */
function joinedInRoom(values: string[], k: number, cut: number, at: number, end: number): ColumnBuilder {
  const room = whole(end);
  const a = new ColumnBuilder('c', 0, part(room, 0, cut));
  for (const v of values.slice(0, k)) a.push(v);
  const t = new ColumnBuilder('c', 0, part(room, at, end));
  for (const v of values.slice(k)) t.push(v);
  const next = ColumnBuilder.fromState(t.exportState());
  a.widenRoom(part(room, 0, end));
  if (a.canAppend(next)) a.append(next);
  else for (const v of values.slice(k)) a.push(v);
  return a;
}

const value = fc.oneof(
  fc.integer({ min: -50, max: 50 }).map(String),
  fc.double({ min: -1e3, max: 1e3, noNaN: true }).map((x) => x.toFixed(2)),
  fc.constantFrom('', 'NA', 'x', 'y', 'z'),
  fc.integer({ min: 0, max: 60 }).map((d) => new Date(Date.UTC(2020, 0, 1) + d * 86400000).toISOString().slice(0, 10)),
);
const column = fc.oneof(
  fc.array(value, { minLength: 1, maxLength: 120 }),
  fc.array(fc.integer({ min: 0, max: 40 }).map(String), { minLength: 1, maxLength: 120 }),
  fc.array(fc.integer({ min: 0, max: 2000 }).map((d) => new Date(Date.UTC(2020, 0, 1) + d * 86400000).toISOString().slice(0, 10)), { minLength: 1, maxLength: 900 }),
  fc.integer({ min: 1, max: 900 }).map((n) => Array.from({ length: n }, (_, i) => 'R' + String(i).padStart(6, '0'))),
);

describe('ColumnBuilder in shared rooms', () => {
  it('joins a part written further on in the same arrays exactly as a sequential build, whatever the regions', () => {
    fc.assert(
      fc.property(column, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: -30, max: 40 }), fc.integer({ min: -30, max: 40 }), (values, share, gap, cutSlack, endSlack) => {
        const k = Math.floor(values.length * share);
        const cut = Math.max(1, k + cutSlack); // may be too small for the first part (it then grows on its own)
        const at = cut + gap;
        const end = Math.max(at + 1, at + (values.length - k) + endSlack); // may be too small for the second part
        const seq = new ColumnBuilder('c');
        for (const v of values) seq.push(v);
        expect(result(joinedInRoom(values, k, cut, at, end))).toEqual(result(seq));
      }),
      // Counterexamples drawn once: -0 after 0 must leave min at 0, as one pass does; a first part grown out of its
      // region (2 rows in 1) and turned to text by the join must not write its codes over the second part's row.
      { numRuns: 400, examples: [[['0.00', '-0.00'], 0.5, 0, 0, 0], [['-0.00', '0.00'], 0.5, 0, 0, 0], [['0.00', '0', '2020-01-01'], 2 / 3, 0, -1, 0]] },
    );
  });

  it('moves the second part left without new arrays when both parts fit their regions', () => {
    const room = whole(86);
    const a = new ColumnBuilder('c', 0, part(room, 0, 40));
    for (let i = 0; i < 30; i++) a.push(String(i / 2));
    const t = new ColumnBuilder('c', 0, part(room, 45, 86));
    for (let i = 30; i < 70; i++) t.push(String(i / 2));
    const st = t.exportState();
    expect(st.numsAt).toBe(45);
    a.widenRoom(part(room, 0, 86));
    a.append(ColumnBuilder.fromState(st));
    const col = a.finish().column;
    expect(Array.from({ length: 70 }, (_, i) => col.get(i))).toEqual(Array.from({ length: 70 }, (_, i) => i / 2));
    expect((col as unknown as { values: Float64Array }).values.buffer).toBe(room.nums.buffer);
  });
});
