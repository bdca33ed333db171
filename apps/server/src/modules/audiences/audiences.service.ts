/**
 * Audience builder: counts, overlaps, frozen snapshots, masked samples and exports over the in-process tag index.
 * Rule P4: customers who switched personalised marketing off are left out of marketing audiences that use behavioural
 * (app / history / interest / warning) or model tags; the count says how many and cites P4.
 */
import { randomBytes } from 'node:crypto';
import { type ExportApprovalPayload, exportApprovalPayload } from '@lingxi/contracts/audiences';
import {
  AudienceExprError,
  compileAudienceSql,
  expressionTags,
  type NormalExpr,
  normaliseAudienceExpr,
  purposeViolations,
  type TagInfo,
  usesBehaviouralTags,
} from '@lingxi/core/audience/expression';
import { can } from '@lingxi/core/auth/permissions';
import { type ExportColumn, exportLevel, exportNeedsApproval } from '@lingxi/core/compliance/data-levels';
import { columnClass } from '@lingxi/core/schema/data-classes';
import { universeTagId } from '@lingxi/core/tags/catalogue/catalogue';
import { stringify } from 'csv-stringify/sync';
import roaring from 'roaring';
import type { AppContext } from '../../app-context.ts';
import type { OperationalQueryable } from '../../db/operational.ts';
import { forbidden, HttpProblem, notFound } from '../../http/problem.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { type AuthUser, scopeOf } from '../auth/auth.service.ts';
import * as approvalsRepo from '../compliance/compliance.repo.ts';
import { effectiveRuleParams, recordSubmission } from '../compliance/compliance.service.ts';
import type { Bitmap, TagIndex } from '../tags/tag-index.ts';
import { snapshotColumns } from '../tags/tags.repo.ts';
import { currentTagIndex, lastActiveCatalogue } from '../tags/tags.service.ts';
import * as repo from './audiences.repo.ts';

const { RoaringBitmap32 } = roaring;

export type Purpose = 'marketing' | 'service' | 'regulatory';
type Ctx = Pick<AppContext, 'stores' | 'config'>;

export interface RuleNote {
  id: string;
  /** `applied`: the rule changed the result; `exempt`: it would have, but the audience's purpose exempts it. */
  effect: 'applied' | 'exempt';
  detail: string;
}

export interface Evaluation {
  index: TagIndex;
  expr: NormalExpr;
  bitmap: Bitmap;
  count: number;
  excluded: number;
  rules: RuleNote[];
  elapsedMs: number;
  asOf: string;
  tagVersions: Record<string, number>;
}

/** The catalogue in force (standard and bank-specific tags), as this process last read it. */
async function tagInfos(ctx: Ctx): Promise<ReadonlyMap<string, TagInfo>> {
  return (await lastActiveCatalogue(ctx)).byId;
}

/** Validates an expression against the catalogue in force; bad input becomes a 400 naming the field. */
export async function parseExpression(
  ctx: Ctx,
  expression: unknown,
  purpose: Purpose,
  field = 'expression',
): Promise<NormalExpr> {
  return parseWith(await tagInfos(ctx), expression, purpose, field);
}

function parseWith(
  tags: ReadonlyMap<string, TagInfo>,
  expression: unknown,
  purpose: Purpose,
  field: string,
): NormalExpr {
  let expr: NormalExpr;
  try {
    expr = normaliseAudienceExpr(expression, tags, field);
  } catch (err) {
    if (err instanceof AudienceExprError)
      throw new HttpProblem(
        400,
        'Bad Request',
        err.message,
        err.issues.map((i) => ({ field: i.field, reason: i.reason })),
      );
    throw err;
  }
  const denied = purposeViolations(expr, tags, purpose);
  if (denied.length > 0)
    throw new HttpProblem(
      400,
      'Bad Request',
      `${field}: tags not allowed for purpose ${purpose}: ${denied.join(', ')}`,
      [{ field, reason: `tags not allowed for purpose ${purpose}: ${denied.join(', ')}` }],
    );
  return expr;
}

export async function requireIndex(ctx: Ctx): Promise<TagIndex> {
  const index = await currentTagIndex(ctx);
  if (!index)
    throw new HttpProblem(409, 'Conflict', 'no tag snapshot yet: refresh the tags first (POST /api/v1/tags/refresh)');
  return index;
}

/** Whether rule P4 applies: a marketing audience using behavioural or model tags. */
function p4Applies(tags: ReadonlyMap<string, TagInfo>, expr: NormalExpr, purpose: Purpose): boolean {
  return purpose === 'marketing' && usesBehaviouralTags(expr, tags);
}

/** Rule IDs of the notes a result carries, for audit records. */
const ruleIds = (notes: readonly RuleNote[]) => notes.map((r) => `${r.id}:${r.effect}`);

export async function evaluate(
  ctx: Ctx,
  expression: unknown,
  purpose: Purpose,
  field = 'expression',
): Promise<Evaluation> {
  // one read of the catalogue in force for both the validation and P4
  const tags = await tagInfos(ctx);
  const expr = parseWith(tags, expression, purpose, field);
  const index = await requireIndex(ctx);
  const missing = expressionTags(expr).filter((t) => !index.data.versions.has(t));
  if (missing.length > 0)
    throw new HttpProblem(
      409,
      'Conflict',
      `${missing.join(', ')} not in the tag snapshot of ${index.asOf} yet: refresh the tags first (POST /api/v1/tags/refresh)`,
      missing.map((t) => ({ field, reason: `tag ${t} has no values yet` })),
    );
  const t0 = performance.now();
  let bitmap = index.evaluate(expr);
  let excluded = 0;
  const rules: RuleNote[] = [];
  if (p4Applies(tags, expr, purpose)) {
    excluded = bitmap.andCardinality(index.data.personalisationOff);
    if (excluded > 0) bitmap = RoaringBitmap32.andNot(bitmap, index.data.personalisationOff);
    rules.push({
      id: 'P4',
      effect: 'applied',
      detail: `${excluded} customer(s) with personalised marketing off excluded: the audience uses behavioural or model tags (PIPL Art. 24)`,
    });
  } else if (usesBehaviouralTags(expr, tags)) {
    rules.push({
      id: 'P4',
      effect: 'exempt',
      detail: `not applied to a ${purpose} audience: customers with personalised marketing off stay in and may receive ${purpose} messages only`,
    });
  }
  const count = bitmap.size;
  const elapsedMs = performance.now() - t0;
  const tagVersions = Object.fromEntries(expressionTags(expr).map((t) => [t, index.data.versions.get(t) ?? 0]));
  return { index, expr, bitmap, count, excluded, rules, elapsedMs, asOf: index.asOf, tagVersions };
}

export async function countAudience(ctx: Ctx, expression: unknown, purpose: Purpose) {
  const e = await evaluate(ctx, expression, purpose);
  return {
    count: e.count,
    excluded: e.excluded,
    rules: e.rules,
    elapsedMs: Math.round(e.elapsedMs * 1000) / 1000,
    asOf: e.asOf,
    tagVersions: e.tagVersions,
  };
}

export async function overlapAudiences(ctx: Ctx, a: unknown, b: unknown, purpose: Purpose) {
  const t0 = performance.now();
  const ea = await evaluate(ctx, a, purpose, 'a');
  const eb = await evaluate(ctx, b, purpose, 'b');
  if (ea.index !== eb.index) throw new HttpProblem(409, 'Conflict', 'the tag index changed during the request; retry');
  const intersection = ea.bitmap.andCardinality(eb.bitmap);
  return {
    a: ea.count,
    b: eb.count,
    intersection,
    union: ea.count + eb.count - intersection,
    elapsedMs: Math.round((performance.now() - t0) * 1000) / 1000,
    asOf: ea.asOf,
  };
}

/** The same count in ClickHouse SQL over the tag table (reference for tests and benchmarks). */
export async function sqlCountAudience(
  ctx: Ctx,
  expression: unknown,
  purpose: Purpose,
  asOf: string,
): Promise<{ count: number; excluded: number }> {
  const tags = await tagInfos(ctx);
  const expr = parseWith(tags, expression, purpose, 'expression');
  const columns = await snapshotColumns(ctx.stores.an, asOf);
  const q = compileAudienceSql(expr, {
    universeTag: universeTagId,
    personalisationTag: universeTagId,
    excludePersonalisationOff: p4Applies(tags, expr, purpose),
    columns: new Map(columns.map((c) => [c.tagId, c])),
  });
  return repo.sqlAudienceCount(ctx.stores.an, q.sql, { ...q.params, as_of: asOf });
}

// ---------------------------------------------------------------- CRUD

const toView = (r: repo.AudienceRow) => ({
  id: r.id,
  name: r.name,
  expression: r.expression,
  purpose: r.purpose,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

/**
 * Who acts on an audience, for `created_by` and the audit trail. Every change, freeze, sample and export of an audience
 * is audited with its purpose and the rules that shaped it (P4 applied or exempt by purpose; P10 on exports).
 */
type Actor = Pick<AuthUser, 'id' | 'role'>;

/** Audits a change of the audience in the transaction (or store) that makes it. */
async function auditAudience(
  db: OperationalQueryable,
  actor: Actor,
  action: 'created' | 'updated' | 'deleted' | 'frozen' | 'sampled' | 'exported',
  id: string,
  details: Record<string, unknown>,
): Promise<void> {
  await appendAudit(db, {
    actor: { id: actor.id, role: actor.role },
    action: `audience.${action}`,
    target: { type: 'audience', id },
    details,
  });
}

/** What the audit trail keeps of a definition: its name, purpose, the tags it reads and rule P4's bearing on it. */
function definitionDetails(
  tags: ReadonlyMap<string, TagInfo>,
  input: { name: string; purpose: Purpose },
  expr: NormalExpr,
): Record<string, unknown> {
  const behavioural = usesBehaviouralTags(expr, tags);
  const p4 = behavioural ? (input.purpose === 'marketing' ? 'P4:applied' : 'P4:exempt') : null;
  return { name: input.name, purpose: input.purpose, tags: expressionTags(expr), rules: p4 ? [p4] : [] };
}

export async function createAudience(
  ctx: Ctx,
  input: { name: string; expression: unknown; purpose: Purpose },
  actor: Actor,
) {
  const tags = await tagInfos(ctx);
  const expr = parseWith(tags, input.expression, input.purpose, 'expression');
  const id = `aud_${randomBytes(8).toString('hex')}`;
  return ctx.stores.op.transaction(async (tx) => {
    const row = await repo.insertAudience(tx, { ...input, id, createdBy: actor.id });
    await auditAudience(tx, actor, 'created', id, definitionDetails(tags, input, expr));
    return toView(row);
  });
}

export async function listAudiences(ctx: Ctx) {
  return (await repo.listAudiences(ctx.stores.op)).map(toView);
}

export async function getAudience(ctx: Ctx, id: string) {
  const r = await repo.getAudience(ctx.stores.op, id);
  if (!r) throw notFound(`audience ${id}`);
  return toView(r);
}

export async function updateAudience(
  ctx: Ctx,
  id: string,
  input: { name: string; expression: unknown; purpose: Purpose },
  actor: Actor,
) {
  const tags = await tagInfos(ctx);
  const expr = parseWith(tags, input.expression, input.purpose, 'expression');
  return ctx.stores.op.transaction(async (tx) => {
    const r = await repo.updateAudience(tx, id, input);
    if (!r) throw notFound(`audience ${id}`);
    await auditAudience(tx, actor, 'updated', id, definitionDetails(tags, input, expr));
    return toView(r);
  });
}

export async function deleteAudience(ctx: Ctx, id: string, actor: Actor): Promise<void> {
  await ctx.stores.op.transaction(async (tx) => {
    const deleted = await repo.deleteAudience(tx, id);
    if (!deleted) throw notFound(`audience ${id}`);
    await auditAudience(tx, actor, 'deleted', id, {
      name: deleted.name,
      purpose: deleted.purpose,
      snapshots: deleted.snapshots,
    });
  });
}

// ---------------------------------------------------------------- snapshot, sample, export

async function evaluateSaved(ctx: Ctx, id: string) {
  const a = await getAudience(ctx, id);
  return { audience: a, evaluation: await evaluate(ctx, a.expression, a.purpose) };
}

/** Freezes the audience: the portable roaring bitmap with the snapshot date and the tag versions used. */
export async function snapshotAudience(ctx: Ctx, id: string, actor: Actor) {
  const { audience, evaluation: e } = await evaluateSaved(ctx, id);
  const row = await ctx.stores.op.transaction(async (tx) => {
    const r = await repo.insertSnapshot(tx, {
      audienceId: audience.id,
      asOf: e.asOf,
      tagVersions: e.tagVersions,
      expression: audience.expression,
      count: e.count,
      excluded: e.excluded,
      bitmap: e.bitmap.serialize(true),
      createdBy: actor.id,
    });
    await auditAudience(tx, actor, 'frozen', audience.id, {
      snapshot: r.id,
      purpose: audience.purpose,
      asOf: e.asOf,
      count: e.count,
      excluded: e.excluded,
      tagVersions: e.tagVersions,
      rules: ruleIds(e.rules),
    });
    return r;
  });
  return snapshotView(row);
}

const snapshotView = (row: repo.SnapshotRow) => ({
  id: row.id,
  audienceId: row.audience_id,
  asOf: row.as_of,
  count: row.customer_count,
  excluded: row.excluded_p4,
  tagVersions: row.tag_versions,
  createdAt: new Date(row.created_at).toISOString(),
});

/** The audience's frozen snapshots, newest first. */
export async function listAudienceSnapshots(ctx: Ctx, id: string) {
  await getAudience(ctx, id); // 404 for an unknown audience
  return (await repo.listSnapshots(ctx.stores.op, id)).map((r) => ({ ...snapshotView(r), createdBy: r.created_by }));
}

/** The customer ids of a frozen snapshot (of the given audience, when one is given: else the same 404). */
export async function snapshotMembers(ctx: Ctx, snapshotId: number, audienceId?: string): Promise<Bitmap> {
  return (await frozen(ctx, snapshotId, audienceId)).members;
}

async function frozen(ctx: Ctx, snapshotId: number, audienceId?: string) {
  const s = await repo.snapshotBitmap(ctx.stores.op, snapshotId);
  if (!s || (audienceId !== undefined && s.audience_id !== audienceId))
    throw notFound(`audience snapshot ${snapshotId}${audienceId ? ` of ${audienceId}` : ''}`);
  return { asOf: s.as_of, members: RoaringBitmap32.deserialize(Buffer.from(s.bitmap), true) };
}

/**
 * The members the user may see one by one: counts are bank-wide aggregates, but a member list (sample or export) keeps
 * to the user's data scope like any customer list (their branch subtree, an RM's own customers).
 */
async function membersInScope(ctx: Ctx, members: Bitmap, user: AuthUser) {
  const scope = scopeOf(user);
  if (scope.kind === 'all') return { scope: scope.kind, members };
  const visible = new RoaringBitmap32(await repo.customerIdsInScope(ctx.stores.op, scope));
  return { scope: scope.kind, members: RoaringBitmap32.and(members, visible) };
}

/** A random sample of the members in the user's scope, with masked name and mobile only; audited like a list. */
export async function sampleAudience(ctx: Ctx, id: string, size: number, user: AuthUser) {
  const { audience, evaluation: e } = await evaluateSaved(ctx, id);
  const { scope, members } = await membersInScope(ctx, e.bitmap, user);
  const picked = new Set<number>();
  const n = members.size;
  while (picked.size < Math.min(size, n)) {
    const v = members.select(Math.floor(Math.random() * n));
    if (v !== undefined) picked.add(v);
  }
  const rows = await repo.maskedCustomers(
    ctx.stores.op,
    [...picked].sort((a, b) => a - b),
  );
  await auditAudience(ctx.stores.op, user, 'sampled', audience.id, {
    purpose: audience.purpose,
    asOf: e.asOf,
    scope,
    results: rows.length,
    ids: rows.map((r) => r.id),
  });
  return {
    count: e.count,
    inScope: n,
    asOf: e.asOf,
    customers: rows.map((r) => ({ id: Number(r.id), nameMasked: r.name_masked, mobileMasked: r.mobile_masked })),
  };
}

/** A column of the export with the data class of the column it is read from (`data-classes.ts`), for its level. */
function fromCustomers(name: string, column: string): ExportColumn {
  const c = columnClass('operational', 'customers', column);
  if (!c) throw new Error(`customers.${column} has no data class`);
  return { name, class: c.class };
}

const exportColumns: readonly ExportColumn[] = [
  fromCustomers('customer_id', 'id'),
  fromCustomers('name_masked', 'name_masked'),
  fromCustomers('mobile_masked', 'mobile_masked'),
  { name: 'as_of', class: 'C1' },
  { name: 'exported_by', class: 'C1' },
];

/**
 * P10: the export's level is that of its most sensitive column (masked names and mobiles keep the class C2 of what
 * they mask: level 3), and from the rule's `approvalRequiredFromLevel` up (3 unless compliance tightened it) an export
 * needs an approved export approval (the maker–checker of M7), each good for one export.
 */
export async function exportPolicy(ctx: Ctx) {
  const level = exportLevel(exportColumns);
  const p10 = (await effectiveRuleParams(ctx.stores.op)).P10;
  return {
    columns: [...exportColumns],
    level,
    approvalRequiredFromLevel: p10.approvalRequiredFromLevel,
    approvalRequired: exportNeedsApproval(level, p10.approvalRequiredFromLevel),
    approvalValidDays: p10.approvalValidDays,
    ruleIds: ['P10'],
  };
}

/** The end of an approved export approval's validity (`P10.approvalValidDays` after the decision); null if undecided. */
function expiresAt(decidedAt: string | null, validDays: number): Date | null {
  return decidedAt === null ? null : new Date(Date.parse(decidedAt) + validDays * 86_400_000);
}

/** The live members of the audience, or those of one of its frozen snapshots (404 for another audience's). */
async function exportSource(ctx: Ctx, id: string, snapshotId: number | undefined) {
  if (snapshotId === undefined) {
    const { audience, evaluation: e } = await evaluateSaved(ctx, id);
    return { audience, asOf: e.asOf, bitmap: e.bitmap, rules: ruleIds(e.rules) };
  }
  const audience = await getAudience(ctx, id);
  const f = await frozen(ctx, snapshotId, id);
  return { audience, asOf: f.asOf, bitmap: f.members, rules: [] }; // the freeze recorded its rules
}

/** The export's policy and the user's own export approvals for the audience (the console shows which is usable). */
export async function audienceExports(ctx: Ctx, id: string, user: AuthUser) {
  await getAudience(ctx, id); // 404 for an unknown audience
  const [policy, rows] = await Promise.all([
    exportPolicy(ctx),
    approvalsRepo.exportApprovalsFor(ctx.stores.op, id, user.id),
  ]);
  return {
    policy,
    approvals: rows.map((r) => ({
      id: Number(r.id),
      title: r.title,
      status: r.status,
      ...expiryView(r, policy.approvalValidDays),
      snapshot: exportApprovalPayload.safeParse(r.payload).data?.snapshot ?? null,
      submittedAt: r.submitted_at,
      decidedBy: r.decided_by,
      decidedAt: r.decided_at,
      comment: r.comment,
      usedAt: r.used_at,
    })),
  };
}

/**
 * A maker asks the checker to approve one export of the audience (live, or a frozen snapshot). The approval records
 * what the checker decides on: the audience, its purpose, the data date, how many members the maker would export (in
 * their scope, at the time of asking), the columns and their level, and the reason.
 */
export async function requestExportApproval(
  ctx: Ctx,
  id: string,
  user: AuthUser,
  body: { title: string; reason: string; snapshot?: number | undefined },
) {
  if (!can(user.role, 'approvals.submit')) throw forbidden('approvals.submit: your role may not submit approvals');
  const source = await exportSource(ctx, id, body.snapshot);
  const { scope, members } = await membersInScope(ctx, source.bitmap, user);
  const policy = await exportPolicy(ctx);
  const payload: ExportApprovalPayload = {
    audienceId: source.audience.id,
    audienceName: source.audience.name,
    purpose: source.audience.purpose,
    snapshot: body.snapshot ?? null,
    asOf: source.asOf,
    count: source.bitmap.size,
    rows: members.size,
    scope,
    columns: policy.columns.map((c) => c.name),
    level: policy.level,
    reason: body.reason,
  };
  return recordSubmission(ctx, user, {
    kind: 'export',
    title: body.title,
    payload,
    findings: [],
    ruleIds: ['M7', 'P10'],
  });
}

function expiryView(r: approvalsRepo.ApprovalRow, validDays: number) {
  const end = r.status === 'approved' ? expiresAt(r.decided_at, validDays) : null;
  return { expiresAt: end?.toISOString() ?? null, expired: end !== null && end.getTime() <= Date.now() };
}

/** The approval an export names must be the exporter's own, approved, for this audience and snapshot, and unused. */
async function checkExportApproval(
  ctx: Ctx,
  approvalId: number,
  user: AuthUser,
  audienceId: string,
  snapshot: number | null,
  validDays: number,
): Promise<void> {
  const refuse = (status: number, title: string, reason: string) =>
    new HttpProblem(status, title, `approval: ${reason}`, [{ field: 'approval', reason }], {
      ruleIds: ['P10', 'M7'],
    });
  const row = await approvalsRepo.getApproval(ctx.stores.op, approvalId);
  if (!row) throw refuse(404, 'Not Found', `approval ${approvalId} not found`);
  if (row.kind !== 'export')
    throw refuse(400, 'Bad Request', `approval ${approvalId} is a ${row.kind} approval, not an export approval`);
  if (row.submitted_by !== user.id)
    throw refuse(
      403,
      'Forbidden',
      `approval ${approvalId} was requested by another user; an exporter uses their own (the export carries their watermark)`,
    );
  if (row.status !== 'approved') throw refuse(409, 'Conflict', `approval ${approvalId} is ${row.status}, not approved`);
  const p = exportApprovalPayload.safeParse(row.payload).data;
  if (!p || p.audienceId !== audienceId || p.snapshot !== snapshot) {
    const what = (a: string | undefined, s: number | null | undefined) =>
      `${s == null ? 'the live members' : `snapshot ${s}`} of audience ${a ?? '(unknown)'}`;
    throw refuse(
      409,
      'Conflict',
      `approval ${approvalId} is for ${what(p?.audienceId, p?.snapshot)}, not ${what(audienceId, snapshot)}`,
    );
  }
  const end = expiresAt(row.decided_at, validDays);
  if (end !== null && end.getTime() <= Date.now())
    throw refuse(
      409,
      'Conflict',
      `approval ${approvalId} expired at ${end.toISOString()} (export approvals are good for ${validDays} days after ` +
        'the decision, P10.approvalValidDays); request a new one',
    );
  if (row.used_at !== null)
    throw refuse(
      409,
      'Conflict',
      `approval ${approvalId} was used at ${row.used_at}; an export approval is good for one export`,
    );
}

/**
 * Prepares the CSV export of the members in the user's scope, of the live audience or of one of its frozen snapshots:
 * customer id, masked name, masked mobile, the data date and the exporter's id on every row as a watermark (P10).
 * From the level in force (P10) the export names an approved export approval of the exporter, which it uses up.
 * Audited (with the approval) before any row leaves. The CSV starts with a byte-order mark (so that spreadsheet
 * software reads the Chinese names as UTF-8) and cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`
 * …) are prefixed with `'`. No decryption happens here.
 */
export async function exportAudience(
  ctx: Ctx,
  id: string,
  user: AuthUser,
  options: { snapshot?: number | undefined; approval?: number | undefined } = {},
) {
  const source = await exportSource(ctx, id, options.snapshot);
  const { audience, asOf } = source;
  const policy = await exportPolicy(ctx);
  const approval = options.approval;
  if (approval === undefined && policy.approvalRequired) {
    const reason =
      `an export of level-${policy.level} data needs an approved export approval (P10: from level ` +
      `${policy.approvalRequiredFromLevel}); request one for ${options.snapshot === undefined ? 'this audience' : `snapshot ${options.snapshot}`} and name it here`;
    throw new HttpProblem(409, 'Conflict', `approval: ${reason}`, [{ field: 'approval', reason }], {
      ruleIds: ['P10', 'M7'],
      level: policy.level,
      approvalRequiredFromLevel: policy.approvalRequiredFromLevel,
    });
  }
  if (approval !== undefined)
    await checkExportApproval(ctx, approval, user, audience.id, options.snapshot ?? null, policy.approvalValidDays);
  const { scope, members } = await membersInScope(ctx, source.bitmap, user);
  await ctx.stores.op.transaction(async (tx) => {
    if (
      approval !== undefined &&
      !(await approvalsRepo.recordApprovalUse(tx, {
        approvalId: approval,
        usedBy: user.id,
        targetType: 'audience',
        targetId: audience.id,
      }))
    ) {
      const reason = `approval ${approval} was used by another export; an export approval is good for one export`;
      throw new HttpProblem(409, 'Conflict', `approval: ${reason}`, [{ field: 'approval', reason }]);
    }
    await auditAudience(tx, user, 'exported', audience.id, {
      purpose: audience.purpose,
      snapshot: options.snapshot ?? null,
      asOf,
      scope,
      count: source.bitmap.size,
      rows: members.size,
      watermark: user.id,
      level: policy.level,
      approval: approval ?? null,
      rules: ['P10', ...(approval === undefined ? [] : ['M7']), ...source.rules],
    });
  });
  const ids = members.toUint32Array();
  async function* lines(): AsyncGenerator<string> {
    yield stringify([exportColumns.map((c) => c.name)], { bom: true });
    for (let i = 0; i < ids.length; i += 5000) {
      const rows = await repo.maskedCustomers(ctx.stores.op, Array.from(ids.subarray(i, i + 5000)));
      yield stringify(
        rows.map((r) => [r.id, r.name_masked, r.mobile_masked ?? '', asOf, user.id]),
        { escape_formulas: true },
      );
    }
  }
  return { rows: members.size, asOf, lines: lines() };
}
