/**
 * Response schemas the console validates for customer search, the masked profile, the audited unmask
 * (`apps/server/src/modules/customers/customers.routes.ts`) and the customer 360 view
 * (`apps/server/src/modules/customer360/c360.service.ts`, which declares no response schema of its own).
 */
import { z } from 'zod';

export const customerSummary = z.object({
  id: z.number().int(),
  cif: z.string(),
  nameMasked: z.string(),
  mobileMasked: z.string().nullable(),
  gender: z.string(),
  birthYear: z.number().int(),
  city: z.string(),
  homeBranchId: z.string().nullable(),
  rmUserId: z.string().nullable(),
  riskLevel: z.string().nullable(),
  status: z.string(),
});
export type CustomerSummary = z.infer<typeof customerSummary>;

/** GET /api/v1/customers?q= (search) or without q (the customers in scope by id, paged with `after=nextAfter`). */
export const customerSearchResponse = z.object({
  customers: z.array(customerSummary),
  matchedBy: z.array(z.string()),
  nextAfter: z.number().int().nullable().optional(),
});

export const unmaskableField = z.enum(['name', 'mobile', 'id_number']);
export type UnmaskableField = z.infer<typeof unmaskableField>;

export const unmaskResponse = z.object({
  id: z.number().int(),
  values: z.object({
    name: z.string().nullable().optional(),
    mobile: z.string().nullable().optional(),
    id_number: z.string().nullable().optional(),
  }),
  auditSeq: z.number().int(),
});
export type UnmaskResponse = z.infer<typeof unmaskResponse>;

const c360Profile = z.object({
  id: z.number().int(),
  cif: z.string(),
  name_masked: z.string(),
  mobile_masked: z.string().nullable(),
  gender: z.string(),
  birth_date: z.string(),
  province: z.string(),
  city: z.string(),
  city_tier: z.number().int(),
  occupation: z.string(),
  education: z.string().nullable(),
  marital_status: z.string().nullable(),
  onboarded_at: z.string().nullable(),
  home_branch_id: z.string().nullable(),
  rm_user_id: z.string().nullable(),
  risk_level: z.string().nullable(),
  risk_assessed_at: z.string().nullable(),
  investment_experience: z.boolean(),
  flags: z.array(z.string()),
  personalised_marketing: z.boolean(),
  status: z.string(),
  merged_into: z.number().int().nullable(),
});

const holding = z.looseObject({
  id: z.number().int(),
  product_id: z.string(),
  name_zh: z.string(),
  name_en: z.string(),
  family: z.string(),
  risk: z.string(),
  amount_fen: z.number(),
  signed_at: z.string(),
  maturity_date: z.string().nullable(),
  status: z.string(),
});

const consent = z.looseObject({
  purpose: z.string(),
  channel: z.string(),
  status: z.string(),
  notice_version: z.string(),
  source: z.string(),
  recorded_at: z.string(),
});
export type ConsentRecord = z.infer<typeof consent>;

const contact = z.looseObject({
  contact_id: z.string(),
  ts: z.string(),
  channel: z.string(),
  purpose: z.string(),
  campaign_id: z.string().nullable(),
  action_id: z.string().nullable(),
  outcome: z.string().nullable(),
  nps: z.number().nullable(),
});

const transaction = z.looseObject({
  txn_id: z.string(),
  ts: z.string(),
  amount_fen: z.number(),
  direction: z.string(),
  channel: z.string(),
  txn_type: z.string(),
  merchant_category: z.string().nullable(),
});

export const customer360Response = z.looseObject({
  asOf: z.string(),
  profile: c360Profile,
  identity: z.looseObject({
    sourceRecords: z.array(
      z.looseObject({ id: z.number(), source_system: z.string(), source_key: z.string(), received_at: z.string() }),
    ),
    mergedIds: z.array(z.number()),
  }),
  holdings: z.object({
    current: z.array(holding),
    aumTrend: z.array(z.object({ date: z.string(), aum_fen: z.number() })),
    aumTrendByFamily: z.array(z.object({ date: z.string(), family: z.string(), balance_fen: z.number() })),
  }),
  productsHeld: z.array(z.object({ family: z.string(), count: z.number(), active: z.number() })),
  cards: z.array(z.record(z.string(), z.unknown())),
  loans: z.array(z.record(z.string(), z.unknown())),
  transactions: z.object({
    spendByCategory90d: z.array(z.object({ category: z.string(), amount_fen: z.number(), count: z.number() })),
    recent: z.array(transaction),
  }),
  appActivity30d: z.array(z.object({ day: z.string(), event_type: z.string(), count: z.number() })),
  consents: z.object({ current: z.array(consent), history: z.array(consent) }),
  contacts: z.array(contact),
  campaigns: z.array(z.looseObject({ campaign_id: z.string(), contacts: z.number() })),
  /** Contributed by the tags module when it registers its 360 section. */
  tags: z.unknown().optional(),
  /** Contributed by the models module (churn score with reasons) when it registers its 360 section. */
  scores: z.unknown().optional(),
});
export type Customer360 = z.infer<typeof customer360Response>;

/**
 * The `scores` section the console expects the models module to contribute to the 360 view (not yet served: the
 * console shows "no score" until it is): one entry per model with the customer's score and its top reasons in words.
 */
export const c360Scores = z.array(
  z.object({
    model: z.string(),
    version: z.union([z.string(), z.number()]).optional(),
    score: z.number(),
    band: z.string().optional(),
    asOf: z.string().optional(),
    reasons: z
      .array(
        z.object({
          feature: z.string(),
          contribution: z.number(),
          text: z.object({ zh: z.string(), en: z.string() }),
        }),
      )
      .default([]),
  }),
);
export type C360Scores = z.infer<typeof c360Scores>;
