import { normaliseName, normalisePhone } from '@lingxi/core/identity/compare';
import { canonicalResidentId } from '@lingxi/core/identity/resident-id';
import type { AppContext } from '../../app-context.ts';
import { badRequest, notFound } from '../../http/problem.ts';
import type { PiiCipher } from '../../security/crypto.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { type AuthUser, actorOf, scopeOf } from '../auth/auth.service.ts';
import * as repo from './customers.repo.ts';

/**
 * Customer lookup for staff, always within the user's data scope (an RM: own customers; others: their branch subtree
 * or the bank), always masked (rulebook P9). Unknown and out-of-scope customers are the same 404. Every read of
 * personal data is audited; an unmask is audited (with its reason) before any clear text leaves the server.
 */

export type SearchKind = 'name' | 'mobile' | 'mobile_masked' | 'mobile_last4' | 'id_number' | 'cif' | 'customer_id';

const maskedMobile = /^1\d{2}\*{4}\d{4}$/;

/** Turns the query text into lookup criteria (keyed hashes for exact PII matches). Exported for tests. */
export function searchCriteria(cipher: PiiCipher, raw: string): { search: repo.CustomerSearch; kinds: SearchKind[] } {
  const q = raw.normalize('NFKC').trim();
  const kinds: SearchKind[] = [];
  const search: repo.CustomerSearch = { nameHashes: [], idNumberHashes: [] };

  // Names: exact match on the keyed hash, tolerant of width/space/case variants of how the name was stored.
  const names = new Set([raw.trim(), q, q.replace(/\s+/g, ''), normaliseName(q)].filter((n) => n.length > 0));
  if (/\p{L}/u.test(q)) {
    search.nameHashes = [...names].map((n) => cipher.hash(n));
    kinds.push('name');
  }
  if (maskedMobile.test(q)) {
    search.mobileMasked = q;
    kinds.push('mobile_masked');
  }
  if (/^\d{4}$/.test(q)) {
    search.mobileLast4 = q;
    kinds.push('mobile_last4');
  }
  const phone = normalisePhone(q);
  if (/^1\d{10}$/.test(phone) && /^[+\d\s-]+$/.test(q)) {
    search.mobileHash = cipher.hash(phone);
    kinds.push('mobile');
  }
  const idNumber = canonicalResidentId(q);
  if (idNumber) {
    search.idNumberHashes = [...new Set([q.toUpperCase(), idNumber])].map((v) => cipher.hash(v));
    kinds.push('id_number');
  }
  if (/^[A-Za-z0-9_-]{1,40}$/.test(q)) {
    search.cif = q;
    kinds.push('cif');
  }
  if (/^\d{1,15}$/.test(q)) {
    search.customerId = Number(q);
    kinds.push('customer_id');
  }
  return { search, kinds };
}

export interface CustomerSummary {
  id: number;
  cif: string;
  nameMasked: string;
  mobileMasked: string | null;
  gender: string;
  birthYear: number;
  city: string;
  homeBranchId: string | null;
  rmUserId: string | null;
  riskLevel: string | null;
  status: string;
}

function summary(r: repo.CustomerListRow): CustomerSummary {
  return {
    id: r.id,
    cif: r.cif,
    nameMasked: r.name_masked,
    mobileMasked: r.mobile_masked,
    gender: r.gender,
    birthYear: r.birth_year,
    city: r.city,
    homeBranchId: r.home_branch_id,
    rmUserId: r.rm_user_id,
    riskLevel: r.risk_level,
    status: r.status,
  };
}

export async function searchCustomers(
  ctx: AppContext,
  user: AuthUser,
  q: string,
  limit: number,
): Promise<{ customers: CustomerSummary[]; matchedBy: SearchKind[] }> {
  const { search, kinds } = searchCriteria(ctx.cipher, q);
  if (kinds.length === 0) {
    throw badRequest(
      'q',
      'search by exact name, masked mobile (138****1234), last 4 mobile digits, ID number, CIF or customer number',
    );
  }
  const rows = await repo.searchCustomers(ctx.stores.op, scopeOf(user), search, limit);
  // Audited without the query text (it may be a name or a phone number): which kinds of lookup ran and how many hits.
  await appendAudit(ctx, {
    actor: actorOf(user),
    action: 'customer.search',
    target: { type: 'customer', id: null },
    details: { kinds, results: rows.length, ids: rows.slice(0, 50).map((r) => r.id) },
  });
  return { customers: rows.map(summary), matchedBy: kinds };
}

/** Customers in scope by id (an RM sees only own customers), masked, keyset-paged; audited like a search. */
export async function listCustomers(
  ctx: AppContext,
  user: AuthUser,
  after: number,
  limit: number,
): Promise<{ customers: CustomerSummary[]; matchedBy: SearchKind[]; nextAfter: number | null }> {
  const rows = await repo.listCustomers(ctx.stores.op, scopeOf(user), after, limit);
  await appendAudit(ctx, {
    actor: actorOf(user),
    action: 'customer.list',
    target: { type: 'customer', id: null },
    details: { after, results: rows.length, ids: rows.slice(0, 50).map((r) => r.id) },
  });
  const last = rows.at(-1);
  return { customers: rows.map(summary), matchedBy: [], nextAfter: rows.length === limit && last ? last.id : null };
}

export async function customerProfile(ctx: AppContext, user: AuthUser, id: number) {
  const r = await repo.customerProfile(ctx.stores.op, scopeOf(user), id);
  if (!r) throw notFound(`customer ${id}`);
  await appendAudit(ctx, {
    actor: actorOf(user),
    action: 'customer.view',
    target: { type: 'customer', id: String(id) },
  });
  return {
    ...summary(r),
    birthDate: r.birth_date,
    province: r.province,
    cityTier: r.city_tier,
    occupation: r.occupation,
    education: r.education,
    maritalStatus: r.marital_status,
    onboardedAt: r.onboarded_at,
    riskAssessedAt: r.risk_assessed_at,
    investorClass: r.investor_class,
    investmentExperience: r.investment_experience,
    flags: r.flags,
    personalisedMarketing: r.personalised_marketing,
    mergedInto: r.merged_into,
  };
}

export const unmaskableFields = ['name', 'mobile', 'id_number'] as const;
export type UnmaskableField = (typeof unmaskableFields)[number];

/**
 * Reveals C2 fields of a customer in scope. The audit entry (actor, customer, fields, reason) is committed first; only
 * then is anything decrypted, so no clear text is ever returned without its trace.
 */
export async function unmaskCustomer(
  ctx: AppContext,
  user: AuthUser,
  id: number,
  fields: readonly UnmaskableField[],
  reason: string,
): Promise<{ id: number; values: Partial<Record<UnmaskableField, string | null>>; auditSeq: number }> {
  const enc = await repo.encryptedFields(ctx.stores.op, scopeOf(user), id);
  if (!enc) throw notFound(`customer ${id}`);
  const unique = [...new Set(fields)];
  const audit = await appendAudit(ctx, {
    actor: actorOf(user),
    action: 'customer.unmask',
    target: { type: 'customer', id: String(id) },
    reason,
    details: { fields: unique },
  });
  const values: Partial<Record<UnmaskableField, string | null>> = {};
  for (const f of unique) {
    const blob = f === 'name' ? enc.name_enc : f === 'mobile' ? enc.mobile_enc : enc.id_number_enc;
    values[f] = blob ? ctx.cipher.decrypt(blob) : null;
  }
  return { id, values, auditSeq: audit.seq };
}
