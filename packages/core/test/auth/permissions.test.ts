import { describe, expect, it } from 'vitest';
import {
  can,
  customerInScope,
  customerScope,
  isPermission,
  permissions,
  permissionsOf,
  rolePermissions,
  roles,
} from '../../src/auth/permissions.ts';

describe('role → permission table', () => {
  it('has a row for every role and only catalogued permissions, without duplicates', () => {
    expect(Object.keys(rolePermissions).sort()).toEqual([...roles].sort());
    for (const role of roles) {
      const list = rolePermissions[role];
      expect(list.filter((p) => !isPermission(p))).toEqual([]);
      expect(new Set(list).size).toBe(list.length);
    }
  });

  it('grants every catalogued permission to at least one role (no dead permissions)', () => {
    const used = new Set(roles.flatMap((r) => rolePermissions[r]));
    expect(permissions.filter((p) => !used.has(p))).toEqual([]);
  });

  it('keeps separation of duties', () => {
    expect(can('admin', 'users.write')).toBe(true);
    expect(can('admin', 'customers.unmask')).toBe(false);
    expect(can('admin', 'approvals.approve')).toBe(false);
    expect(can('marketer', 'approvals.submit')).toBe(true);
    expect(can('marketer', 'approvals.approve')).toBe(false);
    expect(can('compliance', 'approvals.approve')).toBe(true);
    expect(can('rm', 'customers.unmask')).toBe(true);
    expect(can('rm', 'users.read')).toBe(false);
    expect(can('executive', 'customers.unmask')).toBe(false);
    expect(can('analyst', 'audit.read')).toBe(false);
  });

  it('fails closed for unknown roles and permissions; public is open', () => {
    expect(can('root', 'users.read')).toBe(false);
    expect(can(null, 'users.read')).toBe(false);
    expect(can('admin', 'users.delete')).toBe(false);
    expect(can('admin', 'constructor')).toBe(false);
    expect(can('admin', '__proto__')).toBe(false);
    expect(can(undefined, 'public')).toBe(true);
    for (const role of roles) expect(can(role, 'auth.self')).toBe(true);
  });

  it('lists a role’s permissions in catalogue order', () => {
    expect(permissionsOf('executive')).toEqual(permissions.filter((p) => can('executive', p)));
  });
});

describe('customer data scope', () => {
  it('limits an RM to own customers, whatever the branch', () => {
    const scope = customerScope({ id: 'u-rm1', role: 'rm', branchId: 'B1' });
    expect(scope).toEqual({ kind: 'rm', userId: 'u-rm1' });
    expect(customerInScope(scope, { homeBranchId: 'B1', rmUserId: 'u-rm2' })).toBe(false);
    expect(customerInScope(scope, { homeBranchId: 'B9', rmUserId: 'u-rm1' })).toBe(true);
  });

  it('gives branch users their branch subtree and bank-wide users everything', () => {
    const scope = customerScope({ id: 'u', role: 'marketer', branchId: 'B1', branchSubtree: ['B1-1', 'B1'] });
    expect(scope).toEqual({ kind: 'branch', branchIds: ['B1', 'B1-1'] });
    expect(customerInScope(scope, { homeBranchId: 'B1-1', rmUserId: null })).toBe(true);
    expect(customerInScope(scope, { homeBranchId: 'B2', rmUserId: null })).toBe(false);
    expect(customerInScope(scope, { homeBranchId: null, rmUserId: null })).toBe(false);
    for (const role of ['admin', 'marketer', 'compliance', 'analyst', 'executive'] as const) {
      expect(customerScope({ id: 'u', role, branchId: null })).toEqual({ kind: 'all' });
    }
  });
});
