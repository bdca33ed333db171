import { copyCheckRequest, copyCheckResponse } from '@lingxi/contracts/copy-check';
import { checkCopy } from '@lingxi/core/compliance/copy-checker';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

/** The copy checker over HTTP (the console's playground and the content workflow use it). */
export async function copyCheckRoutes(app: FastifyInstance): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/v1/compliance/check-copy',
    {
      config: { permission: 'compliance.check' },
      schema: {
        tags: ['compliance'],
        summary: 'Check marketing copy against rules M1–M12',
        body: copyCheckRequest,
        response: { 200: copyCheckResponse },
      },
    },
    async (req) => {
      const t0 = performance.now();
      const result = checkCopy(req.body);
      return { ok: result.ok, findings: [...result.findings], elapsedMs: performance.now() - t0 };
    },
  );
}
