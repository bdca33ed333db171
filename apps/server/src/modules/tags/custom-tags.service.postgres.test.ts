import { describe } from 'vitest';
import { describeBankTags } from './custom-tags.suite.ts';
import { backendNamed } from './tags.test-context.ts';

/**
 * The same suite on a real PostgreSQL server (`LINGXI_TEST_DATABASE_URL`, started by `.ci/run`). A file of its own
 * because a process holds one chDB.
 */
const postgres = backendNamed('postgres');
if (postgres) describeBankTags(postgres);
else describe.skip('bank-specific tags on PostgreSQL (set LINGXI_TEST_DATABASE_URL)', () => undefined);
