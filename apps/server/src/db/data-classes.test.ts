import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { columnClass } from '@lingxi/core/schema/data-classes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyticsDb, openChdbAt } from './analytics.ts';
import { migrateAnalytics, migrateOperational } from './migrate.ts';
import { type OperationalDb, openMemoryOperationalDb } from './operational.ts';

describe('every migrated column declares its data class (P8)', () => {
  let op: OperationalDb;
  let an: AnalyticsDb;
  let dir: string;

  beforeAll(async () => {
    op = await openMemoryOperationalDb();
    dir = mkdtempSync(join(tmpdir(), 'lingxi-dc-'));
    an = openChdbAt(dir);
    await migrateOperational(op);
    await migrateAnalytics(an);
  });
  afterAll(async () => {
    await op.close();
    await an.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('operational store', async () => {
    const { rows } = await op.query<{ table_name: string; column_name: string }>(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2",
    );
    expect(rows.length).toBeGreaterThan(50);
    const missing = rows.filter((r) => !columnClass('operational', r.table_name, r.column_name));
    expect(missing.map((r) => `${r.table_name}.${r.column_name}`)).toEqual([]);
  });

  it('analytics store', async () => {
    const rows = await an.query<{ table: string; name: string }>(
      'SELECT table, name FROM system.columns WHERE database = currentDatabase() ORDER BY table, name',
    );
    expect(rows.length).toBeGreaterThan(50);
    const missing = rows.filter((r) => !columnClass('analytics', r.table, r.name));
    expect(missing.map((r) => `${r.table}.${r.name}`)).toEqual([]);
  });
});
