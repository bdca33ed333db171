-- One row per tag refresh (scheduled, console/API, CLI, system): when, for which date, who started it and how it
-- ended, so a failed nightly refresh is visible in the console and not only in the server log. A run left `running` by
-- a process that ended is marked failed by the next refresh.
CREATE TABLE tag_refresh_runs (
  run_id             text PRIMARY KEY,
  as_of              date NOT NULL,
  trigger            text NOT NULL CHECK (trigger IN ('schedule', 'api', 'cli', 'system')),
  actor              text,
  started_at         timestamptz NOT NULL DEFAULT now(),
  finished_at        timestamptz,
  status             text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
  error              text,
  tags               integer,
  customers          integer,
  new_versions       text[],
  duration_ms        integer
);
CREATE INDEX tag_refresh_runs_started_idx ON tag_refresh_runs (started_at DESC);
