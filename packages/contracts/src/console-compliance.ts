/**
 * The rulebook with its parameters, maker–checker approvals and system
 * settings. Shapes follow `describeRules()` in packages/core/src/compliance/rules.ts.
 */
import { z } from 'zod';

const text = z.object({ zh: z.string(), en: z.string() });

export const ruleParameter = z.object({
  type: z.enum(['number', 'duration', 'time', 'boolean', 'enum', 'list']),
  default: z.unknown(),
  unit: z.string().nullable(),
  bounds: z.object({ min: z.number().optional(), max: z.number().optional() }).nullable(),
  values: z.array(z.string()).nullable(),
  tighten: z.string(),
  tightenOnly: z.boolean(),
  description: text,
  value: z.unknown(),
});
export type RuleParameter = z.infer<typeof ruleParameter>;

export const ruleDescription = z.object({
  id: z.string(),
  category: z.string(),
  title: text,
  citation: z.string(),
  confidence: z.string(),
  summary: text,
  parameters: z.record(z.string(), ruleParameter),
});
export type RuleDescription = z.infer<typeof ruleDescription>;

/** GET /api/v1/compliance/rules (compliance.rules.read). */
export const rulesResponse = z.object({ rules: z.array(ruleDescription), updatedAt: z.string().nullable().optional() });

/**
 * PUT /api/v1/compliance/rules/:id/parameters { values, reason } (compliance.rules.write): validated by
 * `resolveRuleParams` (tighten-only parameters refuse loosening), audited with the reason; returns the rule.
 */
export const ruleParamsUpdate = z
  .object({ values: z.record(z.string(), z.unknown()), reason: z.string().min(5).max(500) })
  .strict();

export const approvalView = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  status: z.enum(['pending', 'approved', 'rejected', 'withdrawn']),
  submittedBy: z.string(),
  submittedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  comment: z.string().nullable(),
  /** When an approved export approval was used for its one export (P10), and by whom; null otherwise. */
  usedAt: z.string().nullable(),
  usedBy: z.string().nullable(),
  /** What is being approved (copy text, campaign summary, export request…). */
  payload: z.unknown(),
  /** Copy-checker findings at submission (content only). */
  findings: z.unknown(),
  /** The rules behind the submission: M7 always, the copy rules found, P10 for exports. */
  ruleIds: z.array(z.string()),
});
export type ApprovalView = z.infer<typeof approvalView>;

/** GET /api/v1/approvals?status= (approvals.approve: every submission); GET /api/v1/approvals/mine (approvals.submit: own). */
export const approvalList = z.object({ approvals: z.array(approvalView) });

/** POST /api/v1/approvals/:id/decision { decision, comment } (approvals.approve; never one's own submission). */
export const approvalDecision = z
  .object({ decision: z.enum(['approve', 'reject']), comment: z.string().max(1000).optional() })
  .strict();

/** GET /api/v1/settings (settings.read) and PATCH /api/v1/settings { values, reason } (settings.write). */
export const settingsResponse = z.object({
  settings: z.array(
    z.object({
      key: z.string(),
      value: z.unknown(),
      type: z.enum(['number', 'string', 'boolean']),
      description: text,
      updatedAt: z.string().nullable(),
      updatedBy: z.string().nullable(),
    }),
  ),
});
export const settingsUpdate = z
  .object({ values: z.record(z.string(), z.unknown()), reason: z.string().min(5).max(500) })
  .strict();
