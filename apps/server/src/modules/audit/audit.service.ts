import { createHash } from 'node:crypto';
import type { AuditAction } from '@lingxi/core/audit/actions';
import { canonicalJson } from '@lingxi/core/audit/canonical-json';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import type { OperationalDb, OperationalQueryable } from '../../db/operational.ts';
import { type AuditRow, entriesAfter, insertEntry, lockHead, readHead } from './audit.repo.ts';

/**
 * The append-only, tamper-evident audit trail (PRODUCT §G; rulebook P9).
 *
 * Every entry carries `hash = SHA-256(canonicalJson({seq, at, actor, action, target, reason, details, prev_hash}))`
 * where `prev_hash` is the previous entry's hash (64 zeros for seq 1). Changing, deleting or inserting any entry breaks
 * the chain at that seq; `verifyAuditChain` finds the first break. A trigger refuses UPDATE/DELETE/TRUNCATE, but a
 * superuser can disable it — the chain is what makes such tampering visible. To also catch a rewrite of the whole
 * chain, anchor the head hash (`lingxi audit verify --json` prints it) somewhere outside the database.
 *
 * Appends are serialised by `SELECT … FOR UPDATE` of the single `audit_head` row inside the appending transaction:
 * on PostgreSQL concurrent appenders queue on that row lock (READ COMMITTED re-reads the new head after the wait);
 * PGlite runs one transaction at a time. The head also records the last seq and hash, so truncating the tail of the
 * log is detected as a missing seq.
 */

export const GENESIS_HASH = '0'.repeat(64);

const actionRe = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;
const targetTypeRe = /^[a-z][a-z0-9_]*$/;

export const auditEntrySchema = z.object({
  actor: z.object({
    /** A user id, or a pseudo-actor such as `cli` or `system`; null when nobody is signed in (e.g. a failed login). */
    id: z.string().min(1).max(200).nullable(),
    role: z.string().min(1).max(50).nullable(),
  }),
  action: z.string().max(100).regex(actionRe, 'must look like `<module>.<verb>` (lower case)'),
  target: z
    .object({
      type: z.string().max(50).regex(targetTypeRe, 'must be a lower-case identifier'),
      id: z.string().max(200).nullable(),
    })
    .nullable()
    .optional(),
  reason: z.string().max(2000).nullable().optional(),
  /** Structured context. Never put customer PII here (names, phones, ID numbers): ids and field names only. */
  details: z.record(z.string(), z.unknown()).optional(),
});

/** An entry to append: `action` is one of the known actions (`@lingxi/core/audit/actions`), checked at compile time. */
export type AuditEntry = Omit<z.input<typeof auditEntrySchema>, 'action'> & { action: AuditAction };

export interface AppendedAudit {
  seq: number;
  at: string;
  hash: string;
}

/** The fields the hash covers, as they are hashed. */
export interface HashedAuditFields {
  seq: number;
  at: string;
  actor: { id: string | null; role: string | null };
  action: string;
  target: { type: string | null; id: string | null };
  reason: string | null;
  details: unknown;
  prev_hash: string;
}

export function auditEntryHash(fields: HashedAuditFields): string {
  return createHash('sha256').update(canonicalJson(fields), 'utf8').digest('hex');
}

function hashedFieldsOf(row: AuditRow): HashedAuditFields {
  return {
    seq: row.seq,
    at: row.at.toISOString(),
    actor: { id: row.actor_id, role: row.actor_role },
    action: row.action,
    target: { type: row.target_type, id: row.target_id },
    reason: row.reason,
    details: row.details,
    prev_hash: row.prev_hash,
  };
}

async function appendInTransaction(tx: OperationalQueryable, raw: AuditEntry): Promise<AppendedAudit> {
  const e = auditEntrySchema.parse(raw);
  const details = e.details ?? {};
  // Canonical form of the details as stored: refuses values that could not round-trip through jsonb.
  const detailsJson = canonicalJson(details);
  const head = await lockHead(tx);
  // Millisecond precision: what a JS Date (and therefore the verifier) can represent exactly.
  const at = new Date();
  const row: AuditRow = {
    seq: head.seq + 1,
    at,
    actor_id: e.actor.id,
    actor_role: e.actor.role,
    action: e.action,
    target_type: e.target?.type ?? null,
    target_id: e.target?.id ?? null,
    reason: e.reason ?? null,
    details: JSON.parse(detailsJson) as unknown,
    prev_hash: head.hash,
    hash: '',
  };
  row.hash = auditEntryHash(hashedFieldsOf(row));
  await insertEntry(tx, row, detailsJson);
  return { seq: row.seq, at: at.toISOString(), hash: row.hash };
}

function isContext(target: AppContext | OperationalQueryable): target is AppContext {
  return 'stores' in target;
}

function isDb(target: OperationalQueryable): target is OperationalDb {
  return typeof (target as Partial<OperationalDb>).transaction === 'function';
}

/**
 * Appends one entry. Pass the app context or the `OperationalDb` to append in a transaction of its own, or pass the
 * transaction (`tx`) of your change so that the entry commits (or rolls back) atomically with it.
 */
export async function appendAudit(
  target: AppContext | OperationalQueryable,
  entry: AuditEntry,
): Promise<AppendedAudit> {
  const db = isContext(target) ? target.stores.op : target;
  if (isDb(db)) return db.transaction((tx) => appendInTransaction(tx, entry));
  return appendInTransaction(db, entry);
}

export type AuditBreak = 'hash mismatch' | 'missing seq' | 'prev_hash mismatch';

export interface AuditVerification {
  ok: boolean;
  /** Entries examined. */
  checked: number;
  /** The head as recorded (anchor `hash` outside the database to detect a rewrite of the whole chain). */
  head: { seq: number; hash: string };
  firstBroken?: { seq: number; reason: AuditBreak; detail: string };
}

/** Recomputes the whole chain in seq order and reports the first broken link. Read-only. */
export async function verifyAuditChain(db: OperationalQueryable, batchSize = 1000): Promise<AuditVerification> {
  const head = (await readHead(db)) ?? { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  let lastSeq = 0;
  let prevHash = GENESIS_HASH;
  const broken = (seq: number, reason: AuditBreak, detail: string): AuditVerification => ({
    ok: false,
    checked,
    head,
    firstBroken: { seq, reason, detail },
  });
  for (;;) {
    const batch = await entriesAfter(db, lastSeq, batchSize);
    if (batch.length === 0) break;
    for (const row of batch) {
      const expected = lastSeq + 1;
      if (row.seq !== expected) {
        return broken(expected, 'missing seq', `entry ${expected} is missing (next entry found is ${row.seq})`);
      }
      checked++;
      if (row.prev_hash !== prevHash) {
        return broken(row.seq, 'prev_hash mismatch', `entry ${row.seq} does not point at the hash of entry ${lastSeq}`);
      }
      let recomputed: string;
      try {
        recomputed = auditEntryHash(hashedFieldsOf(row));
      } catch (err) {
        return broken(row.seq, 'hash mismatch', `entry ${row.seq} cannot be hashed: ${(err as Error).message}`);
      }
      if (recomputed !== row.hash) {
        return broken(row.seq, 'hash mismatch', `entry ${row.seq} was altered: its content does not match its hash`);
      }
      lastSeq = row.seq;
      prevHash = row.hash;
    }
  }
  if (head.seq > lastSeq) {
    return broken(lastSeq + 1, 'missing seq', `entries ${lastSeq + 1}..${head.seq} were removed from the tail`);
  }
  if (head.seq < lastSeq) {
    return broken(head.seq + 1, 'prev_hash mismatch', `entries after ${head.seq} were written outside the chain head`);
  }
  if (head.hash !== prevHash) {
    return broken(lastSeq, 'hash mismatch', `entry ${lastSeq} does not match the hash recorded in the chain head`);
  }
  return { ok: true, checked, head };
}
