import type { Config } from '../config.ts';
import { type AnalyticsDb, openAnalyticsDb } from './analytics.ts';
import { migrateAnalytics, migrateOperational } from './migrate.ts';
import { type OperationalDb, openOperationalDb } from './operational.ts';

export interface Stores {
  op: OperationalDb;
  an: AnalyticsDb;
  close(): Promise<void>;
}

/** Opens both stores chosen by config and applies pending migrations. */
export async function openStores(config: Config): Promise<Stores> {
  const op = await openOperationalDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const an = await openAnalyticsDb({ ...config, dataDir: config.dataDir });
  await migrateOperational(op);
  await migrateAnalytics(an);
  return {
    op,
    an,
    async close() {
      await an.close();
      await op.close();
    },
  };
}

export function describeStores(s: Stores): string {
  return `operational=${s.op.kind} analytics=${s.an.kind}${s.an.cluster ? ` (cluster ${s.an.cluster})` : ''}`;
}
