-- Tag factory: daily tag snapshots (long layout), refresh statistics, model scores.
-- Data classes: tag values carry the class of their definition (C2 for most; see packages/core/src/tags/catalogue).

-- One row per customer x tag x snapshot; null values are not stored. Partitioned by snapshot date so retention
-- drops whole days; ordered by tag so a tag (or a tag value) is a contiguous range for bitmaps and statistics.
CREATE TABLE IF NOT EXISTS tag_values (
  as_of             Date,
  customer_id       UInt32,
  tag_id            LowCardinality(String),
  version           UInt32,
  value_str         String,
  value_num         Nullable(Float64)
) ENGINE = MergeTree
PARTITION BY as_of
ORDER BY (tag_id, value_str, customer_id);

-- Per refresh and tag: coverage (non-null share), distribution (JSON) and the duration of the query that computed it.
CREATE TABLE IF NOT EXISTS tag_refresh_stats (
  as_of             Date,
  tag_id            LowCardinality(String),
  version           UInt32,
  run_id            String,
  refreshed_at      DateTime64(3, 'UTC'),
  total             UInt32,
  non_null          UInt32,
  coverage          Float64,
  distribution      String,
  duration_ms       UInt32
) ENGINE = ReplacingMergeTree(refreshed_at)
PARTITION BY toYYYYMM(as_of)
ORDER BY (as_of, tag_id);

-- Written by the models module; model tags look up the latest score per model as of the refresh date.
-- reasons: JSON array of factor codes (top factors first).
CREATE TABLE IF NOT EXISTS model_scores (
  as_of             Date,
  customer_id       UInt32,
  model_id          LowCardinality(String),
  score             Float64,
  band              LowCardinality(String),
  reasons           String,
  version           UInt32
) ENGINE = MergeTree
PARTITION BY toYYYYMM(as_of)
ORDER BY (model_id, customer_id, as_of);

-- Birth dates before 1970 do not fit ClickHouse's Date (they were clamped to 1970-01-01), which broke ages, the
-- silver persona and generations; Date32 covers 1900–2299 and accepts the same input.
ALTER TABLE dim_customers MODIFY COLUMN birth_date Date32;

ALTER TABLE dim_customers MODIFY COLUMN city_since Nullable(Date32)
