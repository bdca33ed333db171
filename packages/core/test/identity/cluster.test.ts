import { describe, expect, it } from 'vitest';
import {
  clusterPairs,
  pairwiseMetricsFromLabels,
  pairwiseMetricsFromPairs,
  UnionFind,
} from '../../src/identity/cluster.ts';
import { weightFromProbability } from '../../src/identity/fellegi-sunter.ts';

const STRONG = 30;
const WEAK = weightFromProbability(0.95);
const NONE = -20;

/** Records A=0, B=1, C=2, D=3: A–B strong, C–D strong, B–C weak; all other pairs clearly non-matches. */
function chain() {
  const a = Int32Array.from([0, 2, 1]);
  const b = Int32Array.from([1, 3, 2]);
  const w = Float64Array.from([STRONG, STRONG, WEAK]);
  const known = new Map([
    ['0:1', STRONG],
    ['2:3', STRONG],
    ['1:2', WEAK],
  ]);
  const scorePair = (i: number, j: number) => known.get(i < j ? `${i}:${j}` : `${j}:${i}`) ?? NONE;
  return { a, b, w, scorePair };
}

const base = {
  acceptWeight: weightFromProbability(0.9),
  bridgeWeight: weightFromProbability(0.9999),
  minAverageProbability: 0.9,
};

describe('union-find', () => {
  it('merges and finds roots', () => {
    const uf = new UnionFind(5);
    uf.union(0, 1);
    uf.union(3, 4);
    expect(uf.find(1)).toBe(uf.find(0));
    expect(uf.find(2)).not.toBe(uf.find(0));
    uf.union(1, 4);
    expect(uf.find(3)).toBe(uf.find(0));
    expect(uf.size[uf.find(0)]).toBe(4);
  });
});

describe('guarded clustering', () => {
  it('a weak bridge B–C does not merge A–B with C–D', () => {
    const { a, b, w, scorePair } = chain();
    const r = clusterPairs(4, a, b, w, { ...base, scorePair });
    expect(r.clusterCount).toBe(2);
    expect(r.clusterId[0]).toBe(r.clusterId[1]);
    expect(r.clusterId[2]).toBe(r.clusterId[3]);
    expect(r.clusterId[0]).not.toBe(r.clusterId[2]);
    expect(r.rejectedByLinkage).toBe(1);
  });

  it('without a scorer unknown cross pairs count as non-matches, so the bridge is still refused', () => {
    const { a, b, w } = chain();
    const r = clusterPairs(4, a, b, w, base);
    expect(r.clusterCount).toBe(2);
  });

  it('plain connected components (bridge threshold at the accept threshold) would chain them', () => {
    const { a, b, w, scorePair } = chain();
    const r = clusterPairs(4, a, b, w, { ...base, bridgeWeight: base.acceptWeight, scorePair });
    expect(r.clusterCount).toBe(1);
  });

  it('a weak edge merges when the other members support it (average linkage)', () => {
    const { a, b, w } = chain();
    const scorePair = () => WEAK + 3;
    const r = clusterPairs(4, a, b, w, { ...base, scorePair });
    expect(r.clusterCount).toBe(1);
  });

  it('a strong bridge merges on its own, a singleton joins through a weak edge', () => {
    const { a, b, scorePair } = chain();
    const strong = clusterPairs(4, a, b, Float64Array.from([STRONG, STRONG, STRONG]), { ...base, scorePair });
    expect(strong.clusterCount).toBe(1);
    const single = clusterPairs(
      3,
      Int32Array.from([0, 1]),
      Int32Array.from([1, 2]),
      Float64Array.from([STRONG, WEAK]),
      {
        ...base,
        scorePair: (i, j) => (i + j === 2 ? NONE : STRONG),
      },
    );
    // {A,B} + C through B–C weak: A–C is a clear non-match, average (0.95 + 0) / 2 < 0.9: refused.
    expect(single.clusterCount).toBe(2);
  });

  it('edges below the accept weight are ignored; conflict keys are never merged', () => {
    const a = Int32Array.from([0, 1]);
    const b = Int32Array.from([1, 2]);
    const r1 = clusterPairs(3, a, b, Float64Array.from([0, STRONG]), base);
    expect(r1.clusterCount).toBe(2);
    const keys = ['110105194912310021', null, '440524188001010014'];
    const r2 = clusterPairs(3, a, b, Float64Array.from([STRONG, STRONG]), {
      ...base,
      conflictKey: (i) => keys[i] ?? null,
    });
    expect(r2.clusterCount).toBe(2);
    expect(r2.rejectedByConflict).toBe(1);
  });

  it('starts from initial (deterministic) groups', () => {
    const r = clusterPairs(4, new Int32Array(0), new Int32Array(0), new Float64Array(0), {
      ...base,
      initialGroups: Int32Array.from([0, -1, 0, -1]),
    });
    expect(r.clusterCount).toBe(3);
    expect(r.clusterId[0]).toBe(r.clusterId[2]);
  });
});

describe('pairwise metrics', () => {
  it('counts pairs inside clusters against labels and against explicit pairs', () => {
    const clusters = Int32Array.from([0, 0, 0, 1, 2]);
    const labels = Int32Array.from([7, 7, 8, 8, 9]);
    const m = pairwiseMetricsFromLabels(clusters, labels);
    expect(m).toMatchObject({ truePositives: 1, predictedPairs: 3, truePairs: 2 });
    expect(m.precision).toBeCloseTo(1 / 3, 12);
    expect(m.recall).toBeCloseTo(1 / 2, 12);
    const p = pairwiseMetricsFromPairs(clusters, [
      [0, 1],
      [1, 0],
      [2, 3],
    ]);
    expect(p).toMatchObject({ truePositives: 1, predictedPairs: 3, truePairs: 2 });
    expect(p.f1).toBeCloseTo((2 * (1 / 3) * 0.5) / (1 / 3 + 0.5), 12);
  });
});
