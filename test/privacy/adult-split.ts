import { loadShared } from '../helpers/datasets.js';
import { createRng } from '../../src/core/random.js';
import type { Table } from '../../src/core/table/table.js';

/** Disjoint seeded slices of adult: training, holdout, and fresh real rows standing in for an ideal generator. */
export interface AdultSplit { train: Table; holdout: Table; fresh: Table; copy5: Table }

/** 3,000 training, 1,000 holdout, 1,000 fresh rows; `copy5` = fresh with its last 5% replaced by training rows. */
export async function adultSplit(seed = 1): Promise<AdultSplit> {
  const t = await loadShared('adult');
  const perm = createRng(seed).permutation(t.numRows);
  const train = t.take(perm.subarray(0, 3000));
  const holdout = t.take(perm.subarray(3000, 4000));
  const fresh = t.take(perm.subarray(4000, 5000));
  const nCopy = 50;
  const copy5 = fresh.slice(0, fresh.numRows - nCopy).concat(train.slice(100, 100 + nCopy));
  return { train, holdout, fresh, copy5 };
}
