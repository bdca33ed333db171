/**
 * PROPOSED by the console (no server routes yet): model monitoring. `GET /api/v1/models` lists models with their
 * headline metrics; `GET /api/v1/models/:id` returns the charts' data (ROC, lift by decile, top features, PSI drift over
 * time, score distribution). Permission `models.read`.
 */
import { z } from 'zod';

const text = z.object({ zh: z.string(), en: z.string() });

export const modelSummary = z.object({
  id: z.string(),
  name: text,
  kind: z.string(),
  version: z.union([z.string(), z.number()]),
  status: z.string(),
  trainedAt: z.string().nullable(),
  metrics: z.object({
    auc: z.number().nullable(),
    precisionAtTopDecile: z.number().nullable(),
    liftTopDecile: z.number().nullable(),
    rows: z.number().int().nullable().optional(),
  }),
  latestPsi: z.number().nullable().optional(),
});
export type ModelSummary = z.infer<typeof modelSummary>;
export const modelList = z.object({ models: z.array(modelSummary) });

export const modelDetail = z.object({
  model: modelSummary,
  roc: z.array(z.object({ fpr: z.number(), tpr: z.number() })),
  lift: z.array(z.object({ decile: z.number().int(), lift: z.number(), responseRate: z.number() })),
  features: z.array(z.object({ feature: z.string(), importance: z.number(), text: text.optional() })),
  drift: z.array(z.object({ date: z.string(), psi: z.number() })),
  scoreDistribution: z.array(z.object({ lo: z.number(), hi: z.number(), count: z.number().int() })),
});
export type ModelDetail = z.infer<typeof modelDetail>;
