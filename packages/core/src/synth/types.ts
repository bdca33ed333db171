/** Output types of the synthetic bank generator (rows of the operational tables; analytics rows travel as TSV). */

export const PERSONAS = [
  'gen_z_95',
  'quasi_middle_class',
  'young_parent',
  'new_urban_resident',
  'silver',
  'sme_owner',
  'farmer_herder',
] as const;
export type Persona = (typeof PERSONAS)[number];

export const LIFECYCLES = ['potential', 'new', 'active', 'dormant', 'churned'] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];

export const SOURCE_SYSTEMS = ['core_banking', 'cards', 'wealth', 'app', 'crm'] as const;
export type SourceSystem = (typeof SOURCE_SYSTEMS)[number];

export interface SynthBranch {
  id: string;
  nameZh: string;
  nameEn: string;
  province: string;
  city: string;
  parentId: string | null;
}

export interface SynthUser {
  id: string;
  username: string;
  displayName: string;
  roleId: 'rm';
  branchId: string;
}

/** A customer's golden record (plain PII: the loader encrypts it) plus the generator's ground truth. */
export interface SynthCustomer {
  id: number;
  cif: string;
  name: string;
  gender: 'M' | 'F';
  birthDate: string;
  idNumber: string;
  /** The 6-digit region code the ID number was issued for (place of household registration). */
  idRegionCode: string;
  mobile: string;
  address: string;
  province: string;
  city: string;
  cityTier: 1 | 2 | 3 | 4;
  countyLevel: boolean;
  /** Household registration elsewhere than the city of residence. */
  migrant: boolean;
  occupation: string;
  industry: string | null;
  employerType: string | null;
  education: string;
  maritalStatus: string;
  childrenCount: number;
  housing: string;
  citySince: string | null;
  monthlyIncomeFen: number;
  onboardedAt: string | null;
  homeBranchId: string;
  rmUserId: string | null;
  riskLevel: string | null;
  /** "YYYY-MM-DD HH:MM:SS.000" UTC. */
  riskAssessedAt: string | null;
  investmentExperience: boolean;
  investorClass: 'ordinary' | 'professional';
  flags: string[];
  personalisedMarketing: boolean;
  status: 'active' | 'closed';
  appUser: boolean;
  // Ground truth.
  personas: Persona[];
  lifecycle: Lifecycle;
  /** Day the customer left (historic churners: before as-of; label churners: within 90 days after it). */
  churnDate: string | null;
  churnAfterAsOf: boolean;
  /** Whether the churner shows the planted pre-churn signal (falling logins, rising redemptions and outflows). */
  churnSignal: boolean;
}

export interface SynthSourceRecord {
  sourceSystem: SourceSystem;
  sourceKey: string;
  /** Linked golden record: set for core banking; other systems arrive unlinked (identity resolution links them). */
  customerId: number | null;
  truthId: number;
  /** Attributes as the source system holds them (keys as in imports: name, gender, birth_date, id_number, …). */
  attrs: Record<string, string>;
  /** The ID number to hash for lookup (18-character canonical form when the raw value is a valid legacy number). */
  idNumberForHash: string | null;
  mobile: string | null;
  birthDate: string | null;
  receivedAt: string;
}

export interface SynthAccount {
  id: number;
  customerId: number;
  accountNo: string;
  kind: 'current' | 'savings' | 'business' | 'payroll';
  branchId: string;
  openedAt: string;
  closedAt: string | null;
  balanceFen: number;
  status: 'open' | 'dormant' | 'closed';
}

export interface SynthHolding {
  id: number;
  customerId: number;
  productId: string;
  accountId: number | null;
  amountFen: number;
  signedAt: string;
  maturityDate: string | null;
  closedAt: string | null;
  status: 'active' | 'redeemed' | 'matured';
}

export interface SynthCard {
  id: number;
  customerId: number;
  productId: string;
  cardNo: string;
  issuedAt: string;
  activatedAt: string | null;
  limitFen: number;
  boundToWallet: boolean;
  status: 'issued' | 'active' | 'closed';
}

export interface SynthLoan {
  id: number;
  customerId: number;
  productId: string;
  principalFen: number;
  outstandingFen: number;
  disbursedAt: string;
  maturityDate: string;
  overdueDays: number;
  status: 'active' | 'repaid' | 'written_off';
}

export interface SynthConsent {
  customerId: number;
  purpose: 'marketing' | 'personalised_marketing' | 'marketing_use_of_financial_data';
  channel: string;
  status: 'granted' | 'withdrawn' | 'refused';
  noticeVersion: string;
  source: string;
  evidence: string;
  recordedAt: string;
}

/** Column order of the TSV payloads (ClickHouse tables of the analytics store). */
export const TSV_COLUMNS = {
  transactions: [
    'txn_id',
    'customer_id',
    'account_id',
    'ts',
    'amount_fen',
    'direction',
    'channel',
    'txn_type',
    'merchant_category',
    'counterparty_type',
    'cross_border',
  ],
  app_events: [
    'event_id',
    'customer_id',
    'ts',
    'event_type',
    'page',
    'product_id',
    'product_family',
    'session_id',
    'duration_s',
    'device_id',
    'ip',
  ],
  holdings_daily: ['date', 'customer_id', 'product_id', 'product_family', 'balance_fen'],
  contacts: [
    'contact_id',
    'customer_id',
    'ts',
    'channel',
    'purpose',
    'campaign_id',
    'action_id',
    'template_version',
    'outcome',
    'response_ts',
    'nps',
    'rule_ids',
  ],
  synth_truth: ['customer_id', 'lifecycle', 'personas', 'churn_date'],
} as const;
export type TsvTable = keyof typeof TSV_COLUMNS;
export const TSV_TABLES = Object.keys(TSV_COLUMNS) as TsvTable[];

/** One streaming batch of consecutive customers and everything that belongs to them. */
export interface SynthBatch {
  index: number;
  firstCustomerId: number;
  customerCount: number;
  customers: SynthCustomer[];
  sourceRecords: SynthSourceRecord[];
  accounts: SynthAccount[];
  holdings: SynthHolding[];
  cards: SynthCard[];
  loans: SynthLoan[];
  consents: SynthConsent[];
  /** Analytics rows as ASCII TSV bytes (one '\n'-terminated line per row, columns as in TSV_COLUMNS). */
  tsv: Record<TsvTable, Uint8Array>;
  tsvRows: Record<TsvTable, number>;
}
