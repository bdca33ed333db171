-- Compliance: versioned rule parameters and settings, maker–checker approvals, risk assessments, one-time H5 links,
-- customer tag opt-outs (P4) and erasure markers (P5).

-- Every change of a rule's parameters is a new row (never updated); the newest row per rule is in force.
CREATE TABLE rule_param_versions (
  id          bigserial PRIMARY KEY,
  rule_id     text NOT NULL,
  version     integer NOT NULL,
  params      jsonb NOT NULL,                         -- the rule's full override object, e.g. {"maxContacts": 3}
  reason      text NOT NULL,
  changed_by  text NOT NULL,
  changed_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (rule_id, version)
);

CREATE TABLE setting_versions (
  id          bigserial PRIMARY KEY,
  key         text NOT NULL,
  version     integer NOT NULL,
  value       jsonb NOT NULL,
  reason      text NOT NULL,
  changed_by  text NOT NULL,
  changed_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (key, version)
);

-- Maker–checker (M7). The payload of a submission never changes; once decided, nothing of the row changes.
CREATE TABLE approvals (
  id            bigserial PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('content', 'campaign', 'export')),
  title         text NOT NULL,
  payload       jsonb NOT NULL,
  findings      jsonb NOT NULL DEFAULT '[]'::jsonb,     -- copy-checker findings at submission
  rule_ids      text[] NOT NULL DEFAULT '{}',
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
  submitted_by  text NOT NULL,
  submitted_at  timestamptz NOT NULL DEFAULT now(),
  decided_by    text,
  decided_at    timestamptz,
  comment       text,
  CHECK (decided_by IS NULL OR decided_by <> submitted_by)
);
CREATE INDEX approvals_status_idx ON approvals (status, submitted_at);

CREATE FUNCTION approvals_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'approval % cannot be deleted', OLD.id;
  END IF;
  IF OLD.status <> 'pending' THEN
    RAISE EXCEPTION 'approval % is % and immutable', OLD.id, OLD.status;
  END IF;
  IF NEW.payload IS DISTINCT FROM OLD.payload OR NEW.kind IS DISTINCT FROM OLD.kind
     OR NEW.title IS DISTINCT FROM OLD.title OR NEW.submitted_by IS DISTINCT FROM OLD.submitted_by THEN
    RAISE EXCEPTION 'approval % content cannot change after submission', OLD.id;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER approvals_immutable BEFORE UPDATE OR DELETE ON approvals
  FOR EACH ROW EXECUTE FUNCTION approvals_guard();

-- Risk assessments (S4–S6): every attempt, completed or refused by the retake limit.
CREATE TABLE risk_assessments (
  id                     bigserial PRIMARY KEY,
  customer_id            bigint NOT NULL REFERENCES customers(id),
  questionnaire_version  text NOT NULL,
  answers                jsonb NOT NULL,
  score                  integer,
  level                  text CHECK (level IN ('C1', 'C2', 'C3', 'C4', 'C5')),
  outcome                text NOT NULL CHECK (outcome IN ('completed', 'refused')),
  rule_ids               text[] NOT NULL DEFAULT '{}',
  channel                text NOT NULL,
  attempted_at           timestamptz NOT NULL DEFAULT now(),
  valid_until            timestamptz
);
CREATE INDEX risk_assessments_customer_idx ON risk_assessments (customer_id, attempted_at);

-- One-time signed links for the customer H5 pages: only the SHA-256 of the token is stored.
CREATE TABLE h5_links (
  token_hash   text PRIMARY KEY,
  customer_id  bigint NOT NULL REFERENCES customers(id),
  kind         text NOT NULL CHECK (kind IN ('assessment', 'preferences')),
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  spent_at     timestamptz
);

-- Interest tags a customer deleted in the preference centre (P4): never shown or used for them again.
CREATE TABLE tag_optouts (
  customer_id  bigint NOT NULL REFERENCES customers(id),
  tag_id       text NOT NULL,
  at           timestamptz NOT NULL DEFAULT now(),
  source       text NOT NULL,
  PRIMARY KEY (customer_id, tag_id)
);

-- P5 erasure: when and why a customer was pseudonymised.
ALTER TABLE customers ADD COLUMN erased_at timestamptz;
