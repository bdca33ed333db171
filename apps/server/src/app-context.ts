import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Stores } from './db/stores.ts';
import type { PiiCipher } from './security/crypto.ts';

/** What route plugins and services receive: config, the two stores, the PII cipher and a PII-free logger. */
export interface AppContext {
  config: Config;
  stores: Stores;
  cipher: PiiCipher;
  logger: Logger;
  /** Work that must finish before the process is ready (e.g. the first-run demo bank); `/readyz` answers 503 meanwhile. */
  pending?: Set<string>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The permission a route needs (`<module>.<verb>`, e.g. `tags.read`), or `public`. Every route declares one; the
     * authorisation hook enforces it and the authorisation-matrix test enumerates them.
     */
    permission?: string;
  }
}
