/**
 * Bank-specific tags (自定义标签): definitions an analyst adds to the standard catalogue. They live under the `bank.`
 * id prefix, so that a tag a later release adds to the standard catalogue can never take (and silently redefine) a
 * bank's tag, and a bank's tag can never shadow a standard one that audiences, models and rules rely on.
 */
import type { DslIssue, TagDefinition } from './dsl.ts';

export const CUSTOM_TAG_PREFIX = 'bank.';

/** Whether a tag id is in the bank-specific namespace. */
export function isCustomTagId(id: string): boolean {
  return id.startsWith(CUSTOM_TAG_PREFIX) && id.length > CUSTOM_TAG_PREFIX.length;
}

/** Issues (field + reason) of definitions that may not be added as bank-specific tags; empty when all may. */
export function customDefinitionIssues(defs: readonly TagDefinition[]): DslIssue[] {
  return defs
    .filter((d) => !isCustomTagId(d.id))
    .map((d) => ({
      field: `${d.id}: id`,
      reason: `bank-specific tags must have ids starting with "${CUSTOM_TAG_PREFIX}" (the standard catalogue owns the other ids)`,
    }));
}
