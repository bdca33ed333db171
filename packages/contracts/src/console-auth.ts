/**
 * Response schemas the console validates for auth, users, branches and the audit trail. They mirror the schemas
 * declared inline in the server's route files (`apps/server/src/modules/{auth,users,audit}/*.routes.ts`).
 */
import { z } from 'zod';

/** GET /api/v1/auth/me and POST /api/v1/auth/login. */
export const sessionInfo = z.object({
  user: z.object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: z.string(),
    branchId: z.string().nullable(),
  }),
  permissions: z.array(z.string()),
  csrfToken: z.string(),
  expiresAt: z.string(),
  display: z.object({ timezone: z.string(), demoBanner: z.boolean() }),
});
export type SessionInfo = z.infer<typeof sessionInfo>;

export const okResponse = z.object({ ok: z.literal(true) });

export const userView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.string(),
  branchId: z.string().nullable(),
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  failedLogins: z.number().int(),
  passwordSet: z.boolean(),
  passwordChangedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type UserView = z.infer<typeof userView>;

export const userList = z.object({ users: z.array(userView) });
export const userWithPassword = z.object({
  user: userView,
  /** Present only when the server generated the password: shown once, never retrievable again. */
  generatedPassword: z.string().optional(),
});

export const branchView = z.object({
  id: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  province: z.string(),
  city: z.string(),
  parentId: z.string().nullable(),
  createdAt: z.string(),
});
export type BranchView = z.infer<typeof branchView>;
export const branchList = z.object({ branches: z.array(branchView) });

export const auditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.object({ id: z.string().nullable(), role: z.string().nullable() }),
  action: z.string(),
  target: z.object({ type: z.string().nullable(), id: z.string().nullable() }),
  reason: z.string().nullable(),
  details: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntry>;
export const auditList = z.object({ entries: z.array(auditEntry), nextBefore: z.number().int().nullable() });

export const auditVerification = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  head: z.object({ seq: z.number().int(), hash: z.string() }),
  firstBroken: z
    .object({
      seq: z.number().int(),
      reason: z.enum(['hash mismatch', 'missing seq', 'prev_hash mismatch']),
      detail: z.string(),
    })
    .optional(),
});
export type AuditVerification = z.infer<typeof auditVerification>;
