import { z } from 'zod';

/** Thresholds of the standard catalogue a bank may tune (money in fen). */
export const catalogueOptionsSchema = z
  .object({
    /** wealth.tier bounds on the 3-month average AUM: affluent from, high-net-worth from. */
    affluentFromFen: z.number().int().positive().default(50_000_000),
    hnwFromFen: z.number().int().positive().default(600_000_000),
    /** persona.quasi_middle_class: household monthly income bound. */
    quasiMiddleIncomeFen: z.number().int().positive().default(2_000_000),
    /** lifecycle.stage: churned when AUM below this and inactive for churnInactiveDays. */
    churnAumFen: z.number().int().nonnegative().default(10_000),
    churnInactiveDays: z.number().int().positive().default(180),
    newCustomerDays: z.number().int().positive().default(90),
    activeDays: z.number().int().positive().default(30),
    dormantDays: z.number().int().positive().default(90),
    /** interest.*: category share of 180-day spend above which the interest is set. */
    interestShare: z.number().min(0).max(1).default(0.15),
    /** risk.level: an assessment older than this is expired (S6). */
    riskValidityDays: z.number().int().positive().default(365),
    /** value.contribution_12m: estimated annual margin on AUM and on loans outstanding. */
    aumMargin: z.number().min(0).max(1).default(0.01),
    loanMargin: z.number().min(0).max(1).default(0.02),
  })
  .strict()
  .refine((o) => o.hnwFromFen > o.affluentFromFen, { message: 'must exceed affluentFromFen', path: ['hnwFromFen'] })
  // cooling lies between active and dormant, so it needs at least one day
  .refine((o) => o.dormantDays > o.activeDays + 1, {
    message: 'must exceed activeDays by at least 2 (cooling lies between them)',
    path: ['dormantDays'],
  })
  .refine((o) => o.churnInactiveDays >= o.dormantDays, {
    message: 'must be at least dormantDays',
    path: ['churnInactiveDays'],
  });

export type CatalogueOptions = z.infer<typeof catalogueOptionsSchema>;

/** A percentage for a description: 0.0070000000000000001 → "0.7" (fractions carry binary noise). */
export function percentText(fraction: number): string {
  return String(Math.round(fraction * 1e6) / 1e4);
}

/**
 * A catalogue threshold as a bank's administrator sets it (PRODUCT §B: "configurable AUM bounds"): a setting key in
 * the units people use (yuan, days, percent), its range, and the option it feeds (fen, days, fraction). The risk
 * assessment's validity is not here: rule S6 fixes it at twelve months.
 */
export interface CatalogueSetting {
  key: string;
  option: Exclude<keyof CatalogueOptions, 'riskValidityDays'>;
  unit: 'yuan' | 'days' | 'percent';
  min: number;
  max: number;
  description: { zh: string; en: string };
}

const setting = (
  key: string,
  option: CatalogueSetting['option'],
  unit: CatalogueSetting['unit'],
  [min, max]: [number, number],
  zh: string,
  en: string,
): CatalogueSetting => ({ key, option, unit, min, max, description: { zh, en } });

export const catalogueSettings: readonly CatalogueSetting[] = [
  setting(
    'segmentation.wealthAffluentFromYuan',
    'affluentFromFen',
    'yuan',
    [1, 1e10],
    '财富分层：富裕客户起点（近3个月末AUM均值，元）',
    'wealth tier: affluent from (average AUM of the last 3 month-ends, yuan)',
  ),
  setting(
    'segmentation.wealthHnwFromYuan',
    'hnwFromFen',
    'yuan',
    [1, 1e10],
    '财富分层：高净值客户起点（元）',
    'wealth tier: high-net-worth from (yuan)',
  ),
  setting(
    'segmentation.quasiMiddleIncomeYuan',
    'quasiMiddleIncomeFen',
    'yuan',
    [1, 1e8],
    '类中产画像：家庭月收入起点（元）',
    'quasi-middle-class persona: household monthly income from (yuan)',
  ),
  setting(
    'segmentation.lifecycleNewDays',
    'newCustomerDays',
    'days',
    [1, 3650],
    '生命周期：开户不足多少天为新客',
    'lifecycle: new while onboarded fewer days than this',
  ),
  setting(
    'segmentation.lifecycleActiveDays',
    'activeDays',
    'days',
    [1, 3650],
    '生命周期：多少天内有主动交易或登录为活跃',
    'lifecycle: active with a customer-initiated transaction or login within this many days',
  ),
  setting(
    'segmentation.lifecycleDormantDays',
    'dormantDays',
    'days',
    [1, 3650],
    '生命周期：无活动多少天起为沉睡',
    'lifecycle: dormant from this many days without activity',
  ),
  setting(
    'segmentation.lifecycleChurnDays',
    'churnInactiveDays',
    'days',
    [1, 3650],
    '生命周期：低余额且无活动多少天起为流失',
    'lifecycle: churned with a low balance and no activity for this many days',
  ),
  setting(
    'segmentation.lifecycleChurnAumYuan',
    'churnAumFen',
    'yuan',
    [0, 1e8],
    '生命周期：流失判定的AUM上限（元，低于此值）',
    'lifecycle: churned below this AUM (yuan)',
  ),
  setting(
    'segmentation.interestSharePercent',
    'interestShare',
    'percent',
    [1, 100],
    '兴趣偏好：某类消费占近180天消费的比例达到多少（%）',
    'interests: share of 180-day spend in a category from which the interest is set (%)',
  ),
  setting(
    'segmentation.aumMarginPercent',
    'aumMargin',
    'percent',
    [0, 100],
    '贡献度：AUM年化收益率估算（%）',
    'contribution: estimated annual margin on AUM (%)',
  ),
  setting(
    'segmentation.loanMarginPercent',
    'loanMargin',
    'percent',
    [0, 100],
    '贡献度：贷款年化收益率估算（%）',
    'contribution: estimated annual margin on loans outstanding (%)',
  ),
];

const defaults = catalogueOptionsSchema.parse({});

/** A setting's value → its option's value. */
function toOption(s: CatalogueSetting, value: number): number {
  if (s.unit === 'yuan') return Math.round(value * 100);
  if (s.unit === 'percent') return Math.round(value * 1e4) / 1e6;
  return value;
}

/** The setting's value that gives the catalogue's default. */
export function catalogueSettingDefault(s: CatalogueSetting): number {
  const v = defaults[s.option];
  if (s.unit === 'yuan') return v / 100;
  if (s.unit === 'percent') return Math.round(v * 1e6) / 1e4;
  return v;
}

/** A setting's own schema: a number in its range, whole for days and yuan (percent to two decimals). */
export function catalogueSettingSchema(s: CatalogueSetting): z.ZodType<number> {
  const n = z.number().min(s.min).max(s.max);
  return s.unit === 'percent' ? n.multipleOf(0.01) : n.int();
}

/** The setting key of an option name (unchanged when no setting feeds it). */
function settingOf(name: string): string {
  return catalogueSettings.find((x) => x.option === name)?.key ?? name;
}

/**
 * The catalogue options from the settings (setting key → value; keys of other settings and missing keys ignored,
 * so defaults apply), or the problems named by setting key when the values do not fit together (e.g. a
 * high-net-worth bound not above the affluent one).
 */
export function catalogueOptionsFromSettings(
  values: Readonly<Record<string, unknown>>,
): { ok: true; options: CatalogueOptions } | { ok: false; issues: { key: string; reason: string }[] } {
  const partial: Partial<Record<CatalogueSetting['option'], number>> = {};
  const issues: { key: string; reason: string }[] = [];
  for (const s of catalogueSettings) {
    if (!(s.key in values)) continue;
    const r = catalogueSettingSchema(s).safeParse(values[s.key]);
    if (r.success) partial[s.option] = toOption(s, r.data);
    else issues.push({ key: s.key, reason: r.error.issues[0]?.message ?? 'invalid' });
  }
  if (issues.length) return { ok: false, issues };
  const r = catalogueOptionsSchema.safeParse(partial);
  if (r.success) return { ok: true, options: r.data };
  return {
    ok: false,
    // name the settings people set, not the options behind them, in the field and in the reason
    issues: r.error.issues.map((i) => ({
      key: settingOf(String(i.path[0])),
      reason: i.message.replace(/\b[a-z][A-Za-z]+\b/g, settingOf),
    })),
  };
}
