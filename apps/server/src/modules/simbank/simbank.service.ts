import { maskAccount, maskCard, maskMobile, maskName } from '@lingxi/core/pii/masking';
import {
  appEventColumns,
  branchList,
  contactColumns,
  holdingsDailyColumns,
  type SimBatch,
  SyntheticBank,
  transactionColumns,
} from '@lingxi/core/simbank/generate';
import { products } from '@lingxi/core/simbank/reference';
import type { Stores } from '../../db/stores.ts';
import type { PiiCipher } from '../../security/crypto.ts';
import { syncDimensions } from '../dims/dims.service.ts';

export interface LoadOptions {
  customers: number;
  seed: number;
  duplicates?: boolean;
  asOf?: string;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface LoadReport {
  customers: number;
  asOf: string;
  rows: Record<string, number>;
  seconds: number;
  rowsPerSecond: number;
}

export class BankNotEmptyError extends Error {
  override name = 'BankNotEmptyError';
}

/** One CSV field for PostgreSQL COPY (FORMAT csv): null → empty, strings quoted when needed, bytea as hex. */
function csvField(v: string | number | boolean | null | undefined | Buffer | readonly string[]): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (Buffer.isBuffer(v)) return `\\x${v.toString('hex')}`;
  if (Array.isArray(v)) return csvField(`{${v.map((x) => `"${x}"`).join(',')}}`);
  const s = v as string;
  return s === '' || /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
const csvLine = (fields: Parameters<typeof csvField>[0][]) => `${fields.map(csvField).join(',')}\n`;

async function copy(stores: Stores, table: string, columns: string[], lines: string[]): Promise<number> {
  if (lines.length === 0) return 0;
  await stores.op.copyCsv(table, columns, lines.join(''));
  return lines.length;
}

async function insertTsv(stores: Stores, table: string, columns: readonly string[], lines: string[]): Promise<number> {
  if (lines.length === 0) return 0;
  await stores.an.insertRaw(table, columns, 'TSV', Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
  return lines.length;
}

/** Writes one generated batch through both stores, encrypting C2 identity fields (P8). */
async function writeBatch(stores: Stores, cipher: PiiCipher, b: SimBatch, rows: Record<string, number>) {
  const add = (t: string, n: number) => {
    rows[t] = (rows[t] ?? 0) + n;
  };
  add(
    'customers',
    await copy(
      stores,
      'customers',
      [
        'id',
        'cif',
        'name_enc',
        'name_hash',
        'name_masked',
        'gender',
        'birth_date',
        'id_number_enc',
        'id_number_hash',
        'mobile_enc',
        'mobile_hash',
        'mobile_masked',
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
      b.customers.map((c) =>
        csvLine([
          c.id,
          c.cif,
          cipher.encrypt(c.name),
          cipher.hash(c.name),
          maskName(c.name),
          c.gender,
          c.birthDate,
          cipher.encrypt(c.idNumber),
          cipher.hash(c.idNumber),
          cipher.encrypt(c.mobile),
          cipher.hash(c.mobile),
          maskMobile(c.mobile),
          c.province,
          c.city,
          c.cityTier,
          c.county,
          c.occupation,
          c.industry,
          c.employerType,
          c.education,
          c.maritalStatus,
          c.children,
          c.housing,
          c.citySince,
          c.incomeFen,
          c.onboardedAt,
          c.branchId,
          c.rmUserId,
          c.riskLevel,
          c.riskAssessedAt ? `${c.riskAssessedAt}Z` : null,
          c.experience,
          c.flags,
          c.personalised,
          c.status,
        ]),
      ),
    ),
  );
  add(
    'source_records',
    await copy(
      stores,
      'source_records',
      [
        'source_system',
        'source_key',
        'customer_id',
        'attrs_enc',
        'id_number_hash',
        'mobile_hash',
        'birth_date',
        'synthetic_truth_id',
        'received_at',
      ],
      b.sourceRecords.map((r) =>
        csvLine([
          r.sourceSystem,
          r.sourceKey,
          r.primary ? r.customerId : null,
          cipher.encrypt(JSON.stringify(r.attrs)),
          r.attrs.id_number ? cipher.hash(r.attrs.id_number) : null,
          r.attrs.mobile ? cipher.hash(r.attrs.mobile) : null,
          /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(r.attrs.birth_date) ? r.attrs.birth_date : null,
          r.customerId,
          `${r.receivedAt}Z`,
        ]),
      ),
    ),
  );
  add(
    'accounts',
    await copy(
      stores,
      'accounts',
      [
        'id',
        'customer_id',
        'account_no_hash',
        'account_no_masked',
        'kind',
        'branch_id',
        'opened_at',
        'closed_at',
        'balance_fen',
        'status',
      ],
      b.accounts.map((a) =>
        csvLine([
          a.id,
          a.customerId,
          cipher.hash(a.accountNo),
          maskAccount(a.accountNo),
          a.kind,
          a.branchId,
          a.openedAt,
          a.closedAt,
          a.balanceFen,
          a.status,
        ]),
      ),
    ),
  );
  add(
    'holdings',
    await copy(
      stores,
      'holdings',
      [
        'id',
        'customer_id',
        'product_id',
        'account_id',
        'amount_fen',
        'signed_at',
        'maturity_date',
        'closed_at',
        'status',
      ],
      b.holdings.map((h) =>
        csvLine([
          h.id,
          h.customerId,
          h.productId,
          h.accountId,
          h.amountFen,
          `${h.signedAt}Z`,
          h.maturityDate,
          h.closedAt,
          h.status,
        ]),
      ),
    ),
  );
  add(
    'credit_cards',
    await copy(
      stores,
      'credit_cards',
      [
        'id',
        'customer_id',
        'product_id',
        'card_no_hash',
        'card_no_masked',
        'issued_at',
        'activated_at',
        'limit_fen',
        'bound_to_wallet',
        'status',
      ],
      b.cards.map((k) =>
        csvLine([
          k.id,
          k.customerId,
          k.productId,
          cipher.hash(k.cardNo),
          maskCard(k.cardNo),
          k.issuedAt,
          k.activatedAt,
          k.limitFen,
          k.boundToWallet,
          k.status,
        ]),
      ),
    ),
  );
  add(
    'loans',
    await copy(
      stores,
      'loans',
      [
        'id',
        'customer_id',
        'product_id',
        'principal_fen',
        'outstanding_fen',
        'disbursed_at',
        'maturity_date',
        'overdue_days',
        'status',
      ],
      b.loans.map((l) =>
        csvLine([
          l.id,
          l.customerId,
          l.productId,
          l.principalFen,
          l.outstandingFen,
          l.disbursedAt,
          l.maturityDate,
          l.overdueDays,
          l.status,
        ]),
      ),
    ),
  );
  add(
    'consents',
    await copy(
      stores,
      'consents',
      ['customer_id', 'purpose', 'channel', 'status', 'notice_version', 'source', 'recorded_at'],
      b.consents.map((c) =>
        csvLine([c.customerId, c.purpose, c.channel, c.status, c.noticeVersion, c.source, `${c.recordedAt}Z`]),
      ),
    ),
  );
  add('transactions', await insertTsv(stores, 'transactions', transactionColumns, b.transactions));
  add('app_events', await insertTsv(stores, 'app_events', appEventColumns, b.appEvents));
  add('holdings_daily', await insertTsv(stores, 'holdings_daily', holdingsDailyColumns, b.holdingsDaily));
  add('contacts', await insertTsv(stores, 'contacts', contactColumns, b.contacts));
  add(
    'synth_truth',
    await insertTsv(
      stores,
      'synth_truth',
      ['customer_id', 'lifecycle', 'personas', 'churn_date'],
      b.customers.map(
        (c) => `${c.id}\t${c.lifecycle}\t[${c.personas.map((p) => `'${p}'`).join(',')}]\t${c.churnDate ?? '\\N'}`,
      ),
    ),
  );
}

/**
 * Generates the synthetic bank and loads it through the stores: branches, RM users, products, then customers in
 * batches, then the analytics dimensions. Refuses to load into a bank that already has customers.
 */
export async function loadSyntheticBank(stores: Stores, cipher: PiiCipher, opts: LoadOptions): Promise<LoadReport> {
  const t0 = performance.now();
  const { rows: existing } = await stores.op.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
  if ((existing[0]?.n ?? 0) > 0) {
    throw new BankNotEmptyError(
      `the bank already has ${existing[0]?.n} customers; load the synthetic bank into an empty data dir`,
    );
  }
  const bank = new SyntheticBank({
    customers: opts.customers,
    seed: opts.seed,
    duplicates: opts.duplicates ?? false,
    ...(opts.asOf ? { asOf: opts.asOf } : {}),
  });
  const rows: Record<string, number> = {};
  const branches = branchList();
  rows.branches = await copy(
    stores,
    'branches',
    ['id', 'name_zh', 'name_en', 'province', 'city', 'parent_id'],
    branches.map((br) =>
      csvLine([br.id, br.nameZh, br.nameEn, br.province, br.city, br.id === 'BR-HQ' ? null : 'BR-HQ']),
    ),
  );
  rows.users = await copy(
    stores,
    'users',
    ['id', 'username', 'display_name', 'role_id', 'branch_id'],
    bank.rmUsers.map((u) => csvLine([u.id, u.username, u.displayName, 'rm', u.branchId])),
  );
  rows.products = await copy(
    stores,
    'products',
    [
      'id',
      'name_zh',
      'name_en',
      'family',
      'risk_level',
      'risk_rated_at',
      'benchmark_yield_bp',
      'min_amount_fen',
      'is_private',
      'term_days',
      'issuer',
      'launched_at',
    ],
    products.map((p) =>
      csvLine([
        p.id,
        p.nameZh,
        p.nameEn,
        p.family,
        p.risk,
        '2025-01-01',
        p.yieldBp,
        p.minFen,
        p.isPrivate,
        p.termDays,
        p.issuer,
        '2020-01-01',
      ]),
    ),
  );
  const batchSize = opts.batchSize ?? 2000;
  for (let from = 1; from <= opts.customers; from += batchSize) {
    const to = Math.min(opts.customers + 1, from + batchSize);
    await writeBatch(stores, cipher, bank.batch(from, to), rows);
    opts.onProgress?.(to - 1, opts.customers);
  }
  const dims = await syncDimensions(stores);
  for (const [t, n] of Object.entries(dims)) rows[t] = n;
  const seconds = (performance.now() - t0) / 1000;
  const total = Object.values(rows).reduce((a, n) => a + n, 0);
  return { customers: opts.customers, asOf: bank.asOf, rows, seconds, rowsPerSecond: total / seconds };
}

/**
 * Order-independent checksums of the deterministic content of every table (ciphertexts excluded: their IVs are
 * random by design), so two loads with the same seed can be compared.
 */
export async function bankChecksums(stores: Stores): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const pg: Record<string, string> = {
    customers: `id, cif, name_hash, name_masked, gender, birth_date, id_number_hash, mobile_hash, city, onboarded_at, rm_user_id, risk_level, flags`,
    source_records: 'source_system, source_key, customer_id, id_number_hash, mobile_hash, birth_date',
    accounts: 'id, customer_id, account_no_hash, kind, opened_at, closed_at, balance_fen',
    holdings: 'id, customer_id, product_id, amount_fen, signed_at, closed_at, status',
    credit_cards: 'id, customer_id, card_no_hash, issued_at, activated_at, limit_fen',
    loans: 'id, customer_id, product_id, principal_fen, outstanding_fen, overdue_days',
    consents: 'customer_id, purpose, channel, status, recorded_at',
  };
  for (const [table, cols] of Object.entries(pg)) {
    const { rows } = await stores.op.query<{ n: string; h: string | null }>(
      `SELECT count(*)::text AS n, md5(string_agg(md5(ROW(${cols})::text), '' ORDER BY md5(ROW(${cols})::text))) AS h FROM ${table}`,
    );
    out[table] = `${rows[0]?.n}:${rows[0]?.h ?? ''}`;
  }
  for (const table of ['transactions', 'app_events', 'holdings_daily', 'contacts', 'synth_truth']) {
    const r = await stores.an.query<{ n: string; h: string }>(
      `SELECT toString(count()) AS n, toString(groupBitXor(cityHash64(*))) AS h FROM ${table}`,
    );
    out[table] = `${r[0]?.n}:${r[0]?.h}`;
  }
  return out;
}
