/**
 * Deterministic first pass and the end-to-end resolution pipeline.
 *
 * Pass 1 (deterministic), in order:
 *   1. records whose national_id is a *valid* GB 11643 resident ID (15-digit legacy numbers upgraded) are linked
 *      on the canonical 18-character number;
 *   2. records sharing a trusted exact key (role source_key, e.g. the core-banking customer number used across
 *      the bank's own systems) are linked, except when that would put two different valid resident IDs in one
 *      group (counted as a conflict and left to the probabilistic pass).
 *   National IDs that are not valid GB 11643 numbers (typos, foreign or other identifiers such as the FEBRL
 *   soc_sec_id) are never linked deterministically: they only feed the typo-tolerant `national_id` comparison.
 *
 * Pass 2 (probabilistic): blocking over all records with the pairs already inside one deterministic group skipped,
 * so remaining records are compared with each other and with members of the deterministic groups; Fellegi–Sunter
 * scoring; guarded clustering seeded with the deterministic groups (see cluster.ts).
 */
import { z } from 'zod';
import { type ClusterResult, clusterPairs, UnionFind } from './cluster.ts';
import {
  type BlockingRule,
  blockingRulesByName,
  type CandidatePairs,
  type Comparison,
  defaultBlockingRules,
  defaultComparisons,
  generateCandidatePairs,
  type InputRecord,
  type LinkageOptions,
  linkageOptionsSchema,
  type PreparedRecord,
  prepareRecords,
  type Role,
  type TrainedLinkage,
  trainAndScore,
  weightFromProbability,
} from './fellegi-sunter.ts';

export interface DeterministicResult {
  /** Group id per record (dense, the root's position), -1 for records not linked deterministically. */
  group: Int32Array;
  groups: number;
  /** Records in a group of size ≥ 2. */
  linkedRecords: number;
  linksByResidentId: number;
  linksBySourceKey: number;
  /** Source-key links refused because they would join two different valid resident IDs. */
  conflicts: number;
}

/** Deterministic linkage on valid resident IDs, then trusted source keys. */
export function deterministicLink(records: readonly PreparedRecord[]): DeterministicResult {
  const n = records.length;
  const uf = new UnionFind(n);
  const rootId: (string | null)[] = records.map((r) => r.residentId);
  let byId = 0;
  let byKey = 0;
  let conflicts = 0;
  const firstById = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const id = (records[i] as PreparedRecord).residentId;
    if (id === null) continue;
    const first = firstById.get(id);
    if (first === undefined) firstById.set(id, i);
    else if (uf.find(first) !== uf.find(i)) {
      uf.union(first, i);
      byId++;
    }
  }
  const firstByKey = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const key = (records[i] as PreparedRecord).sourceKey;
    if (key === '') continue;
    const first = firstByKey.get(key);
    if (first === undefined) {
      firstByKey.set(key, i);
      continue;
    }
    const rx = uf.find(first);
    const ry = uf.find(i);
    if (rx === ry) continue;
    const ix = rootId[rx] ?? null;
    const iy = rootId[ry] ?? null;
    if (ix !== null && iy !== null && ix !== iy) {
      conflicts++;
      continue;
    }
    const r = uf.union(rx, ry);
    rootId[r] = ix ?? iy;
    byKey++;
  }
  const group = new Int32Array(n).fill(-1);
  const dense = new Map<number, number>();
  let linked = 0;
  for (let i = 0; i < n; i++) {
    const r = uf.find(i);
    if ((uf.size[r] as number) < 2) continue;
    linked++;
    let g = dense.get(r);
    if (g === undefined) {
      g = dense.size;
      dense.set(r, g);
    }
    group[i] = g;
  }
  return {
    group,
    groups: dense.size,
    linkedRecords: linked,
    linksByResidentId: byId,
    linksBySourceKey: byKey,
    conflicts,
  };
}

export const resolveOptionsSchema = z.object({
  /** Match probability at or above which a pair is accepted. */
  threshold: z.number().gt(0).lt(1).default(0.9),
  /** Pairs with probability in [reviewThreshold, threshold) are reported for clerical review. */
  reviewThreshold: z.number().gt(0).lt(1).default(0.5),
  /** Match probability at or above which one edge may join two existing clusters on its own. */
  bridgeProbability: z.number().gt(0).lt(1).default(0.9999),
  /**
   * Average-linkage probability over all cross pairs needed for an edge below the bridge probability to join two
   * clusters (default: min(0.5, threshold), i.e. the majority of the cross pairs must support the merge).
   */
  minAverageProbability: z.number().gt(0).lt(1).optional(),
  /** Built-in blocking rule names (default: chosen from the roles present). */
  blockingRules: z.array(z.string()).optional(),
  maxBlockSize: z.number().int().positive().default(10_000),
  /** Forbid clusters holding two different valid resident IDs. Default true. */
  residentIdConflicts: z.boolean().default(true),
  linkage: z.custom<LinkageOptions>((v) => typeof v === 'object' && v !== null).optional(),
});
export type ResolveOptions = z.input<typeof resolveOptionsSchema>;

export interface ResolveTimings {
  prepareMs: number;
  deterministicMs: number;
  blockingMs: number;
  trainAndScoreMs: number;
  clusterMs: number;
  totalMs: number;
}

export interface ResolveResult {
  records: PreparedRecord[];
  deterministic: DeterministicResult;
  comparisons: readonly Comparison[];
  blockingRules: readonly BlockingRule[];
  pairs: CandidatePairs;
  linkage: TrainedLinkage;
  clusters: ClusterResult;
  /** Candidate pairs in the review band. */
  reviewPairs: number;
  threshold: number;
  timings: ResolveTimings;
  /** Re-cluster the same scored pairs at another threshold (for threshold sweeps). */
  reclusterAt(threshold: number): ClusterResult;
}

/** Roles holding at least one non-empty value. */
export function presentRoles(records: readonly InputRecord[]): Role[] {
  const seen = new Set<Role>();
  for (const r of records) {
    const fields = r.fields;
    for (const role in fields) {
      const v = fields[role as Role];
      if (v !== undefined && v.trim() !== '') seen.add(role as Role);
    }
  }
  return [...seen];
}

/** Full pipeline: prepare → deterministic → blocking → u/EM/scoring → guarded clustering. */
export function resolveIdentities(
  input: readonly InputRecord[],
  options: ResolveOptions = {},
  comparisonsOverride?: readonly Comparison[],
): ResolveResult {
  const o = resolveOptionsSchema.parse(options);
  const linkageOptions = linkageOptionsSchema.parse(o.linkage ?? {});
  const t0 = performance.now();
  const records = prepareRecords(input);
  const roles = presentRoles(input);
  const t1 = performance.now();
  const deterministic = deterministicLink(records);
  const t2 = performance.now();
  const rules = o.blockingRules !== undefined ? blockingRulesByName(o.blockingRules) : defaultBlockingRules(roles);
  if (rules.length === 0)
    throw new Error('no blocking rule applies: map at least one of the name, date, id or phone roles');
  const pairs = generateCandidatePairs(records, rules, {
    excludeSameGroup: deterministic.group,
    maxBlockSize: o.maxBlockSize,
  });
  const t3 = performance.now();
  const comparisons = comparisonsOverride ?? defaultComparisons(roles);
  if (comparisons.length === 0) throw new Error('no comparable role is mapped');
  const linkage = trainAndScore(records, pairs, comparisons, linkageOptions, rules);
  const t4 = performance.now();
  const cluster = (threshold: number): ClusterResult =>
    clusterPairs(records.length, pairs.a, pairs.b, linkage.weights, {
      acceptWeight: weightFromProbability(threshold),
      bridgeWeight: weightFromProbability(Math.max(threshold, o.bridgeProbability)),
      minAverageProbability: o.minAverageProbability ?? Math.min(0.5, threshold),
      scorePair: (i, j) => linkage.model.weight(records[i] as PreparedRecord, records[j] as PreparedRecord),
      conflictKey: o.residentIdConflicts ? (i) => (records[i] as PreparedRecord).residentId : undefined,
      initialGroups: deterministic.group,
    });
  const clusters = cluster(o.threshold);
  const t5 = performance.now();
  const reviewWeight = weightFromProbability(o.reviewThreshold);
  const acceptWeight = weightFromProbability(o.threshold);
  let reviewPairs = 0;
  for (const w of linkage.weights) if (w >= reviewWeight && w < acceptWeight) reviewPairs++;
  return {
    records,
    deterministic,
    comparisons,
    blockingRules: rules,
    pairs,
    linkage,
    clusters,
    reviewPairs,
    threshold: o.threshold,
    timings: {
      prepareMs: t1 - t0,
      deterministicMs: t2 - t1,
      blockingMs: t3 - t2,
      trainAndScoreMs: t4 - t3,
      clusterMs: t5 - t4,
      totalMs: t5 - t0,
    },
    reclusterAt: cluster,
  };
}
