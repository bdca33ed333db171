import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type CustomerScope, customerScope, isRole, type Role } from '@lingxi/core/auth/permissions';
import type { AppContext } from '../../app-context.ts';
import type { OperationalQueryable } from '../../db/operational.ts';
import { HttpProblem } from '../../http/problem.ts';
import { appendAudit } from '../audit/audit.service.ts';
import * as repo from './auth.repo.ts';
import { FixedWindowLimiter } from './http-primitives.ts';
import { assertPasswordPolicy, hashPassword, PasswordPolicyError, verifyPassword } from './password.ts';

/** The signed-in staff user, attached to each request as `req.user` by the auth hook. */
export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** The user's branch; null for a bank-wide user. */
  branchId: string | null;
  /** The branch and its descendants (empty for a bank-wide user). */
  branchSubtree: string[];
}

export interface AuthSession {
  idHash: string;
  csrfToken: string;
  expiresAt: Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, or null (set by the auth hook on every request). */
    user: AuthUser | null;
    /** The session behind `user`, or null. */
    authSession: AuthSession | null;
  }
}

export interface AuthOptions {
  /** Idle timeout: a session unused this long is dead (default 30 minutes). */
  idleSeconds: number;
  /** Absolute lifetime of a session (default 12 hours). */
  absoluteSeconds: number;
  /** Failed attempts before an account locks (default 5) … */
  maxFailures: number;
  /** … and for how long (default 15 minutes). */
  lockSeconds: number;
  /** Login attempts per client IP per minute (default 10). */
  loginsPerIpPerMinute: number;
  /** Login attempts per username per minute (default 10). */
  loginsPerUserPerMinute: number;
}

export const defaultAuthOptions: AuthOptions = {
  idleSeconds: 30 * 60,
  absoluteSeconds: 12 * 60 * 60,
  maxFailures: 5,
  lockSeconds: 15 * 60,
  loginsPerIpPerMinute: 10,
  loginsPerUserPerMinute: 10,
};

export const SESSION_COOKIE = 'lingxi_session';
export const CSRF_HEADER = 'x-csrf-token';

export const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/**
 * The CSRF token of a session (synchronizer token bound to the session): HMAC-SHA-256 keyed by the session id, so it
 * can be re-derived from the cookie for `GET /auth/me` while the database stores only its SHA-256.
 */
export function csrfTokenFor(sessionId: string): string {
  return createHmac('sha256', sessionId).update('lingxi/csrf/v1').digest('base64url');
}

/** Constant-time comparison of a presented CSRF token with the stored digest. */
export function csrfMatches(presented: string | undefined, storedHash: string): boolean {
  if (!presented || presented.length > 200) return false;
  const a = Buffer.from(sha256(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function scopeOf(user: AuthUser): CustomerScope {
  return customerScope({ id: user.id, role: user.role, branchId: user.branchId, branchSubtree: user.branchSubtree });
}

export function actorOf(user: AuthUser | null): { id: string | null; role: string | null } {
  return user ? { id: user.id, role: user.role } : { id: null, role: null };
}

async function toAuthUser(
  db: OperationalQueryable,
  r: { user_id: string; username: string; display_name: string; role_id: string; branch_id: string | null },
): Promise<AuthUser | null> {
  if (!isRole(r.role_id)) return null; // unknown role: no session (fail closed)
  return {
    id: r.user_id,
    username: r.username,
    displayName: r.display_name,
    role: r.role_id,
    branchId: r.branch_id,
    branchSubtree: r.branch_id ? await repo.branchSubtree(db, r.branch_id) : [],
  };
}

export class LoginThrottle {
  readonly perIp: FixedWindowLimiter;
  readonly perUser: FixedWindowLimiter;
  /**
   * Lockout shadow for usernames that do not exist: they lock after the same number of failures, so that "account
   * locked" does not reveal which usernames are real. In memory, bounded.
   */
  private readonly unknown = new Map<string, { failures: number; lockedUntil: number }>();

  constructor(readonly opts: AuthOptions) {
    this.perIp = new FixedWindowLimiter(opts.loginsPerIpPerMinute, 60_000);
    this.perUser = new FixedWindowLimiter(opts.loginsPerUserPerMinute, 60_000);
  }

  unknownLockedUntil(username: string, now = Date.now()): number | null {
    const s = this.unknown.get(username);
    return s && s.lockedUntil > now ? s.lockedUntil : null;
  }

  unknownFailure(username: string, now = Date.now()): number | null {
    if (this.unknown.size > 10_000) this.unknown.clear();
    const s = this.unknown.get(username) ?? { failures: 0, lockedUntil: 0 };
    s.failures++;
    if (s.failures >= this.opts.maxFailures) {
      s.failures = 0;
      s.lockedUntil = now + this.opts.lockSeconds * 1000;
    }
    this.unknown.set(username, s);
    return s.lockedUntil > now ? s.lockedUntil : null;
  }
}

export const invalidCredentials = () => new HttpProblem(401, 'Unauthorized', 'invalid username or password');
export const accountLocked = (until: Date) =>
  new HttpProblem(423, 'Locked', `account locked until ${until.toISOString()} after too many failed sign-in attempts`);

export interface LoginResult {
  sessionId: string;
  session: AuthSession;
  user: AuthUser;
}

/**
 * Signs a user in. Order: rate limits (per IP, per username → 429), lockout (→ 423 `account locked until …`), password
 * (argon2id; a dummy verification for unknown users keeps the timing flat → 401), then a new session. Every outcome
 * except rate limiting is audited; failures never record the typed username or password.
 */
export async function login(
  ctx: AppContext,
  throttle: LoginThrottle,
  input: { username: string; password: string; ip: string },
): Promise<LoginResult> {
  const db = ctx.stores.op;
  const opts = throttle.opts;
  const username = input.username.trim().toLowerCase();
  for (const [limiter, key, what] of [
    [throttle.perIp, input.ip, 'this address'],
    [throttle.perUser, username, 'this username'],
  ] as const) {
    const r = limiter.hit(key);
    if (!r.allowed) {
      throw new HttpProblem(
        429,
        'Too Many Requests',
        `too many sign-in attempts from ${what}; retry in ${r.retryAfterSeconds} s`,
      );
    }
  }

  const user = await repo.userForLogin(db, username);
  const now = Date.now();
  if (!user) {
    await verifyPassword(null, input.password);
    const lockedUntil = throttle.unknownLockedUntil(username, now) ?? throttle.unknownFailure(username, now);
    await appendAudit(db, {
      actor: { id: null, role: null },
      action: 'auth.login_failed',
      target: { type: 'user', id: null },
      details: { reason: 'unknown_user' },
    });
    if (lockedUntil) throw accountLocked(new Date(lockedUntil));
    throw invalidCredentials();
  }

  const target = { type: 'user', id: user.id };
  if (user.locked_until && new Date(user.locked_until).getTime() > now) {
    await verifyPassword(user.password_hash, input.password); // same work as any attempt
    await appendAudit(db, {
      actor: { id: null, role: null },
      action: 'auth.login_failed',
      target,
      details: { reason: 'locked' },
    });
    throw accountLocked(new Date(user.locked_until));
  }

  const ok = await verifyPassword(user.password_hash, input.password);
  if (!ok) {
    const lockedUntil = await repo.recordFailure(db, user.id, opts.maxFailures, opts.lockSeconds);
    await appendAudit(db, {
      actor: { id: null, role: null },
      action: 'auth.login_failed',
      target,
      details: lockedUntil
        ? { reason: 'bad_password', locked_until: lockedUntil.toISOString() }
        : { reason: 'bad_password' },
    });
    if (lockedUntil) throw accountLocked(lockedUntil);
    throw invalidCredentials();
  }
  if (user.disabled || !isRole(user.role_id)) {
    await appendAudit(db, {
      actor: { id: null, role: null },
      action: 'auth.login_failed',
      target,
      details: { reason: 'disabled' },
    });
    throw invalidCredentials();
  }

  await repo.recordSuccess(db, user.id);
  await repo.purgeExpiredSessions(db, opts.idleSeconds);
  const sessionId = randomBytes(32).toString('base64url');
  const csrfToken = csrfTokenFor(sessionId);
  const expiresAt = new Date(now + opts.absoluteSeconds * 1000);
  const idHash = sha256(sessionId);
  await repo.insertSession(db, {
    idHash,
    userId: user.id,
    csrfTokenHash: sha256(csrfToken),
    expiresAt,
    ipHash: input.ip ? ctx.cipher.hash(`ip:${input.ip}`) : null,
  });
  const authUser = await toAuthUser(db, { ...user, user_id: user.id });
  if (!authUser) throw invalidCredentials();
  await appendAudit(db, { actor: { id: user.id, role: user.role_id }, action: 'auth.login', target });
  return { sessionId, session: { idHash, csrfToken, expiresAt }, user: authUser };
}

/** Resolves a session cookie to its user; refreshes `last_seen_at` at most once a minute. */
export async function resolveSession(
  ctx: AppContext,
  opts: AuthOptions,
  sessionId: string,
): Promise<{ user: AuthUser; session: AuthSession; csrfTokenHash: string } | null> {
  if (sessionId.length < 20 || sessionId.length > 100) return null;
  const db = ctx.stores.op;
  const idHash = sha256(sessionId);
  const row = await repo.liveSession(db, idHash, opts.idleSeconds);
  if (!row) return null;
  const user = await toAuthUser(db, row);
  if (!user) return null;
  if (Date.now() - new Date(row.last_seen_at).getTime() > 60_000) await repo.touchSession(db, idHash);
  return {
    user,
    session: { idHash, csrfToken: csrfTokenFor(sessionId), expiresAt: new Date(row.expires_at) },
    csrfTokenHash: row.csrf_token_hash,
  };
}

export async function logout(ctx: AppContext, user: AuthUser | null, session: AuthSession | null): Promise<void> {
  if (!session) return;
  await repo.deleteSession(ctx.stores.op, session.idHash);
  if (user)
    await appendAudit(ctx, { actor: actorOf(user), action: 'auth.logout', target: { type: 'user', id: user.id } });
}

/** Changes one's own password (current password required); ends the user's other sessions. */
export async function changeOwnPassword(
  ctx: AppContext,
  user: AuthUser,
  session: AuthSession,
  currentPassword: string,
  newPassword: string,
): Promise<{ endedSessions: number }> {
  const db = ctx.stores.op;
  const row = await repo.userById(db, user.id);
  if (!row || !(await verifyPassword(row.password_hash, currentPassword))) {
    throw new HttpProblem(403, 'Forbidden', 'currentPassword: does not match', [
      { field: 'body.currentPassword', reason: 'does not match' },
    ]);
  }
  try {
    assertPasswordPolicy(newPassword, user.username);
  } catch (err) {
    if (err instanceof PasswordPolicyError) {
      throw new HttpProblem(400, 'Bad Request', `newPassword: ${err.message}`, [
        { field: 'body.newPassword', reason: err.message },
      ]);
    }
    throw err;
  }
  if (currentPassword === newPassword) {
    throw new HttpProblem(400, 'Bad Request', 'newPassword: must differ from the current password', [
      { field: 'body.newPassword', reason: 'must differ from the current password' },
    ]);
  }
  const hashed = await hashPassword(newPassword);
  return db.transaction(async (tx) => {
    await repo.setPassword(tx, user.id, hashed);
    const endedSessions = await repo.deleteUserSessions(tx, user.id, session.idHash);
    await appendAudit(tx, {
      actor: actorOf(user),
      action: 'auth.password_change',
      target: { type: 'user', id: user.id },
      details: { ended_sessions: endedSessions },
    });
    return { endedSessions };
  });
}
