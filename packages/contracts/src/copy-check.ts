import { z } from 'zod';

/** POST /api/v1/compliance/check-copy — the marketing-copy checker (rulebook M1–M12). */
export const copyCheckRequest = z
  .object({
    text: z.string().min(1).max(20_000),
    productType: z.enum(['wealth', 'fund', 'insurance', 'deposit', 'loan', 'card', 'other']),
    channel: z.enum(['sms', 'push', 'wechat', 'email', 'banner', 'call_script']),
  })
  .strict();
export type CopyCheckRequest = z.infer<typeof copyCheckRequest>;

const bilingual = z.object({ zh: z.string(), en: z.string() });

export const copyFinding = z.object({
  ruleId: z.string(),
  severity: z.enum(['error', 'warning']),
  span: z.object({ start: z.number().int(), end: z.number().int() }),
  matched: z.string(),
  message: bilingual,
  suggestion: bilingual,
});

export const copyCheckResponse = z.object({
  ok: z.boolean(),
  findings: z.array(copyFinding),
  elapsedMs: z.number(),
});
export type CopyCheckResponse = z.infer<typeof copyCheckResponse>;
