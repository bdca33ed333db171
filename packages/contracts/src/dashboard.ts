import { z } from 'zod';

/** GET /api/v1/dashboard/segments?dimension= — customers and AUM by lifecycle stage, wealth tier or persona. */
export const segmentDimension = z.enum(['lifecycle', 'tier', 'persona']);
export const segmentsQuery = z.object({ dimension: segmentDimension });
export const segmentsResponse = z.object({
  asOf: z.string().nullable(),
  dimension: segmentDimension,
  rows: z.array(z.object({ segment: z.string(), customers: z.number().int(), aumFen: z.number() })),
});
export type SegmentsResponse = z.infer<typeof segmentsResponse>;

/** GET /api/v1/dashboard/rates — activation, first-swipe and churn rates as of the latest tag snapshot. */
const rate = z.object({ numerator: z.number().int(), denominator: z.number().int(), rate: z.number().nullable() });
export const ratesResponse = z.object({
  asOf: z.string().nullable(),
  activation: rate,
  firstSwipe: rate,
  churn: rate,
  customers: z.number().int(),
  aumFen: z.number(),
});
export type RatesResponse = z.infer<typeof ratesResponse>;

/** GET /api/v1/dashboard/trend?grain= — activity, spend, new customers and AUM by day, week or month. */
export const trendGrain = z.enum(['day', 'week', 'month']);
export const trendQuery = z.object({
  grain: trendGrain.default('month'),
  periods: z.coerce.number().int().min(1).max(400).optional(),
});
export const trendResponse = z.object({
  grain: trendGrain,
  rows: z.array(
    z.object({
      period: z.string(),
      activeCustomers: z.number().int(),
      transactions: z.number().int(),
      spendFen: z.number(),
      newCustomers: z.number().int(),
      aumFen: z.number().nullable(),
    }),
  ),
});
export type TrendResponse = z.infer<typeof trendResponse>;
