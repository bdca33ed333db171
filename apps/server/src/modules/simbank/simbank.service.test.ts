import { isValidResidentId } from '@lingxi/core/identity/resident-id';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempAnalytics } from '../../../test/support/stores.ts';
import { migrateOperational } from '../../db/migrate.ts';
import { openMemoryOperationalDb } from '../../db/operational.ts';
import type { Stores } from '../../db/stores.ts';
import { createPiiCipher } from '../../security/crypto.ts';
import { bankChecksums, loadSyntheticBank } from './simbank.service.ts';

const cipher = createPiiCipher(Buffer.alloc(32, 9));

async function freshStores(): Promise<Stores & { dispose(): Promise<void> }> {
  const op = await openMemoryOperationalDb();
  await migrateOperational(op);
  const { an, dispose } = await openTempAnalytics();
  return {
    op,
    an,
    close: async () => {},
    async dispose() {
      await op.close();
      await dispose();
    },
  };
}

describe('synthetic bank loader', () => {
  let a: Awaited<ReturnType<typeof freshStores>>;
  let report: Awaited<ReturnType<typeof loadSyntheticBank>>;
  let otherChecksums: Record<string, string>;

  beforeAll(async () => {
    // chDB admits one data dir per process: load the second bank first, checksum it, and close it.
    const b = await freshStores();
    await loadSyntheticBank(b, cipher, { customers: 1500, seed: 7, duplicates: true, batchSize: 1500 });
    otherChecksums = await bankChecksums(b);
    await b.dispose();
    a = await freshStores();
    report = await loadSyntheticBank(a, cipher, { customers: 1500, seed: 7, duplicates: true, batchSize: 400 });
  });
  afterAll(async () => {
    await a?.dispose();
  });

  it('loads both stores and the dimensions', async () => {
    expect(report.rows.customers).toBe(1500);
    expect(report.rows.transactions).toBeGreaterThan(1500 * 20);
    expect(report.rows.dim_customers).toBe(1500);
    const [t] = await a.an.query<{ n: number }>('SELECT toUInt32(count()) AS n FROM transactions');
    expect(Number(t?.n)).toBe(report.rows.transactions);
  });

  it('is deterministic: same seed, different batch sizes → identical content', async () => {
    expect(await bankChecksums(a)).toEqual(otherChecksums);
  });

  it('stores identity fields encrypted, hashes and masks consistent', async () => {
    const { rows } = await a.op.query<{
      name_enc: Uint8Array;
      name_masked: string;
      id_number_enc: Uint8Array;
      mobile_enc: Uint8Array;
      mobile_masked: string;
      birth_date: string;
      gender: string;
    }>(
      "SELECT name_enc, name_masked, id_number_enc, mobile_enc, mobile_masked, to_char(birth_date, 'YYYYMMDD') AS birth_date, gender FROM customers ORDER BY id LIMIT 300",
    );
    for (const r of rows) {
      const name = cipher.decrypt(r.name_enc);
      const id = cipher.decrypt(r.id_number_enc);
      const mobile = cipher.decrypt(r.mobile_enc);
      expect(isValidResidentId(id), id).toBe(true);
      expect(id.slice(6, 14)).toBe(r.birth_date);
      expect(Number(id[16]) % 2 === 1 ? 'M' : 'F').toBe(r.gender);
      expect(mobile).toMatch(/^1[3-9]\d{9}$/);
      expect(r.mobile_masked).toBe(`${mobile.slice(0, 3)}****${mobile.slice(7)}`);
      expect(r.name_masked.startsWith(name.slice(0, 1))).toBe(true);
    }
  });

  it('refuses to load into a non-empty bank', async () => {
    await expect(loadSyntheticBank(a, cipher, { customers: 10, seed: 1 })).rejects.toThrow(
      /already has 1500 customers/,
    );
  });

  it('plants the churn signal: recent churners log in less and redeem more before leaving', async () => {
    const rows = await a.an.query<{
      churner: number;
      early: number;
      late: number;
      redemptions: number;
      customers: number;
    }>(
      `SELECT isNotNull(t.churn_date) AND t.churn_date > toDate('2026-04-01') AS churner,
              countIf(e.ts < toDateTime('2026-04-01')) / uniqExact(t.customer_id) AS early,
              countIf(e.ts >= toDateTime('2026-05-15')) / uniqExact(t.customer_id) AS late,
              0 AS redemptions, uniqExact(t.customer_id) AS customers
         FROM synth_truth t INNER JOIN app_events e ON e.customer_id = t.customer_id AND e.event_type = 'login'
        WHERE t.lifecycle IN ('active', 'churned') GROUP BY churner ORDER BY churner`,
    );
    const stay = rows.find((r) => !Number(r.churner));
    const churn = rows.find((r) => Number(r.churner));
    expect(stay && churn).toBeTruthy();
    expect(Number(churn?.late) / Number(churn?.early)).toBeLessThan(Number(stay?.late) / Number(stay?.early));
    const red = await a.an.query<{ churner: number; r: number }>(
      `SELECT isNotNull(t.churn_date) AS churner, countIf(x.txn_type = 'redemption') / uniqExact(t.customer_id) AS r
         FROM synth_truth t LEFT JOIN transactions x ON x.customer_id = t.customer_id
        WHERE t.lifecycle != 'potential' GROUP BY churner`,
    );
    const rChurn = Number(red.find((r) => Number(r.churner))?.r);
    const rStay = Number(red.find((r) => !Number(r.churner))?.r);
    expect(rChurn).toBeGreaterThan(rStay);
  });
});
