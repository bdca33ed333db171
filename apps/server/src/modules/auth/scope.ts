import type { CustomerScope } from '@lingxi/core/auth/permissions';
import type { OperationalQueryable, SqlParam } from '../../db/operational.ts';
import type { AuthUser } from './auth.service.ts';
import { scopeOf } from './auth.service.ts';

/** A WHERE fragment with its bound parameters (numbered from the `firstParam` given). */
export interface SqlFragment {
  sql: string;
  params: SqlParam[];
}

const columnRef = /^([a-z_][a-z0-9_]*\.)?[a-z_][a-z0-9_]*$/;

/**
 * Turns a customer scope into a bound-parameter predicate over the customers table. Column references are code, not
 * input, and are checked to be plain identifiers; the scope values are always parameters.
 *
 *     const f = scopeSql(scopeOf(req.user), { firstParam: 2, alias: 'c' });
 *     db.query(`SELECT … FROM customers c WHERE c.id = $1 AND ${f.sql}`, [id, ...f.params]);
 */
export function scopeSql(
  scope: CustomerScope,
  opts: { firstParam: number; alias?: string; branchColumn?: string; rmColumn?: string },
): SqlFragment {
  const prefix = opts.alias ? `${opts.alias}.` : '';
  const branch = opts.branchColumn ?? `${prefix}home_branch_id`;
  const rm = opts.rmColumn ?? `${prefix}rm_user_id`;
  for (const c of [branch, rm]) if (!columnRef.test(c)) throw new Error(`not a plain column reference: ${c}`);
  switch (scope.kind) {
    case 'all':
      return { sql: 'TRUE', params: [] };
    case 'rm':
      return { sql: `${rm} = $${opts.firstParam}`, params: [scope.userId] };
    case 'branch':
      return { sql: `${branch} = ANY($${opts.firstParam}::text[])`, params: [[...scope.branchIds]] };
  }
}

/** Is customer `id` within the user's scope? Unknown ids answer false. (Callers answer 404 either way, never 403.) */
export async function customerVisibleTo(db: OperationalQueryable, user: AuthUser, id: number): Promise<boolean> {
  const f = scopeSql(scopeOf(user), { firstParam: 2, alias: 'c' });
  const { rows } = await db.query(`SELECT 1 FROM customers c WHERE c.id = $1 AND ${f.sql}`, [id, ...f.params]);
  return rows.length > 0;
}
