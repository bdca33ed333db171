import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationalBackends } from '../../test/support/stores.ts';
import { listMigrations, migrateOperational } from './migrate.ts';
import type { OperationalDb } from './operational.ts';

for (const backend of operationalBackends()) {
  describe(`operational store on ${backend.name}`, () => {
    let db: OperationalDb;
    let dispose: () => Promise<void>;

    beforeAll(async () => {
      ({ db, dispose } = await backend.open());
    });
    afterAll(async () => dispose());

    it('records every migration once and re-running applies nothing', async () => {
      const { rows } = await db.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
      expect(rows.map((r) => r.id)).toEqual(listMigrations('pg').map((m) => m.id));
      expect(await migrateOperational(db)).toEqual([]);
    });

    it('binds parameters (no SQL injection through values)', async () => {
      await db.query('INSERT INTO branches (id, name_zh, name_en, province, city) VALUES ($1, $2, $3, $4, $5)', [
        "B'; DROP TABLE customers; --",
        '测试支行',
        'Test branch',
        '浙江省',
        '杭州市',
      ]);
      const { rows } = await db.query<{ id: string }>('SELECT id FROM branches WHERE name_zh = $1', ['测试支行']);
      expect(rows[0]?.id).toBe("B'; DROP TABLE customers; --");
      const { rows: t } = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'customers'",
      );
      expect(t[0]?.n).toBe(1);
    });

    it('rolls back a failed transaction completely', async () => {
      await expect(
        db.transaction(async (tx) => {
          await tx.query(
            "INSERT INTO branches (id, name_zh, name_en, province, city) VALUES ('B2', 'a', 'a', 'p', 'c')",
          );
          await tx.query(
            "INSERT INTO branches (id, name_zh, name_en, province, city) VALUES ('B2', 'a', 'a', 'p', 'c')",
          );
        }),
      ).rejects.toThrow();
      const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM branches WHERE id = 'B2'");
      expect(rows[0]?.n).toBe(0);
    });

    it('bulk-loads CSV with COPY, including quotes, commas and NULLs', async () => {
      await db.copyCsv(
        'branches',
        ['id', 'name_zh', 'name_en', 'province', 'city', 'parent_id'],
        'B10,"支行,一",Branch "one",浙江省,杭州市,\nB11,支行二,"Branch ""two""",浙江省,宁波市,B10\n',
      );
      const { rows } = await db.query<{ id: string; name_zh: string; name_en: string; parent_id: string | null }>(
        "SELECT id, name_zh, name_en, parent_id FROM branches WHERE id IN ('B10', 'B11') ORDER BY id",
      );
      expect(rows).toEqual([
        { id: 'B10', name_zh: '支行,一', name_en: 'Branch one', parent_id: null },
        { id: 'B11', name_zh: '支行二', name_en: 'Branch "two"', parent_id: 'B10' },
      ]);
    });

    it('stores bytea ciphertext and text[] flags', async () => {
      const blob = Buffer.from([0, 1, 2, 255]);
      await db.query(
        `INSERT INTO customers (id, cif, name_enc, name_hash, name_masked, gender, birth_date, province, city, city_tier,
           occupation, flags) VALUES (1, 'CIF1', $1, 'h', '张*', 'M', '1990-01-02', '浙江省', '杭州市', 2, 'engineer', $2)`,
        [blob, ['fraud_restricted']],
      );
      const { rows } = await db.query<{ name_enc: Uint8Array; flags: string[]; birth_date: unknown }>(
        "SELECT name_enc, flags, to_char(birth_date, 'YYYY-MM-DD') AS birth_date FROM customers WHERE id = 1",
      );
      expect(Buffer.from(rows[0]!.name_enc).equals(blob)).toBe(true);
      expect(rows[0]?.flags).toEqual(['fraud_restricted']);
      expect(rows[0]?.birth_date).toBe('1990-01-02');
    });

    it('enforces the schema constraints', async () => {
      await expect(
        db.query(
          `INSERT INTO products (id, name_zh, name_en, family, risk_level, risk_rated_at, issuer, launched_at)
           VALUES ('P1', 'x', 'x', 'wealth', 6, '2026-01-01', 'bank', '2026-01-01')`,
        ),
      ).rejects.toThrow();
    });
  });
}
