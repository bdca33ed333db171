/**
 * Label definitions of the bank models, computed from facts of the label window only (never used as features).
 *
 * Churn (90-day horizon), aligned with the catalogue's `lifecycle.stage = churned` ("all products closed, or AUM < ¥100
 * and no activity … after having been active"), shortened to what a 90-day window can observe:
 * - population at the feature date A: *active and funded* — AUM ≥ ¥100 at the latest month-end snapshot ≤ A and some
 *   customer-initiated activity (transaction or app login) in the 90 days up to A (dormant, already churned and
 *   prospect customers are not at risk of churning);
 * - label 1 when, by the end of the window H: every deposit account the customer ever opened is closed (closed_at ≤ H),
 *   or AUM < ¥100 at the latest snapshot ≤ H with no customer-initiated activity in the 30 days up to H.
 *
 * Propensity per product family: 1 when the customer took up a product of the family in (A, H] — holdings signed
 * (deposit = term deposits, wealth, fund, insurance), credit cards issued, loans disbursed (consumer_loan, mortgage).
 * Population: customers onboarded (or registered in the app) on or before A.
 *
 * LTV: the synthetic bank keeps one year of history ending at the scoring date, so 12 months of *future* revenue are
 * never observable. The target is the revenue proxy of the 90-day label window, annualised (× 365 / days):
 * AUM margin (1.2 % a year on the average month-end AUM) + fees charged + card interchange (0.45 % of card spend)
 * + loan margin (2 % a year on the average outstanding, amortised linearly from the loan terms). Population: as churn.
 */

export const CHURN_AUM_FLOOR_FEN = 10_000;
export const CHURN_INACTIVE_DAYS = 30;
export const ACTIVE_LOOKBACK_DAYS = 90;

export const PRODUCT_FAMILIES = [
  'deposit',
  'wealth',
  'fund',
  'insurance',
  'consumer_loan',
  'credit_card',
  'mortgage',
] as const;
export type ProductFamily = (typeof PRODUCT_FAMILIES)[number];

export type ModelKind = 'churn' | 'propensity' | 'ltv';

/** The `model_scores.model_id` (and tag factory model id) of a model. */
export function modelKey(kind: ModelKind, family?: string | null): string {
  if (kind === 'propensity') {
    if (!family || !(PRODUCT_FAMILIES as readonly string[]).includes(family))
      throw new Error(`family: one of ${PRODUCT_FAMILIES.join(', ')} is required for a propensity model`);
    return `propensity.${family}`;
  }
  if (family) throw new Error(`family: only propensity models take a family (kind ${kind})`);
  return kind;
}

function day(iso: string): number {
  return Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / 86_400_000);
}

/** What the label logic needs about one customer (all dates YYYY-MM-DD; money in fen). */
export interface ChurnFacts {
  customerId: number;
  /** AUM at the latest month-end snapshot ≤ A (0 when the customer has no position then) */
  aumStartFen: number;
  /** latest customer-initiated activity (transaction or login) ≤ A */
  lastActivityAtStart: string | null;
  /** AUM at the latest snapshot ≤ H */
  aumEndFen: number;
  /** latest customer-initiated activity ≤ H */
  lastActivityAtEnd: string | null;
  /** deposit accounts opened on or before H */
  accountsOpened: number;
  /** of those, closed on or before H */
  accountsClosed: number;
}

export function churnEligible(f: ChurnFacts, featureAsOf: string): boolean {
  if (f.aumStartFen < CHURN_AUM_FLOOR_FEN) return false;
  if (f.lastActivityAtStart === null) return false;
  const gap = day(featureAsOf) - day(f.lastActivityAtStart);
  return gap >= 0 && gap < ACTIVE_LOOKBACK_DAYS;
}

/** 1 = churned by `labelTo`, 0 = stayed, null = not in the population. */
export function churnLabel(f: ChurnFacts, featureAsOf: string, labelTo: string): 0 | 1 | null {
  if (!churnEligible(f, featureAsOf)) return null;
  const allClosed = f.accountsOpened > 0 && f.accountsClosed >= f.accountsOpened;
  const quiet = f.lastActivityAtEnd === null || day(labelTo) - day(f.lastActivityAtEnd) >= CHURN_INACTIVE_DAYS;
  return allClosed || (f.aumEndFen < CHURN_AUM_FLOOR_FEN && quiet) ? 1 : 0;
}

/** 1 when any take-up date falls in (featureAsOf, labelTo]. */
export function boughtInWindow(takeUpDates: readonly string[], featureAsOf: string, labelTo: string): 0 | 1 {
  const a = day(featureAsOf);
  const h = day(labelTo);
  return takeUpDates.some((d) => {
    const x = day(d);
    return x > a && x <= h;
  })
    ? 1
    : 0;
}

export const LTV_MARGINS = {
  /** yearly margin on average AUM */
  aum: 0.012,
  /** interchange share of card spend */
  cardSpend: 0.0045,
  /** yearly margin on average loan outstanding */
  loan: 0.02,
} as const;

export interface RevenueFacts {
  /** average AUM over the month-end snapshots in the window (fen) */
  avgAumFen: number;
  /** fees charged in the window (fen) */
  feesFen: number;
  /** credit-card spend in the window (fen) */
  cardSpendFen: number;
  /** average loan outstanding over the window (fen) */
  avgLoanFen: number;
}

/** Annualised revenue proxy of a window of `days` days, in yuan (the LTV regression target). */
export function annualisedRevenueYuan(r: RevenueFacts, days: number): number {
  if (!(days > 0)) throw new Error(`days: must be positive, got ${days}`);
  const year = 365 / days;
  const fen =
    r.avgAumFen * LTV_MARGINS.aum +
    r.avgLoanFen * LTV_MARGINS.loan +
    (r.feesFen + r.cardSpendFen * LTV_MARGINS.cardSpend) * year;
  return Math.round(fen) / 100;
}

/**
 * Outstanding of a linearly amortised loan at a day: principal × remaining share of the term (0 outside the term).
 */
export function linearOutstandingFen(principalFen: number, disbursed: string, maturity: string, at: string): number {
  const s = day(disbursed);
  const e = day(maturity);
  const t = day(at);
  if (t < s || t >= e || e <= s) return 0;
  return principalFen * (1 - (t - s) / (e - s));
}
