/** HTTP contracts of the audience builder (`/api/v1/audiences`). */
import { z } from 'zod';

export const audiencePurpose = z.enum(['marketing', 'service', 'regulatory']);

/**
 * The expression is validated in depth (shape, tags, operators, values) by core's audience module, which names the
 * offending field; here it is any JSON object.
 */
export const audienceExpression = z.record(z.string(), z.unknown());

export const countRequest = z
  .object({ expression: audienceExpression, purpose: audiencePurpose.default('marketing') })
  .strict();

export const countResponse = z.object({
  count: z.number().int(),
  /** Matching customers left out by rule P4 (personalised marketing off). */
  excluded: z.number().int(),
  /**
   * Rules with a bearing on the result, with an explanation: `applied` (e.g. P4 excluded customers) or `exempt` (the
   * audience's purpose exempts it: a service audience over behavioural tags keeps personalisation-off customers).
   */
  rules: z.array(z.object({ id: z.string(), effect: z.enum(['applied', 'exempt']), detail: z.string() })),
  elapsedMs: z.number(),
  asOf: z.string(),
  tagVersions: z.record(z.string(), z.number().int()),
});

export const overlapRequest = z
  .object({
    a: audienceExpression,
    b: audienceExpression,
    purpose: audiencePurpose.default('marketing'),
  })
  .strict();
export const overlapResponse = z.object({
  a: z.number().int(),
  b: z.number().int(),
  intersection: z.number().int(),
  union: z.number().int(),
  elapsedMs: z.number(),
  asOf: z.string(),
});

export const audienceInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    expression: audienceExpression,
    purpose: audiencePurpose,
  })
  .strict();

export const audienceView = z.object({
  id: z.string(),
  name: z.string(),
  expression: z.unknown(),
  purpose: audiencePurpose,
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const audienceList = z.object({ audiences: z.array(audienceView) });
export const audienceIdParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not an audience id') });

export const snapshotResponse = z.object({
  id: z.number().int(),
  audienceId: z.string(),
  asOf: z.string(),
  count: z.number().int(),
  excluded: z.number().int(),
  tagVersions: z.record(z.string(), z.number().int()),
  createdAt: z.string(),
});

export const sampleQuery = z.object({ size: z.coerce.number().int().min(1).max(200).default(20) });
export const sampleResponse = z.object({
  count: z.number().int(),
  /** Members in the user's data scope (the sample is drawn from these; the whole audience for a bank-wide user). */
  inScope: z.number().int(),
  asOf: z.string(),
  customers: z.array(z.object({ id: z.number().int(), nameMasked: z.string(), mobileMasked: z.string().nullable() })),
});

export const snapshotList = z.object({
  snapshots: z.array(snapshotResponse.extend({ createdBy: z.string() })),
});

export const exportQuery = z
  .object({
    /** Export this frozen snapshot of the audience instead of its live members. */
    snapshot: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
    /** The approved export approval this export uses (P10: needed from the configured data level up; used once). */
    approval: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict();

/** POST /api/v1/audiences/:id/export-approvals: ask the checker (M7) to approve one export (P10). */
export const exportApprovalRequest = z
  .object({
    /** The title the checker sees in the approvals queue. */
    title: z.string().trim().min(1).max(200),
    /** Why the list leaves the system (for whom, for what); the checker decides on it. */
    reason: z.string().trim().min(5).max(1000),
    /** A frozen snapshot of the audience; without it the live members at the time of the export. */
    snapshot: z.number().int().min(1).max(2_147_483_647).optional(),
  })
  .strict();

/**
 * What an export approval records for the checker (written by the server when the maker asks; shown on the approvals
 * page): the audience, its purpose, the snapshot (null: the live members at the time of the export), the data date,
 * the audience's size and the members in the maker's scope when asking, the columns, their level (P10) and the reason.
 */
export const exportApprovalPayload = z.object({
  audienceId: z.string(),
  audienceName: z.string(),
  purpose: z.string(),
  snapshot: z.number().int().nullable(),
  asOf: z.string(),
  count: z.number().int(),
  rows: z.number().int(),
  scope: z.enum(['all', 'branch', 'rm']),
  columns: z.array(z.string()),
  level: z.number().int(),
  reason: z.string(),
});
export type ExportApprovalPayload = z.infer<typeof exportApprovalPayload>;

const exportColumn = z.object({ name: z.string(), class: z.enum(['public', 'C1', 'C2', 'C3']) });

/**
 * GET /api/v1/audiences/:id/exports: the export's columns and data level (P10), whether an export needs an approved
 * export approval, and the caller's own export approvals for the audience (newest first).
 */
export const audienceExports = z.object({
  policy: z.object({
    columns: z.array(exportColumn),
    level: z.number().int().min(1).max(5),
    approvalRequiredFromLevel: z.number().int().min(1).max(5),
    approvalRequired: z.boolean(),
    /** Days after the decision during which an approved export approval may be used. */
    approvalValidDays: z.number().int().min(1),
    ruleIds: z.array(z.string()),
  }),
  approvals: z.array(
    z.object({
      id: z.number().int(),
      title: z.string(),
      status: z.enum(['pending', 'approved', 'rejected', 'withdrawn']),
      /** When an approved approval stops being usable (`approvalValidDays` after the decision), and whether it has. */
      expiresAt: z.string().nullable(),
      expired: z.boolean(),
      /** The frozen snapshot the approval is for; null for the live audience. */
      snapshot: z.number().int().nullable(),
      submittedAt: z.string(),
      decidedBy: z.string().nullable(),
      decidedAt: z.string().nullable(),
      comment: z.string().nullable(),
      usedAt: z.string().nullable(),
    }),
  ),
});
export type AudienceExports = z.infer<typeof audienceExports>;
