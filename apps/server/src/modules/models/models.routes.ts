/** Bank models API: registry with metrics, model detail (charts), training, and a customer's scores with reasons. */

import {
  customerScoresParams,
  customerScoresResponse,
  modelDetailResponse,
  modelIdParams,
  modelListResponse,
  trainRequest,
  trainResponse,
} from '@lingxi/contracts/models';
import { LeakageError } from '@lingxi/core/models/features';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RouteModule } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { badRequest, HttpProblem, notFound } from '../../http/problem.ts';
import { signedIn } from '../auth/auth.plugin.ts';
import { customerVisibleTo } from '../auth/scope.ts';
import { identityIds } from '../customer360/c360.repo.ts';
import {
  bankModelDetail,
  customerScores,
  listBankModels,
  ModelInputError,
  trainBankModel,
} from './bank-models.service.ts';

export interface ModelsRouteDeps {
  /**
   * Whether the caller may see a customer (role and branch scope); false answers 404. Default: the standard data-scope
   * check of the signed-in user.
   */
  inScope?: (req: FastifyRequest, customerId: number) => Promise<boolean>;
}

export function createModelsRoutes(deps: ModelsRouteDeps = {}): RouteModule {
  return async (fastify: FastifyInstance, ctx: AppContext) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const inScope =
      deps.inScope ??
      (async (req: FastifyRequest, id: number) => (req.user ? customerVisibleTo(ctx.stores.op, req.user, id) : false));

    app.get(
      '/api/v1/models',
      {
        config: { permission: 'models.read' },
        schema: {
          tags: ['models'],
          summary: 'Model versions with their holdout metrics and latest drift',
          response: { 200: modelListResponse },
        },
      },
      async () => ({ models: await listBankModels(ctx) }),
    );

    app.get(
      '/api/v1/models/:id',
      {
        config: { permission: 'models.read' },
        schema: {
          tags: ['models'],
          summary: 'Model detail: metrics, top features, ROC and lift curves, calibration, score distribution, drift',
          params: modelIdParams,
          response: { 200: modelDetailResponse },
        },
      },
      async (req) => {
        const d = await bankModelDetail(ctx, req.params.id);
        if (!d) throw notFound(`model ${req.params.id}`);
        return d;
      },
    );

    app.post(
      '/api/v1/models/train',
      {
        config: { permission: 'models.train' },
        schema: {
          tags: ['models'],
          summary: 'Train a bank model on the tag snapshots (time-based split), register, promote and score',
          body: trainRequest,
          response: { 200: trainResponse },
        },
      },
      async (req) => {
        try {
          return await trainBankModel(
            ctx,
            {
              kind: req.body.kind,
              ...(req.body.family ? { family: req.body.family } : {}),
              ...(req.body.asOf ? { asOf: req.body.asOf } : {}),
            },
            { id: signedIn(req).id, role: signedIn(req).role },
          );
        } catch (e) {
          if (e instanceof ModelInputError || e instanceof LeakageError)
            throw badRequest(e.field, e.message.slice(e.field.length + 2));
          throw e;
        }
      },
    );

    app.get(
      '/api/v1/customers/:id/scores',
      {
        config: { permission: 'models.read' },
        schema: {
          tags: ['models'],
          summary: "A customer's latest score, band and reasons for each active model",
          params: customerScoresParams,
          response: { 200: customerScoresResponse },
        },
      },
      async (req) => {
        if (!req.user) throw new HttpProblem(401, 'Unauthorized', 'sign in first');
        if (!(await inScope(req, req.params.id))) throw notFound(`customer ${req.params.id}`);
        const ids = await identityIds(ctx.stores.op, req.params.id);
        return { customerId: req.params.id, scores: await customerScores(ctx, ids) };
      },
    );
  };
}

export const modelsRoutes: RouteModule = createModelsRoutes();
