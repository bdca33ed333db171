/**
 * Suitability (适当性): may this product be offered to (proactive) or bought by (customer-initiated)
 * this customer? Implements S1, S3, S5, S6, S8, S9, S10, S11, S12 and the account-status parts of
 * A2/A3. Every block cites its rule id and explains itself in zh and en.
 *
 * Semantics:
 * - S1: a product without a risk rating, or whose rating has no effective date or is not yet
 *   effective at `now`, is blocked for marketing and sale.
 * - S3: a customer at Cn is matched to products up to the configured maximum for Cn (default Rn).
 * - S6: no assessment, an assessment older than the validity (12 months by default), or one that
 *   predates a recorded material change → unassessed: up to `S6.unassessedMaxRisk` (R1) only, and
 *   `reassessmentPrompt` is set.
 * - S5: the first purchase of a face-to-face family (default: the bank's own wealth products) needs an
 *   assessment done at a branch: a customer-initiated purchase is blocked (and re-assessment prompted);
 *   a proactive offer carries a warning.
 * - S8 (proactive only): aged ≥ 65 → nothing above R3; an unknown birth date is treated as senior.
 *   Extra warning for seniors on R3 or above in every case.
 * - S9 (proactive only): no (or unknown) investment experience → nothing above R3.
 * - S10: every customer gets the ordinary-investor protections; a "professional" classification
 *   relaxes nothing here.
 * - S11 (proactive only): the product is one the customer signed less than `coolingOffHours` ago.
 * - S12: a sale of a dual-recording family on a dual-recording channel (default branch) needs 双录.
 * - A2 (proactive only): fraud_restricted. A3: deceased or closed → blocked for marketing and sale.
 */
import { z } from 'zod';
import { assessmentValidUntil } from './risk-questionnaire.ts';
import {
  CONTACT_CHANNELS,
  type CustomerRiskLevel,
  customerRiskLevelSchema,
  DEFAULT_RULE_PARAMS,
  formatShanghai,
  HOUR_MS,
  maxRiskFor,
  type ProductRiskLevel,
  productFamilySchema,
  productRiskLevelSchema,
  type RuleId,
  type RuleParams,
  riskRank,
  shanghaiParts,
} from './rules.ts';

export const CUSTOMER_FLAGS = ['fraud_restricted', 'deceased', 'closed'] as const;
export type CustomerFlag = (typeof CUSTOMER_FLAGS)[number];

/** Where the offer or sale happens: a contact channel, or a branch counter / self-service app / web. */
export const SALES_CHANNELS = ['branch', 'app', 'web', ...CONTACT_CHANNELS] as const;
export type SalesChannel = (typeof SALES_CHANNELS)[number];
export const salesChannelSchema = z.enum(SALES_CHANNELS);

const dateOnly = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
  .refine((s) => parseDateOnly(s) !== null, 'is not a calendar date');

export const riskAssessmentRecordSchema = z
  .object({
    level: customerRiskLevelSchema,
    completedAt: z.date(),
    /** Where it was completed: face to face at a branch, or online (app/web). */
    method: z.enum(['branch', 'online']),
  })
  .strict();
export type RiskAssessmentRecord = z.infer<typeof riskAssessmentRecordSchema>;

export const suitabilityCustomerSchema = z
  .object({
    /** Calendar date of birth (YYYY-MM-DD); null when unknown (then treated as senior, S8). */
    birthDate: dateOnly.nullable(),
    assessment: riskAssessmentRecordSchema.nullable(),
    /** A recorded material change of circumstances; an earlier assessment is expired (S6). */
    materialChangeAt: z.date().nullable().optional(),
    /** null = unknown, treated as no experience (S9). */
    hasInvestmentExperience: z.boolean().nullable(),
    investorType: z.enum(['ordinary', 'professional']).optional(),
    flags: z.array(z.enum(CUSTOMER_FLAGS)),
    /** Families the customer has bought before (S5 first purchase); empty = never. */
    purchasedFamilies: z.array(productFamilySchema),
  })
  .strict();
export type SuitabilityCustomer = z.infer<typeof suitabilityCustomerSchema>;

export const suitabilityProductSchema = z
  .object({
    id: z.string().min(1),
    family: productFamilySchema,
    riskLevel: productRiskLevelSchema.nullable(),
    /** When the current risk rating took effect (S1). */
    riskRatedFrom: z.date().nullable(),
    /** 私募 (private placement) product: subject to the cooling-off period (S11). */
    isPrivate: z.boolean(),
  })
  .strict();
export type SuitabilityProduct = z.infer<typeof suitabilityProductSchema>;

export const privateSigningSchema = z.object({ productId: z.string().min(1), signedAt: z.date() }).strict();
export type PrivateSigning = z.infer<typeof privateSigningSchema>;

export const suitabilityContextSchema = z
  .object({
    now: z.date(),
    /** true: the bank proposes it (offer, push, script); false: the customer asks to buy. */
    proactive: z.boolean(),
    channel: salesChannelSchema,
    /** The customer's recent signings of private products (S11). */
    privateSignings: z.array(privateSigningSchema).optional(),
  })
  .strict();
export type SuitabilityContext = z.infer<typeof suitabilityContextSchema>;

export interface SuitabilityReason {
  ruleId: RuleId;
  code: string;
  zh: string;
  en: string;
}

export interface SuitabilityResult {
  allowed: boolean;
  /** Every rule that blocked, warned, prompted or flagged, in order, without duplicates. */
  ruleIds: RuleId[];
  /** Why it is not allowed (empty when allowed). */
  reasons: SuitabilityReason[];
  requiresDualRecording: boolean;
  /** Warnings to show with the product (senior extra warning, first-purchase note). */
  extraWarnings: SuitabilityReason[];
  /** The customer should be asked to (re-)assess. */
  reassessmentPrompt: boolean;
  /** The level used for matching: null when unassessed or expired. */
  effectiveLevel: CustomerRiskLevel | null;
  age: number | null;
  investorType: 'ordinary' | 'professional';
}

function parseDateOnly(s: string): { y: number; m: number; d: number } | null {
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  if (s.length !== 10 || s[4] !== '-' || s[7] !== '-' || !Number.isInteger(y + m + d)) return null;
  if (m < 1 || m > 12 || d < 1) return null;
  if (d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return null;
  return { y, m, d };
}

/**
 * Age in whole years at `now` in Asia/Shanghai; the age increases on the birthday (a 29 February
 * birthday counts on 1 March in common years). null for a malformed date.
 */
export function ageAt(birthDate: string, now: Date): number | null {
  const b = parseDateOnly(birthDate);
  if (!b) return null;
  const t = shanghaiParts(now);
  let age = t.year - b.y;
  if (t.month < b.m || (t.month === b.m && t.day < b.d)) age--;
  return age;
}

export type AssessmentStatus =
  | { state: 'valid'; level: CustomerRiskLevel; validUntil: Date }
  | { state: 'missing' }
  | { state: 'expired'; level: CustomerRiskLevel; validUntil: Date }
  | { state: 'superseded'; level: CustomerRiskLevel; changedAt: Date };

/** S6: the state of the customer's assessment at `now`. */
export function assessmentStatus(
  customer: Pick<SuitabilityCustomer, 'assessment' | 'materialChangeAt'>,
  now: Date,
  params: RuleParams = DEFAULT_RULE_PARAMS,
): AssessmentStatus {
  const a = customer.assessment;
  if (!a) return { state: 'missing' };
  const change = customer.materialChangeAt;
  if (change && change.getTime() > a.completedAt.getTime() && change.getTime() <= now.getTime()) {
    return { state: 'superseded', level: a.level, changedAt: change };
  }
  const validUntil = assessmentValidUntil(a.completedAt, params);
  if (now.getTime() > validUntil.getTime()) return { state: 'expired', level: a.level, validUntil };
  return { state: 'valid', level: a.level, validUntil };
}

/** Decides whether `product` may be offered (proactive) or sold to `customer`. Pure; never throws. */
export function checkSuitability(
  customer: SuitabilityCustomer,
  product: SuitabilityProduct,
  context: SuitabilityContext,
  params: RuleParams = DEFAULT_RULE_PARAMS,
): SuitabilityResult {
  const reasons: SuitabilityReason[] = [];
  const extraWarnings: SuitabilityReason[] = [];
  const ruleIds: RuleId[] = [];
  const cite = (id: RuleId) => {
    if (!ruleIds.includes(id)) ruleIds.push(id);
  };
  const block = (r: SuitabilityReason) => {
    reasons.push(r);
    cite(r.ruleId);
  };
  const warn = (r: SuitabilityReason) => {
    extraWarnings.push(r);
    cite(r.ruleId);
  };
  const { now, proactive } = context;
  let reassessmentPrompt = false;

  // A2 / A3: account status.
  if (customer.flags.includes('deceased')) {
    block({ ruleId: 'A3', code: 'customer_deceased', zh: '客户已身故', en: 'customer is deceased' });
  }
  if (customer.flags.includes('closed')) {
    block({ ruleId: 'A3', code: 'customer_closed', zh: '客户账户已销户', en: 'customer account is closed' });
  }
  if (proactive && customer.flags.includes('fraud_restricted')) {
    block({
      ruleId: 'A2',
      code: 'fraud_restricted',
      zh: '客户被标记为涉诈或出租出借账户，不得营销',
      en: 'customer is flagged for fraud or account renting/selling: no marketing',
    });
  }

  // S1: the product's rating.
  const risk = product.riskLevel;
  const ratedFrom = product.riskRatedFrom;
  let ratingOk = true;
  if (risk === null) {
    ratingOk = false;
    block({ ruleId: 'S1', code: 'product_unrated', zh: '产品未设置风险评级', en: 'product has no risk rating' });
  } else if (ratedFrom === null) {
    ratingOk = false;
    block({
      ruleId: 'S1',
      code: 'rating_without_effective_date',
      zh: `产品风险评级${risk}未设置生效日期`,
      en: `product risk rating ${risk} has no effective date`,
    });
  } else if (ratedFrom.getTime() > now.getTime()) {
    ratingOk = false;
    block({
      ruleId: 'S1',
      code: 'rating_not_yet_effective',
      zh: `产品风险评级${risk}自${formatShanghai(ratedFrom)}起生效，目前尚未生效`,
      en: `product risk rating ${risk} takes effect only at ${formatShanghai(ratedFrom)} (Asia/Shanghai)`,
    });
  }

  // S6: assessment state.
  const status = assessmentStatus(customer, now, params);
  const effectiveLevel = status.state === 'valid' ? status.level : null;
  if (status.state !== 'valid') {
    reassessmentPrompt = true;
    cite('S6');
  }

  // S8 inputs.
  const age = customer.birthDate === null ? null : ageAt(customer.birthDate, now);
  const senior = age === null || age >= params.S8.seniorAge;

  if (risk !== null && ratingOk) {
    const rank = riskRank(risk);
    // S3 / S6 matching.
    if (effectiveLevel !== null) {
      const max = maxRiskFor(effectiveLevel, params);
      if (rank > riskRank(max)) {
        const standard = riskRank(max) === riskRank(effectiveLevel);
        block({
          ruleId: 'S3',
          code: 'risk_mismatch',
          zh: standard
            ? `客户风险等级${effectiveLevel}低于产品风险等级${risk}`
            : `客户风险等级${effectiveLevel}仅可匹配${max}及以下产品，低于产品风险等级${risk}`,
          en: standard
            ? `customer risk level ${effectiveLevel} is below product risk ${risk}`
            : `customer risk level ${effectiveLevel} is matched to products up to ${max} only, below product risk ${risk}`,
        });
      }
    } else {
      const max = params.S6.unassessedMaxRisk;
      if (rank > riskRank(max)) block(unassessedReason(status, max, risk));
    }

    // S8: seniors.
    if (senior) {
      const cap = params.S8.seniorMaxProactiveRisk;
      if (proactive && rank > riskRank(cap)) {
        const first = `R${riskRank(cap) + 1}`;
        block({
          ruleId: 'S8',
          code: age === null ? 'senior_age_unknown' : 'senior_high_risk',
          zh:
            age === null
              ? `客户出生日期未知，按老年客户保护，不得主动营销${first}及以上产品（本产品${risk}）`
              : `客户年龄${age}岁（≥${params.S8.seniorAge}岁），不得主动营销${first}及以上产品（本产品${risk}）`,
          en:
            age === null
              ? `customer birth date unknown, protected as a senior: no proactive marketing of ${first} or above (product ${risk})`
              : `customer is ${age} (≥ ${params.S8.seniorAge}): no proactive marketing of ${first} or above (product ${risk})`,
        });
      }
      const warnFrom = params.S8.seniorExtraWarningFromRisk;
      if (rank >= riskRank(warnFrom)) {
        warn({
          ruleId: 'S8',
          code: 'senior_extra_warning',
          zh: `老年客户涉及${warnFrom}及以上产品，须作额外风险提示并确认客户充分理解产品风险`,
          en: `senior customer and a product of ${warnFrom} or above: give an extra risk warning and confirm the customer understands the risk`,
        });
      }
    }

    // S9: no investment experience.
    if (proactive && customer.hasInvestmentExperience !== true) {
      const cap = params.S9.noExperienceMaxProactiveRisk;
      if (rank > riskRank(cap)) {
        const first = `R${riskRank(cap) + 1}`;
        const unknown = customer.hasInvestmentExperience === null;
        block({
          ruleId: 'S9',
          code: unknown ? 'experience_unknown' : 'no_experience',
          zh: `客户${unknown ? '投资经验未知' : '无投资经验'}，不得主动营销${first}及以上产品（本产品${risk}）`,
          en: `customer ${unknown ? 'investment experience is unknown' : 'has no investment experience'}: no proactive marketing of ${first} or above (product ${risk})`,
        });
      }
    }
  }

  // S5: first purchase of a face-to-face family.
  if (
    params.S5.faceToFaceFamilies.includes(product.family) &&
    !customer.purchasedFamilies.includes(product.family) &&
    customer.assessment !== null &&
    customer.assessment.method !== 'branch'
  ) {
    const r: SuitabilityReason = {
      ruleId: 'S5',
      code: 'first_purchase_needs_branch_assessment',
      zh: '首次购买本行理财产品，须先在网点当面完成风险评估',
      en: "first purchase of the bank's own wealth products: the risk assessment must first be done face to face at a branch",
    };
    if (proactive) warn(r);
    else {
      block(r);
      reassessmentPrompt = true;
    }
  }

  // S11: cooling-off of this very product.
  if (proactive && context.privateSignings) {
    const windowMs = params.S11.coolingOffHours * HOUR_MS;
    for (const s of context.privateSignings) {
      if (s.productId !== product.id) continue;
      const end = s.signedAt.getTime() + windowMs;
      if (s.signedAt.getTime() <= now.getTime() && now.getTime() < end) {
        block({
          ruleId: 'S11',
          code: 'cooling_off',
          zh: `客户于${formatShanghai(s.signedAt)}签约该私募产品，冷静期至${formatShanghai(new Date(end))}，期间不得营销该产品`,
          en: `customer signed this private product at ${formatShanghai(s.signedAt)}; no marketing of it during the cooling-off period until ${formatShanghai(new Date(end))} (Asia/Shanghai)`,
        });
        break;
      }
    }
  }

  // S12: 双录.
  const requiresDualRecording =
    params.S12.dualRecordingFamilies.includes(product.family) &&
    params.S12.dualRecordingChannels.includes(context.channel);
  if (requiresDualRecording) cite('S12');

  // S10: a professional classification is recorded but relaxes nothing.
  const investorType = customer.investorType ?? params.S10.defaultInvestorType;
  if (investorType !== 'ordinary') cite('S10');
  return {
    allowed: reasons.length === 0,
    ruleIds,
    reasons,
    requiresDualRecording,
    extraWarnings,
    reassessmentPrompt,
    effectiveLevel,
    age,
    investorType,
  };
}

function unassessedReason(status: AssessmentStatus, max: ProductRiskLevel, risk: ProductRiskLevel): SuitabilityReason {
  switch (status.state) {
    case 'expired':
      return {
        ruleId: 'S6',
        code: 'assessment_expired',
        zh: `客户风险评估已于${formatShanghai(status.validUntil)}过期，视同未评估，仅可匹配${max}产品（本产品${risk}），请重新评估`,
        en: `customer risk assessment expired at ${formatShanghai(status.validUntil)} (Asia/Shanghai): treated as unassessed, ${max} only (product ${risk}); re-assessment needed`,
      };
    case 'superseded':
      return {
        ruleId: 'S6',
        code: 'assessment_superseded',
        zh: `客户情况于${formatShanghai(status.changedAt)}发生重大变化，原风险评估失效，仅可匹配${max}产品（本产品${risk}），请重新评估`,
        en: `customer circumstances changed materially at ${formatShanghai(status.changedAt)}: the assessment no longer holds, ${max} only (product ${risk}); re-assessment needed`,
      };
    default:
      return {
        ruleId: 'S6',
        code: 'assessment_missing',
        zh: `客户未完成风险评估，仅可匹配${max}产品（本产品${risk}），请先完成评估`,
        en: `customer has no risk assessment: ${max} only (product ${risk}) until assessed`,
      };
  }
}
