import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from './import.service.ts';
import { customerFixture, openTestEnv, type TestEnv, writeCsv } from './import.test-support.ts';

const ROWS = 200_000;
const CUSTOMERS = 200;

async function writeTransactions(path: string): Promise<void> {
  const out = createWriteStream(path);
  const write = (s: string) =>
    new Promise<void>((resolve) => {
      if (out.write(s)) resolve();
      else out.once('drain', () => resolve());
    });
  await write(
    'txn_id,cif,account_id,ts,amount,direction,channel,txn_type,merchant_category,counterparty_type,cross_border,memo\n',
  );
  const cats = ['dining', 'travel', 'retail', 'education', 'health'];
  // an unmapped free-text column: parsed, then dropped — it makes holding the whole file in memory obvious
  const memo = 'x'.repeat(150);
  let chunk = '';
  for (let i = 1; i <= ROWS; i++) {
    const c = customerFixture(i % CUSTOMERS).cif;
    const day = String((i % 28) + 1).padStart(2, '0');
    const sec = String(i % 60).padStart(2, '0');
    const yuan = `${(i * 37) % 5000}.${String(i % 100).padStart(2, '0')}`;
    chunk += `${i},${c},${1000 + (i % CUSTOMERS)},2026-01-${day} 12:00:${sec},${yuan},${i % 5 === 0 ? 'in' : 'out'},pos,purchase,${cats[i % 5]},merchant,${i % 97 === 0 ? 1 : 0},${memo}${i}\n`;
    if (i % 5000 === 0) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

describe('runImport streams large files', () => {
  let env: TestEnv;
  let file: string;
  beforeAll(async () => {
    env = await openTestEnv();
    const customers = join(env.dir, 'customers.csv');
    writeCsv(
      customers,
      ['cif', 'name', 'gender', 'birth_date', 'id_number', 'province', 'city'],
      Array.from({ length: CUSTOMERS }, (_, i) => {
        const c = customerFixture(i);
        return [c.cif, c.name, c.gender, c.birthDate, c.idNumber, '浙江省', '杭州市'];
      }),
    );
    const r = await runImport(env, env.cipher, { source: 'core_banking_customers', file: customers });
    expect(r.rowsLoaded).toBe(CUSTOMERS);
    file = join(env.dir, 'transactions_200k.csv');
    await writeTransactions(file);
  });
  afterAll(async () => env.dispose());

  it(`imports ${ROWS.toLocaleString('en')} transactions without the resident set ballooning`, async () => {
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    let peakAtQuarter = 0;
    let rows = 0;
    const sample = () => {
      peak = Math.max(peak, process.memoryUsage().rss);
      if (rows <= ROWS / 4) peakAtQuarter = peak;
    };
    const sampler = setInterval(sample, 20);
    let progressCalls = 0;
    const report = await runImport(
      env,
      env.cipher,
      { source: 'transactions', file },
      {
        onProgress: (p) => {
          progressCalls++;
          rows = p.rows;
          sample();
          expect(p.fraction).toBeGreaterThanOrEqual(0);
          expect(p.fraction).toBeLessThanOrEqual(1);
        },
      },
    );
    clearInterval(sampler);
    sample();
    expect(report).toMatchObject({ status: 'completed', rowsTotal: ROWS, rowsLoaded: ROWS, rowsQuarantined: 0 });
    expect(progressCalls).toBeGreaterThan(10);
    const n = await env.an.query<{ n: number }>('SELECT toUInt32(count()) AS n FROM transactions');
    expect(n[0]?.n).toBe(ROWS);
    const mb = (b: number) => b / 2 ** 20;
    process.stderr.write(
      `import.stream: ${ROWS} rows in ${report.seconds} s (${Math.round(ROWS / report.seconds)} rows/s); RSS growth ` +
        `${mb(peakAtQuarter - baseline).toFixed(0)} MB after the first quarter, ${mb(peak - baseline).toFixed(0)} MB at the end\n`,
    );
    // Streaming in 20k-row batches: after the first quarter of the file, memory only swings with the garbage
    // collector. Holding the file instead (~60 MB of text, 200k parsed rows with their values) would add several
    // hundred MB and keep growing with every row.
    expect(mb(peak - baseline)).toBeLessThan(400);
    expect(mb(peak - peakAtQuarter)).toBeLessThan(160);
  });
});
