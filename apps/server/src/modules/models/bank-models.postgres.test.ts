import { describe } from 'vitest';
import { backendNamed } from '../tags/tags.test-context.ts';
import { describeBankModels } from './bank-models.suite.ts';

/**
 * The churn model suite on a real PostgreSQL server (`LINGXI_TEST_DATABASE_URL`, started by `.ci/run`): the synthetic
 * bank loaded and the reasons written with COPY, the model registry, drift and promotion over the server's dialect.
 * A file of its own because a process holds one chDB.
 */
const postgres = backendNamed('postgres');
if (postgres) describeBankModels(postgres);
else describe.skip('churn model on PostgreSQL (set LINGXI_TEST_DATABASE_URL)', () => undefined);
