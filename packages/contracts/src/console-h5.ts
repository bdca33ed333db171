/**
 * The customer H5 endpoints (served by apps/server/src/modules/h5). Identity is a signed one-time link
 * `/h5/assessment?t=<token>` or `/h5/preferences?t=<token>`; no session, no CSRF (permission `public`, rate-limited).
 * Staff mint a link for a customer in their scope with `POST /api/v1/customers/:id/h5-links`.
 */
import { z } from 'zod';

const text = z.object({ zh: z.string(), en: z.string() });

/** POST /api/v1/customers/:id/h5-links { kind } → a one-time link (customers.read; in scope; audited). */
export const h5LinkRequest = z.object({ kind: z.enum(['assessment', 'preferences']) }).strict();
export const h5LinkResponse = z.object({ url: z.string(), token: z.string(), expiresAt: z.string() });

/** GET /api/v1/h5/assessment?t= → the questionnaire without scores (no answer is right or wrong). */
export const h5AssessmentView = z.object({
  customer: z.object({ nameMasked: z.string() }),
  currentLevel: z.string().nullable(),
  expiresAt: z.string(),
  /** The bank's display time zone: the page shows times in it. */
  timezone: z.string(),
  questionnaire: z.object({
    version: z.string(),
    title: text,
    questions: z.array(
      z.object({
        id: z.string(),
        dimension: z.string(),
        text: text,
        options: z.array(z.object({ id: z.string(), label: text })),
      }),
    ),
  }),
});
export type H5AssessmentView = z.infer<typeof h5AssessmentView>;

/** POST /api/v1/h5/assessment { t, questionnaireVersion, answers } → the result; the token is spent. */
export const h5AssessmentSubmit = z
  .object({ t: z.string(), questionnaireVersion: z.string(), answers: z.record(z.string(), z.string()) })
  .strict();
export const h5AssessmentResult = z.object({
  level: z.enum(['C1', 'C2', 'C3', 'C4', 'C5']),
  name: text,
  description: text,
  score: z.number(),
  maxScore: z.number(),
  completedAt: z.string(),
  validUntil: z.string(),
  allowedProductRisks: z.array(z.string()),
  appliedCaps: z.array(z.object({ reason: text })).default([]),
});
export type H5AssessmentResult = z.infer<typeof h5AssessmentResult>;

/** GET /api/v1/h5/preferences?t= → current consent per purpose × channel that the customer may change. */
export const h5Preferences = z.object({
  customer: z.object({ nameMasked: z.string() }),
  expiresAt: z.string(),
  /** The bank's display time zone: the page shows times in it. */
  timezone: z.string(),
  items: z.array(
    z.object({
      purpose: z.string(),
      channel: z.string(),
      status: z.enum(['granted', 'withdrawn', 'refused', 'none']),
      recordedAt: z.string().nullable(),
    }),
  ),
  /** The customer's interest tags (P4: the customer may delete them). */
  interests: z.array(z.string()).default([]),
});
export type H5Preferences = z.infer<typeof h5Preferences>;

/** POST /api/v1/h5/preferences { t, changes } → the new state (consent events with source h5_preference_centre). */
export const h5PreferencesUpdate = z
  .object({
    t: z.string(),
    changes: z.array(
      z.object({ purpose: z.string(), channel: z.string(), status: z.enum(['granted', 'withdrawn']) }).strict(),
    ),
    /** Interest tags to delete (`interest.*`). */
    deleteInterests: z.array(z.string()).max(50).optional(),
  })
  .strict();
