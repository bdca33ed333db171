import { resolveIdentities } from '@lingxi/core/identity/deterministic';
import type { InputRecord } from '@lingxi/core/identity/fellegi-sunter';
import { probabilityFromWeight, weightFromProbability } from '@lingxi/core/identity/fellegi-sunter';
import type { OperationalDb } from '../../db/operational.ts';
import type { PiiCipher } from '../../security/crypto.ts';
import { enqueueReview } from './golden.repo.ts';
import { decodeAttrs, recomputeGolden } from './golden.service.ts';

export interface ResolveReport {
  records: number;
  entities: number;
  candidatePairs: number;
  reductionRatio: number;
  linked: number;
  alreadyLinked: number;
  unlinked: number;
  conflicts: number;
  reviewQueued: number;
  recomputed: number;
  /**
   * Against `source_records.synthetic_truth_id` (synthetic bank only): quality of the golden-record assignment of the
   * records that arrived unlinked (precision = correct / assigned, recall = correct / all unlinked).
   */
  truth?: { records: number; assigned: number; correct: number; precision: number; recall: number };
  seconds: number;
}

interface Row {
  id: number;
  source_system: string;
  source_key: string;
  customer_id: number | null;
  attrs_enc: Uint8Array;
  synthetic_truth_id: number | null;
}

/**
 * Resolves source records to golden records: the deterministic pass (resident ID) and the Fellegi–Sunter pass
 * (name incl. pinyin, birth date, phone, city) cluster all records; an unlinked record joins the customer of its
 * cluster when that cluster holds exactly one customer; a cluster spanning several customers is a conflict whose pairs
 * go to the review queue (merging golden records is a reviewed decision); pairs in the "needs review" band are
 * queued too. Golden values of every customer that gained records are recomputed by survivorship.
 */
export async function resolveSourceRecords(
  deps: { op: OperationalDb; cipher: PiiCipher },
  opts: { threshold?: number; reviewThreshold?: number } = {},
): Promise<ResolveReport> {
  const t0 = performance.now();
  const { rows } = await deps.op.query<Row>(
    `SELECT id::int AS id, source_system, source_key, customer_id::int AS customer_id, attrs_enc,
            synthetic_truth_id::int AS synthetic_truth_id
       FROM source_records ORDER BY id`,
  );
  const input: InputRecord[] = rows.map((r) => {
    const a = decodeAttrs(deps.cipher, r.attrs_enc);
    const f: InputRecord['fields'] = { source_system: r.source_system };
    if (a.name) f.full_name = a.name;
    if (a.birth_date) f.birth_date = a.birth_date;
    if (a.id_number) f.national_id = a.id_number;
    if (a.mobile) f.phone = a.mobile;
    if (a.city) f.city = a.city;
    return { id: String(r.id), fields: f };
  });
  const threshold = opts.threshold ?? 0.9;
  const reviewThreshold = opts.reviewThreshold ?? 0.5;
  const result = resolveIdentities(input, { threshold, reviewThreshold });
  const cluster = result.clusters.clusterId;

  // customers present in each cluster
  const customersOf = new Map<number, Set<number>>();
  rows.forEach((r, i) => {
    const c = cluster[i] as number;
    if (r.customer_id !== null) {
      const set = customersOf.get(c) ?? new Set<number>();
      set.add(r.customer_id);
      customersOf.set(c, set);
    }
  });

  let linked = 0;
  let unlinked = 0;
  let conflicts = 0;
  let reviewQueued = 0;
  const touched = new Set<number>();
  const assignments: { id: number; customer: number }[] = [];
  rows.forEach((r, i) => {
    if (r.customer_id !== null) return;
    const set = customersOf.get(cluster[i] as number);
    if (set && set.size === 1) {
      const customer = [...set][0] as number;
      assignments.push({ id: r.id, customer });
      touched.add(customer);
      linked++;
    } else unlinked++;
  });
  for (const [, set] of customersOf) if (set.size > 1) conflicts++;

  await deps.op.transaction(async (tx) => {
    for (let i = 0; i < assignments.length; i += 5000) {
      const chunk = assignments.slice(i, i + 5000);
      await tx.query(
        `UPDATE source_records s SET customer_id = v.customer
           FROM unnest($1::bigint[], $2::bigint[]) AS v(id, customer) WHERE s.id = v.id`,
        [chunk.map((a) => a.id), chunk.map((a) => a.customer)],
      );
    }
    // review queue: pairs in the review band, and accepted pairs that join two different customers
    const reviewWeight = weightFromProbability(reviewThreshold);
    const acceptWeight = weightFromProbability(threshold);
    const { a, b, count } = result.pairs;
    for (let p = 0; p < count; p++) {
      const w = result.linkage.weights[p] as number;
      if (w < reviewWeight) continue;
      const ia = a[p] as number;
      const ib = b[p] as number;
      const ca = rows[ia]?.customer_id ?? null;
      const cb = rows[ib]?.customer_id ?? null;
      const crossCustomer = ca !== null && cb !== null && ca !== cb;
      if (w < acceptWeight || crossCustomer) {
        await enqueueReview(tx, {
          recordA: rows[ia]?.id as number,
          recordB: rows[ib]?.id as number,
          probability: probabilityFromWeight(w),
          weight: w,
          evidence: { band: w < acceptWeight ? 'needs_review' : 'links_two_customers' },
        });
        reviewQueued++;
      }
    }
  });

  let recomputed = 0;
  for (const customer of touched) {
    await deps.op.transaction((tx) => recomputeGolden(tx, deps.cipher, customer));
    recomputed++;
  }

  const report: ResolveReport = {
    records: rows.length,
    entities: result.clusters.clusterCount,
    candidatePairs: result.pairs.count,
    reductionRatio: result.pairs.reductionRatio,
    linked,
    alreadyLinked: rows.length - linked - unlinked,
    unlinked,
    conflicts,
    reviewQueued,
    recomputed,
    seconds: 0,
  };
  const withTruth = rows.filter((r) => r.synthetic_truth_id !== null && r.customer_id === null);
  if (withTruth.length > 0) {
    const assigned = new Map(assignments.map((x) => [x.id, x.customer]));
    let nAssigned = 0;
    let correct = 0;
    for (const r of withTruth) {
      const c = assigned.get(r.id) ?? null;
      if (c === null) continue;
      nAssigned++;
      if (c === r.synthetic_truth_id) correct++;
    }
    report.truth = {
      records: withTruth.length,
      assigned: nAssigned,
      correct,
      precision: nAssigned ? correct / nAssigned : 0,
      recall: correct / withTruth.length,
    };
  }
  report.seconds = (performance.now() - t0) / 1000;
  return report;
}
