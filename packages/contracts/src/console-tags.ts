/**
 * The shape of a tag's value distribution as the tag refresh records it (`tags.service.ts` `recordStats`); the tag
 * contract serves it as `unknown`, the console validates it with this schema before charting it.
 */
import { z } from 'zod';

export const tagDistribution = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('numeric'),
    min: z.number().nullable(),
    max: z.number().nullable(),
    mean: z.number().nullable(),
    quantiles: z.record(z.string(), z.number().nullable()),
    histogram: z.array(z.object({ lo: z.number(), hi: z.number(), count: z.number() })),
    outsideVocabulary: z.number().int().optional(),
  }),
  z.object({
    kind: z.literal('top'),
    values: z.array(z.object({ value: z.string(), count: z.number() })),
    /** Customers whose value is outside the tag's vocabulary (absent when none). */
    outsideVocabulary: z.number().int().optional(),
  }),
]);
export type TagDistribution = z.infer<typeof tagDistribution>;
