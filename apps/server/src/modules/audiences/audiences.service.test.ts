import { backendNamed } from '../tags/tags.test-context.ts';
import { describeAudiences } from './audiences.suite.ts';

const pglite = backendNamed('pglite');
if (!pglite) throw new Error('no PGlite backend');
describeAudiences(pglite);
