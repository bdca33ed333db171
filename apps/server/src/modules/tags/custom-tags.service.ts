/**
 * Bank-specific tags (自定义标签): analysts add definitions in the tag definition language (JSON or YAML) to the
 * standard catalogue, and retire them. A definition is saved only when the whole catalogue, with it, still validates
 * and compiles (unknown columns or tags, cycles, anti-fraud-only fields (A1), data class (P8) are refused with the
 * field named); every change is audited. The next refresh computes the tag (a changed definition gets a new version
 * and column; old snapshots stay readable).
 */
import { type CompiledCatalogue, TagCompileError } from '@lingxi/core/tags/compiler';
import { customDefinitionIssues, isCustomTagId } from '@lingxi/core/tags/custom';
import { parseTagDefinitions, type TagDefinition, TagDslError, tagDependencies } from '@lingxi/core/tags/dsl';
import type { AppContext } from '../../app-context.ts';
import { HttpProblem, notFound } from '../../http/problem.ts';
import { type AuditEntry, appendAudit } from '../audit/audit.service.ts';
import * as repo from './custom-tags.repo.ts';
import { activeCatalogue, loadCatalogue } from './tags.service.ts';

type Ctx = Pick<AppContext, 'stores' | 'config'>;
/** Who acts, as the audit trail records it (`actorOf(user)`, or the pseudo-actor `cli`). */
type Actor = AuditEntry['actor'];

const invalid = (errors: { field: string; reason: string }[], rule?: string) =>
  new HttpProblem(
    400,
    'Bad Request',
    `invalid tag definitions: ${errors.map((e) => `${e.field}: ${e.reason}`).join('; ')}`,
    errors,
    rule ? { ruleIds: [rule] } : undefined,
  );

export interface DefineResult {
  dryRun: boolean;
  tags: { id: string; created: boolean; sourceColumns: string[]; dependencies: string[] }[];
}

/** Validates definitions against the catalogue in force and (unless `dryRun`) saves them. */
export async function defineCustomTags(
  ctx: Ctx,
  input: { text: string; format?: 'json' | 'yaml' | undefined; dryRun?: boolean | undefined },
  actor: Actor,
): Promise<DefineResult> {
  let defs: TagDefinition[];
  try {
    defs = parseTagDefinitions(input.text, input.format);
  } catch (err) {
    if (err instanceof TagDslError) throw invalid(err.issues);
    throw err;
  }
  if (defs.length === 0) throw invalid([{ field: 'text', reason: 'contains no tag definitions' }]);
  const prefixIssues = customDefinitionIssues(defs);
  if (prefixIssues.length > 0) throw invalid(prefixIssues);
  const active = await activeCatalogue(ctx);
  const ids = new Set(defs.map((d) => d.id));
  const merged = [...active.defs.filter((d) => !ids.has(d.id)), ...defs];
  let compiled: CompiledCatalogue;
  try {
    compiled = loadCatalogue(ctx.config.timezone, merged).compiled;
  } catch (err) {
    if (err instanceof TagCompileError)
      throw invalid([{ field: `${err.tagId}: ${err.field}`, reason: err.reason }], err.rule);
    throw err;
  }
  const existing = new Set([
    ...active.defs.filter((d) => isCustomTagId(d.id)).map((d) => d.id),
    ...(active.broken ?? []).map((b) => b.tagId),
  ]);
  const describe = (d: TagDefinition, created: boolean) => ({
    id: d.id,
    created,
    sourceColumns: compiled.byId.get(d.id)?.columns ?? [],
    dependencies: tagDependencies(d),
  });
  if (input.dryRun) return { dryRun: true, tags: defs.map((d) => describe(d, !existing.has(d.id))) };
  const tags = await ctx.stores.op.transaction(async (tx) => {
    const out: DefineResult['tags'] = [];
    for (const d of defs) {
      const created = await repo.upsertCustomDefinition(tx, { id: d.id, definition: d, actor: actor.id ?? 'cli' });
      await appendAudit(tx, {
        actor,
        action: created ? 'tags.defined' : 'tags.redefined',
        target: { type: 'tag', id: d.id },
        details: { valueType: d.value_type, dataClass: compiled.byId.get(d.id)?.dataClass, purposes: d.purposes },
      });
      out.push(describe(d, created));
    }
    return out;
  });
  await activeCatalogue(ctx); // this process's audiences see the change at once
  return { dryRun: false, tags };
}

/**
 * Retires a bank-specific tag. Refused (409, naming them) while other bank tags depend on it or saved audiences use
 * it; a standard tag cannot be retired.
 */
export async function retireCustomTag(ctx: Ctx, id: string, actor: Actor, reason?: string): Promise<void> {
  if (!isCustomTagId(id)) {
    const standard = loadCatalogue(ctx.config.timezone).byId.has(id);
    if (standard)
      throw new HttpProblem(
        409,
        'Conflict',
        `${id} is a standard tag: only bank-specific tags (bank.*) can be retired`,
      );
    throw notFound(`tag ${id}`);
  }
  const active = await activeCatalogue(ctx);
  if (!active.byId.has(id) && !active.broken?.some((b) => b.tagId === id)) throw notFound(`tag ${id}`);
  const dependents = active.defs.filter((d) => d.id !== id && tagDependencies(d).includes(id)).map((d) => d.id);
  if (dependents.length > 0)
    throw new HttpProblem(409, 'Conflict', `${id} is used by tags ${dependents.join(', ')}: retire those first`, [
      { field: 'id', reason: `used by tags ${dependents.join(', ')}` },
    ]);
  const audiences = await repo.audiencesUsingTag(ctx.stores.op, id);
  if (audiences.length > 0) {
    const names = audiences.map((a) => `${a.name} (${a.id})`).join(', ');
    throw new HttpProblem(409, 'Conflict', `${id} is used by saved audiences ${names}: change or delete them first`, [
      { field: 'id', reason: `used by saved audiences ${names}` },
    ]);
  }
  await ctx.stores.op.transaction(async (tx) => {
    if (!(await repo.retireCustomDefinition(tx, id, actor.id ?? 'cli'))) throw notFound(`tag ${id}`);
    await appendAudit(tx, { actor, action: 'tags.retired', target: { type: 'tag', id }, reason: reason ?? null });
  });
  await activeCatalogue(ctx); // this process's audiences see the change at once
}
