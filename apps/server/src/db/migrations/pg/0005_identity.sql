-- Identity resolution: golden-record lineage, merge/unmerge history and the review queue of uncertain matches.

ALTER TABLE customers ADD COLUMN merged_into bigint REFERENCES customers(id);
ALTER TABLE customers DROP CONSTRAINT customers_status_check;
ALTER TABLE customers ADD CONSTRAINT customers_status_check CHECK (status IN ('active', 'closed', 'erased', 'merged'));

-- Where each golden value came from (one row per customer x field; replaced when survivorship is recomputed).
CREATE TABLE golden_lineage (
  customer_id       bigint NOT NULL REFERENCES customers(id),
  field             text NOT NULL,
  source_record_id  bigint NOT NULL REFERENCES source_records(id),
  source_system     text NOT NULL,
  rule              text NOT NULL,
  candidates        integer NOT NULL,
  decided_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (customer_id, field)
);

-- Every merge and unmerge, with what moved, so an unmerge restores exactly what a merge changed.
CREATE TABLE identity_merges (
  id                bigserial PRIMARY KEY,
  kind              text NOT NULL CHECK (kind IN ('merge', 'unmerge')),
  survivor_id       bigint NOT NULL REFERENCES customers(id),
  merged_id         bigint NOT NULL REFERENCES customers(id),
  moved             jsonb NOT NULL,
  actor             text NOT NULL,
  reason            text NOT NULL,
  undoes            bigint REFERENCES identity_merges(id),
  undone_by         bigint REFERENCES identity_merges(id),
  at                timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX identity_merges_survivor_idx ON identity_merges (survivor_id);

-- Pairs in the "needs review" band of the probabilistic matcher.
CREATE TABLE identity_review (
  id                bigserial PRIMARY KEY,
  record_a          bigint NOT NULL REFERENCES source_records(id),
  record_b          bigint NOT NULL REFERENCES source_records(id),
  match_probability double precision NOT NULL,
  match_weight      double precision NOT NULL,
  evidence          jsonb NOT NULL,
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
  decided_by        text,
  decided_at        timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (record_a, record_b)
);
CREATE INDEX identity_review_status_idx ON identity_review (status, match_probability DESC);
