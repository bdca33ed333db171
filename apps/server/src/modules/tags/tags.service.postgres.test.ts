import { describe } from 'vitest';
import { describeTagRefresh } from './tags.suite.ts';
import { backendNamed } from './tags.test-context.ts';

/**
 * The refresh suite on a real PostgreSQL server (`LINGXI_TEST_DATABASE_URL`, started by `.ci/run`): definition
 * versions, refresh records and P4 opt-outs over the server's dialect. A file of its own because a process holds one
 * chDB.
 */
const postgres = backendNamed('postgres');
if (postgres) describeTagRefresh(postgres);
else describe.skip('tag refresh on PostgreSQL (set LINGXI_TEST_DATABASE_URL)', () => undefined);
