/** SQL of the audience builder (operational store, `$n` parameters; the analytics reference count, bound params). */
import type { CustomerScope } from '@lingxi/core/auth/permissions';
import type { AnalyticsDb, ChParams } from '../../db/analytics.ts';
import type { OperationalQueryable } from '../../db/operational.ts';
import { scopeSql } from '../auth/scope.ts';

/** Runs the reference count compiled by `compileAudienceSql` (core) over the tag snapshot. */
export async function sqlAudienceCount(
  an: AnalyticsDb,
  sql: string,
  params: ChParams,
): Promise<{ count: number; excluded: number }> {
  const rows = await an.query<{ count: number; excluded: number }>(sql, params);
  return { count: Number(rows[0]?.count ?? 0), excluded: Number(rows[0]?.excluded ?? 0) };
}

export interface AudienceRow {
  id: string;
  name: string;
  expression: unknown;
  purpose: 'marketing' | 'service' | 'regulatory';
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const cols = 'id, name, expression, purpose, created_by, created_at, updated_at';

export async function insertAudience(
  db: OperationalQueryable,
  a: { id: string; name: string; expression: unknown; purpose: string; createdBy: string },
): Promise<AudienceRow> {
  const { rows } = await db.query<AudienceRow>(
    `INSERT INTO audiences (id, name, expression, purpose, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING ${cols}`,
    [a.id, a.name, JSON.stringify(a.expression), a.purpose, a.createdBy],
  );
  return rows[0] as AudienceRow;
}

export async function listAudiences(db: OperationalQueryable): Promise<AudienceRow[]> {
  return (await db.query<AudienceRow>(`SELECT ${cols} FROM audiences ORDER BY created_at DESC, id`)).rows;
}

export async function getAudience(db: OperationalQueryable, id: string): Promise<AudienceRow | undefined> {
  return (await db.query<AudienceRow>(`SELECT ${cols} FROM audiences WHERE id = $1`, [id])).rows[0];
}

export async function updateAudience(
  db: OperationalQueryable,
  id: string,
  a: { name: string; expression: unknown; purpose: string },
): Promise<AudienceRow | undefined> {
  const { rows } = await db.query<AudienceRow>(
    `UPDATE audiences SET name = $2, expression = $3, purpose = $4, updated_at = now() WHERE id = $1 RETURNING ${cols}`,
    [id, a.name, JSON.stringify(a.expression), a.purpose],
  );
  return rows[0];
}

/** Deletes the audience and (by cascade) its snapshots; what was deleted, or undefined when there was none. */
export async function deleteAudience(
  db: OperationalQueryable,
  id: string,
): Promise<{ name: string; purpose: string; snapshots: number } | undefined> {
  const { rows } = await db.query<{ name: string; purpose: string; snapshots: number }>(
    `WITH s AS (SELECT count(*)::int AS n FROM audience_snapshots WHERE audience_id = $1)
     DELETE FROM audiences WHERE id = $1 RETURNING name, purpose, (SELECT n FROM s) AS snapshots`,
    [id],
  );
  return rows[0];
}

export interface SnapshotRow {
  id: number;
  audience_id: string;
  as_of: string;
  tag_versions: Record<string, number>;
  customer_count: number;
  excluded_p4: number;
  created_at: Date;
}

export async function insertSnapshot(
  db: OperationalQueryable,
  s: {
    audienceId: string;
    asOf: string;
    tagVersions: Record<string, number>;
    expression: unknown;
    count: number;
    excluded: number;
    bitmap: Uint8Array;
    createdBy: string;
  },
): Promise<SnapshotRow> {
  const { rows } = await db.query<SnapshotRow>(
    `INSERT INTO audience_snapshots (audience_id, as_of, tag_versions, expression, customer_count, excluded_p4, bitmap, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     RETURNING id::int AS id, audience_id, to_char(as_of, 'YYYY-MM-DD') AS as_of, tag_versions, customer_count, excluded_p4, created_at`,
    [
      s.audienceId,
      s.asOf,
      JSON.stringify(s.tagVersions),
      JSON.stringify(s.expression),
      s.count,
      s.excluded,
      s.bitmap,
      s.createdBy,
    ],
  );
  return rows[0] as SnapshotRow;
}

/** The frozen snapshots of an audience, newest first (without their bitmaps). */
export async function listSnapshots(
  db: OperationalQueryable,
  audienceId: string,
): Promise<(SnapshotRow & { created_by: string })[]> {
  const { rows } = await db.query<SnapshotRow & { created_by: string }>(
    `SELECT id::int AS id, audience_id, to_char(as_of, 'YYYY-MM-DD') AS as_of, tag_versions, customer_count, excluded_p4,
            created_by, created_at
       FROM audience_snapshots WHERE audience_id = $1 ORDER BY created_at DESC, id DESC`,
    [audienceId],
  );
  return rows;
}

export async function snapshotBitmap(
  db: OperationalQueryable,
  snapshotId: number,
): Promise<{ bitmap: Uint8Array; as_of: string; customer_count: number; audience_id: string } | undefined> {
  const { rows } = await db.query<{ bitmap: Uint8Array; as_of: string; customer_count: number; audience_id: string }>(
    `SELECT bitmap, to_char(as_of, 'YYYY-MM-DD') AS as_of, customer_count, audience_id
       FROM audience_snapshots WHERE id = $1`,
    [snapshotId],
  );
  return rows[0];
}

/** Ids of the customers in a data scope (not called for the whole bank). */
export async function customerIdsInScope(db: OperationalQueryable, scope: CustomerScope): Promise<number[]> {
  const f = scopeSql(scope, { firstParam: 1, alias: 'c' });
  const { rows } = await db.query<{ id: number }>(`SELECT c.id::int AS id FROM customers c WHERE ${f.sql}`, f.params);
  return rows.map((r) => r.id);
}

/** Masked display columns only: names and mobiles are never decrypted here. */
export async function maskedCustomers(
  db: OperationalQueryable,
  ids: readonly number[],
): Promise<{ id: number; name_masked: string; mobile_masked: string | null }[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<{ id: number; name_masked: string; mobile_masked: string | null }>(
    'SELECT id::int AS id, name_masked, mobile_masked FROM customers WHERE id = ANY($1::bigint[]) ORDER BY id',
    [ids],
  );
  return rows;
}
