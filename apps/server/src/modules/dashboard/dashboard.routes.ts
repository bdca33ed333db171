import { ratesResponse, segmentsQuery, segmentsResponse, trendQuery, trendResponse } from '@lingxi/contracts/dashboard';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { HttpProblem } from '../../http/problem.ts';
import { scopeOf } from '../auth/auth.service.ts';
import { type DashboardScope, latestTagDate, rateCounts, segments, trend } from './dashboard.repo.ts';

function scopeFor(req: FastifyRequest): DashboardScope {
  if (!req.user) throw new HttpProblem(401, 'Unauthorized', 'sign in first');
  const s = scopeOf(req.user);
  return s.kind === 'branch' ? { kind: 'branch', branchIds: [...s.branchIds] } : s;
}

const ratio = (numerator: number, denominator: number) => ({
  numerator,
  denominator,
  rate: denominator > 0 ? numerator / denominator : null,
});

/** The management cockpit (经营驾驶舱): one endpoint per chart, all within the caller's data scope. */
export async function dashboardRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const an = ctx.stores.an;

  r.get(
    '/api/v1/dashboard/segments',
    {
      config: { permission: 'dashboard.read' },
      schema: { tags: ['dashboard'], querystring: segmentsQuery, response: { 200: segmentsResponse } },
    },
    async (req) => {
      const asOf = await latestTagDate(an);
      const rows = asOf ? await segments(an, asOf, req.query.dimension, scopeFor(req)) : [];
      return { asOf, dimension: req.query.dimension, rows };
    },
  );

  r.get(
    '/api/v1/dashboard/rates',
    { config: { permission: 'dashboard.read' }, schema: { tags: ['dashboard'], response: { 200: ratesResponse } } },
    async (req) => {
      const asOf = await latestTagDate(an);
      const c = asOf
        ? await rateCounts(an, asOf, scopeFor(req))
        : { cardHolders: 0, activated: 0, firstSwiped: 0, churned: 0, onboarded: 0, customers: 0, aumFen: 0 };
      return {
        asOf,
        activation: ratio(c.activated, c.cardHolders),
        firstSwipe: ratio(c.firstSwiped, c.activated),
        churn: ratio(c.churned, c.onboarded),
        customers: c.customers,
        aumFen: c.aumFen,
      };
    },
  );

  r.get(
    '/api/v1/dashboard/trend',
    {
      config: { permission: 'dashboard.read' },
      schema: { tags: ['dashboard'], querystring: trendQuery, response: { 200: trendResponse } },
    },
    async (req) => {
      const grain = req.query.grain;
      const periods = req.query.periods ?? { day: 60, week: 26, month: 12 }[grain];
      return { grain, rows: await trend(an, grain, periods, scopeFor(req), ctx.config.timezone) };
    },
  );
}
