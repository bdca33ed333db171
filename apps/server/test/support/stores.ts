import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type AnalyticsDb, openChdbAt } from '../../src/db/analytics.ts';
import { migrateAnalytics, migrateOperational } from '../../src/db/migrate.ts';
import { type OperationalDb, openMemoryOperationalDb, openOperationalDb } from '../../src/db/operational.ts';

export interface OperationalBackend {
  name: 'pglite' | 'postgres';
  /** A fresh, migrated, empty operational store; `dispose` drops it. */
  open(): Promise<{ db: OperationalDb; dispose(): Promise<void> }>;
}

/**
 * The operational backends a suite should run on: PGlite always, and PostgreSQL when `LINGXI_TEST_DATABASE_URL`
 * points at a server (CI starts a throwaway one). Each `open()` creates its own database on the server.
 */
export function operationalBackends(): OperationalBackend[] {
  const backends: OperationalBackend[] = [
    {
      name: 'pglite',
      async open() {
        const db = await openMemoryOperationalDb();
        await migrateOperational(db);
        return { db, dispose: () => db.close() };
      },
    },
  ];
  const url = process.env.LINGXI_TEST_DATABASE_URL;
  if (url) {
    backends.push({
      name: 'postgres',
      async open() {
        const name = `lingxi_test_${randomBytes(6).toString('hex')}`;
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`CREATE DATABASE ${name}`);
        await admin.end();
        const dbUrl = new URL(url);
        dbUrl.pathname = `/${name}`;
        const db = await openOperationalDb({ databaseUrl: dbUrl.toString(), dataDir: tmpdir() });
        await migrateOperational(db);
        return {
          db,
          async dispose() {
            await db.close();
            const a = new pg.Client({ connectionString: url });
            await a.connect();
            // pool.end() resolves before every backend has gone; wait for them so FORCE kills nothing in use.
            for (let i = 0; i < 50; i++) {
              const { rows } = await a.query<{ n: number }>(
                'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
                [name],
              );
              if ((rows[0]?.n ?? 0) === 0) break;
              await new Promise((r) => setTimeout(r, 100));
            }
            await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
            await a.end();
          },
        };
      },
    });
  }
  return backends;
}

/** A fresh, migrated chDB store in a temp dir. */
export async function openTempAnalytics(): Promise<{ an: AnalyticsDb; dir: string; dispose(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'lingxi-ch-'));
  const an = openChdbAt(dir);
  await migrateAnalytics(an);
  return {
    an,
    dir,
    async dispose() {
      await an.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
