import type { AnalyticsDb } from '../../db/analytics.ts';
import type { OperationalQueryable } from '../../db/operational.ts';

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

export interface ProfileRow {
  id: number;
  cif: string;
  name_masked: string;
  mobile_masked: string | null;
  gender: string;
  birth_date: string;
  province: string;
  city: string;
  city_tier: number;
  occupation: string;
  education: string | null;
  marital_status: string | null;
  onboarded_at: string | null;
  home_branch_id: string | null;
  rm_user_id: string | null;
  risk_level: string | null;
  risk_assessed_at: string | null;
  investment_experience: boolean;
  flags: string[];
  personalised_marketing: boolean;
  status: string;
  merged_into: number | null;
}

export async function profile(db: OperationalQueryable, id: number): Promise<ProfileRow | undefined> {
  const { rows } = await db.query<ProfileRow>(
    `SELECT id::int AS id, cif, name_masked, mobile_masked, gender, to_char(birth_date, 'YYYY-MM-DD') AS birth_date,
            province, city, city_tier, occupation, education, marital_status,
            to_char(onboarded_at, 'YYYY-MM-DD') AS onboarded_at, home_branch_id, rm_user_id, risk_level,
            to_char(risk_assessed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS risk_assessed_at,
            investment_experience, flags, personalised_marketing, status, merged_into::int AS merged_into
       FROM customers WHERE id = $1`,
    [id],
  );
  return rows[0];
}

/** The customer and every customer merged into it: analytics facts stay under their original ids. */
export async function identityIds(db: OperationalQueryable, id: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>('SELECT id::int AS id FROM customers WHERE merged_into = $1', [id]);
  return [id, ...rows.map((r) => r.id)];
}

export async function sourceRecords(db: OperationalQueryable, id: number) {
  const { rows } = await db.query<{ id: number; source_system: string; source_key: string; received_at: Date }>(
    'SELECT id::int AS id, source_system, source_key, received_at FROM source_records WHERE customer_id = $1 ORDER BY id',
    [id],
  );
  return rows.map((r) => ({ ...r, received_at: new Date(r.received_at).toISOString() }));
}

export async function holdings(db: OperationalQueryable, id: number) {
  const { rows } = await db.query<{
    id: number;
    product_id: string;
    name_zh: string;
    name_en: string;
    family: string;
    risk_level: number;
    amount_fen: string;
    signed_at: Date;
    maturity_date: string | null;
    status: string;
  }>(
    `SELECT h.id::int AS id, h.product_id, p.name_zh, p.name_en, p.family, p.risk_level, h.amount_fen::text AS amount_fen,
            h.signed_at, to_char(h.maturity_date, 'YYYY-MM-DD') AS maturity_date, h.status
       FROM holdings h JOIN products p ON p.id = h.product_id
      WHERE h.customer_id = $1 ORDER BY h.status, h.signed_at DESC LIMIT 200`,
    [id],
  );
  return rows.map((r) => ({
    ...r,
    amount_fen: Number(r.amount_fen),
    risk: `R${r.risk_level}`,
    signed_at: new Date(r.signed_at).toISOString(),
  }));
}

export async function productsHeld(db: OperationalQueryable, id: number) {
  const { rows } = await db.query<{ family: string; count: number; active: number }>(
    `SELECT family, count(*)::int AS count, count(*) FILTER (WHERE active)::int AS active FROM (
       SELECT p.family, h.status = 'active' AS active FROM holdings h JOIN products p ON p.id = h.product_id WHERE h.customer_id = $1
       UNION ALL SELECT 'credit_card', c.status <> 'closed' FROM credit_cards c WHERE c.customer_id = $1
       UNION ALL SELECT p.family, l.status = 'active' FROM loans l JOIN products p ON p.id = l.product_id WHERE l.customer_id = $1
       UNION ALL SELECT 'account:' || a.kind, a.status <> 'closed' FROM accounts a WHERE a.customer_id = $1
     ) x GROUP BY family ORDER BY family`,
    [id],
  );
  return rows;
}

export async function cards(db: OperationalQueryable, id: number) {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT id::int AS id, product_id, card_no_masked, to_char(issued_at, 'YYYY-MM-DD') AS issued_at,
            to_char(activated_at, 'YYYY-MM-DD') AS activated_at, limit_fen::text AS limit_fen, bound_to_wallet, status
       FROM credit_cards WHERE customer_id = $1 ORDER BY issued_at`,
    [id],
  );
  return rows.map((r) => ({ ...r, limit_fen: num(r.limit_fen) }));
}

export async function loans(db: OperationalQueryable, id: number) {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT l.id::int AS id, l.product_id, p.family, l.principal_fen::text AS principal_fen,
            l.outstanding_fen::text AS outstanding_fen, to_char(l.disbursed_at, 'YYYY-MM-DD') AS disbursed_at,
            to_char(l.maturity_date, 'YYYY-MM-DD') AS maturity_date, l.overdue_days, l.status
       FROM loans l JOIN products p ON p.id = l.product_id WHERE l.customer_id = $1 ORDER BY l.disbursed_at`,
    [id],
  );
  return rows.map((r) => ({ ...r, principal_fen: num(r.principal_fen), outstanding_fen: num(r.outstanding_fen) }));
}

export async function consentHistory(db: OperationalQueryable, id: number) {
  const { rows } = await db.query<{
    purpose: string;
    channel: string;
    status: string;
    notice_version: string;
    source: string;
    recorded_at: Date;
  }>(
    `SELECT purpose, channel, status, notice_version, source, recorded_at FROM consents
      WHERE customer_id = $1 ORDER BY recorded_at, id`,
    [id],
  );
  return rows.map((r) => ({ ...r, recorded_at: new Date(r.recorded_at).toISOString() }));
}

export async function aumTrend(an: AnalyticsDb, ids: number[]) {
  const rows = await an.query<{ date: string; family: string; balance_fen: number }>(
    `SELECT toString(date) AS date, product_family AS family, toInt64(sum(balance_fen)) AS balance_fen
       FROM holdings_daily FINAL WHERE customer_id IN {ids:Array(UInt32)}
      GROUP BY date, family ORDER BY date, family`,
    { ids },
  );
  return rows.map((r) => ({ ...r, balance_fen: Number(r.balance_fen) }));
}

export async function spendByCategory(an: AnalyticsDb, ids: number[], asOf: string, days: number) {
  const rows = await an.query<{ category: string; amount_fen: number; count: number }>(
    `SELECT merchant_category AS category, toInt64(sum(amount_fen)) AS amount_fen, toUInt32(count()) AS count
       FROM transactions
      WHERE customer_id IN {ids:Array(UInt32)} AND direction = 'out' AND txn_type = 'purchase'
        AND ts >= toDateTime64({as_of:Date}, 3, 'UTC') - toIntervalDay({days:UInt32})
        AND ts < toDateTime64({as_of:Date}, 3, 'UTC') + toIntervalDay(1)
      GROUP BY category ORDER BY amount_fen DESC`,
    { ids, as_of: asOf, days },
  );
  return rows.map((r) => ({ ...r, amount_fen: Number(r.amount_fen), count: Number(r.count) }));
}

export async function recentTransactions(an: AnalyticsDb, ids: number[], limit: number) {
  const rows = await an.query<Record<string, unknown>>(
    `SELECT toString(txn_id) AS txn_id, formatDateTime(ts, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS ts, toInt64(amount_fen) AS amount_fen,
            direction, channel, txn_type, merchant_category, counterparty_type, cross_border
       FROM transactions WHERE customer_id IN {ids:Array(UInt32)} ORDER BY ts DESC LIMIT {limit:UInt32}`,
    { ids, limit },
  );
  return rows.map((r) => ({ ...r, amount_fen: Number(r.amount_fen), cross_border: Number(r.cross_border) === 1 }));
}

export async function appActivity(an: AnalyticsDb, ids: number[], asOf: string, days: number) {
  const rows = await an.query<{ day: string; event_type: string; count: number }>(
    `SELECT toString(toDate(ts, 'Asia/Shanghai')) AS day, event_type, toUInt32(count()) AS count
       FROM app_events
      WHERE customer_id IN {ids:Array(UInt32)}
        AND ts >= toDateTime64({as_of:Date}, 3, 'UTC') - toIntervalDay({days:UInt32})
        AND ts < toDateTime64({as_of:Date}, 3, 'UTC') + toIntervalDay(1)
      GROUP BY day, event_type ORDER BY day, event_type`,
    { ids, as_of: asOf, days },
  );
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}

export async function contactHistory(an: AnalyticsDb, ids: number[], limit: number) {
  const rows = await an.query<Record<string, unknown>>(
    `SELECT toString(contact_id) AS contact_id, formatDateTime(ts, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS ts, channel, purpose,
            campaign_id, action_id, outcome, nps, rule_ids
       FROM contacts FINAL WHERE customer_id IN {ids:Array(UInt32)} ORDER BY ts DESC LIMIT {limit:UInt32}`,
    { ids, limit },
  );
  return rows.map((r) => ({ ...r, nps: r.nps === null ? null : Number(r.nps) }));
}

export async function campaignsReceived(an: AnalyticsDb, ids: number[]) {
  const rows = await an.query<{
    campaign_id: string;
    contacts: number;
    first_ts: string;
    last_ts: string;
    outcomes: string[];
  }>(
    `SELECT campaign_id, toUInt32(count()) AS contacts,
            formatDateTime(min(ts), '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS first_ts,
            formatDateTime(max(ts), '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS last_ts, groupUniqArray(outcome) AS outcomes
       FROM contacts FINAL WHERE customer_id IN {ids:Array(UInt32)} AND campaign_id != ''
      GROUP BY campaign_id ORDER BY last_ts DESC LIMIT 50`,
    { ids },
  );
  return rows.map((r) => ({ ...r, contacts: Number(r.contacts) }));
}

/** The latest data date in the analytics store (the demo bank's as-of date), so windows count back from it. */
export async function latestFactDate(an: AnalyticsDb): Promise<string> {
  const rows = await an.query<{ d: string }>(
    "SELECT toString(toDate(max(ts), 'Asia/Shanghai')) AS d FROM transactions",
  );
  const d = rows[0]?.d;
  return d && d !== '1970-01-01' ? d : new Date().toISOString().slice(0, 10);
}
