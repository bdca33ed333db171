-- Tag snapshots become wide: one row per customer and snapshot date, one typed column per tag version (named
-- t_<id>_v<version>; the tag factory adds the columns of new tag versions before it writes). The long layout wrote
-- about 155 rows per customer, sorted by tag, and that write dominated the refresh (ADR 0005).
-- Existing long snapshots are not converted: the next refresh writes the new layout.
CREATE TABLE IF NOT EXISTS tag_snapshot (
  as_of             Date,
  customer_id       UInt32
) ENGINE = MergeTree
PARTITION BY as_of
ORDER BY customer_id;

-- Which column and value type each snapshot used for each tag (old snapshots stay readable after a tag changes).
CREATE TABLE IF NOT EXISTS tag_snapshot_columns (
  as_of             Date,
  tag_id            LowCardinality(String),
  version           UInt32,
  column_name       String,
  value_type        LowCardinality(String),
  run_id            String
) ENGINE = MergeTree
PARTITION BY toYYYYMM(as_of)
ORDER BY (as_of, tag_id);

DROP TABLE IF EXISTS tag_values;
