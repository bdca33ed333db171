import { Writable } from 'node:stream';
import { parseOptions } from '@node-rs/argon2';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempAnalytics, operationalBackends } from '../../../test/support/stores.ts';
import { buildApp } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import type { AnalyticsDb } from '../../db/analytics.ts';
import type { OperationalDb } from '../../db/operational.ts';
import { createLogger } from '../../logger.ts';
import { usersRoutes } from '../users/users.routes.ts';
import { sha256 } from './auth.service.ts';
import { addUser, signIn, TEST_PASSWORD, testContext } from './auth.test-support.ts';
import { FixedWindowLimiter, parseCookies, serializeCookie } from './http-primitives.ts';
import { generatePassword, hashPassword, passwordProblems, verifyPassword } from './password.ts';

describe('password policy and hashing', () => {
  it('requires 12 characters from 3 of 4 classes, and says what is missing', () => {
    expect(passwordProblems('Short1!')).toEqual([expect.stringMatching(/at least 12 characters \(has 7\)/)]);
    expect(passwordProblems('alllowercaseletters')).toEqual([
      expect.stringMatching(/missing an upper-case letter, a digit, a symbol/),
    ]);
    expect(passwordProblems('lower-and-UPPER')).toEqual([]);
    expect(passwordProblems('Alice-Secret-2024', 'alice')).toEqual(['must not contain the username']);
    expect(passwordProblems('密码很长很长很长很长很长Aa1')).toEqual([]);
  });

  it('generates passwords that pass the policy', () => {
    for (let i = 0; i < 50; i++) expect(passwordProblems(generatePassword())).toEqual([]);
    expect(new Set(Array.from({ length: 20 }, () => generatePassword())).size).toBe(20);
  });

  it('hashes with argon2id and verifies', async () => {
    const h = await hashPassword(TEST_PASSWORD);
    expect(h.startsWith('$argon2id$')).toBe(true);
    expect(parseOptions(h)).toMatchObject({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(await verifyPassword(h, TEST_PASSWORD)).toBe(true);
    expect(await verifyPassword(h, `${TEST_PASSWORD}x`)).toBe(false);
    expect(await verifyPassword(null, TEST_PASSWORD)).toBe(false);
    expect(await verifyPassword('not-a-hash', TEST_PASSWORD)).toBe(false);
  });
});

describe('hand-written HTTP primitives', () => {
  it('parses cookies (first wins, quoted and encoded values)', () => {
    const c = parseCookies('a=1; lingxi_session=abc; a=2; q="x y"; e=%E4%BD%A0; bad');
    expect(c.get('a')).toBe('1');
    expect(c.get('lingxi_session')).toBe('abc');
    expect(c.get('q')).toBe('x y');
    expect(c.get('e')).toBe('你');
    expect(parseCookies(undefined).size).toBe(0);
  });

  it('serialises cookies and refuses injection', () => {
    expect(serializeCookie('s', 'v', { maxAgeSeconds: 60, secure: true })).toBe(
      's=v; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Strict',
    );
    expect(() => serializeCookie('s', 'v; Domain=evil')).toThrow(/invalid cookie value/);
  });

  it('limits hits per key per window', () => {
    const l = new FixedWindowLimiter(2, 1000, 4);
    expect(l.hit('a', 0).allowed).toBe(true);
    expect(l.hit('a', 10).allowed).toBe(true);
    expect(l.hit('a', 20)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(l.hit('b', 20).allowed).toBe(true);
    expect(l.hit('a', 1001).allowed).toBe(true);
    for (let i = 0; i < 20; i++) l.hit(`k${i}`, 1002); // bounded memory under a flood of keys
    expect(l.hit('a', 1003).allowed).toBe(true);
  });
});

for (const backend of operationalBackends()) {
  describe(`sessions, CSRF and authorisation on ${backend.name}`, () => {
    let db: OperationalDb;
    let an: AnalyticsDb;
    let disposeOp: () => Promise<void>;
    let disposeAn: () => Promise<void>;
    let ctx: AppContext;
    let app: FastifyInstance;
    const logLines: string[] = [];

    beforeAll(async () => {
      ({ db, dispose: disposeOp } = await backend.open());
      ({ an, dispose: disposeAn } = await openTempAnalytics());
      const sink = new Writable({
        write(chunk: Buffer, _enc, cb) {
          logLines.push(chunk.toString('utf8'));
          cb();
        },
      });
      ctx = testContext(db, an, createLogger('info', sink));
      await addUser(ctx, 'admin1', 'admin');
      await addUser(ctx, 'exec1', 'executive');
      await addUser(ctx, 'victim', 'marketer');
      await addUser(ctx, 'disableme', 'analyst');
      const noPermission = (a: FastifyInstance) => {
        a.get('/api/v1/undeclared', async () => ({ leaked: true }));
      };
      app = await buildApp(ctx, [usersRoutes, noPermission]);
    });
    afterAll(async () => {
      await app.close();
      await disposeAn();
      await disposeOp();
    });

    it('signs in: HttpOnly SameSite=Strict cookie, CSRF token, permissions; stores only digests', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'ADMIN1', password: TEST_PASSWORD },
      });
      expect(res.statusCode).toBe(200);
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).toMatch(/^lingxi_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/);
      const body = res.json() as { user: { role: string }; permissions: string[]; csrfToken: string };
      expect(body.user.role).toBe('admin');
      expect(body.permissions).toContain('users.write');
      const sessionId = cookie.split(';')[0]?.split('=')[1] ?? '';
      const { rows } = await db.query<{ id_hash: string; csrf_token_hash: string }>(
        'SELECT id_hash, csrf_token_hash FROM sessions',
      );
      expect(rows.some((r) => r.id_hash === sha256(sessionId) && r.csrf_token_hash === sha256(body.csrfToken))).toBe(
        true,
      );
      expect(JSON.stringify(rows)).not.toContain(sessionId);
    });

    it('marks the cookie Secure behind a TLS-terminating proxy', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { username: 'admin1', password: TEST_PASSWORD },
      });
      expect(String(res.headers['set-cookie'])).toContain('; Secure;');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
    });

    it('GET /auth/me: 401 without a session, the user and CSRF token with one', async () => {
      const anon = await app.inject({ method: 'GET', url: '/api/v1/auth/me' });
      expect(anon.statusCode).toBe(401);
      expect(anon.headers['content-type']).toContain('application/problem+json');
      const s = await signIn(app, 'exec1');
      const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.cookie } });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ user: { username: 'exec1', role: 'executive' }, csrfToken: s.csrf });
    });

    it('enforces permissions: 401 anonymous, 403 wrong role, allowed role passes', async () => {
      expect((await app.inject({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(401);
      const exec = await signIn(app, 'exec1');
      const denied = await app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: exec.cookie } });
      expect(denied.statusCode).toBe(403);
      expect(denied.json()).toMatchObject({ detail: expect.stringMatching(/lacks the permission users.read/) });
      const admin = await signIn(app, 'admin1');
      expect(
        (await app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: admin.cookie } })).statusCode,
      ).toBe(200);
    });

    it('denies (403) and logs a route that declares no permission, even to an administrator', async () => {
      expect(logLines.join('')).toMatch(/route declares no permission/);
      const admin = await signIn(app, 'admin1');
      const res = await app.inject({ method: 'GET', url: '/api/v1/undeclared', headers: { cookie: admin.cookie } });
      expect(res.statusCode).toBe(403);
      expect(res.body).not.toContain('leaked');
      expect(logLines.join('')).toMatch(/request to a route without a permission: denied/);
    });

    it('requires the CSRF token on state-changing requests with a session', async () => {
      const s = await signIn(app, 'admin1');
      const payload = { username: 'csrfvictim', role: 'rm' };
      const none = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: s.cookie }, payload });
      expect(none.statusCode).toBe(403);
      expect(none.json()).toMatchObject({ detail: expect.stringMatching(/x-csrf-token/) });
      const wrong = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: { cookie: s.cookie, 'x-csrf-token': 'A'.repeat(43) },
        payload,
      });
      expect(wrong.statusCode).toBe(403);
      // Another session's token does not work either: tokens are bound to their session.
      const other = await signIn(app, 'admin1');
      const crossed = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: { cookie: s.cookie, 'x-csrf-token': other.csrf },
        payload,
      });
      expect(crossed.statusCode).toBe(403);
      const { rows } = await db.query("SELECT 1 FROM users WHERE username = 'csrfvictim'");
      expect(rows).toHaveLength(0);
      const ok = await app.inject({ method: 'POST', url: '/api/v1/users', headers: s.headers, payload });
      expect(ok.statusCode).toBe(201);
    });

    it('answers the same 401 for an unknown user and a wrong password', async () => {
      const a = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '10.0.0.2',
        payload: { username: 'nobody-here', password: 'Whatever-123' },
      });
      const b = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '10.0.0.2',
        payload: { username: 'exec1', password: 'Whatever-123' },
      });
      expect(a.statusCode).toBe(401);
      expect(b.statusCode).toBe(401);
      expect(a.json().detail).toBe(b.json().detail);
      await db.query("UPDATE users SET failed_logins = 0 WHERE username = 'exec1'");
    });

    it('locks an account for 15 minutes after 5 failures (423), and an administrator can unlock it', async () => {
      const attempt = (password: string) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress: '10.0.0.3',
          payload: { username: 'victim', password },
        });
      for (let i = 1; i <= 4; i++) expect((await attempt('Wrong-password-1')).statusCode).toBe(401);
      const fifth = await attempt('Wrong-password-1');
      expect(fifth.statusCode).toBe(423);
      const detail = String(fifth.json().detail);
      expect(detail).toMatch(/^account locked until \d{4}-\d\d-\d\dT/);
      const until = new Date(detail.replace(/^account locked until (\S+).*$/, '$1')).getTime();
      expect(until - Date.now()).toBeGreaterThan(14 * 60_000);
      expect(until - Date.now()).toBeLessThanOrEqual(15 * 60_000 + 5_000);
      // Even the right password is refused while locked.
      expect((await attempt(TEST_PASSWORD)).statusCode).toBe(423);

      const admin = await signIn(app, 'admin1');
      const { rows } = await db.query<{ id: string }>("SELECT id FROM users WHERE username = 'victim'");
      const unlock = await app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${rows[0]?.id}`,
        headers: admin.headers,
        payload: { unlock: true },
      });
      expect(unlock.statusCode).toBe(200);
      expect(unlock.json()).toMatchObject({ user: { lockedUntil: null, failedLogins: 0 } });
      expect((await attempt(TEST_PASSWORD)).statusCode).toBe(200);
    });

    it('locks unknown usernames the same way (no account enumeration through the lockout)', async () => {
      let last = 0;
      for (let i = 0; i < 5; i++) {
        last = (
          await app.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            remoteAddress: '10.0.0.4',
            payload: { username: 'ghost-user', password: 'Wrong-password-1' },
          })
        ).statusCode;
      }
      expect(last).toBe(423);
    });

    it('rate-limits sign-in attempts per address (429 after 10 a minute)', async () => {
      const codes: number[] = [];
      for (let i = 0; i < 11; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress: '10.9.9.9',
          payload: { username: `spray${i}`, password: 'Wrong-password-1' },
        });
        codes.push(res.statusCode);
      }
      expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
      expect(codes[10]).toBe(429);
    });

    it('expires sessions when idle and at their absolute expiry, clearing the cookie', async () => {
      const idle = await signIn(app, 'exec1');
      await db.query("UPDATE sessions SET last_seen_at = now() - interval '31 minutes'");
      const r1 = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: idle.cookie } });
      expect(r1.statusCode).toBe(401);
      expect(String(r1.headers['set-cookie'])).toMatch(/^lingxi_session=; Path=\/; Max-Age=0/);

      const old = await signIn(app, 'exec1');
      const touched = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: old.cookie } });
      expect(touched.statusCode).toBe(200);
      await db.query("UPDATE sessions SET expires_at = now() - interval '1 second'");
      expect(
        (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: old.cookie } })).statusCode,
      ).toBe(401);
    });

    it('logs out (CSRF required) and ends the session server-side', async () => {
      const s = await signIn(app, 'exec1');
      expect(
        (await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: s.cookie } })).statusCode,
      ).toBe(403);
      const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: s.headers });
      expect(out.statusCode).toBe(200);
      expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
      expect(
        (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.cookie } })).statusCode,
      ).toBe(401);
    });

    it('disabling a user ends their sessions; they cannot sign in', async () => {
      const victim = await signIn(app, 'disableme');
      const admin = await signIn(app, 'admin1');
      const { rows } = await db.query<{ id: string }>("SELECT id FROM users WHERE username = 'disableme'");
      const res = await app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${rows[0]?.id}`,
        headers: admin.headers,
        payload: { disabled: true },
      });
      expect(res.statusCode).toBe(200);
      expect(
        (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: victim.cookie } })).statusCode,
      ).toBe(401);
      await expect(signIn(app, 'disableme')).rejects.toThrow(/401/);
    });

    it('changes own password: current password and policy checked, other sessions ended', async () => {
      await addUser(ctx, 'changer', 'analyst');
      const a = await signIn(app, 'changer');
      const b = await signIn(app, 'changer');
      const weak = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: a.headers,
        payload: { currentPassword: TEST_PASSWORD, newPassword: 'short' },
      });
      expect(weak.statusCode).toBe(400);
      expect(weak.json().detail).toMatch(/newPassword: password must be at least 12/);
      const ok = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: a.headers,
        payload: { currentPassword: TEST_PASSWORD, newPassword: 'Another-Good-Pass-77' },
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ ok: true, endedSessions: 1 });
      expect(
        (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: a.cookie } })).statusCode,
      ).toBe(200);
      expect(
        (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: b.cookie } })).statusCode,
      ).toBe(401);
      await signIn(app, 'changer', 'Another-Good-Pass-77');
    });

    it('sets a strict CSP on the API and console, not on /docs; no-store on API responses', async () => {
      const api = await app.inject({ method: 'GET', url: '/healthz' });
      expect(api.headers['content-security-policy']).toMatch(
        /default-src 'self'.*script-src 'self'.*frame-ancestors 'none'/,
      );
      const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me' });
      expect(me.headers['cache-control']).toBe('no-store');
      const docs = await app.inject({ method: 'GET', url: '/docs/json' });
      expect(docs.statusCode).toBe(200);
      expect(docs.headers['content-security-policy']).toBeUndefined();
    });

    it('audits sign-ins and failures without the typed username or password', async () => {
      const { rows } = await db.query<{ action: string; details: unknown; target_id: string | null }>(
        "SELECT action, details, target_id FROM audit_log WHERE action LIKE 'auth.%' ORDER BY seq",
      );
      const actions = new Set(rows.map((r) => r.action));
      for (const a of ['auth.login', 'auth.login_failed', 'auth.logout', 'auth.password_change'])
        expect(actions).toContain(a);
      const text = JSON.stringify(rows);
      expect(text).not.toContain('ghost-user');
      expect(text).not.toContain('Wrong-password-1');
      expect(text).not.toContain(TEST_PASSWORD);
    });
  });
}
