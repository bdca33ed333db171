import type { Command } from 'commander';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { runCommand } from '../../cli/output.ts';
import { createProgress } from '../../cli/progress.ts';
import { bankChecksums, loadSyntheticBank } from './simbank.service.ts';

const optionsSchema = z.object({
  customers: z.coerce.number().int().min(1, 'must be at least 1').max(5_000_000, 'must be at most 5,000,000'),
  seed: z.coerce.number().int(),
  duplicates: z.boolean().default(false),
  asOf: z.iso.date({ message: 'must be a date YYYY-MM-DD' }).optional(),
});

/** `lingxi synth --customers N --seed S [--duplicates] [--as-of D]`: load the deterministic synthetic bank. */
export function registerSynthCommands(program: Command, openCtx: () => Promise<AppContext>): void {
  program
    .command('synth')
    .description('generate the deterministic synthetic bank and load it through the stores (empty bank only)')
    .requiredOption('--customers <n>', 'number of customers')
    .option('--seed <s>', 'random seed', '42')
    .option('--duplicates', 'add noisy duplicate source records for about a third of customers')
    .option('--as-of <date>', 'the simulated "today" (default 2026-06-30)')
    .action(async (raw: Record<string, unknown>, cmd: Command) =>
      runCommand(
        cmd,
        async () => {
          const parsed = optionsSchema.safeParse(raw);
          if (!parsed.success) {
            const i = parsed.error.issues[0];
            throw new Error(`--${String(i?.path[0] ?? 'option')}: ${i?.message ?? 'invalid'}`);
          }
          const o = parsed.data;
          const ctx = await openCtx();
          const progress = createProgress('synth');
          try {
            const report = await loadSyntheticBank(ctx.stores, ctx.cipher, {
              customers: o.customers,
              seed: o.seed,
              duplicates: o.duplicates,
              ...(o.asOf ? { asOf: o.asOf } : {}),
              onProgress: (done, total) => progress.update(done, total, 'customers'),
            });
            progress.stop();
            const checksums = await bankChecksums(ctx.stores);
            return { ok: true, seed: o.seed, ...report, checksums };
          } finally {
            progress.stop();
            await ctx.stores.close();
          }
        },
        (r) =>
          `loaded ${r.customers} customers (as of ${r.asOf}) in ${r.seconds.toFixed(1)} s, ${Math.round(r.rowsPerSecond)} rows/s\n` +
          Object.entries(r.rows)
            .map(([t, n]) => `  ${t.padEnd(16)} ${n}`)
            .join('\n'),
      ),
    );
}
