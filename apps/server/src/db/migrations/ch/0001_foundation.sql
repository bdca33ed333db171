-- Analytics store, first version. ClickHouse dialect (chDB and ClickHouse server).
-- Statements are separated by ';' at line end. The cluster variant (ON CLUSTER, Replicated*, Distributed) is generated
-- from this file by apps/server/src/db/ch-cluster.ts; do not write cluster DDL by hand.

CREATE TABLE IF NOT EXISTS transactions (
  txn_id            UInt64,
  customer_id       UInt32,
  account_id        UInt64,
  ts                DateTime64(3, 'UTC'),
  amount_fen        Int64,
  direction         LowCardinality(String),
  channel           LowCardinality(String),
  txn_type          LowCardinality(String),
  merchant_category LowCardinality(String),
  counterparty_type LowCardinality(String),
  cross_border      UInt8,
  import_run_id     String DEFAULT ''
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (customer_id, ts, txn_id);

CREATE TABLE IF NOT EXISTS app_events (
  event_id          UInt64,
  customer_id       UInt32,
  ts                DateTime64(3, 'UTC'),
  event_type        LowCardinality(String),
  page              LowCardinality(String),
  product_id        String,
  product_family    LowCardinality(String),
  session_id        String,
  duration_s        UInt32,
  device_id         String,
  ip                String,
  import_run_id     String DEFAULT ''
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (customer_id, ts, event_id);

CREATE TABLE IF NOT EXISTS holdings_daily (
  date              Date,
  customer_id       UInt32,
  product_id        String,
  product_family    LowCardinality(String),
  balance_fen       Int64
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(date)
ORDER BY (customer_id, date, product_id);

CREATE TABLE IF NOT EXISTS contacts (
  contact_id        UInt64,
  customer_id       UInt32,
  ts                DateTime64(3, 'UTC'),
  channel           LowCardinality(String),
  purpose           LowCardinality(String),
  campaign_id       String,
  action_id         String,
  template_version  String,
  outcome           LowCardinality(String),
  response_ts       Nullable(DateTime64(3, 'UTC')),
  nps               Nullable(Int8),
  rule_ids          Array(String)
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (customer_id, ts, contact_id);

-- Dimension copies of operational facts that tags need, without direct identifiers (no names, ID numbers, phones).
CREATE TABLE IF NOT EXISTS dim_customers (
  customer_id           UInt32,
  gender                LowCardinality(String),
  birth_date            Date,
  province              LowCardinality(String),
  city                  LowCardinality(String),
  city_tier             UInt8,
  county_level          UInt8,
  occupation            LowCardinality(String),
  industry              LowCardinality(String),
  employer_type         LowCardinality(String),
  education             LowCardinality(String),
  marital_status        LowCardinality(String),
  children_count        UInt8,
  housing               LowCardinality(String),
  city_since            Nullable(Date),
  monthly_income_fen    Int64,
  onboarded_at          Nullable(Date),
  home_branch_id        LowCardinality(String),
  rm_user_id            LowCardinality(String),
  risk_level            LowCardinality(String),
  risk_assessed_at      Nullable(DateTime64(3, 'UTC')),
  investment_experience UInt8,
  flags                 Array(LowCardinality(String)),
  personalised_marketing UInt8,
  status                LowCardinality(String),
  version               UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY customer_id;

CREATE TABLE IF NOT EXISTS dim_products (
  product_id         String,
  family             LowCardinality(String),
  risk_level         UInt8,
  is_private         UInt8,
  term_days          Nullable(UInt32),
  version            UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY product_id;

CREATE TABLE IF NOT EXISTS dim_accounts (
  account_id         UInt64,
  customer_id        UInt32,
  kind               LowCardinality(String),
  opened_at          Date,
  closed_at          Nullable(Date),
  balance_fen        Int64,
  status             LowCardinality(String),
  version            UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (customer_id, account_id);

CREATE TABLE IF NOT EXISTS dim_holdings (
  holding_id         UInt64,
  customer_id        UInt32,
  product_id         String,
  family             LowCardinality(String),
  amount_fen         Int64,
  signed_at          DateTime64(3, 'UTC'),
  maturity_date      Nullable(Date),
  closed_at          Nullable(Date),
  status             LowCardinality(String),
  version            UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (customer_id, holding_id);

CREATE TABLE IF NOT EXISTS dim_cards (
  card_id            UInt64,
  customer_id        UInt32,
  product_id         String,
  issued_at          Date,
  activated_at       Nullable(Date),
  limit_fen          Int64,
  bound_to_wallet    UInt8,
  status             LowCardinality(String),
  version            UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (customer_id, card_id);

CREATE TABLE IF NOT EXISTS dim_loans (
  loan_id            UInt64,
  customer_id        UInt32,
  product_id         String,
  family             LowCardinality(String),
  principal_fen      Int64,
  outstanding_fen    Int64,
  disbursed_at       Date,
  maturity_date      Date,
  overdue_days       UInt32,
  status             LowCardinality(String),
  version            UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (customer_id, loan_id);
