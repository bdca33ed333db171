/**
 * Loads the deterministic synthetic bank (packages/core/src/synth) through both stores: operational rows by COPY
 * (CSV, batched, C2 identity fields encrypted with the PII cipher, keyed hashes and masks computed), analytics facts
 * as TSV in large inserts, then the `dim_*` tables via the dimension sync. Refuses a bank that already has customers
 * or facts. Returns row counts and order-independent checksums per table so two loads can be compared.
 */

import { maskAccount, maskCard, maskMobile, maskName } from '@lingxi/core/pii/masking';
import { createSyntheticBank } from '@lingxi/core/synth/generator';
import type { SynthBatch, SynthCustomer, TsvTable } from '@lingxi/core/synth/types';
import { TSV_COLUMNS } from '@lingxi/core/synth/types';
import { z } from 'zod';
import type { AnalyticsDb } from '../../db/analytics.ts';
import type { OperationalDb } from '../../db/operational.ts';
import type { PiiCipher } from '../../security/crypto.ts';
import { DIM_COLUMNS, dimChecksums } from '../dims/dims.service.ts';

export interface SynthStores {
  op: OperationalDb;
  an: AnalyticsDb;
}

export type SynthPhase = 'generate' | 'checksums';

export interface SynthProgress {
  phase: SynthPhase;
  /** Customers done in this phase. */
  done: number;
  total: number;
  /** Rows written so far, all tables. */
  rows: number;
}

export const loadOptionsSchema = z.object({
  customers: z.number().int('customers: must be an integer').min(1, 'customers: must be at least 1').max(16_000_000),
  seed: z.number().int('seed: must be an integer').min(0, 'seed: must be ≥ 0').max(Number.MAX_SAFE_INTEGER),
  duplicates: z.boolean().default(false),
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'asOf: expected YYYY-MM-DD')
    .optional(),
  /** Customers per generated batch (one COPY per operational table per batch). */
  batchSize: z.number().int().min(100).max(100_000).default(5_000),
  /** Analytics rows buffered per table before one insert. */
  flushRows: z.number().int().min(1_000).max(5_000_000).default(400_000),
  /** Compute checksums at the end (two count/hash scans per table). */
  checksums: z.boolean().default(true),
});
export type LoadOptions = z.input<typeof loadOptionsSchema> & { onProgress?: (p: SynthProgress) => void };

export interface LoadResult {
  ok: true;
  customers: number;
  seed: number;
  asOf: string;
  duplicates: boolean;
  /** Rows per table as counted in the stores after the load. */
  rows: Record<string, number>;
  /** Per table `count:hash` of the deterministic content (ciphertexts and load times excluded). */
  checksums: Record<string, string>;
  totalRows: number;
  seconds: number;
  rowsPerSecond: number;
  /** Seconds per phase: generating, writing the operational store, waiting for analytics inserts, checksums. */
  timings: Record<'generate' | 'operational' | 'analytics' | 'checksums', number>;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export class BankNotEmptyError extends Error {
  override name = 'BankNotEmptyError';
}

type Field = string | number | boolean | null | undefined;

/** One CSV field for PostgreSQL COPY (FORMAT csv): null → empty, strings quoted when needed. */
function csv(v: Field): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  return v === '' || /[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}
const hex = (b: Buffer) => `\\x${b.toString('hex')}`;
const tsz = (ts: string | null) => (ts === null ? null : `${ts}+00`);
const pgArray = (xs: readonly string[]) => `{${xs.join(',')}}`;

const COLS = {
  branches: ['id', 'name_zh', 'name_en', 'province', 'city', 'parent_id'],
  users: ['id', 'username', 'display_name', 'role_id', 'branch_id'],
  products: [
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
    'status',
    'launched_at',
  ],
  customers: [
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
    'investor_class',
    'flags',
    'personalised_marketing',
    'status',
  ],
  source_records: [
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
  accounts: [
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
  holdings: [
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
  credit_cards: [
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
  loans: [
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
  consents: [
    'customer_id',
    'purpose',
    'channel',
    'status',
    'notice_version',
    'source',
    'evidence',
    'recorded_at',
    'recorded_by',
  ],
} as const;

/**
 * Columns hashed by the operational checksums: the deterministic content. Left out: ciphertexts (random IVs), serial
 * ids, load-time defaults and keyed hashes (they depend on the master key, which differs per data directory), so two
 * loads into different data directories compare equal; masks stand in for the identity fields.
 */
const PG_CHECKSUM: Readonly<Record<string, string>> = {
  branches: 'id, name_zh, province, city, parent_id',
  users: 'id, username, display_name, role_id, branch_id',
  products: 'id, family, risk_level, benchmark_yield_bp, min_amount_fen, is_private, term_days',
  customers:
    'id, cif, name_masked, gender, birth_date, mobile_masked, province, city, city_tier, county_level, occupation, industry, employer_type, education, marital_status, children_count, housing, city_since, monthly_income_fen, onboarded_at, home_branch_id, rm_user_id, risk_level, risk_assessed_at, investment_experience, investor_class, flags, personalised_marketing, status',
  source_records: 'source_system, source_key, customer_id, birth_date, synthetic_truth_id, received_at',
  accounts: 'id, customer_id, account_no_masked, kind, branch_id, opened_at, closed_at, balance_fen, status',
  holdings: 'id, customer_id, product_id, account_id, amount_fen, signed_at, maturity_date, closed_at, status',
  credit_cards:
    'id, customer_id, product_id, card_no_masked, issued_at, activated_at, limit_fen, bound_to_wallet, status',
  loans:
    'id, customer_id, product_id, principal_fen, outstanding_fen, disbursed_at, maturity_date, overdue_days, status',
  consents: 'customer_id, purpose, channel, status, notice_version, source, evidence, recorded_at',
};

const TSV_TABLES = Object.keys(TSV_COLUMNS) as TsvTable[];

function customerLine(c: SynthCustomer, cipher: PiiCipher): string {
  return [
    c.id,
    c.cif,
    hex(cipher.encrypt(c.name)),
    cipher.hash(c.name),
    maskName(c.name),
    c.gender,
    c.birthDate,
    hex(cipher.encrypt(c.idNumber)),
    cipher.hash(c.idNumber),
    hex(cipher.encrypt(c.mobile)),
    cipher.hash(c.mobile),
    maskMobile(c.mobile),
    c.province,
    c.city,
    c.cityTier,
    c.countyLevel,
    c.occupation,
    c.industry,
    c.employerType,
    c.education,
    c.maritalStatus,
    c.childrenCount,
    c.housing,
    c.citySince,
    c.monthlyIncomeFen,
    c.onboardedAt,
    c.homeBranchId,
    c.rmUserId,
    c.riskLevel,
    tsz(c.riskAssessedAt),
    c.investmentExperience,
    c.investorClass,
    pgArray(c.flags),
    c.personalisedMarketing,
    c.status,
  ]
    .map(csv)
    .join(',');
}

/** Writes the operational rows of one batch (COPY per table, parents before children). Returns rows written. */
async function writeOperational(op: OperationalDb, cipher: PiiCipher, b: SynthBatch): Promise<Record<string, number>> {
  const lines = (rows: readonly Field[][]) => `${rows.map((r) => r.map(csv).join(',')).join('\n')}\n`;
  const n: Record<string, number> = {};
  const copy = async (table: keyof typeof COLS, text: string, count: number) => {
    if (count === 0) return;
    await op.copyCsv(table, COLS[table], text);
    n[table] = count;
  };
  await copy('customers', `${b.customers.map((c) => customerLine(c, cipher)).join('\n')}\n`, b.customers.length);
  await copy(
    'source_records',
    lines(
      b.sourceRecords.map((r) => [
        r.sourceSystem,
        r.sourceKey,
        r.customerId,
        hex(cipher.encrypt(JSON.stringify(r.attrs))),
        r.idNumberForHash === null ? null : cipher.hash(r.idNumberForHash),
        r.mobile === null ? null : cipher.hash(r.mobile),
        r.birthDate,
        r.truthId,
        tsz(r.receivedAt),
      ]),
    ),
    b.sourceRecords.length,
  );
  await copy(
    'accounts',
    lines(
      b.accounts.map((a) => [
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
    b.accounts.length,
  );
  await copy(
    'holdings',
    lines(
      b.holdings.map((h) => [
        h.id,
        h.customerId,
        h.productId,
        h.accountId,
        h.amountFen,
        tsz(h.signedAt),
        h.maturityDate,
        h.closedAt,
        h.status,
      ]),
    ),
    b.holdings.length,
  );
  await copy(
    'credit_cards',
    lines(
      b.cards.map((c) => [
        c.id,
        c.customerId,
        c.productId,
        cipher.hash(c.cardNo),
        maskCard(c.cardNo),
        c.issuedAt,
        c.activatedAt,
        c.limitFen,
        c.boundToWallet,
        c.status,
      ]),
    ),
    b.cards.length,
  );
  await copy(
    'loans',
    lines(
      b.loans.map((l) => [
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
    b.loans.length,
  );
  await copy(
    'consents',
    lines(
      b.consents.map((c) => [
        c.customerId,
        c.purpose,
        c.channel,
        c.status,
        c.noticeVersion,
        c.source,
        c.evidence,
        tsz(c.recordedAt),
        'synth',
      ]),
    ),
    b.consents.length,
  );
  return n;
}

/**
 * Buffers TSV chunks per analytics table and inserts them in large blocks. One insert runs in the background (chDB and
 * ClickHouse do the parsing off the JS thread) while generation and the operational writes go on.
 */
class TsvBuffer {
  private readonly chunks = new Map<string, Uint8Array[]>();
  private readonly pending = new Map<string, number>();
  private inflight: Promise<void> | null = null;
  private failure: unknown = null;

  constructor(
    private readonly an: AnalyticsDb,
    private readonly flushRows: number,
    private readonly columns: Readonly<Record<string, readonly string[]>>,
  ) {}

  async add(table: string, bytes: Uint8Array, rows: number): Promise<void> {
    if (rows === 0) return;
    const list = this.chunks.get(table) ?? [];
    list.push(bytes);
    this.chunks.set(table, list);
    const n = (this.pending.get(table) ?? 0) + rows;
    this.pending.set(table, n);
    if (n >= this.flushRows) await this.flush(table);
  }

  private async settle(): Promise<void> {
    if (this.inflight) await this.inflight;
    this.inflight = null;
    if (this.failure) throw this.failure;
  }

  async flush(table: string): Promise<void> {
    const list = this.chunks.get(table);
    if (!list || list.length === 0) return;
    const payload = Buffer.concat(list);
    this.chunks.set(table, []);
    this.pending.set(table, 0);
    await this.settle();
    const cols = this.columns[table];
    if (!cols) throw new Error(`no columns for ${table}`);
    this.inflight = this.an.insertRaw(table, cols, 'TSV', payload).catch((err: unknown) => {
      this.failure = err;
    });
  }

  async flushAll(): Promise<void> {
    for (const t of this.chunks.keys()) await this.flush(t);
    await this.settle();
  }
}

/** Version of the dim rows written by the loader (a later `syncDimensions` replaces them with a newer one). */
const DIM_VERSION = 1;
const tsvText = (v: Field): string =>
  v === null || v === undefined ? '\\N' : typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
const tsvLine = (fields: readonly Field[]) => `${fields.map(tsvText).join('\t')}\t${DIM_VERSION}\n`;

/** The dim_* rows of one batch, straight from the generated entities (same content as `syncDimensions` produces). */
function dimTsv(
  b: SynthBatch,
  family: ReadonlyMap<string, string>,
): Record<string, { bytes: Uint8Array; rows: number }> {
  const enc = (lines: string[]) => ({ bytes: Buffer.from(lines.join(''), 'utf8'), rows: lines.length });
  return {
    dim_customers: enc(
      b.customers.map((c) =>
        tsvLine([
          c.id,
          c.gender,
          c.birthDate,
          c.province,
          c.city,
          c.cityTier,
          c.countyLevel,
          c.occupation,
          c.industry ?? '',
          c.employerType ?? '',
          c.education,
          c.maritalStatus,
          c.childrenCount,
          c.housing,
          c.citySince,
          c.monthlyIncomeFen,
          c.onboardedAt,
          c.homeBranchId,
          c.rmUserId ?? '',
          c.riskLevel ?? '',
          c.riskAssessedAt,
          c.investmentExperience,
          `[${c.flags.map((f) => `'${f}'`).join(',')}]`,
          c.personalisedMarketing,
          c.status,
        ]),
      ),
    ),
    dim_accounts: enc(
      b.accounts.map((a) => tsvLine([a.id, a.customerId, a.kind, a.openedAt, a.closedAt, a.balanceFen, a.status])),
    ),
    dim_holdings: enc(
      b.holdings.map((h) =>
        tsvLine([
          h.id,
          h.customerId,
          h.productId,
          family.get(h.productId) ?? '',
          h.amountFen,
          h.signedAt,
          h.maturityDate,
          h.closedAt,
          h.status,
        ]),
      ),
    ),
    dim_cards: enc(
      b.cards.map((c) =>
        tsvLine([c.id, c.customerId, c.productId, c.issuedAt, c.activatedAt, c.limitFen, c.boundToWallet, c.status]),
      ),
    ),
    dim_loans: enc(
      b.loans.map((l) =>
        tsvLine([
          l.id,
          l.customerId,
          l.productId,
          family.get(l.productId) ?? '',
          l.principalFen,
          l.outstandingFen,
          l.disbursedAt,
          l.maturityDate,
          l.overdueDays,
          l.status,
        ]),
      ),
    ),
  };
}

const BULK_TABLES = ['customers', 'source_records', 'accounts', 'holdings', 'credit_cards', 'loans', 'consents'];

/**
 * Secondary indexes of the bulk tables (not those backing primary-key or unique constraints), read from the catalogue
 * so indexes added by later migrations are covered too. The loader drops them while the (empty) tables are filled and
 * rebuilds them from their own definitions afterwards — a sorted build is several times faster than row-by-row upkeep.
 */
async function secondaryIndexes(op: OperationalDb): Promise<{ name: string; def: string }[]> {
  const { rows } = await op.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def
       FROM pg_indexes i
      WHERE i.schemaname = current_schema() AND i.tablename = ANY($1::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
      ORDER BY i.indexname`,
    [BULK_TABLES],
  );
  return rows;
}

async function isEmpty(stores: SynthStores): Promise<{ customers: number; transactions: number }> {
  const { rows } = await stores.op.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
  const [t] = await stores.an.query<{ n: string }>('SELECT toString(count()) AS n FROM transactions');
  return { customers: rows[0]?.n ?? 0, transactions: Number(t?.n ?? 0) };
}

/** Row counts and order-independent content checksums of every table the synthetic bank fills. */
export async function synthChecksums(
  stores: SynthStores,
): Promise<{ rows: Record<string, number>; checksums: Record<string, string> }> {
  const rows: Record<string, number> = {};
  const checksums: Record<string, string> = {};
  for (const [table, cols] of Object.entries(PG_CHECKSUM)) {
    const { rows: r } = await stores.op.query<{ n: string; h: string }>(
      `SELECT count(*)::text AS n,
              COALESCE(sum(('x' || substr(md5(ROW(${cols})::text), 1, 15))::bit(60)::bigint), 0)::text AS h
         FROM ${table}`,
    );
    rows[table] = Number(r[0]?.n ?? 0);
    checksums[table] = `${r[0]?.n ?? '0'}:${r[0]?.h ?? '0'}`;
  }
  for (const table of TSV_TABLES) {
    const [r] = await stores.an.query<{ n: string; h: string }>(
      `SELECT toString(count()) AS n, toString(sum(cityHash64(toString(tuple(${TSV_COLUMNS[table].join(', ')}))))) AS h FROM ${table}`,
    );
    rows[table] = Number(r?.n ?? 0);
    checksums[table] = `${r?.n ?? '0'}:${r?.h ?? '0'}`;
  }
  for (const [table, sum] of Object.entries(await dimChecksums(stores.an))) {
    rows[table] = Number(sum.split(':')[0] ?? 0);
    checksums[table] = sum;
  }
  return { rows, checksums };
}

/** Generates and loads the synthetic bank. Throws `BankNotEmptyError` when customers or transactions exist. */
export async function loadSyntheticBank(
  stores: SynthStores,
  cipher: PiiCipher,
  options: LoadOptions,
): Promise<LoadResult> {
  const parsed = loadOptionsSchema.safeParse(options);
  if (!parsed.success) throw new RangeError(parsed.error.issues.map((i) => i.message).join('; '));
  const opts = parsed.data;
  const progress = options.onProgress;
  const t0 = performance.now();
  const existing = await isEmpty(stores);
  if (existing.customers > 0 || existing.transactions > 0)
    throw new BankNotEmptyError(
      `the bank is not empty (${existing.customers} customers, ${existing.transactions} transactions): ` +
        'load the synthetic bank into fresh stores (a new data directory)',
    );

  const bank = createSyntheticBank({
    customers: opts.customers,
    seed: opts.seed,
    duplicates: opts.duplicates,
    batchSize: opts.batchSize,
    ...(opts.asOf ? { asOf: opts.asOf } : {}),
  });

  // Reference data; rows that already exist (e.g. branches created by an administrator) are kept.
  const { rows: haveBranches } = await stores.op.query<{ id: string }>('SELECT id FROM branches');
  const branchIds = new Set(haveBranches.map((r) => r.id));
  const branches = bank.branches.filter((b) => !branchIds.has(b.id));
  if (branches.length)
    await stores.op.copyCsv(
      'branches',
      COLS.branches,
      `${branches.map((b) => [b.id, b.nameZh, b.nameEn, b.province, b.city, b.parentId].map(csv).join(',')).join('\n')}\n`,
    );
  const { rows: haveUsers } = await stores.op.query<{ id: string; username: string }>('SELECT id, username FROM users');
  const userIds = new Set(haveUsers.flatMap((r) => [r.id, `name:${r.username}`]));
  const users = bank.users.filter((u) => !userIds.has(u.id) && !userIds.has(`name:${u.username}`));
  if (users.length < bank.users.length)
    throw new BankNotEmptyError('relationship-manager users of the synthetic bank already exist: use fresh stores');
  await stores.op.copyCsv(
    'users',
    COLS.users,
    `${users.map((u) => [u.id, u.username, u.displayName, u.roleId, u.branchId].map(csv).join(',')).join('\n')}\n`,
  );
  const { rows: haveProducts } = await stores.op.query<{ id: string }>('SELECT id FROM products');
  const productIds = new Set(haveProducts.map((r) => r.id));
  const products = bank.products.filter((p) => !productIds.has(p.id));
  if (products.length)
    await stores.op.copyCsv(
      'products',
      COLS.products,
      `${products
        .map((p) =>
          [
            p.id,
            p.nameZh,
            p.nameEn,
            p.family,
            p.riskLevel,
            p.riskRatedAt,
            p.benchmarkYieldBp,
            p.minAmountFen,
            p.isPrivate,
            p.termDays,
            p.issuer,
            p.status,
            p.launchedAt,
          ]
            .map(csv)
            .join(','),
        )
        .join('\n')}\n`,
    );

  const columns: Record<string, readonly string[]> = { ...TSV_COLUMNS };
  for (const [t, cols] of Object.entries(DIM_COLUMNS)) columns[t] = [...cols, 'version'];
  const tsv = new TsvBuffer(stores.an, opts.flushRows, columns);
  const family = new Map(bank.products.map((p) => [p.id, p.family as string]));
  await tsv.add(
    'dim_products',
    Buffer.from(
      bank.products.map((p) => tsvLine([p.id, p.family, p.riskLevel, p.isPrivate, p.termDays])).join(''),
      'utf8',
    ),
    bank.products.length,
  );
  let written = branches.length + users.length + products.length + bank.products.length;
  const counted: Record<string, number> = {
    branches: branches.length,
    users: users.length,
    products: products.length,
    dim_products: bank.products.length,
  };
  const count = (t: string, k: number) => {
    counted[t] = (counted[t] ?? 0) + k;
    written += k;
  };
  let done = 0;
  const timings = { generate: 0, operational: 0, analytics: 0, checksums: 0 };
  let tick = performance.now();
  const lap = (phase: keyof typeof timings) => {
    const now = performance.now();
    timings[phase] += (now - tick) / 1000;
    tick = now;
  };
  const deferred = await secondaryIndexes(stores.op);
  for (const ix of deferred) await stores.op.exec(`DROP INDEX IF EXISTS ${quoteIdent(ix.name)}`);
  try {
    await loadBatches();
  } finally {
    for (const ix of deferred)
      await stores.op.exec(ix.def.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX IF NOT EXISTS '));
    lap('operational');
  }

  async function loadBatches(): Promise<void> {
    const it = bank.batches();
    for (;;) {
      tick = performance.now();
      const next = it.next();
      lap('generate');
      if (next.done) break;
      const b = next.value;
      const n = await writeOperational(stores.op, cipher, b);
      for (const [t, v] of Object.entries(n)) count(t, v);
      lap('operational');
      for (const t of TSV_TABLES) {
        await tsv.add(t, b.tsv[t], b.tsvRows[t]);
        count(t, b.tsvRows[t]);
      }
      for (const [t, d] of Object.entries(dimTsv(b, family))) {
        await tsv.add(t, d.bytes, d.rows);
        count(t, d.rows);
      }
      lap('analytics');
      done += b.customerCount;
      progress?.({ phase: 'generate', done, total: opts.customers, rows: written });
    }
    await tsv.flushAll();
    lap('analytics');
  }

  let rows: Record<string, number> = {};
  let checksums: Record<string, string> = {};
  if (opts.checksums) {
    progress?.({ phase: 'checksums', done: 0, total: opts.customers, rows: written });
    ({ rows, checksums } = await synthChecksums(stores));
  } else rows = counted;
  lap('checksums');
  const seconds = (performance.now() - t0) / 1000;
  const totalRows = opts.checksums ? Object.values(rows).reduce((a, v) => a + v, 0) : written;
  return {
    ok: true,
    customers: opts.customers,
    seed: opts.seed,
    asOf: bank.asOf,
    duplicates: opts.duplicates,
    rows,
    checksums,
    totalRows,
    seconds,
    rowsPerSecond: totalRows / seconds,
    timings,
  };
}
