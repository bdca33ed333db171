import type { AuditAction } from '@lingxi/core/audit/actions';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { operationalBackends } from '../../../test/support/stores.ts';
import type { OperationalDb } from '../../db/operational.ts';
import { appendAudit, auditEntryHash, GENESIS_HASH, verifyAuditChain } from './audit.service.ts';

const actor = { id: 'u-1', role: 'compliance' };

async function seed(db: OperationalDb, n: number): Promise<void> {
  for (let i = 1; i <= n; i++) {
    await appendAudit(db, {
      actor,
      action: 'customer.unmask',
      target: { type: 'customer', id: String(i) },
      reason: `投诉调查 case ${i}`,
      details: { fields: ['name', 'mobile'], n: i, ratio: i / 3, nested: { z: 1, a: ['é', '😀'] } },
    });
  }
}

/** Runs `sql` with the append-only triggers disabled (what a superuser could do), then re-enables them. */
async function tamper(db: OperationalDb, sql: string, params: (string | number)[] = []): Promise<void> {
  await db.query('ALTER TABLE audit_log DISABLE TRIGGER ALL');
  try {
    await db.query(sql, params);
  } finally {
    await db.query('ALTER TABLE audit_log ENABLE TRIGGER ALL');
  }
}

for (const backend of operationalBackends()) {
  describe(`audit trail on ${backend.name}`, () => {
    let db: OperationalDb;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ db, dispose } = await backend.open());
    });
    afterEach(async () => dispose());

    it('an empty trail verifies', async () => {
      expect(await verifyAuditChain(db)).toEqual({ ok: true, checked: 0, head: { seq: 0, hash: GENESIS_HASH } });
    });

    it('chains entries: seq 1.., prev_hash = previous hash, hash over the canonical fields', async () => {
      await seed(db, 3);
      const { rows } = await db.query<{ seq: string; prev_hash: string; hash: string; at: Date; details: unknown }>(
        'SELECT seq::text AS seq, prev_hash, hash, at, details FROM audit_log ORDER BY seq',
      );
      expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3]);
      expect(rows[0]?.prev_hash).toBe(GENESIS_HASH);
      expect(rows[1]?.prev_hash).toBe(rows[0]?.hash);
      expect(rows[2]?.prev_hash).toBe(rows[1]?.hash);
      const first = rows[0];
      if (!first) throw new Error('no row');
      expect(first.hash).toBe(
        auditEntryHash({
          seq: 1,
          at: new Date(first.at).toISOString(),
          actor,
          action: 'customer.unmask',
          target: { type: 'customer', id: '1' },
          reason: '投诉调查 case 1',
          details: { fields: ['name', 'mobile'], n: 1, ratio: 1 / 3, nested: { z: 1, a: ['é', '😀'] } },
          prev_hash: GENESIS_HASH,
        }),
      );
      expect(await verifyAuditChain(db, 2)).toMatchObject({
        ok: true,
        checked: 3,
        head: { seq: 3, hash: rows[2]?.hash },
      });
    });

    it('serialises concurrent appends into one gap-free chain', async () => {
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => appendAudit(db, { actor, action: 'customer.view', details: { i } })),
      );
      expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, checked: 40 });
    });

    it('an entry appended in a rolled-back transaction leaves no trace', async () => {
      await seed(db, 1);
      await expect(
        db.transaction(async (tx) => {
          await appendAudit(tx, { actor, action: 'customer.view' });
          throw new Error('business change failed');
        }),
      ).rejects.toThrow('business change failed');
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, checked: 1, head: { seq: 1 } });
    });

    it('refuses bad entries before touching the chain', async () => {
      await expect(appendAudit(db, { actor, action: 'Not An Action' as AuditAction })).rejects.toThrow(/module/);
      await expect(appendAudit(db, { actor, action: 'customer.view', details: { x: Number.NaN } })).rejects.toThrow(
        /finite/,
      );
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, checked: 0 });
    });

    it('the database refuses UPDATE, DELETE and TRUNCATE', async () => {
      await seed(db, 2);
      await expect(db.query("UPDATE audit_log SET reason = 'x' WHERE seq = 1")).rejects.toThrow(/append-only/);
      await expect(db.query('DELETE FROM audit_log WHERE seq = 2')).rejects.toThrow(/append-only/);
      await expect(db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, checked: 2 });
    });

    it('detects an altered entry (hash mismatch) and names its seq', async () => {
      await seed(db, 5);
      await tamper(db, "UPDATE audit_log SET reason = 'routine check' WHERE seq = 3");
      expect(await verifyAuditChain(db)).toMatchObject({
        ok: false,
        checked: 3,
        firstBroken: { seq: 3, reason: 'hash mismatch' },
      });
    });

    it('detects altered details and timestamps', async () => {
      await seed(db, 4);
      await tamper(db, `UPDATE audit_log SET details = jsonb_set(details, '{fields}', '["name"]') WHERE seq = 2`);
      expect((await verifyAuditChain(db)).firstBroken).toMatchObject({ seq: 2, reason: 'hash mismatch' });
    });

    it('detects a re-hashed entry at the next link (prev_hash mismatch)', async () => {
      await seed(db, 5);
      const { rows } = await db.query<{ at: Date; prev_hash: string }>(
        'SELECT at, prev_hash FROM audit_log WHERE seq = 3',
      );
      const r = rows[0];
      if (!r) throw new Error('no row');
      const forged = auditEntryHash({
        seq: 3,
        at: new Date(r.at).toISOString(),
        actor,
        action: 'customer.unmask',
        target: { type: 'customer', id: '3' },
        reason: 'routine check',
        details: { fields: ['name', 'mobile'], n: 3, ratio: 1, nested: { z: 1, a: ['é', '😀'] } },
        prev_hash: r.prev_hash,
      });
      await tamper(
        db,
        `UPDATE audit_log SET reason = 'routine check', details = '{"fields":["name","mobile"],"n":3,"ratio":1,"nested":{"z":1,"a":["é","😀"]}}', hash = $1 WHERE seq = 3`,
        [forged],
      );
      expect((await verifyAuditChain(db)).firstBroken).toMatchObject({ seq: 4, reason: 'prev_hash mismatch' });
    });

    it('detects a deleted entry (missing seq)', async () => {
      await seed(db, 5);
      await tamper(db, 'DELETE FROM audit_log WHERE seq = 2');
      expect(await verifyAuditChain(db)).toMatchObject({
        ok: false,
        checked: 1,
        firstBroken: { seq: 2, reason: 'missing seq' },
      });
    });

    it('detects entries deleted from the tail through the chain head', async () => {
      await seed(db, 5);
      await tamper(db, 'DELETE FROM audit_log WHERE seq >= 4');
      expect((await verifyAuditChain(db)).firstBroken).toMatchObject({ seq: 4, reason: 'missing seq' });
    });

    it('keeps appending after a verification', async () => {
      await seed(db, 2);
      expect((await verifyAuditChain(db)).ok).toBe(true);
      const next = await appendAudit(db, { actor: { id: null, role: null }, action: 'auth.login_failed' });
      expect(next.seq).toBe(3);
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, checked: 3 });
    });
  });
}
