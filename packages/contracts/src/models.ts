/**
 * HTTP contracts of the bank models (`/api/v1/models`, `/api/v1/customers/:id/scores`). The list and detail shapes are
 * a superset of what the console proposed in `console-models.ts` (same field names), plus calibration, per-feature
 * drift and the training report.
 */
import { z } from 'zod';

export const i18nText = z.object({ zh: z.string(), en: z.string() });

export const modelKind = z.enum(['churn', 'propensity', 'ltv']);
export const productFamily = z.enum([
  'deposit',
  'wealth',
  'fund',
  'insurance',
  'consumer_loan',
  'credit_card',
  'mortgage',
]);
export const modelStatus = z.enum(['candidate', 'active', 'retired']);

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const modelMetrics = z.object({
  /** binary models (holdout) */
  auc: z.number().nullable(),
  prAuc: z.number().nullable().optional(),
  precisionAtTopDecile: z.number().nullable(),
  liftTopDecile: z.number().nullable(),
  recallAtTopDecile: z.number().nullable().optional(),
  logLoss: z.number().nullable().optional(),
  brier: z.number().nullable().optional(),
  ece: z.number().nullable().optional(),
  positiveRate: z.number().nullable().optional(),
  /** regression (LTV) */
  rmse: z.number().nullable().optional(),
  mae: z.number().nullable().optional(),
  r2: z.number().nullable().optional(),
  rows: z.number().int().nullable().optional(),
  trainRows: z.number().int().nullable().optional(),
  holdoutRows: z.number().int().nullable().optional(),
  trees: z.number().int().nullable().optional(),
  /**
   * Out-of-time check at the scoring date against the synthetic bank's ground truth (churn in the 90 days after it);
   * absent for a real bank.
   */
  outOfTime: z
    .object({
      asOf: z.string(),
      rows: z.number().int(),
      positives: z.number().int(),
      auc: z.number().nullable(),
      precisionAtTopDecile: z.number().nullable(),
      liftTopDecile: z.number().nullable(),
    })
    .nullable()
    .optional(),
});
export type ModelMetricsDto = z.infer<typeof modelMetrics>;

export const modelSummary = z.object({
  id: z.string(),
  key: z.string(),
  name: i18nText,
  kind: modelKind,
  family: productFamily.nullable(),
  version: z.number().int(),
  status: modelStatus,
  trainedAt: z.string().nullable(),
  trainedOnAsOf: z.string(),
  metrics: modelMetrics,
  latestPsi: z.number().nullable().optional(),
  driftWarning: z.boolean(),
  lastScoredAsOf: z.string().nullable(),
});
export type ModelSummaryDto = z.infer<typeof modelSummary>;

export const modelListResponse = z.object({ models: z.array(modelSummary) });

export const modelIdParams = z.object({ id: z.string().min(1).max(100) });

export const featureImportanceView = z.object({
  feature: z.string(),
  importance: z.number(),
  splits: z.number().int(),
  text: i18nText.optional(),
});

export const modelDetailResponse = z.object({
  model: modelSummary,
  roc: z.array(z.object({ fpr: z.number(), tpr: z.number() })),
  lift: z.array(
    z.object({ decile: z.number().int(), lift: z.number(), responseRate: z.number(), captured: z.number() }),
  ),
  calibration: z.array(
    z.object({
      lower: z.number(),
      upper: z.number(),
      count: z.number().int(),
      meanPredicted: z.number().nullable(),
      fractionPositive: z.number().nullable(),
    }),
  ),
  features: z.array(featureImportanceView),
  drift: z.array(
    z.object({ date: z.string(), psi: z.number(), maxFeaturePsi: z.number().nullable(), warning: z.boolean() }),
  ),
  featureDrift: z.array(z.object({ date: z.string(), feature: z.string(), psi: z.number() })),
  scoreDistribution: z.array(z.object({ lo: z.number(), hi: z.number(), count: z.number().int() })),
  bands: z.object({ medium: z.number(), high: z.number() }),
  params: z.record(z.string(), z.unknown()),
  excludedTags: z.array(z.object({ tag: z.string(), reason: z.string(), detail: z.string() })),
});
export type ModelDetailDto = z.infer<typeof modelDetailResponse>;

export const trainRequest = z
  .object({
    kind: modelKind,
    family: productFamily.optional(),
    asOf: isoDate.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind === 'propensity' && !v.family)
      ctx.addIssue({ code: 'custom', path: ['family'], message: 'required for a propensity model' });
    if (v.kind !== 'propensity' && v.family)
      ctx.addIssue({ code: 'custom', path: ['family'], message: 'only propensity models take a family' });
  });
export type TrainRequest = z.infer<typeof trainRequest>;

export const trainResponse = z.object({
  ok: z.literal(true),
  model: modelSummary,
  promoted: z.boolean(),
  promotion: z.object({
    rule: z.string(),
    candidate: z.number().nullable(),
    active: z.number().nullable(),
    activeId: z.string().nullable(),
  }),
  scored: z.number().int(),
  scoredAsOf: z.string(),
  driftWarning: z.boolean(),
  durationMs: z.number(),
});

export const scoreReason = z.object({
  code: z.string(),
  feature: z.string(),
  contribution: z.number(),
  text: i18nText,
});

export const customerScoresParams = z.object({ id: z.coerce.number().int().positive() });

export const customerScoresResponse = z.object({
  customerId: z.number().int(),
  scores: z.array(
    z.object({
      model: z.string(),
      modelId: z.string(),
      version: z.number().int(),
      name: i18nText,
      score: z.number(),
      band: z.string(),
      asOf: z.string(),
      reasons: z.array(scoreReason),
    }),
  ),
});
export type CustomerScoresDto = z.infer<typeof customerScoresResponse>;
