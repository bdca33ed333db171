import type { Command } from 'commander';
import { z } from 'zod';
import { runCommand } from '../../cli/output.ts';
import { createProgress } from '../../cli/progress.ts';
import type { Stores } from '../../db/stores.ts';
import type { PiiCipher } from '../../security/crypto.ts';
import { loadSyntheticBank } from './synth.service.ts';

const optionsSchema = z.object({
  customers: z.coerce
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(16_000_000, 'must be at most 16,000,000'),
  seed: z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(0, 'must be ≥ 0'),
  duplicates: z.boolean().default(false),
  asOf: z.iso.date({ message: 'must be a date YYYY-MM-DD' }).optional(),
});

/**
 * `lingxi synth --customers N --seed S [--duplicates] [--as-of YYYY-MM-DD] [--json]`: generate the deterministic
 * synthetic bank and load it through both stores. Refuses a bank that already has customers (use a fresh data
 * directory). Progress on stderr when it is a terminal; `--json` prints one object with rows and checksums per table,
 * elapsed seconds and rows/s.
 */
export function registerSynthCommands(
  program: Command,
  openStoresFn: () => Promise<{ stores: Stores; cipher: PiiCipher }>,
): void {
  program
    .command('synth')
    .description('generate the deterministic synthetic bank and load it into empty stores')
    .requiredOption('--customers <n>', 'number of customers')
    .option('--seed <s>', 'random seed (same seed → same bank)', '42')
    .option('--duplicates', 'noisy duplicate source records in 2–4 systems for about a third of customers')
    .option('--as-of <date>', 'the simulated "today" (default 2026-06-30)')
    .action(async (raw: Record<string, unknown>, cmd: Command) =>
      runCommand(
        cmd,
        async () => {
          const parsed = optionsSchema.safeParse(raw);
          if (!parsed.success) {
            const i = parsed.error.issues[0];
            const flag = String(i?.path[0] ?? 'option').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
            throw new Error(`--${flag}: ${i?.message ?? 'invalid'}`);
          }
          const o = parsed.data;
          const { stores, cipher } = await openStoresFn();
          const progress = createProgress('synth');
          try {
            const r = await loadSyntheticBank(stores, cipher, {
              customers: o.customers,
              seed: o.seed,
              duplicates: o.duplicates,
              ...(o.asOf ? { asOf: o.asOf } : {}),
              onProgress: (p) =>
                progress.update(p.done, p.total, p.phase === 'generate' ? `customers, ${p.rows} rows` : 'checksums…'),
            });
            progress.stop();
            return {
              ok: true,
              customers: r.customers,
              seed: r.seed,
              asOf: r.asOf,
              duplicates: r.duplicates,
              rows: r.rows,
              checksums: r.checksums,
              totalRows: r.totalRows,
              seconds: Number(r.seconds.toFixed(3)),
              rowsPerSecond: Math.round(r.rowsPerSecond),
              timings: Object.fromEntries(Object.entries(r.timings).map(([k, v]) => [k, Number(v.toFixed(3))])),
            };
          } finally {
            progress.stop();
            await stores.close();
          }
        },
        (r) =>
          `loaded ${r.customers} customers (seed ${r.seed}, as of ${r.asOf}) in ${r.seconds.toFixed(1)} s, ` +
          `${r.rowsPerSecond} rows/s\n${Object.entries(r.rows)
            .map(([t, n]) => `  ${t.padEnd(16)} ${String(n).padStart(12)}  ${r.checksums[t] ?? ''}`)
            .join('\n')}`,
      ),
    );
}
