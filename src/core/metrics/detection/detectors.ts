import { applyBinning, fitBinning } from '../../learners/binning.js';
import { fitTree, predictTree } from '../../learners/tree.js';
import { createRng } from '../../random.js';
import type { DetectorFit } from './two-sample.js';

/**
 * A bagged tree ensemble (random forest) on binned features as a detector: `trees` CART trees (default 30), each
 * on a bootstrap sample of the training rows, √features tried per split, depth ≤ `maxDepth` (default 12), leaves
 * of ≥ 5 rows. Sees interactions between columns, which a linear detector cannot. Bins are fitted on the
 * training rows only.
 * @example twoSampleAuc(cols, 1, forestDetector({ trees: 50 }), { seed: 7 })
 */
export function forestDetector(opts: { trees?: number; maxDepth?: number } = {}): DetectorFit {
  const trees = opts.trees ?? 30, maxDepth = opts.maxDepth ?? 12;
  return (x, y, train, test, seed) => {
    const binning = fitBinning(x, { rows: train, maxBins: 32 });
    const xb = applyBinning(x, binning);
    const rng = createRng(seed, 'forest-detector');
    const out = new Float64Array(test.length);
    const testX = { ...xb, numRows: test.length, bins: xb.bins.map((b) => takeBins(b, test)) };
    for (let t = 0; t < trees; t++) {
      const r = rng.split(t);
      const rows = new Int32Array(train.length);
      for (let i = 0; i < rows.length; i++) rows[i] = train[r.int(train.length)];
      const tree = fitTree(xb, { kind: 'classification', y, numClasses: 2 }, { rng: r.split('tree'), rows, maxDepth, minSamplesLeaf: 5, maxFeatures: 'sqrt' });
      const p = predictTree(tree, testX);
      for (let i = 0; i < test.length; i++) out[i] += p[2 * i + 1] / trees;
    }
    return out;
  };
}

function takeBins(b: Uint8Array, rows: Int32Array): Uint8Array {
  const out = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = b[rows[i]];
  return out;
}
