/**
 * Identity resolution end to end on 1M synthetic Chinese customer records (bench/identity-data.ts): deterministic
 * pass, blocking, u sampling, EM, scoring, guarded clustering; pairwise precision/recall against the generator's
 * truth. Reference measured in the same run: a plain sort of the 1M blocking keys (`Array.prototype.sort` on
 * strings); the ratio is (blocking + comparison/training time) / reference sort time.
 *
 * Usage: npx tsx bench/identity.ts [records]   (default 1,000,000). Prints one JSON line on stdout.
 */
import { pairwiseMetricsFromLabels } from '@lingxi/core/identity/cluster';
import { resolveIdentities } from '@lingxi/core/identity/deterministic';
import { generateIdentityDataset } from './identity-data.ts';

const n = Number(process.argv[2] ?? 1_000_000);
if (!Number.isInteger(n) || n < 1000) {
  process.stderr.write('records: expected an integer ≥ 1000\n');
  process.exit(1);
}

const log = (s: string): void => {
  process.stderr.write(`identity bench: ${s}\n`);
};

const tGen = performance.now();
const data = generateIdentityDataset(n, 2024);
const genS = (performance.now() - tGen) / 1000;
log(`generated ${data.records.length} records of ${data.persons} persons in ${genS.toFixed(1)} s`);

const BLOCKING = ['national_id', 'phone', 'birth_date+surname_phonetic', 'full_name+birth_year', 'full_name+city'];
const result = resolveIdentities(data.records, {
  blockingRules: BLOCKING,
  linkage: { uSamplePairs: 500_000 },
});
const t = result.timings;
log(
  `prepare ${t.prepareMs.toFixed(0)} ms, deterministic ${t.deterministicMs.toFixed(0)} ms, blocking ${t.blockingMs.toFixed(0)} ms, ` +
    `train+score ${t.trainAndScoreMs.toFixed(0)} ms, cluster ${t.clusterMs.toFixed(0)} ms`,
);

// Reference: sort the same number of blocking keys (full-name pinyin + birth year) as plain strings.
const keys = result.records.map((r) => `${r.fullPhonetic}\u0001${r.dob?.year ?? ''}`);
const tSort = performance.now();
keys.sort();
const sortMs = performance.now() - tSort;

const metrics = pairwiseMetricsFromLabels(result.clusters.clusterId, data.person);
const round = (x: number, d = 4): number => Math.round(x * 10 ** d) / 10 ** d;
const workMs = t.blockingMs + t.trainAndScoreMs;
process.stdout.write(
  `${JSON.stringify({
    bench: 'identity',
    records: data.records.length,
    persons: data.persons,
    entities: result.clusters.clusterCount,
    records_per_s: Math.round(data.records.length / (t.totalMs / 1000)),
    total_s: round(t.totalMs / 1000, 2),
    deterministic_linked_records: result.deterministic.linkedRecords,
    blocking_rules: BLOCKING,
    candidate_pairs: result.pairs.count,
    all_pairs: result.pairs.allPairs,
    reduction_ratio: round(result.pairs.reductionRatio, 8),
    em_sessions: result.linkage.sessions.length,
    em_converged: result.linkage.em.converged,
    lambda_global: result.linkage.lambdaGlobal,
    review_pairs: result.reviewPairs,
    pairwise_precision: round(metrics.precision),
    pairwise_recall: round(metrics.recall),
    pairwise_f1: round(metrics.f1),
    blocking_and_scoring_ms: Math.round(workMs),
    reference_sort_ms: Math.round(sortMs),
    ratio_vs_reference_sort: round(workMs / sortMs, 2),
    heap_used_mb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
  })}\n`,
);
