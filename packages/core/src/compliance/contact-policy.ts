/**
 * Contact policy: may this message go to this customer on this channel at this time? Called on every
 * offer and every send, so it is one pass over the consent and contact histories per check, with no
 * allocation unless something blocks.
 *
 * Decision:
 * - `no`: a hard block — account status (A3 deceased/closed; deceased also stops service messages),
 *   fraud_restricted (A2), missing consent for marketing on the channel (M12/P1), personalised content
 *   without personalised_marketing (P4), financial data used without P7 consent, a product above the
 *   senior ceiling for a customer aged ≥ 65 or of unknown age (S8), undisclosed AI content (A4), or
 *   an explicit opt-out of service messages on the channel.
 * - `not_before`: only time-bound blocks — the product's cooling-off window (S11), a frequency cap
 *   (M13) or quiet hours (M13). `notBefore` is the earliest instant at which all of them are
 *   satisfied together (quiet hours end at 09:00 Shanghai, returned as a UTC Date).
 * - `yes` otherwise. Reasons always list every rule that blocked, so explanations are complete.
 *
 * Purposes: `marketing` is subject to everything; `service` needs no marketing consent, is not
 * capped and is quiet-houred only if configured (`M13.quietHoursPurposes`), but honours an explicit
 * withdrawal/refusal of `service` on that channel; `regulatory` notices always go (except A4).
 *
 * Frequency caps count marketing contacts over rolling windows: a contact at `ts` counts against a
 * send at `t` when `ts > t - window` (a contact recorded after `t`, e.g. already scheduled, counts
 * too). Feeding back every `yes` as a contact therefore keeps every window of every cap within its
 * maximum.
 */
import { z } from 'zod';
import { type ConsentFact, consentEventSchema, consentState } from './consent.ts';
import {
  type ContactChannel,
  contactChannelSchema,
  DEFAULT_RULE_PARAMS,
  formatShanghai,
  HOUR_MS,
  type ProductRiskLevel,
  parseHhMm,
  productRiskLevelSchema,
  type RuleId,
  type RuleParams,
  riskRank,
  shanghaiParts,
  shanghaiToUtc,
} from './rules.ts';
import { ageAt, CUSTOMER_FLAGS, type CustomerFlag } from './suitability.ts';

export const CONTACT_PURPOSES = ['marketing', 'service', 'regulatory'] as const;
export type ContactPurpose = (typeof CONTACT_PURPOSES)[number];

export interface ContactRecord {
  ts: Date;
  channel: ContactChannel;
  purpose: ContactPurpose;
}

export interface ContactCustomer {
  flags: readonly CustomerFlag[];
  /** YYYY-MM-DD; null when unknown (treated as senior for S8). */
  birthDate: string | null;
  /** The preference-centre switch (P4/M11); false blocks personalised content whatever the consents say. */
  personalisedMarketing?: boolean;
}

export interface CoolingOffEntry {
  productId: string;
  signedAt: Date;
}

export interface ContactRequest {
  customer: ContactCustomer;
  channel: ContactChannel;
  purpose: ContactPurpose;
  /** Content chosen or worded from the customer's profile (P4). */
  personalised: boolean;
  /** The offer uses the customer's financial data (holdings, transactions) (P7). */
  usesFinancialData?: boolean;
  /** Content or call produced by AI / a digital human, and whether it is disclosed (A4). */
  aiGenerated?: boolean;
  aiDisclosed?: boolean;
  productId?: string;
  productRisk?: ProductRiskLevel;
  at: Date;
  consents: readonly ConsentFact[];
  contactHistory: readonly ContactRecord[];
  coolingOff: readonly CoolingOffEntry[];
}

const contactRecordSchema = z
  .object({ ts: z.date(), channel: contactChannelSchema, purpose: z.enum(CONTACT_PURPOSES) })
  .strict();

/** zod schema of a contact request, for edges (HTTP, CLI, jobs); the function itself trusts its input. */
export const contactRequestSchema = z
  .object({
    customer: z
      .object({
        flags: z.array(z.enum(CUSTOMER_FLAGS)),
        birthDate: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
          .nullable(),
        personalisedMarketing: z.boolean().optional(),
      })
      .strict(),
    channel: contactChannelSchema,
    purpose: z.enum(CONTACT_PURPOSES),
    personalised: z.boolean(),
    usesFinancialData: z.boolean().optional(),
    aiGenerated: z.boolean().optional(),
    aiDisclosed: z.boolean().optional(),
    productId: z.string().min(1).optional(),
    productRisk: productRiskLevelSchema.optional(),
    at: z.date(),
    consents: z.array(consentEventSchema.pick({ purpose: true, channel: true, status: true, at: true })),
    contactHistory: z.array(contactRecordSchema),
    coolingOff: z.array(z.object({ productId: z.string().min(1), signedAt: z.date() }).strict()),
  })
  .strict();

export interface ContactReason {
  ruleId: RuleId;
  code: string;
  zh: string;
  en: string;
}

export type ContactDecision =
  | { decision: 'yes'; ruleIds: RuleId[]; reasons: ContactReason[] }
  | { decision: 'no'; ruleIds: RuleId[]; reasons: ContactReason[] }
  | { decision: 'not_before'; notBefore: Date; ruleIds: RuleId[]; reasons: ContactReason[] };

const CHANNEL_ZH: Record<ContactChannel, string> = {
  sms: '短信',
  push: '推送',
  wechat: '微信',
  email: '邮件',
  call: '外呼',
  rm_task: '客户经理',
  in_app: '应用内',
};

/** True when `minute` (of the Shanghai day) is inside the quiet window [start, end). */
function inQuiet(minute: number, start: number, end: number): boolean {
  return start > end ? minute >= start || minute < end : minute >= start && minute < end;
}

/** The first instant ≥ `t` outside quiet hours. */
export function nextOutsideQuietHours(t: Date, params: RuleParams = DEFAULT_RULE_PARAMS): Date {
  const start = parseHhMm(params.M13.quietHoursStart);
  const end = parseHhMm(params.M13.quietHoursEnd);
  const p = shanghaiParts(t);
  if (!inQuiet(p.minuteOfDay, start, end)) return t;
  const nextDay = start > end && p.minuteOfDay >= start;
  return shanghaiToUtc(p.year, p.month, p.day + (nextDay ? 1 : 0), end);
}

function capApplies(capChannels: 'all' | readonly ContactChannel[], channel: ContactChannel): boolean {
  return capChannels === 'all' || capChannels.includes(channel);
}

/** Evaluates one contact. Pure; O(consents + contacts × caps). */
export function evaluateContact(req: ContactRequest, params: RuleParams = DEFAULT_RULE_PARAMS): ContactDecision {
  let reasons: ContactReason[] | undefined;
  let hard = false;
  const add = (r: ContactReason, isHard: boolean) => {
    if (!reasons) reasons = [];
    reasons.push(r);
    if (isHard) hard = true;
  };
  const { customer, channel, purpose } = req;
  const at = req.at.getTime();
  const flags = customer.flags;
  const marketing = purpose === 'marketing';

  // A3 / A2: account status.
  if (flags.includes('deceased') && purpose !== 'regulatory') {
    add({ ruleId: 'A3', code: 'customer_deceased', zh: '客户已身故', en: 'customer is deceased' }, true);
  }
  if (marketing && flags.includes('closed')) {
    add({ ruleId: 'A3', code: 'customer_closed', zh: '客户账户已销户', en: 'customer account is closed' }, true);
  }
  if (marketing && flags.includes('fraud_restricted')) {
    add(
      {
        ruleId: 'A2',
        code: 'fraud_restricted',
        zh: '客户被标记为涉诈或出租出借账户，不得营销',
        en: 'customer is flagged for fraud or account renting/selling: no marketing',
      },
      true,
    );
  }

  // A4: AI disclosure, whatever the purpose.
  if (req.aiGenerated && !req.aiDisclosed && params.A4.requireAiDisclosure) {
    add(
      {
        ruleId: 'A4',
        code: 'ai_not_disclosed',
        zh: 'AI生成或AI外呼的内容未标明AI身份',
        en: 'AI-generated content or AI call is not disclosed as such',
      },
      true,
    );
  }

  if (marketing) {
    // M12 / P1: marketing consent on this channel.
    const state = consentState(req.consents, 'marketing', channel);
    if (state !== 'granted') {
      const zhState = state === 'none' ? '未授权' : state === 'withdrawn' ? '已撤回授权（退订）' : '已拒绝';
      const enState =
        state === 'none' ? 'has not consented to' : state === 'withdrawn' ? 'withdrew consent to' : 'refused';
      add(
        {
          ruleId: 'M12',
          code: `marketing_consent_${state}`,
          zh: `客户${zhState}${CHANNEL_ZH[channel]}营销`,
          en: `customer ${enState} marketing by ${channel}`,
        },
        true,
      );
    }
    // P4: personalised content.
    if (req.personalised) {
      const p4 = consentState(req.consents, 'personalised_marketing', channel);
      if (p4 !== 'granted' || customer.personalisedMarketing === false) {
        add(
          {
            ruleId: 'P4',
            code: 'personalisation_off',
            zh: '客户未同意或已关闭个性化推荐，只能发送非个性化内容',
            en: 'customer has not agreed to, or switched off, personalised marketing: only non-personalised content',
          },
          true,
        );
      }
    }
    // P7: financial data used for marketing.
    if (req.usesFinancialData && consentState(req.consents, 'marketing_use_of_financial_data', channel) !== 'granted') {
      add(
        {
          ruleId: 'P7',
          code: 'financial_data_not_consented',
          zh: '客户未同意将其金融信息用于营销',
          en: 'customer has not agreed to the use of their financial data for marketing',
        },
        true,
      );
    }
    // S8: seniors and high-risk products.
    if (req.productRisk !== undefined && riskRank(req.productRisk) > riskRank(params.S8.seniorMaxProactiveRisk)) {
      const age = customer.birthDate === null ? null : ageAt(customer.birthDate, req.at);
      if (age === null || age >= params.S8.seniorAge) {
        add(
          {
            ruleId: 'S8',
            code: age === null ? 'senior_age_unknown' : 'senior_high_risk',
            zh:
              age === null
                ? `客户出生日期未知，按老年客户保护，不得营销${req.productRisk}产品`
                : `客户年龄${age}岁（≥${params.S8.seniorAge}岁），不得营销${req.productRisk}产品`,
            en:
              age === null
                ? `customer birth date unknown, protected as a senior: no marketing of ${req.productRisk} products`
                : `customer is ${age} (≥ ${params.S8.seniorAge}): no marketing of ${req.productRisk} products`,
          },
          true,
        );
      }
    }
  } else if (purpose === 'service') {
    const state = consentState(req.consents, 'service', channel);
    if (state === 'withdrawn' || state === 'refused') {
      add(
        {
          ruleId: 'P5',
          code: `service_${state}`,
          zh: `客户已拒收${CHANNEL_ZH[channel]}服务通知`,
          en: `customer opted out of service messages by ${channel}`,
        },
        true,
      );
    }
  }

  // Time-bound constraints: each gives the earliest instant from which it is satisfied.
  let earliest = at;

  // S11: cooling-off window of this product.
  if (marketing && req.productId !== undefined && req.coolingOff.length > 0) {
    const windowMs = params.S11.coolingOffHours * HOUR_MS;
    let end = Number.NEGATIVE_INFINITY;
    let signed = 0;
    for (const c of req.coolingOff) {
      if (c.productId !== req.productId) continue;
      const e = c.signedAt.getTime() + windowMs;
      if (c.signedAt.getTime() <= at && e > at && e > end) {
        end = e;
        signed = c.signedAt.getTime();
      }
    }
    if (end > at) {
      add(
        {
          ruleId: 'S11',
          code: 'cooling_off',
          zh: `客户于${formatShanghai(new Date(signed))}签约该私募产品，冷静期至${formatShanghai(new Date(end))}，期间不得营销该产品`,
          en: `customer signed this private product at ${formatShanghai(new Date(signed))}; no marketing of it until the cooling-off period ends at ${formatShanghai(new Date(end))} (Asia/Shanghai)`,
        },
        false,
      );
      if (end > earliest) earliest = end;
    }
  }

  // M13: frequency caps (marketing only).
  if (marketing) {
    const caps = params.M13.frequencyCaps;
    const history = req.contactHistory;
    for (const cap of caps) {
      if (!capApplies(cap.channels, channel)) continue;
      const windowMs = cap.windowHours * HOUR_MS;
      const from = at - windowMs;
      let count = 0;
      for (const c of history) {
        if (c.purpose === 'marketing' && c.ts.getTime() > from && capApplies(cap.channels, c.channel)) count++;
      }
      if (count < cap.max) continue;
      // Blocked: the (count - max + 1)-th oldest counted contact must leave the window.
      const times: number[] = [];
      for (const c of history) {
        const t = c.ts.getTime();
        if (c.purpose === 'marketing' && t > from && capApplies(cap.channels, c.channel)) times.push(t);
      }
      times.sort((a, b) => a - b);
      const free = cap.max === 0 ? Number.POSITIVE_INFINITY : times[count - cap.max]! + windowMs;
      const scope = cap.channels === 'all' ? '全部渠道' : cap.channels.map((c) => CHANNEL_ZH[c]).join('、');
      const scopeEn = cap.channels === 'all' ? 'all channels' : cap.channels.join(', ');
      add(
        {
          ruleId: 'M13',
          code: `frequency_cap:${cap.id}`,
          zh: `已达营销频次上限：${scope}${cap.windowHours}小时内最多${cap.max}次（已${count}次）`,
          en: `marketing frequency cap reached: ${scopeEn} at most ${cap.max} per ${cap.windowHours} h (${count} counted)`,
        },
        cap.max === 0,
      );
      if (free > earliest) earliest = free;
    }
  }

  // M13: quiet hours, applied last at the earliest otherwise-possible instant.
  let notBefore = earliest;
  if (
    params.M13.quietHoursChannels.includes(channel) &&
    purpose !== 'regulatory' &&
    (params.M13.quietHoursPurposes as readonly string[]).includes(purpose) &&
    Number.isFinite(earliest)
  ) {
    const next = nextOutsideQuietHours(new Date(earliest), params).getTime();
    if (next !== earliest) {
      if (earliest === at) {
        add(
          {
            ruleId: 'M13',
            code: 'quiet_hours',
            zh: `${params.M13.quietHoursStart}–${params.M13.quietHoursEnd}（上海时间）为免打扰时段`,
            en: `quiet hours ${params.M13.quietHoursStart}–${params.M13.quietHoursEnd} Asia/Shanghai`,
          },
          false,
        );
      } else {
        add(
          {
            ruleId: 'M13',
            code: 'quiet_hours',
            zh: `其余限制解除时处于免打扰时段（${params.M13.quietHoursStart}–${params.M13.quietHoursEnd}，上海时间）`,
            en: `the other limits end inside quiet hours (${params.M13.quietHoursStart}–${params.M13.quietHoursEnd} Asia/Shanghai)`,
          },
          false,
        );
      }
      notBefore = next;
    }
  }

  const rs: ContactReason[] | undefined = reasons;
  if (rs === undefined) return { decision: 'yes', ruleIds: [], reasons: [] };
  const ruleIds: RuleId[] = [];
  for (const r of rs) if (!ruleIds.includes(r.ruleId)) ruleIds.push(r.ruleId);
  if (hard || !Number.isFinite(notBefore)) return { decision: 'no', ruleIds, reasons: rs };
  return { decision: 'not_before', notBefore: new Date(notBefore), ruleIds, reasons: rs };
}
