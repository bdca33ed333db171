import type { OperationalQueryable } from '../../db/operational.ts';

export interface LoginUserRow {
  id: string;
  username: string;
  display_name: string;
  role_id: string;
  branch_id: string | null;
  password_hash: string | null;
  failed_logins: number;
  locked_until: Date | null;
  disabled: boolean;
}

/** Usernames are matched case-insensitively. */
export async function userForLogin(db: OperationalQueryable, username: string): Promise<LoginUserRow | undefined> {
  const { rows } = await db.query<LoginUserRow>(
    `SELECT id, username, display_name, role_id, branch_id, password_hash, failed_logins, locked_until, disabled
       FROM users WHERE lower(username) = lower($1) ORDER BY id LIMIT 1`,
    [username],
  );
  return rows[0];
}

export async function userById(db: OperationalQueryable, id: string): Promise<LoginUserRow | undefined> {
  const { rows } = await db.query<LoginUserRow>(
    `SELECT id, username, display_name, role_id, branch_id, password_hash, failed_logins, locked_until, disabled
       FROM users WHERE id = $1`,
    [id],
  );
  return rows[0];
}

/**
 * Counts a failed login; at `maxFailures` the account locks for `lockSeconds` (and the counter restarts). Returns the
 * lock expiry when this failure locked the account. Atomic: one UPDATE.
 */
export async function recordFailure(
  db: OperationalQueryable,
  userId: string,
  maxFailures: number,
  lockSeconds: number,
): Promise<Date | null> {
  const { rows } = await db.query<{ locked_until: Date | null; locked_now: boolean }>(
    `UPDATE users SET
        failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
        locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + ($3::int * interval '1 second') ELSE locked_until END
      WHERE id = $1
      RETURNING locked_until, (failed_logins = 0) AS locked_now`,
    [userId, maxFailures, lockSeconds],
  );
  const r = rows[0];
  return r?.locked_now && r.locked_until ? new Date(r.locked_until) : null;
}

export async function recordSuccess(db: OperationalQueryable, userId: string): Promise<void> {
  await db.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1', [userId]);
}

export async function setPassword(db: OperationalQueryable, userId: string, passwordHash: string): Promise<void> {
  await db.query(
    'UPDATE users SET password_hash = $2, password_changed_at = now(), failed_logins = 0, locked_until = NULL WHERE id = $1',
    [userId, passwordHash],
  );
}

export async function insertSession(
  db: OperationalQueryable,
  s: { idHash: string; userId: string; csrfTokenHash: string; expiresAt: Date; ipHash: string | null },
): Promise<void> {
  await db.query(
    `INSERT INTO sessions (id_hash, user_id, csrf_token_hash, expires_at, ip_hash) VALUES ($1, $2, $3, $4, $5)`,
    [s.idHash, s.userId, s.csrfTokenHash, s.expiresAt.toISOString(), s.ipHash],
  );
}

export interface SessionRow {
  id_hash: string;
  csrf_token_hash: string;
  expires_at: Date;
  last_seen_at: Date;
  user_id: string;
  username: string;
  display_name: string;
  role_id: string;
  branch_id: string | null;
}

/** A live session: not past its absolute expiry, seen within the idle timeout, user not disabled. */
export async function liveSession(
  db: OperationalQueryable,
  idHash: string,
  idleSeconds: number,
): Promise<SessionRow | undefined> {
  const { rows } = await db.query<SessionRow>(
    `SELECT s.id_hash, s.csrf_token_hash, s.expires_at, s.last_seen_at,
            u.id AS user_id, u.username, u.display_name, u.role_id, u.branch_id
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id_hash = $1 AND s.expires_at > now()
        AND s.last_seen_at > now() - ($2::int * interval '1 second')
        AND NOT u.disabled`,
    [idHash, idleSeconds],
  );
  return rows[0];
}

export async function touchSession(db: OperationalQueryable, idHash: string): Promise<void> {
  await db.query('UPDATE sessions SET last_seen_at = now() WHERE id_hash = $1', [idHash]);
}

export async function deleteSession(db: OperationalQueryable, idHash: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
}

/** Ends every session of a user (disable, password change), optionally keeping one. */
export async function deleteUserSessions(
  db: OperationalQueryable,
  userId: string,
  keepIdHash?: string,
): Promise<number> {
  const r = await db.query('DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2', [userId, keepIdHash ?? '']);
  return r.rowCount;
}

export async function purgeExpiredSessions(db: OperationalQueryable, idleSeconds: number): Promise<void> {
  await db.query(
    `DELETE FROM sessions WHERE expires_at <= now() OR last_seen_at <= now() - ($1::int * interval '1 second')`,
    [idleSeconds],
  );
}

/** The branch and all its descendants. */
export async function branchSubtree(db: OperationalQueryable, branchId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `WITH RECURSIVE sub(id) AS (
       SELECT id FROM branches WHERE id = $1
       UNION
       SELECT b.id FROM branches b JOIN sub ON b.parent_id = sub.id
     ) SELECT id FROM sub ORDER BY id`,
    [branchId],
  );
  return rows.map((r) => r.id);
}
