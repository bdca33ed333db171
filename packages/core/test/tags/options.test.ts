import { describe, expect, it } from 'vitest';
import { catalogueChanges, standardCatalogue } from '../../src/tags/catalogue/catalogue.ts';
import {
  catalogueOptionsFromSettings,
  catalogueOptionsSchema,
  catalogueSettingDefault,
  catalogueSettings,
} from '../../src/tags/catalogue/options.ts';

const def = (defs: ReturnType<typeof standardCatalogue>, id: string) => {
  const d = defs.find((x) => x.id === id);
  if (!d) throw new Error(`no ${id}`);
  return d;
};

describe('catalogue settings', () => {
  it('map the defaults of the settings to the default catalogue', () => {
    const values = Object.fromEntries(catalogueSettings.map((s) => [s.key, catalogueSettingDefault(s)]));
    expect(values).toMatchObject({
      'segmentation.wealthAffluentFromYuan': 500_000,
      'segmentation.wealthHnwFromYuan': 6_000_000,
      'segmentation.interestSharePercent': 15,
      'segmentation.aumMarginPercent': 1,
    });
    const r = catalogueOptionsFromSettings(values);
    expect(r).toEqual({ ok: true, options: catalogueOptionsSchema.parse({}) });
  });

  it('convert yuan to fen and percent to a fraction, and the definitions and descriptions follow', () => {
    const r = catalogueOptionsFromSettings({
      'segmentation.wealthAffluentFromYuan': 300_000,
      'segmentation.wealthHnwFromYuan': 3_000_000,
      'segmentation.lifecycleActiveDays': 14,
      'segmentation.lifecycleDormantDays': 60,
      'segmentation.aumMarginPercent': 0.7,
      'display.timezone': 'Asia/Shanghai', // not a catalogue setting: ignored
    });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.options).toMatchObject({ affluentFromFen: 30_000_000, hnwFromFen: 300_000_000, aumMargin: 0.007 });
    const defs = standardCatalogue(r.options);
    expect(def(defs, 'wealth.tier').compute).toMatchObject({
      buckets: [{ value: 'mass', lt: 30_000_000 }, { value: 'affluent', lt: 300_000_000 }, { value: 'hnw' }],
    });
    expect(def(defs, 'lifecycle.stage').description.zh).toContain('活跃(14天内');
    expect(def(defs, 'lifecycle.stage').description.en).toContain('cooling (no activity for 15–59 days)');
    expect(def(defs, 'value.contribution_12m').description.en).toContain('AUM × 0.7%');
    // unchanged settings keep their definitions, so their versions stay
    expect(def(defs, 'persona.young_parent')).toEqual(def(standardCatalogue(), 'persona.young_parent'));
  });

  it('name the setting and the reason when values do not fit', () => {
    expect(catalogueOptionsFromSettings({ 'segmentation.wealthHnwFromYuan': 400_000 })).toEqual({
      ok: false,
      issues: [{ key: 'segmentation.wealthHnwFromYuan', reason: 'must exceed segmentation.wealthAffluentFromYuan' }],
    });
    const lifecycle = catalogueOptionsFromSettings({
      'segmentation.lifecycleActiveDays': 89,
      'segmentation.lifecycleChurnDays': 60,
    });
    expect(lifecycle.ok ? [] : lifecycle.issues.map((i) => i.key)).toEqual([
      'segmentation.lifecycleDormantDays',
      'segmentation.lifecycleChurnDays',
    ]);
    expect(lifecycle.ok ? '' : lifecycle.issues[0]?.reason).toMatch(/segmentation\.lifecycleActiveDays/);
    const bad = catalogueOptionsFromSettings({ 'segmentation.lifecycleNewDays': 7.5 });
    expect(bad.ok ? [] : bad.issues.map((i) => i.key)).toEqual(['segmentation.lifecycleNewDays']);
    const pct = catalogueOptionsFromSettings({ 'segmentation.interestSharePercent': 150 });
    expect(pct.ok ? '' : pct.issues[0]?.reason).toMatch(/100/);
  });
});

describe('catalogueChanges', () => {
  it('lists the standard tags whose definitions a threshold changes', () => {
    expect(catalogueChanges({}, { affluentFromFen: 30_000_000 }).sort()).toEqual([
      'persona.quasi_middle_class',
      'wealth.tier',
    ]);
    expect(catalogueChanges({}, { aumMargin: 0.007 })).toEqual(['value.contribution_12m']);
    expect(catalogueChanges({ activeDays: 14 }, { activeDays: 14 })).toEqual([]);
  });
});
