import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempAnalytics } from '../../../test/support/stores.ts';
import { buildApp } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { migrateOperational } from '../../db/migrate.ts';
import { openMemoryOperationalDb } from '../../db/operational.ts';
import { createLogger } from '../../logger.ts';
import { setPassword } from '../auth/auth.repo.ts';
import { addUser, type Session, signIn, TEST_PASSWORD, testContext } from '../auth/auth.test-support.ts';
import { hashPassword } from '../auth/password.ts';
import { loadSyntheticBank } from '../synth/synth.service.ts';
import { refreshTags } from '../tags/tags.service.ts';

type App = Awaited<ReturnType<typeof buildApp>>;

describe('customer 360 and the cockpit on a synthetic bank', () => {
  let ctx: AppContext;
  let app: App;
  let disposeAn: () => Promise<void>;
  let executive: Session;
  let rm: Session;
  let ownCustomer: number;
  let otherCustomer: number;

  beforeAll(async () => {
    const op = await openMemoryOperationalDb();
    await migrateOperational(op);
    const t = await openTempAnalytics();
    disposeAn = t.dispose;
    ctx = testContext(op, t.an, createLogger('error'));
    await loadSyntheticBank(ctx.stores, ctx.cipher, { customers: 600, seed: 5, asOf: '2026-06-30' });
    await refreshTags(ctx, { asOf: '2026-06-30' });
    app = await buildApp(ctx);
    await addUser(ctx, 'exec1', 'executive');
    // the synthetic bank's RM users exist without passwords: give one a password and sign in as it
    const { rows } = await op.query<{ rm: string; own: number; other: number }>(
      `SELECT a.rm_user_id AS rm, min(a.id)::int AS own,
              (SELECT min(b.id)::int FROM customers b WHERE b.rm_user_id IS NOT NULL AND b.rm_user_id <> a.rm_user_id) AS other
         FROM customers a WHERE a.rm_user_id IS NOT NULL GROUP BY a.rm_user_id ORDER BY a.rm_user_id LIMIT 1`,
    );
    const row = rows[0]!;
    ownCustomer = row.own;
    otherCustomer = row.other;
    await setPassword(op, row.rm, await hashPassword(TEST_PASSWORD));
    const { rows: u } = await op.query<{ username: string }>('SELECT username FROM users WHERE id = $1', [row.rm]);
    rm = await signIn(app, u[0]!.username);
    executive = await signIn(app, 'exec1');
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.stores.op.close();
    await disposeAn?.();
  });

  it('an RM opens an own customer 360: masked profile, holdings, spend, tags', async () => {
    const res = await app.inject({ url: `/api/v1/customers/${ownCustomer}/360`, headers: rm.headers });
    expect(res.statusCode).toBe(200);
    const body = res.json() as Record<string, unknown> & {
      profile: { name_masked: string; mobile_masked: string };
      identity: { sourceRecords: unknown[] };
      tags: { tags: { tagId: string }[] };
      holdings: { aumTrend: unknown[] };
    };
    expect(body.profile.name_masked).toMatch(/\*$/);
    expect(body.profile.mobile_masked).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(JSON.stringify(body)).not.toMatch(/"(name|mobile|id_number)":/);
    expect(body.identity.sourceRecords.length).toBeGreaterThan(0);
    expect(body.tags.tags.map((t) => t.tagId)).toContain('lifecycle.stage');
    for (const key of [
      'productsHeld',
      'transactions',
      'appActivity30d',
      'consents',
      'contacts',
      'campaigns',
      'scores',
    ]) {
      expect(body).toHaveProperty(key);
    }
  });

  it("an RM asking for another RM's customer gets 404", async () => {
    const res = await app.inject({ url: `/api/v1/customers/${otherCustomer}/360`, headers: rm.headers });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('the cockpit: segments add up to the bank, rates are ratios of counts, trend has months', async () => {
    const seg = (
      await app.inject({ url: '/api/v1/dashboard/segments?dimension=lifecycle', headers: executive.headers })
    ).json() as {
      rows: { customers: number }[];
    };
    expect(seg.rows.reduce((a, r) => a + r.customers, 0)).toBe(600);
    const rates = (await app.inject({ url: '/api/v1/dashboard/rates', headers: executive.headers })).json() as {
      activation: { numerator: number; denominator: number; rate: number };
      customers: number;
    };
    expect(rates.customers).toBe(600);
    expect(rates.activation.rate).toBeCloseTo(rates.activation.numerator / rates.activation.denominator, 10);
    const trend = (
      await app.inject({ url: '/api/v1/dashboard/trend?grain=month', headers: executive.headers })
    ).json() as {
      rows: { period: string; activeCustomers: number }[];
    };
    expect(trend.rows.length).toBeGreaterThanOrEqual(12);
    expect(trend.rows.every((r) => r.activeCustomers > 0)).toBe(true);
    const bad = await app.inject({ url: '/api/v1/dashboard/segments?dimension=galaxy', headers: executive.headers });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { detail: string }).detail).toContain('dimension');
  });

  it('an RM sees only its own book in the cockpit', async () => {
    const seg = (
      await app.inject({ url: '/api/v1/dashboard/segments?dimension=lifecycle', headers: rm.headers })
    ).json() as {
      rows: { customers: number }[];
    };
    const { rows } = await ctx.stores.op.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM customers WHERE rm_user_id = (SELECT rm_user_id FROM customers WHERE id = $1)',
      [ownCustomer],
    );
    expect(seg.rows.reduce((a, r) => a + r.customers, 0)).toBe(rows[0]?.n);
  });
});
