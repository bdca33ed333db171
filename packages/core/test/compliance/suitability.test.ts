import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CUSTOMER_RISK_LEVELS,
  type CustomerRiskLevel,
  DAY_MS,
  HOUR_MS,
  PRODUCT_FAMILIES,
  PRODUCT_RISK_LEVELS,
  type ProductRiskLevel,
  resolveRuleParams,
  riskRank,
} from '../../src/compliance/rules.ts';
import {
  ageAt,
  assessmentStatus,
  checkSuitability,
  SALES_CHANNELS,
  type SuitabilityContext,
  type SuitabilityCustomer,
  type SuitabilityProduct,
  suitabilityCustomerSchema,
} from '../../src/compliance/suitability.ts';

const NOW = new Date('2026-06-15T04:00:00Z'); // 12:00 Shanghai

const customer = (over: Partial<SuitabilityCustomer> = {}): SuitabilityCustomer => ({
  birthDate: '1980-05-20',
  assessment: { level: 'C3', completedAt: new Date('2026-01-10T02:00:00Z'), method: 'branch' },
  hasInvestmentExperience: true,
  flags: [],
  purchasedFamilies: ['wealth'],
  ...over,
});
const product = (over: Partial<SuitabilityProduct> = {}): SuitabilityProduct => ({
  id: 'P-1',
  family: 'wealth',
  riskLevel: 'R2',
  riskRatedFrom: new Date('2025-01-01T00:00:00Z'),
  isPrivate: false,
  ...over,
});
const ctx = (over: Partial<SuitabilityContext> = {}): SuitabilityContext => ({
  now: NOW,
  proactive: true,
  channel: 'app',
  ...over,
});

describe('S3 risk matching', () => {
  it('blocks a C2 customer from an R3 product, in zh and en', () => {
    const r = checkSuitability(
      customer({ assessment: { level: 'C2', completedAt: NOW, method: 'branch' } }),
      product({ riskLevel: 'R3' }),
      ctx(),
    );
    expect(r.allowed).toBe(false);
    expect(r.ruleIds).toContain('S3');
    expect(r.reasons[0]).toEqual({
      ruleId: 'S3',
      code: 'risk_mismatch',
      zh: '客户风险等级C2低于产品风险等级R3',
      en: 'customer risk level C2 is below product risk R3',
    });
  });

  it('allows Cn up to Rn, also for a customer-initiated purchase', () => {
    for (const c of CUSTOMER_RISK_LEVELS) {
      for (const p of PRODUCT_RISK_LEVELS) {
        const r = checkSuitability(
          customer({ assessment: { level: c, completedAt: NOW, method: 'branch' } }),
          product({ riskLevel: p }),
          ctx({ proactive: false }),
        );
        expect(r.allowed, `${c}/${p}`).toBe(riskRank(p) <= riskRank(c));
      }
    }
  });

  it('applies a tightened matrix and says so', () => {
    const params = resolveRuleParams({ S3: { maxRiskForC4: 'R3' } });
    const r = checkSuitability(
      customer({ assessment: { level: 'C4', completedAt: NOW, method: 'branch' } }),
      product({ riskLevel: 'R4' }),
      ctx({ proactive: false }),
      params,
    );
    expect(r.allowed).toBe(false);
    expect(r.reasons[0]!.zh).toBe('客户风险等级C4仅可匹配R3及以下产品，低于产品风险等级R4');
  });
});

describe('S6 assessment validity', () => {
  it('treats a missing assessment as unassessed: R1 only and prompt', () => {
    const c = customer({ assessment: null });
    const r1 = checkSuitability(c, product({ riskLevel: 'R1' }), ctx());
    expect(r1.allowed).toBe(true);
    expect(r1.reassessmentPrompt).toBe(true);
    expect(r1.ruleIds).toContain('S6');
    const r2 = checkSuitability(c, product({ riskLevel: 'R2' }), ctx());
    expect(r2.allowed).toBe(false);
    expect(r2.reasons[0]).toMatchObject({ ruleId: 'S6', code: 'assessment_missing' });
    expect(r2.effectiveLevel).toBeNull();
  });

  it('expires an assessment 12 months after completion (Shanghai calendar)', () => {
    const completedAt = new Date('2025-06-15T04:00:00Z');
    const c = customer({ assessment: { level: 'C5', completedAt, method: 'branch' } });
    expect(assessmentStatus(c, new Date('2026-06-15T04:00:00Z')).state).toBe('valid');
    expect(assessmentStatus(c, new Date('2026-06-15T04:00:00.001Z')).state).toBe('expired');
    const r = checkSuitability(c, product({ riskLevel: 'R2' }), ctx({ now: new Date('2026-07-01T00:00:00Z') }));
    expect(r.allowed).toBe(false);
    expect(r.reasons[0]).toMatchObject({ ruleId: 'S6', code: 'assessment_expired' });
    expect(r.reasons[0]!.zh).toContain('2026-06-15 12:00');
    expect(r.reassessmentPrompt).toBe(true);
  });

  it('expires an assessment that predates a material change', () => {
    const c = customer({ materialChangeAt: new Date('2026-05-01T00:00:00Z') });
    const r = checkSuitability(c, product({ riskLevel: 'R2' }), ctx());
    expect(r.allowed).toBe(false);
    expect(r.reasons[0]!.code).toBe('assessment_superseded');
  });

  it('honours a shorter configured validity', () => {
    const params = resolveRuleParams({ S6: { validityMonths: 3 } });
    const r = checkSuitability(customer(), product({ riskLevel: 'R2' }), ctx(), params);
    expect(r.allowed).toBe(false);
    expect(r.reasons[0]!.code).toBe('assessment_expired');
  });
});

describe('S1 product rating', () => {
  it('blocks an unrated product, a rating without effective date and a future rating', () => {
    expect(checkSuitability(customer(), product({ riskLevel: null }), ctx()).reasons[0]!.code).toBe('product_unrated');
    expect(checkSuitability(customer(), product({ riskRatedFrom: null }), ctx()).reasons[0]!.code).toBe(
      'rating_without_effective_date',
    );
    const future = checkSuitability(customer(), product({ riskRatedFrom: new Date(NOW.getTime() + DAY_MS) }), ctx());
    expect(future.allowed).toBe(false);
    expect(future.ruleIds).toEqual(['S1']);
  });
});

describe('S8 seniors', () => {
  const senior = (birthDate: string | null) =>
    customer({ birthDate, assessment: { level: 'C5', completedAt: NOW, method: 'branch' } });

  it('computes the age in Shanghai on the birthday', () => {
    // 2026-06-15T16:00Z is 00:00 on 16 June in Shanghai
    expect(ageAt('1961-06-16', new Date('2026-06-15T15:59:59Z'))).toBe(64);
    expect(ageAt('1961-06-16', new Date('2026-06-15T16:00:00Z'))).toBe(65);
    expect(ageAt('2000-02-29', new Date('2025-02-28T04:00:00Z'))).toBe(24);
    expect(ageAt('2000-02-29', new Date('2025-03-01T04:00:00Z'))).toBe(25);
    expect(ageAt('2000-02-30', NOW)).toBeNull();
  });

  it('blocks proactive R4+ for 65+, but not a customer-initiated purchase', () => {
    const c = senior('1961-01-01'); // 65
    const proactive = checkSuitability(c, product({ riskLevel: 'R4' }), ctx());
    expect(proactive.allowed).toBe(false);
    expect(proactive.reasons[0]).toMatchObject({ ruleId: 'S8', code: 'senior_high_risk' });
    expect(proactive.reasons[0]!.zh).toBe('客户年龄65岁（≥65岁），不得主动营销R4及以上产品（本产品R4）');
    const purchase = checkSuitability(c, product({ riskLevel: 'R4' }), ctx({ proactive: false }));
    expect(purchase.allowed).toBe(true);
    expect(purchase.extraWarnings.map((w) => w.code)).toContain('senior_extra_warning');
  });

  it('gives an extra warning from R3 and lets R3 through', () => {
    const r = checkSuitability(senior('1950-01-01'), product({ riskLevel: 'R3' }), ctx());
    expect(r.allowed).toBe(true);
    expect(r.extraWarnings[0]).toMatchObject({ ruleId: 'S8', code: 'senior_extra_warning' });
    expect(r.ruleIds).toContain('S8');
    const young = checkSuitability(senior('1990-01-01'), product({ riskLevel: 'R3' }), ctx());
    expect(young.extraWarnings).toEqual([]);
  });

  it('treats an unknown birth date as senior', () => {
    const r = checkSuitability(senior(null), product({ riskLevel: 'R5' }), ctx());
    expect(r.reasons.map((x) => x.code)).toContain('senior_age_unknown');
  });

  it('uses configured thresholds', () => {
    const params = resolveRuleParams({ S8: { seniorAge: 60, seniorMaxProactiveRisk: 'R2' } });
    const r = checkSuitability(senior('1965-01-01'), product({ riskLevel: 'R3' }), ctx(), params);
    expect(r.allowed).toBe(false);
    expect(r.reasons[0]!.zh).toContain('R3及以上');
  });
});

describe('S9 no experience', () => {
  it('blocks proactive R4+ without (or with unknown) experience', () => {
    const c5 = { level: 'C5' as const, completedAt: NOW, method: 'branch' as const };
    const none = checkSuitability(
      customer({ hasInvestmentExperience: false, assessment: c5 }),
      product({ riskLevel: 'R4' }),
      ctx(),
    );
    expect(none.reasons[0]).toMatchObject({ ruleId: 'S9', code: 'no_experience' });
    const unknown = checkSuitability(
      customer({ hasInvestmentExperience: null, assessment: c5 }),
      product({ riskLevel: 'R4' }),
      ctx(),
    );
    expect(unknown.reasons[0]!.code).toBe('experience_unknown');
    const r3 = checkSuitability(
      customer({ hasInvestmentExperience: false, assessment: c5 }),
      product({ riskLevel: 'R3' }),
      ctx(),
    );
    expect(r3.allowed).toBe(true);
    const buy = checkSuitability(
      customer({ hasInvestmentExperience: false, assessment: c5 }),
      product({ riskLevel: 'R4' }),
      ctx({ proactive: false }),
    );
    expect(buy.allowed).toBe(true);
  });
});

describe('S5 first purchase', () => {
  const online = customer({ purchasedFamilies: [], assessment: { level: 'C3', completedAt: NOW, method: 'online' } });
  it('blocks the first purchase of own wealth products after an online assessment', () => {
    const r = checkSuitability(online, product(), ctx({ proactive: false }));
    expect(r.allowed).toBe(false);
    expect(r.reasons[0]!.ruleId).toBe('S5');
    expect(r.reassessmentPrompt).toBe(true);
  });
  it('only warns on a proactive offer, and ignores wealth-company products', () => {
    const offer = checkSuitability(online, product(), ctx());
    expect(offer.allowed).toBe(true);
    expect(offer.extraWarnings[0]!.ruleId).toBe('S5');
    expect(checkSuitability(online, product({ family: 'wealth_company' }), ctx({ proactive: false })).allowed).toBe(
      true,
    );
  });
});

describe('S11 cooling-off', () => {
  it('blocks marketing of the signed private product for 24 h, only that product', () => {
    const signedAt = new Date(NOW.getTime() - 10 * HOUR_MS);
    const c = ctx({ privateSignings: [{ productId: 'PF-9', signedAt }] });
    const p = product({ id: 'PF-9', family: 'private_fund', isPrivate: true });
    const r = checkSuitability(customer(), p, c);
    expect(r.allowed).toBe(false);
    expect(r.reasons[0]).toMatchObject({ ruleId: 'S11', code: 'cooling_off' });
    expect(checkSuitability(customer(), product({ id: 'OTHER' }), c).allowed).toBe(true);
    expect(checkSuitability(customer(), p, { ...c, now: new Date(signedAt.getTime() + 24 * HOUR_MS) }).allowed).toBe(
      true,
    );
    expect(checkSuitability(customer(), p, { ...c, proactive: false }).allowed).toBe(true);
  });
});

describe('S12 dual recording', () => {
  it('flags branch sales of wealth and agency products only', () => {
    expect(checkSuitability(customer(), product(), ctx({ channel: 'branch' })).requiresDualRecording).toBe(true);
    expect(
      checkSuitability(customer(), product({ family: 'agency_insurance' }), ctx({ channel: 'branch' }))
        .requiresDualRecording,
    ).toBe(true);
    expect(
      checkSuitability(customer(), product({ family: 'deposit' }), ctx({ channel: 'branch' })).requiresDualRecording,
    ).toBe(false);
    const app = checkSuitability(customer(), product(), ctx({ channel: 'app' }));
    expect(app.requiresDualRecording).toBe(false);
    const branch = checkSuitability(customer(), product(), ctx({ channel: 'branch' }));
    expect(branch.ruleIds).toContain('S12');
  });
});

describe('A2/A3 flags and S10', () => {
  it('blocks marketing to fraud-restricted customers, and everything for deceased/closed', () => {
    const fraud = customer({ flags: ['fraud_restricted'] });
    expect(checkSuitability(fraud, product(), ctx()).reasons[0]!.ruleId).toBe('A2');
    expect(checkSuitability(fraud, product(), ctx({ proactive: false })).allowed).toBe(true);
    for (const flag of ['deceased', 'closed'] as const) {
      const r = checkSuitability(customer({ flags: [flag] }), product(), ctx({ proactive: false }));
      expect(r.allowed).toBe(false);
      expect(r.ruleIds).toEqual(['A3']);
    }
  });

  it('gives professional investors no relaxation (S10)', () => {
    const pro = customer({
      investorType: 'professional',
      hasInvestmentExperience: false,
      assessment: { level: 'C5', completedAt: NOW, method: 'branch' },
    });
    const r = checkSuitability(pro, product({ riskLevel: 'R5' }), ctx());
    expect(r.allowed).toBe(false);
    expect(r.ruleIds).toContain('S10');
    expect(checkSuitability(customer(), product(), ctx()).investorType).toBe('ordinary');
  });
});

describe('input schema', () => {
  it('validates customers at the edge, naming the field', () => {
    const bad = suitabilityCustomerSchema.safeParse({ ...customer(), birthDate: '1980-13-01' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['birthDate']);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const arbLevel = fc.constantFrom(...CUSTOMER_RISK_LEVELS);
const arbRisk = fc.constantFrom(...PRODUCT_RISK_LEVELS);
const arbDate = fc.date({
  min: new Date('2015-01-01T00:00:00Z'),
  max: new Date('2035-01-01T00:00:00Z'),
  noInvalidDate: true,
});
const arbBirth = fc.option(
  fc
    .date({ min: new Date('1920-01-01T00:00:00Z'), max: new Date('2010-01-01T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
);
const arbCustomer = (level: fc.Arbitrary<CustomerRiskLevel>, completedAt: fc.Arbitrary<Date>) =>
  fc.record({
    birthDate: arbBirth,
    assessment: fc.record({ level, completedAt, method: fc.constantFrom('branch' as const, 'online' as const) }),
    materialChangeAt: fc.option(arbDate),
    hasInvestmentExperience: fc.option(fc.boolean()),
    investorType: fc.constantFrom('ordinary' as const, 'professional' as const),
    flags: fc.subarray(['fraud_restricted', 'deceased', 'closed'] as const),
    purchasedFamilies: fc.subarray([...PRODUCT_FAMILIES]),
  });
const arbProduct = (risk: fc.Arbitrary<ProductRiskLevel>) =>
  fc.record({
    id: fc.constantFrom('P-1', 'P-2'),
    family: fc.constantFrom(...PRODUCT_FAMILIES),
    riskLevel: risk,
    riskRatedFrom: fc.option(arbDate),
    isPrivate: fc.boolean(),
  });
const arbContext = fc.record({
  now: arbDate,
  proactive: fc.boolean(),
  channel: fc.constantFrom(...SALES_CHANNELS),
  privateSignings: fc.array(fc.record({ productId: fc.constantFrom('P-1', 'P-2'), signedAt: arbDate }), {
    maxLength: 3,
  }),
});

describe('suitability properties', () => {
  it('no input lets a Cn customer be offered or sold a product above Rn', () => {
    fc.assert(
      fc.property(arbCustomer(arbLevel, arbDate), arbProduct(arbRisk), arbContext, (c, p, x) => {
        const r = checkSuitability(c, p, x);
        if (r.allowed) {
          expect(p.riskLevel).not.toBeNull();
          expect(riskRank(p.riskLevel!)).toBeLessThanOrEqual(riskRank(c.assessment.level));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('in particular a C2 customer is never offered an R3 product', () => {
    fc.assert(
      fc.property(
        arbCustomer(fc.constant('C2'), arbDate),
        arbProduct(fc.constantFrom('R3', 'R4', 'R5')),
        arbContext,
        (c, p, x) => {
          expect(checkSuitability(c, p, x).allowed).toBe(false);
        },
      ),
    );
  });

  it('an expired or missing assessment never allows more than R1, and always prompts', () => {
    fc.assert(
      fc.property(
        arbCustomer(arbLevel, arbDate),
        fc.boolean(),
        arbProduct(arbRisk),
        arbContext,
        fc.integer({ min: 1, max: 3650 }),
        (c, missing, p, x, daysAfterExpiry) => {
          const customerIn = missing
            ? { ...c, assessment: null }
            : {
                ...c,
                // completed 12 months + daysAfterExpiry days before now
                assessment: {
                  ...c.assessment,
                  completedAt: new Date(x.now.getTime() - (366 + daysAfterExpiry) * DAY_MS),
                },
              };
          const r = checkSuitability(customerIn, p, x);
          expect(r.reassessmentPrompt).toBe(true);
          expect(r.effectiveLevel).toBeNull();
          if (r.allowed) expect(p.riskLevel).toBe('R1');
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('proactive offers never reach seniors or inexperienced customers above R3, nor flagged customers', () => {
    fc.assert(
      fc.property(arbCustomer(arbLevel, arbDate), arbProduct(arbRisk), arbContext, (c, p, x) => {
        const r = checkSuitability(c, p, { ...x, proactive: true });
        if (!r.allowed) return;
        expect(c.flags).toEqual([]);
        const age = c.birthDate === null ? null : ageAt(c.birthDate, x.now);
        if (age === null || age >= 65 || c.hasInvestmentExperience !== true) {
          expect(riskRank(p.riskLevel!)).toBeLessThanOrEqual(3);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
