/** Audience builder API: count, overlap, CRUD, frozen snapshots, masked samples and CSV export. */

import { Readable } from 'node:stream';
import {
  audienceExports,
  audienceIdParams,
  audienceInput,
  audienceList,
  audienceView,
  countRequest,
  countResponse,
  exportApprovalRequest,
  exportQuery,
  overlapRequest,
  overlapResponse,
  sampleQuery,
  sampleResponse,
  snapshotList,
  snapshotResponse,
} from '@lingxi/contracts/audiences';
import { approvalView } from '@lingxi/contracts/console-compliance';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteModule } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { signedIn } from '../auth/auth.plugin.ts';
import {
  countAudience,
  createAudience,
  deleteAudience,
  exportAudience,
  audienceExports as exportsOf,
  getAudience,
  listAudienceSnapshots,
  listAudiences,
  overlapAudiences,
  requestExportApproval,
  sampleAudience,
  snapshotAudience,
  updateAudience,
} from './audiences.service.ts';

export const audiencesRoutes: RouteModule = async (fastify: FastifyInstance, ctx: AppContext) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['audiences'];

  app.post(
    '/api/v1/audiences/count',
    {
      config: { permission: 'audiences.read' },
      schema: {
        tags,
        summary: 'Size of an expression (bitmap index), with P4 exclusions',
        body: countRequest,
        response: { 200: countResponse },
      },
    },
    async (req) => countAudience(ctx, req.body.expression, req.body.purpose),
  );

  app.post(
    '/api/v1/audiences/overlap',
    {
      config: { permission: 'audiences.read' },
      schema: { tags, summary: 'Overlap of two expressions', body: overlapRequest, response: { 200: overlapResponse } },
    },
    async (req) => overlapAudiences(ctx, req.body.a, req.body.b, req.body.purpose),
  );

  app.get(
    '/api/v1/audiences',
    {
      config: { permission: 'audiences.read' },
      schema: { tags, summary: 'Saved audiences', response: { 200: audienceList } },
    },
    async () => ({ audiences: await listAudiences(ctx) }),
  );

  app.post(
    '/api/v1/audiences',
    {
      config: { permission: 'audiences.write' },
      schema: { tags, summary: 'Save an audience', body: audienceInput, response: { 201: audienceView } },
    },
    async (req, reply) => reply.status(201).send(await createAudience(ctx, req.body, signedIn(req))),
  );

  app.get(
    '/api/v1/audiences/:id',
    {
      config: { permission: 'audiences.read' },
      schema: { tags, summary: 'One audience', params: audienceIdParams, response: { 200: audienceView } },
    },
    async (req) => getAudience(ctx, req.params.id),
  );

  app.put(
    '/api/v1/audiences/:id',
    {
      config: { permission: 'audiences.write' },
      schema: {
        tags,
        summary: 'Replace an audience',
        params: audienceIdParams,
        body: audienceInput,
        response: { 200: audienceView },
      },
    },
    async (req) => updateAudience(ctx, req.params.id, req.body, signedIn(req)),
  );

  app.delete(
    '/api/v1/audiences/:id',
    {
      config: { permission: 'audiences.write' },
      schema: {
        tags,
        summary: 'Delete an audience and its snapshots',
        params: audienceIdParams,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await deleteAudience(ctx, req.params.id, signedIn(req));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/audiences/:id/snapshot',
    {
      config: { permission: 'audiences.write' },
      schema: {
        tags,
        summary: 'Freeze the audience (bitmap, as-of date, tag versions)',
        params: audienceIdParams,
        response: { 201: snapshotResponse },
      },
    },
    async (req, reply) => reply.status(201).send(await snapshotAudience(ctx, req.params.id, signedIn(req))),
  );

  app.get(
    '/api/v1/audiences/:id/snapshots',
    {
      config: { permission: 'audiences.read' },
      schema: {
        tags,
        summary: 'The frozen snapshots of an audience, newest first',
        params: audienceIdParams,
        response: { 200: snapshotList },
      },
    },
    async (req) => ({ snapshots: await listAudienceSnapshots(ctx, req.params.id) }),
  );

  app.get(
    '/api/v1/audiences/:id/sample',
    {
      config: { permission: 'audiences.read' },
      schema: {
        tags,
        summary: 'Random members, masked',
        params: audienceIdParams,
        querystring: sampleQuery,
        response: { 200: sampleResponse },
      },
    },
    async (req) => sampleAudience(ctx, req.params.id, req.query.size, signedIn(req)),
  );

  app.get(
    '/api/v1/audiences/:id/exports',
    {
      config: { permission: 'audiences.export' },
      schema: {
        tags,
        summary: 'The export policy (columns, data level, whether an approval is needed) and your export approvals',
        description:
          'P10: an export is at the level of its most sensitive column; from `approvalRequiredFromLevel` up (a rule ' +
          'parameter compliance may tighten) it names an approved export approval of the exporter, good for one export.',
        params: audienceIdParams,
        response: { 200: audienceExports },
      },
    },
    async (req) => exportsOf(ctx, req.params.id, signedIn(req)),
  );

  app.post(
    '/api/v1/audiences/:id/export-approvals',
    {
      config: { permission: 'audiences.export' },
      schema: {
        tags,
        summary: 'Ask the checker to approve one export of the audience or of one of its snapshots (M7, P10)',
        description:
          'Needs `approvals.submit` too. The approval records the audience, its purpose, the data date, the members ' +
          'you would export (in your scope, now), the columns and their level, and your reason.',
        params: audienceIdParams,
        body: exportApprovalRequest,
        response: { 201: approvalView },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await requestExportApproval(ctx, req.params.id, signedIn(req), req.body)),
  );

  app.get(
    '/api/v1/audiences/:id/export',
    {
      config: { permission: 'audiences.export' },
      schema: {
        tags,
        summary: 'CSV of the members in your data scope, masked PII only, watermarked with the exporter (audited)',
        description:
          'The live members, or with `snapshot` those of a frozen snapshot of this audience. ' +
          "UTF-8 with a byte-order mark; cells a spreadsheet would run as a formula are prefixed with `'`. " +
          '`X-Lingxi-Rows` gives the number of members exported (those in your branch subtree, or the whole ' +
          'audience for a bank-wide user). From the data level in force (P10) `approval` names an approved export ' +
          'approval of yours for this audience (and snapshot); it is used up by the export.',
        params: audienceIdParams,
        querystring: exportQuery,
      },
    },
    async (req, reply) => {
      const user = signedIn(req);
      // evaluates and audits before the first byte: errors still become problem responses
      const out = await exportAudience(ctx, req.params.id, user, req.query);
      return reply
        .header('Content-Type', 'text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${req.params.id}.csv"`)
        .header('X-Lingxi-Watermark', user.id)
        .header('X-Lingxi-Rows', String(out.rows))
        .send(Readable.from(out.lines));
    },
  );
};
