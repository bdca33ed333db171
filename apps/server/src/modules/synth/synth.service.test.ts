import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type AnalyticsDb, openChdbAt } from '../../db/analytics.ts';
import { migrateAnalytics, migrateOperational } from '../../db/migrate.ts';
import { type OperationalDb, openMemoryOperationalDb } from '../../db/operational.ts';
import { createPiiCipher } from '../../security/crypto.ts';
import { dimChecksums, syncDimensions } from '../dims/dims.service.ts';
import { registerSynthCommands } from './synth.cli.ts';
import { BankNotEmptyError, type LoadResult, loadSyntheticBank } from './synth.service.ts';

const cipher = createPiiCipher(Buffer.alloc(32, 7));
const CUSTOMERS = 2_000;

interface Env {
  op: OperationalDb;
  an: AnalyticsDb;
  dir: string;
}

async function freshStores(): Promise<Env> {
  const dir = mkdtempSync(join(tmpdir(), 'lingxi-synth-'));
  const op = await openMemoryOperationalDb();
  const an = openChdbAt(join(dir, 'ch'));
  await migrateOperational(op);
  await migrateAnalytics(an);
  return { op, an, dir };
}

const disposed = new WeakSet<Env>();
async function dispose(env: Env): Promise<void> {
  if (disposed.has(env)) return;
  disposed.add(env);
  await env.op.close();
  await env.an.close();
  rmSync(env.dir, { recursive: true, force: true });
}

describe('loadSyntheticBank', () => {
  let a: Env;
  let first: LoadResult;

  beforeAll(async () => {
    a = await freshStores();
    first = await loadSyntheticBank(a, cipher, {
      customers: CUSTOMERS,
      seed: 11,
      duplicates: true,
      batchSize: 700,
      flushRows: 20_000,
    });
  });
  afterAll(async () => dispose(a));

  it('writes every table of both stores', async () => {
    expect(first.rows.customers).toBe(CUSTOMERS);
    expect(first.rows.synth_truth).toBe(CUSTOMERS);
    expect(first.rows.dim_customers).toBe(CUSTOMERS);
    expect(first.rows.transactions).toBeGreaterThanOrEqual(20 * CUSTOMERS);
    for (const t of [
      'source_records',
      'accounts',
      'holdings',
      'credit_cards',
      'loans',
      'consents',
      'app_events',
      'holdings_daily',
      'contacts',
      'dim_products',
      'dim_accounts',
      'dim_holdings',
      'dim_cards',
      'dim_loans',
    ])
      expect(first.rows[t], t).toBeGreaterThan(0);
    // Duplicates: core banking for everyone plus noisy records from other systems for about a third.
    expect(first.rows.source_records).toBeGreaterThan(CUSTOMERS * 1.25);
    const { rows } = await a.op.query<{ n: number }>(
      "SELECT count(DISTINCT synthetic_truth_id)::int AS n FROM source_records WHERE source_system = 'core_banking'",
    );
    expect(rows[0]?.n).toBe(CUSTOMERS);
    // Counts agree between the stores.
    const [h] = await a.an.query<{ n: number }>('SELECT toUInt32(count()) AS n FROM dim_holdings FINAL');
    expect(h?.n).toBe(first.rows.holdings);
    expect(first.checksums.customers).toMatch(/^2000:\d+$/);
  });

  it('stores C2 identity fields encrypted, with keyed hashes and masks', async () => {
    const { rows } = await a.op.query<{
      name_enc: Uint8Array;
      name_hash: string;
      name_masked: string;
      mobile_enc: Uint8Array;
      mobile_masked: string;
      id_number_enc: Uint8Array;
      id_number_hash: string;
      birth_date: string;
    }>(
      "SELECT name_enc, name_hash, name_masked, mobile_enc, mobile_masked, id_number_enc, id_number_hash, to_char(birth_date, 'YYYYMMDD') AS birth_date FROM customers ORDER BY id LIMIT 50",
    );
    for (const r of rows) {
      const name = cipher.decrypt(r.name_enc);
      expect(r.name_hash).toBe(cipher.hash(name));
      expect(r.name_masked.endsWith('*')).toBe(true);
      expect(name.startsWith(r.name_masked.slice(0, -1))).toBe(true);
      const mobile = cipher.decrypt(r.mobile_enc);
      expect(mobile).toMatch(/^1[3-9]\d{9}$/);
      expect(r.mobile_masked).toBe(`${mobile.slice(0, 3)}****${mobile.slice(7)}`);
      const idNumber = cipher.decrypt(r.id_number_enc);
      expect(r.id_number_hash).toBe(cipher.hash(idNumber));
      expect(idNumber.slice(6, 14)).toBe(r.birth_date);
    }
  });

  it('writes dim tables that the dimension sync reproduces exactly', async () => {
    const before = await dimChecksums(a.an);
    expect(before.dim_customers).toMatch(/^2000:\d+$/);
    const synced = await syncDimensions(a, { chunk: 600 });
    expect(synced.dim_customers).toBe(CUSTOMERS);
    expect(synced.dim_holdings).toBe(first.rows.holdings);
    expect(await dimChecksums(a.an)).toEqual(before);
  });

  it('refuses to load into a bank that already has customers', async () => {
    await expect(loadSyntheticBank(a, cipher, { customers: 10, seed: 1 })).rejects.toBeInstanceOf(BankNotEmptyError);
  });

  it('loads identical counts and checksums from the same seed into fresh stores', async () => {
    await dispose(a); // chDB allows one data directory per process
    const b = await freshStores();
    try {
      // another data directory has another master key: the checksums must not depend on it
      const otherKey = createPiiCipher(Buffer.alloc(32, 9));
      const second = await loadSyntheticBank(b, otherKey, { customers: CUSTOMERS, seed: 11, duplicates: true });
      expect(second.rows).toEqual(first.rows);
      expect(second.checksums).toEqual(first.checksums);
      // every table's content hash is real (a NULL column once made a whole table's sum vanish)
      for (const [table, sum] of Object.entries(second.checksums)) expect(sum, table).not.toMatch(/:0$/);
      const [t] = await b.an.query<{ churned: number; label: number }>(
        `SELECT toUInt32(countIf(churn_date IS NOT NULL AND churn_date <= toDate('${second.asOf}'))) AS churned,
                toUInt32(countIf(churn_date > toDate('${second.asOf}'))) AS label FROM synth_truth`,
      );
      expect(t?.churned).toBeGreaterThan(0);
      expect(t?.label).toBeGreaterThan(0);
    } finally {
      await dispose(b);
    }
  });
});

describe('lingxi synth (CLI)', () => {
  async function run(env: Env, args: string[]): Promise<{ out: string; exitCode: string | number | undefined }> {
    const program = new Command('lingxi').option('--json').exitOverride();
    registerSynthCommands(program, async () => ({
      stores: { op: env.op, an: env.an, close: async () => {} },
      cipher,
    }));
    const chunks: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      chunks.push(String(c));
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const before = process.exitCode;
    try {
      await program.parseAsync(['node', 'lingxi', ...args]);
      return { out: chunks.join(''), exitCode: process.exitCode };
    } finally {
      spy.mockRestore();
      err.mockRestore();
      process.exitCode = before;
    }
  }

  it('--json prints one object with rows, checksums, seconds and rows/s; refuses a non-empty bank', async () => {
    const env = await freshStores();
    try {
      const first = await run(env, ['synth', '--customers', '60', '--seed', '5', '--duplicates', '--json']);
      expect(first.out.trim().split('\n')).toHaveLength(1);
      const r = JSON.parse(first.out) as Record<string, unknown> & {
        rows: Record<string, number>;
        checksums: Record<string, string>;
      };
      expect(r.ok).toBe(true);
      expect(r.rows.customers).toBe(60);
      expect(r.checksums.transactions).toMatch(/^\d+:\d+$/);
      expect(typeof r.seconds).toBe('number');
      expect(typeof r.rowsPerSecond).toBe('number');
      expect(first.exitCode).toBeUndefined();

      const again = await run(env, ['synth', '--customers', '60', '--seed', '5', '--json']);
      expect(JSON.parse(again.out)).toMatchObject({ ok: false, error: expect.stringMatching(/not empty/) });
      expect(again.exitCode).toBe(1);

      const bad = await run(env, ['synth', '--customers', 'many', '--json']);
      expect(JSON.parse(bad.out)).toMatchObject({ ok: false, error: expect.stringMatching(/^--customers:/) });
    } finally {
      await dispose(env);
    }
  });
});
