import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppContext } from './app-context.ts';
import { type Config, loadConfig } from './config.ts';
import { openStores } from './db/stores.ts';
import { createLogger } from './logger.ts';
import { createPiiCipher, loadMasterKey } from './security/crypto.ts';

const lockName = 'server.lock';

interface ServerLock {
  pid: number;
  url: string;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The running server that holds this data dir, if any. */
export function runningServer(config: Config): ServerLock | undefined {
  const file = join(config.dataDir, lockName);
  if (!existsSync(file)) return undefined;
  try {
    const lock = JSON.parse(readFileSync(file, 'utf8')) as ServerLock;
    return pidAlive(lock.pid) && lock.pid !== process.pid ? lock : undefined;
  } catch {
    return undefined;
  }
}

export function writeServerLock(config: Config, url: string): () => void {
  const file = join(config.dataDir, lockName);
  writeFileSync(file, JSON.stringify({ pid: process.pid, url }));
  return () => rmSync(file, { force: true });
}

export class DataDirBusyError extends Error {
  override name = 'DataDirBusyError';
}

/**
 * Opens config, stores, cipher and logger. The embedded stores (PGlite, chDB) admit one process per data dir: when a
 * server holds it, commands must go through its API, and this says so.
 */
export async function openContext(opts: { config?: Config; forServer?: boolean } = {}): Promise<AppContext> {
  const config = opts.config ?? loadConfig();
  const embedded = !config.databaseUrl || !config.clickhouseUrl;
  const holder = embedded ? runningServer(config) : undefined;
  if (holder) {
    throw new DataDirBusyError(
      `the Lingxi server (pid ${holder.pid}, ${holder.url}) holds the embedded stores in ${config.dataDir}; ` +
        'use its API, or stop it and run this command again',
    );
  }
  const logger = createLogger(config.logLevel);
  const cipher = createPiiCipher(loadMasterKey(config));
  const stores = await openStores(config);
  if (!opts.forServer) {
    process.stderr.write(
      `lingxi: opened the stores directly (operational=${stores.op.kind}, analytics=${stores.an.kind})\n`,
    );
  }
  return { config, stores, cipher, logger };
}
