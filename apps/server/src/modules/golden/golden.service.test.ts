import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationalBackends } from '../../../test/support/stores.ts';
import type { OperationalDb } from '../../db/operational.ts';
import { createPiiCipher } from '../../security/crypto.ts';
import { enqueueReview, lineageOf, mergeHistory, pendingReviews } from './golden.repo.ts';
import { decideReviewPair, mergeCustomers, recomputeGolden, unmergeCustomers } from './golden.service.ts';

const cipher = createPiiCipher(Buffer.alloc(32, 3));

async function seed(db: OperationalDb): Promise<void> {
  for (const [id, cif] of [
    [1, 'CIF1'],
    [2, 'CIF2'],
    [3, 'CIF3'],
  ] as const) {
    await db.query(
      `INSERT INTO customers (id, cif, name_enc, name_hash, name_masked, gender, birth_date, province, city, city_tier, occupation)
       VALUES ($1, $2, $3, 'x', 'x', 'M', '1990-03-07', '浙江省', '杭州市', 2, 'engineer')`,
      [id, cif, cipher.encrypt('placeholder')],
    );
  }
  const rec = async (id: number, customer: number, system: string, day: number, attrs: Record<string, string>) =>
    db.query(
      `INSERT INTO source_records (id, source_system, source_key, customer_id, attrs_enc, received_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        id,
        system,
        `${system}-${id}`,
        customer,
        cipher.encrypt(JSON.stringify(attrs)),
        new Date(Date.UTC(2026, 0, day)),
      ],
    );
  await rec(1, 1, 'core_banking', 1, { name: '张伟', mobile: '13800000001', id_number: '110101199003074514' });
  await rec(2, 2, 'app', 20, { name: '章伟', mobile: '13900000002' });
  await rec(3, 3, 'core_banking', 2, { name: '李娜', mobile: '13700000003' });
  await db.query(
    `INSERT INTO products (id, name_zh, name_en, family, risk_level, risk_rated_at, issuer, launched_at)
     VALUES ('D1', '活期', 'Current', 'deposit', 1, '2026-01-01', 'bank', '2026-01-01')`,
  );
  await db.query(
    `INSERT INTO accounts (id, customer_id, account_no_hash, account_no_masked, kind, opened_at) VALUES
     (10, 2, 'h', '622588******1234', 'savings', '2025-01-01')`,
  );
}

for (const backend of operationalBackends()) {
  describe(`golden record on ${backend.name}`, () => {
    let db: OperationalDb;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ db, dispose } = await backend.open());
      await seed(db);
    });
    afterAll(async () => dispose());

    it('recomputes golden values with lineage, encrypted and masked', async () => {
      await recomputeGolden(db, cipher, 1);
      const { rows } = await db.query<{ name_enc: Uint8Array; name_masked: string; mobile_masked: string }>(
        'SELECT name_enc, name_masked, mobile_masked FROM customers WHERE id = 1',
      );
      expect(cipher.decrypt(rows[0]!.name_enc)).toBe('张伟');
      expect(rows[0]?.name_masked).toBe('张*');
      expect(rows[0]?.mobile_masked).toBe('138****0001');
      expect((await lineageOf(db, 1)).map((l) => [l.field, l.source_record_id])).toEqual([
        ['id_number', 1],
        ['mobile', 1],
        ['name', 1],
      ]);
    });

    it('merges a duplicate: records and products move, survivorship picks the trusted name and the newest phone', async () => {
      const r = await mergeCustomers(
        { op: db, cipher },
        { survivorId: 1, mergedId: 2, actor: 'u1', reason: 'same ID' },
      );
      expect(r.moved).toEqual({ source_records: 1, accounts: 1 });
      const { rows } = await db.query<{ id: string; status: string; merged_into: string | null }>(
        'SELECT id::text, status, merged_into::text FROM customers WHERE id IN (1, 2) ORDER BY id',
      );
      expect(rows).toEqual([
        { id: '1', status: 'active', merged_into: null },
        { id: '2', status: 'merged', merged_into: '1' },
      ]);
      const lineage = Object.fromEntries((await lineageOf(db, 1)).map((l) => [l.field, l]));
      expect(lineage.name).toMatchObject({ source_record_id: 1, rule: 'trusted_source', candidates: 2 });
      expect(lineage.mobile).toMatchObject({ source_record_id: 2, rule: 'most_recent' });
      await expect(
        mergeCustomers({ op: db, cipher }, { survivorId: 3, mergedId: 2, actor: 'u1', reason: 'again' }),
      ).rejects.toThrow(/already merged/);
    });

    it('unmerges exactly what the merge moved, once', async () => {
      const [merge] = await mergeHistory(db, 2);
      const r = await unmergeCustomers(
        { op: db, cipher },
        { mergeId: merge!.id, actor: 'u2', reason: 'different people' },
      );
      expect(r).toMatchObject({ survivorId: 1, restoredId: 2 });
      const { rows } = await db.query<{ customer_id: string }>('SELECT customer_id::text FROM accounts WHERE id = 10');
      expect(rows[0]?.customer_id).toBe('2');
      const lineage = Object.fromEntries((await lineageOf(db, 1)).map((l) => [l.field, l]));
      expect(lineage.mobile?.source_record_id).toBe(1);
      await expect(
        unmergeCustomers({ op: db, cipher }, { mergeId: merge!.id, actor: 'u2', reason: 'again' }),
      ).rejects.toThrow(/already undone/);
    });

    it('review queue: accepting a pair merges, rejecting does not', async () => {
      await enqueueReview(db, { recordA: 3, recordB: 2, probability: 0.7, weight: 3.1, evidence: { name: 'jw_0.8' } });
      await enqueueReview(db, { recordA: 1, recordB: 2, probability: 0.8, weight: 4.2, evidence: { name: 'pinyin' } });
      const pending = await pendingReviews(db, 10, 0);
      expect(pending.map((p) => [p.record_a, p.record_b])).toEqual([
        [1, 2],
        [2, 3],
      ]);
      const rej = await decideReviewPair(
        { op: db, cipher },
        { reviewId: pending[1]!.id, decision: 'reject', actor: 'c', reason: 'no' },
      );
      expect(rej.status).toBe('rejected');
      const acc = await decideReviewPair(
        { op: db, cipher },
        { reviewId: pending[0]!.id, decision: 'accept', actor: 'c', reason: 'yes' },
      );
      expect(acc.mergeId).toBeGreaterThan(0);
      expect(await pendingReviews(db, 10, 0)).toEqual([]);
    });
  });
}
