import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { HttpProblem } from '../../http/problem.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { actorOf } from '../auth/auth.service.ts';
import { pendingReviews } from './golden.repo.ts';
import { decideReviewPair, mergeCustomers, unmergeCustomers } from './golden.service.ts';
import { resolveSourceRecords } from './resolve.service.ts';

const reason = z.string().trim().min(5, 'state a reason of at least 5 characters').max(500);

/** Identity resolution: run the matcher, work the review queue, merge and unmerge golden records (all audited). */
export async function goldenRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = { op: ctx.stores.op, cipher: ctx.cipher };
  const who = (user: Parameters<typeof actorOf>[0]) => {
    if (!user) throw new HttpProblem(401, 'Unauthorized', 'sign in first');
    return { actor: user.id, actorRole: user.role };
  };

  r.get(
    '/api/v1/identity/reviews',
    {
      config: { permission: 'identity.review' },
      schema: {
        tags: ['identity'],
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
      },
    },
    async (req) => ({ items: await pendingReviews(ctx.stores.op, req.query.limit, req.query.offset) }),
  );

  r.post(
    '/api/v1/identity/reviews/:id/decision',
    {
      config: { permission: 'identity.review' },
      schema: {
        tags: ['identity'],
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: z.object({ decision: z.enum(['accept', 'reject']), reason }).strict(),
      },
    },
    async (req) => decideReviewPair(deps, { reviewId: req.params.id, ...req.body, ...who(req.user) }),
  );

  r.post(
    '/api/v1/identity/merges',
    {
      config: { permission: 'identity.review' },
      schema: {
        tags: ['identity'],
        body: z
          .object({ survivorId: z.number().int().positive(), mergedId: z.number().int().positive(), reason })
          .strict(),
      },
    },
    async (req) => mergeCustomers(deps, { ...req.body, ...who(req.user) }),
  );

  r.post(
    '/api/v1/identity/merges/:id/unmerge',
    {
      config: { permission: 'identity.review' },
      schema: {
        tags: ['identity'],
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: z.object({ reason }).strict(),
      },
    },
    async (req) => unmergeCustomers(deps, { mergeId: req.params.id, reason: req.body.reason, ...who(req.user) }),
  );

  r.post(
    '/api/v1/identity/resolve',
    { config: { permission: 'identity.review' }, schema: { tags: ['identity'] } },
    async (req) => {
      const report = await resolveSourceRecords(deps);
      await appendAudit(ctx, {
        actor: actorOf(req.user),
        action: 'identity.resolve',
        target: null,
        details: { linked: report.linked, reviewQueued: report.reviewQueued, conflicts: report.conflicts },
      });
      return report;
    },
  );
}
