/**
 * Synthetic bank generation + load throughput: `npx tsx bench/synth.ts [--customers 1000000] [--seed 42]`.
 *
 * Loads the synthetic bank into fresh stores (PGlite in a temp dir, chDB in a temp dir), then measures the reference:
 * a plain `INSERT INTO <copy of transactions> SELECT … FROM numbers(N)` of the same total row count into chDB in the
 * same run. Prints ONE JSON line:
 * {"bench":"synth","customers":..,"rows":..,"seconds":..,"rows_per_s":..,"reference_rows_per_s":..,"ratio":..}
 * plus the per-phase timings and the peak RSS. Progress goes to stderr.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { openChdbAt } from '../apps/server/src/db/analytics.ts';
import { migrateAnalytics, migrateOperational } from '../apps/server/src/db/migrate.ts';
import { openOperationalDb } from '../apps/server/src/db/operational.ts';
import { loadSyntheticBank } from '../apps/server/src/modules/synth/synth.service.ts';
import { createPiiCipher } from '../apps/server/src/security/crypto.ts';

const argsSchema = z.object({
  customers: z.coerce.number().int().min(1).default(1_000_000),
  seed: z.coerce.number().int().min(0).default(42),
  duplicates: z.boolean().default(true),
});

function parseArgs(argv: string[]): z.infer<typeof argsSchema> {
  const raw: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--customers' || a === '--seed') raw[a.slice(2)] = argv[++i];
    else if (a === '--no-duplicates') raw.duplicates = false;
    else throw new Error(`unknown argument ${a} (use --customers N, --seed S, --no-duplicates)`);
  }
  return argsSchema.parse(raw);
}

const log = (m: string) => process.stderr.write(`bench/synth: ${m}\n`);
const round = (x: number, d = 1) => Number(x.toFixed(d));

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'lingxi-bench-synth-'));
  const op = await openOperationalDb({ dataDir: dir });
  const an = openChdbAt(join(dir, 'ch'));
  try {
    await migrateOperational(op);
    await migrateAnalytics(an);
    const cipher = createPiiCipher(Buffer.alloc(32, 3));
    log(`loading ${args.customers} customers (seed ${args.seed}) into ${dir}…`);
    let lastLog = 0;
    const r = await loadSyntheticBank({ op, an }, cipher, {
      customers: args.customers,
      seed: args.seed,
      duplicates: args.duplicates,
      checksums: false,
      onProgress: (p) => {
        const now = performance.now();
        if (now - lastLog < 15_000 && p.done < p.total) return;
        lastLog = now;
        const rss = Math.round(process.memoryUsage().rss / 1e6);
        log(`${p.phase} ${p.done}/${p.total} customers, ${p.rows} rows, rss ${rss} MB`);
      },
    });
    log(`loaded ${r.totalRows} rows in ${round(r.seconds)} s (${Math.round(r.rowsPerSecond)} rows/s)`);

    // Reference: the same number of rows generated inside chDB by a plain INSERT … SELECT FROM numbers(N).
    await an.command('CREATE TABLE bench_reference AS transactions');
    const n = r.totalRows;
    const t0 = performance.now();
    await an.command(
      `INSERT INTO bench_reference (txn_id, customer_id, account_id, ts, amount_fen, direction, channel, txn_type,
                                    merchant_category, counterparty_type, cross_border)
       SELECT number, toUInt32(number % 1000000) + 1, number % 4000000,
              toDateTime64('2025-07-01 00:00:00', 3, 'UTC') + toIntervalSecond(number % 31536000),
              toInt64(100 + number % 100000), if(number % 3 = 0, 'in', 'out'), 'debit_card',
              if(number % 5 = 0, 'transfer', 'purchase'), if(number % 5 = 0, '', 'dining'), 'merchant', toUInt8(number % 50 = 0)
         FROM numbers(${n})`,
    );
    const refSeconds = (performance.now() - t0) / 1000;
    const reference = n / refSeconds;
    log(`reference insert of ${n} rows in ${round(refSeconds)} s`);
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    process.stdout.write(
      `${JSON.stringify({
        bench: 'synth',
        customers: args.customers,
        rows: r.totalRows,
        seconds: round(r.seconds),
        rows_per_s: Math.round(r.rowsPerSecond),
        reference_rows_per_s: Math.round(reference),
        ratio: round(r.rowsPerSecond / reference, 3),
        transactions: r.rows.transactions ?? 0,
        timings_s: Object.fromEntries(Object.entries(r.timings).map(([k, v]) => [k, round(v)])),
        peak_rss_mb: peakRssMb,
      })}\n`,
    );
  } finally {
    await an.close();
    await op.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
