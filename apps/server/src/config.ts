import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Cron } from 'croner';
import { z } from 'zod';

/** An IANA time zone the runtime knows (`Asia/Shanghai`), checked the way the schedulers and formatters will use it. */
const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not an IANA time zone (e.g. Asia/Shanghai)' },
);

/** A croner pattern (five fields, or six with seconds), rejected here rather than when the scheduler starts. */
const cronPattern = z.string().superRefine((pattern, c) => {
  try {
    new Cron(pattern, { paused: true }).stop();
  } catch (err) {
    c.addIssue({
      code: 'custom',
      message: `not a cron pattern: ${(err as Error).message.replace(/^CronPattern: /, '')}`,
    });
  }
});

/** Validated configuration, from `LINGXI_*` environment variables over an optional `lingxi.config.json`. */
export const configSchema = z
  .object({
    dataDir: z.string().min(1).default('./.lingxi'),
    port: z.coerce.number().int().min(0).max(65535).default(8080),
    host: z.string().min(1).default('0.0.0.0'),
    databaseUrl: z.string().url().optional(),
    clickhouseUrl: z.string().url().optional(),
    clickhouseUser: z.string().optional(),
    clickhousePassword: z.string().optional(),
    clickhouseDatabase: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier')
      .default('lingxi'),
    clickhouseCluster: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'must be a plain identifier')
      .optional(),
    masterKey: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (a 256-bit key)')
      .optional(),
    timezone: timeZone.default('Asia/Shanghai'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    demoCustomers: z.coerce.number().int().min(0).default(20_000),
    demoSeed: z.coerce.number().int().default(42),
    /** The daily tag refresh (in `timezone`). */
    tagRefreshCron: cronPattern.default('30 2 * * *'),
    /** Weekly retraining of the bank's models (in `timezone`). */
    modelRetrainCron: cronPattern.default('0 4 * * 0'),
    /** Daily scoring with the active models; set it after the tag refresh has had time to finish. */
    modelScoreCron: cronPattern.default('30 4 * * *'),
    tagSnapshotRetentionDays: z.coerce.number().int().min(1).default(400),
    /** Sign-in attempts per client address per minute (behind a proxy, the address from X-Forwarded-For). */
    loginsPerIpPerMinute: z.coerce.number().int().min(1).max(10_000).default(10),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

const envKeys: Record<string, keyof Config> = {
  LINGXI_DATA_DIR: 'dataDir',
  LINGXI_PORT: 'port',
  PORT: 'port',
  LINGXI_HOST: 'host',
  LINGXI_DATABASE_URL: 'databaseUrl',
  LINGXI_CLICKHOUSE_URL: 'clickhouseUrl',
  LINGXI_CLICKHOUSE_USER: 'clickhouseUser',
  LINGXI_CLICKHOUSE_PASSWORD: 'clickhousePassword',
  LINGXI_CLICKHOUSE_DATABASE: 'clickhouseDatabase',
  LINGXI_CLICKHOUSE_CLUSTER: 'clickhouseCluster',
  LINGXI_MASTER_KEY: 'masterKey',
  LINGXI_TIMEZONE: 'timezone',
  LINGXI_LOG_LEVEL: 'logLevel',
  LINGXI_DEMO_CUSTOMERS: 'demoCustomers',
  LINGXI_DEMO_SEED: 'demoSeed',
  LINGXI_TAG_REFRESH_CRON: 'tagRefreshCron',
  LINGXI_MODEL_RETRAIN_CRON: 'modelRetrainCron',
  LINGXI_MODEL_SCORE_CRON: 'modelScoreCron',
  LINGXI_TAG_SNAPSHOT_RETENTION_DAYS: 'tagSnapshotRetentionDays',
  LINGXI_LOGINS_PER_IP_PER_MINUTE: 'loginsPerIpPerMinute',
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Loads config; `LINGXI_PORT` wins over `PORT`. Fails fast with a message naming the bad key. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const file = env.LINGXI_CONFIG ?? resolve(cwd, 'lingxi.config.json');
  let fromFile: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      fromFile = z.record(z.string(), z.unknown()).parse(parsed);
    } catch (err) {
      throw new ConfigError(`${file}: not a JSON object (${(err as Error).message})`);
    }
  }
  const fromEnv: Record<string, unknown> = {};
  for (const [envKey, key] of Object.entries(envKeys)) {
    const v = env[envKey];
    if (v !== undefined && v !== '' && !(envKey === 'PORT' && env.LINGXI_PORT)) fromEnv[key] = v;
  }
  const result = configSchema.safeParse({ ...fromFile, ...fromEnv });
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const envName = Object.entries(envKeys).find(([, k]) => k === key)?.[0];
    throw new ConfigError(
      `invalid configuration ${key}${envName ? ` (env ${envName})` : ''}: ${issue?.message ?? 'invalid value'}`,
    );
  }
  return { ...result.data, dataDir: resolve(cwd, result.data.dataDir) };
}
