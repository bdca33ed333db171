/** A test AppContext over a temp chDB and an in-memory PGlite, both migrated (tag and audience tests). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppContext } from '../../app-context.ts';
import { configSchema } from '../../config.ts';
import { openChdbAt } from '../../db/analytics.ts';
import { migrateAnalytics, migrateOperational } from '../../db/migrate.ts';
import { openMemoryOperationalDb } from '../../db/operational.ts';
import { createLogger } from '../../logger.ts';
import { createPiiCipher } from '../../security/crypto.ts';

export async function openTestContext(): Promise<{ ctx: AppContext; dispose(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'lingxi-tags-'));
  const an = openChdbAt(dir);
  const op = await openMemoryOperationalDb();
  await migrateOperational(op);
  await migrateAnalytics(an);
  const config = configSchema.parse({ dataDir: dir, logLevel: 'silent' });
  const ctx: AppContext = {
    config,
    stores: {
      op,
      an,
      async close() {
        await an.close();
        await op.close();
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
