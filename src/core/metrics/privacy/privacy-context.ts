import { SynthopsError } from '../../errors.js';
import { MixedSpace, type EncodedRows } from '../../neighbors/mixed-space.js';
import { MixedTree, type KnnOptions, type KnnResult } from '../../neighbors/mixed-tree.js';
import type { Table } from '../../table/table.js';
import type { KeyColumn } from './row-hash.js';

/**
 * Shared neighbour searches of the privacy metrics for one (training, synthetic, holdout) triple. Every search is
 * exact and over the full tables (never a subsample), computed on first use and cached, so DCR, NNDR and membership
 * inference in one report share them. Distances are Gower distances in the space fitted on the training data.
 *
 * @example
 * const ctx = privacyContext(real, synthetic, holdout);
 * ctx.synthToTrain().distances; // k = 2 per synthetic row: distance to the closest and second-closest training row
 */
export class PrivacyContext {
  readonly space: MixedSpace;
  readonly train: EncodedRows;
  readonly synth: EncodedRows;
  readonly hold: EncodedRows | null;
  private readonly memo = new Map<string, unknown>();

  constructor(readonly real: Table, readonly synthetic: Table, readonly holdout: Table | null, columns?: readonly string[]) {
    this.space = MixedSpace.fromTable(real, columns ? { columns } : {});
    this.train = this.space.encode(real, 'training data');
    this.synth = this.space.encode(synthetic, 'synthetic data');
    this.hold = holdout ? this.space.encode(holdout, 'holdout data') : null;
  }

  private cached<T>(key: string, f: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, f());
    return this.memo.get(key) as T;
  }

  /** Index over the training rows. */
  trainTree(): MixedTree { return this.cached('trainTree', () => MixedTree.build(this.space, this.train)); }
  /** Index over the synthetic rows. */
  synthTree(): MixedTree { return this.cached('synthTree', () => MixedTree.build(this.space, this.synth)); }
  /** Index over the holdout rows. */
  holdTree(): MixedTree { return this.cached('holdTree', () => MixedTree.build(this.space, this.requireHoldout())); }

  /** Synthetic rows → 2 nearest training rows. */
  synthToTrain(signal?: AbortSignal): KnnResult { return this.cached('s→t', () => this.trainTree().knn(this.synth, opts(2, signal))); }
  /** Synthetic rows → nearest holdout row. */
  synthToHold(signal?: AbortSignal): KnnResult { return this.cached('s→h', () => this.holdTree().knn(this.synth, opts(1, signal))); }
  /** Holdout rows → 2 nearest training rows. */
  holdToTrain(signal?: AbortSignal): KnnResult { return this.cached('h→t', () => this.trainTree().knn(this.requireHoldout(), opts(2, signal))); }
  /** Holdout rows → nearest other holdout row (leave-one-out). */
  holdToHold(signal?: AbortSignal): KnnResult {
    return this.cached('h→h', () => this.holdTree().knn(this.requireHoldout(), { ...opts(1, signal), excludeSelf: true }));
  }
  /** Training rows → nearest synthetic row. */
  trainToSynth(signal?: AbortSignal): KnnResult { return this.cached('t→s', () => this.synthTree().knn(this.train, opts(1, signal))); }
  /** Holdout rows → nearest synthetic row. */
  holdToSynth(signal?: AbortSignal): KnnResult { return this.cached('h→s', () => this.synthTree().knn(this.requireHoldout(), opts(1, signal))); }
  /** Training rows → nearest holdout row. */
  trainToHold(signal?: AbortSignal): KnnResult { return this.cached('t→h', () => this.holdTree().knn(this.train, opts(1, signal))); }

  /** Key columns for exact row matching: raw numeric values and shared label codes. */
  keys(which: 'train' | 'synth' | 'hold'): KeyColumn[] {
    return this.cached(`keys:${which}`, () => {
      const table = which === 'train' ? this.real : which === 'synth' ? this.synthetic : this.holdout;
      const enc = which === 'train' ? this.train : which === 'synth' ? this.synth : this.hold;
      if (!table || !enc) throw new SynthopsError('invalid_argument', 'invalid holdout: none given. This metric needs real rows the synthesizer never saw.');
      return [...this.space.numColumns.map((n) => table.numeric(n).values), ...enc.cat];
    });
  }

  private requireHoldout(): EncodedRows {
    if (!this.hold) throw new SynthopsError('invalid_argument', 'invalid holdout: none given. This metric needs real rows the synthesizer never saw.');
    return this.hold;
  }
}

function opts(k: number, signal?: AbortSignal): KnnOptions {
  return signal ? { k, signal } : { k };
}

const cache = new WeakMap<Table, WeakMap<Table, Map<Table | null, PrivacyContext>>>();

/**
 * The cached {@link PrivacyContext} for these tables (same table objects → same context, so metrics of one report
 * share their neighbour searches). Tables are immutable, so caching by identity is safe.
 */
export function privacyContext(real: Table, synthetic: Table, holdout: Table | undefined): PrivacyContext {
  let bySynth = cache.get(real);
  if (!bySynth) cache.set(real, (bySynth = new WeakMap()));
  let byHold = bySynth.get(synthetic);
  if (!byHold) bySynth.set(synthetic, (byHold = new Map()));
  const h = holdout ?? null;
  let ctx = byHold.get(h);
  if (!ctx) byHold.set(h, (ctx = new PrivacyContext(real, synthetic, h)));
  return ctx;
}
