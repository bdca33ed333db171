import { can, isPermission, PUBLIC } from '@lingxi/core/auth/permissions';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { forbidden, HttpProblem } from '../../http/problem.ts';
import { authRoutes, setSessionCookie } from './auth.routes.ts';
import {
  type AuthOptions,
  type AuthUser,
  CSRF_HEADER,
  csrfMatches,
  defaultAuthOptions,
  LoginThrottle,
  resolveSession,
  SESSION_COOKIE,
} from './auth.service.ts';
import { parseCookies } from './http-primitives.ts';

/** A route as the authorisation hook sees it (collected at registration; the matrix test enumerates these). */
/** The signed-in user of a request behind a permission (the auth hook already refused anonymous calls). */
export function signedIn(req: FastifyRequest): AuthUser {
  if (!req.user) throw new HttpProblem(401, 'Unauthorized', 'sign in first');
  return req.user;
}

export interface RegisteredRoute {
  method: string;
  url: string;
  /** The declared `config.permission`, if any. */
  declared: string | undefined;
  /** What the hook enforces: the declaration, `public` for an exempt route, or undefined (denied to everyone). */
  effective: string | undefined;
}

const registry = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route registered after `installAuth` (one entry per method). */
export function registeredRoutes(app: FastifyInstance): RegisteredRoute[] {
  return [...(registry.get(app) ?? [])];
}

/**
 * Routes that third-party plugins register without a permission and that are public by design: the OpenAPI UI and
 * document under `/docs` (schemas only, no data), and the console's static files served by @fastify/static (which tags
 * its routes with `config.file`). Everything else without a declaration is denied.
 */
export function exemptPermission(url: string | undefined, config: unknown): string | undefined {
  if (!url) return undefined;
  if (url === '/docs' || url.startsWith('/docs/')) return PUBLIC;
  const file = (config as { file?: unknown } | undefined)?.file;
  if (typeof file === 'string' && !url.startsWith('/api/')) return PUBLIC;
  return undefined;
}

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Content-Security-Policy for everything but `/docs` (Swagger UI needs inline scripts and styles). `style-src
 * 'unsafe-inline'` is kept because antd injects its CSS-in-JS at run time; scripts are same-origin only.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function clearStaleCookie(req: FastifyRequest, reply: FastifyReply): void {
  setSessionCookie(req, reply, '', 0);
}

/**
 * Installs sessions and authorisation on the app (call before any route is registered):
 * - resolves the `lingxi_session` cookie to `req.user` / `req.authSession` on every request;
 * - requires `x-csrf-token` on every POST/PUT/PATCH/DELETE that carries a live session (403 otherwise);
 * - enforces each route's `config.permission`: 401 without a session, 403 when the role lacks it; a route without a
 *   declaration (and not exempt) is denied to everyone and logged — fail closed;
 * - sets a strict CSP on non-/docs responses, `Cache-Control: no-store` on API responses, HSTS over HTTPS;
 * - registers `POST /api/v1/auth/login`, `POST /api/v1/auth/logout`, `GET /api/v1/auth/me`, `POST /api/v1/auth/password`.
 */
export async function installAuth(
  app: FastifyInstance,
  ctx: AppContext,
  options: Partial<AuthOptions> = {},
): Promise<void> {
  const opts: AuthOptions = { ...defaultAuthOptions, ...options };
  const throttle = new LoginThrottle(opts);
  const routes: RegisteredRoute[] = registry.get(app) ?? [];
  registry.set(app, routes);

  app.decorateRequest('user', null);
  app.decorateRequest('authSession', null);

  app.addHook('onRoute', (route: RouteOptions) => {
    const declared = route.config?.permission;
    const effective = declared ?? exemptPermission(route.url, route.config);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routes.push({ method: String(method), url: route.url, declared, effective });
    if (effective === undefined) {
      ctx.logger.error(
        { method: methods.join(','), route: route.url },
        'route declares no permission: it will deny every request',
      );
    } else if (effective !== PUBLIC && !isPermission(effective)) {
      ctx.logger.error(
        { route: route.url, permission: effective },
        'route declares a permission missing from the catalogue',
      );
    }
  });

  app.addHook('onRequest', async (req, reply) => {
    req.user = null;
    req.authSession = null;
    if (req.is404) return; // the not-found handler answers; it reads nothing

    const cookie = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    let csrfTokenHash: string | undefined;
    if (cookie) {
      const resolved = await resolveSession(ctx, opts, cookie);
      if (resolved) {
        req.user = resolved.user;
        req.authSession = resolved.session;
        csrfTokenHash = resolved.csrfTokenHash;
      } else {
        clearStaleCookie(req, reply);
      }
    }

    const config = req.routeOptions.config;
    const permission = config.permission ?? exemptPermission(req.routeOptions.url, config);
    if (permission === undefined) {
      req.log.error(
        { method: req.method, route: req.routeOptions.url },
        'request to a route without a permission: denied',
      );
      throw forbidden('this route declares no permission and is denied (fail closed)');
    }

    if (stateChanging.has(req.method) && req.authSession && csrfTokenHash !== undefined) {
      const presented = req.headers[CSRF_HEADER];
      if (!csrfMatches(typeof presented === 'string' ? presented : undefined, csrfTokenHash)) {
        throw forbidden(`missing or invalid ${CSRF_HEADER} header (get the token from GET /api/v1/auth/me)`);
      }
    }

    if (permission === PUBLIC) return;
    if (!req.user) throw new HttpProblem(401, 'Unauthorized', 'sign in first (POST /api/v1/auth/login)');
    if (!can(req.user.role, permission)) {
      req.log.info({ user: req.user.id, route: req.routeOptions.url, permission }, 'permission denied');
      throw forbidden(`your role (${req.user.role}) lacks the permission ${permission}`);
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const url = req.url.split('?')[0] ?? '';
    if (!(url === '/docs' || url.startsWith('/docs/'))) reply.header('Content-Security-Policy', contentSecurityPolicy);
    if (url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
    if (req.protocol === 'https') reply.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    return payload;
  });

  await authRoutes(app, ctx, throttle);
}
