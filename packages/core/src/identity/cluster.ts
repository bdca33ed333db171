/**
 * Clustering of accepted record pairs into entities, with a guard against chaining.
 *
 * Plain connected components over accepted pairs chain: A≈B and B≈C put A and C together even when A and C
 * have nothing in common, and one weak link can glue two large entities. The rule used here (documented in
 * `clusterPairs`):
 *
 *   Edges are processed strongest first (descending match weight). An edge joining two different clusters X and Y
 *   merges them when
 *     (a) the clusters do not carry conflicting keys (e.g. two different valid resident ID numbers), and
 *     (b) either the edge weight ≥ `bridgeWeight` (a link strong enough to be trusted on its own), or the
 *         average-linkage match probability over all |X|·|Y| cross pairs ≥ `minAverageProbability`.
 *   Cross pairs that were not scored (not candidate pairs) are scored on demand with `scorePair` when given, and
 *   count as probability 0 otherwise. When |X|·|Y| exceeds `maxCrossPairs` a weak edge never merges.
 *
 * For two singletons the average linkage is the edge's own probability, so ordinary pairs above the acceptance
 * threshold merge; only weak edges between already-formed groups need the support of the other members.
 */

/** Union-find with path halving and union by size; keeps member lists for linkage checks. */
export class UnionFind {
  readonly parent: Int32Array;
  readonly size: Int32Array;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }

  find(x: number): number {
    const p = this.parent;
    let r = x;
    while (p[r] !== r) {
      const gp = p[p[r] as number] as number;
      p[r] = gp;
      r = gp;
    }
    return r;
  }

  /** Merge the sets of x and y; returns the new root (or the common root when already together). */
  union(x: number, y: number): number {
    let rx = this.find(x);
    let ry = this.find(y);
    if (rx === ry) return rx;
    if ((this.size[rx] as number) < (this.size[ry] as number)) {
      const t = rx;
      rx = ry;
      ry = t;
    }
    this.parent[ry] = rx;
    this.size[rx] = (this.size[rx] as number) + (this.size[ry] as number);
    return rx;
  }
}

export interface ClusterOptions {
  /** Edges below this match weight are ignored. */
  acceptWeight: number;
  /** An edge at or above this weight merges two clusters on its own (subject to key conflicts). */
  bridgeWeight: number;
  /** Average-linkage probability needed for a weaker edge to merge two clusters. */
  minAverageProbability: number;
  /** Match weight of any pair of records, used for cross pairs that are not edges. */
  scorePair?: (i: number, j: number) => number;
  /** Records with different non-null conflict keys may never share a cluster (e.g. valid resident IDs). */
  conflictKey?: (i: number) => string | null;
  /** Initial groups (e.g. from deterministic linkage): records with the same non-negative group start together. */
  initialGroups?: Int32Array;
  /** Largest |X|·|Y| for which a weak edge is checked by average linkage. Default 2,500. */
  maxCrossPairs?: number;
}

export interface ClusterResult {
  /** Dense cluster id per record, 0..clusterCount-1, numbered in order of first record. */
  clusterId: Int32Array;
  clusterCount: number;
  /** Edges at or above the accept weight. */
  acceptedEdges: number;
  /** Edges that joined two clusters. */
  mergingEdges: number;
  /** Weak edges refused by the average-linkage guard. */
  rejectedByLinkage: number;
  /** Edges refused because the clusters carry different conflict keys. */
  rejectedByConflict: number;
}

function probability(w: number): number {
  return 1 / (1 + 2 ** -w);
}

/**
 * Cluster records 0..n-1 given scored pairs (a[p], b[p], weight[p]). See the module comment for the merge rule.
 */
export function clusterPairs(
  n: number,
  a: Int32Array,
  b: Int32Array,
  weight: Float64Array,
  options: ClusterOptions,
): ClusterResult {
  const uf = new UnionFind(n);
  const members: (number[] | null)[] = new Array(n).fill(null);
  const key: (string | null)[] = new Array(n).fill(null);
  const conflictKey = options.conflictKey;
  const maxCross = options.maxCrossPairs ?? 2500;
  for (let i = 0; i < n; i++) {
    members[i] = [i];
    if (conflictKey !== undefined) key[i] = conflictKey(i);
  }
  let rejectedByConflict = 0;
  const joinRoots = (rx: number, ry: number): void => {
    const r = uf.union(rx, ry);
    const other = r === rx ? ry : rx;
    const mr = members[r] as number[];
    for (const x of members[other] as number[]) mr.push(x);
    members[other] = null;
    if (key[r] === null) key[r] = key[other] ?? null;
    key[other] = null;
  };
  if (options.initialGroups !== undefined) {
    const firstOf = new Map<number, number>();
    const g = options.initialGroups;
    for (let i = 0; i < n; i++) {
      const gi = g[i] as number;
      if (gi < 0) continue;
      const first = firstOf.get(gi);
      if (first === undefined) {
        firstOf.set(gi, i);
        continue;
      }
      const rx = uf.find(first);
      const ry = uf.find(i);
      if (rx !== ry) joinRoots(rx, ry);
    }
  }
  // Edges above the accept weight, strongest first.
  let accepted = 0;
  for (let p = 0; p < weight.length; p++) if ((weight[p] as number) >= options.acceptWeight) accepted++;
  const order = new Int32Array(accepted);
  let k = 0;
  for (let p = 0; p < weight.length; p++) if ((weight[p] as number) >= options.acceptWeight) order[k++] = p;
  const sorted = Array.from(order).sort((x, y) => (weight[y] as number) - (weight[x] as number));
  // Edge lookup for cross pairs without a scorer (only edges are known).
  let edgeWeight: Map<number, number> | null = null;
  const pairKey = (i: number, j: number): number => (i < j ? i * n + j : j * n + i);
  let merging = 0;
  let rejectedByLinkage = 0;
  for (const p of sorted) {
    const i = a[p] as number;
    const j = b[p] as number;
    const w = weight[p] as number;
    const rx = uf.find(i);
    const ry = uf.find(j);
    if (rx === ry) continue;
    const kx = key[rx] ?? null;
    const ky = key[ry] ?? null;
    if (kx !== null && ky !== null && kx !== ky) {
      rejectedByConflict++;
      continue;
    }
    if (w < options.bridgeWeight) {
      const mx = members[rx] as number[];
      const my = members[ry] as number[];
      const cross = mx.length * my.length;
      if (cross > 1) {
        if (cross > maxCross) {
          rejectedByLinkage++;
          continue;
        }
        let sum = 0;
        for (const x of mx) {
          for (const y of my) {
            if ((x === i && y === j) || (x === j && y === i)) {
              sum += probability(w);
            } else if (options.scorePair !== undefined) {
              sum += probability(options.scorePair(x, y));
            } else {
              if (edgeWeight === null) {
                edgeWeight = new Map();
                for (let q = 0; q < weight.length; q++)
                  edgeWeight.set(pairKey(a[q] as number, b[q] as number), weight[q] as number);
              }
              const ew = edgeWeight.get(pairKey(x, y));
              sum += ew === undefined ? 0 : probability(ew);
            }
          }
        }
        if (sum / cross < options.minAverageProbability) {
          rejectedByLinkage++;
          continue;
        }
      } else if (probability(w) < options.minAverageProbability) {
        rejectedByLinkage++;
        continue;
      }
    }
    joinRoots(rx, ry);
    merging++;
  }
  const clusterId = new Int32Array(n);
  const dense = new Int32Array(n).fill(-1);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const r = uf.find(i);
    if (dense[r] === -1) dense[r] = count++;
    clusterId[i] = dense[r] as number;
  }
  return {
    clusterId,
    clusterCount: count,
    acceptedEdges: accepted,
    mergingEdges: merging,
    rejectedByLinkage,
    rejectedByConflict,
  };
}

export interface PairwiseMetrics {
  truePositives: number;
  predictedPairs: number;
  truePairs: number;
  precision: number;
  recall: number;
  f1: number;
}

function metrics(tp: number, predicted: number, truth: number): PairwiseMetrics {
  const precision = predicted === 0 ? 1 : tp / predicted;
  const recall = truth === 0 ? 1 : tp / truth;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePositives: tp, predictedPairs: predicted, truePairs: truth, precision, recall, f1 };
}

/**
 * Pairwise precision/recall of a clustering against true entity labels (both dense or arbitrary integers):
 * predicted pairs are all pairs inside a cluster, true pairs all pairs sharing a label.
 */
export function pairwiseMetricsFromLabels(clusterId: Int32Array, truthLabel: Int32Array): PairwiseMetrics {
  const n = clusterId.length;
  const byCluster = new Map<number, number>();
  const byTruth = new Map<number, number>();
  const byBoth = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const c = clusterId[i] as number;
    const t = truthLabel[i] as number;
    byCluster.set(c, (byCluster.get(c) ?? 0) + 1);
    byTruth.set(t, (byTruth.get(t) ?? 0) + 1);
    const k = `${c}:${t}`;
    byBoth.set(k, (byBoth.get(k) ?? 0) + 1);
  }
  const pairs = (m: Map<unknown, number>): number => {
    let s = 0;
    for (const v of m.values()) s += (v * (v - 1)) / 2;
    return s;
  };
  return metrics(pairs(byBoth), pairs(byCluster), pairs(byTruth));
}

/**
 * Pairwise precision/recall of a clustering against an explicit list of true duplicate pairs (record indices).
 * True pairs are deduplicated and unordered; they are not closed transitively.
 */
export function pairwiseMetricsFromPairs(
  clusterId: Int32Array,
  truePairs: readonly (readonly [number, number])[],
): PairwiseMetrics {
  const seen = new Set<string>();
  let tp = 0;
  for (const [x, y] of truePairs) {
    if (x === y) continue;
    const k = x < y ? `${x}:${y}` : `${y}:${x}`;
    if (seen.has(k)) continue;
    seen.add(k);
    if (clusterId[x] === clusterId[y]) tp++;
  }
  const sizes = new Map<number, number>();
  for (const c of clusterId) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  let predicted = 0;
  for (const v of sizes.values()) predicted += (v * (v - 1)) / 2;
  return metrics(tp, predicted, seen.size);
}
