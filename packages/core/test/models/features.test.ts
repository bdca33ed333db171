import { describe, expect, it } from 'vitest';
import {
  assertNoLeakyFeatures,
  assertTimeSplit,
  buildDataset,
  classifyTags,
  type FeatureSpec,
  fitFeatureSpec,
  LeakageError,
  OTHER_LEVEL,
  selectCustomers,
  type TagMatrix,
  timeSplit,
} from '../../src/models/features.ts';
import { standardCatalogue } from '../../src/tags/catalogue/catalogue.ts';
import { compileCatalogue } from '../../src/tags/compiler.ts';

const defs = standardCatalogue();
const usability = classifyTags(compileCatalogue(defs, { timezone: 'Asia/Shanghai' }));
const verdict = (id: string) => usability.get(id);

describe('leakage policy over the standard catalogue', () => {
  it('classifies every catalogue tag', () => {
    for (const d of defs) expect(usability.has(d.id), d.id).toBe(true);
  });

  it('excludes model outputs, label restatements, current-state and unbounded dimension tags', () => {
    expect(verdict('model.churn_score')).toMatchObject({ usable: false, reason: 'model_output' });
    expect(verdict('model.propensity.fund')).toMatchObject({ usable: false, reason: 'model_output' });
    expect(verdict('value.ltv_score')).toMatchObject({ usable: false, reason: 'model_output' });
    expect(verdict('lifecycle.stage')).toMatchObject({ usable: false, reason: 'label_definition' });
    expect(verdict('basic.customer_status')).toMatchObject({ usable: false, reason: 'label_definition' });
    expect(verdict('target.deposit_maturing_30d')).toMatchObject({ usable: false, reason: 'future_window' });
    // reads dim_accounts.status as it is today, not at the as-of date
    expect(verdict('basic.has_deposit')).toMatchObject({ usable: false, reason: 'mutable_state' });
    expect(verdict('value.product_count')).toMatchObject({ usable: false, reason: 'mutable_state' });
    expect(verdict('risk.level')).toMatchObject({ usable: false, reason: 'mutable_state' });
    // counts loans disbursed after the as-of date
    expect(verdict('fin.has_agri_loan')).toMatchObject({ usable: false, reason: 'unbounded_dimension' });
    expect(verdict('persona.farmer_herder')?.usable).toBe(false);
    expect(verdict('hist.card_txn_count')).toMatchObject({ usable: false, reason: 'unbounded_history' });
    expect(verdict('fin.birth_date')).toMatchObject({ usable: false, reason: 'not_a_feature' });
    expect(verdict('fin.home_branch')).toMatchObject({ usable: false, reason: 'not_a_feature' });
  });

  it('keeps fact-based and static tags, including the planted churn drivers', () => {
    for (const id of [
      'app.logins_30d',
      'app.logins_prior_60d',
      'warn.login_drop',
      'hist.redemptions_30d',
      'hist.transfer_out_7d',
      'warn.large_outflow_7d',
      'value.aum',
      'value.aum_change_90d_pct',
      'app.last_login_days_ago',
      'hist.products_bought_12m',
      'fin.age',
      'demo.age_band',
      'app.viewed_families_30d',
    ])
      expect(verdict(id), id).toMatchObject({ usable: true });
  });
});

function matrix(): TagMatrix {
  return {
    asOf: '2026-04-01',
    customerIds: [1, 2, 3, 4],
    columns: new Map([
      ['value.aum', [100, null, 300, 0]],
      ['warn.login_drop', [true, false, null, 'true']],
      ['demo.age_band', ['18_35', '36_55', '18_35', 'under_18']],
      ['app.viewed_families_30d', [['wealth', 'fund'], [], null, ['fund']]],
      ['lifecycle.stage', ['active', 'churned', 'active', 'dormant']],
    ]),
  };
}

const fitDefs = defs.filter((d) =>
  ['value.aum', 'warn.login_drop', 'demo.age_band', 'app.viewed_families_30d', 'lifecycle.stage'].includes(d.id),
);

describe('feature matrix → dataset', () => {
  it('encodes numbers, booleans, enums and sets; missing stays missing', () => {
    const spec = fitFeatureSpec(fitDefs, usability, matrix(), { maxLevels: 2 });
    expect(spec.columns.map((c) => c.name)).toEqual([
      'app.viewed_families_30d=fund',
      'app.viewed_families_30d=wealth',
      'demo.age_band',
      'value.aum',
      'warn.login_drop',
    ]);
    expect(spec.excluded.map((e) => e.tag)).toEqual(['lifecycle.stage']);
    const age = spec.columns.find((c) => c.name === 'demo.age_band');
    expect(age).toMatchObject({ kind: 'categorical', levels: ['18_35', '36_55', OTHER_LEVEL] });

    const ds = buildDataset(spec, matrix());
    const col = (name: string) => ds.numeric[ds.numericNames.indexOf(name)] as Float64Array;
    expect(Array.from(col('value.aum'))).toEqual([100, Number.NaN, 300, 0]);
    expect(Array.from(col('warn.login_drop'))).toEqual([1, 0, Number.NaN, 1]);
    expect(Array.from(col('app.viewed_families_30d=fund'))).toEqual([1, 0, Number.NaN, 1]);
    expect(Array.from(col('app.viewed_families_30d=wealth'))).toEqual([1, 0, Number.NaN, 0]);
    // rare level pooled into __other__
    expect(Array.from(ds.categorical[0] as Int32Array)).toEqual([0, 1, 0, 2]);
  });

  it('encodes new data with the frozen spec (unknown levels → other, absent tags → missing)', () => {
    const spec = fitFeatureSpec(fitDefs, usability, matrix(), { maxLevels: 2 });
    const later: TagMatrix = {
      asOf: '2026-06-30',
      customerIds: [9],
      columns: new Map([['demo.age_band', ['56_plus']]]),
    };
    const ds = buildDataset(spec, later);
    expect(ds.categorical[0]?.[0]).toBe(2);
    expect(Number.isNaN(ds.numeric[ds.numericNames.indexOf('value.aum')]?.[0] as number)).toBe(true);
  });

  it('selects customers in a given order', () => {
    const m = selectCustomers(matrix(), [3, 1, 42]);
    expect(m.columns.get('value.aum')).toEqual([300, 100, null]);
  });
});

describe('time split guard', () => {
  it('builds the protocol split: features at T − 90, labels in (T − 90, T]', () => {
    expect(timeSplit('2026-06-30', 90)).toEqual({
      featureAsOf: '2026-04-01',
      labelFrom: '2026-04-02',
      labelTo: '2026-06-30',
    });
    expect(() => assertTimeSplit(timeSplit('2026-06-30', 90))).not.toThrow();
  });

  it('refuses feature snapshots on or after the first label day', () => {
    const split = timeSplit('2026-06-30', 90);
    expect(() => assertTimeSplit(split, ['2026-04-02'])).toThrow(LeakageError);
    expect(() => assertTimeSplit(split, ['2026-06-30'])).toThrow(/featureAsOf: feature snapshot 2026-06-30/);
    expect(() => assertTimeSplit({ ...split, featureAsOf: '2026-05-01' })).toThrow(/not before the label window/);
    expect(() => assertTimeSplit(split, ['2026-03-31', '2026-04-01'])).not.toThrow();
  });

  it('refuses empty windows and bad dates', () => {
    expect(() =>
      assertTimeSplit({ featureAsOf: '2026-01-01', labelFrom: '2026-03-01', labelTo: '2026-02-01' }),
    ).toThrow(/labelTo/);
    expect(() => assertTimeSplit({ featureAsOf: '2026-1-1', labelFrom: '2026-03-01', labelTo: '2026-04-01' })).toThrow(
      /featureAsOf: not a date/,
    );
    expect(() => timeSplit('2026-06-30', 0)).toThrow(/horizonDays/);
  });

  it('refuses a spec that uses an excluded tag', () => {
    const spec: FeatureSpec = {
      columns: [{ kind: 'categorical', name: 'lifecycle.stage', tag: 'lifecycle.stage', levels: ['active'] }],
      excluded: [],
    };
    expect(() => assertNoLeakyFeatures(spec, usability)).toThrow(
      /features.lifecycle.stage: tag lifecycle.stage is excluded/,
    );
    const ok: FeatureSpec = { columns: [{ kind: 'numeric', name: 'value.aum', tag: 'value.aum' }], excluded: [] };
    expect(() => assertNoLeakyFeatures(ok, usability)).not.toThrow();
  });
});
