import type { AnalyticsDb } from '../../db/analytics.ts';
import type { OperationalDb } from '../../db/operational.ts';

/**
 * Copies the non-identifying dimension columns of operational facts into the analytics `dim_*` tables that tags read
 * (no names, ID numbers, phones or account/card numbers ever leave the operational store). Rows are versioned
 * (ReplacingMergeTree(version)), so a re-sync replaces them. Works in chunks of customers so a 1M-customer bank never
 * passes through memory at once.
 */
export interface DimsStores {
  op: OperationalDb;
  an: AnalyticsDb;
}

export interface DimSyncOptions {
  /** Only these customers (and the product dimension); default every customer. */
  customerIds?: number[];
  /** Customers per chunk (default 20,000). */
  chunk?: number;
  onProgress?: (done: number) => void;
}

const CHUNK = 20_000;

type Row = Record<string, unknown>;

/** Columns of each dim table (without version), in table order; also what the checksum hashes. */
export const DIM_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  dim_products: ['product_id', 'family', 'risk_level', 'is_private', 'term_days'],
  dim_customers: [
    'customer_id',
    'gender',
    'birth_date',
    'province',
    'city',
    'city_tier',
    'county_level',
    'occupation',
    'industry',
    'employer_type',
    'education',
    'marital_status',
    'children_count',
    'housing',
    'city_since',
    'monthly_income_fen',
    'onboarded_at',
    'home_branch_id',
    'rm_user_id',
    'risk_level',
    'risk_assessed_at',
    'investment_experience',
    'flags',
    'personalised_marketing',
    'status',
  ],
  dim_accounts: ['account_id', 'customer_id', 'kind', 'opened_at', 'closed_at', 'balance_fen', 'status'],
  dim_holdings: [
    'holding_id',
    'customer_id',
    'product_id',
    'family',
    'amount_fen',
    'signed_at',
    'maturity_date',
    'closed_at',
    'status',
  ],
  dim_cards: [
    'card_id',
    'customer_id',
    'product_id',
    'issued_at',
    'activated_at',
    'limit_fen',
    'bound_to_wallet',
    'status',
  ],
  dim_loans: [
    'loan_id',
    'customer_id',
    'product_id',
    'family',
    'principal_fen',
    'outstanding_fen',
    'disbursed_at',
    'maturity_date',
    'overdue_days',
    'status',
  ],
};

const ts = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')`;
const d = (col: string) => `to_char(${col}, 'YYYY-MM-DD')`;

/** Per-customer dim queries; `$1` is a bigint[] of customer ids. Money and ids come back as text (64-bit safe). */
const dimQueries: { table: string; sql: string }[] = [
  {
    table: 'dim_customers',
    sql: `SELECT id::text AS customer_id, gender, ${d('birth_date')} AS birth_date, province, city, city_tier,
                 county_level::int AS county_level, occupation, COALESCE(industry, '') AS industry,
                 COALESCE(employer_type, '') AS employer_type, COALESCE(education, '') AS education,
                 COALESCE(marital_status, '') AS marital_status, children_count, COALESCE(housing, '') AS housing,
                 ${d('city_since')} AS city_since, COALESCE(monthly_income_fen, 0)::text AS monthly_income_fen,
                 ${d('onboarded_at')} AS onboarded_at, COALESCE(home_branch_id, '') AS home_branch_id,
                 COALESCE(rm_user_id, '') AS rm_user_id, COALESCE(risk_level, '') AS risk_level,
                 ${ts('risk_assessed_at')} AS risk_assessed_at, investment_experience::int AS investment_experience,
                 flags, personalised_marketing::int AS personalised_marketing, status
            FROM customers WHERE id = ANY($1::bigint[]) AND status <> 'merged' ORDER BY id`,
  },
  {
    table: 'dim_accounts',
    sql: `SELECT id::text AS account_id, customer_id::text AS customer_id, kind, ${d('opened_at')} AS opened_at,
                 ${d('closed_at')} AS closed_at, balance_fen::text AS balance_fen, status
            FROM accounts WHERE customer_id = ANY($1::bigint[]) ORDER BY id`,
  },
  {
    table: 'dim_holdings',
    sql: `SELECT h.id::text AS holding_id, h.customer_id::text AS customer_id, h.product_id, p.family,
                 h.amount_fen::text AS amount_fen, ${ts('h.signed_at')} AS signed_at,
                 ${d('h.maturity_date')} AS maturity_date, ${d('h.closed_at')} AS closed_at, h.status
            FROM holdings h JOIN products p ON p.id = h.product_id WHERE h.customer_id = ANY($1::bigint[]) ORDER BY h.id`,
  },
  {
    table: 'dim_cards',
    sql: `SELECT id::text AS card_id, customer_id::text AS customer_id, product_id, ${d('issued_at')} AS issued_at,
                 ${d('activated_at')} AS activated_at, limit_fen::text AS limit_fen,
                 bound_to_wallet::int AS bound_to_wallet, status
            FROM credit_cards WHERE customer_id = ANY($1::bigint[]) ORDER BY id`,
  },
  {
    table: 'dim_loans',
    sql: `SELECT l.id::text AS loan_id, l.customer_id::text AS customer_id, l.product_id, p.family,
                 l.principal_fen::text AS principal_fen, l.outstanding_fen::text AS outstanding_fen,
                 ${d('l.disbursed_at')} AS disbursed_at, ${d('l.maturity_date')} AS maturity_date, l.overdue_days, l.status
            FROM loans l JOIN products p ON p.id = l.product_id WHERE l.customer_id = ANY($1::bigint[]) ORDER BY l.id`,
  },
];

async function customerIdsAfter(op: OperationalDb, after: number, limit: number): Promise<number[]> {
  const { rows } = await op.query<{ id: number }>(
    "SELECT id::int AS id FROM customers WHERE id > $1 AND status <> 'merged' ORDER BY id LIMIT $2",
    [after, limit],
  );
  return rows.map((r) => r.id);
}

function jsonEachRow(rows: readonly Row[], version: number): Buffer {
  const parts: string[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const s = JSON.stringify(rows[i]);
    parts[i] = `${s.slice(0, -1)},"version":${version}}`;
  }
  return Buffer.from(`${parts.join('\n')}\n`, 'utf8');
}

async function syncChunk(stores: DimsStores, ids: number[], version: number, counts: Record<string, number>) {
  for (const q of dimQueries) {
    const { rows } = await stores.op.query<Row>(q.sql, [ids]);
    if (rows.length === 0) continue;
    const cols = [...(DIM_COLUMNS[q.table] ?? []), 'version'];
    await stores.an.insertRaw(q.table, cols, 'JSONEachRow', jsonEachRow(rows, version));
    counts[q.table] = (counts[q.table] ?? 0) + rows.length;
  }
}

/**
 * Per dim table, `count:sum(cityHash64(toString(tuple(columns))))` (the text form, so NULLs count too) over its current content (FINAL, version excluded): equal for two
 * syncs of the same data whatever the order or the time, so two runs can be compared.
 */
export async function dimChecksums(an: AnalyticsDb): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [table, cols] of Object.entries(DIM_COLUMNS)) {
    const [r] = await an.query<{ n: string; h: string }>(
      `SELECT toString(count()) AS n, toString(sum(cityHash64(toString(tuple(${cols.join(', ')}))))) AS h FROM ${table} FINAL`,
    );
    out[table] = `${r?.n ?? '0'}:${r?.h ?? '0'}`;
  }
  return out;
}

/**
 * Syncs the given customers (or, without ids, every customer) and the product dimension. Returns the rows written per
 * dim table; `dimChecksums` summarises the resulting content.
 */
export async function syncDimensions(stores: DimsStores, opts: DimSyncOptions = {}): Promise<Record<string, number>> {
  const version = Date.now();
  const rows: Record<string, number> = {};
  const chunk = opts.chunk ?? CHUNK;
  const { rows: products } = await stores.op.query<Row>(
    'SELECT id AS product_id, family, risk_level, is_private::int AS is_private, term_days FROM products ORDER BY id',
  );
  if (products.length) {
    await stores.an.insertRaw(
      'dim_products',
      [...(DIM_COLUMNS.dim_products ?? []), 'version'],
      'JSONEachRow',
      jsonEachRow(products, version),
    );
    rows.dim_products = products.length;
  }
  let done = 0;
  if (opts.customerIds) {
    const ids = [...new Set(opts.customerIds)].sort((a, b) => a - b);
    for (let i = 0; i < ids.length; i += chunk) {
      const part = ids.slice(i, i + chunk);
      await syncChunk(stores, part, version, rows);
      done += part.length;
      opts.onProgress?.(done);
    }
  } else {
    let after = 0;
    for (;;) {
      const ids = await customerIdsAfter(stores.op, after, chunk);
      if (ids.length === 0) break;
      await syncChunk(stores, ids, version, rows);
      done += ids.length;
      opts.onProgress?.(done);
      after = ids[ids.length - 1] ?? after;
    }
  }
  return rows;
}
