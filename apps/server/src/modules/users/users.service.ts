import { randomBytes } from 'node:crypto';
import { isRole, type Role, roles } from '@lingxi/core/auth/permissions';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { badRequest, HttpProblem, notFound } from '../../http/problem.ts';
import { appendAudit } from '../audit/audit.service.ts';
import * as authRepo from '../auth/auth.repo.ts';
import type { AuthUser } from '../auth/auth.service.ts';
import { generatePassword, hashPassword, passwordProblems } from '../auth/password.ts';
import * as repo from './users.repo.ts';

/**
 * Staff users and branches. Who acts: a signed-in administrator (scoped to their branch subtree when they have a
 * branch) or the CLI (bank-wide, audited as actor `cli`). Every change is audited; passwords never leave this module
 * except a generated one, returned once to the caller.
 */
export interface Actor {
  /** The signed-in user, or null for the CLI / system. */
  user: AuthUser | null;
  audit: { id: string | null; role: string | null };
}

export const cliActor: Actor = { user: null, audit: { id: 'cli', role: null } };
export const systemActor: Actor = { user: null, audit: { id: 'system', role: null } };

export function userActor(user: AuthUser): Actor {
  return { user, audit: { id: user.id, role: user.role } };
}

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,62}$/, '3–63 characters: lower-case letters, digits, dot, underscore, hyphen');

export const roleSchema = z.enum(roles);
export const branchIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ -');

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: string;
  branchId: string | null;
  disabled: boolean;
  lockedUntil: string | null;
  failedLogins: number;
  passwordSet: boolean;
  passwordChangedAt: string | null;
  createdAt: string;
}

export function toUserView(r: repo.UserRow): UserView {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role_id,
    branchId: r.branch_id,
    disabled: r.disabled,
    lockedUntil: r.locked_until && new Date(r.locked_until).getTime() > Date.now() ? iso(r.locked_until) : null,
    failedLogins: r.failed_logins,
    passwordSet: r.password_set,
    passwordChangedAt: iso(r.password_changed_at),
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** The branches an actor administers: null = the whole bank. */
function adminBranches(actor: Actor): readonly string[] | null {
  return actor.user?.branchId ? actor.user.branchSubtree : null;
}

function assertBranchAllowed(actor: Actor, branchId: string | null, field: string): void {
  const allowed = adminBranches(actor);
  if (allowed === null) return;
  if (branchId === null) throw badRequest(field, 'a branch-scoped administrator cannot create bank-wide users');
  if (!allowed.includes(branchId)) throw badRequest(field, `branch ${branchId} is outside your branch`);
}

function checkPassword(password: string, username: string): void {
  const problems = passwordProblems(password, username);
  if (problems.length) throw badRequest('password', problems.join('; '));
}

export interface CreateUserInput {
  username: string;
  displayName?: string | undefined;
  role: Role;
  branchId?: string | null | undefined;
  /** Omit to generate a strong password (returned once). */
  password?: string | undefined;
}

export async function createUser(
  ctx: AppContext,
  actor: Actor,
  input: CreateUserInput,
): Promise<{ user: UserView; generatedPassword?: string }> {
  const db = ctx.stores.op;
  const parsed = usernameSchema.safeParse(input.username);
  if (!parsed.success) throw badRequest('username', parsed.error.issues[0]?.message ?? 'invalid');
  const username = parsed.data;
  const branchId = input.branchId ?? null;
  assertBranchAllowed(actor, branchId, 'branchId');
  if (branchId !== null && !(await repo.branchExists(db, branchId))) throw badRequest('branchId', 'no such branch');
  if (input.password !== undefined) checkPassword(input.password, username);
  if (await repo.usernameTaken(db, username)) {
    throw new HttpProblem(409, 'Conflict', `username: ${username} is taken`, [{ field: 'username', reason: 'taken' }]);
  }
  const generated = input.password === undefined ? generatePassword() : undefined;
  const passwordHash = await hashPassword(input.password ?? (generated as string));
  const id = `u-${randomBytes(8).toString('hex')}`;
  await db.transaction(async (tx) => {
    await repo.insertUser(tx, {
      id,
      username,
      displayName: input.displayName?.trim() || username,
      role: input.role,
      branchId,
      passwordHash,
    });
    await appendAudit(tx, {
      actor: actor.audit,
      action: 'user.create',
      target: { type: 'user', id },
      details: { role: input.role, branch_id: branchId, password: generated ? 'generated' : 'set' },
    });
  });
  const row = await repo.userById(db, id);
  if (!row) throw new Error(`user ${id} vanished after insert`);
  return generated ? { user: toUserView(row), generatedPassword: generated } : { user: toUserView(row) };
}

export interface UpdateUserInput {
  role?: Role | undefined;
  branchId?: string | null | undefined;
  disabled?: boolean | undefined;
  /** Clears the lockout and the failure counter. */
  unlock?: boolean | undefined;
  /** Sets a new generated password (returned once) and ends the user's sessions. */
  resetPassword?: boolean | undefined;
}

export async function updateUser(
  ctx: AppContext,
  actor: Actor,
  id: string,
  patch: UpdateUserInput,
): Promise<{ user: UserView; generatedPassword?: string }> {
  const db = ctx.stores.op;
  const current = await repo.userById(db, id);
  const allowed = adminBranches(actor);
  // Users outside a branch administrator's subtree do not exist for them.
  if (!current || (allowed !== null && (current.branch_id === null || !allowed.includes(current.branch_id)))) {
    throw notFound(`user ${id}`);
  }
  if (actor.user?.id === id) {
    if (patch.role !== undefined && patch.role !== current.role_id)
      throw badRequest('role', 'you cannot change your own role');
    if (patch.disabled === true) throw badRequest('disabled', 'you cannot disable your own account');
  }
  if (patch.branchId !== undefined) {
    assertBranchAllowed(actor, patch.branchId, 'branchId');
    if (patch.branchId !== null && !(await repo.branchExists(db, patch.branchId))) {
      throw badRequest('branchId', 'no such branch');
    }
  }
  if (patch.role !== undefined && !isRole(patch.role)) throw badRequest('role', 'unknown role');
  const generated = patch.resetPassword ? generatePassword() : undefined;
  const passwordHash = generated ? await hashPassword(generated) : undefined;

  const changes: Record<string, unknown> = {};
  if (patch.role !== undefined && patch.role !== current.role_id)
    changes.role = { from: current.role_id, to: patch.role };
  if (patch.branchId !== undefined && patch.branchId !== current.branch_id) {
    changes.branch_id = { from: current.branch_id, to: patch.branchId };
  }
  if (patch.disabled !== undefined && patch.disabled !== current.disabled) changes.disabled = patch.disabled;
  if (patch.unlock) changes.unlocked = true;
  if (generated) changes.password = 'reset';

  await db.transaction(async (tx) => {
    await repo.updateUser(tx, id, {
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.branchId !== undefined ? { branchId: patch.branchId } : {}),
      ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
      ...(patch.unlock ? { unlock: true } : {}),
    });
    let endedSessions = 0;
    if (passwordHash) await authRepo.setPassword(tx, id, passwordHash);
    if (patch.disabled === true || passwordHash) endedSessions = await authRepo.deleteUserSessions(tx, id);
    if (Object.keys(changes).length > 0) {
      await appendAudit(tx, {
        actor: actor.audit,
        action: 'user.update',
        target: { type: 'user', id },
        details: { changes, ended_sessions: endedSessions },
      });
    }
  });
  const row = await repo.userById(db, id);
  if (!row) throw notFound(`user ${id}`);
  return generated ? { user: toUserView(row), generatedPassword: generated } : { user: toUserView(row) };
}

export async function listUsers(ctx: AppContext, actor: Actor, f: { role?: string | undefined }): Promise<UserView[]> {
  const branchIds = adminBranches(actor) ?? undefined;
  return (await repo.listUsers(ctx.stores.op, { branchIds, role: f.role })).map(toUserView);
}

export interface BranchView {
  id: string;
  nameZh: string;
  nameEn: string;
  province: string;
  city: string;
  parentId: string | null;
  createdAt: string;
}

export function toBranchView(b: repo.BranchRow): BranchView {
  return {
    id: b.id,
    nameZh: b.name_zh,
    nameEn: b.name_en,
    province: b.province,
    city: b.city,
    parentId: b.parent_id,
    createdAt: new Date(b.created_at).toISOString(),
  };
}

export async function createBranch(
  ctx: AppContext,
  actor: Actor,
  b: {
    id: string;
    nameZh: string;
    nameEn: string;
    province: string;
    city: string;
    parentId?: string | null | undefined;
  },
): Promise<BranchView> {
  const db = ctx.stores.op;
  const parentId = b.parentId ?? null;
  const allowed = adminBranches(actor);
  if (allowed !== null && (parentId === null || !allowed.includes(parentId))) {
    throw badRequest('parentId', 'a branch-scoped administrator can only add branches under their own branch');
  }
  if (parentId !== null && !(await repo.branchExists(db, parentId))) throw badRequest('parentId', 'no such branch');
  if (await repo.branchExists(db, b.id)) {
    throw new HttpProblem(409, 'Conflict', `id: branch ${b.id} exists`, [{ field: 'id', reason: 'exists' }]);
  }
  await db.transaction(async (tx) => {
    await repo.insertBranch(tx, { ...b, parentId });
    await appendAudit(tx, {
      actor: actor.audit,
      action: 'branch.create',
      target: { type: 'branch', id: b.id },
      details: { parent_id: parentId },
    });
  });
  const row = (await repo.listBranches(db)).find((r) => r.id === b.id);
  if (!row) throw new Error(`branch ${b.id} vanished after insert`);
  return toBranchView(row);
}

export interface DemoCredential {
  username: string;
  role: Role;
  password: string;
  userId: string;
}

const demoAccounts: { username: string; role: Exclude<Role, 'rm'>; displayName: string }[] = [
  { username: 'admin', role: 'admin', displayName: '演示·系统管理员' },
  { username: 'marketer', role: 'marketer', displayName: '演示·营销运营' },
  { username: 'compliance', role: 'compliance', displayName: '演示·合规' },
  { username: 'analyst', role: 'analyst', displayName: '演示·数据分析师' },
  { username: 'executive', role: 'executive', displayName: '演示·管理层' },
];

/**
 * Demo accounts for the first `npm start`: one bank-wide user per role and two RMs, each with a generated strong
 * password, returned once (print them; they are not stored anywhere in clear). The RMs are the first two existing
 * `rm` users (the synthetic bank assigns customers to them), so an RM signing in sees customers; only when fewer exist
 * are unassigned RMs created. Idempotent: accounts that already have a password are left alone and not returned.
 */
export async function createDemoUsers(ctx: AppContext): Promise<DemoCredential[]> {
  const db = ctx.stores.op;
  const out: DemoCredential[] = [];
  for (const a of demoAccounts) {
    const existing = await authRepo.userForLogin(db, a.username);
    if (existing) {
      if (existing.password_hash) continue;
      const password = generatePassword();
      await db.transaction(async (tx) => {
        await authRepo.setPassword(tx, existing.id, await hashPassword(password));
        await appendAudit(tx, {
          actor: systemActor.audit,
          action: 'user.update',
          target: { type: 'user', id: existing.id },
          details: { changes: { password: 'demo' } },
        });
      });
      out.push({ username: existing.username, role: a.role, password, userId: existing.id });
      continue;
    }
    const r = await createUser(ctx, systemActor, { username: a.username, displayName: a.displayName, role: a.role });
    out.push({ username: r.user.username, role: a.role, password: r.generatedPassword as string, userId: r.user.id });
  }

  const rms = await repo.rmUsers(db, 2);
  for (const rm of rms) {
    if (rm.password_set) continue;
    const password = generatePassword();
    const hashed = await hashPassword(password);
    await db.transaction(async (tx) => {
      await authRepo.setPassword(tx, rm.id, hashed);
      await appendAudit(tx, {
        actor: systemActor.audit,
        action: 'user.update',
        target: { type: 'user', id: rm.id },
        details: { changes: { password: 'demo' } },
      });
    });
    out.push({ username: rm.username, role: 'rm', password, userId: rm.id });
  }
  for (let i = rms.length + 1; i <= 2; i++) {
    const username = `rm${i}`;
    if (await repo.usernameTaken(db, username)) continue;
    const r = await createUser(ctx, systemActor, { username, displayName: `演示·理财经理${i}`, role: 'rm' });
    out.push({ username, role: 'rm', password: r.generatedPassword as string, userId: r.user.id });
  }
  return out;
}
