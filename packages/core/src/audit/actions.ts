/**
 * Every action the audit trail records, `<module>.<verb>`. `appendAudit` accepts only these, so a new action is added
 * here first — and the console's i18n test then asks for its zh-CN and en label (the audit page shows labels, with the
 * code beside them for filtering).
 */
export const AUDIT_ACTIONS = [
  'approvals.approved',
  'approvals.rejected',
  'approvals.submitted',
  'audience.created',
  'audience.deleted',
  'audience.exported',
  'audience.frozen',
  'audience.sampled',
  'audience.updated',
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.password_change',
  'branch.create',
  'compliance.rule_params_changed',
  'compliance.suitability_checked',
  'consents.imported',
  'consents.recorded',
  'consents.sms_opt_out',
  'consents.viewed',
  'customer.erased',
  'customer.list',
  'customer.search',
  'customer.unmask',
  'customer.view',
  'h5.link_created',
  'identity.merge',
  'identity.resolve',
  'identity.review',
  'identity.unmerge',
  'retention.contacts_pruned',
  'risk_assessment.completed',
  'risk_assessment.refused',
  'settings.changed',
  'tags.customer_opt_out',
  'tags.defined',
  'tags.redefined',
  'tags.retired',
  'user.create',
  'user.update',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
