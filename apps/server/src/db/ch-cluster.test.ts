import { describe, expect, it } from 'vitest';
import { splitStatements, toClusterStatements } from './ch-cluster.ts';
import { listMigrations } from './migrate.ts';

describe('ClickHouse cluster DDL generated from the single-node migration', () => {
  it('turns a MergeTree table into a replicated local table and a distributed table', () => {
    const out = toClusterStatements(
      'CREATE TABLE IF NOT EXISTS contacts (contact_id UInt64, customer_id UInt32) ENGINE = ReplacingMergeTree ORDER BY (customer_id, contact_id)',
      'lingxi',
    );
    expect(out).toEqual([
      "CREATE TABLE IF NOT EXISTS contacts_local ON CLUSTER lingxi (contact_id UInt64, customer_id UInt32) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/contacts_local', '{replica}') ORDER BY (customer_id, contact_id)",
      'CREATE TABLE IF NOT EXISTS contacts ON CLUSTER lingxi AS contacts_local ENGINE = Distributed(lingxi, currentDatabase(), contacts_local, cityHash64(customer_id))',
    ]);
  });

  it('keeps engine arguments (version column) after the replication arguments', () => {
    const [local] = toClusterStatements(
      'CREATE TABLE IF NOT EXISTS dim_products (product_id String, version UInt64) ENGINE = ReplacingMergeTree(version) ORDER BY product_id',
      'c1',
    );
    expect(local).toContain(
      "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/dim_products_local', '{replica}', version)",
    );
  });

  it('applies ALTER and DROP on both the local and the distributed table', () => {
    expect(toClusterStatements('ALTER TABLE t ADD COLUMN x UInt8', 'c')).toEqual([
      'ALTER TABLE t_local ON CLUSTER c ADD COLUMN x UInt8',
      'ALTER TABLE t ON CLUSTER c ADD COLUMN x UInt8',
    ]);
    expect(toClusterStatements('DROP TABLE IF EXISTS t', 'c')).toHaveLength(2);
  });

  it('converts every statement of every shipped analytics migration', () => {
    for (const m of listMigrations('ch')) {
      for (const stmt of splitStatements(m.sql)) {
        const out = toClusterStatements(stmt, 'lingxi');
        expect(
          out.every((s) => s.includes('ON CLUSTER lingxi')),
          `${m.id}: ${stmt.slice(0, 60)}`,
        ).toBe(true);
      }
    }
  });
});

describe('splitStatements', () => {
  it('splits on a trailing semicolon, drops comment lines and keeps $$ function bodies whole', () => {
    const sql = [
      '-- a comment',
      'CREATE TABLE a (x int);',
      'CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$',
      'BEGIN',
      '  -- inside the body',
      "  RAISE EXCEPTION 'no';",
      'END $$;',
      'CREATE TRIGGER t BEFORE UPDATE ON a',
      '  FOR EACH ROW EXECUTE FUNCTION f();',
    ].join('\n');
    const out = splitStatements(sql);
    expect(out).toHaveLength(3);
    expect(out[0]).toBe('CREATE TABLE a (x int)');
    expect(out[1]).toContain("RAISE EXCEPTION 'no';");
    expect(out[1]).toContain('-- inside the body');
    expect(out[1]?.endsWith('END $$')).toBe(true);
    expect(out[2]).toMatch(/^CREATE TRIGGER t/);
  });
});
