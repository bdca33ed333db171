/**
 * Consent registry logic (P1–P7, M12): consent events, the current state per purpose × channel,
 * the re-prompt block after a refusal, and inbound opt-out keywords.
 *
 * State semantics (documented contract):
 * - A customer's history is a list of events; for a given purpose and channel the state is the
 *   status of the latest event for that purpose whose channel is that channel or `'any'`.
 *   `'any'` means "every channel": a grant on `'any'` covers SMS, push, …; a withdrawal on `'any'`
 *   withdraws every channel; a later channel-specific event overrides it for that channel only.
 * - Ties at the same instant resolve to the most restrictive status (refused/withdrawn beat granted),
 *   so simultaneous contradictory events never grant.
 * - No event → `'none'`: nothing is granted by default (every purpose is opt-in).
 * - Purposes are exact: `third_party_sharing:acme_insurance` is a separate consent from
 *   `third_party_sharing:other` (P3); `personalised_marketing` does not imply `marketing`.
 */
import { z } from 'zod';
import { CONTACT_CHANNELS, type ContactChannel, DAY_MS, DEFAULT_RULE_PARAMS, type RuleParams } from './rules.ts';

export const BASE_CONSENT_PURPOSES = [
  'marketing',
  'personalised_marketing',
  'sensitive_processing',
  'marketing_use_of_financial_data',
  'service',
] as const;
export type BaseConsentPurpose = (typeof BASE_CONSENT_PURPOSES)[number];
/** `third_party_sharing:<recipient>`, recipient a lower-case slug (P3). */
export type ThirdPartySharingPurpose = `third_party_sharing:${string}`;
export type ConsentPurpose = BaseConsentPurpose | ThirdPartySharingPurpose;

const THIRD_PARTY = /^third_party_sharing:[a-z0-9][a-z0-9_.-]{0,63}$/;

export const consentPurposeSchema: z.ZodType<ConsentPurpose> = z.union([
  z.enum(BASE_CONSENT_PURPOSES),
  z
    .string()
    .regex(THIRD_PARTY, 'must be one of the base purposes or third_party_sharing:<recipient> (lower-case slug)')
    .transform((s) => s as ThirdPartySharingPurpose),
]);

export function thirdPartySharingPurpose(recipient: string): ThirdPartySharingPurpose {
  const purpose = `third_party_sharing:${recipient}`;
  if (!THIRD_PARTY.test(purpose))
    throw new Error(`recipient "${recipient}" must be a lower-case slug (a–z, 0–9, _ . -)`);
  return purpose as ThirdPartySharingPurpose;
}

export const CONSENT_CHANNELS = ['any', ...CONTACT_CHANNELS] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
export const consentChannelSchema = z.enum(CONSENT_CHANNELS);

export const CONSENT_STATUSES = ['granted', 'withdrawn', 'refused'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];
export type ConsentState = ConsentStatus | 'none';

/** Where the event came from. */
export const CONSENT_SOURCES = [
  'h5_preference_centre',
  'app',
  'web',
  'branch',
  'rm',
  'sms_keyword',
  'call',
  'import',
  'erasure',
] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

export const consentEventSchema = z
  .object({
    customerId: z.string().min(1),
    purpose: consentPurposeSchema,
    channel: consentChannelSchema,
    status: z.enum(CONSENT_STATUSES),
    /** Version of the privacy notice the customer saw (P1: re-consent when it changes purpose). */
    noticeVersion: z.string().min(1).max(64),
    source: z.enum(CONSENT_SOURCES),
    /** Reference to the evidence: signed form id, session and click record, inbound SMS id… */
    evidence: z.string().min(1).max(500),
    at: z.date(),
  })
  .strict();
export type ConsentEvent = z.infer<typeof consentEventSchema>;

/** Only the fields the state functions read; lets callers pass lean rows on the hot path. */
export type ConsentFact = Pick<ConsentEvent, 'purpose' | 'channel' | 'status' | 'at'>;

function restrictiveness(status: ConsentStatus): number {
  return status === 'granted' ? 0 : 1;
}

/**
 * Current state of one purpose on one channel: the latest matching event wins (see the module
 * comment for `'any'`). With `channel === 'any'` only events recorded on `'any'` count. O(history).
 */
export function consentState(
  history: readonly ConsentFact[],
  purpose: ConsentPurpose,
  channel: ConsentChannel,
): ConsentState {
  let best: ConsentFact | undefined;
  let bestTime = Number.NEGATIVE_INFINITY;
  for (const e of history) {
    if (e.purpose !== purpose || (e.channel !== channel && e.channel !== 'any')) continue;
    const t = e.at.getTime();
    if (
      best === undefined ||
      t > bestTime ||
      (t === bestTime && restrictiveness(e.status) > restrictiveness(best.status))
    ) {
      best = e;
      bestTime = t;
    }
  }
  return best ? best.status : 'none';
}

export function hasConsent(history: readonly ConsentFact[], purpose: ConsentPurpose, channel: ConsentChannel): boolean {
  return consentState(history, purpose, channel) === 'granted';
}

export interface ConsentStateRow {
  purpose: ConsentPurpose;
  channel: ConsentChannel;
  state: ConsentState;
  /** The event that decided the state. */
  since: Date;
}

/**
 * Every purpose × channel that has at least one event, resolved (for the preference centre and the
 * registry view). A purpose with an `'any'` event is expanded to every contact channel.
 */
export function consentStates(history: readonly ConsentFact[]): ConsentStateRow[] {
  const purposes = new Map<ConsentPurpose, Set<ConsentChannel>>();
  for (const e of history) {
    let set = purposes.get(e.purpose);
    if (!set) {
      set = new Set();
      purposes.set(e.purpose, set);
    }
    if (e.channel === 'any') for (const c of CONSENT_CHANNELS) set.add(c);
    else set.add(e.channel);
  }
  const rows: ConsentStateRow[] = [];
  for (const [purpose, channels] of purposes) {
    for (const channel of CONSENT_CHANNELS) {
      if (!channels.has(channel)) continue;
      let since: Date | undefined;
      const state = consentState(history, purpose, channel);
      for (const e of history) {
        if (e.purpose !== purpose || (e.channel !== channel && e.channel !== 'any') || e.status !== state) continue;
        if (!since || e.at.getTime() > since.getTime()) since = e.at;
      }
      if (since) rows.push({ purpose, channel, state, since });
    }
  }
  return rows;
}

export interface PromptDecision {
  allowed: boolean;
  /** When a prompt becomes allowed again (P6 block). */
  notBefore?: Date;
  ruleId: 'P6' | 'P1';
  code: 'ok' | 'already_granted' | 'refused_recently' | 'withdrawn_recently';
  zh: string;
  en: string;
}

/**
 * P6: may the bank ask the customer for consent to `purpose` now? Not within `reconsentBlockDays`
 * (90) after a refusal of that purpose on any channel, nor (by default) after a withdrawal; and not
 * when the purpose is already granted on every channel asked about (`channel`, default `'any'`).
 */
export function mayPromptForConsent(
  history: readonly ConsentFact[],
  purpose: ConsentPurpose,
  now: Date,
  params: RuleParams = DEFAULT_RULE_PARAMS,
  channel: ConsentChannel = 'any',
): PromptDecision {
  let lastNegative: ConsentFact | undefined;
  for (const e of history) {
    if (e.purpose !== purpose) continue;
    if (e.status === 'refused' || (e.status === 'withdrawn' && params.P6.blockAfterWithdrawal)) {
      if (!lastNegative || e.at.getTime() > lastNegative.at.getTime()) lastNegative = e;
    }
  }
  if (lastNegative) {
    const until = lastNegative.at.getTime() + params.P6.reconsentBlockDays * DAY_MS;
    if (now.getTime() < until) {
      const refused = lastNegative.status === 'refused';
      return {
        allowed: false,
        notBefore: new Date(until),
        ruleId: 'P6',
        code: refused ? 'refused_recently' : 'withdrawn_recently',
        zh: `客户已${refused ? '拒绝' : '撤回'}该授权，${params.P6.reconsentBlockDays}天内不得再次请求`,
        en: `customer ${refused ? 'refused' : 'withdrew'} this consent: no new request within ${params.P6.reconsentBlockDays} days`,
      };
    }
  }
  if (consentState(history, purpose, channel) === 'granted') {
    return {
      allowed: false,
      ruleId: 'P1',
      code: 'already_granted',
      zh: '客户已授权，无需再次请求',
      en: 'consent is already granted',
    };
  }
  return { allowed: true, ruleId: 'P6', code: 'ok', zh: '可以请求授权', en: 'consent may be requested' };
}

/** Full-width ASCII → half-width, upper case, without spaces and common punctuation. */
function normaliseInbound(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const half = code >= 0xff01 && code <= 0xff5e ? String.fromCodePoint(code - 0xfee0) : ch;
    out += half;
  }
  return out.toUpperCase().trim();
}

const isAsciiWordChar = (c: string | undefined) => c !== undefined && /[A-Z0-9]/.test(c);

/**
 * M12: is an inbound SMS an opt-out? True when, after normalisation (full-width → half-width,
 * upper case), the message contains an opt-out keyword: a keyword with Latin letters or digits
 * must stand alone (not inside a longer Latin word, so "STD" is not "TD"), a Chinese keyword may
 * appear anywhere ("我要退订" opts out). Errs towards opting out, which protects the customer.
 */
export function isOptOutMessage(text: string, params: RuleParams = DEFAULT_RULE_PARAMS): boolean {
  const msg = normaliseInbound(text);
  if (msg.length === 0) return false;
  for (const raw of params.M12.optOutKeywords) {
    const kw = normaliseInbound(raw);
    if (kw.length === 0) continue;
    const ascii = /[A-Z0-9]/.test(kw);
    let from = 0;
    for (;;) {
      const i = msg.indexOf(kw, from);
      if (i < 0) break;
      if (!ascii || (!isAsciiWordChar(msg[i - 1]) && !isAsciiWordChar(msg[i + kw.length]))) return true;
      from = i + 1;
    }
  }
  return false;
}

/** The withdrawal event to record for an inbound SMS opt-out (M12: SMS marketing consent). */
export function optOutEvent(
  customerId: string,
  inboundMessageId: string,
  at: Date,
  noticeVersion: string,
): ConsentEvent {
  return {
    customerId,
    purpose: 'marketing',
    channel: 'sms',
    status: 'withdrawn',
    noticeVersion,
    source: 'sms_keyword',
    evidence: `inbound_sms:${inboundMessageId}`,
    at,
  };
}

/** Channel type guard for callers that hold a plain string. */
export function isContactChannel(value: string): value is ContactChannel {
  return (CONTACT_CHANNELS as readonly string[]).includes(value);
}
