import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationalBackend } from '../../../test/support/stores.ts';
import type { AppContext } from '../../app-context.ts';
import { countAudience, createAudience, deleteAudience, sqlCountAudience } from '../audiences/audiences.service.ts';
import { listEntries } from '../audit/audit.repo.ts';
import { upsertCustomDefinition } from './custom-tags.repo.ts';
import { defineCustomTags, retireCustomTag } from './custom-tags.service.ts';
import { FIXTURE_CUSTOMERS as C, FIXTURE_AS_OF, loadTagFixture } from './tags.fixture.ts';
import { activeCatalogue, listTags, refreshTags, tagDetail } from './tags.service.ts';
import { openTestContext, problem, tagCell } from './tags.test-context.ts';

const analyst = { id: 'u-analyst', role: 'analyst' } as const;

const diningYaml = (days: number) => `
tags:
  - id: bank.dining_spend
    name: { zh: 餐饮消费金额, en: Dining spend }
    family: history
    sub_family: behaviour
    value_type: number
    unit: fen
    description: { zh: 近期餐饮类消费合计(分), en: recent dining purchase spend (fen) }
    data_class: C2
    purposes: [marketing, service]
    version: 1
    refresh: daily
    compute:
      kind: aggregate
      source: transactions
      fn: sum
      column: amount_fen
      where:
        - { column: direction, op: eq, value: out }
        - { column: txn_type, op: eq, value: purchase }
        - { column: merchant_category, op: eq, value: dining }
      window: { within_days: ${days} }
  - id: bank.affluent_diner
    name: { zh: 富裕餐饮客群, en: Affluent diner }
    family: segmentation
    sub_family: persona
    value_type: boolean
    description: { zh: 富裕客户且近期有餐饮消费, en: affluent and spent on dining recently }
    data_class: C2
    purposes: [marketing, service]
    version: 1
    refresh: daily
    compute:
      kind: rule
      when:
        all:
          - { tag: bank.dining_spend, op: gt, value: 0 }
          - { tag: wealth.tier, op: eq, value: affluent }
`;

/** The suite on one operational backend (PGlite in `custom-tags.service.test.ts`, PostgreSQL in `….postgres.test.ts`). */
export function describeBankTags(backend: OperationalBackend): void {
  describe(`bank-specific tags (chDB + ${backend.name}, fixture bank)`, () => {
    let ctx: AppContext;
    let dispose: () => Promise<void>;
    const cell = (id: number, tag: string, asOf?: string) => tagCell(ctx, id, tag, asOf);

    beforeAll(async () => {
      ({ ctx, dispose } = await openTestContext(() => backend.open()));
      await loadTagFixture(ctx.stores.an, ctx.stores.op, 40);
      await refreshTags(ctx, { asOf: FIXTURE_AS_OF });
    });
    afterAll(async () => dispose());

    it('a dry run validates and compiles without saving', async () => {
      const r = await defineCustomTags(ctx, { text: diningYaml(90), dryRun: true }, analyst);
      expect(r.dryRun).toBe(true);
      expect(r.tags.map((t) => [t.id, t.created])).toEqual([
        ['bank.dining_spend', true],
        ['bank.affluent_diner', true],
      ]);
      expect(r.tags[0]?.sourceColumns).toEqual(expect.arrayContaining(['transactions.merchant_category']));
      expect(r.tags[1]?.dependencies).toEqual(['bank.dining_spend', 'wealth.tier']);
      expect((await listTags(ctx)).tags.some((t) => t.definition.id.startsWith('bank.'))).toBe(false);
    });

    it('refuses bad definitions naming the tag and the field, and saves nothing', async () => {
      const cases: [string, RegExp, string?][] = [
        [diningYaml(90).replace('id: bank.dining_spend', 'id: hist.dining_spend'), /hist\.dining_spend: id/],
        [diningYaml(0), /bank\.dining_spend: compute\.window\.within_days/],
        [diningYaml(90).replace('column: merchant_category', 'column: merchant_kind'), /bank\.dining_spend: compute/],
        [
          diningYaml(90).replace('value: affluent', 'value: affluent }\n          - { tag: bank.nope, op: is_null'),
          /bank\.affluent_diner: compute: references unknown tag bank\.nope/,
        ],
        [
          `{"id": "bank.devices_30d", "name": {"zh": "设备数", "en": "Devices"}, "family": "app", "sub_family": "browsing",
          "value_type": "number", "description": {"zh": "近30天设备数", "en": "devices in 30 days"}, "data_class": "C2",
          "purposes": ["marketing"], "version": 1, "refresh": "daily", "compute": {"kind": "aggregate",
          "source": "app_events", "fn": "count_distinct", "column": "device_id", "window": {"within_days": 30}}}`,
          /bank\.devices_30d: compute\.column: app_events\.device_id is anti_fraud_only/,
          'A1',
        ],
        ['tags: [ {id: bank.x', /\(text\)/],
        ['tags: []', /^text: contains no tag definitions$/],
      ];
      for (const [text, field, rule] of cases) {
        const p = await problem(defineCustomTags(ctx, { text }, analyst));
        expect(p.status, text.slice(0, 80)).toBe(400);
        expect(p.errors?.map((e) => `${e.field}: ${e.reason}`).join('; ') ?? '', String(field)).toMatch(field);
        if (rule) expect(p.extensions).toEqual({ ruleIds: [rule] });
      }
      expect((await activeCatalogue(ctx)).defs.some((d) => d.id.startsWith('bank.'))).toBe(false);
    });

    it('saves, audits, computes on the next refresh and serves audiences like a standard tag', async () => {
      const r = await defineCustomTags(ctx, { text: diningYaml(90) }, analyst);
      expect(r.tags.every((t) => t.created)).toBe(true);
      const listed = (await listTags(ctx)).tags.filter((t) => t.custom);
      expect(listed.map((t) => t.definition.id).sort()).toEqual(['bank.affluent_diner', 'bank.dining_spend']);
      const audit = await listEntries(ctx.stores.op, { action: 'tags.defined', limit: 10 });
      expect(audit.map((a) => [a.target_id, a.actor_id]).sort()).toEqual([
        ['bank.affluent_diner', 'u-analyst'],
        ['bank.dining_spend', 'u-analyst'],
      ]);

      // defined but not refreshed yet: counting would silently give 0, so it is refused
      const expr = { and: [{ tag: 'bank.affluent_diner', op: 'eq', value: true }] };
      expect((await problem(countAudience(ctx, expr, 'marketing'))).status).toBe(409);

      const refreshed = await refreshTags(ctx, { asOf: FIXTURE_AS_OF });
      expect(refreshed.newVersions).toEqual(expect.arrayContaining(['bank.dining_spend', 'bank.affluent_diner']));
      // the fixture's affluent customer spent 500 + 200 yuan on dining in March; the potential customer's transactions are no dining purchases
      expect((await cell(C.activeAffluent, 'bank.dining_spend'))?.value).toBe(70_000);
      expect((await cell(C.activeAffluent, 'bank.affluent_diner'))?.value).toBe(true);
      expect((await cell(C.potential, 'bank.dining_spend'))?.value).toBe(0);
      const detail = await tagDetail(ctx, 'bank.dining_spend');
      expect(detail?.coverage).toBeGreaterThan(0);
      expect(detail?.dataClass).toBe('C2');

      const count = await countAudience(ctx, expr, 'marketing');
      expect(count.count).toBeGreaterThanOrEqual(1);
      expect(count.count).toBe((await sqlCountAudience(ctx, expr, 'marketing', FIXTURE_AS_OF)).count);
    });

    it('a replaced definition gets a new version at the next refresh', async () => {
      const r = await defineCustomTags(ctx, { text: diningYaml(10) }, analyst);
      expect(r.tags.map((t) => t.created)).toEqual([false, false]);
      const refreshed = await refreshTags(ctx, { asOf: FIXTURE_AS_OF });
      // the rule over it is unchanged but its values follow: a new version that names the tag it follows
      expect(refreshed.newVersions.sort()).toEqual(['bank.affluent_diner', 'bank.dining_spend']);
      expect((await tagDetail(ctx, 'bank.affluent_diner'))?.versions.map((v) => [v.version, v.follows])).toEqual([
        [2, ['bank.dining_spend']],
        [1, null],
      ]);
      // only the 200 yuan of 25 March falls in the 10 days ending 31 March
      expect(await cell(C.activeAffluent, 'bank.dining_spend')).toMatchObject({ version: 2, value: 20_000 });
      expect((await tagDetail(ctx, 'bank.dining_spend'))?.versions.map((v) => v.version)).toEqual([2, 1]);
    });

    it('retiring is refused while a tag or a saved audience uses it; a standard tag cannot be retired', async () => {
      const inUse = await problem(retireCustomTag(ctx, 'bank.dining_spend', analyst));
      expect(inUse.status).toBe(409);
      expect(inUse.message).toContain('bank.affluent_diner');
      const aud = await createAudience(
        ctx,
        {
          name: 'affluent diners',
          expression: { and: [{ tag: 'bank.affluent_diner', op: 'eq', value: true }] },
          purpose: 'marketing',
        },
        analyst,
      );
      const used = await problem(retireCustomTag(ctx, 'bank.affluent_diner', analyst));
      expect(used.status).toBe(409);
      expect(used.message).toContain('affluent diners');
      expect((await problem(retireCustomTag(ctx, 'wealth.tier', analyst))).status).toBe(409);
      expect((await problem(retireCustomTag(ctx, 'bank.never_defined', analyst))).status).toBe(404);

      await deleteAudience(ctx, aud.id, analyst);
      await retireCustomTag(ctx, 'bank.affluent_diner', analyst, 'campaign over');
      await retireCustomTag(ctx, 'bank.dining_spend', analyst);
      // this process's audiences see the retirement at once
      const gone = await problem(
        countAudience(ctx, { and: [{ tag: 'bank.affluent_diner', op: 'eq', value: true }] }, 'marketing'),
      );
      expect(gone.status).toBe(400);
      expect((await listTags(ctx)).tags.some((t) => t.custom)).toBe(false);
      const retired = await listEntries(ctx.stores.op, { action: 'tags.retired', limit: 10 });
      expect(retired.map((a) => [a.target_id, a.reason])).toEqual([
        ['bank.dining_spend', null],
        ['bank.affluent_diner', 'campaign over'],
      ]);
      // the snapshot written while the tag was in force keeps its values
      expect((await cell(C.activeAffluent, 'bank.dining_spend'))?.value).toBe(20_000);
    });

    it('a stored definition that no longer compiles is left out and reported, and the refresh still runs', async () => {
      const defined = await defineCustomTags(ctx, { text: diningYaml(30) }, analyst);
      expect(defined.tags).toHaveLength(2);
      // as if an upgrade had renamed the column it reads
      const broken = { ...(await activeCatalogue(ctx)).byId.get('bank.dining_spend') } as Record<string, unknown>;
      broken.compute = { ...(broken.compute as object), column: 'amount_cents' };
      await upsertCustomDefinition(ctx.stores.op, { id: 'bank.dining_spend', definition: broken, actor: 'test' });
      const cat = await activeCatalogue(ctx);
      expect(cat.broken?.map((b) => b.tagId)).toEqual(['bank.dining_spend', 'bank.affluent_diner']);
      expect(cat.byId.has('wealth.tier')).toBe(true);
      expect(cat.byId.has('bank.dining_spend')).toBe(false);
      expect((await listTags(ctx)).broken).toHaveLength(2);
      const r = await refreshTags(ctx, { asOf: FIXTURE_AS_OF });
      expect(r.tags).toBe(cat.defs.length);
      // saving a corrected definition replaces the broken one and brings its dependant back
      const fix = await defineCustomTags(ctx, { text: diningYaml(30), dryRun: true }, analyst);
      expect(fix.tags.map((t) => t.created)).toEqual([false, false]);
      await defineCustomTags(ctx, { text: diningYaml(30) }, analyst);
      const fixed = await activeCatalogue(ctx);
      expect(fixed.broken).toEqual([]);
      expect(fixed.byId.has('bank.affluent_diner')).toBe(true);
    });
  });
}
