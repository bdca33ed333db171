import type { OperationalQueryable } from '../../db/operational.ts';

export type H5Kind = 'assessment' | 'preferences';

export async function insertLink(
  db: OperationalQueryable,
  l: { tokenHash: string; customerId: number; kind: H5Kind; createdBy: string; expiresAt: Date },
): Promise<void> {
  await db.query(
    'INSERT INTO h5_links (token_hash, customer_id, kind, created_by, expires_at) VALUES ($1, $2, $3, $4, $5)',
    [l.tokenHash, l.customerId, l.kind, l.createdBy, l.expiresAt],
  );
}

export interface LinkRow {
  customer_id: number;
  kind: H5Kind;
  expires_at: string;
  spent_at: string | null;
}

export async function linkByHash(
  db: OperationalQueryable,
  tokenHash: string,
  forUpdate = false,
): Promise<LinkRow | undefined> {
  const { rows } = await db.query<LinkRow>(
    `SELECT customer_id::int AS customer_id, kind,
            to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS expires_at,
            to_char(spent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS spent_at
       FROM h5_links WHERE token_hash = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [tokenHash],
  );
  return rows[0];
}

export async function spendLink(db: OperationalQueryable, tokenHash: string): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(
    'UPDATE h5_links SET spent_at = now() WHERE token_hash = $1 AND spent_at IS NULL RETURNING 1 AS n',
    [tokenHash],
  );
  return rows.length === 1;
}

export interface H5CustomerRow {
  id: number;
  name_masked: string;
  risk_level: string | null;
  risk_assessed_at: string | null;
  erased: boolean;
}

export async function h5Customer(db: OperationalQueryable, id: number): Promise<H5CustomerRow | undefined> {
  const { rows } = await db.query<H5CustomerRow>(
    `SELECT id::int AS id, name_masked, risk_level,
            to_char(risk_assessed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS risk_assessed_at,
            erased_at IS NOT NULL AS erased
       FROM customers WHERE id = $1`,
    [id],
  );
  return rows[0];
}

export async function attemptTimes(db: OperationalQueryable, customerId: number, since: Date): Promise<Date[]> {
  const { rows } = await db.query<{ at: string }>(
    `SELECT to_char(attempted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
       FROM risk_assessments WHERE customer_id = $1 AND attempted_at >= $2`,
    [customerId, since],
  );
  return rows.map((r) => new Date(r.at));
}

export async function insertAttempt(
  db: OperationalQueryable,
  a: {
    customerId: number;
    version: string;
    answers: Record<string, string>;
    score: number | null;
    level: string | null;
    outcome: 'completed' | 'refused';
    ruleIds: string[];
    channel: string;
    at: Date;
    validUntil: Date | null;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO risk_assessments (customer_id, questionnaire_version, answers, score, level, outcome, rule_ids, channel,
                                   attempted_at, valid_until)
     VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7::text[], $8, $9, $10)`,
    [
      a.customerId,
      a.version,
      JSON.stringify(a.answers),
      a.score,
      a.level,
      a.outcome,
      a.ruleIds,
      a.channel,
      a.at,
      a.validUntil,
    ],
  );
}

export async function setRiskLevel(
  db: OperationalQueryable,
  customerId: number,
  level: string,
  at: Date,
  hasExperience: boolean,
): Promise<void> {
  await db.query(
    `UPDATE customers SET risk_level = $2, risk_assessed_at = $3, investment_experience = $4, updated_at = now()
      WHERE id = $1`,
    [customerId, level, at, hasExperience],
  );
}

export async function tagOptouts(db: OperationalQueryable, customerId: number): Promise<Set<string>> {
  const { rows } = await db.query<{ tag_id: string }>('SELECT tag_id FROM tag_optouts WHERE customer_id = $1', [
    customerId,
  ]);
  return new Set(rows.map((r) => r.tag_id));
}

export async function insertTagOptouts(
  db: OperationalQueryable,
  customerId: number,
  tagIds: readonly string[],
  source: string,
): Promise<void> {
  if (tagIds.length === 0) return;
  await db.query(
    `INSERT INTO tag_optouts (customer_id, tag_id, source) SELECT $1, t, $3 FROM unnest($2::text[]) AS t
     ON CONFLICT (customer_id, tag_id) DO NOTHING`,
    [customerId, tagIds, source],
  );
}
