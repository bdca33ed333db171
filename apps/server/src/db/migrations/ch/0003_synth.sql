-- Ground truth of the synthetic bank (demo and evaluation only): what the generator intended for each customer, so
-- tag distributions, the churn model and identity resolution can be checked against it. Empty for a real bank.
CREATE TABLE IF NOT EXISTS synth_truth (
  customer_id       UInt32,
  lifecycle         LowCardinality(String),
  personas          Array(LowCardinality(String)),
  churn_date        Nullable(Date)
) ENGINE = ReplacingMergeTree
ORDER BY customer_id;
