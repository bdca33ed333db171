import { z } from 'zod';

/** Thresholds of the standard catalogue a bank may tune (money in fen). */
export const catalogueOptionsSchema = z
  .object({
    /** wealth.tier bounds on the 3-month average AUM: affluent from, high-net-worth from. */
    affluentFromFen: z.number().int().positive().default(50_000_000),
    hnwFromFen: z.number().int().positive().default(600_000_000),
    /** persona.quasi_middle_class: household monthly income bound. */
    quasiMiddleIncomeFen: z.number().int().positive().default(2_000_000),
    /** lifecycle.stage: churned when AUM below this and inactive for churnInactiveDays. */
    churnAumFen: z.number().int().nonnegative().default(10_000),
    churnInactiveDays: z.number().int().positive().default(180),
    newCustomerDays: z.number().int().positive().default(90),
    activeDays: z.number().int().positive().default(30),
    dormantDays: z.number().int().positive().default(90),
    /** interest.*: category share of 180-day spend above which the interest is set. */
    interestShare: z.number().min(0).max(1).default(0.15),
    /** risk.level: an assessment older than this is expired (S6). */
    riskValidityDays: z.number().int().positive().default(365),
    /** value.contribution_12m: estimated annual margin on AUM and on loans outstanding. */
    aumMargin: z.number().min(0).max(1).default(0.01),
    loanMargin: z.number().min(0).max(1).default(0.02),
  })
  .strict()
  .refine((o) => o.hnwFromFen > o.affluentFromFen, { message: 'must exceed affluentFromFen', path: ['hnwFromFen'] });

export type CatalogueOptions = z.infer<typeof catalogueOptionsSchema>;
