import { describe, expect, it } from 'vitest';
import {
  annualisedRevenueYuan,
  boughtInWindow,
  type ChurnFacts,
  churnEligible,
  churnLabel,
  linearOutstandingFen,
  modelKey,
} from '../../src/models/labels.ts';

const A = '2026-04-01';
const H = '2026-06-30';
const base: ChurnFacts = {
  customerId: 1,
  aumStartFen: 5_000_000,
  lastActivityAtStart: '2026-03-20',
  aumEndFen: 4_000_000,
  lastActivityAtEnd: '2026-06-25',
  accountsOpened: 1,
  accountsClosed: 0,
};

describe('churn label', () => {
  it('population: funded (AUM ≥ ¥100) and active in the 90 days before A', () => {
    expect(churnEligible(base, A)).toBe(true);
    expect(churnEligible({ ...base, aumStartFen: 9_999 }, A)).toBe(false);
    expect(churnEligible({ ...base, lastActivityAtStart: '2026-01-01' }, A)).toBe(false); // dormant (> 90 days)
    expect(churnEligible({ ...base, lastActivityAtStart: null }, A)).toBe(false);
    expect(churnLabel({ ...base, lastActivityAtStart: null }, A, H)).toBeNull();
  });

  it('stayed: still funded or still active', () => {
    expect(churnLabel(base, A, H)).toBe(0);
    // AUM gone but still transacting: not churned
    expect(churnLabel({ ...base, aumEndFen: 0, lastActivityAtEnd: '2026-06-10' }, A, H)).toBe(0);
    // quiet but still holds money: not churned (dormant-bound, not gone)
    expect(churnLabel({ ...base, lastActivityAtEnd: '2026-04-10' }, A, H)).toBe(0);
  });

  it('churned: all accounts closed, or AUM < ¥100 and 30 days without activity', () => {
    expect(churnLabel({ ...base, accountsClosed: 1 }, A, H)).toBe(1);
    expect(churnLabel({ ...base, aumEndFen: 5_000, lastActivityAtEnd: '2026-05-31' }, A, H)).toBe(1);
    expect(churnLabel({ ...base, aumEndFen: 5_000, lastActivityAtEnd: '2026-06-01' }, A, H)).toBe(0); // 29 days
    expect(churnLabel({ ...base, aumEndFen: 0, lastActivityAtEnd: null }, A, H)).toBe(1);
  });
});

describe('propensity label', () => {
  it('counts take-ups strictly after A and up to H only', () => {
    expect(boughtInWindow(['2026-04-01'], A, H)).toBe(0);
    expect(boughtInWindow(['2026-04-02'], A, H)).toBe(1);
    expect(boughtInWindow(['2026-06-30'], A, H)).toBe(1);
    expect(boughtInWindow(['2026-07-01', '2025-12-01'], A, H)).toBe(0);
    expect(boughtInWindow([], A, H)).toBe(0);
  });

  it('model keys', () => {
    expect(modelKey('churn')).toBe('churn');
    expect(modelKey('propensity', 'credit_card')).toBe('propensity.credit_card');
    expect(() => modelKey('propensity')).toThrow(/family/);
    expect(() => modelKey('propensity', 'car')).toThrow(/family/);
    expect(() => modelKey('ltv', 'fund')).toThrow(/only propensity/);
  });
});

describe('LTV target', () => {
  it('annualises the revenue proxy of the window', () => {
    // ¥1M AUM × 1.2% = ¥12,000 a year; ¥50 fees in 90 days → ¥202.78 a year; ¥10,000 card spend × 0.45% → ¥182.5
    const y = annualisedRevenueYuan(
      { avgAumFen: 100_000_000, feesFen: 5_000, cardSpendFen: 1_000_000, avgLoanFen: 0 },
      90,
    );
    expect(y).toBeCloseTo(12_000 + 50 * (365 / 90) + 45 * (365 / 90), 1);
    expect(() => annualisedRevenueYuan({ avgAumFen: 0, feesFen: 0, cardSpendFen: 0, avgLoanFen: 0 }, 0)).toThrow();
  });

  it('amortises loans linearly inside their term', () => {
    expect(linearOutstandingFen(1_200_000, '2026-01-01', '2027-01-01', '2025-12-31')).toBe(0);
    expect(linearOutstandingFen(1_200_000, '2026-01-01', '2027-01-01', '2026-01-01')).toBe(1_200_000);
    expect(linearOutstandingFen(1_200_000, '2026-01-01', '2027-01-01', '2026-07-02')).toBeCloseTo(
      1_200_000 * (1 - 182 / 365),
      6,
    );
    expect(linearOutstandingFen(1_200_000, '2026-01-01', '2027-01-01', '2027-01-01')).toBe(0);
  });
});
