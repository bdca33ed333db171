import { standardCatalogue } from '@lingxi/core/tags/catalogue/catalogue';
import { compileCatalogue } from '@lingxi/core/tags/compiler';
import { validateTagDefinitions } from '@lingxi/core/tags/dsl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { OperationalBackend } from '../../../test/support/stores.ts';
import type { AppContext } from '../../app-context.ts';
import { insertSetting } from '../compliance/compliance.repo.ts';
import { configuredDefaults, settingsView } from '../compliance/compliance.service.ts';
import { getTagIndexHolder } from './tag-index.ts';
import { FIXTURE_CUSTOMERS as C, FIXTURE_AS_OF, loadTagFixture } from './tags.fixture.ts';
import { snapshotDates } from './tags.repo.ts';
import {
  currentTagIndex,
  customerTags,
  listRefreshRuns,
  listTags,
  localToday,
  refreshTags,
  snapshotRetentionDays,
  startTagScheduler,
  tagDetail,
} from './tags.service.ts';
import { openTestContext, problem } from './tags.test-context.ts';

/** The suite on one operational backend (PGlite in `tags.service.test.ts`, PostgreSQL in `….postgres.test.ts`). */
export function describeTagRefresh(backend: OperationalBackend): void {
  describe(`tag refresh on chDB + ${backend.name} (fixture bank)`, () => {
    let ctx: AppContext;
    let dispose: () => Promise<void>;
    const tagsOf = async (id: number, asOf?: string) =>
      Object.fromEntries((await customerTags(ctx, [id], asOf)).tags.map((t) => [t.tagId, t.value]));

    beforeAll(async () => {
      ({ ctx, dispose } = await openTestContext(() => backend.open()));
      await loadTagFixture(ctx.stores.an, ctx.stores.op, 40);
      await refreshTags(ctx, { asOf: FIXTURE_AS_OF });
    });
    afterAll(async () => dispose());

    it('computes the segmentations of the hand-built customers', async () => {
      const a = await tagsOf(C.activeAffluent);
      expect(a).toMatchObject({
        'lifecycle.stage': 'active',
        'wealth.tier': 'affluent',
        'value.aum': 70_000_000,
        'value.aum_3m_avg': (60_000_000 + 60_000_000 + 70_000_000) / 3,
        'card.mob_stage': 'mob1_2',
        'card.activated': true,
        'card.first_swipe_done': true,
        'card.bound_to_wallet': true,
        'basic.salary_credited_here': true,
        'risk.level': 'C3',
        'risk.preference': 'steady',
        'relationship.one_stop': 'medium',
        'demo.age_band': '18_35',
        'fin.zodiac': 'horse',
        'hist.top_spend_category_90d': 'dining',
        'hist.weekend_spend_share': 1500 / 2200,
        'target.wealth_maturing_30d': true,
        'model.churn_band': 'low',
        'app.preferred_time_band': 'morning',
      });
      expect(await tagsOf(C.potential)).toMatchObject({
        'lifecycle.stage': 'potential',
        'risk.level': 'unassessed',
        'fin.zodiac': 'rabbit', // born 2000-02-01, before 立春
        'persona.gen_z_95': true,
        'basic.personalised_marketing': false,
      });
      const dormant = await tagsOf(C.dormantSilver);
      expect(dormant).toMatchObject({
        'lifecycle.stage': 'dormant',
        'persona.silver': true,
        'demo.generation': 'boomer',
        'risk.level': 'expired',
        'card.mob_stage': 'mob0_unactivated',
        'target.card_not_activated': true,
        'target.dormant_reactivation': true,
        'model.churn_reasons': ['inactive_90d', 'aum_flat', 'no_login'],
      });
      expect(dormant['risk.preference']).toBeUndefined();
      expect((await tagsOf(C.churnedClosed))['lifecycle.stage']).toBe('churned');
      expect(await tagsOf(C.newCustomer)).toMatchObject({
        'lifecycle.stage': 'new',
        'persona.new_urban_resident': true,
        'persona.young_parent': true,
      });
      expect(await tagsOf(C.viewedNotBought)).toMatchObject({
        'app.view_streak_3d': 3,
        'app.viewed_not_bought_3d': true,
      });
      expect(await tagsOf(C.fraudOutflow)).toMatchObject({
        'warn.fraud_restricted': true,
        'warn.large_outflow_7d': true,
        'warn.overdue_days': 12,
        'persona.farmer_herder': true,
        'target.loan_maturing_30d': true,
      });
      // Tags without a card are null, not false.
      expect((await tagsOf(C.potential))['card.activated']).toBeUndefined();
    });

    it('records coverage and distributions per tag and swaps in an index', async () => {
      const { tags, asOf } = await listTags(ctx);
      expect(asOf).toBe(FIXTURE_AS_OF);
      const stage = tags.find((t) => t.definition.id === 'lifecycle.stage');
      expect(stage?.coverage).toBe(1);
      expect(stage?.total).toBe(47);
      expect(stage?.distribution).toMatchObject({ kind: 'top' });
      // exact value counts: they add up to the customers and match the stored values
      const top = z.object({ values: z.array(z.object({ value: z.string(), count: z.number() })) });
      const stageValues = top.parse(stage?.distribution).values;
      expect(stageValues.reduce((a, v) => a + v.count, 0)).toBe(47);
      const stages = await Promise.all(
        Object.values(C).map(async (id) =>
          (await customerTags(ctx, [id])).tags.find((t) => t.tagId === 'lifecycle.stage'),
        ),
      );
      expect(stageValues.find((v) => v.value === 'churned')?.count).toBeGreaterThanOrEqual(
        stages.filter((t) => t?.value === 'churned').length,
      );
      const mob = tags.find((t) => t.definition.id === 'card.mob_stage');
      expect(mob?.nonNull).toBe(2);
      const aum = await tagDetail(ctx, 'value.aum');
      expect(aum?.distribution).toMatchObject({ kind: 'numeric' });
      expect(aum?.dependencies).toEqual([]);
      expect(aum?.sourceColumns).toContain('holdings_daily.balance_fen');
      const ix = getTagIndexHolder(ctx).current;
      expect(ix?.asOf).toBe(FIXTURE_AS_OF);
      expect(ix?.universe().size).toBe(47);
    });

    it('reads distributions from a fixed sample on a large bank; coverage stays exact', async () => {
      await refreshTags(ctx, { asOf: FIXTURE_AS_OF, statsSampleCustomers: 10, rebuildIndex: false });
      const { tags } = await listTags(ctx);
      const stage = tags.find((t) => t.definition.id === 'lifecycle.stage');
      expect(stage?.nonNull).toBe(47);
      const dist = z
        .object({
          sample: z.object({ every: z.number(), customersWithValue: z.number() }),
          values: z.array(z.object({ count: z.number() })),
        })
        .parse(stage?.distribution);
      expect(dist.sample.every).toBe(5);
      expect(dist.sample.customersWithValue).toBeLessThan(47);
      // counts scaled to the exact coverage
      expect(Math.abs(dist.values.reduce((a, v) => a + v.count, 0) - 47)).toBeLessThanOrEqual(dist.values.length);
      // booleans are counted exactly in the coverage scan, never sampled
      const hasCard = tags.find((t) => t.definition.id === 'card.has_card');
      const bools = z
        .object({ kind: z.literal('top'), values: z.array(z.object({ value: z.string(), count: z.number() })) })
        .strict()
        .parse(hasCard?.distribution);
      expect(bools.values.reduce((a, v) => a + v.count, 0)).toBe(hasCard?.nonNull);
      expect(bools.values.map((v) => v.value).sort()).toEqual(['false', 'true']);
      // sampled numbers: estimated percentiles stay ordered and inside the sample's exact range
      const aum = z
        .object({
          kind: z.literal('numeric'),
          min: z.number(),
          max: z.number(),
          quantiles: z.record(z.string(), z.number()),
          sample: z.object({ every: z.literal(5) }),
        })
        .parse(tags.find((t) => t.definition.id === 'value.aum')?.distribution);
      const qs = [aum.min, ...Object.values(aum.quantiles), aum.max];
      expect(qs).toEqual([...qs].sort((a, b) => a - b));
      await refreshTags(ctx, { asOf: FIXTURE_AS_OF });
    });

    it('versions a changed definition; the old snapshot stays readable with its version', async () => {
      const defs = standardCatalogue().map((d) =>
        d.id === 'value.aum' ? { ...d, description: { zh: '新口径', en: 'new definition' } } : d,
      );
      const r = await refreshTags(ctx, { asOf: '2026-04-01', definitions: validateTagDefinitions(defs) });
      // a new description changes no value, so the tags computed from value.aum keep their versions
      expect(r.newVersions).toEqual(['value.aum']);
      const now = (await customerTags(ctx, [C.activeAffluent], '2026-04-01')).tags.find((t) => t.tagId === 'value.aum');
      const old = (await customerTags(ctx, [C.activeAffluent], FIXTURE_AS_OF)).tags.find(
        (t) => t.tagId === 'value.aum',
      );
      expect(now?.version).toBe(2);
      expect(old?.version).toBe(1);
      expect(now?.value).toBe(old?.value);
      expect((await tagDetail(ctx, 'value.aum'))?.versions.map((v) => v.version)).toEqual([2, 1]);
      // An unchanged catalogue keeps its versions.
      const again = await refreshTags(ctx, {
        asOf: '2026-04-01',
        definitions: validateTagDefinitions(defs),
        rebuildIndex: false,
      });
      expect(again.newVersions).toEqual([]);
    });

    it('drops snapshots older than the retention window', async () => {
      const short = { ...ctx, config: { ...ctx.config, tagSnapshotRetentionDays: 30 } };
      const r = await refreshTags(short, { asOf: '2026-05-05', rebuildIndex: false });
      expect(r.droppedSnapshots).toEqual(['2026-04-01', FIXTURE_AS_OF]);
      expect((await customerTags(ctx, [C.activeAffluent], FIXTURE_AS_OF)).tags).toEqual([]);
    });

    it('top: the most frequent vocabulary value in the window, ties to the smallest, null when nothing matches', async () => {
      const def = standardCatalogue().find((d) => d.id === 'hist.top_spend_category_90d');
      if (!def) throw new Error('hist.top_spend_category_90d missing');
      const q = compileCatalogue([def]).sourceQueries[0];
      if (!q) throw new Error('no source query');
      const [tie, window, none, other] = [990_001, 990_002, 990_003, 990_004];
      let id = 9_900_000;
      const row = (customer_id: number, day: string, merchant_category: string, txn_type = 'purchase') => ({
        txn_id: id++,
        customer_id,
        account_id: 0,
        ts: `${day} 04:00:00`,
        amount_fen: 100,
        direction: 'out',
        channel: 'app',
        txn_type,
        merchant_category,
        counterparty_type: 'merchant',
        cross_border: 0,
      });
      await ctx.stores.an.insert('transactions', [
        ...['travel', 'dining', 'travel', 'dining', 'beauty'].map((m) => row(tie, '2026-03-10', m)),
        // five older rows fall outside the 90 days; inside, auto once and fuel twice
        ...Array.from({ length: 5 }, () => row(window, '2025-11-01', 'auto')),
        row(window, '2026-03-01', 'auto'),
        row(window, '2026-03-02', 'fuel'),
        row(window, '2026-03-03', 'fuel'),
        // a category outside the tag's vocabulary is never its value, however frequent
        ...Array.from({ length: 3 }, () => row(window, '2026-03-04', 'not_a_category')),
        row(none, '2026-03-05', 'dining', 'transfer'),
        row(other, '2026-03-05', 'not_a_category'),
      ]);
      try {
        const col = q.columns[0]?.column ?? '';
        const rows = await ctx.stores.an.query<{ customer_id: number; top: string | null }>(
          `SELECT customer_id, ${col} AS top FROM (${q.sql}) WHERE customer_id IN (${tie}, ${window}, ${none}, ${other}) ORDER BY customer_id`,
          { ...q.params, as_of: FIXTURE_AS_OF },
        );
        expect(rows).toEqual([
          { customer_id: tie, top: 'dining' },
          { customer_id: window, top: 'fuel' },
          { customer_id: none, top: null },
          { customer_id: other, top: null },
        ]);
      } finally {
        await ctx.stores.an.command(
          `ALTER TABLE transactions DELETE WHERE customer_id IN (${tie}, ${window}, ${none}, ${other}) SETTINGS mutations_sync = 2`,
        );
      }
    });

    // near the end: it registers a narrowed definition of fin.gender
    it('reports values outside a tag vocabulary in the result, the log and the distribution', async () => {
      const narrowed: Record<string, string[]> = {
        'fin.gender': ['male'],
        'app.viewed_families_30d': ['no_such_family'],
      };
      const defs = standardCatalogue().map((d) => (narrowed[d.id] ? { ...d, values: narrowed[d.id] } : d));
      // a product view inside the 30 days before the refresh date gives one customer a set value
      await ctx.stores.an.insert('app_events', [
        {
          event_id: 9_900_100,
          customer_id: C.activeAffluent,
          ts: '2026-05-01 02:00:00',
          event_type: 'product_view',
          page: 'product_detail',
          product_id: 'WM-1',
          product_family: 'wealth',
          session_id: 's',
          duration_s: 30,
          device_id: 'd',
          ip: '10.0.0.1',
        },
      ]);
      const r = await refreshTags(ctx, {
        asOf: '2026-05-06',
        definitions: validateTagDefinitions(defs),
        rebuildIndex: false,
      });
      const females = (await customerTags(ctx, Object.values(C), '2026-05-06')).tags.filter(
        (t) => t.tagId === 'fin.gender' && t.value === 'female',
      ).length;
      expect(females).toBeGreaterThan(0);
      expect(r.outsideVocabulary.find((o) => o.tagId === 'fin.gender')?.customers).toBeGreaterThanOrEqual(females);
      // every customer with a set value is outside a one-word vocabulary nobody has
      const families = (await listTags(ctx)).tags.find((t) => t.definition.id === 'app.viewed_families_30d');
      expect(families?.nonNull).toBeGreaterThan(0);
      expect(r.outsideVocabulary.find((o) => o.tagId === 'app.viewed_families_30d')?.customers).toBe(families?.nonNull);
      expect(r.outsideVocabulary.map((o) => o.tagId).sort()).toEqual(['app.viewed_families_30d', 'fin.gender']);
      expect((await tagDetail(ctx, 'fin.gender'))?.distribution).toMatchObject({
        outsideVocabulary: r.outsideVocabulary.find((o) => o.tagId === 'fin.gender')?.customers,
      });
    });

    // last: it moves the newest snapshot to 2026-06-10
    it("an administrator's retention setting overrides the configured default, and the settings page shows both", async () => {
      const shown = async () =>
        (
          await settingsView(
            ctx.stores.op,
            configuredDefaults({ tagSnapshotRetentionDays: 90, timezone: 'Asia/Shanghai' }),
          )
        ).settings.find((x) => x.key === 'retention.tagSnapshotDays')?.value;
      expect(await shown()).toBe(90);
      expect(await snapshotRetentionDays(ctx)).toBe(ctx.config.tagSnapshotRetentionDays);
      await insertSetting(ctx.stores.op, 'retention.tagSnapshotDays', 30, 'storage plan', 'u-admin');
      expect(await shown()).toBe(30);
      expect(await snapshotRetentionDays(ctx)).toBe(30);
      // the configured default (400 days) would keep the May snapshots; the setting (30 days) drops them
      const r = await refreshTags(ctx, { asOf: '2026-06-10', rebuildIndex: false });
      expect(r.droppedSnapshots).toEqual(['2026-05-06', '2026-05-05']);
    });

    it('records every refresh run; a run its process left running is marked failed by the next refresh', async () => {
      // a refresh that started seven hours ago and never finished (the process ended)
      await ctx.stores.op.query(
        `INSERT INTO tag_refresh_runs (run_id, as_of, trigger, actor, started_at)
         VALUES ('dead00000000', '2026-06-09', 'schedule', NULL, now() - interval '7 hours')`,
      );
      const r = await refreshTags(ctx, { asOf: '2026-06-11', rebuildIndex: false, trigger: 'cli', actor: 'cli' });
      const runs = await listRefreshRuns(ctx, 100);
      expect(runs[0]).toMatchObject({
        runId: r.runId,
        asOf: '2026-06-11',
        trigger: 'cli',
        actor: 'cli',
        status: 'succeeded',
        error: null,
        tags: r.tags,
        customers: r.customers,
        newVersions: [],
        durationMs: r.durationMs,
      });
      expect(runs[0]?.finishedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(runs.find((x) => x.runId === 'dead00000000')).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(/^interrupted/),
      });
      // every refresh of this suite is there, each finished
      expect(runs.filter((x) => x.status === 'running')).toEqual([]);
      expect(runs.filter((x) => x.status === 'succeeded').length).toBeGreaterThanOrEqual(8);
      expect(runs.some((x) => x.trigger === 'system' && x.asOf === FIXTURE_AS_OF)).toBe(true);
    });

    it('a backfill of an earlier date leaves the index on the newest snapshot; a date after today is refused', async () => {
      await refreshTags(ctx, { asOf: '2026-06-11' }); // the newest snapshot, index rebuilt
      expect((await currentTagIndex(ctx))?.asOf).toBe('2026-06-11');
      const back = await refreshTags(ctx, { asOf: '2026-06-01' });
      expect(back).toMatchObject({ asOf: '2026-06-01', indexMs: 0 });
      expect((await currentTagIndex(ctx))?.asOf).toBe('2026-06-11'); // audiences still count on the newest

      const today = localToday(ctx.config.timezone);
      const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      const runs = (await listRefreshRuns(ctx, 200)).length;
      const future = await problem(refreshTags(ctx, { asOf: tomorrow }));
      expect(future.status).toBe(400);
      expect(future.errors).toEqual([{ field: 'asOf', reason: expect.stringContaining(`after today (${today}`) }]);
      expect(await snapshotDates(ctx.stores.an)).not.toContain(tomorrow);
      expect((await listRefreshRuns(ctx, 200)).length).toBe(runs);
    });

    // last: it refreshes as of today
    it('the daily schedule refreshes on its cron pattern, as of today in the configured time zone', async () => {
      const scheduled = async () => (await listRefreshRuns(ctx, 100)).filter((x) => x.trigger === 'schedule');
      const before = (await scheduled()).length; // the abandoned run of the test above
      // every second instead of 02:30 (croner's six-field form); the job never overlaps itself
      const stop = startTagScheduler({ ...ctx, config: { ...ctx.config, tagRefreshCron: '* * * * * *' } });
      try {
        await expect
          .poll(async () => (await scheduled()).some((x) => x.status === 'succeeded'), { timeout: 60_000 })
          .toBe(true);
      } finally {
        stop();
      }
      // a run that started before the stop finishes; none is left running
      await expect
        .poll(async () => (await scheduled()).filter((x) => x.status === 'running').length, { timeout: 60_000 })
        .toBe(0);
      const runs = await scheduled();
      expect(runs.length).toBeGreaterThan(before);
      expect(runs.find((x) => x.status === 'succeeded')).toMatchObject({
        asOf: localToday(ctx.config.timezone),
        actor: null,
        error: null,
      });
    });
  });
}
