/**
 * The consent registry (P1–P7) and the contact policy (A1–A3, M12–M13) over the stores: consent events are appended,
 * never updated (the state is the latest event, folded by packages/core/src/compliance/consent.ts); the contact
 * decision combines consents, flags, quiet hours, rolling frequency caps over the analytics `contacts` table and
 * cooling-off windows (packages/core/src/compliance/contact-policy.ts).
 */
import {
  CONSENT_CHANNELS,
  CONSENT_SOURCES,
  type ConsentFact,
  consentPurposeSchema,
  consentStates,
  isContactChannel,
  isOptOutMessage,
  mayPromptForConsent,
} from '@lingxi/core/compliance/consent';
import {
  CONTACT_PURPOSES,
  type ContactDecision,
  type ContactPurpose,
  type ContactRecord,
  evaluateContact,
} from '@lingxi/core/compliance/contact-policy';
import { CONTACT_CHANNELS, type ContactChannel, HOUR_MS, type RuleParams } from '@lingxi/core/compliance/rules';
import { CUSTOMER_FLAGS, type CustomerFlag } from '@lingxi/core/compliance/suitability';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { badRequest, HttpProblem, notFound } from '../../http/problem.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { type AuthUser, actorOf, scopeOf } from '../auth/auth.service.ts';
import { effectiveRuleParams } from '../compliance/compliance.service.ts';
import * as customersRepo from '../customers/customers.repo.ts';
import * as repo from './consents.repo.ts';

export const CURRENT_NOTICE_VERSION = '2026-01';

const statusSchema = z.enum(['granted', 'withdrawn', 'refused']);

export const consentEventBody = z
  .object({
    purpose: consentPurposeSchema,
    channel: z.enum(CONSENT_CHANNELS),
    status: statusSchema,
    noticeVersion: z.string().trim().min(1).max(64).default(CURRENT_NOTICE_VERSION),
    source: z.enum(CONSENT_SOURCES).default('rm'),
    evidence: z.string().trim().min(1, 'say where the customer expressed it').max(500),
    /** When the customer expressed it (default: now); never in the future. */
    at: z.coerce.date().optional(),
  })
  .strict();
export type ConsentEventBody = z.infer<typeof consentEventBody>;

function fact(r: repo.ConsentRow): ConsentFact {
  return {
    purpose: r.purpose as ConsentFact['purpose'],
    channel: r.channel as ConsentFact['channel'],
    status: r.status,
    at: new Date(r.recorded_at),
  };
}

function view(rows: repo.ConsentRow[]) {
  const facts = rows.map(fact);
  return {
    state: consentStates(facts).map((s) => ({
      purpose: s.purpose,
      channel: s.channel,
      status: s.state,
      since: s.since.toISOString(),
    })),
    history: rows.map((r) => ({
      purpose: r.purpose,
      channel: r.channel,
      status: r.status,
      noticeVersion: r.notice_version,
      source: r.source,
      evidence: r.evidence,
      recordedAt: r.recorded_at,
      recordedBy: r.recorded_by,
    })),
  };
}

async function requireInScope(ctx: AppContext, user: AuthUser, id: number): Promise<void> {
  const ok = await customersRepo.customersInScope(ctx.stores.op, scopeOf(user), [id]);
  if (!ok.has(id)) throw notFound(`customer ${id}`);
}

export async function customerConsents(ctx: AppContext, user: AuthUser, id: number) {
  await requireInScope(ctx, user, id);
  const rows = await repo.consentHistories(ctx.stores.op, [id]);
  await appendAudit(ctx, {
    actor: actorOf(user),
    action: 'consents.viewed',
    target: { type: 'customer', id: String(id) },
  });
  return { customerId: id, ...view(rows) };
}

/**
 * Records one consent event. A grant that the bank asks for is refused within the P6 window after a refusal or a
 * withdrawal (source `rm`/`call`/`app` prompts); withdrawing is always accepted — as easy as granting (P2).
 * `personalised_marketing` events also switch the customer's preference flag (P4).
 */
export async function recordConsent(
  ctx: AppContext,
  actor: { user: AuthUser | null; label: string },
  id: number,
  body: ConsentEventBody,
  params?: RuleParams,
) {
  const now = new Date();
  const at = body.at ?? now;
  if (at.getTime() > now.getTime() + 60_000) throw badRequest('at', 'must not be in the future');
  const rules = params ?? (await effectiveRuleParams(ctx.stores.op));
  const history = (await repo.consentHistories(ctx.stores.op, [id])).map(fact);
  const ruleIds: string[] = [body.status === 'granted' ? 'P1' : 'P2'];
  if (body.status === 'granted' && body.source !== 'h5_preference_centre' && body.source !== 'import') {
    // a grant recorded by staff follows a prompt: P6 forbids prompting again soon after a refusal
    const prompt = mayPromptForConsent(history, body.purpose, at, rules, body.channel);
    if (!prompt.allowed && prompt.code !== 'already_granted') {
      throw new HttpProblem(
        409,
        'Conflict',
        `P6: ${prompt.en}${prompt.notBefore ? ` (not before ${prompt.notBefore.toISOString()})` : ''}`,
        [{ field: 'status', reason: prompt.en }],
        { ruleIds: ['P6'], notBefore: prompt.notBefore?.toISOString() ?? null },
      );
    }
    ruleIds.push('P6');
  }
  if (body.purpose === 'personalised_marketing') ruleIds.push('P4');
  await ctx.stores.op.transaction(async (tx) => {
    await repo.insertConsent(tx, {
      customerId: id,
      purpose: body.purpose,
      channel: body.channel,
      status: body.status,
      noticeVersion: body.noticeVersion,
      source: body.source,
      evidence: body.evidence,
      at,
      recordedBy: actor.user?.id ?? actor.label,
    });
    if (body.purpose === 'personalised_marketing' && body.channel === 'any') {
      await repo.setPersonalisedMarketing(tx, id, body.status === 'granted');
    }
    await appendAudit(tx, {
      actor: actor.user ? actorOf(actor.user) : { id: actor.label, role: null },
      action: 'consents.recorded',
      target: { type: 'customer', id: String(id) },
      details: { purpose: body.purpose, channel: body.channel, status: body.status, source: body.source, ruleIds },
    });
  });
  return { customerId: id, ...view(await repo.consentHistories(ctx.stores.op, [id])) };
}

export async function recordConsentAsStaff(ctx: AppContext, user: AuthUser, id: number, body: ConsentEventBody) {
  await requireInScope(ctx, user, id);
  return recordConsent(ctx, { user, label: user.id }, id, body);
}

/**
 * M12: an inbound SMS reply. An opt-out keyword (TD, 退订, T …) from a known mobile withdraws SMS marketing consent of
 * every customer with that number; anything else is recorded as not an opt-out. The number is looked up by its keyed
 * hash; neither the number nor the text is written to the audit trail.
 */
export async function smsInbound(
  ctx: AppContext,
  body: { from: string; text: string; receivedAt?: Date | undefined; messageId: string },
) {
  const params = await effectiveRuleParams(ctx.stores.op);
  const digits = body.from.replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '');
  if (!/^1\d{10}$/.test(digits)) throw badRequest('from', 'expected a mainland mobile number');
  if (!isOptOutMessage(body.text, params)) return { optOut: false, withdrawn: 0, ruleIds: ['M12'] };
  const ids = await repo.customerIdsByMobileHash(ctx.stores.op, ctx.cipher.hash(digits));
  const at = body.receivedAt ?? new Date();
  for (const id of ids) {
    const event = {
      customerId: id,
      purpose: 'marketing',
      channel: 'sms',
      status: 'withdrawn' as const,
      noticeVersion: CURRENT_NOTICE_VERSION,
      source: 'sms_keyword',
      evidence: `inbound_sms:${body.messageId}`,
      at,
      recordedBy: 'sms-gateway',
    };
    if (await repo.consentExists(ctx.stores.op, event)) continue; // the gateway may deliver twice
    await ctx.stores.op.transaction(async (tx) => {
      await repo.insertConsent(tx, event);
      await appendAudit(tx, {
        actor: { id: 'sms-gateway', role: null },
        action: 'consents.sms_opt_out',
        target: { type: 'customer', id: String(id) },
        details: { messageId: body.messageId, ruleIds: ['M12', 'P2'] },
      });
    });
  }
  return { optOut: true, withdrawn: ids.length, ruleIds: ['M12', 'P2'] };
}

const importRow = z
  .object({
    customer_id: z.coerce.number().int().min(1),
    purpose: consentPurposeSchema,
    channel: z.enum(CONSENT_CHANNELS),
    status: statusSchema,
    notice_version: z.string().trim().min(1).max(64),
    source: z.enum(CONSENT_SOURCES),
    evidence: z.string().trim().min(1).max(500),
    recorded_at: z.coerce.date(),
  })
  .strict();

/**
 * Bulk import of consent events from CSV (header: customer_id, purpose, channel, status, notice_version, source,
 * evidence, recorded_at). Bad rows are reported with line, field and reason and do not stop the good ones; an event
 * already recorded (same customer, purpose, channel, status, time and evidence) is skipped, so re-importing a file
 * adds nothing.
 */
export async function importConsents(ctx: AppContext, user: AuthUser, csv: string) {
  let records: Record<string, string>[];
  try {
    records = parseCsv(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<
      string,
      string
    >[];
  } catch (e) {
    throw badRequest('body', `not a readable CSV file: ${(e as Error).message}`);
  }
  const errors: { line: number; field: string; reason: string }[] = [];
  const scope = scopeOf(user);
  const parsed: { line: number; row: z.infer<typeof importRow> }[] = [];
  records.forEach((rec, i) => {
    const r = importRow.safeParse(rec);
    if (r.success) parsed.push({ line: i + 2, row: r.data });
    else {
      const issue = r.error.issues[0];
      errors.push({ line: i + 2, field: String(issue?.path[0] ?? 'row'), reason: issue?.message ?? 'invalid' });
    }
  });
  const inScope = await customersRepo.customersInScope(ctx.stores.op, scope, [
    ...new Set(parsed.map((p) => p.row.customer_id)),
  ]);
  let loaded = 0;
  let duplicates = 0;
  for (const { line, row } of parsed) {
    if (!inScope.has(row.customer_id)) {
      errors.push({ line, field: 'customer_id', reason: 'unknown customer or outside your scope' });
      continue;
    }
    if (row.recorded_at.getTime() > Date.now() + 60_000) {
      errors.push({ line, field: 'recorded_at', reason: 'must not be in the future' });
      continue;
    }
    const event = {
      customerId: row.customer_id,
      purpose: row.purpose,
      channel: row.channel,
      status: row.status,
      noticeVersion: row.notice_version,
      source: row.source,
      evidence: row.evidence,
      at: row.recorded_at,
      recordedBy: user.id,
    };
    if (await repo.consentExists(ctx.stores.op, event)) {
      duplicates++;
      continue;
    }
    await repo.insertConsent(ctx.stores.op, event);
    if (row.purpose === 'personalised_marketing' && row.channel === 'any') {
      await repo.setPersonalisedMarketing(ctx.stores.op, row.customer_id, row.status === 'granted');
    }
    loaded++;
  }
  errors.sort((a, b) => a.line - b.line);
  await appendAudit(ctx, {
    actor: actorOf(user),
    action: 'consents.imported',
    target: null,
    details: { rows: records.length, loaded, duplicates, rejected: errors.length, ruleIds: ['P1', 'P2'] },
  });
  return { rows: records.length, loaded, duplicates, rejected: errors.length, errors };
}

// ---------------------------------------------------------------------------------------------------------------
// Contact policy

export const contactCheckItem = z
  .object({
    customerId: z.number().int().min(1),
    channel: z.enum(CONTACT_CHANNELS),
    purpose: z.enum(CONTACT_PURPOSES),
    personalised: z.boolean().default(false),
    usesFinancialData: z.boolean().optional(),
    productId: z.string().min(1).max(64).optional(),
    at: z.coerce.date().optional(),
  })
  .strict();
export type ContactCheckItem = z.input<typeof contactCheckItem>;
export type ContactCheck = z.infer<typeof contactCheckItem>;

const isFlag = (f: string): f is CustomerFlag => (CUSTOMER_FLAGS as readonly string[]).includes(f);

export type ContactAnswer = { customerId: number; channel: ContactChannel; purpose: ContactPurpose } & (
  | { decision: 'yes' | 'no'; ruleIds: string[]; reasons: { ruleId: string; code: string; zh: string; en: string }[] }
  | {
      decision: 'not_before';
      notBefore: string;
      ruleIds: string[];
      reasons: { ruleId: string; code: string; zh: string; en: string }[];
    }
);

function answer(c: ContactCheck, d: ContactDecision): ContactAnswer {
  const base = {
    customerId: c.customerId,
    channel: c.channel,
    purpose: c.purpose,
    ruleIds: d.ruleIds,
    reasons: d.reasons,
  };
  return d.decision === 'not_before'
    ? { ...base, decision: 'not_before', notBefore: d.notBefore.toISOString() }
    : { ...base, decision: d.decision };
}

/**
 * "May we contact customer X on channel Y for purpose Z at time T?" for many requests at once, in three queries:
 * customers (flags, birth date, preference, cooling-off signings), consent histories, and the contact history of
 * the longest frequency-cap window. Unknown customers get `no`.
 */
export async function mayContactBatch(ctx: AppContext, checks: readonly ContactCheck[]): Promise<ContactAnswer[]> {
  const params = await effectiveRuleParams(ctx.stores.op);
  const ids = [...new Set(checks.map((c) => c.customerId))];
  const coolingDays = Math.max(1, Math.ceil(params.S11.coolingOffHours / 24) + 1);
  const customers = new Map((await repo.contactCustomers(ctx.stores.op, ids, coolingDays)).map((c) => [c.id, c]));
  const consents = new Map<number, ConsentFact[]>();
  for (const r of await repo.consentHistories(ctx.stores.op, ids)) {
    const list = consents.get(r.customer_id) ?? [];
    list.push(fact(r));
    consents.set(r.customer_id, list);
  }
  const windowHours = Math.max(24, ...params.M13.frequencyCaps.map((c) => c.windowHours));
  const latest = Math.max(Date.now(), ...checks.map((c) => (c.at ?? new Date()).getTime()));
  const since = new Date(latest - windowHours * HOUR_MS);
  const contacts = new Map<number, ContactRecord[]>();
  for (const r of await repo.contactHistory(ctx.stores.an, ids, since)) {
    if (!isContactChannel(r.channel) || !(CONTACT_PURPOSES as readonly string[]).includes(r.purpose)) continue;
    const list = contacts.get(r.customer_id) ?? [];
    list.push({ ts: new Date(r.at), channel: r.channel, purpose: r.purpose as ContactPurpose });
    contacts.set(r.customer_id, list);
  }
  return checks.map((c) => {
    const cust = customers.get(c.customerId);
    if (!cust) {
      return {
        customerId: c.customerId,
        channel: c.channel,
        purpose: c.purpose,
        decision: 'no',
        ruleIds: ['A3'],
        reasons: [{ ruleId: 'A3', code: 'unknown_customer', zh: '客户不存在', en: 'unknown customer' }],
      };
    }
    const flags = cust.flags.filter(isFlag);
    if (cust.status !== 'active' && !flags.includes('closed')) flags.push('closed');
    const d = evaluateContact(
      {
        customer: { flags, birthDate: cust.birth_date, personalisedMarketing: cust.personalised_marketing },
        channel: c.channel,
        purpose: c.purpose,
        personalised: c.personalised,
        ...(c.usesFinancialData !== undefined ? { usesFinancialData: c.usesFinancialData } : {}),
        ...(c.productId !== undefined ? { productId: c.productId } : {}),
        at: c.at ?? new Date(),
        consents: consents.get(c.customerId) ?? [],
        contactHistory: contacts.get(c.customerId) ?? [],
        coolingOff: cust.cooling_off.map((s) => ({ productId: s.product_id, signedAt: new Date(s.signed_at) })),
      },
      params,
    );
    return answer(c, d);
  });
}

/** One request; see `mayContactBatch`. */
export async function mayContact(ctx: AppContext, check: ContactCheckItem): Promise<ContactAnswer> {
  const [a] = await mayContactBatch(ctx, [contactCheckItem.parse(check)]);
  if (!a) throw new Error('no contact decision');
  return a;
}

/** The HTTP form: RM scope applies (an out-of-scope customer is answered like an unknown one). */
export async function contactCheckForUser(ctx: AppContext, user: AuthUser, checks: ContactCheck[]) {
  const inScope = await customersRepo.customersInScope(ctx.stores.op, scopeOf(user), [
    ...new Set(checks.map((c) => c.customerId)),
  ]);
  const visible = checks.map((c) => (inScope.has(c.customerId) ? c : { ...c, customerId: -c.customerId }));
  const answers = await mayContactBatch(
    ctx,
    visible.filter((c) => c.customerId > 0),
  );
  let i = 0;
  const results = visible.map((c): ContactAnswer => {
    if (c.customerId > 0) return answers[i++] as ContactAnswer;
    return {
      customerId: -c.customerId,
      channel: c.channel,
      purpose: c.purpose,
      decision: 'no',
      ruleIds: ['A3'],
      reasons: [{ ruleId: 'A3', code: 'unknown_customer', zh: '客户不存在', en: 'unknown customer' }],
    };
  });
  return { results };
}
