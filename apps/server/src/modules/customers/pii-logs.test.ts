import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempAnalytics, operationalBackends } from '../../../test/support/stores.ts';
import { buildApp } from '../../app.ts';
import { createLogger } from '../../logger.ts';
import { auditRoutes } from '../audit/audit.routes.ts';
import { addBranch, addCustomer, addUser, signIn, TEST_PASSWORD, testContext } from '../auth/auth.test-support.ts';
import { usersRoutes } from '../users/users.routes.ts';
import { customersRoutes } from './customers.routes.ts';

/** Rulebook P8: logs never carry personal data nor credentials, even at trace level and on errors. */
const backend = operationalBackends()[0];
if (!backend) throw new Error('no operational backend');

describe('logs carry no PII or credentials', () => {
  const lines: string[] = [];
  let dispose: () => Promise<void> = async () => {};

  const name = '欧阳娜娜';
  const mobile = '13698765432';
  const idNumber = '330102198506120044';
  const wrongPassword = 'Wrong-Secret-Pass-99';

  beforeAll(async () => {
    const { db, dispose: disposeOp } = await backend.open();
    const { an, dispose: disposeAn } = await openTempAnalytics();
    dispose = async () => {
      await disposeAn();
      await disposeOp();
    };
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString('utf8'));
        cb();
      },
    });
    const ctx = testContext(db, an, createLogger('trace', sink));
    await addBranch(db, 'B1');
    const rm = await addUser(ctx, 'pii-rm', 'rm', 'B1');
    await addUser(ctx, 'pii-admin', 'admin');
    await addCustomer(db, ctx.cipher, { id: 7, name, mobile, idNumber, branchId: 'B1', rmUserId: rm });
    const app = await buildApp(ctx, [customersRoutes, usersRoutes, auditRoutes]);

    await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'pii-rm', password: wrongPassword },
    });
    const s = await signIn(app, 'pii-rm');
    const get = (url: string) => app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
    for (const q of [name, mobile, idNumber, '136****5432', '5432']) {
      const res = await get(`/api/v1/customers?q=${encodeURIComponent(q)}`);
      expect(res.statusCode).toBe(200);
    }
    expect((await get('/api/v1/customers/7')).statusCode).toBe(200);
    const unmask = await app.inject({
      method: 'POST',
      url: '/api/v1/customers/7/unmask',
      headers: s.headers,
      payload: { fields: ['name', 'mobile', 'id_number'], reason: `客户 ${name} 来电 ${mobile}` },
    });
    expect(unmask.statusCode).toBe(200);
    expect(unmask.body).toContain(idNumber);
    // Failures too: validation errors, forbidden, not found, CSRF refusal.
    await app.inject({
      method: 'POST',
      url: '/api/v1/customers/7/unmask',
      headers: s.headers,
      payload: { fields: [name] },
    });
    await app.inject({ method: 'POST', url: '/api/v1/customers/7/unmask', headers: { cookie: s.cookie }, payload: {} });
    await get(`/api/v1/users?role=${encodeURIComponent(name)}`);
    await get(`/api/v1/customers/${mobile}`);
    const admin = await signIn(app, 'pii-admin');
    await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin.headers,
      payload: { username: 'pii-new', role: 'rm', password: 'Brand-New-Pass-123' },
    });
    await app.close();
  });
  afterAll(async () => dispose());

  it('captured the request logs', () => {
    const text = lines.join('');
    expect(text).toMatch(/"route":"\/api\/v1\/customers\/:id\/unmask"/);
    expect(lines.length).toBeGreaterThan(20);
  });

  it('has no name, mobile, ID number, password or session cookie in any line', () => {
    const text = lines.join('');
    for (const secret of [
      name,
      mobile,
      idNumber,
      TEST_PASSWORD,
      wrongPassword,
      'Brand-New-Pass-123',
      'lingxi_session=',
    ]) {
      expect(text).not.toContain(secret);
    }
    // Nor a JSON-escaped form of the name.
    expect(text).not.toContain(
      JSON.stringify(name)
        .slice(1, -1)
        .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    );
  });
});
