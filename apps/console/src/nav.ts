/** The console's pages, each with the permission (any of) that shows it in the navigation and lets it load. */
export interface NavPage {
  key: string;
  path: string;
  /** i18n key of the page name (menu entry and document title). */
  title: string;
  anyOf: string[];
  group?: 'compliance' | 'admin';
}

export const navPages: NavPage[] = [
  { key: 'cockpit', path: '/cockpit', title: 'nav.cockpit', anyOf: ['dashboard.read'] },
  { key: 'customers', path: '/customers', title: 'nav.customers', anyOf: ['customers.read'] },
  { key: 'tags', path: '/tags', title: 'nav.tags', anyOf: ['tags.read'] },
  { key: 'audiences', path: '/audiences', title: 'nav.audiences', anyOf: ['audiences.read'] },
  { key: 'models', path: '/models', title: 'nav.models', anyOf: ['models.read'] },
  {
    key: 'rules',
    path: '/compliance/rules',
    title: 'nav.rules',
    anyOf: ['compliance.rules.read'],
    group: 'compliance',
  },
  {
    key: 'checker',
    path: '/compliance/checker',
    title: 'nav.checker',
    anyOf: ['compliance.check'],
    group: 'compliance',
  },
  {
    key: 'approvals',
    path: '/compliance/approvals',
    title: 'nav.approvals',
    anyOf: ['approvals.approve', 'approvals.submit'],
    group: 'compliance',
  },
  {
    key: 'consents',
    path: '/compliance/consents',
    title: 'nav.consents',
    anyOf: ['consents.read'],
    group: 'compliance',
  },
  { key: 'audit', path: '/compliance/audit', title: 'nav.audit', anyOf: ['audit.read'], group: 'compliance' },
  { key: 'users', path: '/admin/users', title: 'nav.users', anyOf: ['users.read'], group: 'admin' },
  { key: 'branches', path: '/admin/branches', title: 'nav.branches', anyOf: ['branches.read'], group: 'admin' },
  { key: 'settings', path: '/admin/settings', title: 'nav.settings', anyOf: ['settings.read'], group: 'admin' },
];

export function allowed(page: NavPage, can: (p: string) => boolean): boolean {
  return page.anyOf.some(can);
}
