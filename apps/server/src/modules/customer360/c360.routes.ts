import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { HttpProblem } from '../../http/problem.ts';
import { customerVisibleTo } from '../auth/scope.ts';
import { scoresSection, tagsSection } from './c360.sections.ts';
import { type C360Section, customer360 } from './c360.service.ts';

/** Sections other modules add to the 360 view. */
export const c360Sections: Record<string, (ctx: AppContext) => C360Section> = {
  tags: tagsSection,
  scores: scoresSection,
};

export async function customer360Routes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/customers/:id/360',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['customers'],
        summary: 'Customer 360 view (masked)',
        params: z.object({ id: z.coerce.number().int().positive() }),
        querystring: z.object({ asOf: z.iso.date().optional() }),
      },
    },
    async (req) => {
      const user = req.user;
      if (!user) throw new HttpProblem(401, 'Unauthorized', 'sign in first');
      const sections = Object.fromEntries(Object.entries(c360Sections).map(([k, f]) => [k, f(ctx)]));
      return customer360(
        {
          op: ctx.stores.op,
          an: ctx.stores.an,
          inScope: (id) => customerVisibleTo(ctx.stores.op, user, id),
          sections,
        },
        req.params.id,
        req.query.asOf ? { asOf: req.query.asOf } : {},
      );
    },
  );
}
