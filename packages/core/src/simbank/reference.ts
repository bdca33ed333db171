/**
 * Reference data of the synthetic bank: surnames and given-name characters, regions with administrative codes and city
 * tiers, merchant categories, products. Figures are plausible orders of magnitude for a Zhejiang city commercial bank,
 * not statistics of any real bank (see docs/synthetic-bank.md).
 */

/** Common surnames with relative frequency (approximate national shares, per mille). */
export const surnames: readonly [string, number][] = [
  ['王', 72],
  ['李', 71],
  ['张', 68],
  ['刘', 53],
  ['陈', 45],
  ['杨', 31],
  ['黄', 23],
  ['赵', 22],
  ['吴', 20],
  ['周', 19],
  ['徐', 16],
  ['孙', 15],
  ['马', 14],
  ['朱', 13],
  ['胡', 12],
  ['郭', 11],
  ['何', 11],
  ['林', 10],
  ['高', 10],
  ['罗', 9],
  ['郑', 9],
  ['梁', 8],
  ['谢', 7],
  ['宋', 7],
  ['唐', 7],
  ['许', 7],
  ['邓', 6],
  ['冯', 6],
  ['韩', 6],
  ['曹', 6],
  ['曾', 6],
  ['彭', 5],
  ['萧', 5],
  ['蔡', 5],
  ['潘', 5],
  ['田', 5],
  ['董', 5],
  ['袁', 5],
  ['于', 5],
  ['余', 4],
  ['叶', 4],
  ['蒋', 4],
  ['杜', 4],
  ['苏', 4],
  ['魏', 4],
  ['程', 4],
  ['吕', 4],
  ['丁', 4],
  ['沈', 4],
  ['任', 3],
  ['姚', 3],
  ['卢', 3],
  ['傅', 3],
  ['钟', 3],
  ['姜', 3],
  ['崔', 3],
  ['谭', 3],
  ['廖', 3],
  ['范', 3],
  ['汪', 3],
  ['陆', 3],
  ['金', 3],
  ['石', 3],
  ['戴', 3],
  ['贾', 3],
  ['韦', 2],
  ['夏', 2],
  ['邱', 2],
  ['方', 2],
  ['侯', 2],
  ['邹', 2],
  ['熊', 2],
  ['孟', 2],
  ['秦', 2],
  ['白', 2],
  ['江', 2],
  ['阎', 2],
  ['薛', 2],
  ['尹', 2],
  ['段', 2],
  ['雷', 2],
  ['黎', 2],
  ['史', 2],
  ['龙', 2],
  ['陶', 2],
  ['贺', 2],
  ['顾', 2],
  ['毛', 2],
  ['郝', 2],
  ['龚', 2],
  ['邵', 2],
  ['万', 2],
  ['钱', 2],
  ['严', 2],
  ['章', 2],
  ['欧阳', 1],
  ['司马', 1],
  ['诸葛', 1],
];

/** Homophone (same pinyin) surname substitutions seen in manually keyed records. */
export const homophoneSurnames: Readonly<Record<string, string>> = {
  张: '章',
  章: '张',
  王: '汪',
  汪: '王',
  陈: '程',
  程: '陈',
  李: '黎',
  黎: '李',
  刘: '柳',
  周: '邹',
  徐: '许',
  许: '徐',
  林: '凌',
  吴: '伍',
  杨: '阳',
  黄: '皇',
  胡: '扈',
  朱: '诸',
  高: '郜',
  江: '姜',
  姜: '江',
};

export const maleGivenChars = '伟强磊军勇杰涛斌明超刚平辉鹏华飞鑫波宇浩俊帅凯健峰建国文博晨阳轩睿哲铭子豪泽宇航'.split(
  '',
);
export const femaleGivenChars = '芳娜敏静丽艳娟霞秀英玲燕红梅琳雪婷倩慧颖欣怡佳琪涵萱悦诗雨晴璐瑶琳婉蕾薇彤'.split('');

export interface City {
  province: string;
  city: string;
  /** Prefecture-level administrative code prefix (4 digits); districts append two digits. */
  code4: string;
  districts: readonly string[];
  tier: 1 | 2 | 3 | 4;
  /** A county-level city or county (县域) rather than urban districts. */
  county: boolean;
  /** Relative weight of the bank's customers living here. */
  weight: number;
}

/** The bank's home province (Zhejiang) dominates; migrants come from the provinces that send most workers there. */
export const cities: readonly City[] = [
  {
    province: '浙江省',
    city: '杭州市',
    code4: '3301',
    districts: ['02', '05', '06', '08', '09', '10'],
    tier: 2,
    county: false,
    weight: 260,
  },
  {
    province: '浙江省',
    city: '宁波市',
    code4: '3302',
    districts: ['03', '05', '06', '11', '12'],
    tier: 2,
    county: false,
    weight: 120,
  },
  {
    province: '浙江省',
    city: '温州市',
    code4: '3303',
    districts: ['02', '03', '04'],
    tier: 3,
    county: false,
    weight: 90,
  },
  { province: '浙江省', city: '嘉兴市', code4: '3304', districts: ['02', '11'], tier: 3, county: false, weight: 55 },
  { province: '浙江省', city: '湖州市', code4: '3305', districts: ['02', '03'], tier: 3, county: false, weight: 40 },
  {
    province: '浙江省',
    city: '绍兴市',
    code4: '3306',
    districts: ['02', '03', '04'],
    tier: 3,
    county: false,
    weight: 60,
  },
  { province: '浙江省', city: '金华市', code4: '3307', districts: ['02', '03'], tier: 3, county: false, weight: 50 },
  { province: '浙江省', city: '义乌市', code4: '3307', districts: ['82'], tier: 3, county: true, weight: 35 },
  { province: '浙江省', city: '衢州市', code4: '3308', districts: ['02', '03'], tier: 4, county: false, weight: 20 },
  {
    province: '浙江省',
    city: '台州市',
    code4: '3310',
    districts: ['02', '03', '04'],
    tier: 3,
    county: false,
    weight: 45,
  },
  { province: '浙江省', city: '温岭市', code4: '3310', districts: ['81'], tier: 4, county: true, weight: 20 },
  { province: '浙江省', city: '丽水市', code4: '3311', districts: ['02'], tier: 4, county: false, weight: 15 },
  { province: '浙江省', city: '安吉县', code4: '3305', districts: ['23'], tier: 4, county: true, weight: 15 },
  { province: '浙江省', city: '淳安县', code4: '3301', districts: ['27'], tier: 4, county: true, weight: 12 },
  {
    province: '上海市',
    city: '上海市',
    code4: '3101',
    districts: ['01', '04', '05', '06', '15'],
    tier: 1,
    county: false,
    weight: 20,
  },
  {
    province: '江苏省',
    city: '苏州市',
    code4: '3205',
    districts: ['05', '06', '07'],
    tier: 2,
    county: false,
    weight: 12,
  },
  { province: '安徽省', city: '阜阳市', code4: '3412', districts: ['02', '03'], tier: 4, county: false, weight: 10 },
  { province: '江西省', city: '上饶市', code4: '3611', districts: ['02'], tier: 4, county: false, weight: 8 },
  { province: '河南省', city: '信阳市', code4: '4115', districts: ['02', '03'], tier: 4, county: false, weight: 8 },
  {
    province: '四川省',
    city: '成都市',
    code4: '5101',
    districts: ['04', '05', '06', '07'],
    tier: 2,
    county: false,
    weight: 6,
  },
  { province: '贵州省', city: '遵义市', code4: '5203', districts: ['02', '03'], tier: 4, county: false, weight: 5 },
];

/** Mainland mobile prefixes in use (China Mobile, Unicom, Telecom, Broadnet). */
export const mobilePrefixes = [
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '147',
  '150',
  '151',
  '152',
  '157',
  '158',
  '159',
  '172',
  '178',
  '182',
  '183',
  '184',
  '187',
  '188',
  '195',
  '198',
  '130',
  '131',
  '132',
  '155',
  '156',
  '166',
  '175',
  '176',
  '185',
  '186',
  '196',
  '133',
  '149',
  '153',
  '173',
  '177',
  '180',
  '181',
  '189',
  '190',
  '191',
  '193',
  '199',
  '192',
] as const;

export const merchantCategories = [
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
export type MerchantCategory = (typeof merchantCategories)[number];

/** Typical ticket per category in yuan (log-normal median). */
export const categoryTicketYuan: Readonly<Record<MerchantCategory, number>> = {
  dining: 85,
  supermarket: 160,
  travel: 1800,
  hotel: 650,
  airline: 1500,
  fitness: 300,
  sports: 260,
  health: 220,
  pharmacy: 90,
  beauty: 380,
  digital: 450,
  electronics: 2600,
  education: 1800,
  auto: 1200,
  fuel: 320,
  green: 60,
  ev_charging: 55,
  public_transport: 12,
  maternity: 420,
  toys: 180,
  apparel: 380,
  entertainment: 150,
  utilities: 260,
  agriculture: 900,
  other: 120,
};

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

export interface ProductDef {
  id: string;
  nameZh: string;
  nameEn: string;
  family: ProductFamily;
  risk: 1 | 2 | 3 | 4 | 5;
  yieldBp: number | null;
  minFen: number;
  isPrivate: boolean;
  termDays: number | null;
  issuer: string;
}

const p = (
  id: string,
  nameZh: string,
  nameEn: string,
  family: ProductFamily,
  risk: ProductDef['risk'],
  yieldBp: number | null,
  minYuan: number,
  termDays: number | null,
  issuer = '示例银行',
  isPrivate = false,
): ProductDef => ({ id, nameZh, nameEn, family, risk, yieldBp, minFen: minYuan * 100, isPrivate, termDays, issuer });

export const products: readonly ProductDef[] = [
  p('DEP-CUR', '活期储蓄', 'Current savings', 'deposit', 1, 20, 0, null),
  p('DEP-3M', '三个月定期存款', '3-month time deposit', 'deposit', 1, 115, 50, 90),
  p('DEP-1Y', '一年期定期存款', '1-year time deposit', 'deposit', 1, 145, 50, 365),
  p('DEP-3Y', '三年期大额存单', '3-year large CD', 'deposit', 1, 215, 200_000, 1095),
  p('DEP-SD', '结构性存款（挂钩黄金）', 'Structured deposit (gold-linked)', 'deposit', 1, 250, 10_000, 182),
  p('WM-R1', '天天利现金管理', 'Daily cash management', 'wealth', 1, 180, 1, null, '示例理财'),
  p('WM-R2A', '稳享90天持有期', 'Steady 90-day holding', 'wealth', 2, 285, 1, 90, '示例理财'),
  p('WM-R2B', '安鑫一年定开', 'Annual open-ended fixed income', 'wealth', 2, 320, 10_000, 365, '示例理财'),
  p('WM-R3', '混合优选半年持有', 'Balanced 6-month holding', 'wealth', 3, 400, 10_000, 182, '示例理财'),
  p('WM-R4', '权益增强一年持有', 'Equity-enhanced 1-year', 'wealth', 4, 550, 50_000, 365, '示例理财'),
  p('WM-PV', '臻享私募固收增强', 'Private fixed income plus', 'wealth', 4, 600, 1_000_000, 365, '示例理财', true),
  p('FD-MM', '货币基金A', 'Money-market fund A', 'fund', 1, 170, 1, null, '示例基金'),
  p('FD-BOND', '纯债债券基金', 'Pure bond fund', 'fund', 2, 300, 10, null, '示例基金'),
  p('FD-MIX', '均衡混合基金', 'Balanced hybrid fund', 'fund', 3, null, 10, null, '示例基金'),
  p('FD-EQ', '科技成长股票基金', 'Tech growth equity fund', 'fund', 4, null, 10, null, '示例基金'),
  p('FD-QDII', '全球精选QDII基金', 'Global QDII fund', 'fund', 5, null, 100, null, '示例基金'),
  p('INS-HLTH', '百万医疗险', 'Medical insurance', 'insurance', 1, null, 300, 365, '示例人寿'),
  p('INS-ANN', '年金保险（分红型）', 'Participating annuity', 'insurance', 2, null, 10_000, 3650, '示例人寿'),
  p('INS-ULK', '投资连结保险', 'Unit-linked insurance', 'insurance', 4, null, 50_000, 3650, '示例人寿'),
  p('LN-CONS', '信用消费贷', 'Consumer credit loan', 'consumer_loan', 2, 420, 1_000, 1095),
  p('LN-MORT', '个人住房贷款', 'Home mortgage', 'mortgage', 2, 310, 100_000, 10950),
  p('LN-CAR', '汽车分期', 'Car instalment loan', 'car_loan', 2, 380, 30_000, 1095),
  p('LN-BIZ', '小微经营贷', 'Small-business loan', 'business_loan', 3, 395, 50_000, 1095),
  p('LN-AGRI', '惠农贷', 'Agricultural loan', 'agri_loan', 2, 360, 10_000, 730),
  p('CC-STD', '标准信用卡', 'Standard credit card', 'credit_card', 2, null, 0, null),
  p('CC-YOUTH', '青春卡', 'Youth credit card', 'credit_card', 2, null, 0, null),
  p('CC-PLAT', '白金卡', 'Platinum credit card', 'credit_card', 2, null, 0, null),
];

/** Spring Festival (春节) dates; spending peaks in the weeks before. */
export const springFestivals = ['2024-02-10', '2025-01-29', '2026-02-17', '2027-02-06', '2028-01-26'] as const;
