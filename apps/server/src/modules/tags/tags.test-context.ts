/**
 * A test AppContext over a temp chDB and an in-memory PGlite, both migrated (tag and audience tests), or over the
 * operational store `openOp` opens (a suite that also runs on PostgreSQL).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OperationalBackend, operationalBackends } from '../../../test/support/stores.ts';
import type { AppContext } from '../../app-context.ts';
import { configSchema } from '../../config.ts';
import { openChdbAt } from '../../db/analytics.ts';
import { migrateAnalytics } from '../../db/migrate.ts';
import { HttpProblem } from '../../http/problem.ts';
import { createLogger } from '../../logger.ts';
import { createPiiCipher } from '../../security/crypto.ts';
import { customerTags } from './tags.service.ts';

/** The PGlite backend (always available). */
export function pgliteBackend(): OperationalBackend {
  const b = backendNamed('pglite');
  if (!b) throw new Error('no PGlite backend');
  return b;
}

export async function openTestContext(
  openOp: OperationalBackend['open'] = () => pgliteBackend().open(),
): Promise<{ ctx: AppContext; dispose(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'lingxi-tags-'));
  const an = openChdbAt(dir);
  const opened = await openOp();
  const op = opened.db;
  await migrateAnalytics(an);
  const config = configSchema.parse({ dataDir: dir, logLevel: 'silent' });
  const ctx: AppContext = {
    config,
    stores: {
      op,
      an,
      async close() {
        await an.close();
        await opened.dispose();
      },
    },
    cipher: createPiiCipher(Buffer.alloc(32, 7)),
    logger: createLogger('silent'),
  };
  return {
    ctx,
    async dispose() {
      await ctx.stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The HttpProblem a call rejects with (fails the test when it resolves or throws anything else). */
export async function problem(p: Promise<unknown>): Promise<HttpProblem> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof HttpProblem)) throw new Error(`expected an HttpProblem, got ${String(err)}`);
  return err;
}

/** The operational backend of a suite file: PGlite, or PostgreSQL when `LINGXI_TEST_DATABASE_URL` is set (else undefined). */
export function backendNamed(name: OperationalBackend['name']): OperationalBackend | undefined {
  return operationalBackends().find((b) => b.name === name);
}

/** A customer's value of one tag in a snapshot (the newest by default), with its version; undefined for no value. */
export async function tagCell(ctx: AppContext, customerId: number, tagId: string, asOf?: string) {
  return (await customerTags(ctx, [customerId], asOf)).tags.find((t) => t.tagId === tagId);
}
