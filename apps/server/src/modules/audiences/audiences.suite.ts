import type { AudienceExpr } from '@lingxi/core/audience/expression';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import roaring from 'roaring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationalBackend } from '../../../test/support/stores.ts';
import { buildApp } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { listEntries } from '../audit/audit.repo.ts';
import { addBranch, addUser, signIn } from '../auth/auth.test-support.ts';
import { complianceRoutes } from '../compliance/compliance.routes.ts';
import { FIXTURE_CUSTOMERS as C, FIXTURE_AS_OF, loadTagFixture } from '../tags/tags.fixture.ts';
import { tagsRoutes } from '../tags/tags.routes.ts';
import { applyTagOptouts, customerTags, refreshTags } from '../tags/tags.service.ts';
import { openTestContext } from '../tags/tags.test-context.ts';
import { audiencesRoutes } from './audiences.routes.ts';
import { countAudience, evaluate, snapshotMembers, sqlCountAudience } from './audiences.service.ts';

/** The suite on one operational backend (PGlite in `audiences.service.test.ts`, PostgreSQL in `….postgres.test.ts`). */
export function describeAudiences(backend: OperationalBackend): void {
  describe(`audiences on the fixture bank (chDB + ${backend.name})`, () => {
    let ctx: AppContext;
    let dispose: () => Promise<void>;
    let app: FastifyInstance;
    let miaId: string;

    beforeAll(async () => {
      ({ ctx, dispose } = await openTestContext(() => backend.open()));
      await loadTagFixture(ctx.stores.an, ctx.stores.op, 120);
      await refreshTags(ctx, { asOf: FIXTURE_AS_OF });
      app = await buildApp(ctx, [tagsRoutes, audiencesRoutes, complianceRoutes]);
      miaId = await addUser(ctx, 'mia', 'marketer');
      await addUser(ctx, 'ana', 'analyst');
      await addUser(ctx, 'cora', 'compliance');
    });

    /** The maker asks for one export of the audience (or a snapshot of it) and the compliance officer approves it. */
    async function approvedExport(maker: { headers: Record<string, string> }, id: string, snapshot?: number) {
      const asked = await app.inject({
        method: 'POST',
        url: `/api/v1/audiences/${id}/export-approvals`,
        headers: maker.headers,
        payload: { title: '名单导出', reason: 'branch outreach list', ...(snapshot === undefined ? {} : { snapshot }) },
      });
      expect(asked.statusCode, asked.body).toBe(201);
      const cora = await signIn(app, 'cora');
      const decided = await app.inject({
        method: 'POST',
        url: `/api/v1/approvals/${asked.json().id}/decision`,
        headers: cora.headers,
        payload: { decision: 'approve' },
      });
      expect(decided.statusCode, decided.body).toBe(200);
      return Number(asked.json().id);
    }
    afterAll(async () => {
      await app.close();
      await dispose();
    });

    // Random expressions over a mix of enum, boolean, numeric, date and set tags.
    const leaf: fc.Arbitrary<AudienceExpr> = fc.oneof(
      fc.record({
        tag: fc.constant('lifecycle.stage'),
        op: fc.constantFrom('eq' as const, 'ne' as const),
        value: fc.constantFrom('potential', 'new', 'active', 'cooling', 'dormant', 'churned'),
      }),
      fc.record({
        tag: fc.constant('risk.level'),
        op: fc.constantFrom('in' as const, 'not_in' as const),
        value: fc.subarray(['C1', 'C2', 'C3', 'C4', 'C5', 'unassessed', 'expired'], { minLength: 1 }),
      }),
      fc.record({ tag: fc.constant('persona.young_parent'), op: fc.constant('eq' as const), value: fc.boolean() }),
      fc.record({
        tag: fc.constantFrom('value.aum', 'fin.age', 'hist.spend_30d', 'fin.city_tier', 'card.months_on_book'),
        op: fc.constantFrom('lt' as const, 'lte' as const, 'gt' as const, 'gte' as const, 'eq' as const, 'ne' as const),
        value: fc.integer({ min: 0, max: 90_000_000 }).map((n) => (n % 3 === 0 ? n % 100 : n)),
      }),
      fc.record({
        tag: fc.constant('value.aum'),
        op: fc.constant('between' as const),
        value: fc
          .tuple(fc.integer({ min: 0, max: 50_000_000 }), fc.integer({ min: 0, max: 50_000_000 }))
          .map(([a, b]) => [Math.min(a, b), Math.max(a, b)]),
      }),
      fc.record({
        tag: fc.constant('fin.birth_date'),
        op: fc.constantFrom('lt' as const, 'gte' as const),
        value: fc.integer({ min: 1940, max: 2005 }).map((y) => `${y}-06-15`),
      }),
      fc.record({
        tag: fc.constantFrom('card.mob_stage', 'model.churn_band', 'hist.top_spend_category_90d'),
        op: fc.constantFrom('is_null' as const, 'not_null' as const),
      }),
      fc.record({
        tag: fc.constant('app.viewed_families_30d'),
        op: fc.constant('eq' as const),
        value: fc.constant('fund'),
      }),
    );
    const expr: fc.Arbitrary<AudienceExpr> = fc.letrec<{ e: AudienceExpr }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.record({ and: fc.array(tie('e'), { minLength: 1, maxLength: 4 }) }),
        fc.record({ or: fc.array(tie('e'), { minLength: 1, maxLength: 4 }) }),
        fc.record({ not: tie('e') }),
      ),
    })).e;

    it('bitmap counts equal SQL counts over the tag table (property)', async () => {
      await fc.assert(
        fc.asyncProperty(expr, fc.constantFrom('marketing' as const, 'service' as const), async (e, purpose) => {
          const bitmap = await countAudience(ctx, e, purpose);
          const sql = await sqlCountAudience(ctx, e, purpose, FIXTURE_AS_OF);
          expect({ count: bitmap.count, excluded: bitmap.excluded }).toEqual(sql);
        }),
        { numRuns: 60 },
      );
    });

    it('excludes personalisation-off customers from behavioural marketing audiences (P4)', async () => {
      const behavioural = { tag: 'app.last_login_days_ago', op: 'lte', value: 30 };
      const m = await countAudience(ctx, behavioural, 'marketing');
      const s = await countAudience(ctx, behavioural, 'service');
      expect(m.excluded).toBeGreaterThan(0); // customer 2 logged in and has personalisation off
      expect(m.count + m.excluded).toBe(s.count);
      expect(m.rules).toEqual([{ id: 'P4', effect: 'applied', detail: expect.stringContaining('excluded') }]);
      // a service audience keeps them, and says why
      expect(s.rules).toEqual([{ id: 'P4', effect: 'exempt', detail: expect.stringContaining('service') }]);
      expect((await countAudience(ctx, { tag: 'fin.gender', op: 'eq', value: 'male' }, 'service')).rules).toEqual([]);
      const attribute = await countAudience(ctx, { tag: 'fin.gender', op: 'eq', value: 'male' }, 'marketing');
      expect(attribute.excluded).toBe(0);
      const { bitmap } = await evaluate(ctx, behavioural, 'marketing');
      expect(bitmap.has(C.potential)).toBe(false);
    });

    it('serves count, overlap, CRUD, snapshot, masked sample and export over HTTP', async () => {
      const mia = await signIn(app, 'mia');
      const count = await app.inject({
        method: 'POST',
        url: '/api/v1/audiences/count',
        headers: mia.headers,
        payload: { expression: { tag: 'lifecycle.stage', op: 'eq', value: 'active' } },
      });
      expect(count.statusCode).toBe(200);
      expect(count.json()).toMatchObject({ asOf: FIXTURE_AS_OF, excluded: 0, tagVersions: { 'lifecycle.stage': 1 } });
      const bad = await app.inject({
        method: 'POST',
        url: '/api/v1/audiences/count',
        headers: mia.headers,
        payload: { expression: { and: [{ tag: 'wealth.tier', op: 'gt', value: 3 }] } },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].field).toBe('expression.and[0].op');
      // absurd nesting is a 400 naming the expression, not a stack overflow
      const deep = await app.inject({
        method: 'POST',
        url: '/api/v1/audiences/count',
        headers: { ...mia.headers, 'content-type': 'application/json' },
        payload: `{"expression":${'{"not":'.repeat(50_000)}{"tag":"value.aum","op":"is_null"}${'}'.repeat(50_000)}}`,
      });
      expect(deep.statusCode, deep.body.slice(0, 300)).toBe(400);
      expect(deep.json().errors).toEqual([{ field: 'expression', reason: 'nested too deeply (max 12 levels)' }]);

      const overlap = await app.inject({
        method: 'POST',
        url: '/api/v1/audiences/overlap',
        headers: mia.headers,
        payload: { a: { tag: 'fin.gender', op: 'eq', value: 'male' }, b: { tag: 'fin.age', op: 'gte', value: 60 } },
      });
      const o = overlap.json();
      expect(o.union).toBe(o.a + o.b - o.intersection);

      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/audiences',
        headers: mia.headers,
        payload: {
          name: '沉睡唤醒',
          purpose: 'marketing',
          expression: { tag: 'target.dormant_reactivation', op: 'eq', value: true },
        },
      });
      expect(created.statusCode).toBe(201);
      const id = created.json().id as string;
      expect(created.json().createdBy).not.toBe('anonymous');
      const put = await app.inject({
        method: 'PUT',
        url: `/api/v1/audiences/${id}`,
        headers: mia.headers,
        payload: { name: 'silver', purpose: 'marketing', expression: { tag: 'persona.silver', op: 'eq', value: true } },
      });
      expect(put.json().name).toBe('silver');
      const list = await app.inject({ method: 'GET', url: '/api/v1/audiences', headers: mia.headers });
      expect(list.json().audiences.map((a: { id: string }) => a.id)).toContain(id);

      const snap = await app.inject({ method: 'POST', url: `/api/v1/audiences/${id}/snapshot`, headers: mia.headers });
      expect(snap.statusCode).toBe(201);
      const members = await snapshotMembers(ctx, snap.json().id);
      const live = await evaluate(ctx, { tag: 'persona.silver', op: 'eq', value: true }, 'marketing');
      expect(members.toArray()).toEqual(live.bitmap.toArray());
      expect(snap.json()).toMatchObject({
        asOf: FIXTURE_AS_OF,
        count: live.count,
        tagVersions: { 'persona.silver': 1 },
      });
      expect(members.has(C.dormantSilver)).toBe(true);

      // The frozen snapshots are listed, and a snapshot exports the members it froze.
      const snaps = await app.inject({ method: 'GET', url: `/api/v1/audiences/${id}/snapshots`, headers: mia.headers });
      expect(snaps.json().snapshots).toMatchObject([{ id: snap.json().id, count: live.count, createdBy: miaId }]);
      const frozenCsv = await app.inject({
        method: 'GET',
        url: `/api/v1/audiences/${id}/export?snapshot=${snap.json().id}&approval=${await approvedExport(mia, id, snap.json().id)}`,
        headers: mia.headers,
      });
      expect(frozenCsv.headers['x-lingxi-rows']).toBe(String(live.count));
      const frozenIds = frozenCsv.body
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => Number(l.split(',')[0]));
      expect(frozenIds).toEqual(members.toArray());
      for (const bad of ['999999', '0', 'x'])
        expect(
          (
            await app.inject({
              method: 'GET',
              url: `/api/v1/audiences/${id}/export?snapshot=${bad}`,
              headers: mia.headers,
            })
          ).statusCode,
        ).toBe(bad === '999999' ? 404 : 400);

      const sample = await app.inject({
        method: 'GET',
        url: `/api/v1/audiences/${id}/sample?size=5`,
        headers: mia.headers,
      });
      const customers = sample.json().customers as { nameMasked: string; mobileMasked: string }[];
      expect(customers.length).toBe(Math.min(5, live.count));
      for (const c of customers) {
        expect(c.nameMasked).toMatch(/\*/);
        expect(c.mobileMasked).toMatch(/^138\*{4}\d{4}$/);
      }

      expect(sample.json()).toMatchObject({ count: live.count, inScope: live.count });

      const csv = await app.inject({
        method: 'GET',
        url: `/api/v1/audiences/${id}/export?approval=${await approvedExport(mia, id)}`,
        headers: mia.headers,
      });
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.headers['x-lingxi-rows']).toBe(String(live.count));
      expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf])); // UTF-8 byte-order mark
      const lines = csv.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\n');
      expect(lines[0]).toBe('customer_id,name_masked,mobile_masked,as_of,exported_by');
      expect(lines).toHaveLength(live.count + 1);
      expect(lines[1]).toMatch(new RegExp(`^\\d+,张\\*,138\\*{4}\\d{4},${FIXTURE_AS_OF},${miaId}$`));
      expect(csv.body).not.toMatch(/138\d{8}/); // no unmasked mobile

      // An analyst may refresh tags but may not export audiences.
      const ana = await signIn(app, 'ana');
      const denied = await app.inject({ method: 'GET', url: `/api/v1/audiences/${id}/export`, headers: ana.headers });
      expect(denied.statusCode).toBe(403);

      const del = await app.inject({ method: 'DELETE', url: `/api/v1/audiences/${id}`, headers: mia.headers });
      expect(del.statusCode).toBe(204);

      // Every change, freeze, sample and export is in the audit trail, by mia, with the rules that shaped it.
      const trail = (await listEntries(ctx.stores.op, { targetType: 'audience', targetId: id, limit: 20 })).reverse();
      expect(trail.map((e) => e.action)).toEqual([
        'audience.created',
        'audience.updated',
        'audience.frozen',
        'audience.exported',
        'audience.sampled',
        'audience.exported',
        'audience.deleted',
      ]);
      expect(new Set(trail.map((e) => e.actor_id))).toEqual(new Set([miaId]));
      const [createdEntry, updated, frozen, frozenExport, sampled, exported, deleted] = trail.map((e) => e.details);
      expect(createdEntry).toMatchObject({
        name: '沉睡唤醒',
        purpose: 'marketing',
        tags: ['target.dormant_reactivation'],
      });
      expect(updated).toMatchObject({ name: 'silver', tags: ['persona.silver'] });
      expect(frozen).toMatchObject({ snapshot: snap.json().id, count: live.count, asOf: FIXTURE_AS_OF });
      expect(frozenExport).toMatchObject({ snapshot: snap.json().id, rows: live.count, rules: ['P10', 'M7'] });
      expect(sampled).toMatchObject({ scope: 'all', results: customers.length });
      expect(exported).toMatchObject({
        snapshot: null,
        scope: 'all',
        count: live.count,
        rows: live.count,
        rules: ['P10', 'M7'],
        level: 3,
      });
      expect(exported).toMatchObject({ watermark: miaId });
      expect(deleted).toMatchObject({ name: 'silver', snapshots: 1 });
      const gone = await app.inject({ method: 'GET', url: `/api/v1/audiences/${id}`, headers: mia.headers });
      expect(gone.statusCode).toBe(404);
      expect(new roaring.RoaringBitmap32().size).toBe(0);
    });

    it('exports need an approved export approval of the exporter, good for one export (P10, M7)', async () => {
      const mia = await signIn(app, 'mia');
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/audiences',
        headers: mia.headers,
        payload: {
          name: '高净值',
          purpose: 'marketing',
          expression: { tag: 'wealth.tier', op: 'eq', value: 'affluent' },
        },
      });
      const id = created.json().id as string;
      const live = await evaluate(ctx, { tag: 'wealth.tier', op: 'eq', value: 'affluent' }, 'marketing');
      expect(live.count).toBeGreaterThan(0);

      // Masked names and mobiles keep the class C2 of what they mask: level 3, so the export needs an approval.
      const exportsUrl = `/api/v1/audiences/${id}/exports`;
      const policy = await app.inject({ method: 'GET', url: exportsUrl, headers: mia.headers });
      expect(policy.json()).toMatchObject({
        policy: { level: 3, approvalRequiredFromLevel: 3, approvalRequired: true, ruleIds: ['P10'] },
        approvals: [],
      });
      expect(policy.json().policy.columns).toContainEqual({ name: 'mobile_masked', class: 'C2' });
      const bare = await app.inject({ method: 'GET', url: `/api/v1/audiences/${id}/export`, headers: mia.headers });
      expect(bare.statusCode).toBe(409);
      expect(bare.json()).toMatchObject({ ruleIds: ['P10', 'M7'], level: 3 });
      expect(bare.json().errors[0].field).toBe('approval');
      expect(bare.body).not.toContain('138'); // nothing of the list leaves

      // The generic submission refuses exports: only the audience describes an export for the checker.
      const generic = await app.inject({
        method: 'POST',
        url: '/api/v1/approvals',
        headers: mia.headers,
        payload: { kind: 'export', title: 'list', payload: { audienceId: id } },
      });
      expect(generic.statusCode).toBe(400);
      expect(generic.json().errors[0].field).toBe('kind');
      const noReason = await app.inject({
        method: 'POST',
        url: `/api/v1/audiences/${id}/export-approvals`,
        headers: mia.headers,
        payload: { title: 'list' },
      });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().errors[0].field).toBe('body.reason');

      const asked = await app.inject({
        method: 'POST',
        url: `/api/v1/audiences/${id}/export-approvals`,
        headers: mia.headers,
        payload: { title: '高净值名单导出', reason: 'Q4 wealth review calls by the branch' },
      });
      expect(asked.statusCode, asked.body).toBe(201);
      const approval = Number(asked.json().id);
      expect(asked.json()).toMatchObject({
        kind: 'export',
        status: 'pending',
        ruleIds: ['M7', 'P10'],
        payload: {
          audienceId: id,
          audienceName: '高净值',
          snapshot: null,
          asOf: FIXTURE_AS_OF,
          count: live.count,
          rows: live.count,
          scope: 'all',
          level: 3,
          columns: ['customer_id', 'name_masked', 'mobile_masked', 'as_of', 'exported_by'],
          reason: 'Q4 wealth review calls by the branch',
        },
      });
      const exportWith = (who: { headers: Record<string, string> }, query: string) =>
        app.inject({ method: 'GET', url: `/api/v1/audiences/${id}/export?${query}`, headers: who.headers });
      const pending = await exportWith(mia, `approval=${approval}`);
      expect(pending.statusCode).toBe(409);
      expect(pending.json().errors[0]).toEqual({
        field: 'approval',
        reason: `approval ${approval} is pending, not approved`,
      });

      const cora = await signIn(app, 'cora');
      await app.inject({
        method: 'POST',
        url: `/api/v1/approvals/${approval}/decision`,
        headers: cora.headers,
        payload: { decision: 'approve' },
      });
      // Only for what was approved, only by the maker, only an export approval.
      const snap = await app.inject({ method: 'POST', url: `/api/v1/audiences/${id}/snapshot`, headers: mia.headers });
      const wrongTarget = await exportWith(mia, `snapshot=${snap.json().id}&approval=${approval}`);
      expect(wrongTarget.statusCode).toBe(409);
      expect(wrongTarget.json().errors[0].reason).toContain(`is for the live members of audience ${id}`);
      await addUser(ctx, 'max', 'marketer');
      const other = await exportWith(await signIn(app, 'max'), `approval=${approval}`);
      expect(other.statusCode).toBe(403);
      expect(other.json().errors[0].field).toBe('approval');
      const content = await app.inject({
        method: 'POST',
        url: '/api/v1/approvals',
        headers: mia.headers,
        payload: {
          kind: 'content',
          title: 'sms',
          payload: { text: '【灵犀银行】您的积分即将到期，拒收请回复R', productType: 'deposit', channel: 'sms' },
        },
      });
      expect(content.statusCode, content.body).toBe(201);
      expect((await exportWith(mia, `approval=${content.json().id}`)).statusCode).toBe(400);
      expect((await exportWith(mia, 'approval=999999')).statusCode).toBe(404);

      const csv = await exportWith(mia, `approval=${approval}`);
      expect(csv.statusCode, csv.body.slice(0, 300)).toBe(200);
      expect(csv.headers['x-lingxi-rows']).toBe(String(live.count));
      // used once
      const again = await exportWith(mia, `approval=${approval}`);
      expect(again.statusCode).toBe(409);
      expect(again.json().errors[0].reason).toMatch(/was used at .*good for one export/);

      const after = await app.inject({ method: 'GET', url: exportsUrl, headers: mia.headers });
      expect(after.json().approvals).toEqual([
        expect.objectContaining({
          id: approval,
          status: 'approved',
          snapshot: null,
          decidedBy: expect.any(String),
          expired: false,
        }),
      ]);
      expect(Date.parse(after.json().approvals[0].expiresAt) - Date.now()).toBeGreaterThan(6 * 86_400_000);
      expect(after.json().approvals[0].usedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      const queue = await app.inject({
        method: 'GET',
        url: '/api/v1/approvals?status=approved',
        headers: cora.headers,
      });
      expect(queue.json().approvals.find((a: { id: string }) => Number(a.id) === approval)).toMatchObject({
        usedBy: miaId,
      });
      const [entry] = await listEntries(ctx.stores.op, { action: 'audience.exported', targetId: id, limit: 1 });
      expect(entry?.details).toMatchObject({ approval, level: 3, rows: live.count, rules: ['P10', 'M7'] });
      // an approval is good for P10.approvalValidDays (7) after the decision: one decided eight days ago is refused
      const { rows: old } = await ctx.stores.op.query<{ id: string }>(
        `INSERT INTO approvals (kind, title, payload, rule_ids, status, submitted_by, submitted_at, decided_by, decided_at)
         SELECT kind, title, payload, rule_ids, 'approved', submitted_by, now() - interval '9 days', decided_by,
                now() - interval '8 days'
           FROM approvals WHERE id = $1 RETURNING id::text`,
        [approval],
      );
      const stale = await exportWith(mia, `approval=${old[0]?.id}`);
      expect(stale.statusCode).toBe(409);
      expect(stale.json().errors[0].reason).toMatch(/expired at .*7 days after the decision/);
      const listed = await app.inject({ method: 'GET', url: exportsUrl, headers: mia.headers });
      expect(listed.json().policy.approvalValidDays).toBe(7);
      expect(listed.json().approvals.find((a: { id: number }) => a.id === Number(old[0]?.id))).toMatchObject({
        expired: true,
        usedAt: null,
      });
      // the refused attempts left no export in the trail
      expect(await listEntries(ctx.stores.op, { action: 'audience.exported', targetId: id, limit: 5 })).toHaveLength(1);
    });

    it('keeps samples and exports to the user’s data scope; escapes formulas; audits the P4 exemption', async () => {
      // A behavioural tag in a service audience: P4 is exempt, and the trail says so.
      const expression = {
        and: [
          { tag: 'fin.gender', op: 'eq', value: 'female' },
          { not: { tag: 'app.last_login_days_ago', op: 'is_null' } },
        ],
      };
      const live = await evaluate(ctx, expression, 'service');
      const male = await evaluate(ctx, { tag: 'fin.gender', op: 'eq', value: 'male' }, 'service');
      // Two branches; the sub-branch has three members of the audience (one named like a formula) and a non-member.
      const visible = live.bitmap.toArray().slice(0, 3);
      const [formula] = visible;
      if (visible.length < 3 || formula === undefined) throw new Error('the fixture needs three such members');
      const outsider = male.bitmap.minimum();
      await addBranch(ctx.stores.op, 'HQ');
      await addBranch(ctx.stores.op, 'HZ01', 'HQ');
      await ctx.stores.op.query(`UPDATE customers SET home_branch_id = 'HZ01' WHERE id = ANY($1::bigint[])`, [
        [...visible, outsider],
      ]);
      await ctx.stores.op.query(`UPDATE customers SET name_masked = '=HYPERLINK("x")' WHERE id = $1`, [formula]);
      await addUser(ctx, 'hz-mia', 'marketer', 'HZ01');
      const hz = await signIn(app, 'hz-mia');
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/audiences',
        headers: hz.headers,
        payload: { name: 'service notice', purpose: 'service', expression },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;

      const sample = await app.inject({
        method: 'GET',
        url: `/api/v1/audiences/${id}/sample?size=50`,
        headers: hz.headers,
      });
      expect(sample.json()).toMatchObject({ count: live.count, inScope: visible.length });
      expect(
        sample
          .json()
          .customers.map((c: { id: number }) => c.id)
          .sort(),
      ).toEqual([...visible].sort());

      const csv = await app.inject({
        method: 'GET',
        url: `/api/v1/audiences/${id}/export?approval=${await approvedExport(hz, id)}`,
        headers: hz.headers,
      });
      expect(csv.headers['x-lingxi-rows']).toBe(String(visible.length));
      const rows = csv.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\n')
        .slice(1);
      expect(rows.map((r) => Number(r.split(',')[0]))).toEqual([...visible].sort((a, b) => a - b));
      expect(csv.body).toContain(`${formula},"'=HYPERLINK(""x"")"`); // a spreadsheet shows it as text
      // the bank-wide marketer still exports everyone
      const mia = await signIn(app, 'mia');
      const wide = await app.inject({
        method: 'GET',
        url: `/api/v1/audiences/${id}/export?approval=${await approvedExport(mia, id)}`,
        headers: mia.headers,
      });
      expect(wide.headers['x-lingxi-rows']).toBe(String(live.count));
      // a frozen snapshot exported by the branch user keeps to the branch too; another audience's snapshot is not found
      const snap = await app.inject({ method: 'POST', url: `/api/v1/audiences/${id}/snapshot`, headers: hz.headers });
      expect(snap.statusCode, snap.body).toBe(201);
      const frozenHz = await app.inject({
        method: 'GET',
        url: `/api/v1/audiences/${id}/export?snapshot=${snap.json().id}&approval=${await approvedExport(hz, id, snap.json().id)}`,
        headers: hz.headers,
      });
      expect(frozenHz.headers['x-lingxi-rows']).toBe(String(visible.length));
      const other = await app.inject({
        method: 'POST',
        url: '/api/v1/audiences',
        headers: mia.headers,
        payload: { name: 'other', purpose: 'marketing', expression: { tag: 'fin.gender', op: 'eq', value: 'male' } },
      });
      const cross = await app.inject({
        method: 'GET',
        url: `/api/v1/audiences/${other.json().id}/export?snapshot=${snap.json().id}`,
        headers: mia.headers,
      });
      expect(cross.statusCode).toBe(404);

      const [frozenEntry, wideEntry] = await listEntries(ctx.stores.op, {
        action: 'audience.exported',
        targetId: id,
        limit: 2,
      });
      expect(frozenEntry?.details).toMatchObject({ scope: 'branch', snapshot: snap.json().id, rows: visible.length });
      expect(wideEntry?.details).toMatchObject({ scope: 'all', rows: live.count, rules: ['P10', 'M7', 'P4:exempt'] });
      const [first] = await listEntries(ctx.stores.op, { action: 'audience.created', targetId: id, limit: 1 });
      expect(first?.details).toMatchObject({ purpose: 'service', rules: ['P4:exempt'] });
      const [scoped] = await listEntries(ctx.stores.op, { action: 'audience.sampled', targetId: id, limit: 1 });
      expect(scoped?.details).toMatchObject({ scope: 'branch', results: visible.length });
    });

    it('serves the catalogue, a tag and a customer’s tags', async () => {
      const mia = await signIn(app, 'mia');
      const list = await app.inject({ method: 'GET', url: '/api/v1/tags', headers: mia.headers });
      expect(list.statusCode).toBe(200);
      expect(list.json().count).toBeGreaterThanOrEqual(100);
      const one = await app.inject({ method: 'GET', url: '/api/v1/tags/wealth.tier', headers: mia.headers });
      expect(one.json()).toMatchObject({ dependencies: ['value.aum_3m_avg'], coverage: 1 });
      const cust = await app.inject({
        method: 'GET',
        url: `/api/v1/customers/${C.activeAffluent}/tags`,
        headers: mia.headers,
      });
      expect(cust.statusCode).toBe(200);
      expect(cust.json().tags.find((t: { tagId: string }) => t.tagId === 'wealth.tier').value).toBe('affluent');
      const refreshDenied = await app.inject({
        method: 'POST',
        url: '/api/v1/tags/refresh',
        headers: mia.headers,
        payload: {},
      });
      expect(refreshDenied.statusCode).toBe(403);
      const runs = await app.inject({ method: 'GET', url: '/api/v1/tags/refreshes?limit=1', headers: mia.headers });
      expect(runs.statusCode).toBe(200);
      expect(runs.json().runs).toMatchObject([{ status: 'succeeded', trigger: 'system' }]);
      const badLimit = await app.inject({ method: 'GET', url: '/api/v1/tags/refreshes?limit=0', headers: mia.headers });
      expect(badLimit.statusCode).toBe(400);
      expect(badLimit.body).toContain('limit');
    });

    it('bank-specific tags over HTTP: analysts define (dry run, errors naming fields) and retire; marketers may not', async () => {
      const mia = await signIn(app, 'mia');
      const ana = await signIn(app, 'ana');
      const def = {
        id: 'bank.big_ticket_90d',
        name: { zh: '近90天大额消费笔数', en: 'Big-ticket purchases, 90 d' },
        family: 'history',
        sub_family: 'behaviour',
        value_type: 'number',
        unit: 'count',
        description: { zh: '近90天单笔一千元以上消费笔数', en: 'purchases of 1,000 yuan or more in 90 days' },
        data_class: 'C2',
        purposes: ['marketing'],
        version: 1,
        refresh: 'daily',
        compute: {
          kind: 'aggregate',
          source: 'transactions',
          fn: 'count',
          where: [{ column: 'amount_fen', op: 'gte', value: 100_000 }],
          window: { within_days: 90 },
        },
      };
      const post = (headers: Record<string, string>, payload: Record<string, unknown>) =>
        app.inject({ method: 'POST', url: '/api/v1/tags/definitions', headers, payload });
      expect((await post(mia.headers, { text: JSON.stringify(def) })).statusCode).toBe(403);
      const bad = await post(ana.headers, { text: JSON.stringify({ ...def, data_class: 'C1' }) });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].field).toBe('bank.big_ticket_90d: data_class');
      const extra = await post(ana.headers, { text: 'x', dryrun: true });
      expect(extra.statusCode).toBe(400);
      const dry = await post(ana.headers, { text: JSON.stringify(def), dryRun: true });
      expect(dry.statusCode).toBe(200);
      expect(dry.json()).toMatchObject({ dryRun: true, tags: [{ id: 'bank.big_ticket_90d', created: true }] });
      const saved = await post(ana.headers, { text: JSON.stringify(def) });
      expect(saved.json()).toMatchObject({ dryRun: false, tags: [{ id: 'bank.big_ticket_90d', created: true }] });
      const list = await app.inject({ method: 'GET', url: '/api/v1/tags', headers: mia.headers });
      expect(list.json().tags.find((t: { custom: boolean }) => t.custom).definition.id).toBe('bank.big_ticket_90d');
      const del = (headers: Record<string, string>, id: string) =>
        app.inject({ method: 'DELETE', url: `/api/v1/tags/definitions/${id}?reason=test`, headers });
      expect((await del(mia.headers, 'bank.big_ticket_90d')).statusCode).toBe(403);
      expect((await del(ana.headers, 'wealth.tier')).statusCode).toBe(409);
      expect((await del(ana.headers, 'bank.big_ticket_90d')).statusCode).toBe(204);
      expect((await del(ana.headers, 'bank.big_ticket_90d')).statusCode).toBe(404);
    });

    it('P4: a tag the customer deleted leaves the live index at once and every later refresh', async () => {
      const expr: AudienceExpr = { tag: 'fin.gender', op: 'eq', value: 'male' };
      const before = await countAudience(ctx, expr, 'service');
      const { bitmap } = await evaluate(ctx, expr, 'service');
      const who = bitmap.toArray()[0] as number;
      expect(who).toBeDefined();
      await ctx.stores.op.query(
        "INSERT INTO tag_optouts (customer_id, tag_id, source) VALUES ($1, 'fin.gender', 'h5_preference_centre')",
        [who],
      );
      const stored = async (tagId: string) =>
        (await customerTags(ctx, [who], FIXTURE_AS_OF)).tags.find((t) => t.tagId === tagId);
      const gender = () => stored('fin.gender');
      expect(await gender()).toBeDefined();
      expect(await stored('demo.age_band')).toBeDefined();
      await applyTagOptouts(ctx, who, ['fin.gender', 'demo.age_band']);
      expect((await countAudience(ctx, expr, 'service')).count).toBe(before.count - 1);
      // gone from the stored snapshot too (both tags, one mutation), not only from the live index
      expect(await gender()).toBeUndefined();
      expect(await stored('demo.age_band')).toBeUndefined();
      expect((await sqlCountAudience(ctx, expr, 'service', FIXTURE_AS_OF)).count).toBe(before.count - 1);
      await refreshTags(ctx, { asOf: FIXTURE_AS_OF });
      expect((await countAudience(ctx, expr, 'service')).count).toBe(before.count - 1);
      expect(await gender()).toBeUndefined();
      // the refresh follows the recorded opt-outs: only fin.gender was recorded, so the age band comes back
      expect(await stored('demo.age_band')).toBeDefined();
    });
  });
}
