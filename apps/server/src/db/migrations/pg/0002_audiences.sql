-- Tag definitions (versioned by content hash) and audiences with frozen snapshots.

CREATE TABLE tag_definitions (
  id                 text NOT NULL,
  version            integer NOT NULL CHECK (version >= 1),
  hash               text NOT NULL,                   -- sha256 of the canonical definition (without version)
  definition         jsonb NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, version)
);
CREATE INDEX tag_definitions_hash_idx ON tag_definitions (id, hash);

CREATE TABLE audiences (
  id                 text PRIMARY KEY,
  name               text NOT NULL,
  expression         jsonb NOT NULL,
  purpose            text NOT NULL CHECK (purpose IN ('marketing', 'service', 'regulatory')),
  created_by         text NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

-- A frozen audience: the portable roaring bitmap of customer ids, the snapshot date and the tag versions used.
CREATE TABLE audience_snapshots (
  id                 bigserial PRIMARY KEY,
  audience_id        text NOT NULL REFERENCES audiences(id) ON DELETE CASCADE,
  as_of              date NOT NULL,
  tag_versions       jsonb NOT NULL,
  expression         jsonb NOT NULL,
  customer_count     integer NOT NULL,
  excluded_p4        integer NOT NULL DEFAULT 0,
  bitmap             bytea NOT NULL,
  created_by         text NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audience_snapshots_audience_idx ON audience_snapshots (audience_id, created_at);
