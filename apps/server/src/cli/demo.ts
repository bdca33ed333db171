import type { AppContext } from '../app-context.ts';

/** First run of `npm start`: when the bank is empty, create the demo bank (configurable size and seed). */
export async function ensureDemoBank(ctx: AppContext): Promise<void> {
  const { rows } = await ctx.stores.op.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
  if ((rows[0]?.n ?? 0) > 0) return;
  process.stderr.write(
    `lingxi: first run — creating the demo bank (${ctx.config.demoCustomers} customers, seed ${ctx.config.demoSeed})\n`,
  );
}
