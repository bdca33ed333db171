import type { CustomerScope } from '@lingxi/core/auth/permissions';
import type { OperationalQueryable, SqlParam } from '../../db/operational.ts';
import { scopeSql } from '../auth/scope.ts';

/** What a search may match on; every value is bound, never spliced into SQL. */
export interface CustomerSearch {
  /** Keyed hashes of the normalised name variants (exact match). */
  nameHashes: string[];
  /** Keyed hash of a full mobile number. */
  mobileHash?: string | undefined;
  /** A masked mobile, e.g. `138****1234`. */
  mobileMasked?: string | undefined;
  /** The last four digits of the mobile. */
  mobileLast4?: string | undefined;
  /** Keyed hashes of an ID number (as typed, canonical). */
  idNumberHashes: string[];
  cif?: string | undefined;
  customerId?: number | undefined;
}

export interface CustomerListRow {
  id: number;
  cif: string;
  name_masked: string;
  mobile_masked: string | null;
  gender: string;
  birth_year: number;
  city: string;
  home_branch_id: string | null;
  rm_user_id: string | null;
  risk_level: string | null;
  status: string;
}

const listColumns = `c.id::int AS id, c.cif, c.name_masked, c.mobile_masked, c.gender,
  extract(year FROM c.birth_date)::int AS birth_year, c.city, c.home_branch_id, c.rm_user_id, c.risk_level, c.status`;

/** Customers in scope matching any criterion, by id; at most `limit`. */
export async function searchCustomers(
  db: OperationalQueryable,
  scope: CustomerScope,
  s: CustomerSearch,
  limit: number,
): Promise<CustomerListRow[]> {
  const params: SqlParam[] = [];
  const bind = (v: SqlParam) => {
    params.push(v);
    return `$${params.length}`;
  };
  const any: string[] = [];
  if (s.nameHashes.length) any.push(`c.name_hash = ANY(${bind(s.nameHashes)}::text[])`);
  if (s.mobileHash) any.push(`c.mobile_hash = ${bind(s.mobileHash)}`);
  if (s.mobileMasked) any.push(`c.mobile_masked = ${bind(s.mobileMasked)}`);
  if (s.mobileLast4) any.push(`right(c.mobile_masked, 4) = ${bind(s.mobileLast4)}`);
  if (s.idNumberHashes.length) any.push(`c.id_number_hash = ANY(${bind(s.idNumberHashes)}::text[])`);
  if (s.cif) any.push(`c.cif = ${bind(s.cif)}`);
  if (s.customerId !== undefined) any.push(`c.id = ${bind(s.customerId)}`);
  if (any.length === 0) return [];
  const scoped = scopeSql(scope, { firstParam: params.length + 1, alias: 'c' });
  params.push(...scoped.params);
  const limitParam = bind(limit);
  const { rows } = await db.query<CustomerListRow>(
    `SELECT ${listColumns} FROM customers c
      WHERE (${any.join(' OR ')}) AND ${scoped.sql}
      ORDER BY c.id LIMIT ${limitParam}`,
    params,
  );
  return rows;
}

/** Customers in scope by id, after `afterId` (keyset paging); at most `limit`. */
export async function listCustomers(
  db: OperationalQueryable,
  scope: CustomerScope,
  afterId: number,
  limit: number,
): Promise<CustomerListRow[]> {
  const scoped = scopeSql(scope, { firstParam: 3, alias: 'c' });
  const { rows } = await db.query<CustomerListRow>(
    `SELECT ${listColumns} FROM customers c
      WHERE c.id > $1 AND c.merged_into IS NULL AND ${scoped.sql}
      ORDER BY c.id LIMIT $2`,
    [afterId, limit, ...scoped.params],
  );
  return rows;
}

/** Which of these customers are in the user's scope (unknown and out of scope look the same). */
export async function customersInScope(
  db: OperationalQueryable,
  scope: CustomerScope,
  ids: readonly number[],
): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const scoped = scopeSql(scope, { firstParam: 2, alias: 'c' });
  const { rows } = await db.query<{ id: number }>(
    `SELECT c.id::int AS id FROM customers c WHERE c.id = ANY($1::bigint[]) AND ${scoped.sql}`,
    [ids, ...scoped.params],
  );
  return new Set(rows.map((r) => r.id));
}

export interface CustomerProfileRow extends CustomerListRow {
  birth_date: string;
  province: string;
  city_tier: number;
  occupation: string;
  education: string | null;
  marital_status: string | null;
  onboarded_at: string | null;
  risk_assessed_at: string | null;
  investor_class: string;
  investment_experience: boolean;
  flags: string[];
  personalised_marketing: boolean;
  merged_into: number | null;
}

/** The masked profile of a customer in scope; undefined when unknown or out of scope (indistinguishable). */
export async function customerProfile(
  db: OperationalQueryable,
  scope: CustomerScope,
  id: number,
): Promise<CustomerProfileRow | undefined> {
  const scoped = scopeSql(scope, { firstParam: 2, alias: 'c' });
  const { rows } = await db.query<CustomerProfileRow>(
    `SELECT ${listColumns}, to_char(c.birth_date, 'YYYY-MM-DD') AS birth_date, c.province, c.city_tier, c.occupation,
            c.education, c.marital_status, to_char(c.onboarded_at, 'YYYY-MM-DD') AS onboarded_at,
            to_char(c.risk_assessed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS risk_assessed_at,
            c.investor_class, c.investment_experience, c.flags, c.personalised_marketing, c.merged_into::int AS merged_into
       FROM customers c WHERE c.id = $1 AND ${scoped.sql}`,
    [id, ...scoped.params],
  );
  return rows[0];
}

export interface EncryptedFieldsRow {
  name_enc: Uint8Array;
  mobile_enc: Uint8Array | null;
  id_number_enc: Uint8Array | null;
}

/** The ciphertexts of a customer in scope (for an audited unmask). */
export async function encryptedFields(
  db: OperationalQueryable,
  scope: CustomerScope,
  id: number,
): Promise<EncryptedFieldsRow | undefined> {
  const scoped = scopeSql(scope, { firstParam: 2, alias: 'c' });
  const { rows } = await db.query<EncryptedFieldsRow>(
    `SELECT c.name_enc, c.mobile_enc, c.id_number_enc FROM customers c WHERE c.id = $1 AND ${scoped.sql}`,
    [id, ...scoped.params],
  );
  return rows[0];
}
