/**
 * The synthetic bank's product shelf: deposits (demand, time, large-denomination CDs, structured), wealth management
 * R1–R5 including private (私募) products, funds, insurance, the five loan families and credit cards. Names are
 * realistic in form but fictional (灵犀演示银行 = "Lingxi Demo Bank"); yields are benchmark rates (业绩比较基准) in
 * basis points, loans carry their annual rate there.
 */

export const BANK_NAME = '灵犀演示银行';

export type ProductFamily =
  | 'deposit'
  | 'wealth'
  | 'fund'
  | 'insurance'
  | 'consumer_loan'
  | 'mortgage'
  | 'car_loan'
  | 'business_loan'
  | 'agri_loan'
  | 'credit_card';

export interface SynthProduct {
  id: string;
  nameZh: string;
  nameEn: string;
  family: ProductFamily;
  /** Product risk R1–R5 as 1–5. */
  riskLevel: number;
  riskRatedAt: string;
  benchmarkYieldBp: number | null;
  minAmountFen: number;
  isPrivate: boolean;
  termDays: number | null;
  issuer: string;
  status: 'on_sale' | 'closed';
  launchedAt: string;
  /** Generator hint: the sub-kind that drives behaviour (demand, time, cd, structured, cash, fixed, ...). */
  kind: string;
}

const Y = 100; // 1 yuan in fen
const WAN = 10_000 * Y; // 10,000 yuan in fen

type Row = [
  id: string,
  zh: string,
  en: string,
  family: ProductFamily,
  risk: number,
  yieldBp: number | null,
  minFen: number,
  termDays: number | null,
  kind: string,
  issuer?: string,
  isPrivate?: boolean,
  launched?: string,
];

const rows: Row[] = [
  // Deposits
  ['DEP-DEMAND', '活期储蓄', 'Demand savings', 'deposit', 1, 15, 0, null, 'demand'],
  ['DEP-TD-3M', '整存整取三个月', 'Time deposit 3 months', 'deposit', 1, 125, 50 * Y, 91, 'time'],
  ['DEP-TD-6M', '整存整取六个月', 'Time deposit 6 months', 'deposit', 1, 145, 50 * Y, 182, 'time'],
  ['DEP-TD-1Y', '整存整取一年', 'Time deposit 1 year', 'deposit', 1, 165, 50 * Y, 365, 'time'],
  ['DEP-TD-2Y', '整存整取二年', 'Time deposit 2 years', 'deposit', 1, 185, 50 * Y, 730, 'time'],
  ['DEP-TD-3Y', '整存整取三年', 'Time deposit 3 years', 'deposit', 1, 225, 50 * Y, 1095, 'time'],
  ['DEP-TD-5Y', '整存整取五年', 'Time deposit 5 years', 'deposit', 1, 230, 50 * Y, 1825, 'time'],
  ['DEP-CD-3Y', '个人大额存单三年期', 'Large-denomination CD 3 years', 'deposit', 1, 255, 20 * WAN, 1095, 'cd'],
  ['DEP-CD-1Y', '个人大额存单一年期', 'Large-denomination CD 1 year', 'deposit', 1, 195, 20 * WAN, 365, 'cd'],
  [
    'DEP-SD-91',
    '灵犀结构性存款91天(挂钩黄金)',
    'Structured deposit 91 days (gold-linked)',
    'deposit',
    2,
    260,
    1 * WAN,
    91,
    'structured',
  ],
  [
    'DEP-SD-182',
    '灵犀结构性存款182天(挂钩沪深300)',
    'Structured deposit 182 days (CSI 300-linked)',
    'deposit',
    2,
    285,
    1 * WAN,
    182,
    'structured',
  ],
  ['DEP-NOTICE-7D', '七天通知存款', '7-day notice deposit', 'deposit', 1, 100, 5 * WAN, 7, 'notice'],
  // Wealth management (理财)
  [
    'WM-R1-CASH',
    '灵犀宝现金管理类理财',
    'Lingxi Bao cash-management wealth product',
    'wealth',
    1,
    190,
    1 * Y,
    null,
    'cash',
    '灵犀理财有限责任公司',
  ],
  [
    'WM-R2-90D',
    '稳盈90天持有期理财',
    'Steady Gain 90-day holding-period product',
    'wealth',
    2,
    280,
    1 * WAN,
    90,
    'fixed',
    '灵犀理财有限责任公司',
  ],
  [
    'WM-R2-180D',
    '稳盈180天持有期理财',
    'Steady Gain 180-day holding-period product',
    'wealth',
    2,
    310,
    1 * WAN,
    180,
    'fixed',
    '灵犀理财有限责任公司',
  ],
  [
    'WM-R2-1Y',
    '稳盈一年定开理财',
    'Steady Gain 1-year periodic-open product',
    'wealth',
    2,
    340,
    1 * WAN,
    365,
    'fixed',
    '灵犀理财有限责任公司',
  ],
  [
    'WM-R3-FIXPLUS',
    '睿享固收+一年持有期',
    'Rui Xiang fixed-income-plus 1-year',
    'wealth',
    3,
    420,
    1 * WAN,
    365,
    'fixed',
    '灵犀理财有限责任公司',
  ],
  [
    'WM-R3-ESG',
    '绿色低碳ESG主题理财',
    'Green low-carbon ESG theme product',
    'wealth',
    3,
    400,
    1 * WAN,
    365,
    'fixed',
    '灵犀理财有限责任公司',
  ],
  [
    'WM-R4-EQ',
    '进取权益混合类理财',
    'Enterprising equity-mixed product',
    'wealth',
    4,
    600,
    5 * WAN,
    730,
    'fixed',
    '灵犀理财有限责任公司',
  ],
  [
    'WM-R5-PE',
    '钱塘成长私募股权投资计划',
    'Qiantang Growth private equity plan',
    'wealth',
    5,
    800,
    100 * WAN,
    1095,
    'private',
    '钱塘私募基金管理有限公司',
    true,
  ],
  [
    'WM-R4-PRIV-FI',
    '之江尊享私募固收增强',
    'Zhijiang Prestige private enhanced fixed income',
    'wealth',
    4,
    550,
    100 * WAN,
    730,
    'private',
    '之江资产管理有限公司',
    true,
  ],
  // Funds (代销)
  [
    'FD-MMF',
    '钱塘货币市场基金A',
    'Qiantang money market fund A',
    'fund',
    1,
    180,
    1 * Y,
    null,
    'open',
    '钱塘基金管理有限公司',
  ],
  ['FD-BOND', '西湖纯债债券基金', 'Xihu pure bond fund', 'fund', 2, null, 10 * Y, null, 'open', '西湖基金管理有限公司'],
  [
    'FD-MIX',
    '之江稳健混合型基金',
    'Zhijiang balanced mixed fund',
    'fund',
    3,
    null,
    10 * Y,
    null,
    'open',
    '之江基金管理有限公司',
  ],
  [
    'FD-CSI300',
    '沪深300指数增强基金',
    'CSI 300 enhanced index fund',
    'fund',
    4,
    null,
    10 * Y,
    null,
    'open',
    '钱塘基金管理有限公司',
  ],
  [
    'FD-TECH',
    '科技创新股票型基金',
    'Tech innovation equity fund',
    'fund',
    4,
    null,
    10 * Y,
    null,
    'open',
    '西湖基金管理有限公司',
  ],
  [
    'FD-QDII',
    '全球科技QDII基金',
    'Global tech QDII fund',
    'fund',
    5,
    null,
    100 * Y,
    null,
    'open',
    '之江基金管理有限公司',
  ],
  [
    'FD-PENSION',
    '养老目标2040三年持有期基金',
    'Target-date 2040 pension fund (3-year holding)',
    'fund',
    3,
    null,
    10 * Y,
    1095,
    'open',
    '钱塘基金管理有限公司',
  ],
  // Insurance (代销)
  [
    'INS-ANNUITY',
    '鑫福年金保险',
    'Xin Fu annuity insurance',
    'insurance',
    2,
    300,
    1 * WAN,
    3650,
    'annuity',
    '西子人寿保险股份有限公司',
  ],
  [
    'INS-WL',
    '增额终身寿险(稳赢版)',
    'Increasing whole-life insurance',
    'insurance',
    2,
    300,
    1 * WAN,
    null,
    'whole_life',
    '西子人寿保险股份有限公司',
  ],
  [
    'INS-CI',
    '安心重大疾病保险',
    'An Xin critical illness insurance',
    'insurance',
    1,
    null,
    3000 * Y,
    null,
    'protection',
    '钱江财产保险股份有限公司',
  ],
  [
    'INS-MED',
    '百万医疗保险',
    'Million-yuan medical insurance',
    'insurance',
    1,
    null,
    300 * Y,
    365,
    'protection',
    '钱江财产保险股份有限公司',
  ],
  [
    'INS-EDU',
    '少儿教育金保险',
    'Children’s education savings insurance',
    'insurance',
    2,
    250,
    5000 * Y,
    5475,
    'education',
    '西子人寿保险股份有限公司',
  ],
  [
    'INS-PENSION',
    '个人养老年金保险',
    'Personal pension annuity',
    'insurance',
    2,
    280,
    1000 * Y,
    null,
    'pension',
    '西子人寿保险股份有限公司',
  ],
  // Loans (rates in bp per year)
  [
    'LN-CONS-E',
    '灵犀e贷(个人信用消费贷款)',
    'Lingxi e-Loan personal credit consumer loan',
    'consumer_loan',
    2,
    360,
    1 * WAN,
    1095,
    'consumer',
  ],
  ['LN-CONS-DECO', '家装消费贷款', 'Home renovation consumer loan', 'consumer_loan', 2, 390, 5 * WAN, 1825, 'consumer'],
  ['LN-MORT', '个人住房按揭贷款', 'Residential mortgage', 'mortgage', 2, 310, 30 * WAN, 10950, 'mortgage'],
  [
    'LN-MORT-PF',
    '公积金组合贷款',
    'Housing provident fund combination loan',
    'mortgage',
    2,
    285,
    30 * WAN,
    9125,
    'mortgage',
  ],
  ['LN-CAR', '汽车消费贷款', 'Car consumer loan', 'car_loan', 2, 420, 3 * WAN, 1095, 'car'],
  ['LN-CAR-NEV', '新能源汽车消费贷款', 'New-energy vehicle loan', 'car_loan', 2, 380, 3 * WAN, 1095, 'car'],
  [
    'LN-BIZ',
    '小微快贷(个人经营贷款)',
    'Micro-business quick loan',
    'business_loan',
    3,
    430,
    10 * WAN,
    1095,
    'business',
  ],
  [
    'LN-BIZ-TAX',
    '税易贷(纳税信用经营贷)',
    'Tax-credit business loan',
    'business_loan',
    3,
    400,
    10 * WAN,
    730,
    'business',
  ],
  [
    'LN-AGRI',
    '惠农贷(农户小额信用贷款)',
    'Hui Nong micro credit loan for farmers',
    'agri_loan',
    3,
    450,
    1 * WAN,
    1095,
    'agri',
  ],
  [
    'LN-AGRI-COOP',
    '共富贷(农业经营主体贷款)',
    'Common-prosperity agricultural business loan',
    'agri_loan',
    3,
    420,
    5 * WAN,
    1095,
    'agri',
  ],
  // Credit cards (min amount = entry limit)
  ['CC-GOLD', '灵犀金卡', 'Lingxi Gold card', 'credit_card', 2, null, 1 * WAN, null, 'standard'],
  ['CC-PLAT', '灵犀白金卡', 'Lingxi Platinum card', 'credit_card', 2, null, 5 * WAN, null, 'premium'],
  ['CC-YOUTH', '灵犀青春卡', 'Lingxi Youth card', 'credit_card', 2, null, 3000 * Y, null, 'youth'],
  ['CC-AUTO', '灵犀车主卡', 'Lingxi Motorist card', 'credit_card', 2, null, 1 * WAN, null, 'auto'],
  ['CC-GREEN', '灵犀绿色低碳卡', 'Lingxi Green low-carbon card', 'credit_card', 2, null, 5000 * Y, null, 'green'],
  ['CC-TRAVEL', '灵犀环球商旅卡', 'Lingxi Global travel card', 'credit_card', 2, null, 5 * WAN, null, 'travel'],
];

export const PRODUCTS: readonly SynthProduct[] = rows.map((r, i) => ({
  id: r[0],
  nameZh: r[1],
  nameEn: r[2],
  family: r[3],
  riskLevel: r[4],
  riskRatedAt: '2025-01-02',
  benchmarkYieldBp: r[5],
  minAmountFen: r[6],
  isPrivate: r[10] === true,
  termDays: r[7],
  issuer: r[9] ?? BANK_NAME,
  status: 'on_sale',
  launchedAt: r[11] ?? `20${String(15 + (i % 9)).padStart(2, '0')}-0${1 + (i % 9)}-15`,
  kind: r[8],
}));

const byId = new Map(PRODUCTS.map((p) => [p.id, p]));

export function product(id: string): SynthProduct {
  const p = byId.get(id);
  if (!p) throw new RangeError(`unknown product ${id}`);
  return p;
}

/** Spend categories (transactions.merchant_category): the tag catalogue's vocabulary (`allCategories`). */
export const MERCHANT_CATEGORIES = [
  'dining',
  'supermarket',
  'travel',
  'hotel',
  'airline',
  'fitness',
  'sports',
  'health',
  'pharmacy',
  'beauty',
  'digital',
  'electronics',
  'education',
  'auto',
  'fuel',
  'green',
  'ev_charging',
  'public_transport',
  'maternity',
  'toys',
  'apparel',
  'entertainment',
  'utilities',
  'agriculture',
  'other',
] as const;
export type MerchantCategory = (typeof MERCHANT_CATEGORIES)[number];

/** Per category: base share of card-spend count, median ticket (yuan), log-sigma. */
export const CATEGORY_PROFILE: Readonly<Record<MerchantCategory, readonly [number, number, number]>> = {
  dining: [22, 75, 0.7],
  supermarket: [16, 140, 0.7],
  travel: [1.5, 1500, 0.8],
  hotel: [1.2, 550, 0.6],
  airline: [0.8, 1600, 0.5],
  fitness: [1.2, 260, 0.8],
  sports: [1, 300, 0.8],
  health: [2, 220, 0.9],
  pharmacy: [2.5, 70, 0.7],
  beauty: [2, 360, 0.8],
  digital: [9, 45, 0.9],
  electronics: [1.2, 2300, 0.8],
  education: [1.2, 1400, 0.9],
  auto: [0.8, 900, 1],
  fuel: [3, 320, 0.4],
  green: [1.2, 35, 0.8],
  ev_charging: [0.8, 55, 0.5],
  public_transport: [6, 6, 0.6],
  maternity: [0.6, 260, 0.8],
  toys: [0.6, 160, 0.8],
  apparel: [6, 330, 0.8],
  entertainment: [4, 110, 0.8],
  utilities: [3, 190, 0.5],
  agriculture: [0.3, 850, 0.9],
  other: [10, 120, 1],
};
