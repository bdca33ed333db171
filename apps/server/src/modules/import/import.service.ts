/**
 * `lingxi import`: batch import of a source file (CSV, JSON Lines, Parquet) under a declared source schema.
 *
 * 1. The file's SHA-256 is computed first (streamed). A completed run of the same source and hash makes the import a
 *    no-op ('skipped', pointing at that run) unless forced. Rows are idempotent by natural key as well (cif, account
 *    id, txn_id, event_id), so a different file with overlapping rows adds nothing twice, and re-running a failed run
 *    loads only what is missing.
 * 2. A file with a column that holds C3 authentication data (rule P8) is refused before anything loads.
 * 3. Rows are streamed, validated (zod, per the schema and the mapping file), and loaded in batches: customers and
 *    accounts into the operational store (C2 fields encrypted, keyed hashes, masks; a source record per customer),
 *    transactions and app events into the analytics store (TSV). Every bad row goes to `import_quarantine` with file,
 *    line, field, reason and the raw row encrypted; quarantined rows do not fail the run.
 * 4. The run and its counts are recorded in `import_runs`.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type CompiledSource, compileSource, type MappingFile, parseMapping } from '@lingxi/core/ingest/mapping';
import {
  type AccountRow,
  type AppEventRow,
  type CustomerRow,
  defaultCityTier,
  findC3Columns,
  getSourceSchema,
  type RawValue,
  SOURCE_NAMES,
  type SourceName,
  SourceSchemaError,
  type TransactionRow,
} from '@lingxi/core/ingest/source-schemas';
import { maskAccount, maskMobile, maskName } from '@lingxi/core/pii/masking';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { AnalyticsDb } from '../../db/analytics.ts';
import type { OperationalDb } from '../../db/operational.ts';
import type { PiiCipher } from '../../security/crypto.ts';
import { syncDimensions } from '../dims/dims.service.ts';
import { FILE_FORMATS, type FileFormat, formatFromExtension, openReader, scanFile } from './import.readers.ts';
import {
  type AccountInsert,
  type CustomerInsert,
  type CustomerRef,
  customersByCif,
  customersById,
  existingAccountIds,
  existingCifs,
  existingFactKeys,
  findCompletedRun,
  finishRun,
  getRun,
  type ImportRunRow,
  insertAccounts,
  insertCustomers,
  insertFactsTsv,
  insertQuarantine,
  insertRun,
  knownBranches,
  listQuarantine,
  listRuns,
  lockCustomerIds,
  maxCustomerId,
  type QuarantineInsert,
  type QuarantineRow,
  quarantineRaw,
  type RunCounts,
  type RunStatus,
} from './import.repo.ts';

export interface ImportStores {
  op: OperationalDb;
  an: AnalyticsDb;
}

export const importRequestSchema = z
  .object({
    source: z.enum(SOURCE_NAMES),
    file: z.string().min(1),
    format: z.enum(FILE_FORMATS).optional(),
    mappingFile: z.string().min(1).optional(),
    schemaVersion: z.number().int().positive().optional(),
    /** Process the file even when the same content was imported before (rows still dedupe by natural key). */
    force: z.boolean().optional(),
    /** Rows per load batch (default: 1,000 for the operational store, 20,000 for analytics). */
    batchSize: z.number().int().min(1).max(200_000).optional(),
  })
  .strict();
export type ImportRequest = z.input<typeof importRequestSchema>;

export interface ImportProgress {
  rows: number;
  /** Fraction of the file consumed, 0..1. */
  fraction: number;
}

export interface ImportHooks {
  onProgress?: (p: ImportProgress) => void;
}

export interface QuarantineSample {
  line: number;
  field: string | null;
  reason: string;
}

export type ImportStatus = Exclude<RunStatus, 'running'>;

export interface ImportReport {
  /** The run; for 'skipped', the earlier completed run whose results stand. */
  runId: string;
  status: ImportStatus;
  source: SourceName;
  schemaVersion: number;
  file: string;
  format: FileFormat;
  sha256: string;
  rowsTotal: number;
  rowsLoaded: number;
  rowsDuplicate: number;
  rowsQuarantined: number;
  /** The first quarantined rows (at most 20). */
  quarantineSample: QuarantineSample[];
  /** File columns no field reads (not loaded). */
  ignoredColumns: string[];
  /** Why the run failed or was refused. */
  error?: string;
  /** 'skipped' only: the id of this (recorded) skipped attempt. */
  attemptRunId?: string;
  seconds: number;
}

/** Bad input of an import request, before any run is recorded: names the field and the reason. */
export class ImportRequestError extends Error {
  override name = 'ImportRequestError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

const SAMPLE_SIZE = 20;
const SOURCE_SYSTEM = 'core_banking';

function newRunId(): string {
  const ts = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `imp-${ts}-${randomBytes(4).toString('hex')}`;
}

/** Reads and validates a mapping file (YAML or JSON). */
export function loadMappingFile(path: string): MappingFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ImportRequestError(
      'mappingFile',
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ImportRequestError('mappingFile', `not valid YAML/JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  try {
    return parseMapping(doc);
  } catch (err) {
    if (err instanceof SourceSchemaError) throw new ImportRequestError(err.field, err.reason);
    throw err;
  }
}

function rawJson(values: Readonly<Record<string, RawValue>> | string): string {
  if (typeof values === 'string') return values;
  return JSON.stringify(values, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

function safeMessage(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.length > 500 ? `${m.slice(0, 500)}…` : m;
}

// --- loaders ---------------------------------------------------------------------------------------------------------

interface Pending<Row> {
  line: number;
  row: Row;
  raw: Readonly<Record<string, RawValue>>;
}

interface Rejected {
  line: number;
  field: string;
  reason: string;
  raw: Readonly<Record<string, RawValue>>;
}

interface FlushResult {
  loaded: number;
  duplicate: number;
  rejected: Rejected[];
}

interface Loader<Row> {
  batchSize: number;
  flush(batch: Pending<Row>[]): Promise<FlushResult>;
  finish(): Promise<void>;
}

function dedupeBatch<Row>(batch: Pending<Row>[], key: (r: Row) => string): { unique: Pending<Row>[]; dup: number } {
  const seen = new Set<string>();
  const unique: Pending<Row>[] = [];
  for (const p of batch) {
    const k = key(p.row);
    if (seen.has(k)) continue;
    seen.add(k);
    unique.push(p);
  }
  return { unique, dup: batch.length - unique.length };
}

function customerLoader(stores: ImportStores, cipher: PiiCipher, batchSize: number): Loader<CustomerRow> {
  const newIds: number[] = [];
  return {
    batchSize,
    async flush(batch) {
      const { unique, dup } = dedupeBatch(batch, (r) => r.cif);
      const rejected: Rejected[] = [];
      const result = await stores.op.transaction(async (tx) => {
        await lockCustomerIds(tx);
        const existing = await existingCifs(
          tx,
          unique.map((p) => p.row.cif),
        );
        const branchIds = [...new Set(unique.map((p) => p.row.home_branch).filter((b): b is string => b !== null))];
        const branches = await knownBranches(tx, branchIds);
        let nextId = (await maxCustomerId(tx)) + 1;
        const inserts: CustomerInsert[] = [];
        for (const p of unique) {
          const r = p.row;
          if (existing.has(r.cif)) continue;
          if (r.home_branch !== null && !branches.has(r.home_branch)) {
            rejected.push({
              line: p.line,
              field: 'home_branch',
              reason: `home_branch: unknown branch '${r.home_branch}' (not in branches)`,
              raw: p.raw,
            });
            continue;
          }
          const countyLevel = r.county_level ?? false;
          const attrs: Record<string, string> = {
            name: r.name,
            gender: r.gender,
            birth_date: r.birth_date,
            province: r.province,
            city: r.city,
            occupation: r.occupation,
          };
          if (r.id_number !== null) {
            attrs.id_type = r.id_type;
            attrs.id_number = r.id_number;
          }
          if (r.mobile !== null) attrs.mobile = r.mobile;
          if (r.address !== null) attrs.address = r.address;
          inserts.push({
            id: nextId++,
            cif: r.cif,
            nameEnc: cipher.encrypt(r.name),
            nameHash: cipher.hash(r.name),
            nameMasked: maskName(r.name),
            gender: r.gender,
            birthDate: r.birth_date,
            idNumberEnc: r.id_number === null ? null : cipher.encrypt(r.id_number),
            idNumberHash: r.id_number === null ? null : cipher.hash(r.id_number),
            mobileEnc: r.mobile === null ? null : cipher.encrypt(r.mobile),
            mobileHash: r.mobile === null ? null : cipher.hash(r.mobile),
            mobileMasked: r.mobile === null ? null : maskMobile(r.mobile),
            province: r.province,
            city: r.city,
            cityTier: r.city_tier ?? defaultCityTier(r.city, countyLevel),
            countyLevel,
            occupation: r.occupation,
            industry: r.industry,
            employerType: r.employer_type,
            education: r.education,
            maritalStatus: r.marital_status,
            childrenCount: r.children_count ?? 0,
            housing: r.housing,
            citySince: r.city_since,
            monthlyIncomeFen: r.monthly_income,
            onboardedAt: r.onboarded_at,
            homeBranchId: r.home_branch,
            riskLevel: r.risk_level,
            riskAssessedAt: r.risk_assessed_at,
            attrsEnc: cipher.encrypt(JSON.stringify(attrs)),
          });
        }
        const inserted = await insertCustomers(tx, SOURCE_SYSTEM, inserts);
        for (const c of inserts) if (inserted.has(c.cif)) newIds.push(c.id);
        return { loaded: inserted.size, duplicate: dup + (unique.length - rejected.length - inserted.size) };
      });
      return { ...result, rejected };
    },
    async finish() {
      if (newIds.length > 0) await syncDimensions(stores, { customerIds: newIds });
    },
  };
}

/** Resolves cif / customer_id references to customer ids, with a bounded cache. */
class CustomerResolver {
  private readonly byCif = new Map<string, CustomerRef | null>();
  private readonly byId = new Map<number, CustomerRef | null>();
  constructor(private readonly stores: ImportStores) {}

  async prime(cifs: readonly string[], ids: readonly number[]): Promise<void> {
    if (this.byCif.size > 500_000) this.byCif.clear();
    if (this.byId.size > 500_000) this.byId.clear();
    const missingCifs = [...new Set(cifs)].filter((c) => !this.byCif.has(c));
    const missingIds = [...new Set(ids)].filter((i) => !this.byId.has(i));
    for (const c of missingCifs) this.byCif.set(c, null);
    for (const i of missingIds) this.byId.set(i, null);
    for (const r of await customersByCif(this.stores.op, missingCifs)) this.byCif.set(r.key, r);
    for (const r of await customersById(this.stores.op, missingIds)) this.byId.set(Number(r.key), r);
  }

  /** The customer, or the reason the reference is rejected (field + reason). */
  resolve(ref: { cif: string | null; customer_id: number | null }): CustomerRef | { field: string; reason: string } {
    const found = ref.cif !== null ? this.byCif.get(ref.cif) : this.byId.get(ref.customer_id as number);
    const field = ref.cif !== null ? 'cif' : 'customer_id';
    const shown = ref.cif !== null ? `'${ref.cif}'` : String(ref.customer_id);
    if (!found) return { field, reason: `${field}: unknown customer ${shown} (import the customer first)` };
    if (found.status === 'erased') return { field, reason: `${field}: customer ${shown} was erased (rule P5)` };
    return found;
  }
}

function accountLoader(stores: ImportStores, cipher: PiiCipher, batchSize: number): Loader<AccountRow> {
  const resolver = new CustomerResolver(stores);
  const touched = new Set<number>();
  return {
    batchSize,
    async flush(batch) {
      const { unique, dup } = dedupeBatch(batch, (r) => r.account_id);
      const rejected: Rejected[] = [];
      await resolver.prime(
        unique.map((p) => p.row.cif),
        [],
      );
      const existing = await existingAccountIds(
        stores.op,
        unique.map((p) => p.row.account_id),
      );
      const branchIds = [...new Set(unique.map((p) => p.row.branch).filter((b): b is string => b !== null))];
      const branches = await knownBranches(stores.op, branchIds);
      const inserts: AccountInsert[] = [];
      let duplicate = dup;
      for (const p of unique) {
        const r = p.row;
        if (existing.has(r.account_id)) {
          duplicate++;
          continue;
        }
        const c = resolver.resolve({ cif: r.cif, customer_id: null });
        if ('reason' in c) {
          rejected.push({ line: p.line, field: c.field, reason: c.reason, raw: p.raw });
          continue;
        }
        if (r.branch !== null && !branches.has(r.branch)) {
          rejected.push({
            line: p.line,
            field: 'branch',
            reason: `branch: unknown branch '${r.branch}' (not in branches)`,
            raw: p.raw,
          });
          continue;
        }
        const accountNo = r.account_no.replace(/[\s\u3000-]/g, '');
        inserts.push({
          id: r.account_id,
          customerId: c.id,
          accountNoHash: cipher.hash(accountNo),
          accountNoMasked: maskAccount(accountNo),
          kind: r.kind,
          branchId: r.branch,
          openedAt: r.opened_at,
          closedAt: r.closed_at,
          balanceFen: r.balance,
          status: r.status,
        });
      }
      const inserted = await insertAccounts(stores.op, inserts);
      for (const a of inserts) if (inserted.has(a.id)) touched.add(a.customerId);
      duplicate += inserts.length - inserted.size;
      return { loaded: inserted.size, duplicate, rejected };
    },
    async finish() {
      if (touched.size > 0) await syncDimensions(stores, { customerIds: [...touched] });
    },
  };
}

/** TSV cell: backslash escapes for `\`, tab, newline, carriage return. */
function tsv(s: string): string {
  return /[\\\t\n\r]/.test(s)
    ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : s;
}

/** ISO 8601 UTC → ClickHouse DateTime64(3) text. */
function chTs(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

function factLoader<Row extends TransactionRow | AppEventRow>(
  stores: ImportStores,
  table: 'transactions' | 'app_events',
  batchSize: number,
  key: (r: Row) => string,
  line: (r: Row, customerId: number) => string,
): Loader<Row> {
  const resolver = new CustomerResolver(stores);
  return {
    batchSize,
    async flush(batch) {
      const { unique, dup } = dedupeBatch(batch, key);
      const rejected: Rejected[] = [];
      await resolver.prime(
        unique.map((p) => p.row.cif).filter((c): c is string => c !== null),
        unique.filter((p) => p.row.cif === null).map((p) => p.row.customer_id as number),
      );
      const resolved: { p: Pending<Row>; customerId: number }[] = [];
      for (const p of unique) {
        const c = resolver.resolve(p.row);
        if ('reason' in c) rejected.push({ line: p.line, field: c.field, reason: c.reason, raw: p.raw });
        else resolved.push({ p, customerId: c.id });
      }
      const existing = await existingFactKeys(
        stores.an,
        table,
        [...new Set(resolved.map((r) => r.customerId))],
        resolved.map((r) => key(r.p.row)),
      );
      const lines: string[] = [];
      for (const { p, customerId } of resolved) {
        if (existing.has(key(p.row))) continue;
        lines.push(line(p.row, customerId));
      }
      if (lines.length > 0) await insertFactsTsv(stores.an, table, Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
      return { loaded: lines.length, duplicate: dup + (resolved.length - lines.length), rejected };
    },
    async finish() {},
  };
}

function transactionLoader(stores: ImportStores, runId: string, batchSize: number): Loader<TransactionRow> {
  return factLoader<TransactionRow>(
    stores,
    'transactions',
    batchSize,
    (r) => r.txn_id,
    (r, customerId) =>
      [
        r.txn_id,
        String(customerId),
        r.account_id,
        chTs(r.ts),
        String(r.amount),
        r.direction,
        tsv(r.channel),
        tsv(r.txn_type),
        tsv(r.merchant_category),
        tsv(r.counterparty_type),
        r.cross_border ? '1' : '0',
        runId,
      ].join('\t'),
  );
}

function appEventLoader(stores: ImportStores, runId: string, batchSize: number): Loader<AppEventRow> {
  return factLoader<AppEventRow>(
    stores,
    'app_events',
    batchSize,
    (r) => r.event_id,
    (r, customerId) =>
      [
        r.event_id,
        String(customerId),
        chTs(r.ts),
        tsv(r.event_type),
        tsv(r.page),
        tsv(r.product_id),
        tsv(r.product_family),
        tsv(r.session_id),
        String(r.duration_s),
        tsv(r.device_id),
        tsv(r.ip),
        runId,
      ].join('\t'),
  );
}

function loaderFor(
  source: SourceName,
  stores: ImportStores,
  cipher: PiiCipher,
  runId: string,
  batchSize: number | undefined,
): Loader<CustomerRow> | Loader<AccountRow> | Loader<TransactionRow> | Loader<AppEventRow> {
  switch (source) {
    case 'core_banking_customers':
      return customerLoader(stores, cipher, batchSize ?? 1000);
    case 'core_banking_accounts':
      return accountLoader(stores, cipher, batchSize ?? 2000);
    case 'transactions':
      return transactionLoader(stores, runId, batchSize ?? 20_000);
    case 'app_events':
      return appEventLoader(stores, runId, batchSize ?? 20_000);
  }
}

// --- the run ---------------------------------------------------------------------------------------------------------

/**
 * Imports one file. Never throws for problems of the file itself — those end as a 'failed' or 'refused' run in the
 * report — but throws `ImportRequestError` for a bad request (unknown source, missing file or mapping file, bad
 * mapping document) before any run is recorded.
 */
export async function runImport(
  stores: ImportStores,
  cipher: PiiCipher,
  request: ImportRequest,
  hooks: ImportHooks = {},
): Promise<ImportReport> {
  const t0 = performance.now();
  const parsed = importRequestSchema.safeParse(request);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new ImportRequestError(i && i.path.length > 0 ? i.path.join('.') : 'request', i?.message ?? 'invalid');
  }
  const req = parsed.data;
  try {
    if (!statSync(req.file).isFile()) throw new ImportRequestError('file', `not a file: ${req.file}`);
  } catch (err) {
    if (err instanceof ImportRequestError) throw err;
    throw new ImportRequestError('file', `cannot read ${req.file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const format = req.format ?? formatFromExtension(req.file);
  if (format === undefined)
    throw new ImportRequestError(
      'format',
      `cannot infer it from the file name ${basename(req.file)}; give csv, parquet or jsonl`,
    );
  const mapping = req.mappingFile !== undefined ? loadMappingFile(req.mappingFile) : undefined;
  if (mapping && mapping.source !== req.source)
    throw new ImportRequestError('mapping.source', `is ${mapping.source}, but the import is for ${req.source}`);
  let schemaVersion: number;
  try {
    schemaVersion = getSourceSchema(req.source, req.schemaVersion ?? mapping?.schemaVersion).version;
  } catch (err) {
    if (err instanceof SourceSchemaError) throw new ImportRequestError(err.field, err.reason);
    throw err;
  }

  const fileName = basename(req.file);
  const scan = await scanFile(req.file, format, mapping?.encoding);
  const runId = newRunId();
  const base = {
    source: req.source,
    schemaVersion,
    file: fileName,
    format,
    sha256: scan.sha256,
  };
  const newRun = { id: runId, source: req.source, schemaVersion, fileName, sha256: scan.sha256, format, mapping };
  const zero: RunCounts = { rowsTotal: 0, rowsLoaded: 0, rowsDuplicate: 0, rowsQuarantined: 0 };
  const seconds = () => Math.round(performance.now() - t0) / 1000;
  const ended = async (
    status: 'failed' | 'refused',
    error: string,
    ignoredColumns: string[] = [],
  ): Promise<ImportReport> => {
    await insertRun(stores.op, { ...newRun, status, error });
    return { runId, status, ...base, ...zero, quarantineSample: [], ignoredColumns, error, seconds: seconds() };
  };

  if (!req.force) {
    const previous = await findCompletedRun(stores.op, req.source, scan.sha256);
    if (previous !== null) {
      await insertRun(stores.op, { ...newRun, status: 'skipped', error: `same content as completed run ${previous}` });
      return {
        runId: previous,
        status: 'skipped',
        ...base,
        ...zero,
        quarantineSample: [],
        ignoredColumns: [],
        attemptRunId: runId,
        seconds: seconds(),
      };
    }
  }

  let reader: Awaited<ReturnType<typeof openReader>>;
  try {
    reader = await openReader(req.file, format, {
      encoding: mapping?.encoding,
      delimiter: mapping?.delimiter,
      jsonKeys: scan.jsonKeys,
    });
  } catch (err) {
    return ended('failed', safeMessage(err));
  }
  const c3 = findC3Columns(reader.columns);
  if (c3.length > 0) {
    await reader.close();
    const list = c3.map((c) => `'${c.column}' (matches '${c.matched}')`).join(', ');
    return ended(
      'refused',
      `refused by rule P8: column ${list} holds C3 authentication data, which Lingxi never stores; nothing was loaded — remove the column at the source`,
    );
  }
  let compiled: CompiledSource;
  try {
    compiled = compileSource(req.source, reader.columns, mapping, schemaVersion);
  } catch (err) {
    await reader.close();
    if (err instanceof SourceSchemaError) return ended('failed', err.message);
    throw err;
  }

  await insertRun(stores.op, { ...newRun, status: 'running' });
  const counts: RunCounts = { ...zero };
  const sample: QuarantineSample[] = [];
  const loader = loaderFor(req.source, stores, cipher, runId, req.batchSize) as Loader<CustomerRow>;
  let batch: Pending<CustomerRow>[] = [];
  let quarantine: QuarantineInsert[] = [];

  const quarantineRow = (line: number, field: string | null, reason: string, raw: string) => {
    counts.rowsQuarantined++;
    if (sample.length < SAMPLE_SIZE) sample.push({ line, field, reason });
    quarantine.push({ line, field, reason, rawEnc: cipher.encrypt(raw) });
  };
  const flushQuarantine = async () => {
    if (quarantine.length === 0) return;
    const q = quarantine;
    quarantine = [];
    await insertQuarantine(stores.op, runId, fileName, q);
  };
  const flushBatch = async () => {
    if (batch.length === 0) return;
    const b = batch;
    batch = [];
    const r = await loader.flush(b);
    counts.rowsLoaded += r.loaded;
    counts.rowsDuplicate += r.duplicate;
    for (const x of r.rejected) quarantineRow(x.line, x.field, x.reason, rawJson(x.raw));
    await flushQuarantine();
  };

  try {
    for await (const item of reader.records) {
      counts.rowsTotal++;
      if ('error' in item) {
        quarantineRow(item.line, null, `row: ${item.error}`, item.raw);
      } else {
        const v = compiled.validate(item.values);
        if (v.ok) batch.push({ line: item.line, row: v.row as CustomerRow, raw: item.values });
        else {
          const first = v.issues[0];
          quarantineRow(
            item.line,
            first?.field ?? null,
            v.issues.map((i) => i.reason).join('; '),
            rawJson(item.values),
          );
        }
      }
      if (batch.length >= loader.batchSize) await flushBatch();
      if (quarantine.length >= 1000) await flushQuarantine();
      if (hooks.onProgress && counts.rowsTotal % 5000 === 0)
        hooks.onProgress({ rows: counts.rowsTotal, fraction: reader.progress() });
    }
    await flushBatch();
    await flushQuarantine();
    await loader.finish();
  } catch (err) {
    await reader.close();
    const error = safeMessage(err);
    await finishRun(stores.op, runId, 'failed', counts, error);
    return {
      runId,
      status: 'failed',
      ...base,
      ...counts,
      quarantineSample: [...sample].sort((a, b) => a.line - b.line),
      ignoredColumns: [...compiled.ignoredColumns],
      error,
      seconds: seconds(),
    };
  }
  hooks.onProgress?.({ rows: counts.rowsTotal, fraction: 1 });
  await finishRun(stores.op, runId, 'completed', counts, null);
  return {
    runId,
    status: 'completed',
    ...base,
    ...counts,
    quarantineSample: [...sample].sort((a, b) => a.line - b.line),
    ignoredColumns: [...compiled.ignoredColumns],
    seconds: seconds(),
  };
}

// --- reading runs and quarantine -------------------------------------------------------------------------------------

export interface ImportRunSummary {
  id: string;
  source: string;
  schemaVersion: number;
  fileName: string;
  sha256: string;
  format: string;
  status: RunStatus;
  rowsTotal: number;
  rowsLoaded: number;
  rowsDuplicate: number;
  rowsQuarantined: number;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

function toSummary(r: ImportRunRow): ImportRunSummary {
  return {
    id: r.id,
    source: r.source,
    schemaVersion: r.schema_version,
    fileName: r.file_name,
    sha256: r.file_sha256,
    format: r.format,
    status: r.status,
    rowsTotal: r.rows_total,
    rowsLoaded: r.rows_loaded,
    rowsDuplicate: r.rows_duplicate,
    rowsQuarantined: r.rows_quarantined,
    error: r.error,
    startedAt: new Date(r.started_at).toISOString(),
    finishedAt: r.finished_at === null ? null : new Date(r.finished_at).toISOString(),
  };
}

export async function recentImportRuns(
  stores: Pick<ImportStores, 'op'>,
  opts: { limit?: number; source?: string | undefined } = {},
): Promise<ImportRunSummary[]> {
  return (await listRuns(stores.op, { limit: opts.limit ?? 50, source: opts.source })).map(toSummary);
}

export async function importRun(stores: Pick<ImportStores, 'op'>, id: string): Promise<ImportRunSummary | null> {
  const r = await getRun(stores.op, id);
  return r === null ? null : toSummary(r);
}

export interface QuarantineEntry {
  id: string;
  fileName: string;
  line: number;
  field: string | null;
  reason: string;
  createdAt: string;
  /** Only when explicitly revealed: the raw row as read (it may hold personal data). */
  raw?: string;
}

function toEntry(r: QuarantineRow): QuarantineEntry {
  return {
    id: r.id,
    fileName: r.file_name,
    line: r.line,
    field: r.field,
    reason: r.reason,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/**
 * Quarantined rows of a run (null when the run does not exist). The raw rows stay encrypted unless `reveal` passes
 * the cipher — the caller is responsible for authorising and auditing that read of personal data.
 */
export async function quarantinedRows(
  stores: Pick<ImportStores, 'op'>,
  runId: string,
  opts: { limit?: number; offset?: number; reveal?: PiiCipher } = {},
): Promise<{ run: ImportRunSummary; total: number; items: QuarantineEntry[] } | null> {
  const run = await importRun(stores, runId);
  if (run === null) return null;
  const { total, rows } = await listQuarantine(stores.op, runId, {
    limit: opts.limit ?? 100,
    offset: opts.offset ?? 0,
  });
  const items = rows.map(toEntry);
  if (opts.reveal && items.length > 0) {
    const raw = new Map(
      (
        await quarantineRaw(
          stores.op,
          runId,
          items.map((i) => i.id),
        )
      ).map((r) => [r.id, r.raw_enc]),
    );
    for (const item of items) {
      const blob = raw.get(item.id);
      if (blob) item.raw = opts.reveal.decrypt(blob);
    }
  }
  return { run, total, items };
}
