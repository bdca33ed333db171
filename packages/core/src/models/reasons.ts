/**
 * Per-customer reasons: the top positive TreeSHAP contributions of a score, grouped into reason codes and written as
 * plain Chinese and English sentences that quote the customer's own values ("近30天登录次数较前60天月均下降62%").
 *
 * Several features describe one behaviour (logins last 30 days, logins the 60 days before, login days, the login-drop
 * warning …); their contributions are summed under one code so the three reasons are three different behaviours.
 * Features without a dictionary entry fall back to the tag's own name and value ("资产(AUM): ¥12.5万").
 * The dictionary is data: codes are stable (they are what `model_scores.reasons` stores for the tag factory).
 */

export type ReasonValue = number | string | boolean | string[] | null;
/** The customer's value of a tag at the scoring date (null when absent). */
export type ValueLookup = (tagId: string) => ReasonValue;

export interface ReasonText {
  zh: string;
  en: string;
}

export interface ReasonRule {
  code: string;
  /** tags whose contributions count towards this reason */
  tags: readonly string[];
  render: (v: ValueLookup) => ReasonText;
}

function num(v: ReasonValue): number | null {
  if (v === null) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    if (v === 'true') return 1;
    if (v === 'false') return 0;
    const n = Number(v);
    return v.trim() !== '' && Number.isFinite(n) ? n : null;
  }
  return null;
}

const round = (x: number) => Math.round(x);

/** ¥ amount from fen: "¥3.2万" / "¥32,000". */
export function money(fen: number): ReasonText {
  const yuan = fen / 100;
  const abs = Math.abs(yuan);
  const zh =
    abs >= 1e8
      ? `¥${(yuan / 1e8).toFixed(2)}亿`
      : abs >= 1e4
        ? `¥${(yuan / 1e4).toFixed(1)}万`
        : `¥${round(yuan).toLocaleString('en-US')}`;
  return { zh, en: `¥${round(yuan).toLocaleString('en-US')}` };
}

function pct(x: number): string {
  return `${round(Math.abs(x))}%`;
}

export const REASON_RULES: readonly ReasonRule[] = [
  {
    code: 'login_drop',
    tags: [
      'app.logins_30d',
      'app.logins_prior_60d',
      'app.login_days_30d',
      'app.active_days_90d',
      'warn.login_drop',
      'app.last_login_days_ago',
      'app.session_minutes_30d',
      'app.session_seconds_30d',
    ],
    render: (v) => {
      const recent = num(v('app.logins_30d')) ?? 0;
      const prior = num(v('app.logins_prior_60d')) ?? 0;
      const monthly = prior / 2;
      if (monthly > 0 && recent < monthly) {
        const drop = pct((1 - recent / monthly) * 100);
        return {
          zh: `近30天登录次数较前60天月均下降${drop}(${recent}次 vs 月均${monthly.toFixed(1)}次)`,
          en: `logins in the last 30 days down ${drop} vs the prior 60-day monthly average (${recent} vs ${monthly.toFixed(1)})`,
        };
      }
      const ago = num(v('app.last_login_days_ago'));
      if (recent === 0 && ago !== null)
        return { zh: `已${round(ago)}天未登录手机银行`, en: `no mobile-banking login for ${round(ago)} days` };
      if (recent === 0 && prior === 0) return { zh: '近90天未登录手机银行', en: 'no mobile-banking login in 90 days' };
      return {
        zh: `近30天登录${recent}次(前60天月均${monthly.toFixed(1)}次)`,
        en: `${recent} logins in the last 30 days (prior 60-day monthly average ${monthly.toFixed(1)})`,
      };
    },
  },
  {
    code: 'redemptions',
    tags: ['hist.redemptions_30d', 'warn.multi_redemption_30d'],
    render: (v) => {
      const n = round(num(v('hist.redemptions_30d')) ?? 0);
      return n > 0
        ? { zh: `近30天赎回理财${n}笔`, en: `${n} wealth/fund redemption${n === 1 ? '' : 's'} in the last 30 days` }
        : { zh: '近30天无赎回', en: 'no redemptions in the last 30 days' };
    },
  },
  {
    code: 'large_outflow',
    tags: ['hist.transfer_out_7d', 'warn.large_outflow_7d', 'hist.outflow_30d', 'hist.inflow_30d'],
    render: (v) => {
      const out7 = num(v('hist.transfer_out_7d')) ?? 0;
      const aum = num(v('value.aum')) ?? 0;
      if (out7 > 0 && aum > 0 && out7 >= aum)
        return {
          zh: `近7天大额转出${money(out7).zh},超过月末资产(${money(aum).zh})`,
          en: `${money(out7).en} transferred out in the last 7 days, more than month-end assets (${money(aum).en})`,
        };
      if (out7 > 0 && aum > 0 && out7 >= 0.1 * aum) {
        const share = pct((out7 / aum) * 100);
        return {
          zh: `近7天大额转出占资产${share}(${money(out7).zh})`,
          en: `outbound transfers in the last 7 days equal ${share} of assets (${money(out7).en})`,
        };
      }
      const out30 = num(v('hist.outflow_30d')) ?? 0;
      const in30 = num(v('hist.inflow_30d')) ?? 0;
      return {
        zh: `近30天资金流出${money(out30).zh},流入${money(in30).zh}`,
        en: `${money(out30).en} out vs ${money(in30).en} in over the last 30 days`,
      };
    },
  },
  {
    code: 'aum_drop',
    tags: ['value.aum_change_90d_pct', 'warn.aum_drop_30pct_90d', 'value.aum_3m_ago', 'value.aum', 'value.aum_3m_avg'],
    render: (v) => {
      const ch = num(v('value.aum_change_90d_pct'));
      const aum = num(v('value.aum')) ?? 0;
      if (ch !== null && ch < 0)
        return {
          zh: `近90天资产下降${pct(ch)}(现${money(aum).zh})`,
          en: `assets down ${pct(ch)} over 90 days (now ${money(aum).en})`,
        };
      if (ch !== null)
        return {
          zh: `近90天资产变化+${pct(ch)}(现${money(aum).zh})`,
          en: `assets up ${pct(ch)} over 90 days (now ${money(aum).en})`,
        };
      return { zh: `当前资产${money(aum).zh}`, en: `assets ${money(aum).en}` };
    },
  },
  {
    code: 'inactivity',
    tags: ['hist.days_since_last_txn', 'hist.days_since_last_activity', 'hist.txn_count_30d', 'hist.txn_count_90d'],
    render: (v) => {
      const d = num(v('hist.days_since_last_activity')) ?? num(v('hist.days_since_last_txn'));
      const n30 = round(num(v('hist.txn_count_30d')) ?? 0);
      const n90 = round(num(v('hist.txn_count_90d')) ?? 0);
      if (d !== null && d >= 14)
        return { zh: `已连续${round(d)}天无主动交易`, en: `no customer-initiated activity for ${round(d)} days` };
      return {
        zh: `近30天交易${n30}笔(近90天${n90}笔)`,
        en: `${n30} transactions in the last 30 days (${n90} in 90 days)`,
      };
    },
  },
  {
    code: 'spend_drop',
    tags: [
      'hist.card_spend_trend',
      'hist.card_spend_90d',
      'hist.card_spend_prior_90d',
      'hist.spend_30d',
      'hist.spend_90d',
      'hist.spend_180d',
    ],
    render: (v) => {
      const tr = num(v('hist.card_spend_trend'));
      if (tr !== null && tr < 0)
        return { zh: `近90天信用卡消费较前90天下降${pct(tr)}`, en: `card spend down ${pct(tr)} vs the prior 90 days` };
      const s30 = num(v('hist.spend_30d')) ?? 0;
      const s90 = num(v('hist.spend_90d')) ?? 0;
      const monthly = s90 / 3;
      if (monthly > 0 && s30 < monthly)
        return {
          zh: `近30天消费较近90天月均下降${pct((1 - s30 / monthly) * 100)}`,
          en: `spend in the last 30 days down ${pct((1 - s30 / monthly) * 100)} vs the 90-day monthly average`,
        };
      return { zh: `近30天消费${money(s30).zh}`, en: `${money(s30).en} spent in the last 30 days` };
    },
  },
  {
    code: 'salary_stopped',
    tags: ['basic.salary_months_90d', 'basic.salary_credited_here'],
    render: (v) => {
      const m = round(num(v('basic.salary_months_90d')) ?? 0);
      return m < 3
        ? { zh: `近3个月仅${m}个月有工资入账`, en: `salary credited in only ${m} of the last 3 months` }
        : { zh: '近3个月工资按月入账', en: 'salary credited every month for 3 months' };
    },
  },
  {
    code: 'product_interest',
    tags: [
      'app.product_views_30d',
      'app.top_viewed_product_family_30d',
      'app.viewed_wealth_7d',
      'app.viewed_loan_7d',
      'app.viewed_insurance_30d',
      'app.searched_product_30d',
      'app.view_streak_3d',
      'app.viewed_not_bought_3d',
      'app.viewed_families_30d',
    ],
    render: (v) => {
      const n = round(num(v('app.product_views_30d')) ?? 0);
      const fam = v('app.top_viewed_product_family_30d');
      const f = typeof fam === 'string' && fam !== '' ? fam : null;
      return {
        zh: `近30天浏览产品${n}次${f ? `,最常看${FAMILY_ZH[f] ?? f}` : ''}`,
        en: `${n} product views in the last 30 days${f ? `, mostly ${f.replace('_', ' ')}` : ''}`,
      };
    },
  },
  {
    code: 'recent_purchases',
    tags: ['hist.products_bought_12m', 'hist.products_bought_3d', 'app.purchases_3d'],
    render: (v) => {
      const n = round(num(v('hist.products_bought_12m')) ?? 0);
      return { zh: `近12个月新购产品${n}笔`, en: `${n} products taken up in the last 12 months` };
    },
  },
];

const FAMILY_ZH: Record<string, string> = {
  deposit: '存款',
  wealth: '理财',
  fund: '基金',
  insurance: '保险',
  consumer_loan: '消费贷',
  credit_card: '信用卡',
  mortgage: '房贷',
  car_loan: '车贷',
  business_loan: '经营贷',
  agri_loan: '农贷',
};

const RULE_BY_TAG = new Map<string, ReasonRule>();
for (const r of REASON_RULES) for (const t of r.tags) RULE_BY_TAG.set(t, r);

/** The tag a feature column reads (`tag=member` indicator columns → `tag`). */
export function tagOfFeature(feature: string): string {
  const eq = feature.indexOf('=');
  return eq < 0 ? feature : feature.slice(0, eq);
}

/** The reason code a feature contributes to: a dictionary code, or the tag id itself. */
export function reasonCodeOf(feature: string): string {
  const tag = tagOfFeature(feature);
  return RULE_BY_TAG.get(tag)?.code ?? tag;
}

export interface TagName {
  zh: string;
  en: string;
  unit?: string | undefined;
}

function formatValue(v: ReasonValue, unit: string | undefined): ReasonText {
  if (v === null) return { zh: '无', en: 'none' };
  if (Array.isArray(v)) return { zh: v.join('、'), en: v.join(', ') };
  if (typeof v === 'boolean' || v === 'true' || v === 'false') {
    const b = v === true || v === 'true';
    return { zh: b ? '是' : '否', en: b ? 'yes' : 'no' };
  }
  const n = num(v);
  if (n === null || typeof v === 'string') return { zh: String(v), en: String(v) };
  if (unit === 'fen') return money(n);
  const r = Number.isInteger(n) ? String(n) : n.toFixed(1);
  if (unit === 'pct') return { zh: `${r}%`, en: `${r}%` };
  if (unit === 'days') return { zh: `${r}天`, en: `${r} days` };
  return { zh: r, en: r };
}

export interface Contribution {
  feature: string;
  contribution: number;
}

export interface Reason extends ReasonText {
  code: string;
  /** summed SHAP contribution (margin units) of the features behind the reason */
  contribution: number;
  features: string[];
}

/**
 * Top `k` reasons: contributions grouped by reason code, only positive totals (what pushed the score up), largest
 * first, each rendered with the customer's values. `names` supplies tag names for the fallback sentence.
 */
export function explain(
  contributions: readonly Contribution[],
  values: ValueLookup,
  names: (tagId: string) => TagName | undefined,
  k = 3,
): Reason[] {
  const byCode = new Map<string, { total: number; features: string[] }>();
  for (const c of contributions) {
    if (!Number.isFinite(c.contribution) || c.contribution === 0) continue;
    const code = reasonCodeOf(c.feature);
    const g = byCode.get(code) ?? { total: 0, features: [] };
    g.total += c.contribution;
    g.features.push(c.feature);
    byCode.set(code, g);
  }
  return [...byCode.entries()]
    .filter(([, g]) => g.total > 1e-9)
    .sort((a, b) => b[1].total - a[1].total || a[0].localeCompare(b[0]))
    .slice(0, k)
    .map(([code, g]) => {
      const rule = REASON_RULES.find((r) => r.code === code);
      let text: ReasonText;
      if (rule) text = rule.render(values);
      else {
        const name = names(code);
        const val = formatValue(values(code), name?.unit);
        text = { zh: `${name?.zh ?? code}:${val.zh}`, en: `${name?.en ?? code}: ${val.en}` };
      }
      return { code, contribution: g.total, features: g.features, ...text };
    });
}

/** The JSON stored per score: codes for the tag factory, sentences for people. */
export interface StoredReasons {
  codes: string[];
  zh: string[];
  en: string[];
  contributions: number[];
}

export function toStoredReasons(reasons: readonly Reason[]): StoredReasons {
  return {
    codes: reasons.map((r) => r.code),
    zh: reasons.map((r) => r.zh),
    en: reasons.map((r) => r.en),
    contributions: reasons.map((r) => Math.round(r.contribution * 1e4) / 1e4),
  };
}
