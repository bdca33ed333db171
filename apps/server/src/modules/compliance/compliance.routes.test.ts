import { type ConsentFact, hasConsent } from '@lingxi/core/compliance/consent';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempAnalytics } from '../../../test/support/stores.ts';
import { buildApp } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import type { AnalyticsDb } from '../../db/analytics.ts';
import { migrateAnalytics, migrateOperational } from '../../db/migrate.ts';
import type { OperationalDb } from '../../db/operational.ts';
import { openMemoryOperationalDb } from '../../db/operational.ts';
import { listEntries } from '../audit/audit.repo.ts';
import { verifyAuditChain } from '../audit/audit.service.ts';
import { addBranch, addCustomer, addUser, type Session, signIn, testContext } from '../auth/auth.test-support.ts';
import { mayContactBatch } from '../consents/consents.service.ts';
import { pruneContactHistory } from './compliance.service.ts';

/**
 * The compliance server on PGlite + chDB: rule parameters, settings, maker–checker, suitability, erasure, the consent
 * registry, inbound SMS opt-outs, the contact policy and the H5 links, through the real HTTP routes.
 */
describe('compliance, consents and H5 over HTTP', () => {
  let op: OperationalDb;
  let an: AnalyticsDb;
  let disposeAn: () => Promise<void>;
  let ctx: AppContext;
  let app: FastifyInstance;
  const s: Record<string, Session> = {};

  beforeAll(async () => {
    op = await openMemoryOperationalDb();
    await migrateOperational(op);
    ({ an, dispose: disposeAn } = await openTempAnalytics());
    await migrateAnalytics(an);
    ctx = testContext(op, an);
    await addBranch(op, 'B1');
    const rm1 = await addUser(ctx, 'rm1', 'rm', 'B1');
    const rm2 = await addUser(ctx, 'rm2', 'rm', 'B1');
    await addUser(ctx, 'mkt', 'marketer');
    await addUser(ctx, 'comp', 'compliance');
    await addUser(ctx, 'comp2', 'compliance');
    await addUser(ctx, 'adm', 'admin');
    await addUser(ctx, 'ana', 'analyst');
    await addCustomer(op, ctx.cipher, {
      id: 1,
      name: '王小明',
      mobile: '13800001234',
      idNumber: '110101199003070011',
      branchId: 'B1',
      rmUserId: rm1,
    });
    await addCustomer(op, ctx.cipher, {
      id: 2,
      name: '李四',
      mobile: '13900005678',
      idNumber: '110101199003070038',
      branchId: 'B1',
      rmUserId: rm2,
    });
    for (let id = 10; id < 70; id++) {
      await addCustomer(op, ctx.cipher, {
        id,
        name: `客户${id}`,
        mobile: `137${String(id).padStart(8, '0')}`,
        idNumber: `11010119900307${String(id).padStart(4, '0')}`,
        branchId: 'B1',
        rmUserId: rm1,
      });
    }
    await op.query(
      `UPDATE customers SET risk_level = 'C2', risk_assessed_at = now() - interval '10 days' WHERE id = 1`,
    );
    await op.query(
      `INSERT INTO products (id, name_zh, name_en, family, risk_level, risk_rated_at, issuer, launched_at) VALUES
         ('WM-R2', 'R2', 'R2', 'wealth', 2, '2025-01-01', 'Lingxi', '2025-01-01'),
         ('WM-R3', 'R3', 'R3', 'wealth', 3, '2025-01-01', 'Lingxi', '2025-01-01')`,
    );
    await an.command(
      `INSERT INTO dim_customers (customer_id, province, city, occupation, version) VALUES (1, '浙江', '杭州', 'teacher', 1), (2, '浙江', '杭州', 'teacher', 1)`,
    );
    app = await buildApp(ctx);
    for (const u of ['rm1', 'rm2', 'mkt', 'comp', 'comp2', 'adm', 'ana']) s[u] = await signIn(app, u);
  });

  afterAll(async () => {
    await app?.close();
    await disposeAn?.();
    await op?.close();
  });

  const call = (who: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: s[who]?.headers ?? {},
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });

  it('serves the rulebook and versions a parameter change by compliance, refusing loosening and bad values', async () => {
    const rules = (await call('mkt', 'GET', '/api/v1/compliance/rules')).json() as {
      rules: { id: string; parameters: Record<string, { value: unknown }> }[];
    };
    expect(rules.rules.length).toBeGreaterThan(30);
    expect(rules.rules.find((r) => r.id === 'S11')?.parameters.coolingOffHours?.value).toBe(24);

    expect(
      (
        await call('mkt', 'PUT', '/api/v1/compliance/rules/S11/parameters', {
          values: { coolingOffHours: 48 },
          reason: 'policy 2026-11',
        })
      ).statusCode,
    ).toBe(403);
    const ok = await call('comp', 'PUT', '/api/v1/compliance/rules/S11/parameters', {
      values: { coolingOffHours: 48 },
      reason: 'policy 2026-11',
    });
    expect(ok.statusCode).toBe(200);
    expect((ok.json() as { parameters: { coolingOffHours: { value: number } } }).parameters.coolingOffHours.value).toBe(
      48,
    );

    const looser = await call('comp', 'PUT', '/api/v1/compliance/rules/S11/parameters', {
      values: { coolingOffHours: 12 },
      reason: 'try to loosen',
    });
    expect(looser.statusCode).toBe(400);
    expect(looser.body).toContain('values.coolingOffHours');
    const wrongType = await call('comp', 'PUT', '/api/v1/compliance/rules/S11/parameters', {
      values: { coolingOffHours: 'soon' },
      reason: 'bad value',
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.body).toContain('coolingOffHours');
    expect(
      (
        await call('comp', 'PUT', '/api/v1/compliance/rules/Z9/parameters', {
          values: { x: 1 },
          reason: 'unknown rule',
        })
      ).statusCode,
    ).toBe(404);

    const history = (await call('comp', 'GET', '/api/v1/compliance/rules/S11/history')).json() as {
      versions: { version: number }[];
    };
    expect(history.versions.map((v) => v.version)).toEqual([1]);
    const audit = await op.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'compliance.rule_params_changed'`,
    );
    expect(audit.rows[0]?.n).toBe(1);
  });

  it('changes settings with a reason and names a bad key or value', async () => {
    const r = await call('adm', 'PATCH', '/api/v1/settings', {
      values: { 'retention.tagSnapshotDays': 500 },
      reason: 'storage plan',
    });
    expect(r.statusCode).toBe(200);
    const got = (r.json() as { settings: { key: string; value: unknown; updatedBy: string | null }[] }).settings.find(
      (x) => x.key === 'retention.tagSnapshotDays',
    );
    expect(got?.value).toBe(500);
    const bad = await call('adm', 'PATCH', '/api/v1/settings', {
      values: { 'export.watermark': false },
      reason: 'no watermark',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('values.export.watermark');
    expect((await call('mkt', 'PATCH', '/api/v1/settings', { values: {}, reason: 'nothing at all' })).statusCode).toBe(
      403,
    );

    // every signed-in console receives the display settings with its session
    const display = async () => ((await call('mkt', 'GET', '/api/v1/auth/me')).json() as { display: unknown }).display;
    expect(await display()).toEqual({ timezone: 'Asia/Shanghai', demoBanner: true });
    const changed = await call('adm', 'PATCH', '/api/v1/settings', {
      values: { 'display.timezone': 'Asia/Hong_Kong', 'demo.banner': false },
      reason: 'go live in Hong Kong',
    });
    expect(changed.statusCode).toBe(200);
    expect(await display()).toEqual({ timezone: 'Asia/Hong_Kong', demoBanner: false });
  });

  it('maker–checker: checked copy only, a different compliance approver, immutable once decided', async () => {
    const violating = await call('mkt', 'POST', '/api/v1/approvals', {
      kind: 'content',
      title: 'guaranteed',
      payload: { text: '【灵犀银行】保本保收益，预期年化收益率5%！', productType: 'wealth', channel: 'sms' },
    });
    expect(violating.statusCode).toBe(422);
    expect((violating.json() as { findings: unknown[] }).findings.length).toBeGreaterThan(0);

    const text =
      '【灵犀银行】稳健理财新品上线，业绩比较基准2.8%-3.2%，业绩比较基准不代表未来表现，理财非存款、产品有风险、投资须谨慎。拒收请回复R';
    const sub = await call('mkt', 'POST', '/api/v1/approvals', {
      kind: 'content',
      title: 'new wealth product',
      payload: { text, productType: 'wealth', channel: 'sms' },
    });
    expect(sub.statusCode, sub.body).toBe(201);
    const id = (sub.json() as { id: string }).id;
    expect((await call('mkt', 'POST', `/api/v1/approvals/${id}/decision`, { decision: 'approve' })).statusCode).toBe(
      403,
    );
    const approved = await call('comp', 'POST', `/api/v1/approvals/${id}/decision`, {
      decision: 'approve',
      comment: 'ok',
    });
    expect(approved.statusCode).toBe(200);
    expect((approved.json() as { status: string }).status).toBe('approved');
    expect(
      (await call('comp2', 'POST', `/api/v1/approvals/${id}/decision`, { decision: 'reject', comment: 'late' }))
        .statusCode,
    ).toBe(409);
    await expect(op.query(`UPDATE approvals SET payload = '{"text":"changed"}' WHERE id = $1`, [id])).rejects.toThrow(
      /immutable/,
    );

    // checkers never submit (separation of duties): a compliance officer cannot be maker and checker
    expect(
      (await call('comp', 'POST', '/api/v1/approvals', { kind: 'export', title: 'x', payload: {} })).statusCode,
    ).toBe(403);
    expect((await call('mkt', 'GET', '/api/v1/approvals')).statusCode).toBe(403);
    const queue = (await call('comp', 'GET', '/api/v1/approvals?status=approved')).json() as { approvals: unknown[] };
    expect(queue.approvals.length).toBe(1);
    const list = (await call('mkt', 'GET', '/api/v1/approvals/mine')).json() as {
      approvals: { submittedBy: string }[];
    };
    expect(list.approvals.map((a) => a.submittedBy)).toEqual([list.approvals[0]?.submittedBy]);
  });

  it('maker–checker: the maker withdraws a pending submission; nobody else can, and a decided one stays', async () => {
    const sub = await call('mkt', 'POST', '/api/v1/approvals', {
      kind: 'campaign',
      title: 'spring campaign',
      payload: { audience: 'lifecycle.stage = dormant', channel: 'push' },
    });
    expect(sub.statusCode, sub.body).toBe(201);
    const id = (sub.json() as { id: string }).id;
    const other = await call('ana', 'POST', `/api/v1/approvals/${id}/withdraw`);
    expect(other.statusCode).toBe(403);
    expect(other.body).toContain('only its maker');
    const done = await call('mkt', 'POST', `/api/v1/approvals/${id}/withdraw`);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'withdrawn', decidedBy: null });
    expect((await call('mkt', 'POST', `/api/v1/approvals/${id}/withdraw`)).statusCode).toBe(409);
    const decide = await call('comp', 'POST', `/api/v1/approvals/${id}/decision`, { decision: 'approve' });
    expect(decide.statusCode).toBe(409);
    expect((await call('mkt', 'POST', '/api/v1/approvals/999999/withdraw')).statusCode).toBe(404);
    const [entry] = await listEntries(op, { action: 'approvals.withdrawn', targetId: id, limit: 1 });
    expect(entry?.details).toMatchObject({ kind: 'campaign', ruleIds: ['M7'] });
    // a decided submission cannot be withdrawn
    const second = await call('mkt', 'POST', '/api/v1/approvals', {
      kind: 'campaign',
      title: 'summer campaign',
      payload: { channel: 'sms' },
    });
    const sid = (second.json() as { id: string }).id;
    await call('comp', 'POST', `/api/v1/approvals/${sid}/decision`, { decision: 'reject', comment: 'no audience' });
    const late = await call('mkt', 'POST', `/api/v1/approvals/${sid}/withdraw`);
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('already rejected');
  });

  it('suitability: a C2 customer is refused an R3 product and allowed an R2 one; another RM gets 404', async () => {
    const r3 = (
      await call('rm1', 'POST', '/api/v1/compliance/suitability', { customerId: 1, productId: 'WM-R3' })
    ).json() as { allowed: boolean; ruleIds: string[] };
    expect(r3.allowed).toBe(false);
    expect(r3.ruleIds).toContain('S3');
    const r2 = (
      await call('rm1', 'POST', '/api/v1/compliance/suitability', { customerId: 1, productId: 'WM-R2' })
    ).json() as { allowed: boolean };
    expect(r2.allowed).toBe(true);
    expect(
      (await call('rm2', 'POST', '/api/v1/compliance/suitability', { customerId: 1, productId: 'WM-R2' })).statusCode,
    ).toBe(404);
  });

  it('consents: history, P6 no re-prompt after a refusal, inbound SMS TD, bulk import idempotent', async () => {
    expect(
      (
        await call('rm1', 'POST', '/api/v1/customers/1/consents', {
          purpose: 'marketing',
          channel: 'sms',
          status: 'granted',
          source: 'branch',
          evidence: 'form 123',
        })
      ).statusCode,
    ).toBe(201);
    const refuse = await call('rm1', 'POST', '/api/v1/customers/1/consents', {
      purpose: 'marketing',
      channel: 'call',
      status: 'refused',
      evidence: 'call 2026-11-01',
    });
    expect(refuse.statusCode, refuse.body).toBe(201);
    const again = await call('rm1', 'POST', '/api/v1/customers/1/consents', {
      purpose: 'marketing',
      channel: 'call',
      status: 'granted',
      evidence: 'asked again',
    });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('P6');
    expect((await call('rm2', 'GET', '/api/v1/customers/1/consents')).statusCode).toBe(404);

    const td = await call('comp', 'POST', '/api/v1/consents/sms-inbound', {
      messageId: 'm-1',
      from: '+86 138 0000 1234',
      text: 'td',
    });
    expect(td.json()).toMatchObject({ optOut: true, withdrawn: 1 });
    const dup = await call('comp', 'POST', '/api/v1/consents/sms-inbound', {
      messageId: 'm-1',
      from: '13800001234',
      text: 'TD',
      receivedAt: (
        await op.query<{ at: string }>(
          `SELECT recorded_at::text AS at FROM consents WHERE evidence = 'inbound_sms:m-1'`,
        )
      ).rows[0]?.at,
    });
    expect(dup.statusCode).toBe(200);
    const state = (await call('rm1', 'GET', '/api/v1/customers/1/consents')).json() as {
      state: { purpose: string; channel: string; status: string }[];
      history: unknown[];
    };
    expect(state.state.find((x) => x.purpose === 'marketing' && x.channel === 'sms')?.status).toBe('withdrawn');
    expect(
      (
        await call('comp', 'POST', '/api/v1/consents/sms-inbound', {
          messageId: 'm-2',
          from: '13800001234',
          text: '谢谢',
        })
      ).json(),
    ).toMatchObject({ optOut: false });

    const csv = [
      'customer_id,purpose,channel,status,notice_version,source,evidence,recorded_at',
      '2,marketing,any,granted,2026-01,branch,form-9,2026-10-01T02:00:00Z',
      '2,marketing,fax,granted,2026-01,branch,form-9,2026-10-01T02:00:00Z',
      'x,marketing,sms,granted,2026-01,branch,form-9,2026-10-01T02:00:00Z',
      '999,marketing,sms,granted,2026-01,branch,form-9,2026-10-01T02:00:00Z',
    ].join('\n');
    const imp = await app.inject({
      method: 'POST',
      url: '/api/v1/consents/import',
      headers: { ...s.comp?.headers, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(imp.statusCode, imp.body).toBe(200);
    const report = imp.json() as { loaded: number; rejected: number; errors: { line: number; field: string }[] };
    expect(report.loaded).toBe(1);
    expect(report.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'channel'],
      [4, 'customer_id'],
      [5, 'customer_id'],
    ]);
    const again2 = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/consents/import',
        headers: { ...s.comp?.headers, 'content-type': 'text/csv' },
        payload: csv,
      })
    ).json() as { loaded: number; duplicates: number };
    expect(again2).toMatchObject({ loaded: 0, duplicates: 1 });
  });

  it('contact policy: no SMS marketing without consent, quiet hours give not-before, caps count the contacts table', async () => {
    await op.query(
      `INSERT INTO consents (customer_id, purpose, channel, status, notice_version, source, evidence, recorded_at)
       VALUES (10, 'marketing', 'any', 'granted', '2026-01', 'branch', 'f', '2026-01-01')`,
    );
    const at = (h: number) => new Date(Date.UTC(2026, 10, 24, h - 8, 0, 0)).toISOString(); // Shanghai hour h
    const res = (
      await call('rm1', 'POST', '/api/v1/compliance/contact-check', {
        checks: [
          { customerId: 11, channel: 'sms', purpose: 'marketing', at: at(10) },
          { customerId: 10, channel: 'sms', purpose: 'marketing', at: at(10) },
          { customerId: 10, channel: 'sms', purpose: 'marketing', at: at(22) },
          { customerId: 2, channel: 'sms', purpose: 'marketing', at: at(10) },
        ],
      })
    ).json() as { results: { decision: string; ruleIds: string[] }[] };
    expect(res.results.map((r) => r.decision)).toEqual(['no', 'yes', 'not_before', 'no']);
    expect(res.results[2]?.ruleIds).toContain('M13');

    // two marketing SMS this week exhaust the weekly SMS cap
    const now = Date.now();
    await an.insert('contacts', [
      {
        contact_id: 1,
        customer_id: 10,
        ts: new Date(now - 86_400_000).toISOString().replace('T', ' ').replace('Z', ''),
        channel: 'sms',
        purpose: 'marketing',
        outcome: 'ignored',
        rule_ids: [],
      },
      {
        contact_id: 2,
        customer_id: 10,
        ts: new Date(now - 2 * 86_400_000).toISOString().replace('T', ' ').replace('Z', ''),
        channel: 'sms',
        purpose: 'marketing',
        outcome: 'ignored',
        rule_ids: [],
      },
    ]);
    const [capped] = await mayContactBatch(ctx, [
      { customerId: 10, channel: 'sms', purpose: 'marketing', personalised: false, at: new Date(now) },
    ]);
    expect(capped?.decision).not.toBe('yes');
    expect(capped?.ruleIds).toContain('M13');
  });

  it('property: no consent history lets a customer without SMS marketing consent be cleared for a marketing SMS', async () => {
    const statuses = ['granted', 'withdrawn', 'refused'] as const;
    const channels = ['any', 'sms', 'push', 'call'] as const;
    const purposes = ['marketing', 'personalised_marketing', 'service'] as const;
    const event = fc.record({
      purpose: fc.constantFrom(...purposes),
      channel: fc.constantFrom(...channels),
      status: fc.constantFrom(...statuses),
      day: fc.integer({ min: 1, max: 300 }),
    });
    const histories = fc.sample(fc.array(event, { maxLength: 6 }), { numRuns: 55, seed: 20261123 });
    const base = Date.UTC(2025, 0, 1);
    const ids: number[] = [];
    await op.query('DELETE FROM consents WHERE customer_id >= 12 AND customer_id < 70');
    for (const [i, h] of histories.entries()) {
      const id = 12 + i;
      ids.push(id);
      for (const e of h) {
        await op.query(
          `INSERT INTO consents (customer_id, purpose, channel, status, notice_version, source, evidence, recorded_at)
           VALUES ($1, $2, $3, $4, '2026-01', 'branch', 'p', $5)`,
          [id, e.purpose, e.channel, e.status, new Date(base + e.day * 86_400_000)],
        );
      }
    }
    const at = new Date(Date.UTC(2026, 10, 24, 2, 0, 0)); // 10:00 in Shanghai, outside quiet hours
    const answers = await mayContactBatch(
      ctx,
      ids.map((customerId) => ({
        customerId,
        channel: 'sms' as const,
        purpose: 'marketing' as const,
        personalised: false,
        at,
      })),
    );
    let cleared = 0;
    answers.forEach((a, i) => {
      const facts: ConsentFact[] = (histories[i] ?? []).map((e) => ({
        purpose: e.purpose,
        channel: e.channel,
        status: e.status,
        at: new Date(base + e.day * 86_400_000),
      }));
      if (a.decision === 'yes') {
        cleared++;
        expect(hasConsent(facts, 'marketing', 'sms')).toBe(true);
      }
    });
    expect(cleared).toBeGreaterThan(0); // the property is not vacuous
  });

  it('H5: a one-time assessment link changes the risk level; spent, forged and other-RM links are refused', async () => {
    expect((await call('rm2', 'POST', '/api/v1/customers/1/h5-links', { kind: 'assessment' })).statusCode).toBe(404);
    const link = (await call('rm1', 'POST', '/api/v1/customers/1/h5-links', { kind: 'assessment' })).json() as {
      token: string;
      url: string;
    };
    expect(link.url).toMatch(/^\/h5\/assessment\?t=/);
    const zone = await call('adm', 'PATCH', '/api/v1/settings', {
      values: { 'display.timezone': 'Asia/Macau' },
      reason: 'branch in Macau',
    });
    expect(zone.statusCode).toBe(200);
    const view = await app.inject({ method: 'GET', url: `/api/v1/h5/assessment?t=${encodeURIComponent(link.token)}` });
    expect(view.statusCode).toBe(200);
    expect(view.body).not.toContain('"score"');
    const q = view.json() as {
      timezone: string;
      currentLevel: string;
      questionnaire: { version: string; questions: { id: string; options: { id: string }[] }[] };
    };
    expect(q.currentLevel).toBe('C2');
    expect(q.timezone).toBe('Asia/Macau'); // the customer's page shows times in the bank's display zone
    const answers = Object.fromEntries(q.questionnaire.questions.map((qq) => [qq.id, qq.options.at(-1)?.id ?? '']));
    const missing = await app.inject({
      method: 'POST',
      url: '/api/v1/h5/assessment',
      payload: { t: link.token, questionnaireVersion: q.questionnaire.version, answers: {} },
    });
    expect(missing.statusCode).toBe(400);
    const done = await app.inject({
      method: 'POST',
      url: '/api/v1/h5/assessment',
      payload: { t: link.token, questionnaireVersion: q.questionnaire.version, answers },
    });
    expect(done.statusCode, done.body).toBe(200);
    const result = done.json() as { level: string; allowedProductRisks: string[] };
    const { rows } = await op.query<{ risk_level: string }>('SELECT risk_level FROM customers WHERE id = 1');
    expect(rows[0]?.risk_level).toBe(result.level);
    expect(result.allowedProductRisks.length).toBeGreaterThan(0);
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/h5/assessment?t=${encodeURIComponent(link.token)}` }))
        .statusCode,
    ).toBe(410);
    const forged = `${link.token.split('.')[0]}.${'0'.repeat(32)}`;
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/h5/assessment?t=${encodeURIComponent(forged)}` })).statusCode,
    ).toBe(410);
    const attempts = await op.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM risk_assessments WHERE customer_id = 1 AND outcome = 'completed'`,
    );
    expect(attempts.rows[0]?.n).toBe(1);
  });

  it('H5 preferences: the customer withdraws push marketing and switches personalised marketing off', async () => {
    const link = (await call('rm1', 'POST', '/api/v1/customers/1/h5-links', { kind: 'preferences' })).json() as {
      token: string;
    };
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/h5/preferences',
      payload: {
        t: link.token,
        changes: [
          { purpose: 'marketing', channel: 'push', status: 'withdrawn' },
          { purpose: 'personalised_marketing', channel: 'any', status: 'withdrawn' },
        ],
        deleteInterests: ['interest.travel'],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const state = res.json() as { timezone: string; items: { purpose: string; channel: string; status: string }[] };
    const me = (await call('mkt', 'GET', '/api/v1/auth/me')).json() as { display: { timezone: string } };
    expect(state.timezone).toBe(me.display.timezone);
    const items = state.items;
    expect(items.find((i) => i.purpose === 'marketing' && i.channel === 'push')?.status).toBe('withdrawn');
    const { rows } = await op.query<{ p: boolean }>('SELECT personalised_marketing AS p FROM customers WHERE id = 1');
    expect(rows[0]?.p).toBe(false);
    const opt = await op.query<{ tag_id: string }>('SELECT tag_id FROM tag_optouts WHERE customer_id = 1');
    expect(opt.rows.map((r) => r.tag_id)).toEqual(['interest.travel']);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/h5/preferences',
      payload: { t: link.token, changes: [{ purpose: 'service', channel: 'sms', status: 'withdrawn' }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('changes.0');
  });

  it('P5 erasure pseudonymises the customer in both stores, is audited, and the chain still verifies', async () => {
    expect(
      (await call('adm', 'POST', '/api/v1/customers/2/erasure', { reason: 'customer request 2026-11' })).statusCode,
    ).toBe(403);
    const r = await call('comp', 'POST', '/api/v1/customers/2/erasure', { reason: 'customer request 2026-11' });
    expect(r.statusCode, r.body).toBe(200);
    const { rows } = await op.query<{
      name_enc: Uint8Array;
      mobile_hash: string | null;
      id_number_enc: Uint8Array | null;
      status: string;
      flags: string[];
    }>('SELECT name_enc, mobile_hash, id_number_enc, status, flags FROM customers WHERE id = 2');
    const row = rows[0];
    expect(ctx.cipher.decrypt(Buffer.from(row?.name_enc ?? []))).not.toContain('李四');
    expect(row?.mobile_hash).toBeNull();
    expect(row?.id_number_enc).toBeNull();
    expect(row?.status).toBe('erased');
    expect(row?.flags).toContain('closed');
    const dims = await an.query<{ n: string }>(
      'SELECT toString(count()) AS n FROM dim_customers WHERE customer_id = 2',
    );
    expect(dims[0]?.n).toBe('0');
    expect(
      (await call('comp', 'POST', '/api/v1/customers/2/erasure', { reason: 'customer request again' })).statusCode,
    ).toBe(409);
    const audit = await op.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'customer.erased' AND target_id = '2'`,
    );
    expect(audit.rows[0]?.n).toBe(1);
    expect((await verifyAuditChain(op)).ok).toBe(true);
  });

  it('contact history retention: the setting drops whole months before the cutoff, audited; recent contacts stay', async () => {
    const r = await call('adm', 'PATCH', '/api/v1/settings', {
      values: { 'retention.contactHistoryDays': 365 },
      reason: 'storage plan',
    });
    expect(r.statusCode).toBe(200);
    const old = (id: number, ts: string) => ({
      contact_id: id,
      customer_id: 11,
      ts,
      channel: 'sms',
      purpose: 'marketing',
      outcome: 'ignored',
      rule_ids: [],
    });
    await an.insert('contacts', [old(9001, '2019-01-15 02:00:00'), old(9002, '2024-06-10 02:00:00')]);
    const count = async (where: string) =>
      Number((await an.query<{ n: string }>(`SELECT count() AS n FROM contacts WHERE ${where}`))[0]?.n);
    const recent = await count('ts >= now() - INTERVAL 30 DAY');
    expect(recent).toBeGreaterThan(0);
    const now = new Date();
    const pruned = await pruneContactHistory(ctx, now);
    expect(pruned.droppedMonths).toEqual([201901, 202406]);
    expect(await count("ts < '2025-01-01'")).toBe(0);
    expect(await count('ts >= now() - INTERVAL 30 DAY')).toBe(recent);
    const audit = await op.query<{ details: { months: number[] } }>(
      "SELECT details FROM audit_log WHERE action = 'retention.contacts_pruned'",
    );
    expect(audit.rows.map((a) => a.details.months)).toEqual([[201901, 202406]]);
    expect((await pruneContactHistory(ctx, now)).droppedMonths).toEqual([]);
  });
});
