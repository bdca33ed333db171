import { describe, expect, it } from 'vitest';
import { standardCatalogue } from '../../src/tags/catalogue/catalogue.ts';
import { compileCatalogue, TagCompileError, topoOrder } from '../../src/tags/compiler.ts';
import { type TagDefinitionInput, validateTagDefinitions } from '../../src/tags/dsl.ts';
import { sources } from '../../src/tags/registry.ts';

const base = {
  name: { zh: '测试', en: 'test' },
  description: { zh: '测试', en: 'test' },
  data_class: 'C2' as const,
};
const def = (d: Partial<TagDefinitionInput> & Pick<TagDefinitionInput, 'id' | 'compute'>): TagDefinitionInput => ({
  family: 'history',
  sub_family: 'behaviour',
  value_type: 'number',
  ...base,
  ...d,
});

function compileError(defs: TagDefinitionInput[]): TagCompileError {
  try {
    compileCatalogue(validateTagDefinitions(defs));
  } catch (err) {
    if (err instanceof TagCompileError) return err;
    throw err;
  }
  throw new Error('expected a compile error');
}

describe('source registry', () => {
  it('marks app_events.device_id and ip anti_fraud_only (A1)', () => {
    const app = sources().app_events.columns;
    expect(app.device_id?.antiFraudOnly).toBe(true);
    expect(app.ip?.antiFraudOnly).toBe(true);
    expect(app.event_type?.antiFraudOnly).toBe(false);
    expect(sources().transactions.columns.amount_fen?.dataClass).toBe('C2');
  });
});

describe('tag compiler', () => {
  const defs = validateTagDefinitions([
    def({
      id: 'hist.spend_30d',
      compute: {
        kind: 'aggregate',
        source: 'transactions',
        fn: 'sum',
        column: 'amount_fen',
        where: [{ column: 'merchant_category', op: 'in', value: ["dining'; DROP TABLE x; --", 'travel'] }],
        window: { within_days: 30 },
      },
    }),
    def({
      id: 'hist.txn_count_90d',
      data_class: 'C1',
      compute: { kind: 'aggregate', source: 'transactions', fn: 'count', window: { within_days: 90 } },
    }),
    def({
      id: 'app.logins_30d',
      family: 'app',
      sub_family: 'browsing',
      data_class: 'C1',
      compute: {
        kind: 'aggregate',
        source: 'app_events',
        fn: 'count',
        where: [{ column: 'event_type', op: 'eq', value: 'login' }],
        window: { within_days: 30 },
      },
    }),
    def({
      id: 'seg.spender',
      family: 'segmentation',
      sub_family: 'x',
      value_type: 'enum',
      values: ['low', 'high'],
      compute: { kind: 'bucket', of: 'hist.spend_30d', buckets: [{ value: 'low', lt: 100_000 }, { value: 'high' }] },
    }),
    def({
      id: 'seg.engaged',
      family: 'segmentation',
      sub_family: 'x',
      value_type: 'boolean',
      compute: {
        kind: 'rule',
        when: {
          all: [
            { tag: 'seg.spender', op: 'eq', value: 'high' },
            { tag: 'app.logins_30d', op: 'gte', value: 4 },
          ],
        },
      },
    }),
  ]);
  const c = compileCatalogue(defs);

  it('compiles ONE query per source table with conditional aggregates over the widest window', () => {
    expect(c.sourceQueries.map((q) => q.source).sort()).toEqual(['app_events', 'transactions']);
    const tx = c.sourceQueries.find((q) => q.source === 'transactions');
    expect(tx?.columns.map((x) => x.tagId).sort()).toEqual(['hist.spend_30d', 'hist.txn_count_90d']);
    expect(tx?.sql).toMatch(
      /^SELECT customer_id, .* FROM transactions FINAL WHERE ts < toDateTime64\(addDays\(\{as_of:Date\}, \{transactions_p\d+:Int32\}\), 3, \{tz:String\}\) AND ts >= .* GROUP BY customer_id$/,
    );
    // windows on a date-time column compare the stored instants with the starts of local days (bound offsets)
    expect(Object.values(tx?.params ?? {})).toEqual(expect.arrayContaining([-29, 1, -89]));
    expect(tx?.sql).toContain('sumIf(toFloat64(amount_fen)');
    expect(tx?.sql).toContain('countIf(');
    // The pre-filter uses the widest window (90 days): the instant the local day as_of − 89 starts, bound
    const lookback = Object.entries(tx?.params ?? {}).find(([, v]) => v === -89);
    expect(lookback).toBeDefined();
    expect(tx?.sql).toContain(`ts >= toDateTime64(addDays({as_of:Date}, {${lookback?.[0]}:Int32}), 3, {tz:String})`);
  });

  it('binds every value from the definition; nothing is concatenated into SQL', () => {
    const all = [
      ...c.sourceQueries.map((q) => q.sql),
      c.combine({ transactions: 's_tx', app_events: 's_app' }).sql,
    ].join('\n');
    expect(all).not.toContain('DROP TABLE');
    expect(all).not.toContain("'login'");
    expect(all).not.toContain('100000');
    const tx = c.sourceQueries.find((q) => q.source === 'transactions');
    expect(Object.values(tx?.params ?? {})).toContainEqual(["dining'; DROP TABLE x; --", 'travel']);
    expect(tx?.sql).toMatch(/merchant_category IN \{transactions_p\d+:Array\(String\)\}/);
  });

  it('splits a fact source: windowed tags scan their widest window, whole-history tags get their own query', () => {
    const split = compileCatalogue(
      validateTagDefinitions([
        ...defs,
        def({
          id: 'hist.last_txn_date',
          value_type: 'date',
          compute: { kind: 'aggregate', source: 'transactions', fn: 'max', column: 'ts' },
        }),
      ]),
    );
    const keys = split.sourceQueries.map((q) => q.key).sort();
    expect(keys).toEqual(['app_events', 'transactions', 'transactions_history']);
    const windowed = split.sourceQueries.find((q) => q.key === 'transactions');
    const history = split.sourceQueries.find((q) => q.key === 'transactions_history');
    expect(windowed?.columns.map((x) => x.tagId).sort()).toEqual(['hist.spend_30d', 'hist.txn_count_90d']);
    expect(windowed?.sql).toMatch(/ AND ts >= toDateTime64/);
    expect(history?.columns.map((x) => x.tagId)).toEqual(['hist.last_txn_date']);
    expect(history?.sql).not.toMatch(/ts >= /);
    expect(history?.sql).toMatch(/WHERE ts < toDateTime64/);
    // the combine step joins both stages and reads each tag from its own
    const plan = split.snapshot(
      { app_events: 'st_app', transactions: 'st_tx', transactions_history: 'st_txh' },
      new Map(),
    );
    expect(plan.insert.sql).toContain('LEFT JOIN st_txh AS');
    expect(plan.insert.sql).toContain('LEFT JOIN st_tx AS');
    expect(() => split.snapshot({ app_events: 'a', transactions: 'b' }, new Map())).toThrow(
      /no stage table for query transactions_history/,
    );
    // fewer than twice as many windowed tags as whole-history ones, or a window wider than a quarter: one query
    const lastOut = def({
      id: 'hist.last_outflow_date',
      value_type: 'date',
      compute: {
        kind: 'aggregate',
        source: 'transactions',
        fn: 'max',
        column: 'ts',
        where: [{ column: 'direction', op: 'eq', value: 'out' }],
      },
    });
    const year = def({
      id: 'hist.txn_count_365d',
      compute: { kind: 'aggregate', source: 'transactions', fn: 'count', window: { within_days: 365 } },
    });
    const lastTxn = split.tags.find((t) => t.def.id === 'hist.last_txn_date')?.def;
    if (!lastTxn) throw new Error('missing');
    for (const extra of [lastOut, year]) {
      const one = compileCatalogue(validateTagDefinitions([...defs, lastTxn, extra]));
      expect(one.sourceQueries.map((q) => q.key)).not.toContain('transactions_history');
    }
  });

  it('reads the customer dimension row by row (no GROUP BY) unless a tag needs a real aggregate', () => {
    const dims = [
      def({
        id: 'fin.occupation',
        value_type: 'enum',
        values: ['engineer'],
        compute: { kind: 'attribute', source: 'dim_customers', column: 'occupation' },
      }),
      def({
        id: 'warn.fraud_restricted',
        value_type: 'boolean',
        compute: {
          kind: 'aggregate',
          source: 'dim_customers',
          fn: 'exists',
          where: [{ column: 'flags', op: 'has', value: 'fraud_restricted' }],
        },
      }),
    ];
    const rows = compileCatalogue(validateTagDefinitions(dims)).sourceQueries[0];
    expect(rows?.sql).toMatch(/^SELECT customer_id, occupation AS a\d+, toUInt8\(if\(\(has\(flags, /);
    expect(rows?.sql).toMatch(/FROM dim_customers FINAL$/);
    expect(rows?.sql).not.toContain('any(');
    const income = def({
      id: 'fin.income_total',
      compute: { kind: 'aggregate', source: 'dim_customers', fn: 'sum', column: 'monthly_income_fen' },
    });
    const grouped = compileCatalogue(validateTagDefinitions([...dims, income])).sourceQueries[0];
    expect(grouped?.sql).toContain('any(occupation)');
    expect(grouped?.sql).toContain('countIf(');
    expect(grouped?.sql).toMatch(/FROM dim_customers FINAL GROUP BY customer_id$/);
  });

  it('filters lists with IN, except NOT IN on a nullable column, which must keep its nulls', () => {
    const c = compileCatalogue(
      validateTagDefinitions([
        def({
          id: 'hist.non_purchase_count',
          compute: {
            kind: 'aggregate',
            source: 'transactions',
            fn: 'count',
            where: [{ column: 'txn_type', op: 'not_in', value: ['purchase'] }],
          },
        }),
        def({
          id: 'hist.not_promoter_count',
          compute: {
            kind: 'aggregate',
            source: 'contacts',
            fn: 'count',
            where: [{ column: 'nps', op: 'not_in', value: [9, 10] }],
          },
        }),
      ]),
    );
    const sql = (s: string) => c.sourceQueries.find((q) => q.source === s)?.sql ?? '';
    expect(sql('transactions')).toMatch(/txn_type NOT IN \{transactions_p\d+:Array\(String\)\}/);
    expect(sql('contacts')).toMatch(/NOT has\(\{contacts_p\d+:Array\(Int64\)\}, nps\)/);
  });

  it('counts top over a vocabulary by hash, among the vocabulary only; an open vocabulary keeps the strings', () => {
    const top = (id: string, values?: string[]) =>
      def({
        id,
        value_type: 'enum',
        ...(values ? { values } : {}),
        compute: { kind: 'aggregate', source: 'transactions', fn: 'top', column: 'merchant_category', where: [] },
      });
    const query = (d: TagDefinitionInput) =>
      compileCatalogue(validateTagDefinitions([d])).sourceQueries.find((q) => q.source === 'transactions');
    const closed = query(top('hist.top_closed', ['dining', 'travel']));
    expect(closed?.sql).toMatch(
      /groupArrayIf\(cityHash64\(merchant_category\), \(merchant_category IN \{transactions_p\d+:Array\(String\)\}\)\)/,
    );
    expect(Object.values(closed?.params ?? {})).toContainEqual(['dining', 'travel']);
    const open = query(top('hist.top_open'));
    expect(open?.sql).toContain('groupArrayIf(merchant_category, 1)');
    expect(open?.sql).not.toContain('cityHash64');
  });

  it('computes derived tags in dependency order in the combine query', () => {
    const order = c.tags.map((t) => t.def.id);
    expect(order.indexOf('hist.spend_30d')).toBeLessThan(order.indexOf('seg.spender'));
    expect(order.indexOf('seg.spender')).toBeLessThan(order.indexOf('seg.engaged'));
    const combine = c.combine({ transactions: 's_tx', app_events: 's_app' }).sql;
    expect(combine).toContain('LEFT JOIN s_tx AS');
    expect(combine).toMatch(/multiIf\(isNull\(v\d+\), NULL, v\d+ < \{c\d+:Float64\}/);
    expect(combine).toContain('SETTINGS join_use_nulls = 1');
    const plan = c.snapshot(
      { transactions: 's_tx', app_events: 's_app' },
      new Map([['seg.engaged', 3]]),
      new Map([['seg.spender', [7, 9]]]),
    );
    expect(plan.insert.sql).toMatch(/^INSERT INTO tag_snapshot \(as_of, customer_id, t_/);
    expect(plan.columns.find((x) => x.tagId === 'seg.engaged')).toMatchObject({
      version: 3,
      column: 't_seg__engaged_v3',
    });
    expect(plan.insert.sql).toContain(' AS t_seg__engaged_v3');
    // P4: the opted-out customers' value is left empty, the ids travel as a bound parameter
    expect(plan.insert.sql).toMatch(
      /if\(customer_id IN \{c\d+:Array\(UInt32\)\}, NULL, CAST\(v\d+ AS Nullable\(String\)\)\) AS t_seg__spender_v1/,
    );
    expect(Object.values(plan.insert.params)).toContainEqual([7, 9]);
  });

  it('refuses anti_fraud_only columns citing rule A1', () => {
    const err = compileError([
      def({
        id: 'app.devices_30d',
        family: 'app',
        sub_family: 'browsing',
        compute: { kind: 'aggregate', source: 'app_events', fn: 'count_distinct', column: 'device_id' },
      }),
    ]);
    expect(err.rule).toBe('A1');
    expect(err.message).toMatch(/app_events\.device_id is anti_fraud_only: rule A1/);
    const viaFilter = compileError([
      def({
        id: 'app.office_logins',
        compute: {
          kind: 'aggregate',
          source: 'app_events',
          fn: 'count',
          where: [{ column: 'ip', op: 'eq', value: '1.2.3.4' }],
        },
      }),
    ]);
    expect(viaFilter.rule).toBe('A1');
    expect(viaFilter.field).toBe('compute.where[0].column');
  });

  it('detects dependency cycles and names them', () => {
    const cyc = validateTagDefinitions([
      def({ id: 'x.a', compute: { kind: 'formula', expr: { op: 'add', args: [{ tag: 'x.b' }, 1] } } }),
      def({ id: 'x.b', compute: { kind: 'formula', expr: { op: 'add', args: [{ tag: 'x.c' }, 1] } } }),
      def({ id: 'x.c', compute: { kind: 'formula', expr: { op: 'add', args: [{ tag: 'x.a' }, 1] } } }),
    ]);
    expect(() => topoOrder(cyc)).toThrow(/dependency cycle: x\.a → x\.b → x\.c → x\.a/);
  });

  it('rejects unknown tags, columns and type mismatches with the field', () => {
    expect(compileError([def({ id: 'x.a', compute: { kind: 'formula', expr: { tag: 'x.nope' } } })]).message).toMatch(
      /unknown tag x\.nope/,
    );
    const col = compileError([
      def({ id: 'x.a', compute: { kind: 'aggregate', source: 'transactions', fn: 'sum', column: 'amount' } }),
    ]);
    expect(col.field).toBe('compute.column');
    const type = compileError([
      def({
        id: 'x.a',
        compute: { kind: 'aggregate', source: 'transactions', fn: 'sum', column: 'merchant_category' },
      }),
    ]);
    expect(type.message).toMatch(/needs a numeric column/);
  });

  it('a C1-declared tag over C2 data is refused (P8)', () => {
    const err = compileError([
      def({
        id: 'x.a',
        data_class: 'C1',
        compute: { kind: 'aggregate', source: 'transactions', fn: 'sum', column: 'amount_fen' },
      }),
    ]);
    expect(err.rule).toBe('P8');
  });
});

describe('standard catalogue', () => {
  const defs = standardCatalogue();
  const ids = new Set(defs.map((d) => d.id));

  it('has at least 100 tags over every family and compiles', () => {
    expect(defs.length).toBeGreaterThanOrEqual(100);
    expect(new Set(defs.map((d) => d.family))).toEqual(
      new Set(['basic', 'financial', 'app', 'history', 'segmentation', 'model']),
    );
    const c = compileCatalogue(defs);
    expect(c.tags).toHaveLength(defs.length);
    // one query per source table, two for a fact table with windowed and whole-history tags
    expect(new Set(c.sourceQueries.map((q) => q.key)).size).toBe(c.sourceQueries.length);
    for (const q of c.sourceQueries) expect([q.source, `${q.source}_history`]).toContain(q.key);
    const keys = c.sourceQueries.map((q) => q.key);
    expect(keys).toEqual(expect.arrayContaining(['app_events', 'app_events_history']));
    // transactions' widest window is a year: one query
    expect(keys).toContain('transactions');
    expect(keys).not.toContain('transactions_history');
  });

  it('contains every tag the catalogue document requires', () => {
    const required = [
      'lifecycle.stage',
      'card.mob_stage',
      'card.activated',
      'card.first_swipe_done',
      'card.bound_to_wallet',
      'wealth.tier',
      'demo.age_band',
      'demo.generation',
      'persona.gen_z_95',
      'persona.quasi_middle_class',
      'persona.young_parent',
      'persona.new_urban_resident',
      'persona.silver',
      'persona.sme_owner',
      'persona.farmer_herder',
      'relationship.one_stop',
      'risk.level',
      'risk.preference',
      'basic.marital_status',
      'basic.has_children',
      'basic.occupation_class',
      'basic.employer_type',
      'basic.salary_credited_here',
      'basic.household_income_band',
      ...[
        'dining',
        'travel',
        'outbound_travel',
        'fitness',
        'health_wellness',
        'beauty',
        'digital',
        'education',
        'auto',
        'green',
      ].map((i) => `interest.${i}`),
      'value.aum',
      'value.aum_change_90d_pct',
      'value.contribution_12m',
      'value.ltv_score',
      'value.product_count',
      'warn.large_outflow_7d',
      'warn.multi_redemption_30d',
      'warn.login_drop',
      'warn.overdue_days',
      'warn.fraud_restricted',
      'target.deposit_maturing_30d',
      'target.wealth_maturing_30d',
      'target.loan_maturing_30d',
      'target.card_not_activated',
      'target.no_first_swipe',
      'target.dormant_reactivation',
      'fin.gender',
      'fin.age',
      'fin.birth_month',
      'fin.zodiac',
      'fin.education',
      'fin.industry',
      'fin.is_employee_of_payroll_client',
      'fin.province',
      'fin.city',
      'fin.city_tier',
      'fin.county_level',
      'fin.home_branch',
      'fin.credit_score_band',
      'fin.external_debt_ratio_band',
      'fin.has_mortgage',
      'fin.has_car_loan',
      'fin.max_overdue_12m',
      'app.login_days_30d',
      'app.last_login_days_ago',
      'app.session_minutes_30d',
      'app.preferred_time_band',
      'app.push_opt_in',
      'app.viewed_wealth_7d',
      'app.viewed_loan_7d',
      'app.viewed_insurance_30d',
      'app.searched_product_30d',
      'app.top_viewed_product_family_30d',
      'app.viewed_not_bought_3d',
      'hist.txn_count_30d',
      'hist.txn_count_90d',
      'hist.spend_30d',
      'hist.spend_90d',
      'hist.spend_180d',
      'hist.avg_ticket_90d',
      'hist.top_spend_category_90d',
      'hist.weekend_spend_share',
      'hist.cross_border_spend_90d',
      'hist.days_since_last_txn',
      'hist.card_spend_trend',
      'hist.contacts_30d',
      'hist.last_contact_channel',
      'hist.complaints_12m',
      'hist.nps_last',
      'hist.last_response',
      'hist.products_bought_12m',
      'hist.fee_income_12m',
      'hist.referrals_12m',
      'model.churn_score',
      'model.churn_band',
      'model.churn_reasons',
      ...['deposit', 'wealth', 'fund', 'insurance', 'consumer_loan', 'credit_card', 'mortgage'].map(
        (f) => `model.propensity.${f}`,
      ),
      'model.ltv_band',
    ];
    expect(required.filter((r) => !ids.has(r))).toEqual([]);
  });

  it('takes configurable wealth bounds', () => {
    const custom = standardCatalogue({ affluentFromFen: 30_000_000, hnwFromFen: 300_000_000 });
    const tier = custom.find((d) => d.id === 'wealth.tier')?.compute;
    expect(tier).toMatchObject({
      buckets: [{ value: 'mass', lt: 30_000_000 }, { value: 'affluent', lt: 300_000_000 }, { value: 'hnw' }],
    });
    expect(() => standardCatalogue({ affluentFromFen: 10, hnwFromFen: 5 })).toThrow(/hnwFromFen/);
  });
});
