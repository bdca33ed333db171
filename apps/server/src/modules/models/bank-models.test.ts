import { pgliteBackend } from '../tags/tags.test-context.ts';
import { describeBankModels } from './bank-models.suite.ts';

describeBankModels(pgliteBackend());
