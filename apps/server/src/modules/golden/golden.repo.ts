import type { OperationalQueryable } from '../../db/operational.ts';

/** Tables whose rows belong to a customer and move with a merge (and back with an unmerge). */
export const customerOwnedTables = [
  'source_records',
  'accounts',
  'holdings',
  'credit_cards',
  'loans',
  'consents',
] as const;
export type CustomerOwnedTable = (typeof customerOwnedTables)[number];
export type MovedRows = Partial<Record<CustomerOwnedTable, number[]>>;

export interface SourceRecordRow {
  id: number;
  source_system: string;
  source_key: string;
  attrs_enc: Uint8Array;
  received_at: Date;
}

export async function sourceRecordsOf(db: OperationalQueryable, customerId: number): Promise<SourceRecordRow[]> {
  const { rows } = await db.query<SourceRecordRow & { id: string | number }>(
    'SELECT id, source_system, source_key, attrs_enc, received_at FROM source_records WHERE customer_id = $1 ORDER BY id',
    [customerId],
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export async function customerStatus(
  db: OperationalQueryable,
  id: number,
): Promise<{ status: string; merged_into: number | null } | undefined> {
  const { rows } = await db.query<{ status: string; merged_into: string | number | null }>(
    'SELECT status, merged_into FROM customers WHERE id = $1',
    [id],
  );
  const r = rows[0];
  return r ? { status: r.status, merged_into: r.merged_into === null ? null : Number(r.merged_into) } : undefined;
}

/** Re-points every row of `from` in the owned tables to `to`; returns the ids it moved, per table. */
export async function moveOwnedRows(db: OperationalQueryable, from: number, to: number): Promise<MovedRows> {
  const moved: MovedRows = {};
  for (const table of customerOwnedTables) {
    const { rows } = await db.query<{ id: string | number }>(
      `UPDATE ${table} SET customer_id = $2 WHERE customer_id = $1 RETURNING id`,
      [from, to],
    );
    if (rows.length) moved[table] = rows.map((r) => Number(r.id)).sort((a, b) => a - b);
  }
  return moved;
}

/** Moves exactly the recorded rows back to `to` (an unmerge). */
export async function moveRowsBack(db: OperationalQueryable, moved: MovedRows, to: number): Promise<void> {
  for (const table of customerOwnedTables) {
    const ids = moved[table];
    if (ids?.length) await db.query(`UPDATE ${table} SET customer_id = $1 WHERE id = ANY($2::bigint[])`, [to, ids]);
  }
}

export async function setMerged(db: OperationalQueryable, id: number, into: number | null): Promise<void> {
  await db.query(
    `UPDATE customers SET merged_into = $2, status = CASE WHEN $2::bigint IS NULL THEN 'active' ELSE 'merged' END,
       updated_at = now() WHERE id = $1`,
    [id, into],
  );
}

export async function insertMergeEvent(
  db: OperationalQueryable,
  e: {
    kind: 'merge' | 'unmerge';
    survivorId: number;
    mergedId: number;
    moved: MovedRows;
    actor: string;
    reason: string;
    undoes?: number;
  },
): Promise<number> {
  const { rows } = await db.query<{ id: string | number }>(
    `INSERT INTO identity_merges (kind, survivor_id, merged_id, moved, actor, reason, undoes)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [e.kind, e.survivorId, e.mergedId, JSON.stringify(e.moved), e.actor, e.reason, e.undoes ?? null],
  );
  const id = Number(rows[0]?.id);
  if (e.undoes !== undefined) await db.query('UPDATE identity_merges SET undone_by = $1 WHERE id = $2', [id, e.undoes]);
  return id;
}

export interface MergeEventRow {
  id: number;
  kind: 'merge' | 'unmerge';
  survivor_id: number;
  merged_id: number;
  moved: MovedRows;
  actor: string;
  reason: string;
  undoes: number | null;
  undone_by: number | null;
  at: Date;
}

function toMergeEvent(r: Record<string, unknown>): MergeEventRow {
  const moved = typeof r.moved === 'string' ? (JSON.parse(r.moved) as MovedRows) : (r.moved as MovedRows);
  return {
    id: Number(r.id),
    kind: r.kind as MergeEventRow['kind'],
    survivor_id: Number(r.survivor_id),
    merged_id: Number(r.merged_id),
    moved,
    actor: String(r.actor),
    reason: String(r.reason),
    undoes: r.undoes === null ? null : Number(r.undoes),
    undone_by: r.undone_by === null ? null : Number(r.undone_by),
    at: r.at as Date,
  };
}

export async function mergeEvent(db: OperationalQueryable, id: number): Promise<MergeEventRow | undefined> {
  const { rows } = await db.query<Record<string, unknown>>('SELECT * FROM identity_merges WHERE id = $1 FOR UPDATE', [
    id,
  ]);
  return rows[0] ? toMergeEvent(rows[0]) : undefined;
}

export async function mergeHistory(db: OperationalQueryable, customerId: number): Promise<MergeEventRow[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    'SELECT * FROM identity_merges WHERE survivor_id = $1 OR merged_id = $1 ORDER BY id',
    [customerId],
  );
  return rows.map(toMergeEvent);
}

export interface GoldenUpdate {
  name?: { enc: Buffer; hash: string; masked: string };
  idNumber?: { enc: Buffer; hash: string };
  mobile?: { enc: Buffer; hash: string; masked: string };
  birthDate?: string;
  gender?: 'M' | 'F';
  city?: string;
}

/** Writes the surviving golden values; fields absent from the update keep their value. */
export async function updateGoldenFields(db: OperationalQueryable, id: number, u: GoldenUpdate): Promise<void> {
  await db.query(
    `UPDATE customers SET
       name_enc = COALESCE($2, name_enc), name_hash = COALESCE($3, name_hash), name_masked = COALESCE($4, name_masked),
       id_number_enc = COALESCE($5, id_number_enc), id_number_hash = COALESCE($6, id_number_hash),
       mobile_enc = COALESCE($7, mobile_enc), mobile_hash = COALESCE($8, mobile_hash),
       mobile_masked = COALESCE($9, mobile_masked), birth_date = COALESCE($10::date, birth_date),
       gender = COALESCE($11, gender), city = COALESCE($12, city), updated_at = now()
     WHERE id = $1`,
    [
      id,
      u.name?.enc ?? null,
      u.name?.hash ?? null,
      u.name?.masked ?? null,
      u.idNumber?.enc ?? null,
      u.idNumber?.hash ?? null,
      u.mobile?.enc ?? null,
      u.mobile?.hash ?? null,
      u.mobile?.masked ?? null,
      u.birthDate ?? null,
      u.gender ?? null,
      u.city ?? null,
    ],
  );
}

export async function replaceLineage(
  db: OperationalQueryable,
  customerId: number,
  rows: { field: string; sourceRecordId: number; sourceSystem: string; rule: string; candidates: number }[],
): Promise<void> {
  await db.query('DELETE FROM golden_lineage WHERE customer_id = $1', [customerId]);
  for (const r of rows) {
    await db.query(
      `INSERT INTO golden_lineage (customer_id, field, source_record_id, source_system, rule, candidates)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [customerId, r.field, r.sourceRecordId, r.sourceSystem, r.rule, r.candidates],
    );
  }
}

export async function lineageOf(
  db: OperationalQueryable,
  customerId: number,
): Promise<{ field: string; source_record_id: number; source_system: string; rule: string; candidates: number }[]> {
  const { rows } = await db.query<{
    field: string;
    source_record_id: string | number;
    source_system: string;
    rule: string;
    candidates: number;
  }>(
    'SELECT field, source_record_id, source_system, rule, candidates FROM golden_lineage WHERE customer_id = $1 ORDER BY field',
    [customerId],
  );
  return rows.map((r) => ({ ...r, source_record_id: Number(r.source_record_id) }));
}

export interface ReviewRow {
  id: number;
  record_a: number;
  record_b: number;
  customer_a: number | null;
  customer_b: number | null;
  match_probability: number;
  match_weight: number;
  evidence: unknown;
  status: string;
}

export async function pendingReviews(db: OperationalQueryable, limit: number, offset: number): Promise<ReviewRow[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT r.id, r.record_a, r.record_b, a.customer_id AS customer_a, b.customer_id AS customer_b,
            r.match_probability, r.match_weight, r.evidence, r.status
       FROM identity_review r JOIN source_records a ON a.id = r.record_a JOIN source_records b ON b.id = r.record_b
      WHERE r.status = 'pending' ORDER BY r.match_probability DESC, r.id LIMIT $1 OFFSET $2`,
    [limit, offset],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    record_a: Number(r.record_a),
    record_b: Number(r.record_b),
    customer_a: r.customer_a === null ? null : Number(r.customer_a),
    customer_b: r.customer_b === null ? null : Number(r.customer_b),
    match_probability: Number(r.match_probability),
    match_weight: Number(r.match_weight),
    evidence: typeof r.evidence === 'string' ? JSON.parse(r.evidence) : r.evidence,
    status: String(r.status),
  }));
}

export async function reviewById(db: OperationalQueryable, id: number): Promise<ReviewRow | undefined> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT r.id, r.record_a, r.record_b, a.customer_id AS customer_a, b.customer_id AS customer_b,
            r.match_probability, r.match_weight, r.evidence, r.status
       FROM identity_review r JOIN source_records a ON a.id = r.record_a JOIN source_records b ON b.id = r.record_b
      WHERE r.id = $1 FOR UPDATE OF r`,
    [id],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: Number(r.id),
    record_a: Number(r.record_a),
    record_b: Number(r.record_b),
    customer_a: r.customer_a === null ? null : Number(r.customer_a),
    customer_b: r.customer_b === null ? null : Number(r.customer_b),
    match_probability: Number(r.match_probability),
    match_weight: Number(r.match_weight),
    evidence: r.evidence,
    status: String(r.status),
  };
}

export async function decideReview(
  db: OperationalQueryable,
  id: number,
  status: 'accepted' | 'rejected',
  actor: string,
): Promise<void> {
  await db.query('UPDATE identity_review SET status = $2, decided_by = $3, decided_at = now() WHERE id = $1', [
    id,
    status,
    actor,
  ]);
}

export async function enqueueReview(
  db: OperationalQueryable,
  r: { recordA: number; recordB: number; probability: number; weight: number; evidence: unknown },
): Promise<void> {
  const [a, b] = r.recordA < r.recordB ? [r.recordA, r.recordB] : [r.recordB, r.recordA];
  await db.query(
    `INSERT INTO identity_review (record_a, record_b, match_probability, match_weight, evidence)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (record_a, record_b) DO NOTHING`,
    [a, b, r.probability, r.weight, JSON.stringify(r.evidence)],
  );
}
