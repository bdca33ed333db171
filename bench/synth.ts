/**
 * Synthetic bank generation + load throughput, against a reference measured in the same run: a plain
 * `INSERT INTO … SELECT … FROM numbers(N)` of the same number of transaction rows into chDB.
 * Usage: npx tsx bench/synth.ts [--customers 1000000] [--seed 42]
 * Prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openChdbAt } from '../apps/server/src/db/analytics.ts';
import { migrateAnalytics, migrateOperational } from '../apps/server/src/db/migrate.ts';
import { openOperationalDb } from '../apps/server/src/db/operational.ts';
import { loadSyntheticBank } from '../apps/server/src/modules/simbank/simbank.service.ts';
import { createPiiCipher } from '../apps/server/src/security/crypto.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const customers = arg('customers', 1_000_000);
const seed = arg('seed', 42);
const dir = mkdtempSync(join(tmpdir(), 'lingxi-bench-synth-'));
try {
  const op = await openOperationalDb({ dataDir: dir });
  const an = openChdbAt(join(dir, 'ch'));
  await migrateOperational(op);
  await migrateAnalytics(an);
  const stores = { op, an, close: async () => {} };
  const cipher = createPiiCipher(Buffer.alloc(32, 1));
  let lastLog = 0;
  const report = await loadSyntheticBank(stores, cipher, {
    customers,
    seed,
    duplicates: true,
    batchSize: 5000,
    onProgress: (done, total) => {
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        process.stderr.write(`synth: ${done}/${total} customers\n`);
      }
    },
  });
  const rows = Object.values(report.rows).reduce((a, n) => a + n, 0);
  const txns = report.rows.transactions ?? 0;

  await an.command('CREATE TABLE ref_transactions AS transactions');
  const r0 = performance.now();
  await an.command(
    `INSERT INTO ref_transactions SELECT number, number % {c:UInt32}, number, toDateTime64('2026-01-01', 3, 'UTC') + number % 31536000,
            number % 100000, if(number % 2 = 0, 'out', 'in'), 'pos', 'purchase', 'dining', 'merchant', 0, ''
       FROM numbers({n:UInt64})`,
    { c: customers, n: rows },
  );
  const refSeconds = (performance.now() - r0) / 1000;
  const refRowsPerS = rows / refSeconds;
  await an.close();
  await op.close();
  process.stdout.write(
    `${JSON.stringify({
      bench: 'synth',
      customers,
      transactions: txns,
      transactions_per_customer: Number((txns / customers).toFixed(1)),
      rows,
      seconds: Number(report.seconds.toFixed(1)),
      rows_per_s: Math.round(report.rowsPerSecond),
      reference_rows_per_s: Math.round(refRowsPerS),
      ratio: Number((refRowsPerS / report.rowsPerSecond).toFixed(2)),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    })}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
