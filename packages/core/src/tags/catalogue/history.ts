/** History family (历史标签): behaviour, consultation / contact, contribution. */
import type { TagDefinitionInput } from '../dsl.ts';
import { agg, between, daysSince, eq, formula, noneOf, notNull, oneOf, t, tag, within } from './build.ts';
import { vocab } from './vocabulary.ts';

const hist = (
  sub: string,
  type: 'enum' | 'boolean' | 'number' | 'date',
  cls: 'C1' | 'C2',
  extra: { values?: string[]; unit?: TagDefinitionInput['unit'] } = {},
) => ({ family: 'history' as const, sub, type, cls, ...extra });

const purchase = [eq('direction', vocab.out), eq('txn_type', vocab.purchase)];
const cardPurchase = [...purchase, eq('channel', vocab.cardChannel)];

export function historyTags(): TagDefinitionInput[] {
  const spend = (days: number) =>
    tag(
      `hist.spend_${days}d`,
      [`近${days}天消费金额`, `Spend, ${days} d`],
      [`近${days}天消费支出合计(分)`, `purchase spend in the last ${days} days (fen)`],
      hist('behaviour', 'number', 'C2', { unit: 'fen' }),
      agg('transactions', 'sum', { column: 'amount_fen', window: within(days), where: purchase }),
    );
  const txnCount = (days: number) =>
    tag(
      `hist.txn_count_${days}d`,
      [`近${days}天交易笔数`, `Transactions, ${days} d`],
      [`近${days}天交易笔数(全部类型)`, `transactions of any type in the last ${days} days`],
      hist('behaviour', 'number', 'C1', { unit: 'count' }),
      agg('transactions', 'count', { window: within(days) }),
    );
  return [
    // 行为
    txnCount(30),
    txnCount(90),
    spend(30),
    spend(90),
    spend(180),
    tag(
      'hist.avg_ticket_90d',
      ['近90天笔均消费', 'Average ticket, 90 d'],
      ['近90天每笔消费平均金额(分)', 'average purchase amount in 90 days (fen)'],
      hist('behaviour', 'number', 'C2', { unit: 'fen' }),
      agg('transactions', 'avg', { column: 'amount_fen', window: within(90), where: purchase }),
    ),
    tag(
      'hist.top_spend_category_90d',
      ['近90天主要消费类别', 'Top spend category, 90 d'],
      ['近90天消费笔数最多的商户类别', 'merchant category with the most purchases in 90 days'],
      hist('behaviour', 'enum', 'C2', { values: [...vocab.allCategories] }),
      agg('transactions', 'top', { column: 'merchant_category', window: within(90), where: purchase }),
    ),
    tag(
      'hist.weekend_spend_share',
      ['周末消费占比', 'Weekend spend share'],
      ['近90天周六日消费金额占比', 'share of 90-day spend on Saturdays and Sundays'],
      hist('behaviour', 'number', 'C2', { unit: 'ratio' }),
      agg('transactions', 'share', {
        column: 'amount_fen',
        window: within(90),
        where: [...purchase, { column: 'ts', transform: 'weekday', op: 'in', value: [6, 7] }],
        total_where: purchase,
      }),
    ),
    tag(
      'hist.cross_border_spend_90d',
      ['近90天境外消费', 'Cross-border spend, 90 d'],
      ['近90天境外消费金额(分)', 'purchase spend abroad in 90 days (fen)'],
      hist('behaviour', 'number', 'C2', { unit: 'fen' }),
      agg('transactions', 'sum', {
        column: 'amount_fen',
        window: within(90),
        where: [...purchase, eq('cross_border', true)],
      }),
    ),
    tag(
      'hist.last_txn_date',
      ['最近主动交易日期', 'Last customer-initiated transaction'],
      ['最近一次客户主动交易日期(不含代发、利息、费用)', 'date of the latest customer-initiated transaction'],
      hist('behaviour', 'date', 'C2'),
      agg('transactions', 'max', { column: 'ts', where: [noneOf('txn_type', vocab.passiveTxnTypes)] }),
    ),
    tag(
      'hist.days_since_last_txn',
      ['距最近交易天数', 'Days since last transaction'],
      ['距最近一次主动交易的天数', 'days since the latest customer-initiated transaction'],
      hist('behaviour', 'number', 'C2', { unit: 'days' }),
      daysSince('hist.last_txn_date'),
    ),
    tag(
      'hist.days_since_last_activity',
      ['距最近活动天数', 'Days since last activity'],
      ['距最近一次主动交易或登录的天数', 'days since the latest customer-initiated transaction or login'],
      hist('behaviour', 'number', 'C2', { unit: 'days' }),
      formula({
        coalesce: [
          { op: 'min', args: [t('hist.days_since_last_txn'), t('app.last_login_days_ago')] },
          t('hist.days_since_last_txn'),
          t('app.last_login_days_ago'),
        ],
      }),
    ),
    tag(
      'hist.card_txn_count',
      ['信用卡消费笔数(累计)', 'Card purchases, all time'],
      ['截至统计日的信用卡消费笔数', 'credit-card purchases up to the as-of date'],
      hist('behaviour', 'number', 'C2', { unit: 'count' }),
      agg('transactions', 'count', { where: cardPurchase }),
    ),
    tag(
      'hist.card_spend_90d',
      ['近90天信用卡消费', 'Card spend, 90 d'],
      ['近90天信用卡消费金额(分)', 'credit-card spend in 90 days (fen)'],
      hist('behaviour', 'number', 'C2', { unit: 'fen' }),
      agg('transactions', 'sum', { column: 'amount_fen', window: within(90), where: cardPurchase }),
    ),
    tag(
      'hist.card_spend_prior_90d',
      ['此前90天信用卡消费', 'Card spend, prior 90 d'],
      ['91–180天前信用卡消费金额(分)', 'credit-card spend 91–180 days ago (fen)'],
      hist('behaviour', 'number', 'C2', { unit: 'fen' }),
      agg('transactions', 'sum', { column: 'amount_fen', window: between(90, 180), where: cardPurchase }),
    ),
    tag(
      'hist.card_spend_trend',
      ['信用卡消费趋势', 'Card spend trend'],
      ['近90天较此前90天信用卡消费变化率(%)', 'change of card spend, last 90 days vs prior 90 days (%)'],
      hist('behaviour', 'number', 'C2', { unit: 'pct' }),
      formula({
        op: 'mul',
        args: [
          {
            op: 'div',
            args: [
              { op: 'sub', args: [t('hist.card_spend_90d'), t('hist.card_spend_prior_90d')] },
              t('hist.card_spend_prior_90d'),
            ],
          },
          100,
        ],
      }),
    ),
    tag(
      'hist.transfer_out_7d',
      ['近7天转出金额', 'Transfers out, 7 d'],
      ['近7天转账转出金额(分)', 'outbound transfers in 7 days (fen)'],
      hist('behaviour', 'number', 'C2', { unit: 'fen' }),
      agg('transactions', 'sum', {
        column: 'amount_fen',
        window: within(7),
        where: [eq('direction', vocab.out), eq('txn_type', vocab.transfer)],
      }),
    ),
    tag(
      'hist.redemptions_30d',
      ['近30天赎回次数', 'Redemptions, 30 d'],
      ['近30天理财/基金赎回笔数', 'wealth / fund redemptions in 30 days'],
      hist('behaviour', 'number', 'C2', { unit: 'count' }),
      agg('transactions', 'count', { window: within(30), where: [eq('txn_type', vocab.redemption)] }),
    ),
    tag(
      'hist.child_spend_180d',
      ['近180天亲子消费', 'Child-related spend, 180 d'],
      ['近180天母婴、教育、玩具类消费(分)', 'maternity, education and toy spend in 180 days (fen)'],
      hist('behaviour', 'number', 'C2', { unit: 'fen' }),
      agg('transactions', 'sum', {
        column: 'amount_fen',
        window: within(180),
        where: [...purchase, oneOf('merchant_category', vocab.categories.child)],
      }),
    ),
    tag(
      'hist.wallet_payment_share_90d',
      ['第三方支付占比', 'Third-party wallet share'],
      ['近90天经第三方钱包支付的金额占比', 'share of 90-day spend paid through third-party wallets'],
      hist('behaviour', 'number', 'C2', { unit: 'ratio' }),
      agg('transactions', 'share', {
        column: 'amount_fen',
        window: within(90),
        where: [...purchase, eq('counterparty_type', vocab.walletCounterparty)],
        total_where: purchase,
      }),
    ),
    tag(
      'hist.inflow_30d',
      ['近30天资金流入', 'Inflow, 30 d'],
      ['近30天入账金额(分)', 'credits in 30 days (fen)'],
      hist('behaviour', 'number', 'C2', { unit: 'fen' }),
      agg('transactions', 'sum', { column: 'amount_fen', window: within(30), where: [eq('direction', vocab.in)] }),
    ),
    tag(
      'hist.outflow_30d',
      ['近30天资金流出', 'Outflow, 30 d'],
      ['近30天出账金额(分)', 'debits in 30 days (fen)'],
      hist('behaviour', 'number', 'C2', { unit: 'fen' }),
      agg('transactions', 'sum', { column: 'amount_fen', window: within(30), where: [eq('direction', vocab.out)] }),
    ),
    // 咨询
    tag(
      'hist.contacts_30d',
      ['近30天接触次数', 'Contacts, 30 d'],
      ['近30天各渠道接触次数', 'contacts on any channel in 30 days'],
      hist('consultation', 'number', 'C1', { unit: 'count' }),
      agg('contacts', 'count', { window: within(30) }),
    ),
    tag(
      'hist.marketing_contacts_90d',
      ['近90天营销触达次数', 'Marketing contacts, 90 d'],
      ['近90天营销类触达次数', 'marketing contacts in 90 days'],
      hist('consultation', 'number', 'C1', { unit: 'count' }),
      agg('contacts', 'count', { window: within(90), where: [eq('purpose', 'marketing')] }),
    ),
    tag(
      'hist.last_contact_channel',
      ['最近接触渠道', 'Last contact channel'],
      ['最近一次接触所用渠道', 'channel of the latest contact'],
      hist('consultation', 'enum', 'C1', { values: [...vocab.contactChannels] }),
      agg('contacts', 'last', { column: 'channel' }),
    ),
    tag(
      'hist.complaints_12m',
      ['近12月投诉次数', 'Complaints, 12 months'],
      ['近365天投诉次数', 'complaints in the last 365 days'],
      hist('consultation', 'number', 'C1', { unit: 'count' }),
      agg('contacts', 'count', { window: within(365), where: [eq('purpose', vocab.complaint)] }),
    ),
    tag(
      'hist.nps_last',
      ['最近NPS', 'Last NPS'],
      ['最近一次净推荐值打分(0–10)', 'latest net-promoter score (0–10)'],
      hist('consultation', 'number', 'C1', { unit: 'score' }),
      agg('contacts', 'last', { column: 'nps', where: [notNull('nps')] }),
    ),
    tag(
      'hist.last_response',
      ['最近营销响应', 'Last response'],
      [
        '最近一次营销触达的结果:接受/忽略/拒绝',
        'outcome of the latest marketing contact: accepted / ignored / declined',
      ],
      hist('consultation', 'enum', 'C1', { values: [...vocab.responses] }),
      agg('contacts', 'last', { column: 'outcome', where: [oneOf('outcome', vocab.responses)] }),
    ),
    tag(
      'hist.accepted_offers_12m',
      ['近12月接受营销次数', 'Offers accepted, 12 months'],
      ['近365天接受营销次数', 'offers accepted in 365 days'],
      hist('consultation', 'number', 'C1', { unit: 'count' }),
      agg('contacts', 'count', { window: within(365), where: [eq('outcome', 'accepted')] }),
    ),
    // 贡献度
    tag(
      'hist.products_bought_12m',
      ['近12月购买产品数', 'Products bought, 12 months'],
      ['近365天新签约的理财/基金/保险/存款产品笔数', 'holdings signed in the last 365 days'],
      hist('contribution', 'number', 'C1', { unit: 'count' }),
      agg('dim_holdings', 'count', { window: within(365) }),
    ),
    tag(
      'hist.products_bought_3d',
      ['近3天购买产品数', 'Products bought, 3 d'],
      ['近3天新签约产品笔数', 'holdings signed in the last 3 days'],
      hist('contribution', 'number', 'C1', { unit: 'count' }),
      agg('dim_holdings', 'count', { window: within(3) }),
    ),
    tag(
      'hist.fee_income_12m',
      ['近12月手续费收入', 'Fee income, 12 months'],
      ['近365天向客户收取的手续费(分)', 'fees charged in the last 365 days (fen)'],
      hist('contribution', 'number', 'C2', { unit: 'fen' }),
      agg('transactions', 'sum', {
        column: 'amount_fen',
        window: within(365),
        where: [eq('direction', vocab.out), eq('txn_type', vocab.fee)],
      }),
    ),
    tag(
      'hist.referrals_12m',
      ['近12月推荐人数', 'Referrals, 12 months'],
      ['近365天成功推荐新客次数', 'successful referrals in 365 days'],
      hist('contribution', 'number', 'C1', { unit: 'count' }),
      agg('contacts', 'count', { window: within(365), where: [eq('purpose', vocab.referral)] }),
    ),
  ];
}
