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
  })
  .strict();
