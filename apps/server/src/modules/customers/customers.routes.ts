import { customerSearchResponse, customerSummary, unmaskResponse } from '@lingxi/contracts/console-customers';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteModule } from '../../app.ts';
import { signedIn } from '../auth/auth.plugin.ts';
import {
  customerProfile,
  listCustomers,
  searchCustomers,
  unmaskableFields,
  unmaskCustomer,
} from './customers.service.ts';

const profile = customerSummary.extend({
  birthDate: z.string(),
  province: z.string(),
  cityTier: z.number().int(),
  occupation: z.string(),
  education: z.string().nullable(),
  maritalStatus: z.string().nullable(),
  onboardedAt: z.string().nullable(),
  riskAssessedAt: z.string().nullable(),
  investorClass: z.string(),
  investmentExperience: z.boolean(),
  flags: z.array(z.string()),
  personalisedMarketing: z.boolean(),
  mergedInto: z.number().int().nullable(),
});

const idParams = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

/**
 * Customer search, masked profile and the audited unmask. Out-of-scope and unknown customers are both 404 so that
 * existence does not leak. (The customer 360 view lives in its own module.)
 */
export const customersRoutes: RouteModule = (app, ctx) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/api/v1/customers',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['customers'],
        summary: 'Find customers in your scope (masked)',
        description:
          '`q`: exact name, masked mobile (`138****1234`), last 4 mobile digits, full mobile, ID number, CIF or ' +
          'customer number. Without `q`: the customers in scope by id, paged with `after` (the `nextAfter` of the ' +
          'previous page). Results are masked; an RM sees only own customers.',
        querystring: z
          .object({
            q: z.string().trim().min(1).max(100).optional(),
            after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          })
          .strict(),
        response: { 200: customerSearchResponse },
      },
    },
    async (req) =>
      req.query.q === undefined
        ? listCustomers(ctx, signedIn(req), req.query.after, req.query.limit)
        : searchCustomers(ctx, signedIn(req), req.query.q, req.query.limit),
  );

  typed.get(
    '/api/v1/customers/:id',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['customers'],
        summary: 'Masked profile of a customer in your scope (404 when unknown or out of scope)',
        params: idParams,
        response: { 200: profile },
      },
    },
    async (req) => customerProfile(ctx, signedIn(req), req.params.id),
  );

  typed.post(
    '/api/v1/customers/:id/unmask',
    {
      config: { permission: 'customers.unmask' },
      schema: {
        tags: ['customers'],
        summary: 'Reveal name, mobile or ID number with a stated reason (audited before the data is returned)',
        params: idParams,
        body: z
          .object({
            fields: z.array(z.enum(unmaskableFields)).min(1).max(3),
            reason: z.string().trim().min(5, 'state why you need the clear value (at least 5 characters)').max(500),
          })
          .strict(),
        response: { 200: unmaskResponse },
      },
    },
    async (req) => unmaskCustomer(ctx, signedIn(req), req.params.id, req.body.fields, req.body.reason),
  );
};
