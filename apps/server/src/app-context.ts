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
