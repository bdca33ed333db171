-- Security: staff sessions, password changes and the append-only, hash-chained audit trail.
-- Note: statements are split on a semicolon at the end of a line, so PL/pgSQL bodies are written on one line.

ALTER TABLE users ADD COLUMN password_changed_at timestamptz;

-- One row per signed-in browser. Only SHA-256 digests of the session id and of its CSRF token are stored, so a copy
-- of this table cannot be replayed. ip_hash is a keyed HMAC of the client address (for investigations, not display).
CREATE TABLE sessions (
  id_hash          text PRIMARY KEY,
  user_id          text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token_hash  text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  expires_at       timestamptz NOT NULL,                -- absolute expiry
  last_seen_at     timestamptz NOT NULL DEFAULT now(),  -- idle expiry is measured from here
  ip_hash          text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- The audit trail. Each entry's hash is SHA-256 over the canonical JSON of
-- {seq, at, actor, action, target, reason, details, prev_hash}; prev_hash is the previous entry's hash (64 zeros for
-- seq 1). Appends are serialised by locking the single audit_head row, which also records the last seq and hash so
-- that deleting entries at the tail is detected too.
CREATE TABLE audit_log (
  seq          bigint PRIMARY KEY,
  at           timestamptz NOT NULL,
  actor_id     text,
  actor_role   text,
  action       text NOT NULL,
  target_type  text,
  target_id    text,
  reason       text,
  details      jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash    text NOT NULL,
  hash         text NOT NULL UNIQUE
);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, seq);
CREATE INDEX audit_log_action_idx ON audit_log (action, seq);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id, seq);
CREATE INDEX audit_log_at_idx ON audit_log (at);

CREATE TABLE audit_head (
  id    smallint PRIMARY KEY CHECK (id = 1),
  seq   bigint NOT NULL,
  hash  text NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Append-only at the database level: UPDATE, DELETE and TRUNCATE raise. A superuser (or the table owner) can still
-- `ALTER TABLE audit_log DISABLE TRIGGER ...` and rewrite rows — which is why every entry is hash-chained and
-- `lingxi audit verify` recomputes the chain: tampering stays detectable even when this guard is bypassed.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
