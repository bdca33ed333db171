/**
 * `lingxi identity …` commands.
 *
 *   identity dedupe --csv <file> --map col=role,… [--id-col c] [--truth pairs.csv] [--threshold p] [--json]
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { formatDedupeReport, runDedupe } from './identity-dedupe.ts';

const cliOptionsSchema = z.object({
  csv: z.string(),
  map: z.string(),
  idCol: z.string().optional(),
  truth: z.string().optional(),
  threshold: z.string().optional(),
  blocking: z.string().optional(),
  json: z.boolean().optional(),
});

export function registerIdentityCommands(program: Command): void {
  const identity = program
    .command('identity')
    .description('Identity resolution (客户识别): deduplicate customer records');
  identity
    .command('dedupe')
    .description('Deduplicate any CSV: deterministic (resident ID, trusted keys) then Fellegi–Sunter matching')
    .requiredOption('--csv <file>', 'CSV file with a header row')
    .requiredOption('--map <pairs>', 'column=role pairs, e.g. given_name=given_name,date_of_birth=birth_date')
    .option('--id-col <column>', 'column holding the record id (default rec_id/id, else the row number)')
    .option('--truth <file>', 'CSV of true duplicate id pairs: prints precision/recall/F1')
    .option('--threshold <p>', 'match probability threshold', '0.9')
    .option('--blocking <rules>', 'comma-separated blocking rule names (default: chosen from the roles)')
    .option('--json', 'print exactly one JSON object on stdout')
    .action(async (raw: unknown) => {
      const parsed = cliOptionsSchema.safeParse(raw);
      const json = parsed.success && parsed.data.json === true;
      try {
        if (!parsed.success) {
          throw new Error(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
        }
        const o = parsed.data;
        const report = await runDedupe({
          csv: o.csv,
          map: o.map,
          idCol: o.idCol,
          truth: o.truth,
          threshold: o.threshold ?? '0.9',
          blocking: o.blocking
            ?.split(',')
            .map((s) => s.trim())
            .filter((s) => s !== ''),
        });
        if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
        else process.stdout.write(`${formatDedupeReport(report)}\n`);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        process.stderr.write(`identity dedupe: ${message}\n`);
        if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: message })}\n`);
        process.exitCode = 1;
      }
    });
}
