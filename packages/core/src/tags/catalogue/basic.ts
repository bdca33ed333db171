/** Basic family (基础标签): family & work, interests, value, risk warnings, marketing targets, consent. */
import type { TagDefinitionInput } from '../dsl.ts';
import { agg, all, any, attr, bucket, cmp, eq, formula, is, ne, oneOf, rule, t, tag, within } from './build.ts';
import { type CatalogueOptions, percentText } from './options.ts';
import { vocab } from './vocabulary.ts';

const basic = (
  sub: string,
  type: 'enum' | 'boolean' | 'number' | 'date',
  cls: 'C1' | 'C2',
  extra: { values?: string[]; unit?: TagDefinitionInput['unit'] } = {},
) => ({ family: 'basic' as const, sub, type, cls, ...extra });

const interests: [key: keyof typeof vocab.categories, zh: string, en: string][] = [
  ['dining', '餐饮美食', 'Dining'],
  ['travel', '旅游出行', 'Travel'],
  ['fitness', '运动健身', 'Fitness'],
  ['health_wellness', '健康养生', 'Health & wellness'],
  ['beauty', '美妆', 'Beauty'],
  ['digital', '数码', 'Digital'],
  ['education', '教育', 'Education'],
  ['auto', '汽车', 'Auto'],
  ['green', '绿色低碳', 'Green / low-carbon'],
];

export function basicTags(o: CatalogueOptions): TagDefinitionInput[] {
  const pct = percentText(o.interestShare);
  const interestTags = interests.flatMap(([key, zh, en]) => [
    tag(
      `hist.spend_share_${key}_180d`,
      [`${zh}消费占比(180天)`, `${en} share of spend, 180 d`],
      [`近180天${zh}类消费金额占消费总额比例`, `share of 180-day purchase spend in ${en.toLowerCase()} categories`],
      { family: 'history', sub: 'behaviour', type: 'number', cls: 'C2', unit: 'ratio' },
      agg('transactions', 'share', {
        column: 'amount_fen',
        window: within(180),
        where: [
          eq('direction', vocab.out),
          eq('txn_type', vocab.purchase),
          oneOf('merchant_category', vocab.categories[key]),
        ],
        total_where: [eq('direction', vocab.out), eq('txn_type', vocab.purchase)],
      }),
    ),
    tag(
      `interest.${key}`,
      [`兴趣:${zh}`, `Interest: ${en}`],
      [`近180天${zh}类消费占比≥${pct}%`, `${en.toLowerCase()} share of 180-day spend ≥ ${pct}%`],
      basic('interest', 'boolean', 'C2'),
      rule(is(`hist.spend_share_${key}_180d`, 'gte', o.interestShare)),
    ),
  ]);
  return [
    // 家庭/工作
    tag(
      'basic.marital_status',
      ['婚姻状况', 'Marital status'],
      ['客户登记的婚姻状况', 'marital status on file'],
      basic('family_work', 'enum', 'C2'),
      attr('marital_status'),
    ),
    tag(
      'basic.children_count',
      ['子女数', 'Children'],
      ['登记的子女人数', 'number of children on file'],
      basic('family_work', 'number', 'C2', { unit: 'count' }),
      attr('children_count'),
    ),
    tag(
      'basic.has_children',
      ['有子女', 'Has children'],
      ['登记有子女', 'at least one child on file'],
      basic('family_work', 'boolean', 'C2'),
      rule(is('basic.children_count', 'gt', 0)),
    ),
    tag(
      'basic.occupation_class',
      ['职业类别', 'Occupation class'],
      ['登记的职业', 'occupation on file'],
      basic('family_work', 'enum', 'C2'),
      attr('occupation'),
    ),
    tag(
      'basic.employer_type',
      ['单位性质', 'Employer type'],
      ['工作单位性质(机关事业/国企/民企/外企等)', 'employer type (public sector, SOE, private, foreign …)'],
      basic('family_work', 'enum', 'C2'),
      attr('employer_type'),
    ),
    tag(
      'basic.salary_months_90d',
      ['代发工资月数(近3月)', 'Salary months, last 3'],
      ['近90天内有工资入账的自然月数', 'calendar months with a salary credit in the last 90 days'],
      basic('family_work', 'number', 'C2', { unit: 'count' }),
      agg('transactions', 'count_distinct', {
        column: 'ts',
        transform: 'month',
        window: within(92),
        where: [eq('direction', vocab.in), eq('txn_type', vocab.salary)],
      }),
    ),
    tag(
      'basic.salary_credited_here',
      ['工资在本行入账', 'Salary credited here'],
      ['近3个月每月均有工资类入账', 'salary-like credit in each of the last 3 months'],
      basic('family_work', 'boolean', 'C2'),
      rule(is('basic.salary_months_90d', 'gte', 3)),
    ),
    tag(
      'basic.household_income_band',
      ['家庭收入档', 'Household income band'],
      ['月收入:<¥5千、<¥1万、<¥2万、<¥5万、≥¥5万', 'monthly income: < ¥5k, < ¥10k, < ¥20k, < ¥50k, ≥ ¥50k'],
      basic('family_work', 'enum', 'C2', { values: ['low', 'lower_middle', 'middle', 'upper_middle', 'high'] }),
      bucket('fin.monthly_income', [
        ['low', 500_000],
        ['lower_middle', 1_000_000],
        ['middle', 2_000_000],
        ['upper_middle', 5_000_000],
        ['high', undefined],
      ]),
    ),
    // 兴趣偏好
    ...interestTags,
    tag(
      'hist.cross_border_share_180d',
      ['境外消费占比(180天)', 'Cross-border share of spend, 180 d'],
      ['近180天境外消费金额占比', 'share of 180-day purchase spend made abroad'],
      { family: 'history', sub: 'behaviour', type: 'number', cls: 'C2', unit: 'ratio' },
      agg('transactions', 'share', {
        column: 'amount_fen',
        window: within(180),
        where: [eq('direction', vocab.out), eq('txn_type', vocab.purchase), eq('cross_border', true)],
        total_where: [eq('direction', vocab.out), eq('txn_type', vocab.purchase)],
      }),
    ),
    tag(
      'interest.outbound_travel',
      ['兴趣:出境游', 'Interest: outbound travel'],
      [`近180天境外消费占比≥${pct}%`, `cross-border share of 180-day spend ≥ ${pct}%`],
      basic('interest', 'boolean', 'C2'),
      rule(is('hist.cross_border_share_180d', 'gte', o.interestShare)),
    ),
    // 用户价值
    tag(
      'value.aum',
      ['资产(AUM)', 'AUM'],
      [
        '最近月末在本行存款+理财+基金+保险现金价值(分)',
        'deposits + wealth + funds + insurance at the latest month-end (fen)',
      ],
      basic('value', 'number', 'C2', { unit: 'fen' }),
      agg('holdings_daily', 'sum', { column: 'balance_fen', window: { month_ends: { last: 1, skip: 0 } } }),
    ),
    tag(
      'value.aum_3m_avg',
      ['近3月末AUM均值', 'AUM, 3-month-end average'],
      ['最近3个月末AUM的平均值(分)', 'average AUM of the last 3 month-ends (fen)'],
      basic('value', 'number', 'C2', { unit: 'fen' }),
      agg('holdings_daily', 'period_avg', { column: 'balance_fen', window: { month_ends: { last: 3, skip: 0 } } }),
    ),
    tag(
      'value.aum_3m_ago',
      ['3个月前AUM', 'AUM 3 months ago'],
      ['3个月前月末AUM(分)', 'AUM at the month-end 3 months before the latest (fen)'],
      basic('value', 'number', 'C2', { unit: 'fen' }),
      agg('holdings_daily', 'sum', { column: 'balance_fen', window: { month_ends: { last: 1, skip: 3 } } }),
    ),
    tag(
      'value.aum_change_90d_pct',
      ['AUM 90天变化率', 'AUM change over 90 days'],
      ['(最近月末AUM − 3个月前)/3个月前 × 100', '(latest month-end AUM − 3 months earlier) / earlier × 100'],
      basic('value', 'number', 'C2', { unit: 'pct' }),
      formula({
        op: 'mul',
        args: [
          { op: 'div', args: [{ op: 'sub', args: [t('value.aum'), t('value.aum_3m_ago')] }, t('value.aum_3m_ago')] },
          100,
        ],
      }),
    ),
    tag(
      'value.deposit_balance',
      ['存款余额', 'Deposit balance'],
      ['最近月末存款余额(分)', 'deposits at the latest month-end (fen)'],
      basic('value', 'number', 'C2', { unit: 'fen' }),
      agg('holdings_daily', 'sum', {
        column: 'balance_fen',
        window: { month_ends: { last: 1, skip: 0 } },
        where: [eq('product_family', 'deposit')],
      }),
    ),
    tag(
      'value.investment_balance',
      ['理财基金余额', 'Wealth & fund balance'],
      ['最近月末理财与基金余额(分)', 'wealth products and funds at the latest month-end (fen)'],
      basic('value', 'number', 'C2', { unit: 'fen' }),
      agg('holdings_daily', 'sum', {
        column: 'balance_fen',
        window: { month_ends: { last: 1, skip: 0 } },
        where: [oneOf('product_family', vocab.investFamilies)],
      }),
    ),
    tag(
      'value.loan_outstanding',
      ['贷款余额', 'Loans outstanding'],
      ['未结清贷款余额合计(分)', 'outstanding principal of active loans (fen)'],
      basic('value', 'number', 'C2', { unit: 'fen' }),
      agg('dim_loans', 'sum', { column: 'outstanding_fen', where: [eq('status', vocab.active)] }),
    ),
    tag(
      'value.holding_family_count',
      ['持有投资类产品种类', 'Investment families held'],
      ['持有中的理财/基金/保险等(不含存款)产品大类数', 'active holding families other than deposits'],
      basic('value', 'number', 'C1', { unit: 'count' }),
      agg('dim_holdings', 'count_distinct', {
        column: 'family',
        where: [eq('status', vocab.active), ne('family', 'deposit')],
      }),
    ),
    tag(
      'value.loan_family_count',
      ['持有贷款种类', 'Loan families held'],
      ['未结清贷款的大类数', 'families of active loans'],
      basic('value', 'number', 'C1', { unit: 'count' }),
      agg('dim_loans', 'count_distinct', { column: 'family', where: [eq('status', vocab.active)] }),
    ),
    tag(
      'basic.has_deposit',
      ['持有存款', 'Holds deposits'],
      ['有未销户的存款账户', 'has a deposit account that is not closed'],
      basic('value', 'boolean', 'C1'),
      agg('dim_accounts', 'exists', { where: [ne('status', vocab.closed)] }),
    ),
    tag(
      'value.product_count',
      ['持有产品大类数', 'Product families held'],
      [
        '存款、理财、基金、保险、各类贷款、信用卡中持有的大类数',
        'families held among deposits, wealth, funds, insurance, each loan type, credit cards',
      ],
      basic('value', 'number', 'C1', { unit: 'count' }),
      formula({
        op: 'add',
        args: [
          t('value.holding_family_count'),
          t('value.loan_family_count'),
          { coalesce: [t('card.has_card'), 0] },
          { coalesce: [t('basic.has_deposit'), 0] },
        ],
      }),
    ),
    tag(
      'value.contribution_12m',
      ['近12月贡献度', 'Contribution, 12 months'],
      [
        `估算年收入:手续费 + AUM×${percentText(o.aumMargin)}% + 贷款余额×${percentText(o.loanMargin)}%(分)`,
        `estimated revenue: fees + AUM × ${percentText(o.aumMargin)}% + loans × ${percentText(o.loanMargin)}% (fen)`,
      ],
      basic('value', 'number', 'C2', { unit: 'fen' }),
      formula({
        op: 'add',
        args: [
          t('hist.fee_income_12m'),
          { op: 'mul', args: [t('value.aum_3m_avg'), o.aumMargin] },
          { op: 'mul', args: [t('value.loan_outstanding'), o.loanMargin] },
        ],
      }),
    ),
    tag(
      'value.ltv_score',
      ['客户终身价值分', 'Lifetime value score'],
      ['模型打分(由模型模块写入)', 'model score written by the models module'],
      basic('value', 'number', 'C1', { unit: 'score' }),
      { kind: 'model_score', model_id: 'ltv', field: 'score' },
    ),
    // 风险警示
    tag(
      'warn.large_outflow_7d',
      ['大额资金外流(7天)', 'Large outflow, 7 d'],
      ['近7天转出金额≥AUM的50%', 'outbound transfers in 7 days ≥ 50% of AUM'],
      basic('risk_warning', 'boolean', 'C2'),
      rule(
        all(
          is('hist.transfer_out_7d', 'gt', 0),
          cmp('hist.transfer_out_7d', 'gte', { op: 'mul', args: [0.5, { coalesce: [t('value.aum'), 0] }] }),
        ),
      ),
    ),
    tag(
      'warn.multi_redemption_30d',
      ['多次赎回(30天)', 'Multiple redemptions, 30 d'],
      ['近30天理财/基金赎回≥2次', '≥ 2 wealth/fund redemptions in 30 days'],
      basic('risk_warning', 'boolean', 'C2'),
      rule(is('hist.redemptions_30d', 'gte', 2)),
    ),
    tag(
      'warn.login_drop',
      ['登录骤降', 'Login drop'],
      ['近30天登录次数<此前60天月均的50%', 'logins in the last 30 days < 50% of the prior 60 days’ monthly average'],
      basic('risk_warning', 'boolean', 'C1'),
      rule(
        all(
          is('app.logins_prior_60d', 'gt', 0),
          cmp('app.logins_30d', 'lt', { op: 'mul', args: [0.25, t('app.logins_prior_60d')] }),
        ),
      ),
    ),
    tag(
      'warn.overdue_days',
      ['当前逾期天数', 'Overdue days'],
      ['未结清贷款的最大逾期天数', 'maximum days overdue across active loans'],
      basic('risk_warning', 'number', 'C2', { unit: 'days' }),
      agg('dim_loans', 'max', { column: 'overdue_days', where: [eq('status', vocab.active)] }),
    ),
    tag(
      'warn.fraud_restricted',
      ['涉诈限制', 'Fraud restricted'],
      ['被标记为涉诈/买卖账户,禁止营销(A2)', 'flagged for fraud or account renting; excluded from marketing (A2)'],
      basic('risk_warning', 'boolean', 'C1'),
      agg('dim_customers', 'exists', { where: [{ column: 'flags', op: 'has', value: vocab.fraudFlag }] }),
    ),
    tag(
      'warn.aum_drop_30pct_90d',
      ['AUM 90天下降30%', 'AUM down 30% in 90 days'],
      ['最近月末AUM较3个月前下降≥30%', 'latest month-end AUM at least 30% below 3 months earlier'],
      basic('risk_warning', 'boolean', 'C2'),
      rule(is('value.aum_change_90d_pct', 'lte', -30)),
    ),
    // 营销目标
    tag(
      'target.deposit_maturing_30d',
      ['定期30天内到期', 'Deposit maturing in 30 d'],
      ['有定期存款在未来30天内到期', 'a term deposit matures within 30 days'],
      basic('marketing_target', 'boolean', 'C1'),
      agg('dim_holdings', 'exists', {
        window: { ahead_days: 30, column: 'maturity_date' },
        where: [eq('status', vocab.active), eq('family', 'deposit')],
      }),
    ),
    tag(
      'target.wealth_maturing_30d',
      ['理财30天内到期', 'Wealth maturing in 30 d'],
      ['有理财/基金在未来30天内到期', 'a wealth product or fund matures within 30 days'],
      basic('marketing_target', 'boolean', 'C1'),
      agg('dim_holdings', 'exists', {
        window: { ahead_days: 30, column: 'maturity_date' },
        where: [eq('status', vocab.active), oneOf('family', vocab.investFamilies)],
      }),
    ),
    tag(
      'target.loan_maturing_30d',
      ['贷款30天内到期', 'Loan maturing in 30 d'],
      ['有贷款在未来30天内到期', 'a loan matures within 30 days'],
      basic('marketing_target', 'boolean', 'C1'),
      agg('dim_loans', 'exists', {
        window: { ahead_days: 30, column: 'maturity_date' },
        where: [eq('status', vocab.active)],
      }),
    ),
    tag(
      'target.card_not_activated',
      ['信用卡未激活', 'Card not activated'],
      ['持卡但尚未激活(MOB0)', 'holds a card that is not activated (MOB0)'],
      basic('marketing_target', 'boolean', 'C1'),
      rule(is('card.mob_stage', 'eq', 'mob0_unactivated')),
    ),
    tag(
      'target.no_first_swipe',
      ['已激活未首刷', 'Activated, no first swipe'],
      ['已激活但尚无信用卡消费', 'activated card without any card spend'],
      basic('marketing_target', 'boolean', 'C2'),
      rule(all(is('card.activated', 'eq', true), is('card.first_swipe_done', 'eq', false))),
    ),
    tag(
      'target.dormant_reactivation',
      ['沉睡唤醒', 'Dormant reactivation'],
      ['沉睡客户且AUM≥¥1万', 'dormant customer with AUM ≥ ¥10k'],
      basic('marketing_target', 'boolean', 'C2'),
      rule(all(is('lifecycle.stage', 'eq', 'dormant'), is('value.aum', 'gte', 1_000_000))),
    ),
    tag(
      'target.deposit_only_affluent',
      ['纯存款富裕客户', 'Deposit-only affluent'],
      ['AUM≥¥20万且无理财基金', 'AUM ≥ ¥200k without wealth products or funds'],
      basic('marketing_target', 'boolean', 'C2'),
      rule(
        all(
          is('value.aum', 'gte', 20_000_000),
          any(is('value.investment_balance', 'eq', 0), is('value.investment_balance', 'is_null')),
        ),
      ),
    ),
    // Consent and status (the universe of every snapshot: one row per customer)
    tag(
      'basic.personalised_marketing',
      ['个性化营销开关', 'Personalised marketing on'],
      ['客户是否允许个性化推荐(P4);关闭者不进入行为/模型类人群', 'whether the customer allows personalisation (P4)'],
      basic('consent', 'boolean', 'C1'),
      attr('personalised_marketing'),
    ),
    tag(
      'basic.customer_status',
      ['客户状态', 'Customer status'],
      ['正常/已销户', 'active / closed'],
      basic('consent', 'enum', 'C1'),
      attr('status'),
    ),
  ];
}
