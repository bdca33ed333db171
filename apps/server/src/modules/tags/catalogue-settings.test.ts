import { describeCatalogueSettings } from './catalogue-settings.suite.ts';
import { pgliteBackend } from './tags.test-context.ts';

describeCatalogueSettings(pgliteBackend());
