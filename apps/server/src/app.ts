import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from './app-context.ts';
import { migrationsApplied } from './db/migrate.ts';
import { installConsole } from './http/console.ts';
import { installMetrics } from './http/metrics.ts';
import { installProblemDetails } from './http/problem.ts';
import { audiencesRoutes } from './modules/audiences/audiences.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { installAuth } from './modules/auth/auth.plugin.ts';
import { complianceRoutes } from './modules/compliance/compliance.routes.ts';
import { copyCheckRoutes } from './modules/compliance/copy-check.routes.ts';
import { consentsRoutes } from './modules/consents/consents.routes.ts';
import { customer360Routes } from './modules/customer360/c360.routes.ts';
import { customersRoutes } from './modules/customers/customers.routes.ts';
import { dashboardRoutes } from './modules/dashboard/dashboard.routes.ts';
import { goldenRoutes } from './modules/golden/golden.routes.ts';
import { h5Routes } from './modules/h5/h5.routes.ts';
import { importRoutes } from './modules/import/import.routes.ts';
import { modelsRoutes } from './modules/models/models.routes.ts';
import { tagsRoutes } from './modules/tags/tags.routes.ts';
import { usersRoutes } from './modules/users/users.routes.ts';

export type RouteModule = (app: FastifyInstance, ctx: AppContext) => Promise<void> | void;

/** Route modules mounted by the app; each module registers its routes under `/api/v1`. */
export const routeModules: RouteModule[] = [
  usersRoutes,
  auditRoutes,
  customersRoutes,
  customer360Routes,
  (app, ctx) => importRoutes(app, ctx),
  copyCheckRoutes,
  tagsRoutes,
  audiencesRoutes,
  dashboardRoutes,
  goldenRoutes,
  modelsRoutes,
  complianceRoutes,
  consentsRoutes,
  h5Routes,
];

export async function buildApp(ctx: AppContext, extraModules: RouteModule[] = []): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    trustProxy: true,
    bodyLimit: 10 * 1024 * 1024,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installProblemDetails(app);
  await installAuth(app, ctx, { loginsPerIpPerMinute: ctx.config.loginsPerIpPerMinute });

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    return payload;
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'Lingxi API', version: '1.0.0', description: 'Lingxi (灵犀) retail-banking intelligence API' },
      servers: [],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  installMetrics(app);

  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/healthz',
    {
      config: { permission: 'public' },
      schema: { hide: true, response: { 200: z.object({ status: z.literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );
  typed.get(
    '/readyz',
    {
      config: { permission: 'public' },
      schema: {
        hide: true,
        response: {
          200: z.object({ status: z.literal('ready'), operational: z.string(), analytics: z.string() }),
          503: z.object({ status: z.literal('not_ready'), reason: z.string() }),
        },
      },
    },
    async (_req, reply) => {
      try {
        if (ctx.pending && ctx.pending.size > 0) {
          return reply.status(503).send({ status: 'not_ready' as const, reason: [...ctx.pending].join(', ') });
        }
        const ok = await migrationsApplied(ctx.stores.op, ctx.stores.an);
        if (!ok) return reply.status(503).send({ status: 'not_ready' as const, reason: 'migrations pending' });
        return { status: 'ready' as const, operational: ctx.stores.op.kind, analytics: ctx.stores.an.kind };
      } catch (err) {
        return reply.status(503).send({ status: 'not_ready' as const, reason: (err as Error).message });
      }
    },
  );

  // A module passed again by a caller (tests pass the ones they exercise) is mounted once.
  for (const mod of new Set([...routeModules, ...extraModules])) await mod(app, ctx);
  await installConsole(app);
  await app.ready();
  return app;
}
