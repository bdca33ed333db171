import type { Command } from 'commander';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { CliError, runCommand } from '../../cli/output.ts';
import { HttpProblem } from '../../http/problem.ts';
import { branchIdSchema, cliActor, createUser, roleSchema, usernameSchema } from './users.service.ts';

const createArgs = z.object({
  username: usernameSchema,
  role: roleSchema,
  branch: branchIdSchema.optional(),
  password: z.string().min(1).optional(),
  displayName: z.string().trim().min(1).max(100).optional(),
});

/**
 * `lingxi users create --username u --role r [--branch b] [--password p] [--display-name n] [--json]`: creates a staff
 * user; without `--password` a strong password is generated and printed once. Audited as actor `cli`.
 */
export function registerUserCommands(program: Command, openCtx: () => Promise<AppContext>): void {
  const users = program.command('users').description('staff users');
  users
    .command('create')
    .description('create a user; prints a generated password once unless --password is given')
    .requiredOption('--username <username>', 'sign-in name (lower case)')
    .requiredOption('--role <role>', 'admin | marketer | rm | compliance | analyst | executive')
    .option('--branch <branchId>', 'branch (omit for a bank-wide user)')
    .option('--password <password>', 'initial password (≥ 12 characters, 3 of 4 classes); generated when omitted')
    .option('--display-name <name>', 'display name (defaults to the username)')
    .action(async (opts: Record<string, unknown>, cmd: Command) =>
      runCommand(
        cmd,
        async () => {
          const parsed = createArgs.safeParse(opts);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            throw new CliError(`--${String(issue?.path[0] ?? 'argument')}: ${issue?.message ?? 'invalid'}`);
          }
          const a = parsed.data;
          const ctx = await openCtx();
          try {
            const r = await createUser(ctx, cliActor, {
              username: a.username,
              role: a.role,
              branchId: a.branch ?? null,
              password: a.password,
              displayName: a.displayName,
            });
            return {
              ok: true,
              user: r.user,
              ...(r.generatedPassword ? { generatedPassword: r.generatedPassword } : {}),
            };
          } catch (err) {
            if (err instanceof HttpProblem)
              throw new CliError(err.message, err.errors ? { errors: err.errors } : undefined);
            throw err;
          } finally {
            await ctx.stores.close();
          }
        },
        (r) =>
          `created user ${r.user.username} (${r.user.id}, role ${r.user.role}${r.user.branchId ? `, branch ${r.user.branchId}` : ''})` +
          (r.generatedPassword ? `\npassword (shown once): ${r.generatedPassword}` : ''),
      ),
    );
}
