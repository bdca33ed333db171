import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export type SqlParam = string | number | bigint | boolean | null | Date | Uint8Array | readonly unknown[] | object;

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/** What a module may do with the operational store (PostgreSQL dialect, `$1` parameters). */
export interface OperationalQueryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<QueryResult<T>>;
}

export interface OperationalDb extends OperationalQueryable {
  readonly kind: 'pglite' | 'postgres';
  transaction<T>(fn: (tx: OperationalQueryable) => Promise<T>): Promise<T>;
  /** Runs a multi-statement SQL script without parameters (migrations only). */
  exec(sql: string): Promise<void>;
  /** Bulk load with COPY FROM STDIN in CSV format (fast path for generators and imports). */
  copyCsv(table: string, columns: readonly string[], csv: string): Promise<void>;
  close(): Promise<void>;
}

const identifier = /^[a-z_][a-z0-9_]*$/;
function assertIdent(name: string): string {
  if (!identifier.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return name;
}

function copySql(table: string, columns: readonly string[], source: string): string {
  return `COPY ${assertIdent(table)} (${columns.map(assertIdent).join(', ')}) FROM ${source} WITH (FORMAT csv)`;
}

class PgliteDb implements OperationalDb {
  readonly kind = 'pglite' as const;
  constructor(private readonly db: PGlite) {}

  async query<T>(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult<T>> {
    const r = await this.db.query<T>(sql, params as unknown[]);
    return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
  }

  async transaction<T>(fn: (tx: OperationalQueryable) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) =>
      fn({
        query: async <R>(sql: string, params: readonly SqlParam[] = []) => {
          const r = await tx.query<R>(sql, params as unknown[]);
          return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
        },
      }),
    );
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  async copyCsv(table: string, columns: readonly string[], csv: string): Promise<void> {
    await this.db.query(copySql(table, columns, "'/dev/blob'"), [], { blob: new Blob([csv]) });
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

class PostgresDb implements OperationalDb {
  readonly kind = 'postgres' as const;
  constructor(private readonly pool: pg.Pool) {}

  async query<T>(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult<T>> {
    const r = await this.pool.query(sql, params as unknown[]);
    return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
  }

  async transaction<T>(fn: (tx: OperationalQueryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn({
        query: async <R>(sql: string, params: readonly SqlParam[] = []) => {
          const r = await client.query(sql, params as unknown[]);
          return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
        },
      });
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async copyCsv(table: string, columns: readonly string[], csv: string): Promise<void> {
    const client = await this.pool.connect();
    try {
      const sink = client.query(copyFrom(copySql(table, columns, 'STDIN')));
      await pipeline(Readable.from([Buffer.from(csv, 'utf8')]), sink);
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export interface OperationalDbOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
}

export async function openOperationalDb(opts: OperationalDbOptions): Promise<OperationalDb> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    await pool.query('SELECT 1');
    return new PostgresDb(pool);
  }
  const dir = join(opts.dataDir, 'pg');
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir);
  return new PgliteDb(db);
}

/** An in-memory PGlite (tests). */
export async function openMemoryOperationalDb(): Promise<OperationalDb> {
  return new PgliteDb(await PGlite.create());
}
