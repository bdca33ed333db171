/**
 * A small hand-built bank for the tag and audience tests: a few customers whose tags are known by construction.
 * As of 2026-03-31 (a month-end). Customer 1..7 are described in FIXTURE_CUSTOMERS; 100..(100+n) are filler
 * customers with varied attributes for property tests.
 */
import type { AnalyticsDb } from '../../db/analytics.ts';
import type { OperationalDb } from '../../db/operational.ts';

export const FIXTURE_AS_OF = '2026-03-31';

export const FIXTURE_CUSTOMERS = {
  activeAffluent: 1,
  potential: 2,
  dormantSilver: 3,
  churnedClosed: 4,
  newCustomer: 5,
  viewedNotBought: 6,
  fraudOutflow: 7,
} as const;

interface Customer {
  customer_id: number;
  gender: string;
  birth_date: string;
  city_tier: number;
  occupation: string;
  industry: string;
  housing: string;
  city_since: string | null;
  monthly_income_fen: number;
  onboarded_at: string | null;
  risk_level: string;
  risk_assessed_at: string | null;
  flags: string[];
  personalised_marketing: number;
  status: string;
  children_count: number;
}

const base: Omit<Customer, 'customer_id'> = {
  gender: 'F',
  birth_date: '1990-05-10',
  city_tier: 1,
  occupation: 'engineer',
  industry: 'it',
  housing: 'own',
  city_since: '2010-01-01',
  monthly_income_fen: 1_500_000,
  onboarded_at: '2020-01-01',
  risk_level: 'C3',
  risk_assessed_at: '2025-10-01 08:00:00',
  flags: [],
  personalised_marketing: 1,
  status: 'active',
  children_count: 0,
};

let txnId = 1;
let eventId = 1;
const ts = (day: string, hour = 10) => `${day} ${String(hour).padStart(2, '0')}:00:00`;

function txn(customer_id: number, day: string, amountYuan: number, extra: Record<string, unknown> = {}) {
  return {
    txn_id: txnId++,
    customer_id,
    account_id: customer_id * 10,
    ts: ts(day, 4), // 12:00 Asia/Shanghai
    amount_fen: Math.round(amountYuan * 100),
    direction: 'out',
    channel: 'app',
    txn_type: 'purchase',
    merchant_category: 'dining',
    counterparty_type: 'merchant',
    cross_border: 0,
    ...extra,
  };
}

function ev(customer_id: number, day: string, event_type: string, extra: Record<string, unknown> = {}) {
  return {
    event_id: eventId++,
    customer_id,
    ts: ts(day, 1), // 09:00 Asia/Shanghai → morning
    event_type,
    page: 'home',
    product_id: '',
    product_family: '',
    session_id: `s${eventId}`,
    duration_s: 120,
    device_id: 'dev-1',
    ip: '10.0.0.1',
    ...extra,
  };
}

const monthEnds = ['2025-12-31', '2026-01-31', '2026-02-28', '2026-03-31'];

/** Inserts the fixture into a migrated analytics store (and masked customers into the operational store). */
export async function loadTagFixture(an: AnalyticsDb, op?: OperationalDb, filler = 0): Promise<void> {
  const C = FIXTURE_CUSTOMERS;
  const customers: Customer[] = [
    { ...base, customer_id: C.activeAffluent },
    {
      ...base,
      customer_id: C.potential,
      birth_date: '2000-02-01',
      onboarded_at: null,
      risk_level: '',
      risk_assessed_at: null,
      personalised_marketing: 0,
      gender: 'M',
    },
    {
      ...base,
      customer_id: C.dormantSilver,
      birth_date: '1955-07-01',
      onboarded_at: '2015-06-01',
      risk_level: 'C2',
      risk_assessed_at: '2024-01-01 00:00:00',
    },
    { ...base, customer_id: C.churnedClosed, status: 'closed' },
    {
      ...base,
      customer_id: C.newCustomer,
      onboarded_at: '2026-03-01',
      housing: 'rent',
      city_since: '2025-01-01',
      children_count: 1,
      birth_date: '1995-03-01',
    },
    { ...base, customer_id: C.viewedNotBought },
    { ...base, customer_id: C.fraudOutflow, flags: ['fraud_restricted'], occupation: 'farmer' },
  ];
  for (let i = 0; i < filler; i++) {
    const id = 100 + i;
    customers.push({
      ...base,
      customer_id: id,
      gender: i % 2 ? 'M' : 'F',
      birth_date: `${1940 + (i % 70)}-0${1 + (i % 9)}-15`,
      city_tier: 1 + (i % 4),
      monthly_income_fen: (i % 13) * 500_000,
      onboarded_at: i % 11 === 0 ? null : `20${10 + (i % 16)}-06-01`,
      risk_level: ['C1', 'C2', 'C3', 'C4', 'C5', ''][i % 6] ?? '',
      risk_assessed_at: i % 6 === 5 ? null : `202${4 + (i % 3)}-0${1 + (i % 9)}-01 00:00:00`,
      personalised_marketing: i % 7 === 0 ? 0 : 1,
      children_count: i % 3,
      housing: i % 4 === 0 ? 'rent' : 'own',
    });
  }
  await an.insert(
    'dim_customers',
    customers.map((c) => ({
      ...c,
      province: '浙江省',
      city: '杭州市',
      county_level: 0,
      employer_type: 'private',
      education: 'bachelor',
      marital_status: 'married',
      home_branch_id: 'B001',
      rm_user_id: '',
      investment_experience: 1,
      version: 1,
    })),
  );

  const txns: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  const holdingsDaily: Record<string, unknown>[] = [];
  const accounts: Record<string, unknown>[] = [];
  const holdings: Record<string, unknown>[] = [];
  const cards: Record<string, unknown>[] = [];
  const loans: Record<string, unknown>[] = [];
  const contacts: Record<string, unknown>[] = [];
  const account = (customer_id: number, kind = 'savings', opened_at = '2020-01-01', status = 'open') =>
    accounts.push({
      account_id: customer_id * 10 + accounts.length,
      customer_id,
      kind,
      opened_at,
      closed_at: status === 'closed' ? '2025-01-01' : null,
      balance_fen: 100_000,
      status,
      version: 1,
    });
  const aum = (customer_id: number, yuan: number[], family = 'deposit') => {
    yuan.forEach((y, i) => {
      holdingsDaily.push({
        date: monthEnds[i],
        customer_id,
        product_id: `${family}-1`,
        product_family: family,
        balance_fen: y * 100,
      });
    });
  };

  // 1: active affluent, salary here, card MOB1–2 with a first swipe, wealth holding.
  account(C.activeAffluent);
  account(C.activeAffluent, 'payroll');
  aum(C.activeAffluent, [500_000, 600_000, 600_000, 600_000]);
  aum(C.activeAffluent, [0, 0, 0, 100_000], 'wealth');
  holdings.push({
    holding_id: 1,
    customer_id: C.activeAffluent,
    product_id: 'W1',
    family: 'wealth',
    amount_fen: 10_000_000,
    signed_at: '2026-03-01 02:00:00',
    maturity_date: '2026-04-15',
    closed_at: null,
    status: 'active',
    version: 1,
  });
  for (const d of ['2026-01-10', '2026-02-10', '2026-03-10'])
    txns.push(txn(C.activeAffluent, d, 30_000, { direction: 'in', txn_type: 'salary', merchant_category: '' }));
  txns.push(txn(C.activeAffluent, '2026-03-20', 500)); // dining, Friday
  txns.push(txn(C.activeAffluent, '2026-03-21', 1500, { merchant_category: 'travel' })); // Saturday
  txns.push(txn(C.activeAffluent, '2026-03-25', 200, { channel: 'credit_card', merchant_category: 'dining' }));
  cards.push({
    card_id: 1,
    customer_id: C.activeAffluent,
    product_id: 'CC1',
    issued_at: '2026-01-05',
    activated_at: '2026-01-15',
    limit_fen: 5_000_000,
    bound_to_wallet: 1,
    status: 'active',
    version: 1,
  });
  for (const d of ['2026-03-28', '2026-03-30']) events.push(ev(C.activeAffluent, d, 'login'));
  contacts.push({
    contact_id: 1,
    customer_id: C.activeAffluent,
    ts: ts('2026-03-15'),
    channel: 'sms',
    purpose: 'marketing',
    campaign_id: 'K1',
    action_id: 'A1',
    template_version: 'v1',
    outcome: 'accepted',
    response_ts: null,
    nps: 9,
    rule_ids: [],
  });

  // 2: potential — app user only.
  events.push(ev(C.potential, '2026-03-30', 'login'));

  // 3: dormant silver — old activity, deposits, unactivated card, expired risk assessment.
  account(C.dormantSilver, 'savings', '2015-06-01');
  aum(C.dormantSilver, [20_000, 20_000, 20_000, 20_000]);
  txns.push(txn(C.dormantSilver, '2025-10-01', 100));
  cards.push({
    card_id: 3,
    customer_id: C.dormantSilver,
    product_id: 'CC1',
    issued_at: '2026-03-01',
    activated_at: null,
    limit_fen: 1_000_000,
    bound_to_wallet: 0,
    status: 'issued',
    version: 1,
  });

  // 4: churned — status closed, account closed.
  account(C.churnedClosed, 'savings', '2020-01-01', 'closed');

  // 5: new customer — opened 30 days ago.
  account(C.newCustomer, 'savings', '2026-03-01');
  aum(C.newCustomer, [0, 0, 0, 5_000]);
  txns.push(txn(C.newCustomer, '2026-03-15', 300, { merchant_category: 'maternity' }));

  // 6: viewed the same fund on 3 consecutive days, did not buy; another product on 2 days only.
  account(C.viewedNotBought);
  aum(C.viewedNotBought, [1_000, 1_000, 1_000, 1_000]);
  for (const d of ['2026-03-29', '2026-03-30', '2026-03-31'])
    events.push(ev(C.viewedNotBought, d, 'product_view', { product_id: 'F1', product_family: 'fund' }));
  events.push(ev(C.viewedNotBought, '2026-03-31', 'login'));

  // 7: fraud-restricted farmer with a large outflow in 7 days.
  account(C.fraudOutflow);
  aum(C.fraudOutflow, [100_000, 100_000, 100_000, 100_000]);
  txns.push(txn(C.fraudOutflow, '2026-03-28', 80_000, { txn_type: 'transfer', merchant_category: '' }));
  loans.push({
    loan_id: 7,
    customer_id: C.fraudOutflow,
    product_id: 'AG1',
    family: 'agri_loan',
    principal_fen: 10_000_000,
    outstanding_fen: 5_000_000,
    disbursed_at: '2025-01-01',
    maturity_date: '2026-04-20',
    overdue_days: 12,
    status: 'active',
    version: 1,
  });

  // Filler: deposits and a few purchases so numeric tags have spread.
  for (let i = 0; i < filler; i++) {
    const id = 100 + i;
    if (i % 11 === 0) continue; // prospects
    account(id, i % 17 === 0 ? 'business' : 'savings');
    aum(
      id,
      [1, 2, 3, 4].map((k) => ((i * 7919 + k * 104_729) % 900_000) + 1_000),
    );
    for (let k = 0; k < i % 5; k++)
      txns.push(
        txn(id, `2026-03-${String(1 + ((i + k) % 28)).padStart(2, '0')}`, 50 + ((i * 31 + k * 17) % 2000), {
          merchant_category: ['dining', 'travel', 'digital', 'education', 'supermarket'][k % 5],
        }),
      );
    if (i % 3 === 0) events.push(ev(id, `2026-03-${String(1 + (i % 28)).padStart(2, '0')}`, 'login'));
  }

  await an.insert('transactions', txns);
  await an.insert('app_events', events);
  await an.insert('holdings_daily', holdingsDaily);
  await an.insert('dim_accounts', accounts);
  await an.insert('dim_holdings', holdings);
  await an.insert('dim_cards', cards);
  await an.insert('dim_loans', loans);
  await an.insert('contacts', contacts);
  await an.insert('model_scores', [
    {
      as_of: '2026-03-30',
      customer_id: C.dormantSilver,
      model_id: 'churn',
      score: 0.81,
      band: 'high',
      reasons: '["inactive_90d","aum_flat","no_login"]',
      version: 1,
    },
    {
      as_of: '2026-03-30',
      customer_id: C.activeAffluent,
      model_id: 'churn',
      score: 0.05,
      band: 'low',
      reasons: '[]',
      version: 1,
    },
  ]);

  if (op) {
    for (const c of customers) {
      await op.query(
        `INSERT INTO customers (id, cif, name_enc, name_hash, name_masked, gender, birth_date, mobile_masked, province,
                                city, city_tier, occupation, personalised_marketing)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '浙江省', '杭州市', $9, $10, $11)`,
        [
          c.customer_id,
          `CIF${c.customer_id}`,
          Buffer.from('not-decrypted'),
          `h${c.customer_id}`,
          '张*',
          c.gender,
          c.birth_date,
          `138****${String(c.customer_id).padStart(4, '0')}`,
          c.city_tier,
          c.occupation,
          c.personalised_marketing === 1,
        ],
      );
    }
  }
}
