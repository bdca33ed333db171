import type { AppContext } from '../app-context.ts';
import { resolveSourceRecords } from '../modules/golden/resolve.service.ts';
import { loadSyntheticBank } from '../modules/synth/synth.service.ts';
import { localToday, refreshTags } from '../modules/tags/tags.service.ts';
import { createDemoUsers } from '../modules/users/users.service.ts';

/**
 * First run of `npm start`: when the bank is empty, create the demo bank — the synthetic bank (configurable size and
 * seed, with noisy duplicate source records, history ending today in Asia/Shanghai), identity resolution of the
 * duplicates, one user per role, and a first tag
 * refresh (which builds the bitmap index). The demo users' passwords are printed once, on stderr, as a table and as one
 * machine-readable line (`lingxi-demo-credentials {...}`) for scripts.
 */
export async function ensureDemoBank(ctx: AppContext): Promise<void> {
  const { rows } = await ctx.stores.op.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
  if ((rows[0]?.n ?? 0) > 0) return;
  const say = (m: string) => process.stderr.write(`lingxi: ${m}\n`);
  const asOf = localToday(ctx.config.timezone);
  say(
    `first run — creating the demo bank (${ctx.config.demoCustomers} customers, seed ${ctx.config.demoSeed}, as of ${asOf})`,
  );
  const report = await loadSyntheticBank(ctx.stores, ctx.cipher, {
    customers: ctx.config.demoCustomers,
    seed: ctx.config.demoSeed,
    duplicates: true,
    asOf,
  });
  say(`demo bank loaded in ${report.seconds.toFixed(1)} s (${report.rows.transactions ?? 0} transactions)`);
  const resolved = await resolveSourceRecords({ op: ctx.stores.op, cipher: ctx.cipher });
  say(
    `identity resolution linked ${resolved.linked} duplicate source records, ${resolved.reviewQueued} pairs await review`,
  );
  const credentials = await createDemoUsers(ctx);
  const refresh = await refreshTags(ctx, { asOf });
  say(
    `${refresh.tags} tags refreshed as of ${asOf} in ${(refresh.durationMs / 1000).toFixed(1)} s; bitmap index built`,
  );
  if (credentials.length > 0) {
    say('demo users (shown once — note them down):');
    for (const c of credentials) say(`  ${c.role.padEnd(11)} ${c.username.padEnd(12)} ${c.password}`);
    const byRole: Record<string, { username: string; password: string }> = {};
    for (const c of credentials) {
      const key = c.role === 'rm' && byRole.rm ? 'rm2' : c.role;
      byRole[key] = { username: c.username, password: c.password };
    }
    process.stderr.write(`lingxi-demo-credentials ${JSON.stringify(byRole)}\n`);
  }
}
