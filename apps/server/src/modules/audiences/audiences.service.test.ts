import { pgliteBackend } from '../tags/tags.test-context.ts';
import { describeAudiences } from './audiences.suite.ts';

describeAudiences(pgliteBackend());
