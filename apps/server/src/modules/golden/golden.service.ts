import { type SourceValueRecord, type SurvivorshipPolicy, surviveFields } from '@lingxi/core/golden/survivorship';
import { maskMobile, maskName } from '@lingxi/core/pii/masking';
import { z } from 'zod';
import type { OperationalDb, OperationalQueryable } from '../../db/operational.ts';
import { HttpProblem, notFound } from '../../http/problem.ts';
import type { PiiCipher } from '../../security/crypto.ts';
import { appendAudit } from '../audit/audit.service.ts';
import {
  customerStatus,
  decideReview,
  type GoldenUpdate,
  insertMergeEvent,
  mergeEvent,
  moveOwnedRows,
  moveRowsBack,
  replaceLineage,
  reviewById,
  setMerged,
  sourceRecordsOf,
  updateGoldenFields,
} from './golden.repo.ts';

/** The PII attributes a source record carries (decrypted from `source_records.attrs_enc`). */
export const sourceAttrsSchema = z.record(z.string(), z.union([z.string(), z.null()]).optional());

export interface GoldenDeps {
  op: OperationalDb;
  cipher: PiiCipher;
}

export function decodeAttrs(cipher: PiiCipher, blob: Uint8Array): Record<string, string | null | undefined> {
  return sourceAttrsSchema.parse(JSON.parse(cipher.decrypt(blob)));
}

/**
 * Recomputes a customer's golden record from its source records by the survivorship policy, writing the surviving
 * C2 values encrypted (with keyed hashes and masks) and the lineage of every field.
 */
export async function recomputeGolden(
  db: OperationalQueryable,
  cipher: PiiCipher,
  customerId: number,
  policy?: SurvivorshipPolicy,
): Promise<Record<string, { sourceRecordId: number; sourceSystem: string; rule: string }>> {
  const records = await sourceRecordsOf(db, customerId);
  const values: SourceValueRecord[] = records.map((r) => ({
    id: r.id,
    sourceSystem: r.source_system,
    receivedAt: new Date(r.received_at),
    attrs: decodeAttrs(cipher, r.attrs_enc),
  }));
  const golden = surviveFields(values, policy);
  const u: GoldenUpdate = {};
  if (golden.name) {
    const v = golden.name.value;
    u.name = { enc: cipher.encrypt(v), hash: cipher.hash(v), masked: maskName(v) };
  }
  if (golden.id_number) {
    const v = golden.id_number.value.toUpperCase();
    u.idNumber = { enc: cipher.encrypt(v), hash: cipher.hash(v) };
  }
  if (golden.mobile) {
    const v = golden.mobile.value;
    u.mobile = { enc: cipher.encrypt(v), hash: cipher.hash(v), masked: maskMobile(v) };
  }
  if (golden.birth_date && /^\d{4}-\d{2}-\d{2}$/.test(golden.birth_date.value)) u.birthDate = golden.birth_date.value;
  if (golden.gender && (golden.gender.value === 'M' || golden.gender.value === 'F')) u.gender = golden.gender.value;
  if (golden.city) u.city = golden.city.value;
  if (records.length > 0) await updateGoldenFields(db, customerId, u);
  await replaceLineage(
    db,
    customerId,
    Object.entries(golden).map(([field, g]) => ({ field, ...g })),
  );
  return Object.fromEntries(
    Object.entries(golden).map(([f, g]) => [
      f,
      { sourceRecordId: g.sourceRecordId, sourceSystem: g.sourceSystem, rule: g.rule },
    ]),
  );
}

export class IdentityConflict extends HttpProblem {
  constructor(detail: string) {
    super(409, 'Conflict', detail);
  }
}

/**
 * Merges customer `mergedId` into `survivorId`: its source records and products move to the survivor (recorded, so an
 * unmerge restores exactly them), it is marked merged, and the survivor's golden record is recomputed.
 */
export async function mergeCustomers(
  deps: GoldenDeps,
  a: { survivorId: number; mergedId: number; actor: string; actorRole?: string | null; reason: string },
): Promise<{ mergeId: number; moved: Record<string, number> }> {
  if (a.survivorId === a.mergedId) throw new IdentityConflict('a customer cannot be merged into itself');
  return deps.op.transaction(async (tx) => {
    const s = await customerStatus(tx, a.survivorId);
    const m = await customerStatus(tx, a.mergedId);
    if (!s) throw notFound(`customer ${a.survivorId}`);
    if (!m) throw notFound(`customer ${a.mergedId}`);
    if (s.status === 'merged')
      throw new IdentityConflict(`customer ${a.survivorId} is itself merged into ${s.merged_into}`);
    if (m.status === 'merged')
      throw new IdentityConflict(`customer ${a.mergedId} is already merged into ${m.merged_into}`);
    const moved = await moveOwnedRows(tx, a.mergedId, a.survivorId);
    await setMerged(tx, a.mergedId, a.survivorId);
    const mergeId = await insertMergeEvent(tx, { kind: 'merge', ...a, moved });
    await appendAudit(tx, {
      actor: { id: a.actor, role: a.actorRole ?? null },
      action: 'identity.merge',
      target: { type: 'customer', id: String(a.survivorId) },
      reason: a.reason,
      details: {
        mergeId,
        mergedId: a.mergedId,
        moved: Object.fromEntries(Object.entries(moved).map(([t, ids]) => [t, ids.length])),
      },
    });
    await recomputeGolden(tx, deps.cipher, a.survivorId);
    return { mergeId, moved: Object.fromEntries(Object.entries(moved).map(([t, ids]) => [t, ids.length])) };
  });
}

/** Undoes a merge: the recorded rows return to the merged customer, which becomes active again; both are recomputed. */
export async function unmergeCustomers(
  deps: GoldenDeps,
  a: { mergeId: number; actor: string; actorRole?: string | null; reason: string },
): Promise<{ unmergeId: number; survivorId: number; restoredId: number }> {
  return deps.op.transaction(async (tx) => {
    const ev = await mergeEvent(tx, a.mergeId);
    if (ev?.kind !== 'merge') throw notFound(`merge ${a.mergeId}`);
    if (ev.undone_by !== null) throw new IdentityConflict(`merge ${a.mergeId} was already undone by ${ev.undone_by}`);
    await moveRowsBack(tx, ev.moved, ev.merged_id);
    await setMerged(tx, ev.merged_id, null);
    const unmergeId = await insertMergeEvent(tx, {
      kind: 'unmerge',
      survivorId: ev.survivor_id,
      mergedId: ev.merged_id,
      moved: ev.moved,
      actor: a.actor,
      reason: a.reason,
      undoes: ev.id,
    });
    await appendAudit(tx, {
      actor: { id: a.actor, role: a.actorRole ?? null },
      action: 'identity.unmerge',
      target: { type: 'customer', id: String(ev.merged_id) },
      reason: a.reason,
      details: { unmergeId, mergeId: ev.id, survivorId: ev.survivor_id },
    });
    await recomputeGolden(tx, deps.cipher, ev.survivor_id);
    await recomputeGolden(tx, deps.cipher, ev.merged_id);
    return { unmergeId, survivorId: ev.survivor_id, restoredId: ev.merged_id };
  });
}

/** Decides a pair in the review queue; accepting merges the two records' customers (the older id survives). */
export async function decideReviewPair(
  deps: GoldenDeps,
  a: { reviewId: number; decision: 'accept' | 'reject'; actor: string; actorRole?: string | null; reason: string },
): Promise<{ status: 'accepted' | 'rejected'; mergeId?: number }> {
  const review = await deps.op.transaction((tx) => reviewById(tx, a.reviewId));
  if (!review) throw notFound(`review ${a.reviewId}`);
  if (review.status !== 'pending') throw new IdentityConflict(`review ${a.reviewId} is already ${review.status}`);
  if (a.decision === 'reject') {
    await decideReview(deps.op, a.reviewId, 'rejected', a.actor);
    await appendAudit(deps.op, {
      actor: { id: a.actor, role: a.actorRole ?? null },
      action: 'identity.review',
      target: { type: 'identity_review', id: String(a.reviewId) },
      reason: a.reason,
      details: { decision: 'reject' },
    });
    return { status: 'rejected' };
  }
  let mergeId: number | undefined;
  const ca = review.customer_a;
  const cb = review.customer_b;
  if (ca !== null && cb !== null && ca !== cb) {
    const [survivorId, mergedId] = ca < cb ? [ca, cb] : [cb, ca];
    ({ mergeId } = await mergeCustomers(deps, {
      survivorId,
      mergedId,
      actor: a.actor,
      actorRole: a.actorRole ?? null,
      reason: a.reason,
    }));
  }
  await decideReview(deps.op, a.reviewId, 'accepted', a.actor);
  return mergeId === undefined ? { status: 'accepted' } : { status: 'accepted', mergeId };
}
