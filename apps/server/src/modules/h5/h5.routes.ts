import { h5AssessmentSubmit, h5LinkRequest, h5PreferencesUpdate } from '@lingxi/contracts/console-h5';
import { DEFAULT_QUESTIONNAIRE } from '@lingxi/core/compliance/risk-questionnaire';
import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteModule } from '../../app.ts';
import { HttpProblem } from '../../http/problem.ts';
import { signedIn } from '../auth/auth.plugin.ts';
import { FixedWindowLimiter } from '../auth/http-primitives.ts';
import { assessmentView, mintLink, preferencesView, submitAssessment, updatePreferences } from './h5.service.ts';

const idParams = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });
const tokenQuery = z.object({ t: z.string().min(20).max(200) }).strict();

/**
 * Staff mint one-time links; the customer H5 pages call the public routes with the token. Public routes are limited
 * to 30 requests a minute per address (a token is unguessable; the limit stops probing and floods).
 */
export const h5Routes: RouteModule = (app, ctx) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const limiter = new FixedWindowLimiter(30, 60_000);
  const limit = (req: FastifyRequest) => {
    const r = limiter.hit(req.ip);
    if (!r.allowed) {
      throw new HttpProblem(429, 'Too Many Requests', `too many requests; retry in ${r.retryAfterSeconds} s`);
    }
  };

  typed.post(
    '/api/v1/customers/:id/h5-links',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['h5'],
        summary: 'A signed one-time link to the risk assessment or the preference centre for a customer in scope',
        params: idParams,
        body: h5LinkRequest,
      },
    },
    async (req, reply) => reply.status(201).send(await mintLink(ctx, signedIn(req), req.params.id, req.body.kind)),
  );

  typed.get(
    '/api/v1/compliance/questionnaires',
    {
      config: { permission: 'compliance.rules.read' },
      schema: { tags: ['compliance'], summary: 'The risk-assessment questionnaire in force, with scores and bands' },
    },
    async () => ({ questionnaires: [DEFAULT_QUESTIONNAIRE] }),
  );

  typed.get(
    '/api/v1/h5/assessment',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['h5'],
        summary: 'The questionnaire (without scores) for a one-time link',
        querystring: tokenQuery,
      },
    },
    async (req) => {
      limit(req);
      return assessmentView(ctx, req.query.t);
    },
  );

  typed.post(
    '/api/v1/h5/assessment',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['h5'],
        summary: 'Submit the assessment: the C1–C5 result; the link is spent',
        body: h5AssessmentSubmit,
      },
    },
    async (req) => {
      limit(req);
      return submitAssessment(ctx, req.body);
    },
  );

  typed.get(
    '/api/v1/h5/preferences',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['h5'],
        summary: 'Consents the customer may change, and their interest tags',
        querystring: tokenQuery,
      },
    },
    async (req) => {
      limit(req);
      return preferencesView(ctx, req.query.t);
    },
  );

  typed.post(
    '/api/v1/h5/preferences',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['h5'],
        summary: 'Change consents (P2: withdrawing is as easy as granting) and delete interest tags (P4)',
        body: h5PreferencesUpdate,
      },
    },
    async (req) => {
      limit(req);
      return updatePreferences(ctx, req.body);
    },
  );
};
