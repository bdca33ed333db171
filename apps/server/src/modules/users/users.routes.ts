import { branchList, branchView, userList, userWithPassword } from '@lingxi/contracts/console-auth';
import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteModule } from '../../app.ts';
import { HttpProblem } from '../../http/problem.ts';
import { PASSWORD_MAX_LENGTH } from '../auth/password.ts';
import { listBranches } from './users.repo.ts';
import {
  type Actor,
  branchIdSchema,
  createBranch,
  createUser,
  listUsers,
  roleSchema,
  toBranchView,
  updateUser,
  userActor,
  usernameSchema,
} from './users.service.ts';

function actorOf(req: FastifyRequest): Actor {
  if (!req.user) throw new HttpProblem(401, 'Unauthorized', 'sign in first');
  return userActor(req.user);
}

/** Users and branches administration (`users.read/write`, `branches.read/write`). */
export const usersRoutes: RouteModule = (app, ctx) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/api/v1/users',
    {
      config: { permission: 'users.read' },
      schema: {
        tags: ['users'],
        summary: 'List users (a branch administrator sees their branch subtree)',
        querystring: z.object({ role: roleSchema.optional() }).strict(),
        response: { 200: userList },
      },
    },
    async (req) => ({ users: await listUsers(ctx, actorOf(req), { role: req.query.role }) }),
  );

  typed.post(
    '/api/v1/users',
    {
      config: { permission: 'users.write' },
      schema: {
        tags: ['users'],
        summary: 'Create a user (omit password to generate one, returned once)',
        body: z
          .object({
            username: usernameSchema,
            displayName: z.string().trim().min(1).max(100).optional(),
            role: roleSchema,
            branchId: branchIdSchema.nullable().optional(),
            password: z.string().min(1).max(PASSWORD_MAX_LENGTH).optional(),
          })
          .strict(),
        response: { 201: userWithPassword },
      },
    },
    async (req, reply) => {
      const r = await createUser(ctx, actorOf(req), req.body);
      return reply.status(201).send(r);
    },
  );

  typed.patch(
    '/api/v1/users/:id',
    {
      config: { permission: 'users.write' },
      schema: {
        tags: ['users'],
        summary: 'Change role or branch, disable/enable, unlock, or reset the password of a user',
        params: z.object({ id: z.string().min(1).max(100) }),
        body: z
          .object({
            role: roleSchema.optional(),
            branchId: branchIdSchema.nullable().optional(),
            disabled: z.boolean().optional(),
            unlock: z.literal(true).optional(),
            resetPassword: z.literal(true).optional(),
          })
          .strict()
          .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' }),
        response: { 200: userWithPassword },
      },
    },
    async (req) => updateUser(ctx, actorOf(req), req.params.id, req.body),
  );

  typed.get(
    '/api/v1/branches',
    {
      config: { permission: 'branches.read' },
      schema: {
        tags: ['branches'],
        summary: 'List branches',
        response: { 200: branchList },
      },
    },
    async () => ({ branches: (await listBranches(ctx.stores.op)).map(toBranchView) }),
  );

  typed.post(
    '/api/v1/branches',
    {
      config: { permission: 'branches.write' },
      schema: {
        tags: ['branches'],
        summary: 'Create a branch',
        body: z
          .object({
            id: branchIdSchema,
            nameZh: z.string().trim().min(1).max(100),
            nameEn: z.string().trim().min(1).max(100),
            province: z.string().trim().min(1).max(50),
            city: z.string().trim().min(1).max(50),
            parentId: branchIdSchema.nullable().optional(),
          })
          .strict(),
        response: { 201: branchView },
      },
    },
    async (req, reply) => reply.status(201).send(await createBranch(ctx, actorOf(req), req.body)),
  );
};
