-- Bank-specific tag definitions (ids under "bank."), added by analysts (permission tags.write) to the standard
-- catalogue. A retired definition leaves the catalogue but stays here for the record; its snapshots stay readable.
CREATE TABLE custom_tag_definitions (
  id                 text PRIMARY KEY CHECK (id LIKE 'bank.%'),
  definition         jsonb NOT NULL,
  created_by         text NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_by         text NOT NULL,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  retired_by         text,
  retired_at         timestamptz
);
