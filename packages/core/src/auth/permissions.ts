/**
 * Roles, permissions and data scope (PRODUCT §L; rulebook P9): the single declared table the authorisation hook
 * enforces and the authorisation-matrix test checks every route against. Pure: no I/O.
 *
 * Permission names are `<module>.<verb>` (`compliance.rules.read` has a sub-module). `public` is not a permission but
 * the declaration of a route that needs no session (health, login, customer H5 pages).
 */

export const roles = ['admin', 'marketer', 'rm', 'compliance', 'analyst', 'executive'] as const;
export type Role = (typeof roles)[number];

/** Every permission a route may declare, with what it allows. A route declaring anything else is denied to all. */
export const permissionCatalogue = {
  'auth.self': 'read own session and account, change own password',
  'customers.read': 'search customers and read masked profiles (within data scope)',
  'customers.unmask': 'reveal C2 fields of a customer in scope, with a stated reason (audited)',
  'customers.export': 'export customer-level data (P10: needs approval, watermarked)',
  'customers.erase': 'erase (pseudonymise) a customer on request, rule P5 (audited)',
  'tags.read': 'read tag definitions and values',
  'tags.write': 'define and edit tags',
  'tags.refresh': 'run a tag refresh',
  'audiences.read': 'read audiences and their sizes',
  'audiences.write': 'build and edit audiences',
  'audiences.export': 'export audience member lists',
  'models.read': 'read models, scores and their reasons',
  'models.train': 'train, evaluate and promote models',
  'nba.read': 'read next-best-action recommendations',
  'nba.write': 'configure actions, eligibility and arbitration',
  'campaigns.read': 'read campaigns, journeys and their results',
  'campaigns.write': 'design campaigns and journeys',
  'campaigns.launch': 'launch, pause and stop approved campaigns and journeys',
  'content.read': 'read copy templates and variants',
  'content.write': 'author copy templates and variants',
  'compliance.rules.read': 'read compliance, suitability and contact-policy rules',
  'compliance.rules.write': 'edit compliance, suitability and contact-policy rules',
  'compliance.check': 'run the compliance checker on copy',
  'approvals.submit': 'submit content, campaigns or exports for approval (maker)',
  'approvals.approve': 'approve or reject submissions (checker; never one’s own)',
  'consents.read': 'read consent state and history',
  'consents.write': 'record consent events',
  'loyalty.read': 'read points accounts, rules and catalogue',
  'loyalty.write': 'edit earning rules and catalogue, grant points',
  'tasks.read': 'read the RM task list and talking points',
  'tasks.write': 'log task outcomes',
  'dashboard.read': 'read dashboards and reports',
  'imports.read': 'read import runs and quarantine',
  'imports.run': 'run imports and connect sources',
  'identity.review': 'review, merge and unmerge identity matches',
  'audit.read': 'read and verify the audit trail',
  'users.read': 'list users',
  'users.write': 'create users, change roles and branches, disable and unlock accounts',
  'branches.read': 'list branches',
  'branches.write': 'create branches',
  'settings.read': 'read system settings',
  'settings.write': 'change system settings and data retention',
} as const satisfies Record<string, string>;

export type Permission = keyof typeof permissionCatalogue;
export const permissions = Object.keys(permissionCatalogue) as Permission[];

/** The declaration of a route that needs no session. */
export const PUBLIC = 'public';

export function isPermission(name: string): name is Permission {
  return Object.hasOwn(permissionCatalogue, name);
}

/**
 * Role → permissions. Least privilege and separation of duties: the administrator manages users and settings but
 * cannot unmask, export or approve; marketers submit and compliance approves (maker–checker); only compliance and RMs
 * (their own customers) may unmask.
 */
export const rolePermissions: Record<Role, readonly Permission[]> = {
  admin: [
    'auth.self',
    'customers.read',
    'tags.read',
    'audiences.read',
    'models.read',
    'campaigns.read',
    'content.read',
    'compliance.rules.read',
    'consents.read',
    'loyalty.read',
    'dashboard.read',
    'imports.read',
    'imports.run',
    'audit.read',
    'users.read',
    'users.write',
    'branches.read',
    'branches.write',
    'settings.read',
    'settings.write',
  ],
  marketer: [
    'auth.self',
    'customers.read',
    'tags.read',
    'audiences.read',
    'audiences.write',
    'audiences.export',
    'models.read',
    'nba.read',
    'nba.write',
    'campaigns.read',
    'campaigns.write',
    'campaigns.launch',
    'content.read',
    'content.write',
    'compliance.rules.read',
    'compliance.check',
    'approvals.submit',
    'consents.read',
    'loyalty.read',
    'loyalty.write',
    'dashboard.read',
    'branches.read',
  ],
  rm: [
    'auth.self',
    'customers.read',
    'customers.unmask',
    'tags.read',
    'models.read',
    'nba.read',
    'campaigns.read',
    'content.read',
    'compliance.check',
    'consents.read',
    'consents.write',
    'loyalty.read',
    'tasks.read',
    'tasks.write',
    'dashboard.read',
  ],
  compliance: [
    'auth.self',
    'customers.read',
    'customers.unmask',
    'customers.export',
    'customers.erase',
    'tags.read',
    'audiences.read',
    'models.read',
    'nba.read',
    'campaigns.read',
    'content.read',
    'compliance.rules.read',
    'compliance.rules.write',
    'compliance.check',
    'approvals.approve',
    'consents.read',
    'consents.write',
    'loyalty.read',
    'dashboard.read',
    'imports.read',
    'audit.read',
    'users.read',
    'branches.read',
    'settings.read',
  ],
  analyst: [
    'auth.self',
    'customers.read',
    'tags.read',
    'tags.write',
    'tags.refresh',
    'audiences.read',
    'audiences.write',
    'models.read',
    'models.train',
    'nba.read',
    'campaigns.read',
    'content.read',
    'compliance.rules.read',
    'consents.read',
    'loyalty.read',
    'dashboard.read',
    'imports.read',
    'imports.run',
    'identity.review',
    'approvals.submit',
    'branches.read',
  ],
  executive: [
    'auth.self',
    'customers.read',
    'tags.read',
    'audiences.read',
    'models.read',
    'campaigns.read',
    'loyalty.read',
    'dashboard.read',
    'branches.read',
  ],
};

export function isRole(name: string): name is Role {
  return (roles as readonly string[]).includes(name);
}

const granted: Record<Role, ReadonlySet<string>> = {
  admin: new Set(rolePermissions.admin),
  marketer: new Set(rolePermissions.marketer),
  rm: new Set(rolePermissions.rm),
  compliance: new Set(rolePermissions.compliance),
  analyst: new Set(rolePermissions.analyst),
  executive: new Set(rolePermissions.executive),
};

/**
 * May `role` use a route declaring `permission`? `public` is open to everyone (and to no session); an unknown role or a
 * permission missing from the catalogue is denied (fail closed).
 */
export function can(role: string | null | undefined, permission: string): boolean {
  if (permission === PUBLIC) return true;
  if (!role || !isRole(role) || !isPermission(permission)) return false;
  return granted[role].has(permission);
}

/** The permissions of a role, in catalogue order (what `GET /auth/me` reports). */
export function permissionsOf(role: Role): Permission[] {
  return permissions.filter((p) => granted[role].has(p));
}

/** Which customers a user may see. Repositories turn it into SQL (see the server's `scopeSql`). */
export type CustomerScope =
  | { kind: 'all' }
  | { kind: 'branch'; branchIds: readonly string[] }
  | { kind: 'rm'; userId: string };

export interface ScopedUser {
  id: string;
  role: Role;
  /** The user's branch, or null for a bank-wide user. */
  branchId: string | null;
  /** The user's branch and all its descendants (resolved from the branch tree); ignored when `branchId` is null. */
  branchSubtree?: readonly string[];
}

/**
 * Data scope: an RM sees only the customers assigned to them (`rm_user_id`); every other role sees the customers whose
 * home branch is the user's branch or one of its descendants, or the whole bank when the user has no branch.
 */
export function customerScope(user: ScopedUser): CustomerScope {
  if (user.role === 'rm') return { kind: 'rm', userId: user.id };
  if (user.branchId === null) return { kind: 'all' };
  const ids = new Set<string>([user.branchId, ...(user.branchSubtree ?? [])]);
  return { kind: 'branch', branchIds: [...ids].sort() };
}

/** Is a customer with this home branch and RM inside the scope? (The pure twin of the SQL predicate.) */
export function customerInScope(
  scope: CustomerScope,
  customer: { homeBranchId: string | null; rmUserId: string | null },
): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'rm':
      return customer.rmUserId === scope.userId;
    case 'branch':
      return customer.homeBranchId !== null && scope.branchIds.includes(customer.homeBranchId);
  }
}
