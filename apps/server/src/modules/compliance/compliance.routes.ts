import { approvalDecision, ruleParamsUpdate, settingsUpdate } from '@lingxi/contracts/console-compliance';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteModule } from '../../app.ts';
import { signedIn } from '../auth/auth.plugin.ts';
import {
  approvalSubmitSchema,
  configuredDefaults,
  decideApproval,
  eraseCustomer,
  listApprovals,
  ruleHistory,
  rulesView,
  settingsView,
  submitApproval,
  suitability,
  suitabilityRequestSchema,
  updateRuleParams,
  updateSettings,
  withdrawApproval,
} from './compliance.service.ts';

const ruleParams = z.object({ id: z.string().regex(/^[A-Z][0-9]{1,2}$/, 'a rule id such as M13') });
const idParams = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });
const reasonBody = z.object({ reason: z.string().trim().min(5, 'at least 5 characters').max(500) }).strict();

/**
 * The rulebook with its parameters in force (editable by compliance, versioned, audited), system settings,
 * maker–checker approvals (M7), the suitability check (S-rules) and P5 erasure.
 */
export const complianceRoutes: RouteModule = (app, ctx) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/api/v1/compliance/rules',
    {
      config: { permission: 'compliance.rules.read' },
      schema: { tags: ['compliance'], summary: 'The rulebook: every rule with its parameters in force' },
    },
    async () => rulesView(ctx.stores.op),
  );

  typed.put(
    '/api/v1/compliance/rules/:id/parameters',
    {
      config: { permission: 'compliance.rules.write' },
      schema: {
        tags: ['compliance'],
        summary:
          'Change parameters of one rule (validated, tighten-only where the rulebook says; new version; audited)',
        params: ruleParams,
        body: ruleParamsUpdate,
      },
    },
    async (req) => updateRuleParams(ctx, signedIn(req), req.params.id, req.body.values, req.body.reason),
  );

  typed.get(
    '/api/v1/compliance/rules/:id/history',
    {
      config: { permission: 'compliance.rules.read' },
      schema: { tags: ['compliance'], summary: 'Every stored version of a rule’s parameters', params: ruleParams },
    },
    async (req) => ruleHistory(ctx.stores.op, req.params.id),
  );

  typed.get(
    '/api/v1/settings',
    { config: { permission: 'settings.read' }, schema: { tags: ['admin'], summary: 'System settings' } },
    async () => settingsView(ctx.stores.op, configuredDefaults(ctx.config)),
  );

  typed.patch(
    '/api/v1/settings',
    {
      config: { permission: 'settings.write' },
      schema: { tags: ['admin'], summary: 'Change system settings (versioned, audited)', body: settingsUpdate },
    },
    async (req) => updateSettings(ctx, signedIn(req), req.body.values, req.body.reason),
  );

  typed.post(
    '/api/v1/approvals',
    {
      config: { permission: 'approvals.submit' },
      schema: {
        tags: ['compliance'],
        summary:
          'Submit content (checked by the copy checker first) or a campaign for approval (maker); an export is ' +
          'requested on its audience (POST /api/v1/audiences/:id/export-approvals)',
        body: approvalSubmitSchema,
      },
    },
    async (req, reply) => reply.status(201).send(await submitApproval(ctx, signedIn(req), req.body)),
  );

  const statusQuery = z
    .object({ status: z.enum(['pending', 'approved', 'rejected', 'withdrawn']).optional() })
    .strict();
  typed.get(
    '/api/v1/approvals',
    {
      config: { permission: 'approvals.approve' },
      schema: {
        tags: ['compliance'],
        summary: 'The approvals queue (checkers: every submission)',
        querystring: statusQuery,
      },
    },
    async (req) => listApprovals(ctx, signedIn(req), req.query.status),
  );

  typed.get(
    '/api/v1/approvals/mine',
    {
      config: { permission: 'approvals.submit' },
      schema: {
        tags: ['compliance'],
        summary: 'My submissions and their decisions (makers)',
        querystring: statusQuery,
      },
    },
    async (req) => listApprovals(ctx, signedIn(req), req.query.status, true),
  );

  typed.post(
    '/api/v1/approvals/:id/decision',
    {
      config: { permission: 'approvals.approve' },
      schema: {
        tags: ['compliance'],
        summary: 'Approve or reject (compliance role; never one’s own submission; decided versions are immutable)',
        params: idParams,
        body: approvalDecision,
      },
    },
    async (req) => decideApproval(ctx, signedIn(req), req.params.id, req.body.decision, req.body.comment),
  );

  typed.post(
    '/api/v1/approvals/:id/withdraw',
    {
      config: { permission: 'approvals.submit' },
      schema: {
        tags: ['compliance'],
        summary: 'Withdraw one of your own submissions while it is pending (maker); audited',
        params: idParams,
      },
    },
    async (req) => withdrawApproval(ctx, signedIn(req), req.params.id),
  );

  typed.post(
    '/api/v1/compliance/suitability',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['compliance'],
        summary: 'May this product be offered or sold to this customer? (适当性, S1–S12; recorded)',
        body: suitabilityRequestSchema,
      },
    },
    async (req) => suitability(ctx, signedIn(req), req.body),
  );

  typed.post(
    '/api/v1/customers/:id/erasure',
    {
      config: { permission: 'customers.erase' },
      schema: {
        tags: ['compliance'],
        summary: 'P5 erasure: pseudonymise the customer in both stores (audited)',
        params: idParams,
        body: reasonBody,
      },
    },
    async (req) => eraseCustomer(ctx, signedIn(req), req.params.id, req.body.reason),
  );
};
