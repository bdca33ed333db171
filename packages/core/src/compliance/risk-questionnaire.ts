/**
 * The customer risk-tolerance questionnaire (S2, S4, S6, S7): a versioned definition covering the
 * nine S4 dimensions, scoring into C1–C5, the validity end of an assessment and the retake limit.
 *
 * Scoring (documented, and data in the definition):
 * - every question is single choice; the score is the sum of the chosen options' scores
 *   (default questionnaire: 12 questions, 0–100 points);
 * - bands map the score to a level: each band gives the lowest score of its level
 *   (default: C1 0–20, C2 21–40, C3 41–60, C4 61–80, C5 81–100);
 * - an option may cap the level whatever the score (default caps: "cannot accept any loss" → C1;
 *   aged 70 or over → C3; believes wealth products are as safe as deposits → C2). The final level is
 *   the lowest of the band level and every cap that applies;
 * - an option may mark the customer as having no investment experience (used by S9).
 */
import { z } from 'zod';
import {
  addMonthsShanghai,
  CUSTOMER_RISK_LEVELS,
  type CustomerRiskLevel,
  customerRiskLevelSchema,
  DEFAULT_RULE_PARAMS,
  type LocalizedText,
  maxRiskFor,
  PRODUCT_RISK_LEVELS,
  type ProductRiskLevel,
  type RuleParams,
  riskRank,
  shanghaiParts,
} from './rules.ts';

export const QUESTION_DIMENSIONS = [
  'age',
  'financial_status',
  'investment_experience',
  'investment_purpose',
  'return_expectation',
  'risk_preference',
  'liquidity_needs',
  'risk_awareness',
  'loss_tolerance',
] as const;
export type QuestionDimension = (typeof QUESTION_DIMENSIONS)[number];

const localizedTextSchema = z.object({ zh: z.string().min(1), en: z.string().min(1) }).strict();
const idSchema = z.string().regex(/^[a-z0-9_]{1,40}$/, 'must be 1–40 of a–z, 0–9, _');

export const questionOptionSchema = z
  .object({
    id: idSchema,
    label: localizedTextSchema,
    score: z.number().int().min(0).max(100),
    /** The level can be no higher than this when the option is chosen. */
    capLevel: customerRiskLevelSchema.optional(),
    capReason: localizedTextSchema.optional(),
    /** Choosing this option means the customer has no investment experience (S9). */
    noInvestmentExperience: z.boolean().optional(),
  })
  .strict()
  .refine((o) => (o.capLevel === undefined) === (o.capReason === undefined), {
    message: 'capLevel and capReason go together',
  });
export type QuestionOption = z.infer<typeof questionOptionSchema>;

export const questionSchema = z
  .object({
    id: idSchema,
    dimension: z.enum(QUESTION_DIMENSIONS),
    text: localizedTextSchema,
    options: z.array(questionOptionSchema).min(2).max(10),
  })
  .strict()
  .refine((q) => new Set(q.options.map((o) => o.id)).size === q.options.length, {
    message: 'option ids must be unique within a question',
  });
export type Question = z.infer<typeof questionSchema>;

export const scoreBandSchema = z.object({ level: customerRiskLevelSchema, minScore: z.number().int().min(0) }).strict();

export const questionnaireDefinitionSchema = z
  .object({
    version: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/, 'must be 1–40 of A–Z, a–z, 0–9, . _ -'),
    title: localizedTextSchema,
    questions: z.array(questionSchema).min(10).max(40),
    /** Exactly C1…C5 in order, C1 starting at 0, strictly increasing minScore. */
    bands: z.array(scoreBandSchema).length(5),
  })
  .strict()
  .superRefine((def, ctx) => {
    const ids = new Set<string>();
    for (const [i, q] of def.questions.entries()) {
      if (ids.has(q.id))
        ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: 'duplicate question id' });
      ids.add(q.id);
    }
    const covered = new Set(def.questions.map((q) => q.dimension));
    for (const d of QUESTION_DIMENSIONS) {
      if (!covered.has(d)) ctx.addIssue({ code: 'custom', path: ['questions'], message: `no question on ${d} (S4)` });
    }
    let prev = -1;
    for (const [i, band] of def.bands.entries()) {
      if (band.level !== CUSTOMER_RISK_LEVELS[i])
        ctx.addIssue({ code: 'custom', path: ['bands', i, 'level'], message: `must be ${CUSTOMER_RISK_LEVELS[i]}` });
      if (i === 0 && band.minScore !== 0)
        ctx.addIssue({ code: 'custom', path: ['bands', 0, 'minScore'], message: 'must be 0' });
      if (band.minScore <= prev)
        ctx.addIssue({ code: 'custom', path: ['bands', i, 'minScore'], message: 'must increase strictly' });
      prev = band.minScore;
    }
    const max = def.questions.reduce((sum, q) => sum + Math.max(...q.options.map((o) => o.score)), 0);
    const top = def.bands[4];
    if (top && top.minScore > max)
      ctx.addIssue({ code: 'custom', path: ['bands', 4, 'minScore'], message: `exceeds the maximum score ${max}` });
  });
export type QuestionnaireDefinition = z.infer<typeof questionnaireDefinitionSchema>;

/** A completed questionnaire: the chosen option id for every question id. */
export const assessmentAnswersSchema = z
  .object({
    questionnaireVersion: z.string().min(1),
    answers: z.record(idSchema, idSchema),
  })
  .strict();
export type AssessmentAnswers = z.infer<typeof assessmentAnswersSchema>;

export interface AppliedCap {
  questionId: string;
  optionId: string;
  level: CustomerRiskLevel;
  reason: LocalizedText;
}

export interface AssessmentResult {
  questionnaireVersion: string;
  score: number;
  maxScore: number;
  /** The level from the score bands alone. */
  bandLevel: CustomerRiskLevel;
  /** The final level: the lowest of bandLevel and every applied cap. */
  level: CustomerRiskLevel;
  appliedCaps: AppliedCap[];
  hasInvestmentExperience: boolean;
  completedAt: Date;
  /** After this instant the assessment is expired (S6). */
  validUntil: Date;
  /** Product risk levels the customer may be offered (S3 with the effective matrix). */
  allowedProductRisks: ProductRiskLevel[];
}

export interface AssessmentIssue {
  field: string;
  reason: string;
}

/** Thrown for answers that do not fit the definition; names each field and reason. */
export class AssessmentError extends Error {
  readonly issues: AssessmentIssue[];
  constructor(issues: AssessmentIssue[]) {
    super(`invalid assessment: ${issues.map((i) => `${i.field}: ${i.reason}`).join('; ')}`);
    this.name = 'AssessmentError';
    this.issues = issues;
  }
}

export function maxScore(def: QuestionnaireDefinition): number {
  let sum = 0;
  for (const q of def.questions) sum += Math.max(...q.options.map((o) => o.score));
  return sum;
}

/** The band level of a score. */
export function levelForScore(def: QuestionnaireDefinition, score: number): CustomerRiskLevel {
  let level: CustomerRiskLevel = 'C1';
  for (const band of def.bands) if (score >= band.minScore) level = band.level;
  return level;
}

/** S6: the instant after which an assessment completed at `completedAt` is expired. */
export function assessmentValidUntil(completedAt: Date, params: RuleParams = DEFAULT_RULE_PARAMS): Date {
  return addMonthsShanghai(completedAt, params.S6.validityMonths);
}

/** The product risks a customer level may be offered (S3). */
export function allowedProductRisks(level: CustomerRiskLevel, params: RuleParams = DEFAULT_RULE_PARAMS) {
  const max = riskRank(maxRiskFor(level, params));
  return PRODUCT_RISK_LEVELS.filter((r) => riskRank(r) <= max);
}

/**
 * Scores a completed questionnaire. `answers` is validated against the definition: the version
 * must match, every question needs exactly one known option, unknown question ids are rejected.
 */
export function scoreAssessment(
  def: QuestionnaireDefinition,
  answers: unknown,
  completedAt: Date,
  params: RuleParams = DEFAULT_RULE_PARAMS,
): AssessmentResult {
  const parsed = assessmentAnswersSchema.safeParse(answers);
  if (!parsed.success) {
    throw new AssessmentError(
      parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(root)', reason: i.message })),
    );
  }
  const input = parsed.data;
  const issues: AssessmentIssue[] = [];
  if (input.questionnaireVersion !== def.version) {
    issues.push({
      field: 'questionnaireVersion',
      reason: `answers are for "${input.questionnaireVersion}", the questionnaire is "${def.version}"`,
    });
  }
  const known = new Set(def.questions.map((q) => q.id));
  for (const qid of Object.keys(input.answers)) {
    if (!known.has(qid)) issues.push({ field: `answers.${qid}`, reason: 'is not a question of this questionnaire' });
  }
  let score = 0;
  let noExperience = false;
  const appliedCaps: AppliedCap[] = [];
  for (const q of def.questions) {
    const chosen = Object.hasOwn(input.answers, q.id) ? input.answers[q.id] : undefined;
    if (chosen === undefined) {
      issues.push({ field: `answers.${q.id}`, reason: 'is not answered' });
      continue;
    }
    const option = q.options.find((o) => o.id === chosen);
    if (!option) {
      issues.push({
        field: `answers.${q.id}`,
        reason: `"${chosen}" is not one of ${q.options.map((o) => `"${o.id}"`).join(', ')}`,
      });
      continue;
    }
    score += option.score;
    if (option.noInvestmentExperience) noExperience = true;
    if (option.capLevel && option.capReason) {
      appliedCaps.push({ questionId: q.id, optionId: option.id, level: option.capLevel, reason: option.capReason });
    }
  }
  if (issues.length > 0) throw new AssessmentError(issues);
  const bandLevel = levelForScore(def, score);
  let level = bandLevel;
  for (const cap of appliedCaps) if (riskRank(cap.level) < riskRank(level)) level = cap.level;
  return {
    questionnaireVersion: def.version,
    score,
    maxScore: maxScore(def),
    bandLevel,
    level,
    appliedCaps,
    hasInvestmentExperience: !noExperience,
    completedAt,
    validUntil: assessmentValidUntil(completedAt, params),
    allowedProductRisks: allowedProductRisks(level, params),
  };
}

/**
 * S7: may the customer start another attempt? `attemptsToday` counts every attempt started in the
 * current Asia/Shanghai calendar day, the first included (see `countAttemptsToday`).
 */
export function canRetake(attemptsToday: number, params: RuleParams = DEFAULT_RULE_PARAMS): boolean {
  return attemptsToday < params.S7.maxAttemptsPerDay;
}

/** Attempts whose time falls on the same Asia/Shanghai calendar day as `now`. */
export function countAttemptsToday(attemptTimes: readonly Date[], now: Date): number {
  const today = shanghaiParts(now);
  let n = 0;
  for (const t of attemptTimes) {
    const p = shanghaiParts(t);
    if (p.year === today.year && p.month === today.month && p.day === today.day) n++;
  }
  return n;
}

export interface LevelInfo {
  level: CustomerRiskLevel;
  name: LocalizedText;
  description: LocalizedText;
}

/** What each level means. The allowed product risks come from `allowedProductRisks` (configurable S3). */
export const LEVEL_INFO: Readonly<Record<CustomerRiskLevel, LevelInfo>> = {
  C1: {
    level: 'C1',
    name: { zh: '保守型', en: 'Conservative' },
    description: {
      zh: '以保本和流动性为首要目标，基本不能承受本金损失。适合R1（低风险）产品。',
      en: 'Puts capital preservation and liquidity first and can bear essentially no loss of principal. Suited to R1 (low-risk) products.',
    },
  },
  C2: {
    level: 'C2',
    name: { zh: '稳健型', en: 'Prudent' },
    description: {
      zh: '希望在控制风险的前提下获得略高于存款的回报，可承受较小的波动。适合R1–R2产品。',
      en: 'Seeks returns slightly above deposits with risk kept low; accepts small fluctuations. Suited to R1–R2 products.',
    },
  },
  C3: {
    level: 'C3',
    name: { zh: '平衡型', en: 'Balanced' },
    description: {
      zh: '在收益与风险之间寻求平衡，可承受一定幅度的本金损失。适合R1–R3产品。',
      en: 'Balances return and risk and can bear a moderate loss of principal. Suited to R1–R3 products.',
    },
  },
  C4: {
    level: 'C4',
    name: { zh: '成长型', en: 'Growth' },
    description: {
      zh: '追求较高的长期回报，可承受较大的波动和本金损失。适合R1–R4产品。',
      en: 'Seeks higher long-term returns and can bear large fluctuations and losses of principal. Suited to R1–R4 products.',
    },
  },
  C5: {
    level: 'C5',
    name: { zh: '进取型', en: 'Aggressive' },
    description: {
      zh: '追求高回报，能够承受大幅波动乃至大部分本金损失。适合R1–R5产品。',
      en: 'Seeks high returns and can bear severe fluctuations, up to losing most of the principal. Suited to R1–R5 products.',
    },
  },
};

const opt = (
  id: string,
  zh: string,
  en: string,
  score: number,
  extra: Partial<QuestionOption> = {},
): QuestionOption => ({
  id,
  label: { zh, en },
  score,
  ...extra,
});

/** The default questionnaire: 12 questions, 100 points, all nine S4 dimensions. */
export const DEFAULT_QUESTIONNAIRE: QuestionnaireDefinition = questionnaireDefinitionSchema.parse({
  version: 'lingxi-rq-2026.1',
  title: { zh: '个人客户风险承受能力评估问卷', en: 'Personal customer risk-tolerance questionnaire' },
  questions: [
    {
      id: 'age',
      dimension: 'age',
      text: { zh: '您的年龄是？', en: 'What is your age?' },
      options: [
        opt('a', '18–30岁', '18–30', 6),
        opt('b', '31–40岁', '31–40', 8),
        opt('c', '41–50岁', '41–50', 6),
        opt('d', '51–60岁', '51–60', 4),
        opt('e', '61–69岁', '61–69', 2),
        opt('f', '70岁及以上', '70 or over', 0, {
          capLevel: 'C3',
          capReason: {
            zh: '70岁及以上客户的风险承受能力等级最高为C3',
            en: 'Customers aged 70 or over are rated at most C3',
          },
        }),
      ],
    },
    {
      id: 'income',
      dimension: 'financial_status',
      text: { zh: '您的家庭年收入约为？', en: 'What is your annual household income?' },
      options: [
        opt('a', '10万元以下', 'Under ¥100,000', 0),
        opt('b', '10万–30万元', '¥100,000–300,000', 3),
        opt('c', '30万–50万元', '¥300,000–500,000', 5),
        opt('d', '50万–100万元', '¥500,000–1,000,000', 7),
        opt('e', '100万元以上', 'Over ¥1,000,000', 8),
      ],
    },
    {
      id: 'assets',
      dimension: 'financial_status',
      text: {
        zh: '您可用于投资的金融资产（存款、理财、基金、股票等）约为？',
        en: 'How much financial wealth (deposits, wealth products, funds, shares…) can you invest?',
      },
      options: [
        opt('a', '10万元以下', 'Under ¥100,000', 0),
        opt('b', '10万–50万元', '¥100,000–500,000', 3),
        opt('c', '50万–300万元', '¥500,000–3,000,000', 6),
        opt('d', '300万元以上', 'Over ¥3,000,000', 8),
      ],
    },
    {
      id: 'products',
      dimension: 'investment_experience',
      text: {
        zh: '以下哪一项最符合您投资过的风险最高的产品？',
        en: 'Which best describes the riskiest product you have invested in?',
      },
      options: [
        opt('a', '只有银行存款或国债', 'Only bank deposits or government bonds', 0, { noInvestmentExperience: true }),
        opt('b', '银行理财或货币基金', 'Bank wealth products or money-market funds', 3),
        opt('c', '债券或债券基金', 'Bonds or bond funds', 5),
        opt('d', '股票、股票型或混合型基金', 'Shares, equity or mixed funds', 8),
        opt('e', '期货、期权等衍生品或私募产品', 'Futures, options or private products', 10),
      ],
    },
    {
      id: 'years',
      dimension: 'investment_experience',
      text: {
        zh: '您投资股票、基金、理财等非存款产品的年限？',
        en: 'For how long have you invested in non-deposit products such as shares, funds or wealth products?',
      },
      options: [
        opt('a', '没有经验', 'No experience', 0, { noInvestmentExperience: true }),
        opt('b', '1年以内', 'Less than 1 year', 2),
        opt('c', '1–3年', '1–3 years', 4),
        opt('d', '3–5年', '3–5 years', 6),
        opt('e', '5年以上', 'More than 5 years', 8),
      ],
    },
    {
      id: 'purpose',
      dimension: 'investment_purpose',
      text: { zh: '您投资的主要目的是？', en: 'What is the main purpose of your investment?' },
      options: [
        opt('a', '保持资金安全，随时可用', 'Keep the money safe and available', 0),
        opt('b', '稳定增值，收益略高于存款', 'Steady growth a little above deposit rates', 3),
        opt('c', '获得较好回报，可接受一定波动', 'Good returns, accepting some fluctuation', 6),
        opt('d', '追求长期高回报', 'High long-term returns', 8),
      ],
    },
    {
      id: 'return',
      dimension: 'return_expectation',
      text: {
        zh: '您希望投资的年化回报大致在什么水平？',
        en: 'Roughly what annual return do you hope for?',
      },
      options: [
        opt('a', '与定期存款相当', 'About the same as a time deposit', 0),
        opt('b', '略高于定期存款', 'A little above a time deposit', 3),
        opt('c', '明显高于定期存款，可接受一定亏损', 'Clearly above a time deposit, accepting some loss', 6),
        opt('d', '尽可能高，可接受较大亏损', 'As high as possible, accepting large losses', 8),
      ],
    },
    {
      id: 'attitude',
      dimension: 'risk_preference',
      text: {
        zh: '以下哪种描述最符合您对投资风险的态度？',
        en: 'Which statement best describes your attitude to investment risk?',
      },
      options: [
        opt('a', '尽量避免任何风险', 'I avoid any risk', 0),
        opt('b', '愿意承担较小的风险', 'I accept small risks', 3),
        opt('c', '愿意承担一定风险以换取更高收益', 'I accept some risk for higher returns', 6),
        opt('d', '愿意承担较大风险以追求高收益', 'I accept large risks to seek high returns', 10),
      ],
    },
    {
      id: 'horizon',
      dimension: 'liquidity_needs',
      text: {
        zh: '这笔资金您预计多久之后需要使用？',
        en: 'When do you expect to need this money?',
      },
      options: [
        opt('a', '3个月以内', 'Within 3 months', 0),
        opt('b', '3个月–1年', '3 months to 1 year', 3),
        opt('c', '1–3年', '1–3 years', 6),
        opt('d', '3年以上', 'After more than 3 years', 8),
      ],
    },
    {
      id: 'awareness',
      dimension: 'risk_awareness',
      text: {
        zh: '关于理财、基金等投资产品，以下哪种说法与您的理解最接近？',
        en: 'Which statement is closest to your understanding of wealth products and funds?',
      },
      options: [
        opt('a', '和存款一样保本保收益', 'Like deposits, capital and returns are guaranteed', 0, {
          capLevel: 'C2',
          capReason: {
            zh: '客户认为理财产品保本保收益，风险认知不足，等级最高为C2',
            en: 'The customer believes wealth products are guaranteed; with this risk awareness the level is at most C2',
          },
        }),
        opt('b', '可能亏损部分本金', 'Part of the capital may be lost', 4),
        opt(
          'c',
          '可能亏损全部本金，并了解市场、信用、流动性等风险',
          'All of the capital may be lost; I understand market, credit and liquidity risk',
          6,
        ),
      ],
    },
    {
      id: 'max_loss',
      dimension: 'loss_tolerance',
      text: {
        zh: '您能承受的最大投资亏损是本金的多少？',
        en: 'What is the largest loss of capital you could bear?',
      },
      options: [
        opt('a', '不能接受任何亏损', 'No loss at all', 0, {
          capLevel: 'C1',
          capReason: {
            zh: '客户不能承受任何本金损失，等级最高为C1',
            en: 'The customer cannot bear any loss of capital, so the level is at most C1',
          },
        }),
        opt('b', '10%以内', 'Up to 10%', 4),
        opt('c', '10%–30%', '10%–30%', 7),
        opt('d', '30%–50%', '30%–50%', 10),
        opt('e', '50%以上', 'More than 50%', 12),
      ],
    },
    {
      id: 'drawdown',
      dimension: 'loss_tolerance',
      text: {
        zh: '如果您的投资在短期内下跌20%，您会？',
        en: 'If your investment fell 20% in a short time, what would you do?',
      },
      options: [
        opt('a', '全部赎回', 'Redeem everything', 0),
        opt('b', '赎回一部分', 'Redeem part of it', 2),
        opt('c', '继续持有', 'Hold', 4),
        opt('d', '追加投资', 'Invest more', 6),
      ],
    },
  ],
  bands: [
    { level: 'C1', minScore: 0 },
    { level: 'C2', minScore: 21 },
    { level: 'C3', minScore: 41 },
    { level: 'C4', minScore: 61 },
    { level: 'C5', minScore: 81 },
  ],
});
