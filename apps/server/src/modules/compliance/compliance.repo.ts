import type { CustomerScope } from '@lingxi/core/auth/permissions';
import type { AnalyticsDb } from '../../db/analytics.ts';
import type { OperationalQueryable } from '../../db/operational.ts';
import { scopeSql } from '../auth/scope.ts';

/** Rule parameter overrides in force: the newest version per rule. */
export async function latestRuleParams(
  db: OperationalQueryable,
): Promise<{ rule_id: string; params: Record<string, unknown>; version: number; changed_at: string }[]> {
  const { rows } = await db.query<{
    rule_id: string;
    params: Record<string, unknown>;
    version: number;
    changed_at: string;
  }>(
    `SELECT DISTINCT ON (rule_id) rule_id, params, version,
            to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS changed_at
       FROM rule_param_versions ORDER BY rule_id, version DESC`,
  );
  return rows;
}

export interface RuleVersionRow {
  version: number;
  params: Record<string, unknown>;
  reason: string;
  changed_by: string;
  changed_at: string;
}

export async function ruleHistory(db: OperationalQueryable, ruleId: string): Promise<RuleVersionRow[]> {
  const { rows } = await db.query<RuleVersionRow>(
    `SELECT version, params, reason, changed_by,
            to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS changed_at
       FROM rule_param_versions WHERE rule_id = $1 ORDER BY version DESC`,
    [ruleId],
  );
  return rows;
}

export async function insertRuleParams(
  db: OperationalQueryable,
  ruleId: string,
  params: Record<string, unknown>,
  reason: string,
  actor: string,
): Promise<number> {
  const { rows } = await db.query<{ version: number }>(
    `INSERT INTO rule_param_versions (rule_id, version, params, reason, changed_by)
     SELECT $1, COALESCE(max(version), 0) + 1, $2::jsonb, $3, $4 FROM rule_param_versions WHERE rule_id = $1
     RETURNING version`,
    [ruleId, JSON.stringify(params), reason, actor],
  );
  return rows[0]?.version ?? 0;
}

export interface SettingRow {
  key: string;
  value: unknown;
  changed_by: string;
  changed_at: string;
}

export async function latestSettings(db: OperationalQueryable): Promise<SettingRow[]> {
  const { rows } = await db.query<SettingRow>(
    `SELECT DISTINCT ON (key) key, value, changed_by,
            to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS changed_at
       FROM setting_versions ORDER BY key, version DESC`,
  );
  return rows;
}

export async function insertSetting(
  db: OperationalQueryable,
  key: string,
  value: unknown,
  reason: string,
  actor: string,
): Promise<void> {
  await db.query(
    `INSERT INTO setting_versions (key, version, value, reason, changed_by)
     SELECT $1, COALESCE(max(version), 0) + 1, $2::jsonb, $3, $4 FROM setting_versions WHERE key = $1`,
    [key, JSON.stringify(value), reason, actor],
  );
}

export interface ApprovalRow {
  id: string;
  kind: string;
  title: string;
  payload: unknown;
  findings: unknown;
  rule_ids: string[];
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  submitted_by: string;
  submitted_at: string;
  decided_by: string | null;
  decided_at: string | null;
  comment: string | null;
  /** When an approved export approval was used (P10: once), and by whom. */
  used_at: string | null;
  used_by: string | null;
}

const approvalColumns = `id::text AS id, kind, title, payload, findings, rule_ids, status, submitted_by,
  to_char(submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS submitted_at, decided_by,
  to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS decided_at, comment,
  (SELECT to_char(u.used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') FROM approval_uses u
    WHERE u.approval_id = approvals.id) AS used_at,
  (SELECT u.used_by FROM approval_uses u WHERE u.approval_id = approvals.id) AS used_by`;

export async function insertApproval(
  db: OperationalQueryable,
  a: { kind: string; title: string; payload: unknown; findings: unknown; ruleIds: string[]; submittedBy: string },
): Promise<ApprovalRow> {
  const { rows } = await db.query<ApprovalRow>(
    `INSERT INTO approvals (kind, title, payload, findings, rule_ids, submitted_by)
     VALUES ($1, $2, $3::jsonb, $4::jsonb, $5::text[], $6) RETURNING ${approvalColumns}`,
    [a.kind, a.title, JSON.stringify(a.payload), JSON.stringify(a.findings), a.ruleIds, a.submittedBy],
  );
  const row = rows[0];
  if (!row) throw new Error('approval insert returned nothing');
  return row;
}

export async function listApprovals(
  db: OperationalQueryable,
  filter: { status?: string | undefined; submittedBy?: string | undefined; limit: number },
): Promise<ApprovalRow[]> {
  const { rows } = await db.query<ApprovalRow>(
    `SELECT ${approvalColumns} FROM approvals
      WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR submitted_by = $2)
      ORDER BY submitted_at DESC, id DESC LIMIT $3`,
    [filter.status ?? null, filter.submittedBy ?? null, filter.limit],
  );
  return rows;
}

export async function getApproval(
  db: OperationalQueryable,
  id: number,
  forUpdate = false,
): Promise<ApprovalRow | undefined> {
  const { rows } = await db.query<ApprovalRow>(
    `SELECT ${approvalColumns} FROM approvals WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

/** A maker's export approvals for one audience, newest first (`payload.audienceId`, set by the audience module). */
export async function exportApprovalsFor(
  db: OperationalQueryable,
  audienceId: string,
  submittedBy: string,
): Promise<ApprovalRow[]> {
  const { rows } = await db.query<ApprovalRow>(
    `SELECT ${approvalColumns} FROM approvals
      WHERE kind = 'export' AND payload->>'audienceId' = $1 AND submitted_by = $2
      ORDER BY submitted_at DESC, id DESC LIMIT 50`,
    [audienceId, submittedBy],
  );
  return rows;
}

/**
 * Marks an approval used (P10: an export approval is good for one export). False when it was used already — the
 * primary key decides between two racing requests.
 */
export async function recordApprovalUse(
  db: OperationalQueryable,
  u: { approvalId: number; usedBy: string; targetType: string; targetId: string },
): Promise<boolean> {
  const { rows } = await db.query<{ approval_id: string }>(
    `INSERT INTO approval_uses (approval_id, used_by, target_type, target_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (approval_id) DO NOTHING RETURNING approval_id::text`,
    [u.approvalId, u.usedBy, u.targetType, u.targetId],
  );
  return rows.length === 1;
}

/** A pending submission withdrawn by its maker (no checker: `decided_by` stays empty, `decided_at` is the time). */
export async function withdrawApproval(db: OperationalQueryable, id: number): Promise<ApprovalRow | undefined> {
  const { rows } = await db.query<ApprovalRow>(
    `UPDATE approvals SET status = 'withdrawn', decided_at = now()
      WHERE id = $1 AND status = 'pending' RETURNING ${approvalColumns}`,
    [id],
  );
  return rows[0];
}

export async function decideApproval(
  db: OperationalQueryable,
  id: number,
  status: 'approved' | 'rejected',
  by: string,
  comment: string | null,
): Promise<ApprovalRow> {
  const { rows } = await db.query<ApprovalRow>(
    `UPDATE approvals SET status = $2, decided_by = $3, decided_at = now(), comment = $4
      WHERE id = $1 AND status = 'pending' RETURNING ${approvalColumns}`,
    [id, status, by, comment],
  );
  const row = rows[0];
  if (!row) throw new Error(`approval ${id} is no longer pending`);
  return row;
}

export interface SuitabilityCustomerRow {
  id: number;
  birth_date: string;
  risk_level: string | null;
  risk_assessed_at: string | null;
  assessed_online: boolean | null;
  investment_experience: boolean;
  investor_class: 'ordinary' | 'professional';
  flags: string[];
  status: string;
  purchased_families: string[];
  private_signings: { product_id: string; signed_at: string }[];
}

/** What suitability needs of a customer in scope (undefined when unknown or out of scope). */
export async function suitabilityCustomer(
  db: OperationalQueryable,
  scope: CustomerScope,
  id: number,
): Promise<SuitabilityCustomerRow | undefined> {
  const scoped = scopeSql(scope, { firstParam: 2, alias: 'c' });
  const { rows } = await db.query<SuitabilityCustomerRow>(
    `SELECT c.id::int AS id, to_char(c.birth_date, 'YYYY-MM-DD') AS birth_date, c.risk_level,
            to_char(c.risk_assessed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS risk_assessed_at,
            (SELECT r.channel <> 'branch' FROM risk_assessments r
              WHERE r.customer_id = c.id AND r.outcome = 'completed' ORDER BY r.attempted_at DESC LIMIT 1) AS assessed_online,
            c.investment_experience, c.investor_class, c.flags, c.status,
            COALESCE((SELECT array_agg(DISTINCT p.family || CASE WHEN p.is_private THEN ':private' ELSE '' END)
                        FROM holdings h JOIN products p ON p.id = h.product_id WHERE h.customer_id = c.id), '{}') AS purchased_families,
            COALESCE((SELECT json_agg(json_build_object('product_id', h.product_id,
                               'signed_at', to_char(h.signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')))
                        FROM holdings h JOIN products p ON p.id = h.product_id
                       WHERE h.customer_id = c.id AND p.is_private AND h.signed_at > now() - interval '30 days'), '[]') AS private_signings
       FROM customers c WHERE c.id = $1 AND ${scoped.sql}`,
    [id, ...scoped.params],
  );
  return rows[0];
}

export interface ProductRow {
  id: string;
  family: string;
  risk_level: number;
  risk_rated_at: string;
  is_private: boolean;
  status: string;
}

export async function productById(db: OperationalQueryable, id: string): Promise<ProductRow | undefined> {
  const { rows } = await db.query<ProductRow>(
    `SELECT id, family, risk_level, to_char(risk_rated_at, 'YYYY-MM-DD') AS risk_rated_at, is_private, status
       FROM products WHERE id = $1`,
    [id],
  );
  return rows[0];
}

/**
 * P5 erasure in the operational store: identity fields replaced by pseudonymous values, keyed hashes and free-text
 * C2 fields cleared, the customer closed and marked erased; source records emptied. Returns false when not found.
 */
export async function eraseCustomer(
  db: OperationalQueryable,
  id: number,
  pseudonym: { nameEnc: Buffer; nameHash: string; attrsEnc: Buffer },
): Promise<boolean> {
  const { rows } = await db.query<{ id: number }>(
    `UPDATE customers SET name_enc = $2, name_hash = $3, name_masked = '*', birth_date = DATE '1900-01-01',
            id_number_enc = NULL, id_number_hash = NULL, mobile_enc = NULL, mobile_hash = NULL, mobile_masked = NULL,
            province = '', city = '', occupation = '', industry = NULL, employer_type = NULL, education = NULL,
            marital_status = NULL, children_count = 0, housing = NULL, city_since = NULL, monthly_income_fen = NULL,
            personalised_marketing = false, status = 'erased',
            flags = (SELECT array_agg(DISTINCT f) FROM unnest(flags || ARRAY['closed']) AS f),
            erased_at = now(), updated_at = now()
      WHERE id = $1 AND erased_at IS NULL RETURNING id::int AS id`,
    [id, pseudonym.nameEnc, pseudonym.nameHash],
  );
  if (rows.length === 0) return false;
  await db.query(
    `UPDATE source_records SET attrs_enc = $2, id_number_hash = NULL, mobile_hash = NULL, birth_date = NULL
      WHERE customer_id = $1`,
    [id, pseudonym.attrsEnc],
  );
  await db.query('DELETE FROM tag_optouts WHERE customer_id = $1', [id]);
  return true;
}

export async function isErased(db: OperationalQueryable, id: number): Promise<boolean | undefined> {
  const { rows } = await db.query<{ erased: boolean }>(
    'SELECT erased_at IS NOT NULL AS erased FROM customers WHERE id = $1',
    [id],
  );
  return rows[0]?.erased;
}

/** Months (the YYYYMM partitions of `contacts`, by UTC time) that hold contact history. */
export async function contactMonths(an: AnalyticsDb): Promise<number[]> {
  const rows = await an.query<{ m: string }>(
    `SELECT DISTINCT partition AS m FROM system.parts
      WHERE database = currentDatabase() AND table = {t:String} AND active ORDER BY m`,
    { t: an.cluster ? 'contacts_local' : 'contacts' },
  );
  return rows.map((r) => Number(r.m)).filter((m) => Number.isInteger(m) && m > 0);
}

/** Drops one month of contact history (a whole partition). */
export async function dropContactMonth(an: AnalyticsDb, month: number): Promise<void> {
  await an.command('ALTER TABLE contacts DROP PARTITION {m:UInt32}', { m: month });
}
