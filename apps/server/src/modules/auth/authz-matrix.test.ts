import {
  can,
  isPermission,
  PUBLIC,
  permissions,
  type Role,
  rolePermissions,
  roles,
} from '@lingxi/core/auth/permissions';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempAnalytics, operationalBackends } from '../../../test/support/stores.ts';
import { buildApp, type RouteModule, routeModules } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import type { AnalyticsDb } from '../../db/analytics.ts';
import type { OperationalDb } from '../../db/operational.ts';
import { auditRoutes } from '../audit/audit.routes.ts';
import { customersRoutes } from '../customers/customers.routes.ts';
import { usersRoutes } from '../users/users.routes.ts';
import { type RegisteredRoute, registeredRoutes } from './auth.plugin.ts';
import { addBranch, addCustomer, addUser, type Session, signIn, testContext } from './auth.test-support.ts';

/**
 * The authorisation matrix: every route of the full app (the lead's `routeModules` plus this module's) × every role
 * (and no session). Expected outcomes come from the one declared table, `can(role, permission)`; each cell is checked
 * by really calling the route, signed in through the API with the CSRF token.
 */

const ownModules: RouteModule[] = [usersRoutes, auditRoutes, customersRoutes];
type Principal = Role | 'anonymous';
const principals: Principal[] = ['anonymous', ...roles];

/** A concrete URL for a route pattern (`:param` → 1, wildcard → x). */
function concrete(url: string): string {
  return url.replace(/:[A-Za-z0-9_]+/g, '1').replace(/\*/g, 'x');
}

function isDocsOrStatic(r: RegisteredRoute): boolean {
  return r.declared === undefined && r.effective === PUBLIC;
}

for (const backend of operationalBackends()) {
  describe(`authorisation matrix on ${backend.name}`, () => {
    let db: OperationalDb;
    let an: AnalyticsDb;
    let disposeOp: () => Promise<void>;
    let disposeAn: () => Promise<void>;
    let ctx: AppContext;
    let app: FastifyInstance;
    let routes: RegisteredRoute[];
    const sessions = new Map<Principal, Session>();
    let rm2Session: Session;

    beforeAll(async () => {
      ({ db, dispose: disposeOp } = await backend.open());
      ({ an, dispose: disposeAn } = await openTempAnalytics());
      ctx = testContext(db, an);
      await addBranch(db, 'HQ');
      const ids: Partial<Record<Role, string>> = {};
      for (const role of roles) ids[role] = await addUser(ctx, `matrix-${role}`, role);
      const rm2 = await addUser(ctx, 'matrix-rm2', 'rm');
      await addCustomer(db, ctx.cipher, {
        id: 1,
        name: '钱一',
        mobile: '13811110001',
        idNumber: '110101199003070011',
        branchId: 'HQ',
        rmUserId: ids.rm ?? null,
      });
      await addCustomer(db, ctx.cipher, {
        id: 2,
        name: '孙二',
        mobile: '13811110002',
        idNumber: '11010119900307002X',
        branchId: 'HQ',
        rmUserId: rm2,
      });
      app = await buildApp(
        ctx,
        ownModules.filter((m) => !routeModules.includes(m)),
      );
      routes = registeredRoutes(app);
      for (const role of roles) sessions.set(role, await signIn(app, `matrix-${role}`));
      rm2Session = await signIn(app, 'matrix-rm2');
    });
    afterAll(async () => {
      await app.close();
      await disposeAn();
      await disposeOp();
    });

    it('collects every route, including this module’s', () => {
      const keys = new Set(routes.map((r) => `${r.method} ${r.url}`));
      for (const k of [
        'POST /api/v1/auth/login',
        'POST /api/v1/auth/logout',
        'GET /api/v1/auth/me',
        'GET /api/v1/users',
        'POST /api/v1/users',
        'PATCH /api/v1/users/:id',
        'GET /api/v1/branches',
        'POST /api/v1/branches',
        'GET /api/v1/audit',
        'POST /api/v1/audit/verify',
        'GET /api/v1/customers',
        'GET /api/v1/customers/:id',
        'POST /api/v1/customers/:id/unmask',
        'GET /healthz',
      ]) {
        expect(keys).toContain(k);
      }
    });

    it('every route declares a permission (only /docs and static console files are exempt)', () => {
      const undeclared = routes.filter((r) => r.effective === undefined).map((r) => `${r.method} ${r.url}`);
      expect(undeclared).toEqual([]);
      const exempt = routes.filter(isDocsOrStatic).filter((r) => !(r.url === '/docs' || r.url.startsWith('/docs/')));
      // Static console files are only registered when the console is built; none may sit under /api/.
      expect(exempt.filter((r) => r.url.startsWith('/api/'))).toEqual([]);
    });

    it('every declared permission is in the catalogue and the role table is complete', () => {
      const unknown = routes
        .filter((r) => r.declared !== undefined && r.declared !== PUBLIC && !isPermission(r.declared))
        .map((r) => `${r.method} ${r.url} → ${r.declared}`);
      expect(unknown).toEqual([]);
      expect(Object.keys(rolePermissions).sort()).toEqual([...roles].sort());
      // Every permission a route needs is granted to at least one role: no route is unreachable by design.
      const granted = new Set(roles.flatMap((r) => rolePermissions[r]));
      const unreachable = routes
        .filter((r) => r.declared !== undefined && r.declared !== PUBLIC && !granted.has(r.declared as never))
        .map((r) => `${r.method} ${r.url}`);
      expect(unreachable).toEqual([]);
      expect(permissions.length).toBeGreaterThan(20);
    });

    it('each route × each role: 401 without a session, 403 without the permission, otherwise not refused', async () => {
      const callable = routes
        .filter((r) => r.method !== 'HEAD' && r.effective !== undefined)
        // Sign-out ends the session it is called with: run it last.
        .sort((a, b) => Number(a.url.endsWith('/logout')) - Number(b.url.endsWith('/logout')));
      const mismatches: string[] = [];
      let cells = 0;
      for (const r of callable) {
        const permission = r.effective as string;
        for (const who of principals) {
          const session = who === 'anonymous' ? undefined : sessions.get(who);
          const hasBody = ['POST', 'PUT', 'PATCH'].includes(r.method);
          const res = await app.inject({
            method: r.method as 'GET',
            url: concrete(r.url),
            headers: session ? session.headers : {},
            ...(hasBody ? { payload: {} } : {}),
          });
          cells++;
          let expected: 'unauthenticated' | 'forbidden' | 'allowed';
          if (permission === PUBLIC) expected = 'allowed';
          else if (who === 'anonymous') expected = 'unauthenticated';
          else expected = can(who, permission) ? 'allowed' : 'forbidden';
          const got = res.statusCode === 401 ? 'unauthenticated' : res.statusCode === 403 ? 'forbidden' : 'allowed';
          if (got !== expected) {
            mismatches.push(
              `${r.method} ${r.url} [${permission}] as ${who}: expected ${expected}, got ${res.statusCode}`,
            );
          }
        }
      }
      expect(mismatches).toEqual([]);
      expect(cells).toBeGreaterThanOrEqual(14 * principals.length);
    });

    it('an RM asking for another RM’s customer gets 404, like an unknown one', async () => {
      const rm = sessions.get('rm');
      // The matrix above signed every principal out at the end; sign in again.
      const s =
        rm &&
        (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: rm.cookie } })).statusCode === 200
          ? rm
          : await signIn(app, 'matrix-rm');
      const other = await app.inject({ method: 'GET', url: '/api/v1/customers/2', headers: { cookie: s.cookie } });
      const own = await app.inject({ method: 'GET', url: '/api/v1/customers/1', headers: { cookie: s.cookie } });
      const unknown = await app.inject({
        method: 'GET',
        url: '/api/v1/customers/424242',
        headers: { cookie: s.cookie },
      });
      expect(own.statusCode).toBe(200);
      expect(other.statusCode).toBe(404);
      expect(unknown.statusCode).toBe(404);
      const unmaskOther = await app.inject({
        method: 'POST',
        url: '/api/v1/customers/2/unmask',
        headers: s.headers,
        payload: { fields: ['name'], reason: 'trying another RM customer' },
      });
      expect(unmaskOther.statusCode).toBe(404);
      const theirs = await app.inject({
        method: 'GET',
        url: '/api/v1/customers/2',
        headers: { cookie: rm2Session.cookie },
      });
      expect(theirs.statusCode).toBe(200);
    });
  });
}
