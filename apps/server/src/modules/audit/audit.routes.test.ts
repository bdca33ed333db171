import { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openTempAnalytics, operationalBackends } from '../../../test/support/stores.ts';
import { buildApp } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import type { AnalyticsDb } from '../../db/analytics.ts';
import type { OperationalDb } from '../../db/operational.ts';
import { addUser, type Session, signIn, testContext } from '../auth/auth.test-support.ts';
import { registerAuditCommands } from './audit.cli.ts';
import { auditRoutes } from './audit.routes.ts';
import { appendAudit } from './audit.service.ts';

async function auditVerifyCli(ctx: AppContext): Promise<{ out: string; exitCode: number }> {
  const program = new Command('lingxi').option('--json').exitOverride();
  registerAuditCommands(program, async () => ctx);
  const chunks: string[] = [];
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
    chunks.push(String(c));
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const before = process.exitCode;
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'lingxi', '--json', 'audit', 'verify']);
    return { out: chunks.join(''), exitCode: Number(process.exitCode ?? 0) };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = before;
  }
}

for (const backend of operationalBackends()) {
  describe(`audit API and CLI on ${backend.name}`, () => {
    let db: OperationalDb;
    let an: AnalyticsDb;
    let disposeOp: () => Promise<void>;
    let disposeAn: () => Promise<void>;
    let ctx: AppContext;
    let app: FastifyInstance;
    let compliance: Session;

    beforeAll(async () => {
      ({ db, dispose: disposeOp } = await backend.open());
      ({ an, dispose: disposeAn } = await openTempAnalytics());
      ctx = testContext(db, an);
      await addUser(ctx, 'auditor', 'compliance');
      app = await buildApp(ctx, [auditRoutes]);
      compliance = await signIn(app, 'auditor');
      for (let i = 1; i <= 5; i++) {
        await appendAudit(ctx, {
          actor: { id: 'u-rm', role: 'rm' },
          action: 'customer.unmask',
          target: { type: 'customer', id: String(i) },
          reason: 'client called',
          details: { fields: ['mobile'] },
        });
      }
    });
    afterAll(async () => {
      await app.close();
      await disposeAn();
      await disposeOp();
    });

    const list = (qs: string) =>
      app.inject({ method: 'GET', url: `/api/v1/audit${qs}`, headers: { cookie: compliance.cookie } });

    it('lists newest first with filters and a cursor', async () => {
      const all = await list('?action=customer.unmask&limit=2');
      expect(all.statusCode).toBe(200);
      const page1 = all.json() as { entries: { seq: number; target: { id: string } }[]; nextBefore: number | null };
      expect(page1.entries.map((e) => e.target.id)).toEqual(['5', '4']);
      const page2 = (await list(`?action=customer.unmask&limit=2&before=${page1.nextBefore}`)).json() as typeof page1;
      expect(page2.entries.map((e) => e.target.id)).toEqual(['3', '2']);
      const one = (await list('?target=customer:3')).json() as typeof page1;
      expect(one.entries).toHaveLength(1);
      expect(one.entries[0]).toMatchObject({ actor: { id: 'u-rm', role: 'rm' }, reason: 'client called' });
      expect(((await list('?actor=u-rm')).json() as typeof page1).entries).toHaveLength(5);
      const future = (await list(`?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).json();
      expect((future as typeof page1).entries).toEqual([]);
      const bad = await list('?from=yesterday');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].field).toMatch(/from/);
    });

    it('has no route that writes or deletes entries', async () => {
      for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
        const res = await app.inject({ method, url: '/api/v1/audit', headers: compliance.headers, payload: {} });
        expect(res.statusCode).toBe(404);
      }
    });

    it('verifies via the API and the CLI; tampering names the broken seq and the CLI exits 1', async () => {
      const ok = await app.inject({ method: 'POST', url: '/api/v1/audit/verify', headers: compliance.headers });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ ok: true });
      const cliOk = await auditVerifyCli(ctx);
      expect(cliOk.exitCode).toBe(0);
      expect(JSON.parse(cliOk.out)).toMatchObject({ ok: true });

      await db.query('ALTER TABLE audit_log DISABLE TRIGGER ALL');
      await db.query(
        "UPDATE audit_log SET reason = 'nothing to see' WHERE target_type = 'customer' AND target_id = '2'",
      );
      await db.query('ALTER TABLE audit_log ENABLE TRIGGER ALL');
      const seq = Number(
        (
          await db.query<{ seq: string }>(
            "SELECT seq::text AS seq FROM audit_log WHERE target_type = 'customer' AND target_id = '2'",
          )
        ).rows[0]?.seq,
      );
      const broken = await app.inject({ method: 'POST', url: '/api/v1/audit/verify', headers: compliance.headers });
      expect(broken.json()).toMatchObject({ ok: false, firstBroken: { seq, reason: 'hash mismatch' } });
      const cli = await auditVerifyCli(ctx);
      expect(cli.exitCode).toBe(1);
      expect(JSON.parse(cli.out)).toMatchObject({ ok: false, firstBroken: { seq, reason: 'hash mismatch' } });
    });
  });
}
