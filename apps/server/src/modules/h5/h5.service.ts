/**
 * Customer H5 pages: the gamified risk assessment and the preference and consent centre. A customer has no login;
 * staff mint a signed one-time link (`POST /api/v1/customers/:id/h5-links`). The token is random, carries an HMAC
 * (so forged tokens are refused without a lookup), only its SHA-256 is stored, it expires, and it is spent by the
 * first successful submission. A bad, expired or spent token gets the same answer, which names no customer.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type ConsentFact, consentState } from '@lingxi/core/compliance/consent';
import {
  AssessmentError,
  canRetake,
  countAttemptsToday,
  DEFAULT_QUESTIONNAIRE,
  LEVEL_INFO,
  scoreAssessment,
} from '@lingxi/core/compliance/risk-questionnaire';
import { DAY_MS } from '@lingxi/core/compliance/rules';
import type { AppContext } from '../../app-context.ts';
import { badRequest, HttpProblem, notFound } from '../../http/problem.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { type AuthUser, actorOf, scopeOf } from '../auth/auth.service.ts';
import { displaySettings, effectiveRuleParams } from '../compliance/compliance.service.ts';
import * as consentsRepo from '../consents/consents.repo.ts';
import { CURRENT_NOTICE_VERSION, recordConsent } from '../consents/consents.service.ts';
import * as customersRepo from '../customers/customers.repo.ts';
import { applyTagOptouts, customerTags } from '../tags/tags.service.ts';
import * as repo from './h5.repo.ts';

export const LINK_TTL_DAYS = 7;

/** The purposes × channels a customer may change in the preference centre. */
export const PREFERENCE_ITEMS: readonly { purpose: string; channel: string }[] = [
  { purpose: 'marketing', channel: 'sms' },
  { purpose: 'marketing', channel: 'push' },
  { purpose: 'marketing', channel: 'wechat' },
  { purpose: 'marketing', channel: 'email' },
  { purpose: 'marketing', channel: 'call' },
  { purpose: 'personalised_marketing', channel: 'any' },
  { purpose: 'marketing_use_of_financial_data', channel: 'any' },
];

const invalidLink = () =>
  new HttpProblem(410, 'Gone', 'this link is invalid, expired or already used; ask your bank for a new one', [
    { field: 't', reason: 'invalid, expired or already used' },
  ]);

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function signature(ctx: AppContext, nonce: string): string {
  return ctx.cipher.hash(`h5-link:${nonce}`).slice(0, 32);
}

function verifySignature(ctx: AppContext, token: string): boolean {
  const [nonce, sig] = token.split('.');
  if (!nonce || !sig || !/^[A-Za-z0-9_-]{20,64}$/.test(nonce)) return false;
  const expected = Buffer.from(signature(ctx, nonce));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function mintLink(ctx: AppContext, user: AuthUser, customerId: number, kind: repo.H5Kind) {
  if (!(await customersRepo.customersInScope(ctx.stores.op, scopeOf(user), [customerId])).has(customerId)) {
    throw notFound(`customer ${customerId}`);
  }
  const nonce = randomBytes(24).toString('base64url');
  const token = `${nonce}.${signature(ctx, nonce)}`;
  const expiresAt = new Date(Date.now() + LINK_TTL_DAYS * DAY_MS);
  await ctx.stores.op.transaction(async (tx) => {
    await repo.insertLink(tx, { tokenHash: sha256(token), customerId, kind, createdBy: user.id, expiresAt });
    await appendAudit(tx, {
      actor: actorOf(user),
      action: 'h5.link_created',
      target: { type: 'customer', id: String(customerId) },
      details: { kind, expiresAt: expiresAt.toISOString() },
    });
  });
  return { url: `/h5/${kind}?t=${encodeURIComponent(token)}`, token, expiresAt: expiresAt.toISOString() };
}

async function openLink(ctx: AppContext, token: string, kind: repo.H5Kind) {
  if (!verifySignature(ctx, token)) throw invalidLink();
  const link = await repo.linkByHash(ctx.stores.op, sha256(token));
  if (!link || link.kind !== kind || link.spent_at !== null || new Date(link.expires_at).getTime() < Date.now()) {
    throw invalidLink();
  }
  const customer = await repo.h5Customer(ctx.stores.op, link.customer_id);
  if (!customer || customer.erased) throw invalidLink();
  return { link, customer };
}

/** The bank's display time zone (settings page), so a customer's page shows times as the staff console does. */
async function displayTimezone(ctx: AppContext): Promise<string> {
  return (await displaySettings(ctx.stores.op, ctx.config)).timezone;
}

// ---------------------------------------------------------------------------------------------------------------
// Risk assessment

export async function assessmentView(ctx: AppContext, token: string) {
  const { link, customer } = await openLink(ctx, token, 'assessment');
  const q = DEFAULT_QUESTIONNAIRE;
  return {
    customer: { nameMasked: customer.name_masked },
    currentLevel: customer.risk_level,
    expiresAt: link.expires_at,
    timezone: await displayTimezone(ctx),
    questionnaire: {
      version: q.version,
      title: q.title,
      // no scores and no caps leave the server: no answer is right or wrong
      questions: q.questions.map((qq) => ({
        id: qq.id,
        dimension: qq.dimension,
        text: qq.text,
        options: qq.options.map((o) => ({ id: o.id, label: o.label })),
      })),
    },
  };
}

/**
 * Scores a submitted questionnaire (S4), enforces the retake limit (S7: attempts per Shanghai day), records the
 * attempt, updates the customer's risk level and assessment time, spends the token and audits, in one transaction.
 */
export async function submitAssessment(
  ctx: AppContext,
  body: { t: string; questionnaireVersion: string; answers: Record<string, string> },
) {
  const { customer } = await openLink(ctx, body.t, 'assessment');
  const params = await effectiveRuleParams(ctx.stores.op);
  const now = new Date();
  const q = DEFAULT_QUESTIONNAIRE;
  if (body.questionnaireVersion !== q.version) {
    throw badRequest('questionnaireVersion', `the current questionnaire is ${q.version}; reload the page`);
  }
  const attempts = await repo.attemptTimes(ctx.stores.op, customer.id, new Date(now.getTime() - 2 * DAY_MS));
  if (!canRetake(countAttemptsToday(attempts, now), params)) {
    await repo.insertAttempt(ctx.stores.op, {
      customerId: customer.id,
      version: q.version,
      answers: body.answers,
      score: null,
      level: null,
      outcome: 'refused',
      ruleIds: ['S7'],
      channel: 'h5',
      at: now,
      validUntil: null,
    });
    await appendAudit(ctx, {
      actor: { id: `customer:${customer.id}`, role: null },
      action: 'risk_assessment.refused',
      target: { type: 'customer', id: String(customer.id) },
      details: { ruleIds: ['S7'], maxAttemptsPerDay: params.S7.maxAttemptsPerDay },
    });
    throw new HttpProblem(
      429,
      'Too Many Requests',
      `S7: at most ${params.S7.maxAttemptsPerDay} assessments a day; please try again tomorrow`,
      [{ field: 'answers', reason: 'retake limit reached for today' }],
      { ruleIds: ['S7'] },
    );
  }
  let result: ReturnType<typeof scoreAssessment>;
  try {
    result = scoreAssessment(
      q,
      { questionnaireVersion: body.questionnaireVersion, answers: body.answers },
      now,
      params,
    );
  } catch (e) {
    if (e instanceof AssessmentError) {
      throw new HttpProblem(
        400,
        'Bad Request',
        e.message,
        e.issues.map((i) => ({ field: i.field, reason: i.reason })),
      );
    }
    throw e;
  }
  await ctx.stores.op.transaction(async (tx) => {
    if (!(await repo.spendLink(tx, sha256(body.t)))) throw invalidLink();
    await repo.insertAttempt(tx, {
      customerId: customer.id,
      version: q.version,
      answers: body.answers,
      score: result.score,
      level: result.level,
      outcome: 'completed',
      ruleIds: ['S4', 'S6', 'S7'],
      channel: 'h5',
      at: now,
      validUntil: result.validUntil,
    });
    await repo.setRiskLevel(tx, customer.id, result.level, now, result.hasInvestmentExperience);
    await appendAudit(tx, {
      actor: { id: `customer:${customer.id}`, role: null },
      action: 'risk_assessment.completed',
      target: { type: 'customer', id: String(customer.id) },
      details: {
        ruleIds: ['S4', 'S6', 'S7'],
        questionnaireVersion: q.version,
        level: result.level,
        previousLevel: customer.risk_level,
        score: result.score,
      },
    });
  });
  const info = LEVEL_INFO[result.level];
  return {
    level: result.level,
    name: info.name,
    description: info.description,
    score: result.score,
    maxScore: result.maxScore,
    completedAt: result.completedAt.toISOString(),
    validUntil: result.validUntil.toISOString(),
    allowedProductRisks: result.allowedProductRisks,
    appliedCaps: result.appliedCaps.map((c) => ({ reason: c.reason })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Preference and consent centre

async function preferencesState(ctx: AppContext, customerId: number) {
  const rows = await consentsRepo.consentHistories(ctx.stores.op, [customerId]);
  const facts: ConsentFact[] = rows.map((r) => ({
    purpose: r.purpose as ConsentFact['purpose'],
    channel: r.channel as ConsentFact['channel'],
    status: r.status,
    at: new Date(r.recorded_at),
  }));
  const items = PREFERENCE_ITEMS.map((it) => {
    const state = consentState(facts, it.purpose as ConsentFact['purpose'], it.channel as ConsentFact['channel']);
    const last = [...rows]
      .reverse()
      .find((r) => r.purpose === it.purpose && (r.channel === it.channel || r.channel === 'any'));
    return { purpose: it.purpose, channel: it.channel, status: state, recordedAt: last?.recorded_at ?? null };
  });
  const [tags, optedOut] = await Promise.all([
    customerTags(ctx, [customerId]),
    repo.tagOptouts(ctx.stores.op, customerId),
  ]);
  const interests = tags.tags
    .filter((t) => t.tagId.startsWith('interest.') && t.value === true && !optedOut.has(t.tagId))
    .map((t) => t.tagId);
  return { items, interests };
}

export async function preferencesView(ctx: AppContext, token: string) {
  const { link, customer } = await openLink(ctx, token, 'preferences');
  const state = await preferencesState(ctx, customer.id);
  return {
    customer: { nameMasked: customer.name_masked },
    expiresAt: link.expires_at,
    timezone: await displayTimezone(ctx),
    ...state,
  };
}

/**
 * The customer changes consents (each change a consent event, source `h5_preference_centre`; P2: withdrawing is as
 * easy as granting) and may delete interest tags (P4: recorded in `tag_optouts`, never shown or used again). The link
 * stays usable until it expires so the customer can come back to the page.
 */
export async function updatePreferences(
  ctx: AppContext,
  body: {
    t: string;
    changes: { purpose: string; channel: string; status: 'granted' | 'withdrawn' }[];
    deleteInterests?: string[] | undefined;
  },
) {
  const { customer } = await openLink(ctx, body.t, 'preferences');
  const allowed = new Set(PREFERENCE_ITEMS.map((i) => `${i.purpose}|${i.channel}`));
  body.changes.forEach((c, i) => {
    if (!allowed.has(`${c.purpose}|${c.channel}`)) {
      throw badRequest(`changes.${i}`, `${c.purpose} on ${c.channel} cannot be changed here`);
    }
  });
  const deletions = body.deleteInterests ?? [];
  deletions.forEach((t, i) => {
    if (!/^interest\.[a-z_]+$/.test(t))
      throw badRequest(`deleteInterests.${i}`, 'only interest tags can be deleted here');
  });
  const params = await effectiveRuleParams(ctx.stores.op);
  for (const c of body.changes) {
    await recordConsent(
      ctx,
      { user: null, label: `customer:${customer.id}` },
      customer.id,
      {
        purpose: c.purpose as ConsentFact['purpose'],
        channel: c.channel as ConsentFact['channel'],
        status: c.status,
        noticeVersion: CURRENT_NOTICE_VERSION,
        source: 'h5_preference_centre',
        evidence: `h5:${sha256(body.t).slice(0, 16)}`,
      },
      params,
    );
  }
  if (deletions.length) {
    await ctx.stores.op.transaction(async (tx) => {
      await repo.insertTagOptouts(tx, customer.id, deletions, 'h5_preference_centre');
      await appendAudit(tx, {
        actor: { id: `customer:${customer.id}`, role: null },
        action: 'tags.customer_opt_out',
        target: { type: 'customer', id: String(customer.id) },
        details: { tagIds: deletions, ruleIds: ['P4'] },
      });
    });
    await applyTagOptouts(ctx, customer.id, deletions);
  }
  return preferencesView(ctx, body.t);
}
