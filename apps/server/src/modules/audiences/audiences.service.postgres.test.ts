import { describe } from 'vitest';
import { backendNamed } from '../tags/tags.test-context.ts';
import { describeAudiences } from './audiences.suite.ts';

/**
 * The same suite on a real PostgreSQL server (`LINGXI_TEST_DATABASE_URL`, started by `.ci/run`): saved audiences,
 * frozen snapshots (bitmaps in bytea), exports and their audit over the server's dialect. A file of its own because a
 * process holds one chDB.
 */
const postgres = backendNamed('postgres');
if (postgres) describeAudiences(postgres);
else describe.skip('audiences on PostgreSQL (set LINGXI_TEST_DATABASE_URL)', () => undefined);
