import type { OperationalQueryable, SqlParam } from '../../db/operational.ts';

/** An audit row as stored (seq as a JS number: 2^53 entries are beyond any bank's lifetime). */
export interface AuditRow {
  seq: number;
  at: Date;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  reason: string | null;
  details: unknown;
  prev_hash: string;
  hash: string;
}

interface RawAuditRow extends Omit<AuditRow, 'seq' | 'at'> {
  seq: string;
  at: Date | string;
}

const columns =
  'seq::text AS seq, at, actor_id, actor_role, action, target_type, target_id, reason, details, prev_hash, hash';

function toRow(r: RawAuditRow): AuditRow {
  return { ...r, seq: Number(r.seq), at: r.at instanceof Date ? r.at : new Date(r.at) };
}

/** Locks the chain head for this transaction (serialises appends on PostgreSQL; PGlite has a single writer anyway). */
export async function lockHead(tx: OperationalQueryable): Promise<{ seq: number; hash: string }> {
  const { rows } = await tx.query<{ seq: string; hash: string }>(
    'SELECT seq::text AS seq, hash FROM audit_head WHERE id = 1 FOR UPDATE',
  );
  const head = rows[0];
  if (!head) throw new Error('audit_head row is missing: the audit trail cannot be appended to');
  return { seq: Number(head.seq), hash: head.hash };
}

export async function readHead(db: OperationalQueryable): Promise<{ seq: number; hash: string } | undefined> {
  const { rows } = await db.query<{ seq: string; hash: string }>(
    'SELECT seq::text AS seq, hash FROM audit_head WHERE id = 1',
  );
  return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash } : undefined;
}

export async function insertEntry(tx: OperationalQueryable, row: AuditRow, detailsJson: string): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (seq, at, actor_id, actor_role, action, target_type, target_id, reason, details, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11)`,
    [
      row.seq,
      row.at.toISOString(),
      row.actor_id,
      row.actor_role,
      row.action,
      row.target_type,
      row.target_id,
      row.reason,
      detailsJson,
      row.prev_hash,
      row.hash,
    ],
  );
  await tx.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1', [row.seq, row.hash]);
}

/** Entries with seq > afterSeq in seq order (keyset pagination for verification). */
export async function entriesAfter(db: OperationalQueryable, afterSeq: number, limit: number): Promise<AuditRow[]> {
  const { rows } = await db.query<RawAuditRow>(
    `SELECT ${columns} FROM audit_log WHERE seq > $1 ORDER BY audit_log.seq LIMIT $2`,
    [afterSeq, limit],
  );
  return rows.map(toRow);
}

export interface AuditFilter {
  actor?: string | undefined;
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Only entries with seq below this (newest-first pagination). */
  before?: number | undefined;
  limit: number;
}

/** Newest first, filtered; every filter value is a bound parameter. */
export async function listEntries(db: OperationalQueryable, f: AuditFilter): Promise<AuditRow[]> {
  const where: string[] = [];
  const params: SqlParam[] = [];
  const add = (sql: string, value: SqlParam) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.actor !== undefined) add('actor_id = ?', f.actor);
  if (f.action !== undefined) add('action = ?', f.action);
  if (f.targetType !== undefined) add('target_type = ?', f.targetType);
  if (f.targetId !== undefined) add('target_id = ?', f.targetId);
  if (f.from !== undefined) add('at >= ?', f.from.toISOString());
  if (f.to !== undefined) add('at < ?', f.to.toISOString());
  if (f.before !== undefined) add('seq < ?', f.before);
  params.push(f.limit);
  const { rows } = await db.query<RawAuditRow>(
    `SELECT ${columns} FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY audit_log.seq DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map(toRow);
}
