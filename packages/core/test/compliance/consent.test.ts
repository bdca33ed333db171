import { describe, expect, it } from 'vitest';
import {
  type ConsentEvent,
  type ConsentFact,
  consentEventSchema,
  consentPurposeSchema,
  consentState,
  consentStates,
  hasConsent,
  isOptOutMessage,
  mayPromptForConsent,
  optOutEvent,
  thirdPartySharingPurpose,
} from '../../src/compliance/consent.ts';
import { DAY_MS, DEFAULT_RULE_PARAMS, resolveRuleParams } from '../../src/compliance/rules.ts';

const t = (iso: string) => new Date(iso);
const ev = (over: Partial<ConsentFact> & Pick<ConsentFact, 'at'>): ConsentFact => ({
  purpose: 'marketing',
  channel: 'any',
  status: 'granted',
  ...over,
});

describe('consent state (latest wins, "any" covers every channel)', () => {
  it('is none without events', () => {
    expect(consentState([], 'marketing', 'sms')).toBe('none');
    expect(hasConsent([], 'marketing', 'sms')).toBe(false);
  });

  it('a grant on any covers each channel; a later channel withdrawal overrides only that channel', () => {
    const h = [
      ev({ at: t('2026-01-01T00:00:00Z') }),
      ev({ at: t('2026-02-01T00:00:00Z'), channel: 'sms', status: 'withdrawn' }),
    ];
    expect(consentState(h, 'marketing', 'sms')).toBe('withdrawn');
    expect(consentState(h, 'marketing', 'push')).toBe('granted');
    expect(consentState(h, 'marketing', 'any')).toBe('granted');
  });

  it('a later withdrawal on any withdraws every channel; a later channel grant restores one', () => {
    const h = [
      ev({ at: t('2026-01-01T00:00:00Z'), channel: 'sms' }),
      ev({ at: t('2026-02-01T00:00:00Z'), status: 'withdrawn' }),
      ev({ at: t('2026-03-01T00:00:00Z'), channel: 'push' }),
    ];
    expect(consentState(h, 'marketing', 'sms')).toBe('withdrawn');
    expect(consentState(h, 'marketing', 'push')).toBe('granted');
  });

  it('order of the history array does not matter; ties resolve to the restrictive status', () => {
    const a = ev({ at: t('2026-01-01T00:00:00Z'), channel: 'sms' });
    const b = ev({ at: t('2026-01-01T00:00:00Z'), status: 'refused' });
    expect(consentState([a, b], 'marketing', 'sms')).toBe('refused');
    expect(consentState([b, a], 'marketing', 'sms')).toBe('refused');
  });

  it('keeps purposes apart (personalised does not imply marketing; recipients are distinct)', () => {
    const h = [
      ev({ at: t('2026-01-01T00:00:00Z'), purpose: 'personalised_marketing' }),
      ev({ at: t('2026-01-01T00:00:00Z'), purpose: thirdPartySharingPurpose('acme_insurance') }),
    ];
    expect(hasConsent(h, 'marketing', 'sms')).toBe(false);
    expect(hasConsent(h, 'personalised_marketing', 'sms')).toBe(true);
    expect(hasConsent(h, 'third_party_sharing:acme_insurance', 'any')).toBe(true);
    expect(hasConsent(h, 'third_party_sharing:other', 'any')).toBe(false);
  });

  it('lists resolved states for display', () => {
    const h = [
      ev({ at: t('2026-01-01T00:00:00Z') }),
      ev({ at: t('2026-02-01T00:00:00Z'), channel: 'sms', status: 'withdrawn' }),
    ];
    const rows = consentStates(h);
    expect(rows.find((r) => r.channel === 'sms')).toMatchObject({
      state: 'withdrawn',
      since: t('2026-02-01T00:00:00Z'),
    });
    expect(rows.find((r) => r.channel === 'push')).toMatchObject({
      state: 'granted',
      since: t('2026-01-01T00:00:00Z'),
    });
  });
});

describe('schemas', () => {
  it('accepts the purposes and rejects unknown ones', () => {
    for (const p of [
      'marketing',
      'personalised_marketing',
      'sensitive_processing',
      'marketing_use_of_financial_data',
      'service',
      'third_party_sharing:acme_insurance',
    ]) {
      expect(consentPurposeSchema.safeParse(p).success, p).toBe(true);
    }
    expect(consentPurposeSchema.safeParse('third_party_sharing:').success).toBe(false);
    expect(consentPurposeSchema.safeParse('third_party_sharing:Bad Name').success).toBe(false);
    expect(consentPurposeSchema.safeParse('spam').success).toBe(false);
    expect(() => thirdPartySharingPurpose('A B')).toThrow(/recipient/);
  });

  it('validates a full event (P1 fields)', () => {
    const e: ConsentEvent = {
      customerId: 'C-1',
      purpose: 'marketing',
      channel: 'sms',
      status: 'granted',
      noticeVersion: '2026.1',
      source: 'h5_preference_centre',
      evidence: 'session:abc/click:42',
      at: t('2026-01-01T00:00:00Z'),
    };
    expect(consentEventSchema.parse(e)).toEqual(e);
    const bad = consentEventSchema.safeParse({ ...e, evidence: '' });
    expect(bad.error?.issues[0]?.path).toEqual(['evidence']);
  });
});

describe('P6 re-prompt block', () => {
  const refusedAt = t('2026-01-01T00:00:00Z');
  const h = [ev({ at: refusedAt, status: 'refused' })];

  it('blocks a new request for 90 days after a refusal', () => {
    const d = mayPromptForConsent(h, 'marketing', new Date(refusedAt.getTime() + 89 * DAY_MS));
    expect(d).toMatchObject({ allowed: false, ruleId: 'P6', code: 'refused_recently' });
    expect(d.notBefore).toEqual(new Date(refusedAt.getTime() + 90 * DAY_MS));
    expect(mayPromptForConsent(h, 'marketing', new Date(refusedAt.getTime() + 90 * DAY_MS)).allowed).toBe(true);
  });

  it('treats a withdrawal as a refusal by default, and only for the same purpose', () => {
    const w = [ev({ at: refusedAt, status: 'withdrawn', channel: 'sms' })];
    expect(mayPromptForConsent(w, 'marketing', new Date(refusedAt.getTime() + DAY_MS)).code).toBe('withdrawn_recently');
    expect(mayPromptForConsent(w, 'personalised_marketing', new Date(refusedAt.getTime() + DAY_MS)).allowed).toBe(true);
  });

  it('uses the configured number of days', () => {
    const params = resolveRuleParams({ P6: { reconsentBlockDays: 180 } });
    expect(mayPromptForConsent(h, 'marketing', new Date(refusedAt.getTime() + 120 * DAY_MS), params).allowed).toBe(
      false,
    );
  });

  it('does not ask for what is already granted', () => {
    const g = [ev({ at: refusedAt })];
    expect(mayPromptForConsent(g, 'marketing', t('2026-06-01T00:00:00Z')).code).toBe('already_granted');
    expect(mayPromptForConsent([], 'marketing', t('2026-06-01T00:00:00Z')).allowed).toBe(true);
  });
});

describe('M12 opt-out keywords', () => {
  it('recognises TD, 退订 and friends, in any case and width', () => {
    for (const m of ['TD', 'td', ' ＴＤ ', '退订', '我要退订', '回复T', 't', 'Stop', '取消订阅！', '拒收']) {
      expect(isOptOutMessage(m), m).toBe(true);
    }
  });
  it('does not fire inside longer Latin words or on empty text', () => {
    for (const m of ['STD', 'OK THANKS', 'IT', '好的', '', '   ']) {
      expect(isOptOutMessage(m), m).toBe(false);
    }
  });
  it('uses configured extra keywords', () => {
    const params = resolveRuleParams({ M12: { optOutKeywords: [...DEFAULT_RULE_PARAMS.M12.optOutKeywords, '0000'] } });
    expect(isOptOutMessage('0000', params)).toBe(true);
    expect(isOptOutMessage('10000', params)).toBe(false);
  });
  it('builds the SMS marketing withdrawal event', () => {
    const e = optOutEvent('C-1', 'in-77', t('2026-01-01T00:00:00Z'), '2026.1');
    expect(consentEventSchema.safeParse(e).success).toBe(true);
    expect(consentState([ev({ at: t('2025-01-01T00:00:00Z') }), e], 'marketing', 'sms')).toBe('withdrawn');
  });
});
