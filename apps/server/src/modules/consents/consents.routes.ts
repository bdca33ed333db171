import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteModule } from '../../app.ts';
import { signedIn } from '../auth/auth.plugin.ts';
import {
  consentEventBody,
  contactCheckForUser,
  contactCheckItem,
  customerConsents,
  importConsents,
  recordConsentAsStaff,
  smsInbound,
} from './consents.service.ts';

const idParams = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

/** The consent registry (P1–P7), inbound SMS opt-outs (M12) and the contact-policy check (A1–A3, M13). */
export const consentsRoutes: RouteModule = (app, ctx) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  // CSV bodies for the bulk import
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 20 * 1024 * 1024 }, (_req, body, done) =>
    done(null, body),
  );

  typed.get(
    '/api/v1/customers/:id/consents',
    {
      config: { permission: 'consents.read' },
      schema: {
        tags: ['consents'],
        summary: 'Consent state per purpose × channel and the full event history of a customer in scope',
        params: idParams,
      },
    },
    async (req) => customerConsents(ctx, signedIn(req), req.params.id),
  );

  typed.post(
    '/api/v1/customers/:id/consents',
    {
      config: { permission: 'consents.write' },
      schema: {
        tags: ['consents'],
        summary: 'Record a grant, withdrawal or refusal (P6: no new request within 90 days of a refusal)',
        params: idParams,
        body: consentEventBody,
      },
    },
    async (req, reply) =>
      reply.status(201).send(await recordConsentAsStaff(ctx, signedIn(req), req.params.id, req.body)),
  );

  typed.post(
    '/api/v1/consents/import',
    {
      config: { permission: 'consents.write' },
      schema: {
        tags: ['consents'],
        summary:
          'Bulk import consent events (text/csv: customer_id, purpose, channel, status, notice_version, source, ' +
          'evidence, recorded_at); bad rows are reported by line and field; re-import adds nothing',
        body: z.string().max(20 * 1024 * 1024),
      },
    },
    async (req) => importConsents(ctx, signedIn(req), req.body),
  );

  typed.post(
    '/api/v1/consents/sms-inbound',
    {
      config: { permission: 'consents.write' },
      schema: {
        tags: ['consents'],
        summary: 'An inbound SMS reply from the gateway: TD / 退订 / T withdraws SMS marketing consent (M12)',
        body: z
          .object({
            messageId: z.string().trim().min(1).max(100),
            from: z.string().trim().min(11).max(20),
            text: z.string().max(1000),
            receivedAt: z.coerce.date().optional(),
          })
          .strict(),
      },
    },
    async (req) => smsInbound(ctx, req.body),
  );

  typed.post(
    '/api/v1/compliance/contact-check',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['compliance'],
        summary: 'May we contact these customers on this channel for this purpose now (or when)? yes / no / not-before',
        body: z.object({ checks: z.array(contactCheckItem).min(1).max(1000) }).strict(),
      },
    },
    async (req) => contactCheckForUser(ctx, signedIn(req), req.body.checks),
  );
};
