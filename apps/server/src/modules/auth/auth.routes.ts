import { permissionsOf } from '@lingxi/core/auth/permissions';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { HttpProblem } from '../../http/problem.ts';
import { displaySettings } from '../compliance/compliance.service.ts';
import {
  type AuthSession,
  type AuthUser,
  changeOwnPassword,
  type LoginThrottle,
  login,
  logout,
  SESSION_COOKIE,
} from './auth.service.ts';
import { serializeCookie } from './http-primitives.ts';
import { PASSWORD_MAX_LENGTH } from './password.ts';

/** `Secure` when the request arrived over HTTPS (directly or via a proxy's X-Forwarded-Proto: trustProxy is on). */
export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, value: string, maxAgeSeconds: number): void {
  reply.header(
    'set-cookie',
    serializeCookie(SESSION_COOKIE, value, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      secure: req.protocol === 'https',
      maxAgeSeconds,
    }),
  );
}

export const sessionInfoSchema = z.object({
  user: z.object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: z.string(),
    branchId: z.string().nullable(),
  }),
  permissions: z.array(z.string()),
  /** Send it back as the `x-csrf-token` header on every POST/PUT/PATCH/DELETE. */
  csrfToken: z.string(),
  expiresAt: z.string(),
  /** Administrator settings every console applies: display time zone, demo-data banner. */
  display: z.object({ timezone: z.string(), demoBanner: z.boolean() }),
});

async function sessionInfo(
  ctx: Pick<AppContext, 'stores' | 'config'>,
  user: AuthUser,
  session: AuthSession,
): Promise<z.infer<typeof sessionInfoSchema>> {
  return {
    user: {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      branchId: user.branchId,
    },
    permissions: permissionsOf(user.role),
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt.toISOString(),
    display: await displaySettings(ctx.stores.op, ctx.config),
  };
}

function requireSession(req: FastifyRequest): { user: AuthUser; session: AuthSession } {
  if (!req.user || !req.authSession) throw new HttpProblem(401, 'Unauthorized', 'sign in first');
  return { user: req.user, session: req.authSession };
}

/** Sign-in, sign-out, the current session and own password change. Registered by `installAuth`. */
export async function authRoutes(app: FastifyInstance, ctx: AppContext, throttle: LoginThrottle): Promise<void> {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.post(
    '/api/v1/auth/login',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in (sets the HttpOnly session cookie; returns the CSRF token)',
        description:
          '401 for a wrong username or password, 423 `account locked until …` after 5 failures (15 minutes), ' +
          '429 when more than 10 attempts per minute come from one address or for one username.',
        body: z.object({
          username: z.string().min(1).max(100),
          password: z
            .string()
            .min(1)
            .max(PASSWORD_MAX_LENGTH * 4),
        }),
        response: { 200: sessionInfoSchema },
      },
    },
    async (req, reply) => {
      // Re-signing in from a browser that holds a session replaces it.
      if (req.authSession) await logout(ctx, req.user, req.authSession);
      const r = await login(ctx, throttle, { username: req.body.username, password: req.body.password, ip: req.ip });
      setSessionCookie(req, reply, r.sessionId, throttle.opts.absoluteSeconds);
      return sessionInfo(ctx, r.user, r.session);
    },
  );

  typed.post(
    '/api/v1/auth/logout',
    {
      // Public so that a browser with an expired session can still clear its cookie; with a live session the CSRF
      // header is required like on every state-changing request.
      config: { permission: 'public' },
      schema: { tags: ['auth'], summary: 'Sign out', response: { 200: z.object({ ok: z.literal(true) }) } },
    },
    async (req, reply) => {
      await logout(ctx, req.user, req.authSession);
      setSessionCookie(req, reply, '', 0);
      return { ok: true as const };
    },
  );

  typed.get(
    '/api/v1/auth/me',
    {
      config: { permission: 'auth.self' },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, permissions and CSRF token',
        response: { 200: sessionInfoSchema },
      },
    },
    async (req) => {
      const { user, session } = requireSession(req);
      return sessionInfo(ctx, user, session);
    },
  );

  typed.post(
    '/api/v1/auth/password',
    {
      config: { permission: 'auth.self' },
      schema: {
        tags: ['auth'],
        summary: 'Change own password (ends the other sessions)',
        body: z.object({
          currentPassword: z
            .string()
            .min(1)
            .max(PASSWORD_MAX_LENGTH * 4),
          newPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
        }),
        response: { 200: z.object({ ok: z.literal(true), endedSessions: z.number().int() }) },
      },
    },
    async (req) => {
      const { user, session } = requireSession(req);
      const r = await changeOwnPassword(ctx, user, session, req.body.currentPassword, req.body.newPassword);
      return { ok: true as const, endedSessions: r.endedSessions };
    },
  );
}
