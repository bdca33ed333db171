/**
 * All SQL of the import module: import runs and quarantine (operational store), loading of customers, source records
 * and accounts (operational), and of transactions and app events (analytics, TSV payloads). Bound parameters only.
 */
import type { AnalyticsDb } from '../../db/analytics.ts';
import type { OperationalQueryable, SqlParam } from '../../db/operational.ts';

export const RUN_STATUSES = ['running', 'completed', 'failed', 'refused', 'skipped'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface ImportRunRow {
  id: string;
  source: string;
  schema_version: number;
  file_name: string;
  file_sha256: string;
  format: string;
  status: RunStatus;
  rows_total: number;
  rows_loaded: number;
  rows_duplicate: number;
  rows_quarantined: number;
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
}

const RUN_COLUMNS = `id, source, schema_version, file_name, file_sha256, format, status, rows_total, rows_loaded,
  rows_duplicate, rows_quarantined, error, started_at, finished_at`;

/** `($1, $2, …), ($n+1, …)` for a multi-row INSERT of `rows` rows of `width` parameters. */
function valuesList(rows: number, width: number, casts: readonly string[] = []): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < width; c++) cells.push(`$${r * width + c + 1}${casts[c] ?? ''}`);
    out.push(`(${cells.join(', ')})`);
  }
  return out.join(', ');
}

// --- runs ------------------------------------------------------------------------------------------------------------

export async function findCompletedRun(
  db: OperationalQueryable,
  source: string,
  sha256: string,
): Promise<string | null> {
  const r = await db.query<{ id: string }>(
    `SELECT id FROM import_runs WHERE source = $1 AND file_sha256 = $2 AND status = 'completed'
      ORDER BY started_at, id LIMIT 1`,
    [source, sha256],
  );
  return r.rows[0]?.id ?? null;
}

export interface NewRun {
  id: string;
  source: string;
  schemaVersion: number;
  fileName: string;
  sha256: string;
  format: string;
  mapping: unknown;
  status: RunStatus;
  error?: string | null;
}

export async function insertRun(db: OperationalQueryable, run: NewRun): Promise<void> {
  const finished = run.status === 'running' ? null : new Date();
  await db.query(
    `INSERT INTO import_runs (id, source, schema_version, file_name, file_sha256, format, mapping, status, error, finished_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      run.id,
      run.source,
      run.schemaVersion,
      run.fileName,
      run.sha256,
      run.format,
      run.mapping === undefined || run.mapping === null ? null : JSON.stringify(run.mapping),
      run.status,
      run.error ?? null,
      finished,
    ],
  );
}

export interface RunCounts {
  rowsTotal: number;
  rowsLoaded: number;
  rowsDuplicate: number;
  rowsQuarantined: number;
}

export async function finishRun(
  db: OperationalQueryable,
  id: string,
  status: RunStatus,
  counts: RunCounts,
  error: string | null,
): Promise<void> {
  await db.query(
    `UPDATE import_runs SET status = $2, rows_total = $3, rows_loaded = $4, rows_duplicate = $5, rows_quarantined = $6,
       error = $7, finished_at = now() WHERE id = $1`,
    [id, status, counts.rowsTotal, counts.rowsLoaded, counts.rowsDuplicate, counts.rowsQuarantined, error],
  );
}

export async function listRuns(
  db: OperationalQueryable,
  opts: { limit: number; source?: string | undefined },
): Promise<ImportRunRow[]> {
  const params: SqlParam[] = [opts.limit];
  let where = '';
  if (opts.source !== undefined) {
    params.push(opts.source);
    where = 'WHERE source = $2';
  }
  const r = await db.query<ImportRunRow>(
    `SELECT ${RUN_COLUMNS} FROM import_runs ${where} ORDER BY started_at DESC, id DESC LIMIT $1`,
    params,
  );
  return r.rows;
}

export async function getRun(db: OperationalQueryable, id: string): Promise<ImportRunRow | null> {
  const r = await db.query<ImportRunRow>(`SELECT ${RUN_COLUMNS} FROM import_runs WHERE id = $1`, [id]);
  return r.rows[0] ?? null;
}

// --- quarantine ------------------------------------------------------------------------------------------------------

export interface QuarantineInsert {
  line: number;
  field: string | null;
  reason: string;
  rawEnc: Buffer | null;
}

export async function insertQuarantine(
  db: OperationalQueryable,
  runId: string,
  fileName: string,
  rows: readonly QuarantineInsert[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const params: SqlParam[] = [];
    for (const q of chunk) params.push(runId, fileName, q.line, q.field, q.reason, q.rawEnc);
    await db.query(
      `INSERT INTO import_quarantine (run_id, file_name, line, field, reason, raw_enc) VALUES ${valuesList(chunk.length, 6)}`,
      params,
    );
  }
}

export interface QuarantineRow {
  id: string;
  file_name: string;
  line: number;
  field: string | null;
  reason: string;
  created_at: Date;
}

export async function listQuarantine(
  db: OperationalQueryable,
  runId: string,
  opts: { limit: number; offset: number },
): Promise<{ total: number; rows: QuarantineRow[] }> {
  const total = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM import_quarantine WHERE run_id = $1', [
    runId,
  ]);
  const r = await db.query<QuarantineRow>(
    `SELECT id::text AS id, file_name, line, field, reason, created_at FROM import_quarantine
      WHERE run_id = $1 ORDER BY line, id LIMIT $2 OFFSET $3`,
    [runId, opts.limit, opts.offset],
  );
  return { total: total.rows[0]?.n ?? 0, rows: r.rows };
}

export async function quarantineRaw(
  db: OperationalQueryable,
  runId: string,
  ids: readonly string[],
): Promise<{ id: string; raw_enc: Uint8Array | null }[]> {
  const r = await db.query<{ id: string; raw_enc: Uint8Array | null }>(
    'SELECT id::text AS id, raw_enc FROM import_quarantine WHERE run_id = $1 AND id = ANY($2::bigint[])',
    [runId, ids],
  );
  return r.rows;
}

// --- reference lookups -----------------------------------------------------------------------------------------------

export async function knownBranches(db: OperationalQueryable, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const r = await db.query<{ id: string }>('SELECT id FROM branches WHERE id = ANY($1::text[])', [ids]);
  return new Set(r.rows.map((x) => x.id));
}

export interface CustomerRef {
  key: string;
  /** The customer to attach facts to: the survivor when the record was merged. */
  id: number;
  status: string;
}

export async function customersByCif(db: OperationalQueryable, cifs: readonly string[]): Promise<CustomerRef[]> {
  if (cifs.length === 0) return [];
  const r = await db.query<{ key: string; id: string | number; status: string }>(
    'SELECT cif AS key, COALESCE(merged_into, id) AS id, status FROM customers WHERE cif = ANY($1::text[])',
    [cifs],
  );
  return r.rows.map((x) => ({ key: x.key, id: Number(x.id), status: x.status }));
}

export async function customersById(db: OperationalQueryable, ids: readonly number[]): Promise<CustomerRef[]> {
  if (ids.length === 0) return [];
  const r = await db.query<{ key: string; id: string | number; status: string }>(
    'SELECT id::text AS key, COALESCE(merged_into, id) AS id, status FROM customers WHERE id = ANY($1::bigint[])',
    [ids],
  );
  return r.rows.map((x) => ({ key: x.key, id: Number(x.id), status: x.status }));
}

// --- customers ---------------------------------------------------------------------------------------------------------

/** Serialises customer-id allocation across concurrent imports (transaction-scoped advisory lock). */
export async function lockCustomerIds(tx: OperationalQueryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [7_305_111]);
}

export async function existingCifs(db: OperationalQueryable, cifs: readonly string[]): Promise<Set<string>> {
  if (cifs.length === 0) return new Set();
  const r = await db.query<{ cif: string }>('SELECT cif FROM customers WHERE cif = ANY($1::text[])', [cifs]);
  return new Set(r.rows.map((x) => x.cif));
}

export async function maxCustomerId(tx: OperationalQueryable): Promise<number> {
  const r = await tx.query<{ m: string | number }>('SELECT COALESCE(max(id), 0) AS m FROM customers');
  return Number(r.rows[0]?.m ?? 0);
}

export interface CustomerInsert {
  id: number;
  cif: string;
  nameEnc: Buffer;
  nameHash: string;
  nameMasked: string;
  gender: string;
  birthDate: string;
  idNumberEnc: Buffer | null;
  idNumberHash: string | null;
  mobileEnc: Buffer | null;
  mobileHash: string | null;
  mobileMasked: string | null;
  province: string;
  city: string;
  cityTier: number;
  countyLevel: boolean;
  occupation: string;
  industry: string | null;
  employerType: string | null;
  education: string | null;
  maritalStatus: string | null;
  childrenCount: number;
  housing: string | null;
  citySince: string | null;
  monthlyIncomeFen: number | null;
  onboardedAt: string | null;
  homeBranchId: string | null;
  riskLevel: string | null;
  riskAssessedAt: string | null;
  /** Encrypted JSON of the source record's PII attributes. */
  attrsEnc: Buffer;
}

const CUSTOMER_COLUMNS = [
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
  'risk_level',
  'risk_assessed_at',
] as const;

/**
 * Inserts customers and their core-banking source records; a CIF that appeared meanwhile is left alone.
 * Returns the CIFs actually inserted.
 */
export async function insertCustomers(
  tx: OperationalQueryable,
  sourceSystem: string,
  rows: readonly CustomerInsert[],
): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const params: SqlParam[] = [];
    for (const c of chunk) {
      params.push(
        c.id,
        c.cif,
        c.nameEnc,
        c.nameHash,
        c.nameMasked,
        c.gender,
        c.birthDate,
        c.idNumberEnc,
        c.idNumberHash,
        c.mobileEnc,
        c.mobileHash,
        c.mobileMasked,
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
        c.riskLevel,
        c.riskAssessedAt,
      );
    }
    const r = await tx.query<{ cif: string }>(
      `INSERT INTO customers (${CUSTOMER_COLUMNS.join(', ')}) VALUES ${valuesList(chunk.length, CUSTOMER_COLUMNS.length)}
       ON CONFLICT (cif) DO NOTHING RETURNING cif`,
      params,
    );
    for (const x of r.rows) inserted.add(x.cif);
    const recs = chunk.filter((c) => inserted.has(c.cif));
    if (recs.length === 0) continue;
    const rp: SqlParam[] = [];
    for (const c of recs) rp.push(sourceSystem, c.cif, c.id, c.attrsEnc, c.idNumberHash, c.mobileHash, c.birthDate);
    await tx.query(
      `INSERT INTO source_records (source_system, source_key, customer_id, attrs_enc, id_number_hash, mobile_hash, birth_date)
       VALUES ${valuesList(recs.length, 7)} ON CONFLICT (source_system, source_key) DO NOTHING`,
      rp,
    );
  }
  return inserted;
}

// --- accounts ----------------------------------------------------------------------------------------------------------

export async function existingAccountIds(db: OperationalQueryable, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const r = await db.query<{ id: string }>('SELECT id::text AS id FROM accounts WHERE id = ANY($1::bigint[])', [ids]);
  return new Set(r.rows.map((x) => x.id));
}

export interface AccountInsert {
  id: string;
  customerId: number;
  accountNoHash: string;
  accountNoMasked: string;
  kind: string;
  branchId: string | null;
  openedAt: string;
  closedAt: string | null;
  balanceFen: number;
  status: string;
}

/** Inserts accounts; an id that appeared meanwhile is left alone. Returns the ids inserted. */
export async function insertAccounts(db: OperationalQueryable, rows: readonly AccountInsert[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = rows.slice(i, i + 2000);
    const params: SqlParam[] = [];
    for (const a of chunk)
      params.push(
        a.id,
        a.customerId,
        a.accountNoHash,
        a.accountNoMasked,
        a.kind,
        a.branchId,
        a.openedAt,
        a.closedAt,
        a.balanceFen,
        a.status,
      );
    const r = await db.query<{ id: string }>(
      `INSERT INTO accounts (id, customer_id, account_no_hash, account_no_masked, kind, branch_id, opened_at, closed_at,
         balance_fen, status) VALUES ${valuesList(chunk.length, 10)} ON CONFLICT (id) DO NOTHING RETURNING id::text AS id`,
      params,
    );
    for (const x of r.rows) inserted.add(x.id);
  }
  return inserted;
}

// --- analytics facts ------------------------------------------------------------------------------------------------

export const TRANSACTION_COLUMNS = [
  'txn_id',
  'customer_id',
  'account_id',
  'ts',
  'amount_fen',
  'direction',
  'channel',
  'txn_type',
  'merchant_category',
  'counterparty_type',
  'cross_border',
  'import_run_id',
] as const;

export const APP_EVENT_COLUMNS = [
  'event_id',
  'customer_id',
  'ts',
  'event_type',
  'page',
  'product_id',
  'product_family',
  'session_id',
  'duration_s',
  'device_id',
  'ip',
  'import_run_id',
] as const;

/** Which of the given keys already exist (looked up within the customers' primary-key range). */
export async function existingFactKeys(
  an: AnalyticsDb,
  table: 'transactions' | 'app_events',
  customerIds: readonly number[],
  keys: readonly string[],
): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const key = table === 'transactions' ? 'txn_id' : 'event_id';
  const rows = await an.query<{ k: string }>(
    `SELECT DISTINCT toString(${key}) AS k FROM ${table}
      WHERE customer_id IN {c:Array(UInt32)} AND toString(${key}) IN {k:Array(String)}`,
    { c: customerIds, k: keys },
  );
  return new Set(rows.map((r) => r.k));
}

export async function insertFactsTsv(
  an: AnalyticsDb,
  table: 'transactions' | 'app_events',
  payload: Buffer,
): Promise<void> {
  await an.insertRaw(table, table === 'transactions' ? TRANSACTION_COLUMNS : APP_EVENT_COLUMNS, 'TSV', payload);
}
