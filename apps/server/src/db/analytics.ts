import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type ClickHouseClient, createClient } from '@clickhouse/client';
import { type Table, tableFromIPC } from 'apache-arrow';
import { Session } from 'chdb';

/** Bound parameters for ClickHouse SQL: referenced in the query as `{name:Type}`. */
export type ChParams = Record<string, string | number | boolean | null | readonly (string | number)[] | Date>;

/** What a module may do with the analytics store (ClickHouse dialect). */
export interface AnalyticsDb {
  readonly kind: 'chdb' | 'clickhouse';
  /** The cluster name when DDL must use ON CLUSTER (ClickHouse cluster deployments), else undefined. */
  readonly cluster: string | undefined;
  /** A SELECT returning rows as objects (JSONEachRow). 64-bit integers arrive as strings unless cast. */
  query<T = Record<string, unknown>>(sql: string, params?: ChParams): Promise<T[]>;
  /**
   * A SELECT returning an Arrow table (IPC stream, uncompressed): numeric columns arrive as typed arrays without a
   * text round trip. For large id and value lists (the tag index reads 1M-row columns); the SQL must not carry its
   * own FORMAT clause.
   */
  queryArrow(sql: string, params?: ChParams): Promise<Table>;
  /** DDL / DML without a result. */
  command(sql: string, params?: ChParams): Promise<void>;
  /** Insert rows given as objects. */
  insert(table: string, rows: readonly Record<string, unknown>[]): Promise<void>;
  /** Insert a pre-serialised payload (TSV: tab-separated, `\N` null, backslash escapes; or JSONEachRow). */
  insertRaw(table: string, columns: readonly string[], format: 'TSV' | 'JSONEachRow', payload: Buffer): Promise<void>;
  close(): Promise<void>;
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
function assertIdent(name: string): string {
  if (!identifier.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return name;
}

function toChParam(v: ChParams[string]): unknown {
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace('Z', '');
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

function bindParams(params: ChParams | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params ?? {})) out[k] = toChParam(v);
  return out;
}

function parseJsonEachRow<T>(text: string): T[] {
  const rows: T[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (end > start) rows.push(JSON.parse(text.slice(start, end)) as T);
    start = end + 1;
  }
  return rows;
}

class ChdbDb implements AnalyticsDb {
  readonly kind = 'chdb' as const;
  readonly cluster = undefined;
  constructor(private readonly session: Session) {}

  async query<T>(sql: string, params?: ChParams): Promise<T[]> {
    const r = await this.session.queryBindAsync(sql, bindParams(params), { format: 'JSONEachRow' });
    return parseJsonEachRow<T>(r.text());
  }

  private arrowReady = false;
  async queryArrow(sql: string, params?: ChParams): Promise<Table> {
    if (!this.arrowReady) {
      // apache-arrow does not decode compressed record batches; the setting holds for the session
      await this.session.queryBindAsync("SET output_format_arrow_compression_method = 'none'", {}, { format: 'TSV' });
      this.arrowReady = true;
    }
    const r = await this.session.queryBindAsync(sql, bindParams(params), { format: 'ArrowStream' });
    return tableFromIPC(r.bytes());
  }

  async command(sql: string, params?: ChParams): Promise<void> {
    await this.session.queryBindAsync(sql, bindParams(params), { format: 'TSV' });
  }

  async insert(table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
    if (rows.length === 0) return;
    const payload = Buffer.from(`${rows.map((r) => JSON.stringify(r)).join('\n')}\n`, 'utf8');
    await this.session.insert({ table: assertIdent(table), values: payload, format: 'JSONEachRow' });
  }

  async insertRaw(table: string, columns: readonly string[], format: 'TSV' | 'JSONEachRow', payload: Buffer) {
    if (payload.length === 0) return;
    await this.session.insert({
      table: assertIdent(table),
      values: payload,
      format,
      columns: columns.map(assertIdent),
    });
  }

  async close(): Promise<void> {
    this.session.close();
  }
}

class ClickHouseDb implements AnalyticsDb {
  readonly kind = 'clickhouse' as const;
  constructor(
    private readonly client: ClickHouseClient,
    readonly cluster: string | undefined,
  ) {}

  async query<T>(sql: string, params?: ChParams): Promise<T[]> {
    const rs = await this.client.query({ query: sql, query_params: bindParams(params), format: 'JSONEachRow' });
    return rs.json<T>();
  }

  async queryArrow(sql: string, params?: ChParams): Promise<Table> {
    const { stream } = await this.client.exec({
      query: `${sql} FORMAT ArrowStream`,
      query_params: bindParams(params),
      clickhouse_settings: { output_format_arrow_compression_method: 'none' },
    });
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return tableFromIPC(Buffer.concat(chunks));
  }

  async command(sql: string, params?: ChParams): Promise<void> {
    await this.client.command({ query: sql, query_params: bindParams(params) });
  }

  async insert(table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
    if (rows.length === 0) return;
    await this.client.insert({
      table: assertIdent(table),
      values: rows as Record<string, unknown>[],
      format: 'JSONEachRow',
    });
  }

  async insertRaw(table: string, columns: readonly string[], format: 'TSV' | 'JSONEachRow', payload: Buffer) {
    if (payload.length === 0) return;
    const cols = columns.map(assertIdent).join(', ');
    await this.client.exec({
      query: `INSERT INTO ${assertIdent(table)} (${cols}) FORMAT ${format === 'TSV' ? 'TabSeparated' : 'JSONEachRow'}`,
      values: Readable.from([payload]),
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

export interface AnalyticsDbOptions {
  clickhouseUrl?: string | undefined;
  clickhouseUser?: string | undefined;
  clickhousePassword?: string | undefined;
  clickhouseDatabase: string;
  clickhouseCluster?: string | undefined;
  dataDir: string;
}

export async function openAnalyticsDb(opts: AnalyticsDbOptions): Promise<AnalyticsDb> {
  if (opts.clickhouseUrl) {
    const bootstrap = createClient({
      url: opts.clickhouseUrl,
      username: opts.clickhouseUser ?? 'default',
      password: opts.clickhousePassword ?? '',
    });
    const onCluster = opts.clickhouseCluster ? ` ON CLUSTER ${assertIdent(opts.clickhouseCluster)}` : '';
    await bootstrap.command({
      query: `CREATE DATABASE IF NOT EXISTS ${assertIdent(opts.clickhouseDatabase)}${onCluster}`,
    });
    await bootstrap.close();
    const client = createClient({
      url: opts.clickhouseUrl,
      username: opts.clickhouseUser ?? 'default',
      password: opts.clickhousePassword ?? '',
      database: opts.clickhouseDatabase,
      clickhouse_settings: { date_time_input_format: 'best_effort', output_format_json_quote_64bit_integers: 0 },
    });
    return new ClickHouseDb(client, opts.clickhouseCluster);
  }
  const dir = join(opts.dataDir, 'ch');
  mkdirSync(dir, { recursive: true });
  return new ChdbDb(new Session(dir));
}

/** A chDB session in a given directory (tests use a temp dir). */
export function openChdbAt(dir: string): AnalyticsDb {
  mkdirSync(dir, { recursive: true });
  return new ChdbDb(new Session(dir));
}
