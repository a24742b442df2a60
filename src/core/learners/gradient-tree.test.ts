import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyBinning, fitBinning, type BinnedMatrix } from './binning.js';
import type { FeatureMatrix } from './features.js';
import { fitGradientTree, histLayout } from './gradient-tree.js';
import { applyTree } from './tree.js';

const LAMBDA = 1;

/** Best numeric split gain over the given rows by brute force (missing values sent right), no histograms. */
function bruteBestGain(xb: BinnedMatrix, g: Float64Array, h: Float64Array, rows: number[], minLeaf: number): number {
  const score = (G: number, H: number) => (G * G) / (H + LAMBDA);
  let G = 0, H = 0;
  for (const r of rows) {
    G += g[r];
    H += h[r];
  }
  let best = 0;
  for (let f = 0; f < xb.bins.length; f++) {
    for (let t = 1; t < xb.numBins[f]; t++) {
      let gl = 0, hl = 0, cl = 0;
      for (const r of rows) {
        const b = xb.bins[f][r];
        if (b !== 0 && b <= t) {
          gl += g[r];
          hl += h[r];
          cl++;
        }
      }
      if (cl < minLeaf || rows.length - cl < minLeaf) continue;
      best = Math.max(best, score(gl, hl) + score(G - gl, H - hl) - score(G, H));
    }
  }
  return best;
}

describe('fitGradientTree', () => {
  it('picks the best split at the root and in both children (children built by histogram subtraction)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 }), fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: 0.1, max: 2, noNaN: true })), {
          minLength: 8,
          maxLength: 80,
        }),
        (pts) => {
          const n = pts.length;
          const x: FeatureMatrix = {
            numRows: n,
            names: ['a', 'b'],
            columns: [Float64Array.from(pts.map((p) => p[0])), Float64Array.from(pts.map((p) => p[1]))],
            levels: [0, 0],
          };
          const xb = applyBinning(x, fitBinning(x));
          const g = Float64Array.from(pts.map((p) => p[2]));
          const h = Float64Array.from(pts.map((p) => p[3]));
          const rows = Int32Array.from({ length: n }, (_, i) => i);
          const { tree } = fitGradientTree(xb, g, h, rows, histLayout(xb), {
            maxDepth: 2, maxLeaves: 4, minSamplesLeaf: 2, minChildWeight: 0, lambda: LAMBDA, minSplitGain: 0, shrinkage: 1,
          });
          const all = Array.from({ length: n }, (_, i) => i);
          const rootBest = bruteBestGain(xb, g, h, all, 2);
          if (tree.feature[0] < 0) {
            expect(rootBest).toBeLessThanOrEqual(1e-9);
            return;
          }
          expect(tree.gain[0]).toBeCloseTo(rootBest, 9);
          // Rows of each child, found by routing (independent of the builder's partition).
          const leaves = applyTree(tree, xb);
          const under = (node: number): number[] =>
            all.filter((r) => {
              let k = leaves[r];
              // Walk up: a leaf is under `node` if node is on its path; recompute the path from the root instead.
              let cur = 0;
              while (cur !== k && tree.feature[cur] >= 0) {
                if (cur === node) return true;
                const b = xb.bins[tree.feature[cur]][r];
                const cl = tree.catLeft[cur];
                const left = b === 0 ? tree.missingLeft[cur] === 1 : cl ? cl[b] === 1 : b <= tree.threshold[cur];
                cur = left ? tree.left[cur] : tree.right[cur];
              }
              k = cur;
              return k === node;
            });
          for (const child of [tree.left[0], tree.right[0]]) {
            const rs = under(child);
            const best = bruteBestGain(xb, g, h, rs, 2);
            if (tree.feature[child] >= 0) expect(tree.gain[child]).toBeCloseTo(best, 9);
          }
          // Leaf values are −G/(H + λ) over the rows that land there.
          for (let node = 0; node < tree.numNodes; node++) {
            if (tree.feature[node] >= 0) continue;
            let G = 0, H = 0;
            for (let r = 0; r < n; r++)
              if (leaves[r] === node) {
                G += g[r];
                H += h[r];
              }
            expect(tree.value[node]).toBeCloseTo(-G / (H + LAMBDA), 9);
          }
        },
      ),
      { seed: 17, numRuns: 60 },
    );
  });
});
