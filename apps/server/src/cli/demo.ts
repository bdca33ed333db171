import type { AppContext } from '../app-context.ts';
import { createAudience, requestExportApproval } from '../modules/audiences/audiences.service.ts';
import { userForLogin } from '../modules/auth/auth.repo.ts';
import type { AuthUser } from '../modules/auth/auth.service.ts';
import { submitApproval } from '../modules/compliance/compliance.service.ts';
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
  await seedDemoApprovals(ctx);
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

/**
 * A few submissions by the demo marketer so the compliance officer's approvals queue is not empty on first run: a
 * wealth-product SMS that passes the copy checker, a campaign, and a saved audience of new customers whose export
 * awaits the checker (M7, P10). Runs after the first tag refresh, which the audience is counted on.
 */
async function seedDemoApprovals(ctx: AppContext): Promise<void> {
  const marketer = await userForLogin(ctx.stores.op, 'marketer');
  if (!marketer) return;
  const user: AuthUser = {
    id: marketer.id,
    username: marketer.username,
    displayName: marketer.display_name,
    role: 'marketer',
    branchId: marketer.branch_id,
    branchSubtree: [],
  };
  await submitApproval(ctx, user, {
    kind: 'content',
    title: '四季度稳健理财新品短信',
    payload: {
      text:
        '【灵犀银行】稳健理财新品上线，业绩比较基准2.8%-3.2%，业绩比较基准不代表未来表现，' +
        '理财非存款、产品有风险、投资须谨慎。拒收请回复R',
      productType: 'wealth',
      channel: 'sms',
    },
  });
  await submitApproval(ctx, user, {
    kind: 'campaign',
    title: '沉睡客户唤醒活动（12 月推送）',
    payload: { audience: 'lifecycle.stage = dormant', channel: 'push', start: 'December' },
  });
  const audience = await createAudience(
    ctx,
    { name: '新客户欢迎', purpose: 'marketing', expression: { tag: 'lifecycle.stage', op: 'eq', value: 'new' } },
    user,
  );
  await requestExportApproval(ctx, audience.id, user, {
    title: '新客户名单（脱敏）导出',
    reason: '新客户首月欢迎回访，由分行理财经理电话联系',
  });
}
