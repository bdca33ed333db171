import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationalBackend } from '../../../test/support/stores.ts';
import type { AppContext } from '../../app-context.ts';
import { countAudience, sqlCountAudience } from '../audiences/audiences.service.ts';
import { listEntries } from '../audit/audit.repo.ts';
import type { AuthUser } from '../auth/auth.service.ts';
import { insertSetting } from '../compliance/compliance.repo.ts';
import { settingsView, updateSettings } from '../compliance/compliance.service.ts';
import { defineCustomTags } from './custom-tags.service.ts';
import { FIXTURE_CUSTOMERS as C, FIXTURE_AS_OF, loadTagFixture } from './tags.fixture.ts';
import { listRefreshRuns, refreshTags, tagDetail } from './tags.service.ts';
import { openTestContext, problem, tagCell } from './tags.test-context.ts';

/**
 * The standard catalogue's thresholds set by the bank (settings `segmentation.*`, PRODUCT §B "configurable AUM
 * bounds"): saved together or not at all, applied at the next refresh as new tag versions, old snapshots unchanged.
 */
const admin: AuthUser = {
  id: 'u-admin',
  username: 'admin',
  displayName: 'Admin',
  role: 'admin',
  branchId: null,
  branchSubtree: [],
};
const DAY_BEFORE = '2026-03-30';
const affluentCard = {
  id: 'bank.affluent_cardholder',
  name: { zh: '富裕持卡客户', en: 'Affluent cardholder' },
  family: 'segmentation',
  sub_family: 'persona',
  value_type: 'boolean',
  description: { zh: '富裕客户且持有信用卡', en: 'affluent and holds a credit card' },
  data_class: 'C2',
  purposes: ['marketing', 'service'],
  version: 1,
  refresh: 'daily',
  compute: {
    kind: 'rule',
    when: {
      all: [
        { tag: 'wealth.tier', op: 'eq', value: 'affluent' },
        { tag: 'card.has_card', op: 'eq', value: true },
      ],
    },
  },
};

/** The suite on one operational backend (PGlite in `catalogue-settings.test.ts`, PostgreSQL in `….postgres.test.ts`). */
export function describeCatalogueSettings(backend: OperationalBackend): void {
  describe(`catalogue thresholds from the settings (chDB + ${backend.name}, fixture bank)`, () => {
    let ctx: AppContext;
    let dispose: () => Promise<void>;
    const cell = (id: number, tag: string, asOf?: string) => tagCell(ctx, id, tag, asOf);

    beforeAll(async () => {
      ({ ctx, dispose } = await openTestContext(() => backend.open()));
      await loadTagFixture(ctx.stores.an, ctx.stores.op, 40);
      // a bank tag computed from wealth.tier: its own definition never changes, its values do with the bounds
      await defineCustomTags(ctx, { text: JSON.stringify(affluentCard) }, { id: 'u-analyst', role: 'analyst' });
      await refreshTags(ctx, { asOf: DAY_BEFORE });
    });
    afterAll(async () => dispose());

    it('shows the catalogue defaults on the settings page', async () => {
      const view = await settingsView(ctx.stores.op);
      const get = (k: string) => view.settings.find((s) => s.key === k);
      expect(get('segmentation.wealthAffluentFromYuan')).toMatchObject({
        value: 500_000,
        type: 'number',
        updatedBy: null,
      });
      expect(get('segmentation.wealthHnwFromYuan')?.value).toBe(6_000_000);
      expect(get('segmentation.lifecycleActiveDays')?.value).toBe(30);
      expect(get('segmentation.wealthAffluentFromYuan')?.description.en).toMatch(/^wealth tier: affluent from/);
    });

    it('refuses thresholds that do not fit together, naming the setting, and saves none of them', async () => {
      const p = await problem(
        updateSettings(
          ctx,
          admin,
          { 'segmentation.wealthAffluentFromYuan': 700_000, 'segmentation.wealthHnwFromYuan': 600_000 },
          'tier review',
        ),
      );
      expect(p.status).toBe(400);
      expect(p.errors).toEqual([
        { field: 'values.segmentation.wealthHnwFromYuan', reason: 'must exceed segmentation.wealthAffluentFromYuan' },
      ]);
      const days = await problem(
        updateSettings(ctx, admin, { 'segmentation.lifecycleDormantDays': 31 }, 'lifecycle review'),
      );
      expect(days.errors?.[0]?.field).toBe('values.segmentation.lifecycleDormantDays');
      const fraction = await problem(
        updateSettings(ctx, admin, { 'segmentation.lifecycleNewDays': 7.5 }, 'lifecycle review'),
      );
      expect(fraction.errors?.[0]).toMatchObject({ field: 'values.segmentation.lifecycleNewDays' });
      const view = await settingsView(ctx.stores.op);
      expect(view.settings.filter((s) => s.key.startsWith('segmentation.') && s.updatedBy !== null)).toEqual([]);
    });

    it('a new bound is audited with the tags it changes and applies from the next refresh as a new version', async () => {
      expect((await cell(C.activeAffluent, 'wealth.tier', DAY_BEFORE))?.value).toBe('affluent');
      const v1 = (await cell(C.activeAffluent, 'wealth.tier', DAY_BEFORE))?.version ?? 0;

      // the affluent customer's 3-month average AUM is about ¥633k: under a ¥700k bound they are mass
      await updateSettings(ctx, admin, { 'segmentation.wealthAffluentFromYuan': 700_000 }, 'tier review 2026');
      const audit = await listEntries(ctx.stores.op, { action: 'settings.changed', limit: 5 });
      expect(audit[0]?.details).toEqual({
        values: { 'segmentation.wealthAffluentFromYuan': 700_000 },
        tagsChanged: ['wealth.tier', 'persona.quasi_middle_class'],
      });
      expect((await tagDetail(ctx, 'wealth.tier'))?.definition.description.en).toContain('mass < ¥700000');

      const refreshed = await refreshTags(ctx, { asOf: FIXTURE_AS_OF });
      // the bank tag computed from wealth.tier follows it to a new version
      expect(refreshed.newVersions.sort()).toEqual([
        'bank.affluent_cardholder',
        'persona.quasi_middle_class',
        'wealth.tier',
      ]);
      const history = (await tagDetail(ctx, 'bank.affluent_cardholder'))?.versions ?? [];
      expect(history.map((h) => [h.version, h.follows])).toEqual([
        [2, ['wealth.tier']],
        [1, null],
      ]);
      expect(history[0]?.hash).toBe(history[1]?.hash);
      expect((await tagDetail(ctx, 'wealth.tier'))?.versions[0]?.follows).toBeNull();
      expect((await cell(C.activeAffluent, 'bank.affluent_cardholder'))?.value).toBe(false);
      expect((await cell(C.activeAffluent, 'bank.affluent_cardholder', DAY_BEFORE))?.value).toBe(true);
      expect(await cell(C.activeAffluent, 'wealth.tier')).toEqual({
        tagId: 'wealth.tier',
        version: v1 + 1,
        value: 'mass',
      });
      // the earlier snapshot keeps the value and version it was computed with
      expect(await cell(C.activeAffluent, 'wealth.tier', DAY_BEFORE)).toEqual({
        tagId: 'wealth.tier',
        version: v1,
        value: 'affluent',
      });
      // audiences count on the new values, bitmaps equal to SQL
      const expr = { and: [{ tag: 'wealth.tier', op: 'eq', value: 'mass' }] };
      const bitmap = await countAudience(ctx, expr, 'marketing');
      expect(bitmap.count).toBe((await sqlCountAudience(ctx, expr, 'marketing', FIXTURE_AS_OF)).count);
      expect(bitmap.count).toBeGreaterThan(0);
    });

    it('a stored combination that no longer fits stops the refresh naming the setting', async () => {
      // as a later release narrowing a range would leave it: written past the checks
      await insertSetting(ctx.stores.op, 'segmentation.wealthHnwFromYuan', 100, 'written directly', 'u-admin');
      const p = await problem(refreshTags(ctx, { asOf: FIXTURE_AS_OF }));
      expect(p.status).toBe(409);
      // the failed run is on record with its error, for the console's refresh history
      const [failed] = await listRefreshRuns(ctx, 1);
      expect(failed).toMatchObject({ status: 'failed', asOf: FIXTURE_AS_OF, tags: null });
      expect(failed?.error).toMatch(/settings\.segmentation\.wealthHnwFromYuan: must exceed/);
      expect(p.message).toMatch(/settings\.segmentation\.wealthHnwFromYuan: must exceed .*settings page/);
      await updateSettings(ctx, admin, { 'segmentation.wealthHnwFromYuan': 6_000_000 }, 'repair the tier bounds');
      expect((await refreshTags(ctx, { asOf: FIXTURE_AS_OF })).newVersions).toEqual([]);
    });
  });
}
