import { auditList, auditVerification } from '@lingxi/contracts/console-auth';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteModule } from '../../app.ts';
import { badRequest } from '../../http/problem.ts';
import { listEntries } from './audit.repo.ts';
import { verifyAuditChain } from './audit.service.ts';

const listQuery = z
  .object({
    actor: z.string().min(1).max(200).optional(),
    action: z.string().min(1).max(100).optional(),
    /** `type` or `type:id`, e.g. `customer:42`. */
    target: z.string().min(1).max(260).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    before: z.coerce.number().int().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

/**
 * The audit trail, read-only: list with filters (newest first, `before` cursor) and verify the hash chain. No route
 * writes or deletes entries — modules append through `appendAudit`.
 */
export const auditRoutes: RouteModule = (app, ctx) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/api/v1/audit',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'List audit entries (newest first)',
        querystring: listQuery,
        response: { 200: auditList },
      },
    },
    async (req) => {
      const q = req.query;
      const [targetType, ...rest] = q.target ? q.target.split(':') : [];
      const from = q.from ? new Date(q.from) : undefined;
      const to = q.to ? new Date(q.to) : undefined;
      if (from && to && from >= to) throw badRequest('querystring.to', 'must be later than from');
      const rows = await listEntries(ctx.stores.op, {
        actor: q.actor,
        action: q.action,
        targetType: targetType || undefined,
        targetId: rest.length ? rest.join(':') : undefined,
        from,
        to,
        before: q.before,
        limit: q.limit,
      });
      const last = rows.at(-1);
      return {
        entries: rows.map((r) => ({
          seq: r.seq,
          at: r.at.toISOString(),
          actor: { id: r.actor_id, role: r.actor_role },
          action: r.action,
          target: { type: r.target_type, id: r.target_id },
          reason: r.reason,
          details: r.details,
          prevHash: r.prev_hash,
          hash: r.hash,
        })),
        nextBefore: rows.length === q.limit && last ? last.seq : null,
      };
    },
  );

  typed.post(
    '/api/v1/audit/verify',
    {
      // A read-only computation over the trail: the same permission as reading it.
      config: { permission: 'audit.read' },
      schema: { tags: ['audit'], summary: 'Verify the audit hash chain', response: { 200: auditVerification } },
    },
    async () => verifyAuditChain(ctx.stores.op),
  );
};
