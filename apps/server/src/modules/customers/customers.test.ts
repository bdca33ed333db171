import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempAnalytics, operationalBackends } from '../../../test/support/stores.ts';
import { buildApp } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import type { AnalyticsDb } from '../../db/analytics.ts';
import type { OperationalDb } from '../../db/operational.ts';
import { verifyAuditChain } from '../audit/audit.service.ts';
import {
  addBranch,
  addCustomer,
  addUser,
  type Session,
  signIn,
  type TestCustomer,
  testContext,
} from '../auth/auth.test-support.ts';
import { customersRoutes } from './customers.routes.ts';

for (const backend of operationalBackends()) {
  describe(`customer search, profile and audited unmask on ${backend.name}`, () => {
    let db: OperationalDb;
    let an: AnalyticsDb;
    let disposeOp: () => Promise<void>;
    let disposeAn: () => Promise<void>;
    let ctx: AppContext;
    let app: FastifyInstance;
    const s: Record<string, Session> = {};
    const customers: TestCustomer[] = [];

    beforeAll(async () => {
      ({ db, dispose: disposeOp } = await backend.open());
      ({ an, dispose: disposeAn } = await openTempAnalytics());
      ctx = testContext(db, an);
      await addBranch(db, 'B1');
      await addBranch(db, 'B1-1', 'B1');
      await addBranch(db, 'B2');
      const rm1 = await addUser(ctx, 'rm1', 'rm', 'B1');
      const rm2 = await addUser(ctx, 'rm2', 'rm', 'B1');
      await addUser(ctx, 'mkt-b1', 'marketer', 'B1');
      await addUser(ctx, 'comp', 'compliance');
      await addUser(ctx, 'exec', 'executive');
      customers.push(
        {
          id: 1,
          name: '王小明',
          mobile: '13812341234',
          idNumber: '11010119900307002X',
          branchId: 'B1-1',
          rmUserId: rm1,
        },
        { id: 2, name: '李四', mobile: '13900005678', idNumber: '110101199003070011', branchId: 'B1', rmUserId: rm2 },
        { id: 3, name: '赵六', mobile: '13700009999', idNumber: '110101199003070038', branchId: 'B2', rmUserId: null },
      );
      for (const c of customers) await addCustomer(db, ctx.cipher, c);
      app = await buildApp(ctx, [customersRoutes]);
      for (const u of ['rm1', 'rm2', 'mkt-b1', 'comp', 'exec']) s[u] = await signIn(app, u);
    });
    afterAll(async () => {
      await app.close();
      await disposeAn();
      await disposeOp();
    });

    const search = (who: string, q: string) =>
      app.inject({
        method: 'GET',
        url: `/api/v1/customers?q=${encodeURIComponent(q)}`,
        headers: { cookie: s[who]?.cookie ?? '' },
      });
    const ids = (res: { json(): unknown }) =>
      (res.json() as { customers: { id: number }[] }).customers.map((c) => c.id);

    it('finds by exact name, masked mobile, last 4 digits, full mobile, ID number, CIF and number — masked', async () => {
      const res = await search('comp', '王小明');
      expect(res.statusCode).toBe(200);
      expect(ids(res)).toEqual([1]);
      expect(res.body).not.toContain('王小明');
      expect(res.body).not.toContain('13812341234');
      expect(res.json()).toMatchObject({ customers: [{ nameMasked: '王*', mobileMasked: '138****1234' }] });
      expect(ids(await search('comp', '138****1234'))).toEqual([1]);
      expect(ids(await search('comp', '5678'))).toEqual([2]);
      expect(ids(await search('comp', '139 0000 5678'))).toEqual([2]);
      expect(ids(await search('comp', '110101199003070038'))).toEqual([3]);
      expect(ids(await search('comp', 'CIF00000002'))).toEqual([2]);
      expect(ids(await search('comp', '3'))).toEqual([3]);
      expect(ids(await search('comp', '王小'))).toEqual([]);
    });

    it('scopes search: an RM sees own customers only, a branch marketer their branch subtree', async () => {
      expect(ids(await search('rm1', '王小明'))).toEqual([1]);
      expect(ids(await search('rm1', '李四'))).toEqual([]);
      expect(ids(await search('rm2', '李四'))).toEqual([2]);
      expect(ids(await search('mkt-b1', '王小明'))).toEqual([1]); // B1-1 is under B1
      expect(ids(await search('mkt-b1', '赵六'))).toEqual([]); // B2
      expect(ids(await search('comp', '赵六'))).toEqual([3]); // bank-wide
    });

    it('lists customers in scope without a query, paged by id', async () => {
      const list = (who: string, qs: string) =>
        app.inject({ method: 'GET', url: `/api/v1/customers${qs}`, headers: { cookie: s[who]?.cookie ?? '' } });
      expect(ids(await list('rm1', ''))).toEqual([1]);
      expect(ids(await list('rm2', ''))).toEqual([2]);
      expect(ids(await list('mkt-b1', ''))).toEqual([1, 2]); // B1 and B1-1, not B2
      expect(ids(await list('comp', ''))).toEqual([1, 2, 3]);
      const page1 = (await list('comp', '?limit=2')).json() as {
        customers: { id: number }[];
        nextAfter: number | null;
      };
      expect(page1.customers.map((c) => c.id)).toEqual([1, 2]);
      expect(page1.nextAfter).toBe(2);
      const page2 = (await list('comp', '?limit=2&after=2')).json() as {
        customers: { id: number }[];
        nextAfter: number | null;
      };
      expect(page2.customers.map((c) => c.id)).toEqual([3]);
      expect(page2.nextAfter).toBeNull();
      const bad = await list('comp', '?after=-1');
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('after');
    });

    it('answers 404 — never 403 — for out-of-scope and unknown customers', async () => {
      const get = (who: string, id: number) =>
        app.inject({ method: 'GET', url: `/api/v1/customers/${id}`, headers: { cookie: s[who]?.cookie ?? '' } });
      const own = await get('rm1', 1);
      expect(own.statusCode).toBe(200);
      expect(own.json()).toMatchObject({ id: 1, nameMasked: '王*', mobileMasked: '138****1234', homeBranchId: 'B1-1' });
      expect(own.body).not.toContain('王小明');
      const other = await get('rm1', 2);
      const unknown = await get('rm1', 999);
      expect(other.statusCode).toBe(404);
      expect(unknown.statusCode).toBe(404);
      expect(other.json().title).toBe(unknown.json().title);
      expect((await get('mkt-b1', 3)).statusCode).toBe(404);
      expect((await get('exec', 3)).statusCode).toBe(200);
    });

    const unmask = (who: string, id: number, body: Record<string, unknown>) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/customers/${id}/unmask`,
        headers: s[who]?.headers ?? {},
        payload: body,
      });

    it('unmasks for a permitted role in scope and audits actor, customer, fields and reason', async () => {
      const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0]?.n ?? 0;
      const res = await unmask('rm1', 1, { fields: ['name', 'mobile', 'id_number'], reason: '客户来电核实身份' });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { values: Record<string, string>; auditSeq: number };
      expect(body.values).toEqual({ name: '王小明', mobile: '13812341234', id_number: '11010119900307002X' });
      const { rows } = await db.query<{
        seq: string;
        actor_id: string;
        actor_role: string;
        target_type: string;
        target_id: string;
        reason: string;
        details: { fields: string[] };
      }>(
        "SELECT seq::text AS seq, actor_id, actor_role, target_type, target_id, reason, details FROM audit_log WHERE action = 'customer.unmask'",
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        seq: String(body.auditSeq),
        actor_role: 'rm',
        target_type: 'customer',
        target_id: '1',
        reason: '客户来电核实身份',
        details: { fields: ['name', 'mobile', 'id_number'] },
      });
      expect(JSON.stringify(rows)).not.toContain('13812341234');
      expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0]?.n).toBe(before + 1);
      expect((await verifyAuditChain(db)).ok).toBe(true);
    });

    it('refuses without a reason (400), without the permission (403), out of scope (404) — leaving no clear text', async () => {
      const short = await unmask('comp', 1, { fields: ['name'], reason: 'why' });
      expect(short.statusCode).toBe(400);
      expect(short.json().detail).toMatch(/reason/);
      expect((await unmask('comp', 1, { fields: ['password'], reason: 'audit case 7' })).statusCode).toBe(400);
      expect((await unmask('exec', 1, { fields: ['name'], reason: 'curious about it' })).statusCode).toBe(403);
      expect((await unmask('mkt-b1', 1, { fields: ['name'], reason: 'curious about it' })).statusCode).toBe(403);
      const out = await unmask('rm1', 2, { fields: ['name'], reason: 'not my customer' });
      expect(out.statusCode).toBe(404);
      expect(out.body).not.toContain('李四');
      const { rows } = await db.query("SELECT 1 FROM audit_log WHERE action = 'customer.unmask' AND target_id = '2'");
      expect(rows).toHaveLength(0);
    });

    it('returns nothing when the audit entry cannot be written (audit before data)', async () => {
      await db.query('DELETE FROM audit_head');
      try {
        const res = await unmask('comp', 3, { fields: ['name'], reason: 'complaint investigation' });
        expect(res.statusCode).toBe(500);
        expect(res.body).not.toContain('赵六');
      } finally {
        const { rows } = await db.query<{ seq: string; hash: string }>(
          'SELECT seq::text AS seq, hash FROM audit_log ORDER BY audit_log.seq DESC LIMIT 1',
        );
        await db.query('INSERT INTO audit_head (id, seq, hash) VALUES (1, $1, $2)', [
          Number(rows[0]?.seq ?? 0),
          rows[0]?.hash ?? '0'.repeat(64),
        ]);
      }
      expect((await verifyAuditChain(db)).ok).toBe(true);
    });

    it('audits searches and profile views without the query text', async () => {
      const { rows } = await db.query<{ action: string; details: unknown }>(
        "SELECT action, details FROM audit_log WHERE action IN ('customer.search', 'customer.view')",
      );
      expect(rows.some((r) => r.action === 'customer.search')).toBe(true);
      expect(rows.some((r) => r.action === 'customer.view')).toBe(true);
      const text = JSON.stringify(rows);
      for (const c of customers) {
        expect(text).not.toContain(c.name);
        expect(text).not.toContain(c.mobile);
      }
    });
  });
}
