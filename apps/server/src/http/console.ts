import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from './problem.ts';

/** Where `npm run build -w @lingxi/console` writes the staff console and the H5 pages. */
export const consoleDist = resolve(dirname(fileURLToPath(import.meta.url)), '../../../console/dist');

/**
 * Serves the built console at `/` and the customer H5 pages at `/h5/`; client-side routes fall back to their
 * index.html. API and docs paths never fall back (they keep problem-details 404s). Returns false when no build exists.
 */
export async function installConsole(app: FastifyInstance, dist = consoleDist): Promise<boolean> {
  if (!existsSync(join(dist, 'index.html'))) return false;
  await app.register(fastifyStatic, { root: dist, prefix: '/', wildcard: false, index: ['index.html'] });
  const spa = (file: string) => async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0] ?? '';
    if (path.startsWith('/api/') || path.startsWith('/docs')) throw notFound(`route GET ${path}`);
    reply.header('Cache-Control', 'no-cache');
    return reply.sendFile(file);
  };
  app.get('/h5/*', { config: { permission: 'public' }, schema: { hide: true } }, spa('h5/index.html'));
  app.get('/*', { config: { permission: 'public' }, schema: { hide: true } }, spa('index.html'));
  return true;
}
