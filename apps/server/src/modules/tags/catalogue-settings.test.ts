import { describeCatalogueSettings } from './catalogue-settings.suite.ts';
import { backendNamed } from './tags.test-context.ts';

const pglite = backendNamed('pglite');
if (!pglite) throw new Error('no PGlite backend');
describeCatalogueSettings(pglite);
