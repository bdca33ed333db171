/**
 * The sources a tag definition may aggregate over, and the columns each exposes. Identifiers in generated SQL come
 * only from here; data classes and the anti-fraud-only marks (rule A1) come from the schema's data-class registry
 * (`schema/data-classes.ts`), so one place decides them.
 */
import { columnClass, type DataClass } from '../schema/data-classes.ts';

export type ColumnType = 'string' | 'int' | 'float' | 'bool' | 'date' | 'datetime' | 'string_array';

export interface SourceColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly dataClass: DataClass;
  /** Rule A1: the column may serve anti-fraud only; the tag compiler refuses it. */
  readonly antiFraudOnly: boolean;
}

export interface SourceDef {
  readonly name: SourceName;
  /** Analytics table (identifier). */
  readonly table: string;
  /** The default time column windows apply to (local dates in the configured time zone). */
  readonly timeColumn: string | undefined;
  /** Read with FINAL (ReplacingMergeTree: the latest version of each row). */
  readonly final: boolean;
  /** Read with FINAL, the table holds exactly one row per customer (its sorting key is `customer_id`). */
  readonly oneRowPerCustomer: boolean;
  readonly columns: Readonly<Record<string, SourceColumn>>;
  readonly description: string;
}

export const sourceNames = [
  'transactions',
  'app_events',
  'holdings_daily',
  'contacts',
  'dim_customers',
  'dim_accounts',
  'dim_holdings',
  'dim_cards',
  'dim_loans',
  'model_scores',
] as const;
export type SourceName = (typeof sourceNames)[number];

type ColSpec = Record<string, ColumnType | [ColumnType, 'nullable']>;

function source(
  name: SourceName,
  timeColumn: string | undefined,
  final: boolean,
  description: string,
  cols: ColSpec,
  ownClass?: DataClass,
): SourceDef {
  const columns: Record<string, SourceColumn> = {};
  for (const [col, spec] of Object.entries(cols)) {
    const [type, nullable] = Array.isArray(spec) ? [spec[0], true] : [spec, false];
    // Tables introduced with the tag factory (model_scores) declare their class here until the shared data-class
    // registry lists them; when it does, the two must agree.
    const shared = columnClass('analytics', name, col);
    const cls = shared ?? (ownClass ? { class: ownClass } : undefined);
    if (shared && ownClass && shared.class !== ownClass)
      throw new Error(
        `tag source registry: ${name}.${col} is ${shared.class} in schema/data-classes.ts, not ${ownClass}`,
      );
    if (!cls) throw new Error(`tag source registry: ${name}.${col} has no data class in schema/data-classes.ts`);
    columns[col] = { name: col, type, nullable, dataClass: cls.class, antiFraudOnly: cls.antiFraudOnly === true };
  }
  return { name, table: name, timeColumn, final, oneRowPerCustomer: false, columns, description };
}

function buildRegistry(): Record<SourceName, SourceDef> {
  return {
    transactions: source('transactions', 'ts', true, 'account and card transactions', {
      txn_id: 'int',
      account_id: 'int',
      ts: 'datetime',
      amount_fen: 'int',
      direction: 'string',
      channel: 'string',
      txn_type: 'string',
      merchant_category: 'string',
      counterparty_type: 'string',
      cross_border: 'bool',
    }),
    app_events: source('app_events', 'ts', true, 'mobile-banking app and web events', {
      event_id: 'int',
      ts: 'datetime',
      event_type: 'string',
      page: 'string',
      product_id: 'string',
      product_family: 'string',
      session_id: 'string',
      duration_s: 'int',
      device_id: 'string',
      ip: 'string',
    }),
    holdings_daily: source('holdings_daily', 'date', true, 'month-end balance snapshots per product', {
      date: 'date',
      product_id: 'string',
      product_family: 'string',
      balance_fen: 'int',
    }),
    contacts: source('contacts', 'ts', true, 'contact history (outbound and inbound)', {
      contact_id: 'int',
      ts: 'datetime',
      channel: 'string',
      purpose: 'string',
      campaign_id: 'string',
      action_id: 'string',
      outcome: 'string',
      response_ts: ['datetime', 'nullable'],
      nps: ['int', 'nullable'],
    }),
    dim_customers: {
      // ReplacingMergeTree(version) ORDER BY customer_id: FINAL leaves one row per customer
      ...source('dim_customers', undefined, true, 'customer attributes (no direct identifiers)', {
        gender: 'string',
        birth_date: 'date',
        province: 'string',
        city: 'string',
        city_tier: 'int',
        county_level: 'bool',
        occupation: 'string',
        industry: 'string',
        employer_type: 'string',
        education: 'string',
        marital_status: 'string',
        children_count: 'int',
        housing: 'string',
        city_since: ['date', 'nullable'],
        monthly_income_fen: 'int',
        onboarded_at: ['date', 'nullable'],
        home_branch_id: 'string',
        risk_level: 'string',
        risk_assessed_at: ['datetime', 'nullable'],
        investment_experience: 'bool',
        flags: 'string_array',
        personalised_marketing: 'bool',
        status: 'string',
      }),
      oneRowPerCustomer: true,
    },
    dim_accounts: source('dim_accounts', 'opened_at', true, 'deposit accounts', {
      account_id: 'int',
      kind: 'string',
      opened_at: 'date',
      closed_at: ['date', 'nullable'],
      balance_fen: 'int',
      status: 'string',
    }),
    dim_holdings: source('dim_holdings', 'signed_at', true, 'wealth, fund, insurance and term-deposit holdings', {
      holding_id: 'int',
      product_id: 'string',
      family: 'string',
      amount_fen: 'int',
      signed_at: 'datetime',
      maturity_date: ['date', 'nullable'],
      closed_at: ['date', 'nullable'],
      status: 'string',
    }),
    dim_cards: source('dim_cards', 'issued_at', true, 'credit cards', {
      card_id: 'int',
      product_id: 'string',
      issued_at: 'date',
      activated_at: ['date', 'nullable'],
      limit_fen: 'int',
      bound_to_wallet: 'bool',
      status: 'string',
    }),
    dim_loans: source('dim_loans', 'disbursed_at', true, 'loans', {
      loan_id: 'int',
      product_id: 'string',
      family: 'string',
      principal_fen: 'int',
      outstanding_fen: 'int',
      disbursed_at: 'date',
      maturity_date: 'date',
      overdue_days: 'int',
      status: 'string',
    }),
    model_scores: source(
      'model_scores',
      'as_of',
      false,
      'scores written by the models module',
      {
        as_of: 'date',
        model_id: 'string',
        score: 'float',
        band: 'string',
        reasons: 'string',
        version: 'int',
      },
      'C1',
    ),
  };
}

let registry: Record<SourceName, SourceDef> | undefined;

/** The source registry (built lazily, validated against the data-class registry). */
export function sources(): Record<SourceName, SourceDef> {
  registry ??= buildRegistry();
  return registry;
}

export function getSource(name: string): SourceDef | undefined {
  return (sources() as Record<string, SourceDef | undefined>)[name];
}

export function isNumericType(t: ColumnType): boolean {
  return t === 'int' || t === 'float' || t === 'bool';
}

export function isTemporalType(t: ColumnType): boolean {
  return t === 'date' || t === 'datetime';
}
