import { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openTempAnalytics, operationalBackends } from '../../../test/support/stores.ts';
import { buildApp } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import type { AnalyticsDb } from '../../db/analytics.ts';
import type { OperationalDb } from '../../db/operational.ts';
import { addBranch, addUser, type Session, signIn, testContext } from '../auth/auth.test-support.ts';
import { passwordProblems } from '../auth/password.ts';
import { registerUserCommands } from './users.cli.ts';
import { usersRoutes } from './users.routes.ts';
import { createDemoUsers } from './users.service.ts';

async function runCli(ctx: AppContext, args: string[]): Promise<{ out: string; exitCode: number }> {
  const program = new Command('lingxi').option('--json').exitOverride();
  registerUserCommands(program, async () => ctx);
  const chunks: string[] = [];
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
    chunks.push(String(c));
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const before = process.exitCode;
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'lingxi', ...args]);
    return { out: chunks.join(''), exitCode: Number(process.exitCode ?? 0) };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = before;
  }
}

for (const backend of operationalBackends()) {
  describe(`users and branches on ${backend.name}`, () => {
    let db: OperationalDb;
    let an: AnalyticsDb;
    let disposeOp: () => Promise<void>;
    let disposeAn: () => Promise<void>;
    let ctx: AppContext;
    let app: FastifyInstance;
    let admin: Session;
    let branchAdmin: Session;
    let adminId: string;

    beforeAll(async () => {
      ({ db, dispose: disposeOp } = await backend.open());
      ({ an, dispose: disposeAn } = await openTempAnalytics());
      ctx = testContext(db, an);
      await addBranch(db, 'ZJ');
      await addBranch(db, 'ZJ-HZ', 'ZJ');
      await addBranch(db, 'JS');
      adminId = await addUser(ctx, 'root-admin', 'admin');
      await addUser(ctx, 'zj-admin', 'admin', 'ZJ');
      app = await buildApp(ctx, [usersRoutes]);
      admin = await signIn(app, 'root-admin');
      branchAdmin = await signIn(app, 'zj-admin');
    });
    afterAll(async () => {
      await app.close();
      await disposeAn();
      await disposeOp();
    });

    it('creates a user with a generated password shown once, which signs in', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: admin.headers,
        payload: { username: 'New.Marketer', role: 'marketer', branchId: 'ZJ-HZ', displayName: '张经理' },
      });
      expect(res.statusCode).toBe(201);
      const body = res.json() as {
        user: { id: string; username: string; passwordSet: boolean };
        generatedPassword: string;
      };
      expect(body.user).toMatchObject({ username: 'new.marketer', passwordSet: true });
      expect(passwordProblems(body.generatedPassword)).toEqual([]);
      await signIn(app, 'new.marketer', body.generatedPassword);
      const list = await app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: admin.cookie } });
      expect(list.body).not.toContain(body.generatedPassword);
      expect(list.body).not.toContain('argon2');
    });

    it('names the field and reason for bad input; 409 for a taken username', async () => {
      const weak = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: admin.headers,
        payload: { username: 'weakling', role: 'rm', password: 'password' },
      });
      expect(weak.statusCode).toBe(400);
      expect(weak.json().detail).toMatch(/^password: must be at least 12 characters/);
      const badRole = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: admin.headers,
        payload: { username: 'someone', role: 'root' },
      });
      expect(badRole.statusCode).toBe(400);
      expect(badRole.json().errors[0].field).toBe('body.role');
      const taken = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: admin.headers,
        payload: { username: 'ROOT-ADMIN', role: 'rm' },
      });
      expect(taken.statusCode).toBe(409);
      const noBranch = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: admin.headers,
        payload: { username: 'lost', role: 'rm', branchId: 'NOPE' },
      });
      expect(noBranch.json().detail).toBe('branchId: no such branch');
    });

    it('keeps a branch administrator inside their branch subtree', async () => {
      const outside = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: branchAdmin.headers,
        payload: { username: 'js-rm', role: 'rm', branchId: 'JS' },
      });
      expect(outside.statusCode).toBe(400);
      const inside = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: branchAdmin.headers,
        payload: { username: 'hz-rm', role: 'rm', branchId: 'ZJ-HZ' },
      });
      expect(inside.statusCode).toBe(201);
      const list = await app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: branchAdmin.cookie } });
      const names = (list.json() as { users: { username: string }[] }).users.map((u) => u.username);
      expect(names).toContain('hz-rm');
      expect(names).not.toContain('root-admin');
      // A bank-wide user is invisible (404) to a branch administrator.
      const patch = await app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${adminId}`,
        headers: branchAdmin.headers,
        payload: { disabled: true },
      });
      expect(patch.statusCode).toBe(404);
    });

    it('refuses to change one’s own role or disable oneself; audits user changes', async () => {
      const self = await app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${adminId}`,
        headers: admin.headers,
        payload: { role: 'rm' },
      });
      expect(self.statusCode).toBe(400);
      const { rows } = await db.query<{ id: string }>("SELECT id FROM users WHERE username = 'hz-rm'");
      const id = rows[0]?.id ?? '';
      const moved = await app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${id}`,
        headers: admin.headers,
        payload: { role: 'marketer', branchId: 'ZJ', resetPassword: true },
      });
      expect(moved.statusCode).toBe(200);
      const body = moved.json() as { user: { role: string; branchId: string }; generatedPassword: string };
      expect(body.user).toMatchObject({ role: 'marketer', branchId: 'ZJ' });
      await signIn(app, 'hz-rm', body.generatedPassword);
      const audit = await db.query<{ details: { changes: Record<string, unknown> } }>(
        "SELECT details FROM audit_log WHERE action = 'user.update' AND target_id = $1",
        [id],
      );
      expect(audit.rows[0]?.details.changes).toMatchObject({
        role: { from: 'rm', to: 'marketer' },
        branch_id: { from: 'ZJ-HZ', to: 'ZJ' },
        password: 'reset',
      });
      expect(JSON.stringify(audit.rows)).not.toContain(body.generatedPassword);
    });

    it('lists and creates branches', async () => {
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/branches',
        headers: admin.headers,
        payload: { id: 'ZJ-NB', nameZh: '宁波分行', nameEn: 'Ningbo', province: '浙江', city: '宁波', parentId: 'ZJ' },
      });
      expect(created.statusCode).toBe(201);
      const dup = await app.inject({
        method: 'POST',
        url: '/api/v1/branches',
        headers: admin.headers,
        payload: { id: 'ZJ-NB', nameZh: 'x', nameEn: 'x', province: 'x', city: 'x' },
      });
      expect(dup.statusCode).toBe(409);
      const list = await app.inject({ method: 'GET', url: '/api/v1/branches', headers: { cookie: admin.cookie } });
      expect((list.json() as { branches: { id: string }[] }).branches.map((b) => b.id)).toEqual([
        'JS',
        'ZJ',
        'ZJ-HZ',
        'ZJ-NB',
      ]);
    });

    it('CLI `users create --json` prints one object with the generated password; bad input exits 1', async () => {
      const ok = await runCli(ctx, ['--json', 'users', 'create', '--username', 'cli-user', '--role', 'analyst']);
      expect(ok.exitCode).toBe(0);
      const parsed = JSON.parse(ok.out) as { ok: boolean; user: { username: string }; generatedPassword: string };
      expect(parsed).toMatchObject({ ok: true, user: { username: 'cli-user' } });
      await signIn(app, 'cli-user', parsed.generatedPassword);
      const bad = await runCli(ctx, ['--json', 'users', 'create', '--username', 'x', '--role', 'analyst']);
      expect(bad.exitCode).toBe(1);
      expect(JSON.parse(bad.out)).toMatchObject({ ok: false, error: expect.stringMatching(/^--username: /) });
      const weak = await runCli(ctx, [
        '--json',
        'users',
        'create',
        '--username',
        'weak-cli',
        '--role',
        'rm',
        '--password',
        'abc',
      ]);
      expect(weak.exitCode).toBe(1);
      expect(JSON.parse(weak.out).error).toMatch(/password: must be at least 12/);
    });

    it('createDemoUsers: one account per role, RMs are the existing assigned RM users; idempotent', async () => {
      await db.query(
        `INSERT INTO users (id, username, display_name, role_id, branch_id) VALUES
           ('rm-0001', 'rm0001', '理财经理1', 'rm', 'ZJ'), ('rm-0002', 'rm0002', '理财经理2', 'rm', 'ZJ'),
           ('rm-0003', 'rm0003', '理财经理3', 'rm', 'ZJ')`,
      );
      const creds = await createDemoUsers(ctx);
      expect(creds.map((c) => c.role).sort()).toEqual([
        'admin',
        'analyst',
        'compliance',
        'executive',
        'marketer',
        'rm',
        'rm',
      ]);
      expect(creds.filter((c) => c.role === 'rm').map((c) => c.userId)).toEqual(['rm-0001', 'rm-0002']);
      for (const c of creds) {
        expect(passwordProblems(c.password)).toEqual([]);
        await signIn(app, c.username, c.password);
      }
      expect(await createDemoUsers(ctx)).toEqual([]);
    });
  });
}
