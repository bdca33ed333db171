/**
 * The rule registry: every rule of `domain/regulation.md` as data (id, category, title, citation,
 * confidence, summary, parameters), the typed effective parameters, and the validation of a
 * compliance officer's settings override.
 *
 * Parameters are defined once (`PARAM_DEFS`). Each definition carries its zod schema, its default, its
 * unit and bounds, the direction in which a change makes the rule stricter (`tighten`) and whether a
 * change may only go in that direction (`tightenOnly`). The effective-parameter type `RuleParams` is
 * derived from the definitions, so the registry, the validation and the type cannot drift apart.
 *
 * Also home of the shared vocabularies (risk levels, channels, product families) and the
 * Asia/Shanghai clock helpers that several rules use.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Shared vocabularies
// ---------------------------------------------------------------------------------------------

/** Customer risk-tolerance levels (S2), lowest first: 保守, 稳健, 平衡, 成长, 进取. */
export const CUSTOMER_RISK_LEVELS = ['C1', 'C2', 'C3', 'C4', 'C5'] as const;
export type CustomerRiskLevel = (typeof CUSTOMER_RISK_LEVELS)[number];
export const customerRiskLevelSchema = z.enum(CUSTOMER_RISK_LEVELS);

/** Product risk ratings (S1), lowest first. */
export const PRODUCT_RISK_LEVELS = ['R1', 'R2', 'R3', 'R4', 'R5'] as const;
export type ProductRiskLevel = (typeof PRODUCT_RISK_LEVELS)[number];
export const productRiskLevelSchema = z.enum(PRODUCT_RISK_LEVELS);

/** 1 for C1/R1 … 5 for C5/R5. */
export function riskRank(level: CustomerRiskLevel | ProductRiskLevel): number {
  return level.charCodeAt(1) - 48;
}

/** Outbound contact channels (PRODUCT §F). */
export const CONTACT_CHANNELS = ['sms', 'push', 'wechat', 'email', 'call', 'rm_task', 'in_app'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export const contactChannelSchema = z.enum(CONTACT_CHANNELS);

/**
 * Product families, for S5 (face-to-face first assessment) and S12 (双录).
 * `wealth` = the bank's own wealth products; `wealth_company` = products of a wealth-management
 * company (理财公司); `agency_*` = products sold on behalf of others (代销).
 */
export const PRODUCT_FAMILIES = [
  'deposit',
  'structured_deposit',
  'wealth',
  'wealth_company',
  'agency_fund',
  'agency_insurance',
  'agency_trust',
  'private_fund',
  'precious_metal',
  'bond',
  'other',
] as const;
export type ProductFamily = (typeof PRODUCT_FAMILIES)[number];
export const productFamilySchema = z.enum(PRODUCT_FAMILIES);

export interface LocalizedText {
  zh: string;
  en: string;
}

// ---------------------------------------------------------------------------------------------
// Asia/Shanghai clock
// ---------------------------------------------------------------------------------------------

/**
 * Asia/Shanghai is UTC+8 with no daylight saving since 1991, so a fixed offset is exact for every
 * instant the product deals with (and far cheaper than Intl on the decision hot path).
 */
export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface ShanghaiDateTime {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
  /** Minutes since local midnight, 0–1439. */
  minuteOfDay: number;
}

/** Local calendar fields of an instant in Asia/Shanghai. */
export function shanghaiParts(instant: Date): ShanghaiDateTime {
  const local = new Date(instant.getTime() + SHANGHAI_OFFSET_MS);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    minuteOfDay: local.getUTCHours() * 60 + local.getUTCMinutes(),
  };
}

/** The UTC instant of a Shanghai wall-clock time; month and day may overflow (Date.UTC semantics). */
export function shanghaiToUtc(year: number, month: number, day: number, minuteOfDay: number): Date {
  return new Date(Date.UTC(year, month - 1, day, 0, minuteOfDay) - SHANGHAI_OFFSET_MS);
}

/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The same Shanghai wall-clock time `months` calendar months later; the day is clamped to the end
 * of a shorter month (31 Jan + 1 month = 28/29 Feb; 29 Feb + 12 months = 28 Feb).
 */
export function addMonthsShanghai(instant: Date, months: number): Date {
  const local = new Date(instant.getTime() + SHANGHAI_OFFSET_MS);
  const y = local.getUTCFullYear();
  const m0 = local.getUTCMonth() + months;
  const ty = y + Math.floor(m0 / 12);
  const tm = ((m0 % 12) + 12) % 12;
  const day = Math.min(local.getUTCDate(), daysInMonth(ty, tm + 1));
  const ms = Date.UTC(
    ty,
    tm,
    day,
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
    local.getUTCMilliseconds(),
  );
  return new Date(ms - SHANGHAI_OFFSET_MS);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** "YYYY-MM-DD HH:mm" in Asia/Shanghai, for explanations. */
export function formatShanghai(instant: Date): string {
  const p = shanghaiParts(instant);
  return `${p.year}-${pad2(p.month)}-${pad2(p.day)} ${pad2(Math.floor(p.minuteOfDay / 60))}:${pad2(p.minuteOfDay % 60)}`;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** "HH:MM" (24 h) → minutes since midnight. Throws on a malformed value. */
export function parseHhMm(value: string): number {
  const m = HHMM.exec(value);
  if (!m) throw new Error(`time "${value}" must be HH:MM (00:00–23:59)`);
  return Number(m[1]) * 60 + Number(m[2]);
}

// ---------------------------------------------------------------------------------------------
// Parameter definitions
// ---------------------------------------------------------------------------------------------

export type ParamType = 'number' | 'duration' | 'time' | 'boolean' | 'enum' | 'list';

/**
 * The direction in which a change makes the rule stricter:
 * decrease / increase (numbers, durations, ordered enums: lower index = "decrease"),
 * superset / subset (lists), enable / disable (booleans), earlier / later (times of day),
 * none (no strictness order, e.g. a list of bank domains).
 */
export type TightenDirection =
  | 'decrease'
  | 'increase'
  | 'superset'
  | 'subset'
  | 'enable'
  | 'disable'
  | 'earlier'
  | 'later'
  | 'none';

export interface ParamDef<T> {
  type: ParamType;
  default: T;
  /** e.g. "months", "hours", "years", "per day"; null when unit-less. */
  unit: string | null;
  /** Absolute sanity bounds (numbers, durations; for lists: item count). */
  bounds: { min?: number; max?: number } | null;
  /** Allowed values of an enum, or of the items of an enum list, in tightening order. */
  values: readonly string[] | null;
  tighten: TightenDirection;
  /** When true a settings change may only move in the `tighten` direction. */
  tightenOnly: boolean;
  description: LocalizedText;
  /** Validates one value of this parameter. */
  schema: z.ZodType<T>;
}

interface CommonOpts {
  unit?: string;
  tighten: TightenDirection;
  tightenOnly: boolean;
  description: LocalizedText;
}

function numberParam(
  type: 'number' | 'duration',
  def: number,
  opts: CommonOpts & { min: number; max: number; integer?: boolean },
): ParamDef<number> {
  let schema = z.number().min(opts.min).max(opts.max);
  if (opts.integer !== false) schema = schema.int();
  return {
    type,
    default: def,
    unit: opts.unit ?? null,
    bounds: { min: opts.min, max: opts.max },
    values: null,
    tighten: opts.tighten,
    tightenOnly: opts.tightenOnly,
    description: opts.description,
    schema,
  };
}

function enumParam<const V extends readonly [string, ...string[]]>(
  values: V,
  def: V[number],
  opts: CommonOpts,
): ParamDef<V[number]> {
  return {
    type: 'enum',
    default: def,
    unit: opts.unit ?? null,
    bounds: null,
    values,
    tighten: opts.tighten,
    tightenOnly: opts.tightenOnly,
    description: opts.description,
    schema: z.enum(values) as unknown as z.ZodType<V[number]>,
  };
}

function enumListParam<const V extends readonly [string, ...string[]]>(
  values: V,
  def: readonly V[number][],
  opts: CommonOpts & { minItems?: number },
): ParamDef<V[number][]> {
  const item = z.enum(values) as unknown as z.ZodType<V[number]>;
  const schema = z
    .array(item)
    .min(opts.minItems ?? 0)
    .refine((xs) => new Set(xs).size === xs.length, 'items must be unique');
  return {
    type: 'list',
    default: [...def],
    unit: null,
    bounds: { min: opts.minItems ?? 0, max: values.length },
    values,
    tighten: opts.tighten,
    tightenOnly: opts.tightenOnly,
    description: opts.description,
    schema,
  };
}

function stringListParam(
  def: readonly string[],
  opts: CommonOpts & { item: z.ZodType<string>; minItems?: number; maxItems?: number },
): ParamDef<string[]> {
  const schema = z
    .array(opts.item)
    .min(opts.minItems ?? 0)
    .max(opts.maxItems ?? 1000)
    .refine((xs) => new Set(xs).size === xs.length, 'items must be unique');
  return {
    type: 'list',
    default: [...def],
    unit: null,
    bounds: { min: opts.minItems ?? 0, max: opts.maxItems ?? 1000 },
    values: null,
    tighten: opts.tighten,
    tightenOnly: opts.tightenOnly,
    description: opts.description,
    schema,
  };
}

function booleanParam(def: boolean, opts: CommonOpts): ParamDef<boolean> {
  return {
    type: 'boolean',
    default: def,
    unit: null,
    bounds: null,
    values: null,
    tighten: opts.tighten,
    tightenOnly: opts.tightenOnly,
    description: opts.description,
    schema: z.boolean(),
  };
}

function timeParam(def: string, opts: CommonOpts): ParamDef<string> {
  return {
    type: 'time',
    default: def,
    unit: 'HH:MM Asia/Shanghai',
    bounds: null,
    values: null,
    tighten: opts.tighten,
    tightenOnly: opts.tightenOnly,
    description: opts.description,
    schema: z.string().regex(HHMM, 'must be HH:MM (00:00–23:59)'),
  };
}

/** A rolling-window frequency cap on marketing contacts (M13). */
export interface FrequencyCap {
  /** Stable id, cited in explanations, e.g. "sms_week". */
  id: string;
  /** The channels whose marketing contacts count against (and are limited by) this cap. */
  channels: 'all' | ContactChannel[];
  /** Length of the rolling window in hours (24 = day, 168 = week, 720 = 30 days). */
  windowHours: number;
  /** Maximum marketing contacts in any such window. */
  max: number;
}

export const frequencyCapSchema: z.ZodType<FrequencyCap> = z
  .object({
    id: z.string().regex(/^[a-z0-9_]{1,40}$/, 'must be 1–40 of a–z, 0–9, _'),
    channels: z.union([z.literal('all'), z.array(contactChannelSchema).min(1)]),
    windowHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 366),
    max: z.number().int().min(0).max(1000),
  })
  .strict();

const capListSchema = z
  .array(frequencyCapSchema)
  .max(50)
  .refine((caps) => new Set(caps.map((c) => c.id)).size === caps.length, 'cap ids must be unique');

const DEFAULT_CAPS: FrequencyCap[] = [
  { id: 'sms_week', channels: ['sms'], windowHours: 168, max: 2 },
  { id: 'call_week', channels: ['call'], windowHours: 168, max: 1 },
  { id: 'push_week', channels: ['push'], windowHours: 168, max: 3 },
  { id: 'wechat_week', channels: ['wechat'], windowHours: 168, max: 2 },
  { id: 'email_week', channels: ['email'], windowHours: 168, max: 2 },
  { id: 'all_day', channels: 'all', windowHours: 24, max: 2 },
  { id: 'all_week', channels: 'all', windowHours: 168, max: 4 },
];

const capsParam: ParamDef<FrequencyCap[]> = {
  type: 'list',
  default: DEFAULT_CAPS,
  unit: 'marketing contacts per rolling window',
  bounds: { min: 0, max: 50 },
  values: null,
  tighten: 'decrease',
  tightenOnly: false,
  description: {
    zh: '每位客户的营销触达频次上限（按渠道与跨渠道，滚动窗口）',
    en: 'Per-customer caps on marketing contacts, per channel and across channels, over rolling windows',
  },
  schema: capListSchema,
};

const R = PRODUCT_RISK_LEVELS;
const riskCap = (level: CustomerRiskLevel, def: ProductRiskLevel) =>
  enumParam(R, def, {
    tighten: 'decrease',
    tightenOnly: true,
    description: {
      zh: `${level}客户可营销/销售的最高产品风险等级`,
      en: `Highest product risk a ${level} customer may be offered or sold`,
    },
  });

const DEFAULT_OPT_OUT_KEYWORDS = ['TD', 'T', '退订', '取消订阅', '拒收', 'STOP', 'UNSUBSCRIBE'];

/** Every rule parameter, keyed by rule id and parameter name. */
export const PARAM_DEFS = {
  S3: {
    maxRiskForC1: riskCap('C1', 'R1'),
    maxRiskForC2: riskCap('C2', 'R2'),
    maxRiskForC3: riskCap('C3', 'R3'),
    maxRiskForC4: riskCap('C4', 'R4'),
    maxRiskForC5: riskCap('C5', 'R5'),
  },
  S5: {
    faceToFaceFamilies: enumListParam(PRODUCT_FAMILIES, ['wealth'], {
      tighten: 'superset',
      tightenOnly: true,
      description: {
        zh: '首次购买前须在网点面对面完成风险评估的产品类别',
        en: 'Product families whose first purchase requires a face-to-face assessment at a branch',
      },
    }),
  },
  S6: {
    validityMonths: numberParam('duration', 12, {
      unit: 'months',
      min: 1,
      max: 36,
      tighten: 'decrease',
      tightenOnly: true,
      description: { zh: '风险评估有效期', en: 'Validity of a risk assessment' },
    }),
    unassessedMaxRisk: enumParam(R, 'R1', {
      tighten: 'decrease',
      tightenOnly: true,
      description: {
        zh: '未评估或评估过期客户可营销的最高产品风险等级',
        en: 'Highest product risk offered to an unassessed or expired customer',
      },
    }),
  },
  S7: {
    maxAttemptsPerDay: numberParam('number', 2, {
      unit: 'attempts per Shanghai calendar day',
      min: 1,
      max: 10,
      tighten: 'decrease',
      tightenOnly: true,
      description: {
        zh: '每个自然日最多可完成的风险评估次数（含首次）',
        en: 'Maximum assessment attempts per calendar day, the first included',
      },
    }),
  },
  S8: {
    seniorAge: numberParam('number', 65, {
      unit: 'years',
      min: 50,
      max: 100,
      tighten: 'decrease',
      tightenOnly: true,
      description: { zh: '适用老年客户特别保护的年龄', en: 'Age from which senior protections apply' },
    }),
    seniorMaxProactiveRisk: enumParam(R, 'R3', {
      tighten: 'decrease',
      tightenOnly: true,
      description: {
        zh: '可向老年客户主动营销的最高产品风险等级',
        en: 'Highest product risk that may be proactively marketed to a senior customer',
      },
    }),
    seniorExtraWarningFromRisk: enumParam(R, 'R3', {
      tighten: 'decrease',
      tightenOnly: true,
      description: {
        zh: '向老年客户展示额外风险提示的起始产品风险等级',
        en: 'Product risk from which a senior customer gets an extra risk warning',
      },
    }),
  },
  S9: {
    noExperienceMaxProactiveRisk: enumParam(R, 'R3', {
      tighten: 'decrease',
      tightenOnly: true,
      description: {
        zh: '可向无投资经验客户主动营销的最高产品风险等级',
        en: 'Highest product risk that may be proactively marketed to a customer without investment experience',
      },
    }),
  },
  S10: {
    defaultInvestorType: enumParam(['ordinary'], 'ordinary', {
      tighten: 'none',
      tightenOnly: true,
      description: { zh: '客户默认投资者类别', en: 'Default investor classification of a customer' },
    }),
  },
  S11: {
    coolingOffHours: numberParam('duration', 24, {
      unit: 'hours',
      min: 24,
      max: 24 * 30,
      tighten: 'increase',
      tightenOnly: true,
      description: { zh: '私募产品签约后的冷静期', en: 'Cooling-off period after signing a private product' },
    }),
  },
  S12: {
    dualRecordingFamilies: enumListParam(
      PRODUCT_FAMILIES,
      ['wealth', 'wealth_company', 'agency_fund', 'agency_insurance', 'agency_trust', 'private_fund'],
      {
        tighten: 'superset',
        tightenOnly: true,
        description: { zh: '须双录销售的产品类别', en: 'Product families whose sale must be audio+video recorded' },
      },
    ),
    dualRecordingChannels: stringListParam(['branch'], {
      item: z.enum(['branch', 'call', 'rm_task', 'app', 'web']),
      minItems: 1,
      tighten: 'superset',
      tightenOnly: true,
      description: { zh: '须双录的销售渠道', en: 'Sales channels on which dual recording is required' },
    }),
    retentionMonthsAfterProductEnd: numberParam('duration', 6, {
      unit: 'months',
      min: 6,
      max: 600,
      tighten: 'increase',
      tightenOnly: true,
      description: {
        zh: '双录资料在产品到期后的保存期限',
        en: 'Retention of dual recordings after the product ends',
      },
    }),
  },
  M2: {
    minPerformanceHistoryMonths: numberParam('duration', 1, {
      unit: 'months',
      min: 1,
      max: 120,
      tighten: 'increase',
      tightenOnly: true,
      description: {
        zh: '可展示过往业绩所需的最短运作期',
        en: 'Minimum operating history before past performance may be shown',
      },
    }),
  },
  M11: {
    allowedLinkDomains: stringListParam([], {
      item: z
        .string()
        .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a lower-case domain name'),
      maxItems: 100,
      tighten: 'none',
      tightenOnly: false,
      description: { zh: '营销文案中允许链接的本行域名', en: "The bank's own domains that copy may link to" },
    }),
  },
  M12: {
    optOutKeywords: stringListParam(DEFAULT_OPT_OUT_KEYWORDS, {
      item: z.string().trim().min(1).max(20),
      minItems: 1,
      maxItems: 100,
      tighten: 'superset',
      tightenOnly: true,
      description: {
        zh: '客户回复后即退订短信营销的关键词',
        en: 'Inbound keywords that withdraw SMS marketing consent',
      },
    }),
    optOutMaxProcessingHours: numberParam('duration', 24, {
      unit: 'hours',
      min: 1,
      max: 72,
      tighten: 'decrease',
      tightenOnly: true,
      description: {
        zh: '退订指令的最长处理时限（一个处理周期）',
        en: 'Longest time to process an opt-out (one processing cycle)',
      },
    }),
    requireSmsSignature: booleanParam(true, {
      tighten: 'enable',
      tightenOnly: true,
      description: {
        zh: '营销短信须带【签名】与退订方式',
        en: 'Marketing SMS must carry a 【signature】 and an opt-out',
      },
    }),
  },
  M13: {
    quietHoursStart: timeParam('20:00', {
      tighten: 'earlier',
      tightenOnly: false,
      description: { zh: '免打扰时段开始（上海时间）', en: 'Start of quiet hours (Asia/Shanghai)' },
    }),
    quietHoursEnd: timeParam('09:00', {
      tighten: 'later',
      tightenOnly: false,
      description: { zh: '免打扰时段结束（上海时间）', en: 'End of quiet hours (Asia/Shanghai)' },
    }),
    quietHoursChannels: enumListParam(CONTACT_CHANNELS, ['call', 'sms', 'push'], {
      tighten: 'superset',
      tightenOnly: false,
      description: { zh: '适用免打扰时段的渠道', en: 'Channels to which quiet hours apply' },
    }),
    quietHoursPurposes: enumListParam(['marketing', 'service'], ['marketing'], {
      tighten: 'superset',
      tightenOnly: false,
      description: {
        zh: '适用免打扰时段的触达目的（监管类通知始终可发）',
        en: 'Contact purposes to which quiet hours apply (regulatory notices are always sent)',
      },
    }),
    frequencyCaps: capsParam,
  },
  P5: {
    erasureWindowDays: numberParam('duration', 30, {
      unit: 'days',
      min: 1,
      max: 90,
      tighten: 'decrease',
      tightenOnly: false,
      description: {
        zh: '删除请求后从分析库移除个人信息的时限',
        en: 'Time to remove personal information from analytics after an erasure request',
      },
    }),
  },
  P6: {
    reconsentBlockDays: numberParam('duration', 90, {
      unit: 'days',
      min: 1,
      max: 3650,
      tighten: 'increase',
      tightenOnly: true,
      description: {
        zh: '客户拒绝授权后不得再次请求授权的天数',
        en: 'Days after a consent refusal during which consent may not be asked for again',
      },
    }),
    blockAfterWithdrawal: booleanParam(true, {
      tighten: 'enable',
      tightenOnly: true,
      description: {
        zh: '撤回授权同样视为拒绝，适用再次请求限制',
        en: 'A withdrawal counts as a refusal for the re-prompt block',
      },
    }),
  },
  P9: {
    cardKeepFirst: numberParam('number', 6, {
      unit: 'characters',
      min: 0,
      max: 6,
      tighten: 'decrease',
      tightenOnly: true,
      description: { zh: '卡号/账号显示前几位', en: 'Leading characters of a card/account number shown' },
    }),
    cardKeepLast: numberParam('number', 4, {
      unit: 'characters',
      min: 0,
      max: 4,
      tighten: 'decrease',
      tightenOnly: true,
      description: { zh: '卡号/账号显示后几位', en: 'Trailing characters of a card/account number shown' },
    }),
    idKeepFirst: numberParam('number', 1, {
      unit: 'characters',
      min: 0,
      max: 1,
      tighten: 'decrease',
      tightenOnly: true,
      description: { zh: '证件号码显示前几位', en: 'Leading characters of an ID number shown' },
    }),
    idKeepLast: numberParam('number', 1, {
      unit: 'characters',
      min: 0,
      max: 1,
      tighten: 'decrease',
      tightenOnly: true,
      description: { zh: '证件号码显示后几位', en: 'Trailing characters of an ID number shown' },
    }),
    mobileKeepFirst: numberParam('number', 3, {
      unit: 'characters',
      min: 0,
      max: 3,
      tighten: 'decrease',
      tightenOnly: true,
      description: { zh: '手机号显示前几位', en: 'Leading digits of a mobile number shown' },
    }),
    mobileKeepLast: numberParam('number', 4, {
      unit: 'characters',
      min: 0,
      max: 4,
      tighten: 'decrease',
      tightenOnly: true,
      description: { zh: '手机号显示后几位', en: 'Trailing digits of a mobile number shown' },
    }),
  },
  P10: {
    approvalRequiredFromLevel: numberParam('number', 3, {
      unit: 'JR/T 0197 level',
      min: 1,
      max: 5,
      tighten: 'decrease',
      tightenOnly: true,
      description: {
        zh: '导出须审批并加水印的最低数据级别',
        en: 'Lowest data level whose export needs approval and a watermark',
      },
    }),
    approvalValidDays: numberParam('duration', 7, {
      unit: 'days',
      min: 1,
      max: 90,
      tighten: 'decrease',
      tightenOnly: false,
      description: {
        zh: '导出审批通过后可使用的天数（每个审批限用一次）',
        en: 'Days after its approval during which an export approval may be used (once)',
      },
    }),
  },
  A4: {
    requireAiDisclosure: booleanParam(true, {
      tighten: 'enable',
      tightenOnly: true,
      description: {
        zh: 'AI/数字人外呼与生成内容须标明其为AI',
        en: 'AI outbound calls and generated copy must be disclosed as such',
      },
    }),
  },
} as const;

type ParamDefs = typeof PARAM_DEFS;
type ValueOf<D> = D extends ParamDef<infer T> ? T : never;

/** Effective, validated rule parameters, keyed by rule id. */
export type RuleParams = {
  [K in keyof ParamDefs]: { [P in keyof ParamDefs[K]]: ValueOf<ParamDefs[K][P]> };
};

/** A settings override: any subset of rules and, within a rule, any subset of its parameters. */
export type RuleParamsOverride = {
  [K in keyof ParamDefs]?: { [P in keyof ParamDefs[K]]?: ValueOf<ParamDefs[K][P]> };
};

export type ParameterisedRuleId = keyof ParamDefs;

function entries<T extends object>(o: T): [keyof T & string, T[keyof T]][] {
  return Object.entries(o) as [keyof T & string, T[keyof T]][];
}

function buildOverrideSchema(): z.ZodType<RuleParamsOverride> {
  const shape: Record<string, z.ZodType> = {};
  for (const [ruleId, defs] of entries(PARAM_DEFS)) {
    const inner: Record<string, z.ZodType> = {};
    for (const [name, def] of entries(defs as Record<string, ParamDef<unknown>>)) inner[name] = def.schema.optional();
    shape[ruleId] = z.object(inner).strict().optional();
  }
  return z.object(shape).strict() as unknown as z.ZodType<RuleParamsOverride>;
}

/** zod schema of a settings override object (unknown rule or parameter names are rejected). */
export const ruleParamsOverrideSchema: z.ZodType<RuleParamsOverride> = buildOverrideSchema();

function buildDefaults(): RuleParams {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [ruleId, defs] of entries(PARAM_DEFS)) {
    const inner: Record<string, unknown> = {};
    for (const [name, def] of entries(defs as Record<string, ParamDef<unknown>>))
      inner[name] = structuredClone(def.default);
    out[ruleId] = inner;
  }
  return out as RuleParams;
}

/** The rulebook defaults. Treat as read-only (it is deeply frozen). */
export const DEFAULT_RULE_PARAMS: RuleParams = deepFreeze(buildDefaults());

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export interface RuleParamIssue {
  /** "S6.validityMonths", or a rule id / "(root)" for a structural problem. */
  param: string;
  reason: string;
}

/** Thrown by `resolveRuleParams`; `message` lists every issue as "<param>: <reason>". */
export class RuleParamsError extends Error {
  readonly issues: RuleParamIssue[];
  constructor(issues: RuleParamIssue[]) {
    super(`invalid rule settings: ${issues.map((i) => `${i.param}: ${i.reason}`).join('; ')}`);
    this.name = 'RuleParamsError';
    this.issues = issues;
  }
}

function fmt(value: unknown): string {
  return JSON.stringify(value);
}

/** Returns a reason when `next` loosens `def` relative to its default, else null. */
function looseningReason(def: ParamDef<unknown>, next: unknown): string | null {
  const base = def.default;
  switch (def.tighten) {
    case 'none':
      return fmt(next) === fmt(base) ? null : `is fixed by the rulebook at ${fmt(base)}; got ${fmt(next)}`;
    case 'decrease':
    case 'increase': {
      let a: number;
      let b: number;
      if (typeof base === 'number' && typeof next === 'number') {
        a = base;
        b = next;
      } else if (def.values && typeof base === 'string' && typeof next === 'string') {
        a = def.values.indexOf(base);
        b = def.values.indexOf(next);
      } else {
        return 'cannot be compared with its default';
      }
      const unit = def.unit ? ` ${def.unit}` : '';
      if (def.tighten === 'decrease' && b > a)
        return `may only be tightened (lowered) from the default ${fmt(base)}${unit}; got ${fmt(next)}`;
      if (def.tighten === 'increase' && b < a)
        return `may only be tightened (raised) from the default ${fmt(base)}${unit}; got ${fmt(next)}`;
      return null;
    }
    case 'superset':
    case 'subset': {
      if (!Array.isArray(base) || !Array.isArray(next)) return 'cannot be compared with its default';
      const nextSet = new Set(next.map((x) => fmt(x)));
      const baseSet = new Set(base.map((x) => fmt(x)));
      if (def.tighten === 'superset') {
        const missing = base.filter((x) => !nextSet.has(fmt(x)));
        return missing.length === 0
          ? null
          : `may only be extended; it must keep the default items ${missing.map(fmt).join(', ')}`;
      }
      const extra = next.filter((x) => !baseSet.has(fmt(x)));
      return extra.length === 0
        ? null
        : `may only be narrowed; items ${extra.map(fmt).join(', ')} are not in the default`;
    }
    case 'enable':
      return base === true && next !== true ? 'may not be switched off (the rulebook requires it)' : null;
    case 'disable':
      return base === false && next !== false ? 'may not be switched on (the rulebook forbids it)' : null;
    case 'earlier':
    case 'later':
      // Times of day on a circular clock have no safe strictness order; such parameters are never tightenOnly.
      return 'cannot be enforced as tighten-only';
  }
}

/**
 * Validates a settings override (typically from the operational store, so `unknown`) and returns
 * the effective parameters: defaults overlaid with the override. Throws `RuleParamsError` naming
 * each offending parameter: wrong type or bounds, unknown name, or a loosening of a tighten-only
 * parameter.
 */
export function resolveRuleParams(overrides: unknown = {}): RuleParams {
  const parsed = ruleParamsOverrideSchema.safeParse(overrides ?? {});
  if (!parsed.success) {
    throw new RuleParamsError(
      parsed.error.issues.map((issue) => {
        const path = issue.path.map(String).join('.') || '(root)';
        if (issue.code === 'unrecognized_keys') {
          const where = path === '(root)' ? 'rule' : 'parameter';
          return { param: path, reason: `unknown ${where} ${issue.keys.map((k) => `"${k}"`).join(', ')}` };
        }
        return { param: path, reason: issue.message };
      }),
    );
  }
  const issues: RuleParamIssue[] = [];
  const result = buildDefaults() as unknown as Record<string, Record<string, unknown>>;
  for (const [ruleId, values] of Object.entries(parsed.data as Record<string, Record<string, unknown> | undefined>)) {
    if (!values) continue;
    const defs = PARAM_DEFS[ruleId as ParameterisedRuleId] as Record<string, ParamDef<unknown>>;
    const target = result[ruleId]!;
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) continue;
      const def = defs[name]!;
      if (def.tightenOnly) {
        const reason = looseningReason(def, value);
        if (reason) {
          issues.push({ param: `${ruleId}.${name}`, reason });
          continue;
        }
      }
      target[name] = structuredClone(value);
    }
  }
  const m13 = result.M13 as RuleParams['M13'];
  if (m13.quietHoursStart === m13.quietHoursEnd) {
    issues.push({
      param: 'M13.quietHoursEnd',
      reason: 'must differ from M13.quietHoursStart (to switch quiet hours off, empty M13.quietHoursChannels)',
    });
  }
  if (issues.length > 0) throw new RuleParamsError(issues);
  return result as unknown as RuleParams;
}

/** The S3 matrix: the highest product risk each customer level may be offered. */
export function maxRiskFor(level: CustomerRiskLevel, params: RuleParams): ProductRiskLevel {
  switch (level) {
    case 'C1':
      return params.S3.maxRiskForC1;
    case 'C2':
      return params.S3.maxRiskForC2;
    case 'C3':
      return params.S3.maxRiskForC3;
    case 'C4':
      return params.S3.maxRiskForC4;
    case 'C5':
      return params.S3.maxRiskForC5;
  }
}

// ---------------------------------------------------------------------------------------------
// The rules
// ---------------------------------------------------------------------------------------------

export const RULE_CATEGORIES = ['suitability', 'marketing_copy', 'personal_information', 'fraud'] as const;
export type RuleCategory = (typeof RULE_CATEGORIES)[number];

export const RULE_IDS = [
  'S1',
  'S2',
  'S3',
  'S4',
  'S5',
  'S6',
  'S7',
  'S8',
  'S9',
  'S10',
  'S11',
  'S12',
  'M1',
  'M2',
  'M3',
  'M4',
  'M5',
  'M6',
  'M7',
  'M8',
  'M9',
  'M10',
  'M11',
  'M12',
  'M13',
  'P1',
  'P2',
  'P3',
  'P4',
  'P5',
  'P6',
  'P7',
  'P8',
  'P9',
  'P10',
  'A1',
  'A2',
  'A3',
  'A4',
] as const;
export type RuleId = (typeof RULE_IDS)[number];
export const ruleIdSchema = z.enum(RULE_IDS);

/** [V] read in the legal text; [S] secondary sources; [U] industry practice / unverified. */
export type Confidence = 'V' | 'S' | 'U';

export interface RuleDef {
  id: RuleId;
  category: RuleCategory;
  title: LocalizedText;
  citation: string;
  /** The weakest confidence the rulebook gives the rule ("S/U" → 'U'). */
  confidence: Confidence;
  summary: LocalizedText;
  parameters: Record<string, ParamDef<unknown>>;
}

type RuleText = Omit<RuleDef, 'parameters'>;

const RULE_TEXT: readonly RuleText[] = [
  {
    id: 'S1',
    category: 'suitability',
    title: { zh: '产品风险评级', en: 'Product risk rating' },
    citation: '商业银行理财产品销售管理办法 (2011) Art. 24; 金融机构产品适当性管理办法 (NFRA 2025 No. 7)',
    confidence: 'S',
    summary: {
      zh: '每个产品须有R1–R5风险评级及生效日期，并可定期复核；无有效评级的产品不得营销或销售。',
      en: 'Every product carries an R1–R5 risk rating with an effective date, reviewable over time; a product without an effective rating is never offered or sold.',
    },
  },
  {
    id: 'S2',
    category: 'suitability',
    title: { zh: '客户风险承受能力等级', en: 'Customer risk-tolerance level' },
    citation: '金融机构产品适当性管理办法 (NFRA 2025 No. 7) — attribution not in the rulebook; verify',
    confidence: 'S',
    summary: {
      zh: '每位客户通过风险评估问卷获得C1保守、C2稳健、C3平衡、C4成长、C5进取之一的等级。',
      en: 'Every customer has a level C1 conservative, C2 prudent, C3 balanced, C4 growth or C5 aggressive, from the questionnaire.',
    },
  },
  {
    id: 'S3',
    category: 'suitability',
    title: { zh: '风险等级匹配', en: 'Risk matching' },
    citation: '金融机构产品适当性管理办法 (NFRA 2025 No. 7) — attribution not in the rulebook; verify',
    confidence: 'S',
    summary: {
      zh: 'Cn客户只能被营销或购买不高于Rn的产品；不适当的产品不得推荐、推送或写入话术，营销中无例外。',
      en: 'A Cn customer may be offered or sold products up to Rn only; an unsuitable product is never offered, pushed or scripted.',
    },
  },
  {
    id: 'S4',
    category: 'suitability',
    title: { zh: '风险评估问卷内容', en: 'Questionnaire coverage' },
    citation: '金融机构产品适当性管理办法 (NFRA 2025 No. 7) — attribution not in the rulebook; verify',
    confidence: 'S',
    summary: {
      zh: '问卷覆盖年龄、财务状况、投资经验、投资目的、收益预期、风险偏好、流动性需求、风险认知与损失承受能力，评分映射至C1–C5。',
      en: 'The questionnaire covers age, financial status, investment experience, purpose, return expectation, risk preference, liquidity needs, risk awareness and loss tolerance; scores map to C1–C5.',
    },
  },
  {
    id: 'S5',
    category: 'suitability',
    title: { zh: '首次购买面签评估', en: 'Face-to-face first assessment' },
    citation:
      '商业银行理财业务监督管理办法 (2018); 理财公司理财产品销售管理暂行办法 (2021) — attribution not in the rulebook; verify',
    confidence: 'S',
    summary: {
      zh: '首次购买本行理财产品前须在网点当面完成风险评估；理财公司产品可线上评估。',
      en: "Before a first purchase of the bank's own wealth products the assessment is done face to face at a branch; wealth-company products may be assessed online.",
    },
  },
  {
    id: 'S6',
    category: 'suitability',
    title: { zh: '评估有效期', en: 'Assessment validity' },
    citation: '金融机构产品适当性管理办法 (NFRA 2025 No. 7) — attribution not in the rulebook; verify',
    confidence: 'S',
    summary: {
      zh: '评估超过12个月或客户情况发生重大变化即失效，视同未评估：仅可营销R1产品并提示重新评估。',
      en: 'An assessment older than 12 months, or predating a material change, is expired: the customer is treated as unassessed (R1 only) and prompted to re-assess.',
    },
  },
  {
    id: 'S7',
    category: 'suitability',
    title: { zh: '评估真实性', en: 'Genuine assessment' },
    citation:
      '金融机构产品适当性管理办法 (NFRA 2025 No. 7); industry practice for retake limits — attribution not in the rulebook; verify',
    confidence: 'U',
    summary: {
      zh: '只能由客户本人在已认证会话中完成，员工不得代填或诱导；每次评估留痕；每日评估次数受限（默认2次）。',
      en: 'Only the customer, in their own authenticated session, completes it; staff may not fill it in or coach; every attempt is audited; attempts per day are limited (default 2).',
    },
  },
  {
    id: 'S8',
    category: 'suitability',
    title: { zh: '老年客户保护', en: 'Senior customers' },
    citation:
      '银行保险机构消费者权益保护管理办法 (2023); industry practice for thresholds — attribution not in the rulebook; verify',
    confidence: 'U',
    summary: {
      zh: '65周岁及以上客户不主动营销R4及以上产品；R3及以上产品须额外风险提示。阈值可配置。',
      en: 'Customers aged 65 or over are not proactively marketed products of R4 or above and get an extra warning on R3 or above. Thresholds are configurable.',
    },
  },
  {
    id: 'S9',
    category: 'suitability',
    title: { zh: '无投资经验客户', en: 'No investment experience' },
    citation: '金融机构产品适当性管理办法 (NFRA 2025 No. 7) — attribution not in the rulebook; verify',
    confidence: 'S',
    summary: {
      zh: '无投资经验的客户不主动营销R4及以上产品。',
      en: 'Customers without investment experience are not proactively offered products of R4 or above.',
    },
  },
  {
    id: 'S10',
    category: 'suitability',
    title: { zh: '普通投资者与专业投资者', en: 'Ordinary vs professional investors' },
    citation: '金融机构产品适当性管理办法 (NFRA 2025 No. 7) — attribution not in the rulebook; verify',
    confidence: 'S',
    summary: {
      zh: '所有客户默认按普通投资者对待，享受全部保护。',
      en: 'Every customer defaults to ordinary investor, with full protections.',
    },
  },
  {
    id: 'S11',
    category: 'suitability',
    title: { zh: '冷静期', en: 'Cooling-off period' },
    citation: '商业银行理财业务监督管理办法 (2018) — attribution not in the rulebook; verify',
    confidence: 'S',
    summary: {
      zh: '私募理财产品签约后至少24小时冷静期，客户可撤销；冷静期内不得就该产品进行营销触达。',
      en: 'Private wealth products have a cooling-off period of at least 24 h after signing; no marketing contact about that product in the window.',
    },
  },
  {
    id: 'S12',
    category: 'suitability',
    title: { zh: '双录', en: 'Dual recording (双录)' },
    citation:
      '银行业金融机构销售专区录音录像管理暂行规定 (银监办发〔2017〕110号) — attribution not in the rulebook; verify',
    confidence: 'S',
    summary: {
      zh: '网点销售理财及代销产品须同步录音录像；工作台标记“需双录”并记录录像编号；保存至产品到期后至少6个月。',
      en: 'Branch sales of wealth and agency products are audio+video recorded; the workbench marks "needs 双录" and records the reference; kept ≥ 6 months after the product ends.',
    },
  },
  {
    id: 'M1',
    category: 'marketing_copy',
    title: { zh: '理财风险提示语', en: 'Wealth-product risk warning' },
    citation: '商业银行理财业务监督管理办法 (2018) — attribution not in the rulebook; verify',
    confidence: 'S',
    summary: {
      zh: '理财产品宣传材料须醒目载明“理财非存款、产品有风险、投资须谨慎”。',
      en: 'Wealth-product materials prominently carry "理财非存款、产品有风险、投资须谨慎".',
    },
  },
  {
    id: 'M2',
    category: 'marketing_copy',
    title: { zh: '过往业绩展示', en: 'Past performance' },
    citation: '理财公司理财产品销售管理暂行办法 (2021) — attribution not in the rulebook; verify',
    confidence: 'S',
    summary: {
      zh: '展示过往业绩须附“过往业绩不代表其未来表现”提示、起止日期与同期基准，不得挑选区间；运作不足1个月不得展示。',
      en: 'Past performance only with a "not indicative of future results" warning, start and end dates and a same-period benchmark; no cherry-picking; not shown with < 1 month of history.',
    },
  },
  {
    id: 'M3',
    category: 'marketing_copy',
    title: { zh: '收益表述', en: 'Yield presentation' },
    citation: '理财公司理财产品销售管理暂行办法 (2021) — attribution not in the rulebook; verify',
    confidence: 'S',
    summary: {
      zh: '使用“业绩比较基准”，不得使用“预期收益率”；基准不得单独或突出展示为承诺，并注明“业绩比较基准不构成收益承诺”。',
      en: 'Use 业绩比较基准, never 预期收益率; the benchmark is not shown alone or as a promise, and carries "业绩比较基准不构成收益承诺".',
    },
  },
  {
    id: 'M4',
    category: 'marketing_copy',
    title: { zh: '禁止保本保收益承诺', en: 'No guarantees' },
    citation: '广告法 Art. 25',
    confidence: 'V',
    summary: {
      zh: '不得明示或暗示保本、保收益、无风险等，不得利用专家、协会或受益者作推荐；存款类产品如实表述除外。',
      en: 'No explicit or implied guarantee of principal or return, no risk-free claims, no endorsements; deposits may state capital protection in the legal wording.',
    },
  },
  {
    id: 'M5',
    category: 'marketing_copy',
    title: { zh: '理财宣传慎用词', en: 'Restricted wealth-product words' },
    citation: '理财公司理财产品销售管理暂行办法 (2021) — attribution not in the rulebook; verify',
    confidence: 'S',
    summary: {
      zh: '安全、保证、高收益、低风险、首只、最大等用语须客观真实并有依据，否则预警，合规人员可附证据接受。',
      en: 'Words such as 安全, 保证, 高收益, 低风险, 首只, 最大 need objective evidence; otherwise a warning the compliance officer may accept with an evidence note.',
    },
  },
  {
    id: 'M6',
    category: 'marketing_copy',
    title: { zh: '绝对化用语', en: 'Absolute terms' },
    citation: '广告法 Art. 9(3), Art. 57',
    confidence: 'V',
    summary: {
      zh: '禁止使用国家级、最高级、最佳；最、第一、唯一、顶级按惯例同样处理。',
      en: '国家级, 最高级, 最佳 are forbidden; 最, 第一, 唯一, 顶级 are treated the same by practice.',
    },
  },
  {
    id: 'M7',
    category: 'marketing_copy',
    title: { zh: '营销宣传行为规范', en: 'Marketing conduct notice' },
    citation: '银发〔2019〕316号',
    confidence: 'S',
    summary: {
      zh: '不得误导、隐瞒条件、夸大业绩或偷换概念；员工只能发送经审批的内容；不得擅自发送。',
      en: 'No misleading data, hidden conditions, exaggeration or swapped concepts; staff send only pre-approved content; no unsolicited sending.',
    },
  },
  {
    id: 'M8',
    category: 'marketing_copy',
    title: { zh: '不得暗示监管背书', en: 'No implied regulatory endorsement' },
    citation: '理财公司理财产品销售管理暂行办法 (2021) — attribution not in the rulebook; verify',
    confidence: 'S',
    summary: {
      zh: '不得暗示监管备案或审查为产品提供保证。',
      en: 'The bank may not imply that regulatory filing or review guarantees the product.',
    },
  },
  {
    id: 'M9',
    category: 'marketing_copy',
    title: { zh: '禁止欺诈与捆绑', en: 'No deception or bundling' },
    citation: '银行保险机构消费者权益保护管理办法 (2023) — attribution not in the rulebook; verify',
    confidence: 'S',
    summary: {
      zh: '不得虚假宣传、夸大收益、隐瞒风险或强制捆绑销售。',
      en: 'No deceptive promotion, exaggerated returns, hidden risks or forced bundling.',
    },
  },
  {
    id: 'M10',
    category: 'marketing_copy',
    title: { zh: '广告可识别性', en: 'Identifiable advertising' },
    citation: '广告法 Arts. 14, 44',
    confidence: 'V',
    summary: {
      zh: '广告须可识别；弹窗须可一键关闭；应用内横幅须标注“广告”。',
      en: 'An ad is identifiable as an ad; pop-ups close with one click; in-app banners carry a "广告" label.',
    },
  },
  {
    id: 'M11',
    category: 'marketing_copy',
    title: { zh: '网络营销', en: 'Online marketing' },
    citation: '金融产品网络营销管理办法 (issued 2026-04, in force 2026-09-30)',
    confidence: 'S',
    summary: {
      zh: '仅持牌人员营销；交易在本行平台完成；不得默认勾选；提供便捷的个性化推荐关闭入口。',
      en: "Only licensed staff; purchases happen on the bank's own platform; no pre-ticked boxes; an easy switch to turn off personalised recommendation.",
    },
  },
  {
    id: 'M12',
    category: 'marketing_copy',
    title: { zh: '电子信息营销', en: 'Electronic marketing messages' },
    citation: '广告法 Art. 43; 消费者权益保护法 Art. 29; MIIT Order 31',
    confidence: 'V',
    summary: {
      zh: '须事先取得同意，标明发送者并提供退订方式；短信带【签名】及“回复TD退订”；客户拒绝即停止发送。',
      en: 'Prior consent, the sender shown and an opt-out; SMS carries a 【signature】 and e.g. "回复TD退订"; a refusal stops sending.',
    },
  },
  {
    id: 'M13',
    category: 'marketing_copy',
    title: { zh: '触达时段与频次', en: 'Contact hours and frequency' },
    citation: 'No national figure found; bank policy',
    confidence: 'U',
    summary: {
      zh: '默认20:00–09:00（上海时间）不外呼、不发短信和推送；按渠道与跨渠道限制营销频次。均可配置。',
      en: 'Default quiet hours 20:00–09:00 Asia/Shanghai for calls, SMS and push; per-channel and global caps on marketing. All configurable.',
    },
  },
  {
    id: 'P1',
    category: 'personal_information',
    title: { zh: '知情同意', en: 'Informed consent' },
    citation: '个人信息保护法 Arts. 13–17',
    confidence: 'V',
    summary: {
      zh: '同意须知情、自愿、明确，可像给出时一样便捷地撤回；目的、方式或数据类型变化须重新取得同意。',
      en: 'Consent is informed, voluntary, explicit and as easy to withdraw as to give; re-consent when purpose, method or data type changes.',
    },
  },
  {
    id: 'P2',
    category: 'personal_information',
    title: { zh: '敏感个人信息单独同意', en: 'Separate consent for sensitive PI' },
    citation: '个人信息保护法 Arts. 28–31',
    confidence: 'V',
    summary: {
      zh: '处理金融账户、生物识别、行踪轨迹等敏感个人信息须取得单独同意。',
      en: 'Sensitive PI (financial accounts, biometrics, location) needs separate consent.',
    },
  },
  {
    id: 'P3',
    category: 'personal_information',
    title: { zh: '向第三方提供', en: 'Sharing with third parties' },
    citation: '个人信息保护法 Art. 23',
    confidence: 'V',
    summary: {
      zh: '向其他处理者提供个人信息须取得载明接收方与目的的单独同意。',
      en: 'Sharing with another processor needs separate consent naming the recipient and purpose.',
    },
  },
  {
    id: 'P4',
    category: 'personal_information',
    title: { zh: '自动化决策与个性化推荐', en: 'Automated decisions and personalisation' },
    citation: '个人信息保护法 Art. 24; 互联网信息服务算法推荐管理规定 Arts. 16–17',
    confidence: 'V',
    summary: {
      zh: '提供不针对个人特征的选项或便捷拒绝方式；关闭后立即停止个性化，客户可查看和删除标签。',
      en: 'Offer a non-personalised option or easy refusal; switching off stops personalisation at once; customers may see and delete their tags.',
    },
  },
  {
    id: 'P5',
    category: 'personal_information',
    title: { zh: '拒绝、限制与删除', en: 'Refuse, restrict, delete' },
    citation: '个人信息保护法 Arts. 6, 19, 44, 47',
    confidence: 'V',
    summary: {
      zh: '客户有权拒绝、限制、删除；最小必要收集；按数据类别设定保存期限。',
      en: 'Rights to refuse, restrict and delete; minimum collection; retention limits per data class.',
    },
  },
  {
    id: 'P6',
    category: 'personal_information',
    title: { zh: '拒绝后不得频繁征询', en: 'No repeated asking after a refusal' },
    citation: '网络数据安全管理条例 Arts. 22, 24, 42',
    confidence: 'V',
    summary: {
      zh: '客户拒绝授权后90天内（可配置）不得再次请求同一授权。',
      en: 'After a consent refusal, no re-prompt for the same consent for 90 days (configurable).',
    },
  },
  {
    id: 'P7',
    category: 'personal_information',
    title: { zh: '金融信息用于营销', en: 'Financial data for marketing' },
    citation: 'PBoC 2020 No. 5 (中国人民银行金融消费者权益保护实施办法)',
    confidence: 'S',
    summary: {
      zh: '客户自主选择是否同意将其金融信息用于营销和市场调查，默认不同意。',
      en: 'Customers opt in to the use of their financial data for marketing or market research.',
    },
  },
  {
    id: 'P8',
    category: 'personal_information',
    title: { zh: '金融数据分类（C1/C2/C3）', en: 'Data classes C1/C2/C3' },
    citation: 'JR/T 0171-2020',
    confidence: 'S',
    summary: {
      zh: 'C3鉴别信息不得存储或记录；C2身份与金融信息加密存储、脱敏展示；C1为内部信息。',
      en: 'C3 authentication data is never stored or logged; C2 identity and financial data is encrypted at rest and masked on display; C1 is internal.',
    },
  },
  {
    id: 'P9',
    category: 'personal_information',
    title: { zh: '展示脱敏', en: 'Display masking' },
    citation: 'JR/T 0171-2020 (annex not read; defaults are practice)',
    confidence: 'U',
    summary: {
      zh: '卡号/账号保留前6后4位，证件号保留首末各1位，手机号保留前3后4位，姓名保留姓；明文查看须授权、说明理由并审计。',
      en: 'Card/account first 6 + last 4, ID first 1 + last 1, mobile first 3 + last 4, name surname only; an unmasked view needs a permission, a reason and an audit record.',
    },
  },
  {
    id: 'P10',
    category: 'personal_information',
    title: { zh: '数据安全分级', en: 'Data security levels' },
    citation: 'JR/T 0197-2020',
    confidence: 'S',
    summary: {
      zh: '数据分1–5级；3级及以上数据导出须审批并附导出人水印。',
      en: "Data levels 1–5; exports of level 3 or above need approval and carry the exporter's watermark.",
    },
  },
  {
    id: 'A1',
    category: 'fraud',
    title: { zh: '反诈数据不得用于营销', en: 'Anti-fraud data not for marketing' },
    citation: '反电信网络诈骗法 Arts. 16, 18',
    confidence: 'V',
    summary: {
      zh: '设备指纹、IP、开户风险等反诈数据标记为仅限反诈，标签编译器拒绝用于营销。',
      en: 'Device fingerprints, IPs and account-opening risk data are tagged anti-fraud-only; the tag compiler refuses them.',
    },
  },
  {
    id: 'A2',
    category: 'fraud',
    title: { zh: '涉诈客户排除', en: 'Fraud-restricted customers' },
    citation: '反电信网络诈骗法 Arts. 31–32',
    confidence: 'V',
    summary: {
      zh: '涉及出租出借账户或涉诈的客户排除于营销活动与线上推荐之外。',
      en: 'Customers flagged for renting or selling accounts or fraud are excluded from campaigns and online offers.',
    },
  },
  {
    id: 'A3',
    category: 'fraud',
    title: { zh: '不营销名单', en: 'Do-not-market set' },
    citation: 'Union of M12, P1, P4, S11, S8, A2 and account status (S8 is [S/U], so the union is rated U)',
    confidence: 'U',
    summary: {
      zh: '退订、撤回同意、拒收商业信息、关闭个性化（对个性化内容）、冷静期内的该产品、65岁以上对R4及以上、涉诈、身故或销户客户，均不得营销。',
      en: 'Opt-outs, withdrawn consent, refusals, personalisation off (for personalised content), cooling-off for that product, 65+ for R4+, fraud-restricted, deceased or closed accounts are never marketed to.',
    },
  },
  {
    id: 'A4',
    category: 'fraud',
    title: { zh: 'AI外呼披露', en: 'AI outreach disclosure' },
    citation: 'Industry practice',
    confidence: 'U',
    summary: {
      zh: 'AI或数字人外呼及生成内容须标明其为AI。',
      en: 'AI or digital-human outreach and generated copy are disclosed as such.',
    },
  },
];

/** The registry: all rules in rulebook order, each with its parameter definitions. */
export const RULES: readonly RuleDef[] = RULE_TEXT.map((rule) => ({
  ...rule,
  parameters: (PARAM_DEFS as Record<string, Record<string, ParamDef<unknown>>>)[rule.id] ?? {},
}));

const RULES_BY_ID = new Map<string, RuleDef>(RULES.map((r) => [r.id, r]));

export function getRule(id: RuleId): RuleDef {
  return RULES_BY_ID.get(id)!;
}

export type ParamDescription = Omit<ParamDef<unknown>, 'schema'> & { value: unknown };
export type RuleDescription = Omit<RuleDef, 'parameters'> & { parameters: Record<string, ParamDescription> };

/** JSON-safe view of the registry (parameter schemas removed) with the effective values, for the console and the CLI. */
export function describeRules(params: RuleParams = DEFAULT_RULE_PARAMS): RuleDescription[] {
  return RULES.map((rule) => ({
    id: rule.id,
    category: rule.category,
    title: rule.title,
    citation: rule.citation,
    confidence: rule.confidence,
    summary: rule.summary,
    parameters: Object.fromEntries(
      Object.entries(rule.parameters).map(([name, def]) => {
        const { schema: _schema, ...rest } = def;
        const current = (params as unknown as Record<string, Record<string, unknown>>)[rule.id]?.[name];
        return [name, { ...rest, value: current }];
      }),
    ),
  }));
}
