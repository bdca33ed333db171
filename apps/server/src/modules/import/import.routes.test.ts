import { join } from 'node:path';
import { quarantineResponseSchema } from '@lingxi/contracts/imports';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stores } from '../../db/stores.ts';
import { installProblemDetails } from '../../http/problem.ts';
import { importRoutes } from './import.routes.ts';
import { runImport } from './import.service.ts';
import { customerFixture, openTestEnv, type TestEnv, writeCsv } from './import.test-support.ts';

describe('import routes', () => {
  let env: TestEnv;
  let app: FastifyInstance;
  let runId: string;
  const permissions = new Map<string, string | undefined>();

  beforeAll(async () => {
    env = await openTestEnv();
    const f = join(env.dir, 'customers.csv');
    const rows = [0, 1, 2].map((i) => {
      const c = customerFixture(i);
      return [c.cif, c.name, c.gender, c.birthDate, c.idNumber, '浙江省', '杭州市'];
    });
    (rows[1] as string[])[3] = '1990-02-30';
    writeCsv(f, ['cif', 'name', 'gender', 'birth_date', 'id_number', 'province', 'city'], rows);
    runId = (await runImport(env, env.cipher, { source: 'core_banking_customers', file: f })).runId;

    app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    installProblemDetails(app);
    app.addHook('onRoute', (route) => {
      permissions.set(`${route.method} ${route.url}`, route.config?.permission);
    });
    const stores: Stores = { op: env.op, an: env.an, close: async () => {} };
    await app.register(async (scope) => importRoutes(scope, { stores, cipher: env.cipher }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await env.dispose();
  });

  it('declares the imports.read permission on every route', () => {
    expect(permissions.get('GET /api/v1/imports')).toBe('imports.read');
    expect(permissions.get('GET /api/v1/imports/:id/quarantine')).toBe('imports.read');
  });

  it('GET /api/v1/imports lists recent runs', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/imports?limit=5' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { runs: { id: string; status: string; rowsLoaded: number; rowsQuarantined: number }[] };
    expect(body.runs).toHaveLength(1);
    expect(body.runs[0]).toMatchObject({ id: runId, status: 'completed', rowsLoaded: 2, rowsQuarantined: 1 });
  });

  it('GET /api/v1/imports/:id/quarantine lists quarantined rows without their content', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/imports/${runId}/quarantine` });
    expect(res.statusCode).toBe(200);
    const body = quarantineResponseSchema.parse(res.json());
    expect(body.total).toBe(1);
    expect(body.items[0]).toMatchObject({
      fileName: 'customers.csv',
      line: 3,
      field: 'birth_date',
      reason: "birth_date: not a date (expected YYYY-MM-DD or YYYYMMDD): '1990-02-30'",
    });
    expect(res.body).not.toContain(customerFixture(1).name);
    expect(res.body).not.toContain('raw');
  });

  it('answers 404 for an unknown run and 400 for a bad query, naming the field', async () => {
    const missing = await app.inject({ method: 'GET', url: '/api/v1/imports/imp-nope/quarantine' });
    expect(missing.statusCode).toBe(404);
    const bad = await app.inject({ method: 'GET', url: '/api/v1/imports?limit=0' });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { detail: string }).detail).toContain('limit');
  });
});
