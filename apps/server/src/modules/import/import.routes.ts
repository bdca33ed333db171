import {
  importRunParamsSchema,
  listImportsQuerySchema,
  listImportsResponseSchema,
  quarantineQuerySchema,
  quarantineResponseSchema,
} from '@lingxi/contracts/imports';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Stores } from '../../db/stores.ts';
import { notFound } from '../../http/problem.ts';
import type { PiiCipher } from '../../security/crypto.ts';
import { quarantinedRows, recentImportRuns } from './import.service.ts';

export interface ImportRouteDeps {
  stores: Pick<Stores, 'op'>;
  /** Not used by the read routes (quarantined rows stay encrypted); kept for the module's uniform deps. */
  cipher: PiiCipher;
}

/** `GET /api/v1/imports` (recent runs) and `GET /api/v1/imports/:id/quarantine` (a run's quarantined rows). */
export async function importRoutes(app: FastifyInstance, deps: ImportRouteDeps): Promise<void> {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/api/v1/imports',
    {
      config: { permission: 'imports.read' },
      schema: {
        tags: ['imports'],
        summary: 'Recent import runs, newest first',
        querystring: listImportsQuerySchema,
        response: { 200: listImportsResponseSchema },
      },
    },
    async (req) => ({
      runs: await recentImportRuns(deps.stores, { limit: req.query.limit, source: req.query.source }),
    }),
  );

  typed.get(
    '/api/v1/imports/:id/quarantine',
    {
      config: { permission: 'imports.read' },
      schema: {
        tags: ['imports'],
        summary: 'Quarantined rows of an import run: file, line, field and reason (row content stays encrypted)',
        params: importRunParamsSchema,
        querystring: quarantineQuerySchema,
        response: { 200: quarantineResponseSchema },
      },
    },
    async (req) => {
      const r = await quarantinedRows(deps.stores, req.params.id, { limit: req.query.limit, offset: req.query.offset });
      if (r === null) throw notFound(`import run ${req.params.id}`);
      return r;
    },
  );
}
