-- P10: an approved export approval is good for one export. The use is written in the same transaction as the
-- export's audit entry, before any member leaves the server; the primary key makes a second use, or two racing
-- requests, fail. Approvals themselves stay immutable once decided (M7), so the use lives in its own table.
CREATE TABLE approval_uses (
  approval_id        bigint PRIMARY KEY REFERENCES approvals(id),
  used_by            text NOT NULL,
  used_at            timestamptz NOT NULL DEFAULT now(),
  target_type        text NOT NULL,
  target_id          text NOT NULL
);
