/** Standard segmentations (lifecycle, card journey, wealth tier, age, generation, personas, one-stop, risk). */
import type { TagDefinitionInput } from '../dsl.ts';
import { agg, all, any, attr, bucket, cases, eq, is, ne, not, notNull, rule, tag } from './build.ts';
import type { CatalogueOptions } from './options.ts';
import { vocab } from './vocabulary.ts';

const seg = (sub: string, type: 'enum' | 'boolean' | 'number' | 'date', cls: 'C1' | 'C2', values?: string[]) => ({
  family: 'segmentation' as const,
  sub,
  type,
  cls,
  ...(values ? { values } : {}),
});

export function segmentationTags(o: CatalogueOptions): TagDefinitionInput[] {
  const activity = 'hist.days_since_last_activity';
  return [
    tag(
      'lifecycle.stage',
      ['生命周期阶段', 'Lifecycle stage'],
      [
        `潜在(未开户)、新客(开户<${o.newCustomerDays}天)、活跃(${o.activeDays}天内有主动交易或登录)、降温(${o.activeDays + 1}–${o.dormantDays - 1}天无活动)、沉睡(${o.dormantDays}天无活动但持有产品或余额)、流失(产品全部关闭,或AUM<¥${o.churnAumFen / 100}且${o.churnInactiveDays}天无活动)`,
        `potential (no account), new (< ${o.newCustomerDays} days), active (customer-initiated transaction or login in ${o.activeDays} days), cooling (no activity for ${o.activeDays + 1}–${o.dormantDays - 1} days), dormant (none in ${o.dormantDays} days but holds a product or balance), churned (all products closed, or AUM < ¥${o.churnAumFen / 100} and no activity for ${o.churnInactiveDays} days)`,
      ],
      seg('lifecycle', 'enum', 'C2', ['potential', 'new', 'active', 'cooling', 'dormant', 'churned']),
      cases(
        [
          [all(is('fin.onboarded_date', 'is_null'), is('value.product_count', 'eq', 0)), 'potential'],
          [
            any(
              is('basic.customer_status', 'eq', vocab.closed),
              is('value.product_count', 'eq', 0),
              all(
                is('value.aum', 'lt', o.churnAumFen),
                any(is(activity, 'gte', o.churnInactiveDays), is(activity, 'is_null')),
              ),
            ),
            'churned',
          ],
          [is('fin.tenure_days', 'lt', o.newCustomerDays), 'new'],
          [is(activity, 'lte', o.activeDays), 'active'],
          [any(is(activity, 'gte', o.dormantDays), is(activity, 'is_null')), 'dormant'],
        ],
        'cooling',
      ),
    ),
    // Card journey
    tag(
      'card.has_card',
      ['持有信用卡', 'Holds a credit card'],
      ['持有未注销的信用卡', 'has a credit card that is not closed'],
      seg('card_journey', 'boolean', 'C1'),
      agg('dim_cards', 'exists', { where: [ne('status', vocab.closed)] }),
    ),
    tag(
      'card.activated_count',
      ['已激活信用卡数', 'Activated cards'],
      ['已激活且未注销的信用卡张数', 'number of activated cards that are not closed'],
      { ...seg('card_journey', 'number', 'C1'), unit: 'count' },
      agg('dim_cards', 'count', { where: [ne('status', vocab.closed), notNull('activated_at')] }),
    ),
    tag(
      'card.last_activation_date',
      ['最近激活日期', 'Last card activation date'],
      ['最近一次信用卡激活日期', 'date the most recently activated card was activated'],
      seg('card_journey', 'date', 'C1'),
      agg('dim_cards', 'max', { column: 'activated_at', where: [ne('status', vocab.closed)] }),
    ),
    tag(
      'card.months_on_book',
      ['激活月数(MOB)', 'Months on book'],
      ['自最近激活起的完整月数', 'full months since the latest activation'],
      { ...seg('card_journey', 'number', 'C1'), unit: 'months' },
      { kind: 'date_diff', of: 'card.last_activation_date', unit: 'month' },
    ),
    tag(
      'card.activated',
      ['信用卡已激活', 'Card activated'],
      ['持卡客户中已激活者(无卡为空)', 'card holders with an activated card (null without a card)'],
      seg('card_journey', 'boolean', 'C1'),
      rule(is('card.activated_count', 'gt', 0), is('card.has_card', 'eq', true)),
    ),
    tag(
      'card.first_swipe_done',
      ['已完成首刷', 'First swipe done'],
      ['已激活持卡人是否有过信用卡消费', 'whether an activated card holder has used the card'],
      seg('card_journey', 'boolean', 'C2'),
      rule(is('hist.card_txn_count', 'gt', 0), is('card.activated', 'eq', true)),
    ),
    tag(
      'card.wallet_bound_count',
      ['绑定钱包卡数', 'Cards bound to wallets'],
      ['绑定第三方钱包(微信/支付宝/云闪付)的卡数', 'cards bound to a third-party wallet'],
      { ...seg('card_journey', 'number', 'C1'), unit: 'count' },
      agg('dim_cards', 'count', { where: [ne('status', vocab.closed), eq('bound_to_wallet', true)] }),
    ),
    tag(
      'card.bound_to_wallet',
      ['已绑定钱包', 'Bound to a wallet'],
      ['持卡客户是否有卡绑定第三方钱包', 'card holder with a card bound to a wallet'],
      seg('card_journey', 'boolean', 'C1'),
      rule(is('card.wallet_bound_count', 'gt', 0), is('card.has_card', 'eq', true)),
    ),
    tag(
      'card.total_limit',
      ['信用卡总额度', 'Total card limit'],
      ['未注销信用卡额度合计(分)', 'sum of limits of cards not closed (fen)'],
      { ...seg('card_journey', 'number', 'C2'), unit: 'fen' },
      agg('dim_cards', 'sum', { column: 'limit_fen', where: [ne('status', vocab.closed)] }),
    ),
    tag(
      'card.mob_stage',
      ['信用卡旅程阶段', 'Card journey stage'],
      [
        'MOB0未激活/MOB0已激活/MOB1–2(首刷关键期)/MOB3–6(习惯养成)/MOB7+,按最近激活的卡',
        'MOB0 unactivated / MOB0 activated / MOB1–2 (first swipe) / MOB3–6 (habit) / MOB7+, for the latest activated card',
      ],
      seg('card_journey', 'enum', 'C1', ['mob0_unactivated', 'mob0_activated', 'mob1_2', 'mob3_6', 'mob7_plus']),
      cases(
        [
          [is('card.activated_count', 'eq', 0), 'mob0_unactivated'],
          [is('card.months_on_book', 'lt', 1), 'mob0_activated'],
          [is('card.months_on_book', 'lt', 3), 'mob1_2'],
          [is('card.months_on_book', 'lt', 7), 'mob3_6'],
        ],
        'mob7_plus',
        is('card.has_card', 'eq', true),
      ),
    ),
    tag(
      'wealth.tier',
      ['财富层级', 'Wealth tier'],
      [
        `近3个月末AUM均值:大众<¥${o.affluentFromFen / 100},富裕<¥${o.hnwFromFen / 100},高净值≥¥${o.hnwFromFen / 100}`,
        `average AUM of the last 3 month-ends: mass < ¥${o.affluentFromFen / 100}, affluent < ¥${o.hnwFromFen / 100}, high-net-worth from ¥${o.hnwFromFen / 100}`,
      ],
      seg('wealth', 'enum', 'C2', ['mass', 'affluent', 'hnw']),
      bucket('value.aum_3m_avg', [
        ['mass', o.affluentFromFen],
        ['affluent', o.hnwFromFen],
        ['hnw', undefined],
      ]),
    ),
    tag(
      'demo.age_band',
      ['年龄段', 'Age band'],
      [
        '18–35财富积累、36–55财富增长、56+财富传承、未成年',
        '18–35 wealth initiation, 36–55 growth, 56+ transfer, under 18',
      ],
      seg('demographic', 'enum', 'C2', ['under_18', '18_35', '36_55', '56_plus']),
      bucket('fin.age', [
        ['under_18', 18],
        ['18_35', 36],
        ['36_55', 56],
        ['56_plus', undefined],
      ]),
    ),
    tag(
      'demo.generation',
      ['世代', 'Generation'],
      [
        '按出生年:婴儿潮(<1965)、X世代、千禧一代、Z世代(1995–2009)、α世代',
        'by birth year: boomer (< 1965), gen X, millennial, gen Z (1995–2009), gen alpha',
      ],
      seg('demographic', 'enum', 'C2', ['boomer', 'gen_x', 'millennial', 'gen_z', 'gen_alpha']),
      bucket('fin.birth_year', [
        ['boomer', 1965],
        ['gen_x', 1980],
        ['millennial', 1995],
        ['gen_z', 2010],
        ['gen_alpha', undefined],
      ]),
    ),
    // Personas (a customer may have several)
    tag(
      'persona.gen_z_95',
      ['95后', 'Gen Z (born 1995+)'],
      ['1995年及以后出生', 'born in 1995 or later'],
      seg('persona', 'boolean', 'C2'),
      rule(is('fin.birth_year', 'gte', 1995)),
    ),
    tag(
      'persona.quasi_middle_class',
      ['类中产', 'Quasi-middle class'],
      [
        `家庭月收入≥¥${o.quasiMiddleIncomeFen / 100}或AUM≥¥${o.affluentFromFen / 100}`,
        `household monthly income ≥ ¥${o.quasiMiddleIncomeFen / 100} or AUM ≥ ¥${o.affluentFromFen / 100}`,
      ],
      seg('persona', 'boolean', 'C2'),
      rule(
        any(is('fin.monthly_income', 'gte', o.quasiMiddleIncomeFen), is('value.aum_3m_avg', 'gte', o.affluentFromFen)),
      ),
    ),
    tag(
      'persona.young_parent',
      ['年轻父母', 'Young parent'],
      [
        '25–40岁,且近180天有母婴/教育/玩具消费或登记有子女',
        'aged 25–40 with child-related spend in 180 days or a child on file',
      ],
      seg('persona', 'boolean', 'C2'),
      rule(
        all(
          is('fin.age', 'between', [25, 40]),
          any(is('hist.child_spend_180d', 'gt', 0), is('basic.has_children', 'eq', true)),
        ),
      ),
    ),
    tag(
      'persona.new_urban_resident',
      ['新市民', 'New urban resident'],
      ['在现居城市居住不满3年且租房', 'resident in the current city for less than 3 years and renting'],
      seg('persona', 'boolean', 'C2'),
      rule(all(is('fin.years_in_city', 'lt', 3), is('fin.housing', 'eq', vocab.renting))),
    ),
    tag(
      'persona.silver',
      ['银发', 'Silver'],
      ['60岁及以上', 'aged 60 or over'],
      seg('persona', 'boolean', 'C2'),
      rule(is('fin.age', 'gte', 60)),
    ),
    tag(
      'persona.sme_owner',
      ['小微企业主', 'Small-business owner'],
      [
        '持有对公结算账户或经营贷,或职业为企业主',
        'holds a business account or business loan, or occupation is business owner',
      ],
      seg('persona', 'boolean', 'C2'),
      rule(
        any(
          is('fin.has_business_account', 'eq', true),
          is('fin.has_business_loan', 'eq', true),
          is('basic.occupation_class', 'eq', vocab.businessOwner),
        ),
      ),
    ),
    tag(
      'persona.farmer_herder',
      ['农牧户', 'Farmer / herder'],
      ['有涉农贷款,或职业/行业为农牧业', 'agricultural loan, or farming/herding occupation or industry'],
      seg('persona', 'boolean', 'C2'),
      rule(
        any(
          is('fin.has_agri_loan', 'eq', true),
          is('basic.occupation_class', 'in', [...vocab.agriOccupations]),
          is('fin.industry', 'eq', vocab.agriIndustry),
        ),
      ),
    ),
    tag(
      'relationship.one_stop',
      ['一站式使用程度', 'One-stop usage'],
      [
        '重度(≥4类产品且代发工资在本行)、中度(2–3类,或≥4类无代发)、轻度(≤1类)',
        'heavy (≥ 4 product families and salary credited here), medium (2–3, or ≥ 4 without salary), light (≤ 1)',
      ],
      seg('relationship', 'enum', 'C2', ['heavy', 'medium', 'light']),
      cases(
        [
          [all(is('value.product_count', 'gte', 4), is('basic.salary_credited_here', 'eq', true)), 'heavy'],
          [is('value.product_count', 'gte', 2), 'medium'],
        ],
        'light',
      ),
    ),
    // Risk
    tag(
      'risk.assessed_level',
      ['测评等级(原始)', 'Assessed risk level'],
      ['最近一次风险测评结果,不论是否过期', 'latest questionnaire result, whether or not expired'],
      seg('risk', 'enum', 'C1'),
      attr('risk_level'),
    ),
    tag(
      'risk.assessed_date',
      ['测评日期', 'Risk assessment date'],
      ['最近一次风险测评日期', 'date of the latest risk assessment'],
      seg('risk', 'date', 'C1'),
      attr('risk_assessed_at'),
    ),
    tag(
      'risk.assessment_age_days',
      ['测评已过天数', 'Days since assessment'],
      ['距最近一次风险测评的天数', 'days since the latest risk assessment'],
      { ...seg('risk', 'number', 'C1'), unit: 'days' },
      { kind: 'date_diff', of: 'risk.assessed_date', unit: 'day' },
    ),
    tag(
      'risk.level',
      ['风险承受等级', 'Risk tolerance level'],
      [
        `C1–C5(有效测评);未测评;过期(超过${o.riskValidityDays}天,按未测评处理,S6)`,
        `C1–C5 from a valid assessment; unassessed; expired (older than ${o.riskValidityDays} days, treated as unassessed, S6)`,
      ],
      seg('risk', 'enum', 'C1', ['C1', 'C2', 'C3', 'C4', 'C5', 'unassessed', 'expired']),
      cases(
        [
          [
            any(
              not(is('risk.assessed_level', 'in', ['C1', 'C2', 'C3', 'C4', 'C5'])),
              is('risk.assessed_date', 'is_null'),
            ),
            'unassessed',
          ],
          [is('risk.assessment_age_days', 'gt', o.riskValidityDays), 'expired'],
          ...(['C1', 'C2', 'C3', 'C4', 'C5'] as const).map((c): [ReturnType<typeof is>, string] => [
            is('risk.assessed_level', 'eq', c),
            c,
          ]),
        ],
        'unassessed',
      ),
    ),
    tag(
      'risk.preference',
      ['风险偏好', 'Risk preference'],
      [
        '保守(C1–C2)、稳健(C3)、进取(C4–C5);无有效测评为空',
        'conservative (C1–C2), steady (C3), aggressive (C4–C5); null without a valid assessment',
      ],
      seg('risk', 'enum', 'C1', ['conservative', 'steady', 'aggressive']),
      cases([
        [is('risk.level', 'in', ['C1', 'C2']), 'conservative'],
        [is('risk.level', 'eq', 'C3'), 'steady'],
        [is('risk.level', 'in', ['C4', 'C5']), 'aggressive'],
      ]),
    ),
    tag(
      'risk.investment_experience',
      ['有投资经验', 'Investment experience'],
      ['客户申报有投资经验(S9)', 'customer declared investment experience (S9)'],
      seg('risk', 'boolean', 'C2'),
      attr('investment_experience'),
    ),
  ];
}
