-- Bank models (churn, propensity per product family, LTV): the registry of trained versions, per-run monitoring,
-- feature drift and the latest per-customer reasons in words. Scores themselves go to the analytics store
-- (model_scores), where the model tags read them.

-- One row per trained version. id = '<key>@v<version>' (key: churn | propensity.<family> | ltv).
CREATE TABLE models (
  id                text PRIMARY KEY,
  model_key         text NOT NULL,
  kind              text NOT NULL CHECK (kind IN ('churn', 'propensity', 'ltv')),
  family            text,
  version           integer NOT NULL CHECK (version >= 1),
  status            text NOT NULL CHECK (status IN ('candidate', 'active', 'retired')),
  params            jsonb NOT NULL,
  metrics           jsonb NOT NULL,
  curves            jsonb NOT NULL,
  importance        jsonb NOT NULL,
  -- frozen feature layout (columns, levels) and the tags the leakage policy excluded
  features          jsonb NOT NULL,
  -- training distribution of every feature and of the score (PSI references)
  reference         jsonb NOT NULL,
  trained_at        timestamptz NOT NULL DEFAULT now(),
  trained_on_as_of  date NOT NULL,
  model_json        jsonb NOT NULL,
  promoted_at       timestamptz,
  UNIQUE (model_key, version)
);
-- At most one active version per model key.
CREATE UNIQUE INDEX models_one_active_idx ON models (model_key) WHERE status = 'active';

-- One row per scoring run of a model version.
CREATE TABLE model_runs (
  model_id          text NOT NULL REFERENCES models(id),
  as_of             date NOT NULL,
  scored            integer NOT NULL,
  bands             jsonb NOT NULL,
  histogram         jsonb NOT NULL,
  score_psi         double precision,
  max_feature_psi   double precision,
  drift_warning     boolean NOT NULL DEFAULT false,
  evaluation        jsonb,
  scored_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (model_id, as_of)
);

-- PSI of every input feature (and of the score, feature = '__score__') against the training distribution.
CREATE TABLE model_drift (
  model_id          text NOT NULL REFERENCES models(id),
  as_of             date NOT NULL,
  feature           text NOT NULL,
  psi               double precision NOT NULL,
  PRIMARY KEY (model_id, as_of, feature)
);

-- The latest score of each customer per model key with its reasons ({codes, zh, en, contributions}); the analytics
-- store keeps the score history (model_scores, reasons as codes for the tag factory).
CREATE TABLE model_reasons (
  model_key         text NOT NULL,
  customer_id       bigint NOT NULL,
  model_id          text NOT NULL,
  as_of             date NOT NULL,
  score             double precision NOT NULL,
  band              text NOT NULL,
  reasons           jsonb NOT NULL,
  PRIMARY KEY (model_key, customer_id)
);
