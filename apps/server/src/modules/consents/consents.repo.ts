import type { AnalyticsDb } from '../../db/analytics.ts';
import type { OperationalQueryable } from '../../db/operational.ts';

export interface ConsentRow {
  customer_id: number;
  purpose: string;
  channel: string;
  status: 'granted' | 'withdrawn' | 'refused';
  notice_version: string;
  source: string;
  evidence: string | null;
  recorded_at: string;
  recorded_by: string | null;
}

const consentColumns = `customer_id::int AS customer_id, purpose, channel, status, notice_version, source, evidence,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at, recorded_by`;

/** Consent events of some customers, oldest first. */
export async function consentHistories(
  db: OperationalQueryable,
  customerIds: readonly number[],
): Promise<ConsentRow[]> {
  if (customerIds.length === 0) return [];
  const { rows } = await db.query<ConsentRow>(
    `SELECT ${consentColumns} FROM consents WHERE customer_id = ANY($1::bigint[]) ORDER BY customer_id, recorded_at, id`,
    [customerIds],
  );
  return rows;
}

export interface NewConsent {
  customerId: number;
  purpose: string;
  channel: string;
  status: 'granted' | 'withdrawn' | 'refused';
  noticeVersion: string;
  source: string;
  evidence: string;
  at: Date;
  recordedBy: string | null;
}

export async function insertConsent(db: OperationalQueryable, c: NewConsent): Promise<void> {
  await db.query(
    `INSERT INTO consents (customer_id, purpose, channel, status, notice_version, source, evidence, recorded_at, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [c.customerId, c.purpose, c.channel, c.status, c.noticeVersion, c.source, c.evidence, c.at, c.recordedBy],
  );
}

/** Has exactly this event (same customer, purpose, channel, status, time and evidence) been recorded? */
export async function consentExists(db: OperationalQueryable, c: NewConsent): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM consents
      WHERE customer_id = $1 AND purpose = $2 AND channel = $3 AND status = $4 AND recorded_at = $5 AND evidence = $6`,
    [c.customerId, c.purpose, c.channel, c.status, c.at, c.evidence],
  );
  return (rows[0]?.n ?? 0) > 0;
}

export async function setPersonalisedMarketing(db: OperationalQueryable, id: number, on: boolean): Promise<void> {
  await db.query('UPDATE customers SET personalised_marketing = $2, updated_at = now() WHERE id = $1', [id, on]);
}

export async function customerIdsByMobileHash(db: OperationalQueryable, mobileHash: string): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    'SELECT id::int AS id FROM customers WHERE mobile_hash = $1 AND erased_at IS NULL ORDER BY id',
    [mobileHash],
  );
  return rows.map((r) => r.id);
}

export interface ContactCustomerRow {
  id: number;
  birth_date: string;
  flags: string[];
  status: string;
  personalised_marketing: boolean;
  cooling_off: { product_id: string; signed_at: string }[];
}

/** What the contact policy needs of each customer (private-product signings of the last `coolingDays` days). */
export async function contactCustomers(
  db: OperationalQueryable,
  ids: readonly number[],
  coolingDays: number,
): Promise<ContactCustomerRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<ContactCustomerRow>(
    `SELECT c.id::int AS id, to_char(c.birth_date, 'YYYY-MM-DD') AS birth_date, c.flags, c.status,
            c.personalised_marketing,
            COALESCE((SELECT json_agg(json_build_object('product_id', h.product_id,
                               'signed_at', to_char(h.signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')))
                        FROM holdings h JOIN products p ON p.id = h.product_id
                       WHERE h.customer_id = c.id AND p.is_private
                         AND h.signed_at > now() - make_interval(days => $2)), '[]') AS cooling_off
       FROM customers c WHERE c.id = ANY($1::bigint[])`,
    [ids, coolingDays],
  );
  return rows;
}

export interface ContactHistoryRow {
  customer_id: number;
  at: string;
  channel: string;
  purpose: string;
}

/** Contacts of the customers since `since` (the analytics `contacts` table). */
export async function contactHistory(
  an: AnalyticsDb,
  ids: readonly number[],
  since: Date,
): Promise<ContactHistoryRow[]> {
  if (ids.length === 0) return [];
  return an.query<ContactHistoryRow>(
    `SELECT toUInt32(customer_id) AS customer_id, formatDateTime(ts, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS at,
            toString(channel) AS channel, toString(purpose) AS purpose
       FROM contacts WHERE customer_id IN {ids:Array(UInt32)} AND ts >= {since:DateTime64(3)}
      ORDER BY customer_id, ts`,
    { ids: [...ids], since },
  );
}
