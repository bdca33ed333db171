/** Tag factory API: catalogue with coverage, tag detail, a customer's tags, on-demand refresh. */
import {
  customerTagsParams,
  customerTagsQuery,
  customerTagsResponse,
  defineTagsRequest,
  defineTagsResponse,
  refreshRequest,
  refreshResponse,
  refreshRunsQuery,
  refreshRunsResponse,
  retireTagRequest,
  tagDetailResponse,
  tagIdParams,
  tagListResponse,
} from '@lingxi/contracts/tags';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteModule } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { notFound } from '../../http/problem.ts';
import { actorOf } from '../auth/auth.service.ts';
import { customerVisibleTo } from '../auth/scope.ts';
import { identityIds } from '../customer360/c360.repo.ts';
import { defineCustomTags, retireCustomTag } from './custom-tags.service.ts';
import { customerTags, listRefreshRuns, listTags, refreshTags, tagDetail } from './tags.service.ts';

export const tagsRoutes: RouteModule = async (fastify: FastifyInstance, ctx: AppContext) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/v1/tags',
    {
      config: { permission: 'tags.read' },
      schema: {
        tags: ['tags'],
        summary: 'Tag catalogue with coverage and freshness',
        response: { 200: tagListResponse },
      },
    },
    async () => {
      const r = await listTags(ctx);
      return { asOf: r.asOf, count: r.tags.length, tags: r.tags, broken: r.broken };
    },
  );

  app.get(
    '/api/v1/tags/refreshes',
    {
      config: { permission: 'tags.read' },
      schema: {
        tags: ['tags'],
        summary: 'Recent tag refreshes (scheduled, console, CLI), newest first, failed ones with their error',
        querystring: refreshRunsQuery,
        response: { 200: refreshRunsResponse },
      },
    },
    async (req) => ({ runs: await listRefreshRuns(ctx, req.query.limit) }),
  );

  app.get(
    '/api/v1/tags/:id',
    {
      config: { permission: 'tags.read' },
      schema: {
        tags: ['tags'],
        summary: 'Tag definition, versions and value distribution',
        params: tagIdParams,
        response: { 200: tagDetailResponse },
      },
    },
    async (req) => {
      const d = await tagDetail(ctx, req.params.id);
      if (!d) throw notFound(`tag ${req.params.id}`);
      return d;
    },
  );

  app.get(
    '/api/v1/customers/:id/tags',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['tags'],
        summary: "A customer's tag values in a snapshot (newest by default)",
        params: customerTagsParams,
        querystring: customerTagsQuery,
        response: { 200: customerTagsResponse },
      },
    },
    async (req) => {
      // Data scope is checked here, not only by the permission: an RM sees only their customers (404 otherwise).
      if (!req.user || !(await customerVisibleTo(ctx.stores.op, req.user, req.params.id)))
        throw notFound(`customer ${req.params.id}`);
      const ids = await identityIds(ctx.stores.op, req.params.id);
      const r = await customerTags(ctx, ids, req.query.asOf);
      return { customerId: req.params.id, ...r };
    },
  );

  app.post(
    '/api/v1/tags/refresh',
    {
      config: { permission: 'tags.refresh' },
      schema: {
        tags: ['tags'],
        summary: 'Recompute every tag as of a date (default today) and rebuild the tag index',
        body: refreshRequest.optional(),
        response: { 200: refreshResponse },
      },
    },
    async (req) => refreshTags(ctx, { asOf: req.body?.asOf, trigger: 'api', actor: req.user?.id }),
  );

  app.post(
    '/api/v1/tags/definitions',
    {
      config: { permission: 'tags.write' },
      schema: {
        tags: ['tags'],
        summary: 'Add or replace bank-specific tags (ids under bank.) from JSON or YAML definitions',
        description:
          'The definitions are validated and compiled together with the catalogue in force; errors name the tag and ' +
          'the field. `dryRun` checks without saving. The next refresh computes the tags. Audited.',
        body: defineTagsRequest,
        response: { 200: defineTagsResponse },
      },
    },
    async (req) => defineCustomTags(ctx, req.body, actorOf(req.user)),
  );

  app.delete(
    '/api/v1/tags/definitions/:id',
    {
      config: { permission: 'tags.write' },
      schema: {
        tags: ['tags'],
        summary: 'Retire a bank-specific tag (refused while other tags or saved audiences use it)',
        params: tagIdParams,
        querystring: retireTagRequest,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await retireCustomTag(ctx, req.params.id, actorOf(req.user), req.query.reason);
      return reply.status(204).send(null);
    },
  );
};
