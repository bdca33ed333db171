import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ConsentFact, consentState } from '../../src/compliance/consent.ts';
import {
  type ContactDecision,
  type ContactRecord,
  type ContactRequest,
  contactRequestSchema,
  evaluateContact,
  nextOutsideQuietHours,
} from '../../src/compliance/contact-policy.ts';
import {
  CONTACT_CHANNELS,
  type ContactChannel,
  DAY_MS,
  DEFAULT_RULE_PARAMS,
  HOUR_MS,
  MINUTE_MS,
  PRODUCT_RISK_LEVELS,
  parseHhMm,
  resolveRuleParams,
  shanghaiParts,
} from '../../src/compliance/rules.ts';

// 2026-06-15 is a Monday; 04:00Z = 12:00 Shanghai.
const NOON = new Date('2026-06-15T04:00:00Z');
const EPOCH = new Date('2020-01-01T00:00:00Z');
const grantAll: ConsentFact[] = [
  { purpose: 'marketing', channel: 'any', status: 'granted', at: EPOCH },
  { purpose: 'personalised_marketing', channel: 'any', status: 'granted', at: EPOCH },
  { purpose: 'marketing_use_of_financial_data', channel: 'any', status: 'granted', at: EPOCH },
];

const req = (over: Partial<ContactRequest> = {}): ContactRequest => ({
  customer: { flags: [], birthDate: '1985-03-03' },
  channel: 'sms',
  purpose: 'marketing',
  personalised: false,
  at: NOON,
  consents: grantAll,
  contactHistory: [],
  coolingOff: [],
  ...over,
});

const codes = (d: ContactDecision) => d.reasons.map((r) => r.code);

describe('consent (M12/P1, P4, P7)', () => {
  it('allows a consented marketing SMS at noon', () => {
    expect(evaluateContact(req())).toEqual({ decision: 'yes', ruleIds: [], reasons: [] });
  });

  it('refuses marketing without consent on that channel', () => {
    const d = evaluateContact(req({ consents: [] }));
    expect(d.decision).toBe('no');
    expect(d.ruleIds).toEqual(['M12']);
    expect(d.reasons[0]).toMatchObject({ code: 'marketing_consent_none', zh: '客户未授权短信营销' });
    const smsWithdrawn = [
      ...grantAll,
      { purpose: 'marketing', channel: 'sms', status: 'withdrawn', at: new Date('2026-01-01T00:00:00Z') },
    ] satisfies ConsentFact[];
    expect(evaluateContact(req({ consents: smsWithdrawn })).decision).toBe('no');
    expect(evaluateContact(req({ consents: smsWithdrawn, channel: 'push' })).decision).toBe('yes');
  });

  it('needs no marketing consent for service and regulatory messages', () => {
    expect(evaluateContact(req({ consents: [], purpose: 'service' })).decision).toBe('yes');
    expect(evaluateContact(req({ consents: [], purpose: 'regulatory' })).decision).toBe('yes');
  });

  it('honours an explicit opt-out of service messages on a channel', () => {
    const out: ConsentFact[] = [{ purpose: 'service', channel: 'push', status: 'withdrawn', at: EPOCH }];
    expect(evaluateContact(req({ consents: out, purpose: 'service', channel: 'push' })).decision).toBe('no');
    expect(evaluateContact(req({ consents: out, purpose: 'regulatory', channel: 'push' })).decision).toBe('yes');
  });

  it('needs personalised_marketing for personalised content (P4), and the off switch wins', () => {
    const onlyMarketing = grantAll.slice(0, 1);
    const d = evaluateContact(req({ consents: onlyMarketing, personalised: true }));
    expect(d.decision).toBe('no');
    expect(d.ruleIds).toEqual(['P4']);
    expect(evaluateContact(req({ consents: onlyMarketing, personalised: false })).decision).toBe('yes');
    const off = evaluateContact(
      req({ personalised: true, customer: { flags: [], birthDate: '1985-03-03', personalisedMarketing: false } }),
    );
    expect(off.ruleIds).toEqual(['P4']);
  });

  it('needs P7 consent when the offer uses financial data', () => {
    const d = evaluateContact(req({ consents: grantAll.slice(0, 2), usesFinancialData: true }));
    expect(d.ruleIds).toEqual(['P7']);
  });
});

describe('account flags and seniors (A2, A3, S8, A4)', () => {
  it('suppresses marketing to fraud-restricted customers, but not service', () => {
    const customer = { flags: ['fraud_restricted' as const], birthDate: '1985-03-03' };
    expect(evaluateContact(req({ customer })).ruleIds).toEqual(['A2']);
    expect(evaluateContact(req({ customer, purpose: 'service' })).decision).toBe('yes');
  });

  it('suppresses deceased (marketing and service) and closed (marketing)', () => {
    const dead = { flags: ['deceased' as const], birthDate: null };
    expect(evaluateContact(req({ customer: dead })).decision).toBe('no');
    expect(evaluateContact(req({ customer: dead, purpose: 'service' })).decision).toBe('no');
    const closed = { flags: ['closed' as const], birthDate: '1985-03-03' };
    expect(evaluateContact(req({ customer: closed })).ruleIds).toEqual(['A3']);
    expect(evaluateContact(req({ customer: closed, purpose: 'service' })).decision).toBe('yes');
  });

  it('suppresses R4+ marketing to customers aged 65+ or of unknown age', () => {
    const senior = { flags: [], birthDate: '1960-01-01' };
    expect(evaluateContact(req({ customer: senior, productRisk: 'R4' })).ruleIds).toEqual(['S8']);
    expect(evaluateContact(req({ customer: senior, productRisk: 'R3' })).decision).toBe('yes');
    expect(evaluateContact(req({ customer: { flags: [], birthDate: null }, productRisk: 'R5' })).reasons[0]!.code).toBe(
      'senior_age_unknown',
    );
    expect(evaluateContact(req({ productRisk: 'R5' })).decision).toBe('yes');
  });

  it('blocks undisclosed AI content (A4)', () => {
    expect(evaluateContact(req({ aiGenerated: true })).ruleIds).toEqual(['A4']);
    expect(evaluateContact(req({ aiGenerated: true, aiDisclosed: true })).decision).toBe('yes');
  });

  it('lists every blocking rule at once', () => {
    const d = evaluateContact(
      req({ consents: [], customer: { flags: ['fraud_restricted'], birthDate: null }, productRisk: 'R5' }),
    );
    expect(d.decision).toBe('no');
    expect(d.ruleIds).toEqual(['A2', 'M12', 'S8']);
  });
});

describe('quiet hours (M13)', () => {
  it('defers a 21:00 SMS to 09:00 next day Shanghai, as UTC', () => {
    const at = new Date('2026-06-15T13:00:00Z'); // 21:00
    const d = evaluateContact(req({ at }));
    expect(d).toMatchObject({ decision: 'not_before', ruleIds: ['M13'] });
    expect(d.decision === 'not_before' && d.notBefore.toISOString()).toBe('2026-06-16T01:00:00.000Z');
  });

  it('defers an 07:30 call to 09:00 the same day, and leaves 09:00 and 19:59 alone', () => {
    const d = evaluateContact(req({ channel: 'call', at: new Date('2026-06-14T23:30:00Z') }));
    expect(d.decision === 'not_before' && d.notBefore.toISOString()).toBe('2026-06-15T01:00:00.000Z');
    expect(evaluateContact(req({ at: new Date('2026-06-15T01:00:00Z') })).decision).toBe('yes');
    expect(evaluateContact(req({ at: new Date('2026-06-15T11:59:59Z') })).decision).toBe('yes');
    expect(evaluateContact(req({ at: new Date('2026-06-15T12:00:00Z') })).decision).toBe('not_before');
  });

  it('does not apply to e-mail or to service messages by default, and never to regulatory ones', () => {
    const at = new Date('2026-06-15T15:00:00Z'); // 23:00
    expect(evaluateContact(req({ at, channel: 'email' })).decision).toBe('yes');
    expect(evaluateContact(req({ at, purpose: 'service' })).decision).toBe('yes');
    const params = resolveRuleParams({ M13: { quietHoursPurposes: ['marketing', 'service'] } });
    expect(evaluateContact(req({ at, purpose: 'service' }), params).decision).toBe('not_before');
    expect(evaluateContact(req({ at, purpose: 'regulatory' }), params).decision).toBe('yes');
  });

  it('supports a window that does not cross midnight', () => {
    const params = resolveRuleParams({ M13: { quietHoursStart: '12:00', quietHoursEnd: '14:00' } });
    const d = evaluateContact(req({ at: NOON }), params);
    expect(d.decision === 'not_before' && d.notBefore.toISOString()).toBe('2026-06-15T06:00:00.000Z');
    expect(nextOutsideQuietHours(new Date('2026-06-15T13:00:00Z'), params)).toEqual(new Date('2026-06-15T13:00:00Z'));
  });
});

describe('frequency caps (M13)', () => {
  const mk = (iso: string, channel: ContactChannel = 'sms', purpose: ContactRecord['purpose'] = 'marketing') => ({
    ts: new Date(iso),
    channel,
    purpose,
  });

  it('allows 2 marketing SMS a week and defers the third until the oldest leaves the window', () => {
    const history = [mk('2026-06-10T03:00:00Z'), mk('2026-06-12T03:00:00Z')];
    const d = evaluateContact(req({ contactHistory: history }));
    expect(d.decision).toBe('not_before');
    expect(d.reasons[0]!.code).toBe('frequency_cap:sms_week');
    // 2026-06-10T03:00Z + 7 days = 2026-06-17T03:00Z (11:00 Shanghai, outside quiet hours)
    expect(d.decision === 'not_before' && d.notBefore.toISOString()).toBe('2026-06-17T03:00:00.000Z');
    // service messages and other channels' non-marketing contacts do not count
    expect(evaluateContact(req({ contactHistory: [mk('2026-06-12T03:00:00Z', 'sms', 'service')] })).decision).toBe(
      'yes',
    );
    // push is not capped by the SMS cap
    expect(evaluateContact(req({ contactHistory: history, channel: 'push' })).decision).toBe('yes');
  });

  it('applies the global cap of 4 per week across channels', () => {
    const history = [
      mk('2026-06-09T03:00:00Z', 'push'),
      mk('2026-06-10T03:00:00Z', 'email'),
      mk('2026-06-11T03:00:00Z', 'wechat'),
      mk('2026-06-13T03:00:00Z', 'push'),
    ];
    const d = evaluateContact(req({ contactHistory: history }));
    expect(d.reasons.map((r) => r.code)).toEqual(['frequency_cap:all_week']);
    expect(d.decision === 'not_before' && d.notBefore.toISOString()).toBe('2026-06-16T03:00:00.000Z');
  });

  it('combines a cap with quiet hours: the cap frees at 22:00 → next 09:00', () => {
    const history = [mk('2026-06-08T14:00:00Z'), mk('2026-06-12T03:00:00Z')]; // 22:00 Shanghai on the 8th
    const d = evaluateContact(req({ contactHistory: history }));
    expect(codes(d)).toEqual(['frequency_cap:sms_week', 'quiet_hours']);
    expect(d.decision === 'not_before' && d.notBefore.toISOString()).toBe('2026-06-16T01:00:00.000Z');
  });

  it('a cap of 0 is a hard no', () => {
    const params = resolveRuleParams({
      M13: { frequencyCaps: [{ id: 'no_calls', channels: ['call'], windowHours: 24, max: 0 }] },
    });
    expect(evaluateContact(req({ channel: 'call' }), params).decision).toBe('no');
  });
});

describe('cooling-off (S11)', () => {
  it('defers marketing of the signed product until the window ends', () => {
    const signedAt = new Date('2026-06-15T02:00:00Z');
    const d = evaluateContact(req({ productId: 'PF-1', coolingOff: [{ productId: 'PF-1', signedAt }] }));
    expect(d.ruleIds).toEqual(['S11']);
    expect(d.decision === 'not_before' && d.notBefore.toISOString()).toBe('2026-06-16T02:00:00.000Z');
    expect(evaluateContact(req({ productId: 'OTHER', coolingOff: [{ productId: 'PF-1', signedAt }] })).decision).toBe(
      'yes',
    );
  });
});

describe('input schema', () => {
  it('validates a request at the edge', () => {
    expect(contactRequestSchema.safeParse(req()).success).toBe(true);
    const bad = contactRequestSchema.safeParse({ ...req(), channel: 'fax' });
    expect(bad.error?.issues[0]?.path).toEqual(['channel']);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const start = new Date('2026-01-01T00:00:00Z').getTime();
const arbInstant = fc.integer({ min: 0, max: 60 * DAY_MS }).map((ms) => new Date(start + ms));
const arbChannel = fc.constantFrom(...CONTACT_CHANNELS);
const arbConsent: fc.Arbitrary<ConsentFact> = fc.record({
  purpose: fc.constantFrom('marketing', 'personalised_marketing', 'service') as fc.Arbitrary<ConsentFact['purpose']>,
  channel: fc.constantFrom('any' as const, ...CONTACT_CHANNELS),
  status: fc.constantFrom('granted' as const, 'withdrawn' as const, 'refused' as const),
  at: fc.integer({ min: 0, max: 90 * DAY_MS }).map((ms) => new Date(start - 30 * DAY_MS + ms)),
});
const arbRequest: fc.Arbitrary<ContactRequest> = fc.record({
  customer: fc.record({
    flags: fc.subarray(['fraud_restricted', 'deceased', 'closed'] as const),
    birthDate: fc.option(fc.constantFrom('1950-01-01', '1961-06-30', '1990-12-31')),
    personalisedMarketing: fc.option(fc.boolean(), { nil: undefined }),
  }),
  channel: arbChannel,
  purpose: fc.constantFrom('marketing' as const, 'service' as const, 'regulatory' as const),
  personalised: fc.boolean(),
  productId: fc.option(fc.constantFrom('P-1', 'P-2'), { nil: undefined }),
  productRisk: fc.option(fc.constantFrom(...PRODUCT_RISK_LEVELS), { nil: undefined }),
  at: arbInstant,
  consents: fc.array(arbConsent, { maxLength: 8 }),
  contactHistory: fc.array(
    fc.record({
      ts: arbInstant,
      channel: arbChannel,
      purpose: fc.constantFrom('marketing' as const, 'service' as const),
    }),
    { maxLength: 12 },
  ),
  coolingOff: fc.array(fc.record({ productId: fc.constantFrom('P-1', 'P-2'), signedAt: arbInstant }), {
    maxLength: 2,
  }),
});

function inQuietHours(t: Date): boolean {
  const m = shanghaiParts(t).minuteOfDay;
  return (
    m >= parseHhMm(DEFAULT_RULE_PARAMS.M13.quietHoursStart) || m < parseHhMm(DEFAULT_RULE_PARAMS.M13.quietHoursEnd)
  );
}
const QUIET_CHANNELS: readonly string[] = DEFAULT_RULE_PARAMS.M13.quietHoursChannels;

describe('contact policy properties', () => {
  it('a customer without SMS marketing consent is never cleared for a marketing SMS', () => {
    fc.assert(
      fc.property(
        arbRequest,
        fc.constantFrom('withdrawn' as const, 'refused' as const),
        fc.constantFrom('sms' as const, 'any' as const),
        (r, status, channel) => {
          const withdrawn: ConsentFact = {
            purpose: 'marketing',
            channel,
            status,
            at: new Date(start + 61 * DAY_MS),
          };
          const d = evaluateContact({
            ...r,
            channel: 'sms',
            purpose: 'marketing',
            consents: [...r.consents, withdrawn],
          });
          expect(d.decision).toBe('no');
          // and in general: yes implies granted
          const g = evaluateContact({ ...r, channel: 'sms', purpose: 'marketing' });
          if (g.decision === 'yes') expect(consentState(r.consents, 'marketing', 'sms')).toBe('granted');
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('quiet hours are never violated, and not_before is an instant at which the contact is cleared', () => {
    fc.assert(
      fc.property(arbRequest, (r) => {
        const d = evaluateContact(r);
        const quietApplies = QUIET_CHANNELS.includes(r.channel) && r.purpose === 'marketing';
        if (d.decision === 'yes' && quietApplies) expect(inQuietHours(r.at)).toBe(false);
        if (d.decision === 'not_before') {
          expect(d.notBefore.getTime()).toBeGreaterThan(r.at.getTime());
          if (quietApplies) expect(inQuietHours(d.notBefore)).toBe(false);
          expect(evaluateContact({ ...r, at: d.notBefore }).decision).toBe('yes');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('caps are never exceeded when every yes (or a deferred send at not_before) is fed back as a contact', () => {
    const arbAttempts = fc.array(
      fc.record({ offset: fc.integer({ min: 0, max: 21 * DAY_MS }), channel: arbChannel, defer: fc.boolean() }),
      { minLength: 1, maxLength: 60 },
    );
    const params = resolveRuleParams({
      M13: {
        frequencyCaps: [
          ...DEFAULT_RULE_PARAMS.M13.frequencyCaps,
          { id: 'push_hour', channels: ['push', 'in_app'], windowHours: 1, max: 1 },
        ],
      },
    });
    fc.assert(
      fc.property(arbAttempts, (attempts) => {
        const sorted = [...attempts].sort((a, b) => a.offset - b.offset);
        const contacts: ContactRecord[] = [];
        for (const a of sorted) {
          const at = new Date(start + a.offset);
          // never decide before the last recorded contact (sends happen in time order)
          const last = contacts.length ? contacts[contacts.length - 1]!.ts.getTime() : 0;
          const when = new Date(Math.max(at.getTime(), last));
          const r = req({ at: when, channel: a.channel, contactHistory: contacts });
          const d = evaluateContact(r, params);
          if (d.decision === 'yes') contacts.push({ ts: when, channel: a.channel, purpose: 'marketing' });
          else if (d.decision === 'not_before' && a.defer) {
            const again = evaluateContact({ ...r, at: d.notBefore }, params);
            expect(again.decision).toBe('yes');
            contacts.push({ ts: d.notBefore, channel: a.channel, purpose: 'marketing' });
            contacts.sort((x, y) => x.ts.getTime() - y.ts.getTime());
          }
        }
        for (const cap of params.M13.frequencyCaps) {
          const matching = contacts.filter((c) => cap.channels === 'all' || cap.channels.includes(c.channel));
          for (const c of matching) {
            const end = c.ts.getTime();
            const inWindow = matching.filter(
              (o) => o.ts.getTime() > end - cap.windowHours * HOUR_MS && o.ts.getTime() <= end,
            );
            expect(inWindow.length, `${cap.id} at ${c.ts.toISOString()}`).toBeLessThanOrEqual(cap.max);
          }
        }
        for (const c of contacts) if (QUIET_CHANNELS.includes(c.channel)) expect(inQuietHours(c.ts)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('decisions are stable under reordering of the histories', () => {
    fc.assert(
      fc.property(arbRequest, (r) => {
        const a = evaluateContact(r);
        const b = evaluateContact({
          ...r,
          consents: [...r.consents].reverse(),
          contactHistory: [...r.contactHistory].reverse(),
          coolingOff: [...r.coolingOff].reverse(),
        });
        expect(b.decision).toBe(a.decision);
        expect(b.ruleIds).toEqual(a.ruleIds);
        if (a.decision === 'not_before' && b.decision === 'not_before') expect(b.notBefore).toEqual(a.notBefore);
      }),
      { numRuns: 500 },
    );
  });

  it('a minute later than quiet-hours end is always fine for a clean customer', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 }), (day) => {
        const nineOClock = new Date(start + day * DAY_MS + HOUR_MS + MINUTE_MS); // 09:01 Shanghai
        expect(evaluateContact(req({ at: nineOClock })).decision).toBe('yes');
      }),
    );
  });
});
