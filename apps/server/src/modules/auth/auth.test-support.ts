/**
 * Test helpers (not used by production code): a context over given stores, staff users, customers with encrypted
 * PII, and signing in through the API with the session cookie and CSRF token. Other modules' route tests can use
 * `signIn` to call their routes as a role now that every route is behind the auth hook.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '@lingxi/core/auth/permissions';
import { maskMobile, maskName } from '@lingxi/core/pii/masking';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AppContext } from '../../app-context.ts';
import { configSchema } from '../../config.ts';
import type { AnalyticsDb } from '../../db/analytics.ts';
import type { OperationalDb } from '../../db/operational.ts';
import { createLogger } from '../../logger.ts';
import { createPiiCipher, type PiiCipher } from '../../security/crypto.ts';
import { createUser, systemActor } from '../users/users.service.ts';
import { SESSION_COOKIE } from './auth.service.ts';

export function testContext(op: OperationalDb, an: AnalyticsDb, logger?: Logger): AppContext {
  const dataDir = mkdtempSync(join(tmpdir(), 'lingxi-auth-'));
  return {
    config: configSchema.parse({ dataDir, logLevel: 'silent' }),
    stores: { op, an, close: async () => {} },
    cipher: createPiiCipher(randomBytes(32)),
    logger: logger ?? createLogger('silent'),
  };
}

export const TEST_PASSWORD = 'Correct-Horse-42-Battery';

export async function addUser(
  ctx: AppContext,
  username: string,
  role: Role,
  branchId: string | null = null,
  password = TEST_PASSWORD,
): Promise<string> {
  const r = await createUser(ctx, systemActor, { username, role, branchId, password });
  return r.user.id;
}

export async function addBranch(db: OperationalDb, id: string, parentId: string | null = null): Promise<void> {
  await db.query(
    `INSERT INTO branches (id, name_zh, name_en, province, city, parent_id) VALUES ($1, $1, $1, '浙江', '杭州', $2)`,
    [id, parentId],
  );
}

export interface TestCustomer {
  id: number;
  name: string;
  mobile: string;
  idNumber: string;
  branchId: string | null;
  rmUserId: string | null;
}

/** Inserts a customer the way the golden record stores one: AES-GCM ciphertext, keyed hashes, masks. */
export async function addCustomer(db: OperationalDb, cipher: PiiCipher, c: TestCustomer): Promise<void> {
  await db.query(
    `INSERT INTO customers (id, cif, name_enc, name_hash, name_masked, gender, birth_date, id_number_enc, id_number_hash,
        mobile_enc, mobile_hash, mobile_masked, province, city, city_tier, occupation, home_branch_id, rm_user_id)
     VALUES ($1, $2, $3, $4, $5, 'F', '1990-03-07', $6, $7, $8, $9, $10, '浙江', '杭州', 1, 'teacher', $11, $12)`,
    [
      c.id,
      `CIF${String(c.id).padStart(8, '0')}`,
      cipher.encrypt(c.name),
      cipher.hash(c.name),
      maskName(c.name),
      cipher.encrypt(c.idNumber),
      cipher.hash(c.idNumber),
      cipher.encrypt(c.mobile),
      cipher.hash(c.mobile),
      maskMobile(c.mobile),
      c.branchId,
      c.rmUserId,
    ],
  );
}

export interface Session {
  cookie: string;
  csrf: string;
  /** Headers for a state-changing request (cookie + CSRF token). */
  headers: Record<string, string>;
}

let nextAddress = 0;
/** A fresh client address per call, so that suites signing in often stay under the per-address login limit. */
function freshAddress(): string {
  nextAddress++;
  return `192.0.${(nextAddress >> 8) & 255}.${nextAddress & 255}`;
}

/** Signs in through `POST /api/v1/auth/login`; throws with the response body when it fails. */
export async function signIn(
  app: FastifyInstance,
  username: string,
  password = TEST_PASSWORD,
  ip = freshAddress(),
): Promise<Session> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
    remoteAddress: ip,
  });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.headers['set-cookie'];
  const raw = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  const cookie = raw?.split(';')[0];
  if (!cookie?.startsWith(`${SESSION_COOKIE}=`)) throw new Error('no session cookie set');
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
}
