import { describeBankTags } from './custom-tags.suite.ts';
import { backendNamed } from './tags.test-context.ts';

const pglite = backendNamed('pglite');
if (!pglite) throw new Error('no PGlite backend');
describeBankTags(pglite);
