import type { OperationalQueryable, SqlParam } from '../../db/operational.ts';

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role_id: string;
  branch_id: string | null;
  disabled: boolean;
  failed_logins: number;
  locked_until: Date | null;
  created_at: Date;
  password_set: boolean;
  password_changed_at: Date | null;
}

const userColumns = `id, username, display_name, role_id, branch_id, disabled, failed_logins, locked_until, created_at,
  (password_hash IS NOT NULL) AS password_set, password_changed_at`;

/** Users, optionally limited to a set of branches (a branch-scoped administrator sees only those). */
export async function listUsers(
  db: OperationalQueryable,
  f: { branchIds?: readonly string[] | undefined; role?: string | undefined },
): Promise<UserRow[]> {
  const where: string[] = [];
  const params: SqlParam[] = [];
  if (f.branchIds) {
    params.push([...f.branchIds]);
    where.push(`branch_id = ANY($${params.length}::text[])`);
  }
  if (f.role) {
    params.push(f.role);
    where.push(`role_id = $${params.length}`);
  }
  const { rows } = await db.query<UserRow>(
    `SELECT ${userColumns} FROM users ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY username LIMIT 5000`,
    params,
  );
  return rows;
}

export async function userById(db: OperationalQueryable, id: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${userColumns} FROM users WHERE id = $1`, [id]);
  return rows[0];
}

export async function usernameTaken(db: OperationalQueryable, username: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM users WHERE lower(username) = lower($1)', [username]);
  return rows.length > 0;
}

export async function insertUser(
  db: OperationalQueryable,
  u: { id: string; username: string; displayName: string; role: string; branchId: string | null; passwordHash: string },
): Promise<void> {
  await db.query(
    `INSERT INTO users (id, username, display_name, role_id, branch_id, password_hash, password_changed_at)
     VALUES ($1, $2, $3, $4, $5, $6, now())`,
    [u.id, u.username, u.displayName, u.role, u.branchId, u.passwordHash],
  );
}

export async function updateUser(
  db: OperationalQueryable,
  id: string,
  p: { role?: string; branchId?: string | null; disabled?: boolean; unlock?: boolean },
): Promise<void> {
  await db.query(
    `UPDATE users SET
        role_id = COALESCE($2, role_id),
        branch_id = CASE WHEN $3::boolean THEN $4 ELSE branch_id END,
        disabled = COALESCE($5, disabled),
        failed_logins = CASE WHEN $6::boolean THEN 0 ELSE failed_logins END,
        locked_until = CASE WHEN $6::boolean THEN NULL ELSE locked_until END
      WHERE id = $1`,
    [id, p.role ?? null, p.branchId !== undefined, p.branchId ?? null, p.disabled ?? null, p.unlock === true],
  );
}

/** The first `limit` RM users by id (the synthetic bank assigns customers to these). */
export async function rmUsers(
  db: OperationalQueryable,
  limit: number,
): Promise<{ id: string; username: string; password_set: boolean }[]> {
  const { rows } = await db.query<{ id: string; username: string; password_set: boolean }>(
    `SELECT id, username, (password_hash IS NOT NULL) AS password_set FROM users WHERE role_id = 'rm' ORDER BY id LIMIT $1`,
    [limit],
  );
  return rows;
}

export interface BranchRow {
  id: string;
  name_zh: string;
  name_en: string;
  province: string;
  city: string;
  parent_id: string | null;
  created_at: Date;
}

export async function listBranches(db: OperationalQueryable): Promise<BranchRow[]> {
  const { rows } = await db.query<BranchRow>(
    'SELECT id, name_zh, name_en, province, city, parent_id, created_at FROM branches ORDER BY id',
  );
  return rows;
}

export async function branchExists(db: OperationalQueryable, id: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM branches WHERE id = $1', [id]);
  return rows.length > 0;
}

export async function insertBranch(
  db: OperationalQueryable,
  b: { id: string; nameZh: string; nameEn: string; province: string; city: string; parentId: string | null },
): Promise<void> {
  await db.query(
    'INSERT INTO branches (id, name_zh, name_en, province, city, parent_id) VALUES ($1, $2, $3, $4, $5, $6)',
    [b.id, b.nameZh, b.nameEn, b.province, b.city, b.parentId],
  );
}
