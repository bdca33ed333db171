/** App / web family (网站网页/APP标签): browsing preferences, finance-related views, product preferences. */
import type { TagDefinitionInput } from '../dsl.ts';
import { agg, all, between, daysSince, eq, formula, is, oneOf, rule, t, tag, within } from './build.ts';
import { vocab } from './vocabulary.ts';

const app = (
  sub: string,
  type: 'enum' | 'boolean' | 'number' | 'date' | 'set',
  extra: { values?: string[]; unit?: TagDefinitionInput['unit'] } = {},
) => ({ family: 'app' as const, sub, type, cls: 'C1' as const, ...extra });

const login = eq('event_type', vocab.login);
const view = eq('event_type', vocab.productView);

export function appTags(): TagDefinitionInput[] {
  return [
    // 浏览偏好
    tag(
      'app.logins_30d',
      ['近30天登录次数', 'Logins, 30 d'],
      ['近30天手机银行登录次数', 'app logins in the last 30 days'],
      app('browsing', 'number', { unit: 'count' }),
      agg('app_events', 'count', { window: within(30), where: [login] }),
    ),
    tag(
      'app.logins_prior_60d',
      ['此前60天登录次数', 'Logins, prior 60 d'],
      ['31–90天前的登录次数', 'logins 31–90 days ago'],
      app('browsing', 'number', { unit: 'count' }),
      agg('app_events', 'count', { window: between(30, 90), where: [login] }),
    ),
    tag(
      'app.login_days_30d',
      ['近30天登录天数', 'Login days, 30 d'],
      ['近30天有登录的天数', 'days with a login in the last 30 days'],
      app('browsing', 'number', { unit: 'days' }),
      agg('app_events', 'count_distinct', { column: 'ts', transform: 'day', window: within(30), where: [login] }),
    ),
    tag(
      'app.last_login_date',
      ['最近登录日期', 'Last login date'],
      ['最近一次登录日期', 'date of the latest login'],
      app('browsing', 'date'),
      agg('app_events', 'max', { column: 'ts', where: [login] }),
    ),
    tag(
      'app.last_login_days_ago',
      ['距最近登录天数', 'Days since last login'],
      ['距最近一次登录的天数', 'days since the latest login'],
      app('browsing', 'number', { unit: 'days' }),
      daysSince('app.last_login_date'),
    ),
    tag(
      'app.session_seconds_30d',
      ['近30天使用秒数', 'App seconds, 30 d'],
      ['近30天事件停留时长合计', 'sum of event durations in the last 30 days'],
      app('browsing', 'number'),
      agg('app_events', 'sum', { column: 'duration_s', window: within(30) }),
    ),
    tag(
      'app.session_minutes_30d',
      ['近30天使用时长(分钟)', 'App minutes, 30 d'],
      ['近30天使用时长(分钟)', 'minutes in the app in the last 30 days'],
      app('browsing', 'number', { unit: 'minutes' }),
      formula({ op: 'div', args: [t('app.session_seconds_30d'), 60] }),
    ),
    tag(
      'app.active_days_90d',
      ['近90天活跃天数', 'Active days, 90 d'],
      ['近90天有任意APP事件的天数', 'days with any app event in the last 90 days'],
      app('browsing', 'number', { unit: 'days' }),
      agg('app_events', 'count_distinct', { column: 'ts', transform: 'day', window: within(90) }),
    ),
    tag(
      'app.preferred_time_band',
      ['偏好登录时段', 'Preferred time band'],
      ['近90天最常登录的时段:早(5–11)、午(11–17)、晚(17–23)、夜(23–5)', 'most frequent login time band in 90 days'],
      app('browsing', 'enum', { values: ['morning', 'noon', 'evening', 'night'] }),
      agg('app_events', 'top', { column: 'ts', transform: 'time_band', window: within(90), where: [login] }),
    ),
    tag(
      'app.push_setting',
      ['推送设置', 'Push setting'],
      ['最近一次推送开关操作', 'latest push opt-in / opt-out event'],
      app('browsing', 'enum', { values: [vocab.pushOptIn, vocab.pushOptOut] }),
      agg('app_events', 'last', {
        column: 'event_type',
        where: [oneOf('event_type', [vocab.pushOptIn, vocab.pushOptOut])],
      }),
    ),
    tag(
      'app.push_opt_in',
      ['已开启推送', 'Push opt-in'],
      ['最近一次推送设置为开启', 'the latest push setting is on'],
      app('browsing', 'boolean'),
      rule(is('app.push_setting', 'eq', vocab.pushOptIn), is('app.push_setting', 'not_null')),
    ),
    // 金融关联
    tag(
      'app.viewed_wealth_7d',
      ['近7天浏览理财', 'Viewed wealth, 7 d'],
      ['近7天浏览过理财或基金产品', 'viewed a wealth product or fund in 7 days'],
      app('finance_related', 'boolean'),
      agg('app_events', 'exists', {
        window: within(7),
        where: [view, oneOf('product_family', vocab.investFamilies)],
      }),
    ),
    tag(
      'app.viewed_loan_7d',
      ['近7天浏览贷款', 'Viewed loans, 7 d'],
      ['近7天浏览过贷款产品', 'viewed a loan product in 7 days'],
      app('finance_related', 'boolean'),
      agg('app_events', 'exists', { window: within(7), where: [view, oneOf('product_family', vocab.loanFamilies)] }),
    ),
    tag(
      'app.viewed_insurance_30d',
      ['近30天浏览保险', 'Viewed insurance, 30 d'],
      ['近30天浏览过保险产品', 'viewed an insurance product in 30 days'],
      app('finance_related', 'boolean'),
      agg('app_events', 'exists', { window: within(30), where: [view, eq('product_family', 'insurance')] }),
    ),
    tag(
      'app.searched_product_30d',
      ['近30天搜索产品', 'Searched products, 30 d'],
      ['近30天使用过产品搜索', 'used product search in 30 days'],
      app('finance_related', 'boolean'),
      agg('app_events', 'exists', { window: within(30), where: [eq('event_type', vocab.search)] }),
    ),
    tag(
      'app.product_views_30d',
      ['近30天产品浏览次数', 'Product views, 30 d'],
      ['近30天产品详情浏览次数', 'product detail views in 30 days'],
      app('finance_related', 'number', { unit: 'count' }),
      agg('app_events', 'count', { window: within(30), where: [view] }),
    ),
    // 产品偏好
    tag(
      'app.top_viewed_product_family_30d',
      ['近30天最常浏览产品类', 'Most viewed product family, 30 d'],
      ['近30天浏览最多的产品大类', 'product family viewed most in 30 days'],
      app('product_preference', 'enum', { values: [...vocab.families] }),
      agg('app_events', 'top', { column: 'product_family', window: within(30), where: [view] }),
    ),
    tag(
      'app.viewed_families_30d',
      ['近30天浏览产品类集合', 'Product families viewed, 30 d'],
      ['近30天浏览过的产品大类', 'product families viewed in 30 days'],
      app('product_preference', 'set', { values: [...vocab.families] }),
      agg('app_events', 'distinct_set', { column: 'product_family', window: within(30), where: [view] }),
    ),
    tag(
      'app.view_streak_3d',
      ['同一产品连续浏览天数(3天)', 'Same-product view streak, 3 d'],
      ['近3天同一产品被连续浏览的最长天数', 'longest run of consecutive days viewing the same product, last 3 days'],
      app('product_preference', 'number', { unit: 'days' }),
      agg('app_events', 'consecutive_days', { per: 'product_id', window: within(3), where: [view] }),
    ),
    tag(
      'app.purchases_3d',
      ['近3天APP购买次数', 'App purchases, 3 d'],
      ['近3天APP内购买事件数', 'purchase events in the app in the last 3 days'],
      app('product_preference', 'number', { unit: 'count' }),
      agg('app_events', 'count', { window: within(3), where: [eq('event_type', vocab.appPurchase)] }),
    ),
    tag(
      'app.viewed_not_bought_3d',
      ['连续3天浏览未购买', 'Viewed 3 days, not bought'],
      [
        '同一产品连续3天被浏览且期间未购买(新手礼触发)',
        'viewed the same product on 3 consecutive days without buying (starter-gift trigger)',
      ],
      app('product_preference', 'boolean'),
      rule(
        all(
          is('app.view_streak_3d', 'gte', 3),
          is('app.purchases_3d', 'eq', 0),
          is('hist.products_bought_3d', 'eq', 0),
        ),
      ),
    ),
  ];
}
