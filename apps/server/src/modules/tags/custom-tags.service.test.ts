import { describeBankTags } from './custom-tags.suite.ts';
import { pgliteBackend } from './tags.test-context.ts';

describeBankTags(pgliteBackend());
