import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnalyticsDb } from './analytics.ts';
import { splitStatements, toClusterStatements } from './ch-cluster.ts';
import type { OperationalDb } from './operational.ts';

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
const fileRe = /^(\d{4})_[a-z0-9_]+\.sql$/;

export interface Migration {
  id: string;
  sql: string;
  checksum: string;
}

export function listMigrations(store: 'pg' | 'ch'): Migration[] {
  const dir = join(migrationsDir, store);
  return readdirSync(dir)
    .filter((f) => fileRe.test(f))
    .sort()
    .map((f) => {
      const sql = readFileSync(join(dir, f), 'utf8');
      return { id: f.replace(/\.sql$/, ''), sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Applies pending operational migrations, each in its own transaction; refuses edited released migrations. */
export async function migrateOperational(db: OperationalDb): Promise<string[]> {
  await db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  const applied = new Map(
    (await db.query<{ id: string; checksum: string }>('SELECT id, checksum FROM schema_migrations')).rows.map((r) => [
      r.id,
      r.checksum,
    ]),
  );
  const done: string[] = [];
  for (const m of listMigrations('pg')) {
    const prior = applied.get(m.id);
    if (prior !== undefined) {
      if (prior !== m.checksum)
        throw new MigrationError(`operational migration ${m.id} was edited after it was applied`);
      continue;
    }
    await db.transaction(async (tx) => {
      for (const stmt of splitStatements(m.sql)) await tx.query(stmt);
      await tx.query('INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)', [m.id, m.checksum]);
    });
    done.push(m.id);
  }
  return done;
}

/** Applies pending analytics migrations (ClickHouse has no DDL transactions: statements are idempotent). */
export async function migrateAnalytics(db: AnalyticsDb): Promise<string[]> {
  const onCluster = db.cluster ? ` ON CLUSTER ${db.cluster}` : '';
  await db.command(
    `CREATE TABLE IF NOT EXISTS schema_migrations${onCluster} (id String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = ${
      db.cluster
        ? "ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/schema_migrations', '{replica}')"
        : 'MergeTree'
    } ORDER BY id`,
  );
  const rows = await db.query<{ id: string; checksum: string }>('SELECT id, checksum FROM schema_migrations');
  const applied = new Map(rows.map((r) => [r.id, r.checksum]));
  const done: string[] = [];
  for (const m of listMigrations('ch')) {
    const prior = applied.get(m.id);
    if (prior !== undefined) {
      if (prior !== m.checksum) throw new MigrationError(`analytics migration ${m.id} was edited after it was applied`);
      continue;
    }
    for (const stmt of splitStatements(m.sql)) {
      const statements = db.cluster ? toClusterStatements(stmt, db.cluster) : [stmt];
      for (const s of statements) await db.command(s);
    }
    await db.insert('schema_migrations', [{ id: m.id, checksum: m.checksum }]);
    done.push(m.id);
  }
  return done;
}

/** True when every known migration is recorded in both stores (`/readyz`). */
export async function migrationsApplied(op: OperationalDb, an: AnalyticsDb): Promise<boolean> {
  const pgIds = new Set((await op.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id));
  const chIds = new Set((await an.query<{ id: string }>('SELECT id FROM schema_migrations')).map((r) => r.id));
  return listMigrations('pg').every((m) => pgIds.has(m.id)) && listMigrations('ch').every((m) => chIds.has(m.id));
}
