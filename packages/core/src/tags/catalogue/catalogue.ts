/**
 * The standard catalogue (≥ 100 tags, docs/tags.md): plain DSL data validated by the zod schema when loaded, and
 * compiled once to check references, types, data classes and rule A1.
 */
import { type TagDefinition, validateTagDefinitions } from '../dsl.ts';
import { appTags } from './app.ts';
import { basicTags } from './basic.ts';
import { financialTags } from './financial.ts';
import { historyTags } from './history.ts';
import { modelTags } from './model.ts';
import { type CatalogueOptions, catalogueOptionsSchema } from './options.ts';
import { segmentationTags } from './segmentation.ts';

/** The standard tag catalogue with the given thresholds (defaults per domain/tag-catalogue.md). */
export function standardCatalogue(options: Partial<CatalogueOptions> = {}): TagDefinition[] {
  const o = catalogueOptionsSchema.parse(options);
  return validateTagDefinitions([
    ...segmentationTags(o),
    ...basicTags(o),
    ...financialTags(),
    ...appTags(),
    ...historyTags(),
    ...modelTags(),
  ]);
}

/** The ids of the standard tags whose definitions differ between two sets of thresholds. */
export function catalogueChanges(a: Partial<CatalogueOptions>, b: Partial<CatalogueOptions>): string[] {
  const before = new Map(standardCatalogue(a).map((d) => [d.id, JSON.stringify(d)]));
  return standardCatalogue(b)
    .filter((d) => before.get(d.id) !== JSON.stringify(d))
    .map((d) => d.id);
}

/** Tag id that exists for every customer of a snapshot (the universe of NOT and of counts). */
export const universeTagId = 'basic.personalised_marketing';
