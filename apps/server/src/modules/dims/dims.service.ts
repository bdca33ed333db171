import type { AnalyticsDb } from '../../db/analytics.ts';
import type { OperationalDb } from '../../db/operational.ts';

/**
 * Copies the non-identifying dimension columns of operational facts into the analytics `dim_*` tables that tags read
 * (no names, ID numbers, phones or account numbers ever leave the operational store). Rows are versioned
 * (ReplacingMergeTree(version)), so a re-sync replaces them. Works in chunks of customers so a 1M-customer bank does
 * not pass through memory at once.
 */
export interface DimsStores {
  op: OperationalDb;
  an: AnalyticsDb;
}

const CHUNK = 20_000;

type Row = Record<string, unknown>;

const dimQueries: { table: string; sql: string }[] = [
  {
    table: 'dim_customers',
    sql: `SELECT id::int AS customer_id, gender, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, province, city, city_tier,
                 county_level::int AS county_level, occupation, COALESCE(industry, '') AS industry,
                 COALESCE(employer_type, '') AS employer_type, COALESCE(education, '') AS education,
                 COALESCE(marital_status, '') AS marital_status, children_count, COALESCE(housing, '') AS housing,
                 to_char(city_since, 'YYYY-MM-DD') AS city_since, COALESCE(monthly_income_fen, 0)::text AS monthly_income_fen,
                 to_char(onboarded_at, 'YYYY-MM-DD') AS onboarded_at, COALESCE(home_branch_id, '') AS home_branch_id,
                 COALESCE(rm_user_id, '') AS rm_user_id, COALESCE(risk_level, '') AS risk_level,
                 to_char(risk_assessed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') AS risk_assessed_at,
                 investment_experience::int AS investment_experience, flags, personalised_marketing::int AS personalised_marketing,
                 status
            FROM customers WHERE id = ANY($1::bigint[]) AND status <> 'merged'`,
  },
  {
    table: 'dim_accounts',
    sql: `SELECT id::text AS account_id, customer_id::int AS customer_id, kind, to_char(opened_at, 'YYYY-MM-DD') AS opened_at,
                 to_char(closed_at, 'YYYY-MM-DD') AS closed_at, balance_fen::text AS balance_fen, status
            FROM accounts WHERE customer_id = ANY($1::bigint[])`,
  },
  {
    table: 'dim_holdings',
    sql: `SELECT h.id::text AS holding_id, h.customer_id::int AS customer_id, h.product_id, p.family,
                 h.amount_fen::text AS amount_fen, to_char(h.signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') AS signed_at,
                 to_char(h.maturity_date, 'YYYY-MM-DD') AS maturity_date, to_char(h.closed_at, 'YYYY-MM-DD') AS closed_at, h.status
            FROM holdings h JOIN products p ON p.id = h.product_id WHERE h.customer_id = ANY($1::bigint[])`,
  },
  {
    table: 'dim_cards',
    sql: `SELECT id::text AS card_id, customer_id::int AS customer_id, product_id, to_char(issued_at, 'YYYY-MM-DD') AS issued_at,
                 to_char(activated_at, 'YYYY-MM-DD') AS activated_at, limit_fen::text AS limit_fen,
                 bound_to_wallet::int AS bound_to_wallet, status
            FROM credit_cards WHERE customer_id = ANY($1::bigint[])`,
  },
  {
    table: 'dim_loans',
    sql: `SELECT l.id::text AS loan_id, l.customer_id::int AS customer_id, l.product_id, p.family,
                 l.principal_fen::text AS principal_fen, l.outstanding_fen::text AS outstanding_fen,
                 to_char(l.disbursed_at, 'YYYY-MM-DD') AS disbursed_at, to_char(l.maturity_date, 'YYYY-MM-DD') AS maturity_date,
                 l.overdue_days, l.status
            FROM loans l JOIN products p ON p.id = l.product_id WHERE l.customer_id = ANY($1::bigint[])`,
  },
];

async function allCustomerIds(op: OperationalDb, after: number, limit: number): Promise<number[]> {
  const { rows } = await op.query<{ id: number }>(
    'SELECT id::int AS id FROM customers WHERE id > $1 ORDER BY id LIMIT $2',
    [after, limit],
  );
  return rows.map((r) => r.id);
}

async function syncChunk(stores: DimsStores, ids: number[], version: number, counts: Record<string, number>) {
  for (const q of dimQueries) {
    const { rows } = await stores.op.query<Row>(q.sql, [ids]);
    if (rows.length === 0) continue;
    await stores.an.insert(
      q.table,
      rows.map((r) => ({ ...r, version })),
    );
    counts[q.table] = (counts[q.table] ?? 0) + rows.length;
  }
}

/** Syncs the given customers (or, without ids, every customer) and the product dimension. Returns rows written. */
export async function syncDimensions(
  stores: DimsStores,
  opts: { customerIds?: number[] } = {},
): Promise<Record<string, number>> {
  const version = Date.now();
  const counts: Record<string, number> = {};
  const { rows: products } = await stores.op.query<Row>(
    'SELECT id AS product_id, family, risk_level, is_private::int AS is_private, term_days FROM products',
  );
  if (products.length) {
    await stores.an.insert(
      'dim_products',
      products.map((p) => ({ ...p, version })),
    );
    counts.dim_products = products.length;
  }
  if (opts.customerIds) {
    const ids = [...new Set(opts.customerIds)].sort((a, b) => a - b);
    for (let i = 0; i < ids.length; i += CHUNK) await syncChunk(stores, ids.slice(i, i + CHUNK), version, counts);
    return counts;
  }
  let after = 0;
  for (;;) {
    const ids = await allCustomerIds(stores.op, after, CHUNK);
    if (ids.length === 0) break;
    await syncChunk(stores, ids, version, counts);
    after = ids[ids.length - 1] ?? after;
  }
  return counts;
}
