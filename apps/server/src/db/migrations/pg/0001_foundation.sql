-- Operational store, first version. PostgreSQL dialect (runs on PGlite and PostgreSQL >= 15).
-- Data classes of every column are declared in packages/core/src/schema/data-classes.ts.

CREATE TABLE branches (
  id            text PRIMARY KEY,
  name_zh       text NOT NULL,
  name_en       text NOT NULL,
  province      text NOT NULL,
  city          text NOT NULL,
  parent_id     text REFERENCES branches(id),
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE roles (
  id            text PRIMARY KEY,
  name_zh       text NOT NULL,
  name_en       text NOT NULL
);

INSERT INTO roles (id, name_zh, name_en) VALUES
  ('admin', '系统管理员', 'Administrator'),
  ('marketer', '营销运营', 'Marketing operator'),
  ('rm', '理财经理', 'Relationship manager'),
  ('compliance', '合规', 'Compliance officer'),
  ('analyst', '数据分析师', 'Data analyst'),
  ('executive', '管理层', 'Executive');

CREATE TABLE users (
  id              text PRIMARY KEY,
  username        text NOT NULL UNIQUE,
  display_name    text NOT NULL,
  role_id         text NOT NULL REFERENCES roles(id),
  branch_id       text REFERENCES branches(id),
  password_hash   text,
  failed_logins   integer NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  disabled        boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- Golden record. C2 identity fields are AES-256-GCM ciphertext (*_enc), with a keyed hash (*_hash, HMAC-SHA-256)
-- for exact lookup and a masked form for display/search.
CREATE TABLE customers (
  id                    bigint PRIMARY KEY,            -- dense customer number (tag bitmaps index it)
  cif                   text NOT NULL UNIQUE,          -- core-banking customer number
  name_enc              bytea NOT NULL,
  name_hash             text NOT NULL,
  name_masked           text NOT NULL,
  gender                char(1) NOT NULL CHECK (gender IN ('M', 'F')),
  birth_date            date NOT NULL,
  id_number_enc         bytea,
  id_number_hash        text,
  mobile_enc            bytea,
  mobile_hash           text,
  mobile_masked         text,
  province              text NOT NULL,
  city                  text NOT NULL,
  city_tier             smallint NOT NULL CHECK (city_tier BETWEEN 1 AND 4),
  county_level          boolean NOT NULL DEFAULT false,
  occupation            text NOT NULL,
  industry              text,
  employer_type         text,
  education             text,
  marital_status        text,
  children_count        smallint NOT NULL DEFAULT 0,
  housing               text,                          -- own | rent | family | other
  city_since            date,                          -- moved to current city
  monthly_income_fen    bigint,
  onboarded_at          date,                          -- null for potential (app-only) customers
  home_branch_id        text REFERENCES branches(id),
  rm_user_id            text REFERENCES users(id),
  risk_level            text CHECK (risk_level IN ('C1', 'C2', 'C3', 'C4', 'C5')),
  risk_assessed_at      timestamptz,
  investment_experience boolean NOT NULL DEFAULT false,
  investor_class        text NOT NULL DEFAULT 'ordinary' CHECK (investor_class IN ('ordinary', 'professional')),
  flags                 text[] NOT NULL DEFAULT '{}',  -- fraud_restricted, deceased, closed, employee, ...
  personalised_marketing boolean NOT NULL DEFAULT true,
  status                text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed', 'erased')),
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customers_rm_idx ON customers (rm_user_id);
CREATE INDEX customers_branch_idx ON customers (home_branch_id);
CREATE INDEX customers_name_hash_idx ON customers (name_hash);
CREATE INDEX customers_mobile_hash_idx ON customers (mobile_hash);
CREATE INDEX customers_id_number_hash_idx ON customers (id_number_hash);
CREATE INDEX customers_mobile_masked_idx ON customers (mobile_masked);

-- One row per record of a person in a source system. PII attributes travel encrypted (attrs_enc: JSON).
CREATE TABLE source_records (
  id                 bigserial PRIMARY KEY,
  source_system      text NOT NULL,                   -- core_banking | cards | wealth | app | crm
  source_key         text NOT NULL,
  customer_id        bigint REFERENCES customers(id),
  attrs_enc          bytea NOT NULL,
  id_number_hash     text,
  mobile_hash        text,
  birth_date         date,
  synthetic_truth_id bigint,                          -- synthetic bank only: the true customer, for evaluation
  received_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source_system, source_key)
);
CREATE INDEX source_records_customer_idx ON source_records (customer_id);

CREATE TABLE products (
  id                 text PRIMARY KEY,
  name_zh            text NOT NULL,
  name_en            text NOT NULL,
  family             text NOT NULL CHECK (family IN ('deposit', 'wealth', 'fund', 'insurance', 'consumer_loan',
                       'mortgage', 'car_loan', 'business_loan', 'agri_loan', 'credit_card')),
  risk_level         smallint NOT NULL CHECK (risk_level BETWEEN 1 AND 5),
  risk_rated_at      date NOT NULL,
  benchmark_yield_bp integer,                         -- 业绩比较基准 in basis points; loans: annual rate
  min_amount_fen     bigint NOT NULL DEFAULT 0,
  is_private         boolean NOT NULL DEFAULT false,
  term_days          integer,
  issuer             text NOT NULL,
  status             text NOT NULL DEFAULT 'on_sale' CHECK (status IN ('on_sale', 'closed')),
  launched_at        date NOT NULL
);

CREATE TABLE accounts (
  id                 bigint PRIMARY KEY,
  customer_id        bigint NOT NULL REFERENCES customers(id),
  account_no_hash    text NOT NULL,
  account_no_masked  text NOT NULL,
  kind               text NOT NULL CHECK (kind IN ('current', 'savings', 'business', 'payroll')),
  branch_id          text REFERENCES branches(id),
  opened_at          date NOT NULL,
  closed_at          date,
  balance_fen        bigint NOT NULL DEFAULT 0,
  status             text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dormant', 'closed'))
);
CREATE INDEX accounts_customer_idx ON accounts (customer_id);

CREATE TABLE holdings (
  id                 bigint PRIMARY KEY,
  customer_id        bigint NOT NULL REFERENCES customers(id),
  product_id         text NOT NULL REFERENCES products(id),
  account_id         bigint REFERENCES accounts(id),
  amount_fen         bigint NOT NULL,
  signed_at          timestamptz NOT NULL,
  maturity_date      date,
  closed_at          date,
  status             text NOT NULL CHECK (status IN ('active', 'redeemed', 'matured'))
);
CREATE INDEX holdings_customer_idx ON holdings (customer_id);

CREATE TABLE credit_cards (
  id                 bigint PRIMARY KEY,
  customer_id        bigint NOT NULL REFERENCES customers(id),
  product_id         text NOT NULL REFERENCES products(id),
  card_no_hash       text NOT NULL,
  card_no_masked     text NOT NULL,
  issued_at          date NOT NULL,
  activated_at       date,
  limit_fen          bigint NOT NULL,
  bound_to_wallet    boolean NOT NULL DEFAULT false,
  status             text NOT NULL CHECK (status IN ('issued', 'active', 'closed'))
);
CREATE INDEX credit_cards_customer_idx ON credit_cards (customer_id);

CREATE TABLE loans (
  id                 bigint PRIMARY KEY,
  customer_id        bigint NOT NULL REFERENCES customers(id),
  product_id         text NOT NULL REFERENCES products(id),
  principal_fen      bigint NOT NULL,
  outstanding_fen    bigint NOT NULL,
  disbursed_at       date NOT NULL,
  maturity_date      date NOT NULL,
  overdue_days       integer NOT NULL DEFAULT 0,
  status             text NOT NULL CHECK (status IN ('active', 'repaid', 'written_off'))
);
CREATE INDEX loans_customer_idx ON loans (customer_id);

-- Consent events (full history; the current state of a customer x purpose x channel is its latest event).
CREATE TABLE consents (
  id                 bigserial PRIMARY KEY,
  customer_id        bigint NOT NULL REFERENCES customers(id),
  purpose            text NOT NULL,
  channel            text NOT NULL,                   -- sms | push | wechat | email | call | app | any
  status             text NOT NULL CHECK (status IN ('granted', 'withdrawn', 'refused')),
  notice_version     text NOT NULL,
  source             text NOT NULL,
  evidence           text,
  recorded_at        timestamptz NOT NULL DEFAULT now(),
  recorded_by        text
);
CREATE INDEX consents_customer_idx ON consents (customer_id, purpose, channel, recorded_at);

CREATE TABLE import_runs (
  id                 text PRIMARY KEY,
  source             text NOT NULL,
  schema_version     integer NOT NULL,
  file_name          text NOT NULL,
  file_sha256        text NOT NULL,
  format             text NOT NULL,
  mapping            jsonb,
  status             text NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'refused', 'skipped')),
  rows_total         integer NOT NULL DEFAULT 0,
  rows_loaded        integer NOT NULL DEFAULT 0,
  rows_duplicate     integer NOT NULL DEFAULT 0,
  rows_quarantined   integer NOT NULL DEFAULT 0,
  error              text,
  started_at         timestamptz NOT NULL DEFAULT now(),
  finished_at        timestamptz
);
CREATE INDEX import_runs_hash_idx ON import_runs (source, file_sha256, status);

CREATE TABLE import_quarantine (
  id                 bigserial PRIMARY KEY,
  run_id             text NOT NULL REFERENCES import_runs(id),
  file_name          text NOT NULL,
  line               integer NOT NULL,
  field              text,
  reason             text NOT NULL,
  raw_enc            bytea,                           -- the offending row, encrypted (it may hold PII)
  created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX import_quarantine_run_idx ON import_quarantine (run_id);

CREATE TABLE settings (
  key                text PRIMARY KEY,
  value              jsonb NOT NULL,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  updated_by         text
);
