/**
 * Compliance services over the operational store: the rulebook's parameters in force (versioned, audited), system
 * settings, maker–checker approvals (M7), the suitability check for a customer and a product (S-rules) and P5
 * erasure across both stores. Pure rule logic lives in packages/core/src/compliance.
 */
import { randomBytes } from 'node:crypto';
import { can } from '@lingxi/core/auth/permissions';
import { CHANNELS, checkCopy, PRODUCT_TYPES } from '@lingxi/core/compliance/copy-checker';
import {
  customerRiskLevelSchema,
  describeRules,
  PARAM_DEFS,
  PRODUCT_RISK_LEVELS,
  type ProductFamily,
  type RuleDescription,
  type RuleParams,
  RuleParamsError,
  resolveRuleParams,
} from '@lingxi/core/compliance/rules';
import {
  CUSTOMER_FLAGS,
  type CustomerFlag,
  checkSuitability,
  type SalesChannel,
  type SuitabilityResult,
} from '@lingxi/core/compliance/suitability';
import { catalogueChanges } from '@lingxi/core/tags/catalogue/catalogue';
import {
  type CatalogueOptions,
  catalogueOptionsFromSettings,
  catalogueSettingDefault,
  catalogueSettingSchema,
  catalogueSettings,
} from '@lingxi/core/tags/catalogue/options';
import { Cron } from 'croner';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import type { OperationalQueryable } from '../../db/operational.ts';
import { badRequest, HttpProblem, notFound } from '../../http/problem.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { type AuthUser, actorOf, scopeOf } from '../auth/auth.service.ts';
import * as customersRepo from '../customers/customers.repo.ts';
import * as repo from './compliance.repo.ts';

// ---------------------------------------------------------------------------------------------------------------
// Rule parameters

/** The rule parameters in force: the rulebook defaults overlaid with the newest stored version of each rule. */
export async function effectiveRuleParams(db: OperationalQueryable): Promise<RuleParams> {
  const rows = await repo.latestRuleParams(db);
  return resolveRuleParams(Object.fromEntries(rows.map((r) => [r.rule_id, r.params])));
}

export async function rulesView(
  db: OperationalQueryable,
): Promise<{ rules: RuleDescription[]; updatedAt: string | null }> {
  const rows = await repo.latestRuleParams(db);
  const params = resolveRuleParams(Object.fromEntries(rows.map((r) => [r.rule_id, r.params])));
  const updatedAt =
    rows
      .map((r) => r.changed_at)
      .sort()
      .at(-1) ?? null;
  return { rules: describeRules(params), updatedAt };
}

function isParameterised(id: string): id is keyof typeof PARAM_DEFS {
  return Object.hasOwn(PARAM_DEFS, id);
}

/**
 * A compliance officer changes some parameters of one rule. The new values are merged into the rule's current
 * override and validated against the parameter definitions (types, bounds, tighten-only); the result is stored as a
 * new version (nothing is overwritten) and audited with the reason, in one transaction.
 */
export async function updateRuleParams(
  ctx: AppContext,
  user: AuthUser,
  ruleId: string,
  values: Record<string, unknown>,
  reason: string,
): Promise<RuleDescription> {
  if (!isParameterised(ruleId)) {
    if (describeRules().some((r) => r.id === ruleId)) throw badRequest('id', `rule ${ruleId} has no parameters`);
    throw notFound(`rule ${ruleId}`);
  }
  if (Object.keys(values).length === 0) throw badRequest('values', 'name at least one parameter');
  return ctx.stores.op.transaction(async (tx) => {
    const rows = await repo.latestRuleParams(tx);
    const overrides: Record<string, Record<string, unknown>> = Object.fromEntries(
      rows.map((r) => [r.rule_id, r.params]),
    );
    const merged = { ...(overrides[ruleId] ?? {}), ...values };
    let params: RuleParams;
    try {
      params = resolveRuleParams({ ...overrides, [ruleId]: merged });
    } catch (e) {
      if (e instanceof RuleParamsError) {
        const errors = e.issues.map((i) => ({
          field: `values.${i.param.replace(`${ruleId}.`, '')}`,
          reason: i.reason,
        }));
        throw new HttpProblem(400, 'Bad Request', errors.map((x) => `${x.field}: ${x.reason}`).join('; '), errors);
      }
      throw e;
    }
    const version = await repo.insertRuleParams(tx, ruleId, merged, reason, user.id);
    await appendAudit(tx, {
      actor: actorOf(user),
      action: 'compliance.rule_params_changed',
      target: { type: 'rule', id: ruleId },
      reason,
      details: { ruleIds: [ruleId], version, before: overrides[ruleId] ?? {}, after: merged },
    });
    const described = describeRules(params).find((r) => r.id === ruleId);
    if (!described) throw notFound(`rule ${ruleId}`);
    return described;
  });
}

export async function ruleHistory(db: OperationalQueryable, ruleId: string) {
  if (!describeRules().some((r) => r.id === ruleId)) throw notFound(`rule ${ruleId}`);
  const rows = await repo.ruleHistory(db, ruleId);
  return {
    ruleId,
    versions: rows.map((r) => ({
      version: r.version,
      params: r.params,
      reason: r.reason,
      changedBy: r.changed_by,
      changedAt: r.changed_at,
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// System settings

interface SettingDef {
  type: 'number' | 'string' | 'boolean';
  schema: z.ZodType;
  default: unknown;
  description: { zh: string; en: string };
}

/** The settings an administrator may change (small on purpose: rule parameters belong to the compliance rulebook). */
export const SETTING_DEFS: Record<string, SettingDef> = {
  'display.timezone': {
    type: 'string',
    schema: z.enum(['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Macau', 'Asia/Taipei']),
    default: 'Asia/Shanghai',
    description: { zh: '界面显示时区（存储一律为 UTC）', en: 'display time zone (storage is always UTC)' },
  },
  'retention.tagSnapshotDays': {
    type: 'number',
    schema: z.number().int().min(30).max(3650),
    default: 400,
    description: { zh: '标签快照保留天数', en: 'days of tag snapshots kept' },
  },
  'retention.contactHistoryDays': {
    type: 'number',
    schema: z.number().int().min(365).max(3650),
    default: 1825,
    description: {
      zh: '触达记录保留天数（不少于一年以支持频控与投诉核查）',
      en: 'days of contact history kept (≥ 1 year for caps and complaints)',
    },
  },
  'export.watermark': {
    type: 'boolean',
    schema: z.literal(true),
    default: true,
    description: {
      zh: '导出文件加水印（P10，不可关闭）',
      en: 'watermark exported files (P10, cannot be switched off)',
    },
  },
  'demo.banner': {
    type: 'boolean',
    schema: z.boolean(),
    default: true,
    description: { zh: '显示“演示数据”横幅', en: 'show the "demo data" banner' },
  },
  // the standard catalogue's thresholds (wealth tier bounds, lifecycle days, …): business parameters of the tags
  ...Object.fromEntries(
    catalogueSettings.map((s): [string, SettingDef] => [
      s.key,
      {
        type: 'number',
        schema: catalogueSettingSchema(s),
        default: catalogueSettingDefault(s),
        description: s.description,
      },
    ]),
  ),
};

/**
 * Defaults that come from the deployment's configuration rather than from `SETTING_DEFS` (an environment variable
 * such as LINGXI_TAG_SNAPSHOT_RETENTION_DAYS), so the settings page shows what is in force.
 */
export function configuredDefaults(
  config: Pick<AppContext['config'], 'tagSnapshotRetentionDays' | 'timezone'>,
): Record<string, unknown> {
  const tz = SETTING_DEFS['display.timezone']?.schema.safeParse(config.timezone);
  return {
    'retention.tagSnapshotDays': config.tagSnapshotRetentionDays,
    ...(tz?.success ? { 'display.timezone': config.timezone } : {}),
  };
}

/** What every signed-in console needs of the settings: the display time zone and whether to show the demo banner. */
export async function displaySettings(
  db: OperationalQueryable,
  config: Pick<AppContext['config'], 'tagSnapshotRetentionDays' | 'timezone'>,
): Promise<{ timezone: string; demoBanner: boolean }> {
  const view = await settingsView(db, configuredDefaults(config));
  const value = (key: string) => view.settings.find((x) => x.key === key)?.value;
  const tz = value('display.timezone');
  return { timezone: typeof tz === 'string' ? tz : 'Asia/Shanghai', demoBanner: value('demo.banner') !== false };
}

export async function settingsView(db: OperationalQueryable, defaults: Record<string, unknown> = {}) {
  const stored = new Map((await repo.latestSettings(db)).map((r) => [r.key, r]));
  return {
    settings: Object.entries(SETTING_DEFS).map(([key, def]) => {
      const row = stored.get(key);
      return {
        key,
        value: row ? row.value : key in defaults ? defaults[key] : def.default,
        type: def.type,
        description: def.description,
        updatedAt: row?.changed_at ?? null,
        updatedBy: row?.changed_by ?? null,
      };
    }),
  };
}

export async function updateSettings(ctx: AppContext, user: AuthUser, values: Record<string, unknown>, reason: string) {
  const keys = Object.keys(values);
  if (keys.length === 0) throw badRequest('values', 'name at least one setting');
  const errors: { field: string; reason: string }[] = [];
  for (const key of keys) {
    const def = SETTING_DEFS[key];
    if (!def) {
      errors.push({ field: `values.${key}`, reason: 'unknown setting' });
      continue;
    }
    const r = def.schema.safeParse(values[key]);
    if (!r.success) errors.push({ field: `values.${key}`, reason: r.error.issues[0]?.message ?? 'invalid' });
  }
  if (errors.length) throw settingsProblem(errors);
  await ctx.stores.op.transaction(async (tx) => {
    let tagsChanged: string[] | undefined;
    if (keys.some((k) => catalogueSettings.some((s) => s.key === k))) {
      // the catalogue's thresholds must fit together (high-net-worth above affluent, dormant after active, …)
      const stored = await storedSettingValues(tx);
      const after = catalogueOptionsFromSettings({ ...stored, ...values });
      if (!after.ok) throw settingsProblem(after.issues.map((i) => ({ field: `values.${i.key}`, reason: i.reason })));
      const before = catalogueOptionsFromSettings(stored);
      tagsChanged = catalogueChanges(before.ok ? before.options : {}, after.options);
    }
    for (const key of keys) await repo.insertSetting(tx, key, values[key], reason, user.id);
    await appendAudit(tx, {
      actor: actorOf(user),
      action: 'settings.changed',
      target: { type: 'settings', id: null },
      reason,
      // the standard tags whose definitions the change alters (a new version each at the next refresh)
      details: tagsChanged ? { values, tagsChanged } : { values },
    });
  });
  return settingsView(ctx.stores.op, configuredDefaults(ctx.config));
}

/** The saved value of every setting an administrator changed (key → newest value). */
async function storedSettingValues(db: OperationalQueryable): Promise<Record<string, unknown>> {
  return Object.fromEntries((await repo.latestSettings(db)).map((r) => [r.key, r.value]));
}

/** Settings that do not fit: 400 for a request to save them, 409 for stored ones a reader cannot use. */
function settingsProblem(errors: { field: string; reason: string }[], status: 400 | 409 = 400): HttpProblem {
  const first = errors[0] as { field: string; reason: string };
  const detail = `${first.field}: ${first.reason}`;
  return status === 400
    ? new HttpProblem(400, 'Bad Request', detail, errors)
    : new HttpProblem(409, 'Conflict', `${detail} (correct it on the settings page)`, errors);
}

/**
 * The standard catalogue's options in force: the administrator's saved thresholds over the catalogue defaults. Saved
 * values were checked together when saved; should they no longer fit (a later release narrowed a range), this throws
 * naming the setting, to be corrected on the settings page, rather than computing tags on other thresholds than the
 * bank chose.
 */
export async function catalogueOptionsInForce(db: OperationalQueryable): Promise<CatalogueOptions> {
  const r = catalogueOptionsFromSettings(await storedSettingValues(db));
  if (r.ok) return r.options;
  throw settingsProblem(
    r.issues.map((i) => ({ field: `settings.${i.key}`, reason: i.reason })),
    409,
  );
}

/**
 * A numeric setting in force: the stored value when an administrator saved one, else `fallback` (a configured
 * default), else the setting's own default.
 */
export async function numericSetting(db: OperationalQueryable, key: string, fallback?: number): Promise<number> {
  const stored = z
    .number()
    .int()
    .min(1)
    .safeParse((await storedSettingValues(db))[key]);
  if (stored.success) return stored.data;
  const d = fallback ?? SETTING_DEFS[key]?.default;
  if (typeof d !== 'number') throw new Error(`setting ${key}: not a numeric setting`);
  return d;
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * Applies `retention.contactHistoryDays`: drops the months of contact history (`contacts` partitions, by UTC month)
 * that end before the cutoff, so at least the configured days stay (up to a month more). Audited when it drops
 * anything. Returns the cutoff and the months dropped.
 */
export async function pruneContactHistory(
  ctx: Pick<AppContext, 'stores'>,
  now = new Date(),
): Promise<{ cutoff: string; droppedMonths: number[] }> {
  const days = await numericSetting(ctx.stores.op, 'retention.contactHistoryDays');
  const cutoffDate = new Date(now.getTime() - days * 86_400_000);
  const cutoffMonth = cutoffDate.getUTCFullYear() * 100 + cutoffDate.getUTCMonth() + 1;
  const dropped = (await repo.contactMonths(ctx.stores.an)).filter((m) => m < cutoffMonth);
  for (const m of dropped) await repo.dropContactMonth(ctx.stores.an, m);
  if (dropped.length > 0)
    await appendAudit(ctx.stores.op, {
      actor: { id: 'system', role: null },
      action: 'retention.contacts_pruned',
      target: { type: 'contacts', id: null },
      details: { days, cutoff: isoDay(cutoffDate), months: dropped },
    });
  return { cutoff: isoDay(cutoffDate), droppedMonths: dropped };
}

/** Applies the retention settings once a day (03:15 in the configured time zone). Returns a stop function. */
export function startRetentionScheduler(ctx: Pick<AppContext, 'config' | 'stores' | 'logger'>): () => void {
  const job = new Cron('15 3 * * *', { timezone: ctx.config.timezone, protect: true, name: 'retention' }, async () => {
    try {
      const r = await pruneContactHistory(ctx);
      if (r.droppedMonths.length > 0) ctx.logger.info(r, 'contact history pruned');
    } catch (err) {
      ctx.logger.error({ err: { message: (err as Error).message } }, 'retention job failed');
    }
  });
  return () => job.stop();
}

// ---------------------------------------------------------------------------------------------------------------
// Maker–checker (M7)

export const approvalSubmitSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('content'),
      title: z.string().trim().min(1).max(200),
      payload: z
        .object({
          text: z.string().min(1).max(5000),
          productType: z.enum(PRODUCT_TYPES),
          channel: z.enum(CHANNELS),
        })
        .strict(),
    })
    .strict(),
  z
    .object({
      kind: z.enum(['campaign', 'export']),
      title: z.string().trim().min(1).max(200),
      payload: z.record(z.string(), z.unknown()),
    })
    .strict(),
]);
export type ApprovalSubmit = z.infer<typeof approvalSubmitSchema>;

function approvalView(r: repo.ApprovalRow) {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    status: r.status,
    submittedBy: r.submitted_by,
    submittedAt: r.submitted_at,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    comment: r.comment,
    usedAt: r.used_at,
    usedBy: r.used_by,
    payload: r.payload,
    findings: r.findings,
    ruleIds: r.rule_ids,
  };
}

/**
 * A maker submits content (run through the copy checker first: copy with an error finding is refused with the
 * findings, since a checker must not be asked to approve what the rules already forbid), a campaign or an export.
 */
export async function submitApproval(ctx: AppContext, user: AuthUser, body: ApprovalSubmit) {
  if (body.kind === 'export')
    throw badRequest(
      'kind',
      'an export approval is requested on the audience (POST /api/v1/audiences/:id/export-approvals), which checks ' +
        'the audience and describes the export for the checker',
    );
  let findings: readonly unknown[] = [];
  const ruleIds = ['M7'];
  if (body.kind === 'content') {
    const result = checkCopy({
      text: body.payload.text,
      productType: body.payload.productType,
      channel: body.payload.channel,
    });
    findings = result.findings;
    if (!result.ok) {
      const errorRules = [...new Set(result.findings.filter((f) => f.severity === 'error').map((f) => f.ruleId))];
      throw new HttpProblem(
        422,
        'Unprocessable Content',
        `payload.text: the copy checker found errors (${errorRules.join(', ')}); fix them before submitting`,
        [{ field: 'payload.text', reason: `copy rules ${errorRules.join(', ')}` }],
        { findings: result.findings },
      );
    }
    for (const f of result.findings) if (!ruleIds.includes(f.ruleId)) ruleIds.push(f.ruleId);
  }
  return recordSubmission(ctx, user, { kind: body.kind, title: body.title, payload: body.payload, findings, ruleIds });
}

/**
 * Stores a submission and audits it in one transaction. Called by `submitApproval` and, for export approvals, by the
 * audience module once it has checked the audience and described the export (P10).
 */
export async function recordSubmission(
  ctx: Pick<AppContext, 'stores'>,
  user: AuthUser,
  s: {
    kind: 'content' | 'campaign' | 'export';
    title: string;
    payload: unknown;
    findings: readonly unknown[];
    ruleIds: string[];
  },
) {
  return ctx.stores.op.transaction(async (tx) => {
    const row = await repo.insertApproval(tx, { ...s, submittedBy: user.id });
    await appendAudit(tx, {
      actor: actorOf(user),
      action: 'approvals.submitted',
      target: { type: 'approval', id: row.id },
      details: { kind: s.kind, ruleIds: s.ruleIds },
    });
    return approvalView(row);
  });
}

export type ApprovalView = ReturnType<typeof approvalView>;

export async function listApprovals(ctx: AppContext, user: AuthUser, status: string | undefined, mine = false) {
  const seesAll = !mine && can(user.role, 'approvals.approve');
  const rows = await repo.listApprovals(ctx.stores.op, {
    status,
    submittedBy: seesAll ? undefined : user.id,
    limit: 200,
  });
  return { approvals: rows.map(approvalView) };
}

/** The checker decides. Only the compliance role, never on one's own submission, only while pending (M7). */
export async function decideApproval(
  ctx: AppContext,
  user: AuthUser,
  id: number,
  decision: 'approve' | 'reject',
  comment: string | undefined,
) {
  if (user.role !== 'compliance') throw new HttpProblem(403, 'Forbidden', 'M7: only the compliance role may approve');
  return ctx.stores.op.transaction(async (tx) => {
    const current = await repo.getApproval(tx, id, true);
    if (!current) throw notFound(`approval ${id}`);
    if (current.submitted_by === user.id) {
      throw new HttpProblem(403, 'Forbidden', 'M7: the checker must differ from the maker — you submitted this');
    }
    if (current.status !== 'pending') {
      throw new HttpProblem(
        409,
        'Conflict',
        `approval ${id} is already ${current.status}; decided versions are immutable`,
      );
    }
    if (decision === 'reject' && !comment?.trim()) throw badRequest('comment', 'say why the submission is rejected');
    const row = await repo.decideApproval(
      tx,
      id,
      decision === 'approve' ? 'approved' : 'rejected',
      user.id,
      comment ?? null,
    );
    await appendAudit(tx, {
      actor: actorOf(user),
      action: decision === 'approve' ? 'approvals.approved' : 'approvals.rejected',
      target: { type: 'approval', id: row.id },
      reason: comment ?? null,
      details: { ruleIds: ['M7'], kind: row.kind, maker: row.submitted_by },
    });
    return approvalView(row);
  });
}

/** The maker takes back a submission the checker has not decided yet (M7: a decided one stays as decided). */
export async function withdrawApproval(ctx: AppContext, user: AuthUser, id: number) {
  return ctx.stores.op.transaction(async (tx) => {
    const current = await repo.getApproval(tx, id, true);
    if (!current) throw notFound(`approval ${id}`);
    if (current.submitted_by !== user.id)
      throw new HttpProblem(403, 'Forbidden', `approval ${id} is not yours; only its maker may withdraw it`);
    const row = current.status === 'pending' ? await repo.withdrawApproval(tx, id) : undefined;
    if (!row)
      throw new HttpProblem(
        409,
        'Conflict',
        `approval ${id} is already ${current.status}; only a pending one can be withdrawn`,
      );
    await appendAudit(tx, {
      actor: actorOf(user),
      action: 'approvals.withdrawn',
      target: { type: 'approval', id: row.id },
      details: { ruleIds: ['M7'], kind: row.kind },
    });
    return approvalView(row);
  });
}

/** For downstream use (sending, launching, exporting): the approved payload, or a 409 naming rule M7. */
export async function requireApprovedVersion(db: OperationalQueryable, id: number): Promise<unknown> {
  const row = await repo.getApproval(db, id);
  if (!row) throw notFound(`approval ${id}`);
  if (row.status !== 'approved') {
    throw new HttpProblem(409, 'Conflict', `M7: approval ${id} is ${row.status}; only approved versions may be used`);
  }
  return row.payload;
}

// ---------------------------------------------------------------------------------------------------------------
// Suitability

export const suitabilityRequestSchema = z
  .object({
    customerId: z.number().int().min(1),
    productId: z.string().min(1).max(64),
    proactive: z.boolean().default(true),
    channel: z
      .enum(['branch', 'app', 'web', 'sms', 'push', 'wechat', 'email', 'call', 'rm_task', 'in_app'])
      .default('rm_task'),
  })
  .strict();
export type SuitabilityRequest = z.infer<typeof suitabilityRequestSchema>;

/** The operational product family as the suitability rules know it. */
export function suitabilityFamily(family: string, isPrivate: boolean): ProductFamily {
  switch (family) {
    case 'deposit':
      return 'deposit';
    case 'wealth':
      return 'wealth';
    case 'fund':
      return isPrivate ? 'private_fund' : 'agency_fund';
    case 'insurance':
      return 'agency_insurance';
    default:
      return 'other';
  }
}

const isFlag = (f: string): f is CustomerFlag => (CUSTOMER_FLAGS as readonly string[]).includes(f);

export async function suitability(
  ctx: AppContext,
  user: AuthUser,
  req: SuitabilityRequest,
  now = new Date(),
): Promise<SuitabilityResult & { customerId: number; productId: string; productRisk: string }> {
  const c = await repo.suitabilityCustomer(ctx.stores.op, scopeOf(user), req.customerId);
  if (!c) throw notFound(`customer ${req.customerId}`);
  const p = await repo.productById(ctx.stores.op, req.productId);
  if (!p) throw notFound(`product ${req.productId}`);
  const params = await effectiveRuleParams(ctx.stores.op);
  const level = customerRiskLevelSchema.safeParse(c.risk_level);
  const flags = c.flags.filter(isFlag);
  if (c.status !== 'active' && !flags.includes('closed')) flags.push('closed');
  const purchased = [
    ...new Set(c.purchased_families.map((f) => suitabilityFamily(f.split(':')[0] ?? '', f.endsWith(':private')))),
  ];
  const productRisk = PRODUCT_RISK_LEVELS[p.risk_level - 1] ?? null;
  const result = checkSuitability(
    {
      birthDate: c.birth_date,
      assessment:
        level.success && c.risk_assessed_at
          ? {
              level: level.data,
              completedAt: new Date(c.risk_assessed_at),
              method: c.assessed_online === false ? 'branch' : 'online',
            }
          : null,
      hasInvestmentExperience: c.investment_experience,
      investorType: c.investor_class,
      flags,
      purchasedFamilies: purchased,
    },
    {
      id: p.id,
      family: suitabilityFamily(p.family, p.is_private),
      riskLevel: productRisk,
      riskRatedFrom: new Date(`${p.risk_rated_at}T00:00:00+08:00`),
      isPrivate: p.is_private,
    },
    {
      now,
      proactive: req.proactive,
      channel: req.channel as SalesChannel,
      privateSignings: c.private_signings.map((s) => ({ productId: s.product_id, signedAt: new Date(s.signed_at) })),
    },
    params,
  );
  await appendAudit(ctx, {
    actor: actorOf(user),
    action: 'compliance.suitability_checked',
    target: { type: 'customer', id: String(req.customerId) },
    details: {
      productId: p.id,
      allowed: result.allowed,
      ruleIds: result.ruleIds,
      effectiveLevel: result.effectiveLevel,
      productRisk,
    },
  });
  return { ...result, customerId: req.customerId, productId: p.id, productRisk: productRisk ?? 'unrated' };
}

// ---------------------------------------------------------------------------------------------------------------
// P5 erasure

/**
 * Pseudonymises a customer in both stores: the operational golden record and source records lose every identifying
 * C2 value (replaced by a random pseudonym, hashes cleared), the customer is closed and marked erased (never
 * marketed again: status `erased`, flag `closed`, personalised marketing off); in the analytics store the customer's
 * dimension rows and tag values are deleted. Facts (transactions, contacts) keep only the pseudonymous customer id.
 * The audit entry (rule P5) is written in the same transaction as the operational change.
 */
export async function eraseCustomer(ctx: AppContext, user: AuthUser, id: number, reason: string) {
  if (!(await customersRepo.customersInScope(ctx.stores.op, scopeOf(user), [id])).has(id))
    throw notFound(`customer ${id}`);
  if (await repo.isErased(ctx.stores.op, id))
    throw new HttpProblem(409, 'Conflict', `customer ${id} is already erased`);
  const pseudonym = `erased-${randomBytes(12).toString('hex')}`;
  await ctx.stores.op.transaction(async (tx) => {
    const done = await repo.eraseCustomer(tx, id, {
      nameEnc: ctx.cipher.encrypt(pseudonym),
      nameHash: ctx.cipher.hash(pseudonym),
      attrsEnc: ctx.cipher.encrypt('{}'),
    });
    if (!done) throw new HttpProblem(409, 'Conflict', `customer ${id} is already erased`);
    await appendAudit(tx, {
      actor: actorOf(user),
      action: 'customer.erased',
      target: { type: 'customer', id: String(id) },
      reason,
      details: { ruleIds: ['P5'] },
    });
  });
  await eraseAnalytics(ctx, id);
  return { customerId: id, erased: true, ruleIds: ['P5'] };
}

/** Tables of the analytics store whose rows carry C2 attributes of a customer (facts keep the pseudonymous id). */
const ANALYTICS_ERASE_TABLES = ['dim_customers', 'tag_snapshot'] as const;

async function eraseAnalytics(ctx: AppContext, id: number): Promise<void> {
  for (const table of ANALYTICS_ERASE_TABLES) {
    await ctx.stores.an.command(`DELETE FROM ${table} WHERE customer_id = {id:UInt64}`, { id });
  }
}
