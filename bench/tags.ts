/**
 * Tag factory benchmark: `npx tsx bench/tags.ts [--customers 1000000] [--data-dir DIR]`.
 * Loads a bank into temp stores (the synthetic bank module when present, else a SQL generator of the same tables),
 * or, with `--data-dir`, reuses the stores of a data directory (e.g. one filled once by `LINGXI_DATA_DIR=DIR npx lingxi
 * synth --customers N --as-of 2026-03-31`; an empty directory is filled first and kept for the next run);
 * refreshes the full catalogue, and compares with a reference measured in the same run: one `GROUP BY customer_id`
 * scan per source table the catalogue uses. Then counts a 10-condition audience with the bitmap index and with
 * ClickHouse SQL over the tag table. Prints ONE JSON line on stdout; progress goes to stderr.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { AppContext } from '../apps/server/src/app-context.ts';
import { configSchema } from '../apps/server/src/config.ts';
import { type AnalyticsDb, openAnalyticsDb } from '../apps/server/src/db/analytics.ts';
import { migrateAnalytics, migrateOperational } from '../apps/server/src/db/migrate.ts';
import { openMemoryOperationalDb, openOperationalDb } from '../apps/server/src/db/operational.ts';
import { createLogger } from '../apps/server/src/logger.ts';
import { countAudience, sqlCountAudience } from '../apps/server/src/modules/audiences/audiences.service.ts';
import { getTagIndexHolder } from '../apps/server/src/modules/tags/tag-index.ts';
import { loadCatalogue, loadTagIndex, refreshTags } from '../apps/server/src/modules/tags/tags.service.ts';
import { createPiiCipher } from '../apps/server/src/security/crypto.ts';
import { getSource } from '../packages/core/src/tags/registry.ts';

const args = z
  .object({
    customers: z.coerce.number().int().min(100).default(1_000_000),
    txnsPerCustomer: z.coerce.number().int().min(1).default(20),
    dataDir: z.string().min(1).optional(),
  })
  .parse(
    Object.fromEntries(
      process.argv
        .slice(2)
        .map((a, i, all) =>
          a.startsWith('--') ? [a.slice(2).replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()), all[i + 1]] : null,
        )
        .filter((x): x is [string, string] => x !== null),
    ),
  );

const AS_OF = '2026-03-31';
const log = (m: string) => process.stderr.write(`bench/tags: ${m}\n`);
const secs = (ms: number) => Math.round(ms) / 1000;

/** A bank of the given size generated in SQL (same tables the synthetic bank fills). */
async function generateBank(an: AnalyticsDb, n: number, txnsPer: number): Promise<void> {
  const h = (salt: number) => `cityHash64(number, ${salt})`;
  await an.command(
    `INSERT INTO dim_customers (customer_id, gender, birth_date, province, city, city_tier, county_level, occupation, industry,
        employer_type, education, marital_status, children_count, housing, city_since, monthly_income_fen, onboarded_at,
        home_branch_id, rm_user_id, risk_level, risk_assessed_at, investment_experience, flags, personalised_marketing, status, version)
     SELECT number + 1, if(${h(1)} % 2 = 0, 'M', 'F'), toDate32('1945-01-01') + ${h(2)} % 25000, 'P' || toString(${h(3)} % 31),
        'C' || toString(${h(4)} % 300), 1 + ${h(5)} % 4, ${h(6)} % 5 = 0,
        ['engineer','teacher','farmer','business_owner','clerk','retired'][1 + ${h(7)} % 6],
        ['it','agriculture','finance','education','retail'][1 + ${h(8)} % 5], 'private', 'bachelor', 'married', ${h(9)} % 3,
        ['own','rent','family'][1 + ${h(10)} % 3], toDate32('2000-01-01') + ${h(11)} % 9000, 300000 + ${h(12)} % 5000000,
        if(${h(13)} % 12 = 0, NULL, toDate('2012-01-01') + ${h(14)} % 5200), 'B' || toString(${h(15)} % 200), '',
        ['C1','C2','C3','C4','C5',''][1 + ${h(16)} % 6], if(${h(16)} % 6 = 5, NULL, toDateTime64('2024-01-01 00:00:00', 3, 'UTC') + toIntervalDay(${h(17)} % 800)),
        ${h(18)} % 2, if(${h(19)} % 500 = 0, ['fraud_restricted'], []), ${h(20)} % 10 != 0, if(${h(21)} % 50 = 0, 'closed', 'active'), 1
       FROM numbers(${n})`,
  );
  const m = n * txnsPer;
  await an.command(
    `INSERT INTO transactions (txn_id, customer_id, account_id, ts, amount_fen, direction, channel, txn_type, merchant_category,
        counterparty_type, cross_border)
     SELECT number, 1 + ${h(30)} % ${n}, 0, toDateTime64('2026-03-31 15:00:00', 3, 'UTC') - toIntervalSecond(${h(31)} % (400 * 86400)),
        100 + ${h(32)} % 500000, if(${h(33)} % 5 = 0, 'in', 'out'), if(${h(34)} % 4 = 0, 'credit_card', 'app'),
        ['purchase','purchase','purchase','transfer','salary','fee','redemption'][1 + ${h(35)} % 7],
        ['dining','travel','supermarket','digital','education','maternity','health','auto','green','beauty'][1 + ${h(36)} % 10],
        if(${h(37)} % 6 = 0, 'wallet', 'merchant'), ${h(38)} % 40 = 0
       FROM numbers(${m})`,
  );
  await an.command(
    `INSERT INTO app_events (event_id, customer_id, ts, event_type, page, product_id, product_family, session_id, duration_s, device_id, ip)
     SELECT number, 1 + ${h(40)} % ${n}, toDateTime64('2026-03-31 15:00:00', 3, 'UTC') - toIntervalSecond(${h(41)} % (120 * 86400)),
        ['login','login','product_view','product_view','search','purchase','push_opt_in'][1 + ${h(42)} % 7], 'home',
        'P' || toString(${h(43)} % 40), ['deposit','wealth','fund','insurance','consumer_loan','credit_card'][1 + ${h(44)} % 6],
        '', ${h(45)} % 600, '', ''
       FROM numbers(${Math.round(m / 2)})`,
  );
  await an.command(
    `INSERT INTO holdings_daily (date, customer_id, product_id, product_family, balance_fen)
     SELECT toLastDayOfMonth(addMonths(toDate('2026-03-31'), -toInt32(number % 13))), 1 + intDiv(number, 13) % ${n},
        ['D','W','F'][1 + intDiv(number, 13 * ${n}) % 3], ['deposit','wealth','fund'][1 + intDiv(number, 13 * ${n}) % 3],
        cityHash64(intDiv(number, 13)) % 200000000 + (number % 13) * 10000
       FROM numbers(${n * 13 * 2})`,
  );
  await an.command(
    `INSERT INTO contacts (contact_id, customer_id, ts, channel, purpose, campaign_id, action_id, template_version, outcome, response_ts, nps, rule_ids)
     SELECT number, 1 + ${h(50)} % ${n}, toDateTime64('2026-03-31 00:00:00', 3, 'UTC') - toIntervalSecond(${h(51)} % (400 * 86400)),
        ['sms','call','push','wechat'][1 + ${h(52)} % 4], ['marketing','service','complaint','referral'][1 + ${h(53)} % 4], '', '', '',
        ['accepted','ignored','declined'][1 + ${h(54)} % 3], NULL, if(${h(55)} % 5 = 0, toInt8(${h(56)} % 11), NULL), []
       FROM numbers(${n * 2})`,
  );
  await an.command(
    `INSERT INTO dim_accounts SELECT number + 1, 1 + number % ${n}, ['savings','payroll','business'][1 + ${h(60)} % 3],
        toDate('2012-01-01') + ${h(61)} % 5000, NULL, ${h(62)} % 10000000, 'open', 1 FROM numbers(${Math.round(n * 1.2)})`,
  );
  await an.command(
    `INSERT INTO dim_holdings SELECT number + 1, 1 + ${h(70)} % ${n}, 'W' || toString(${h(71)} % 50), ['deposit','wealth','fund','insurance'][1 + ${h(72)} % 4],
        ${h(73)} % 100000000, toDateTime64('2025-01-01 00:00:00', 3, 'UTC') + toIntervalDay(${h(74)} % 450),
        toDate('2026-03-01') + ${h(75)} % 200, NULL, 'active', 1 FROM numbers(${n})`,
  );
  await an.command(
    `INSERT INTO dim_cards SELECT number + 1, 1 + ${h(80)} % ${n}, 'CC1', toDate('2024-01-01') + ${h(81)} % 800,
        if(${h(82)} % 4 = 0, NULL, toDate('2024-02-01') + ${h(83)} % 780), 5000000, ${h(84)} % 2, 'active', 1 FROM numbers(${Math.round(n * 0.4)})`,
  );
  await an.command(
    `INSERT INTO dim_loans SELECT number + 1, 1 + ${h(90)} % ${n}, 'L1', ['consumer_loan','mortgage','car_loan','business_loan','agri_loan'][1 + ${h(91)} % 5],
        100000000, ${h(92)} % 100000000, toDate('2022-01-01') + ${h(93)} % 1400, toDate('2026-03-01') + ${h(94)} % 2000,
        if(${h(95)} % 20 = 0, ${h(96)} % 90, 0), 'active', 1 FROM numbers(${Math.round(n * 0.3)})`,
  );
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const keep = args.dataDir !== undefined;
  const dir = args.dataDir ? resolve(args.dataDir) : mkdtempSync(join(tmpdir(), 'lingxi-bench-tags-'));
  const config = configSchema.parse({ dataDir: dir, logLevel: 'silent' });
  const an = await openAnalyticsDb({ ...config, clickhouseUrl: undefined });
  const op = keep ? await openOperationalDb({ dataDir: dir }) : await openMemoryOperationalDb();
  try {
    await migrateOperational(op);
    await migrateAnalytics(an);
    const ctx: AppContext = {
      config,
      stores: { op, an, close: async () => {} },
      cipher: createPiiCipher(Buffer.alloc(32, 9)),
      logger: createLogger('silent'),
    };
    const here = dirname(fileURLToPath(import.meta.url));
    const synthPath = join(here, '../apps/server/src/modules/synth/synth.service.ts');
    let data: string;
    const l0 = performance.now();
    const [{ n: have } = { n: 0 }] = await an.query<{ n: number }>('SELECT toUInt64(count()) AS n FROM dim_customers');
    if (Number(have) > 0) {
      log(`reusing the bank in ${dir} (${have} customer rows)`);
      data = `existing data dir (${Number(have)} customer rows)`;
    } else if (existsSync(synthPath)) {
      log(`loading the synthetic bank (${args.customers} customers, seed 42)…`);
      const mod: unknown = await import(synthPath);
      const load = z.object({ loadSyntheticBank: z.function() }).parse(mod).loadSyntheticBank as (
        stores: AppContext['stores'],
        cipher: AppContext['cipher'],
        opts: { customers: number; seed: number; asOf?: string },
      ) => Promise<unknown>;
      await load(ctx.stores, ctx.cipher, { customers: args.customers, seed: 42, asOf: AS_OF });
      data = 'synthetic bank (seed 42)';
    } else {
      log('the synthetic bank module is not available yet: generating the tables in SQL instead');
      await generateBank(an, args.customers, args.txnsPerCustomer);
      data = 'SQL generator in bench/tags.ts (synthetic bank module not available)';
    }
    const loadS = secs(performance.now() - l0);
    const [{ n: txns } = { n: 0 }] = await an.query<{ n: number }>('SELECT toUInt64(count()) AS n FROM transactions');
    log(`loaded in ${loadS} s (${txns} transactions); refreshing the catalogue…`);

    const cat = loadCatalogue(config.timezone);
    // The reference: one GROUP BY customer scan per source table the catalogue uses. A first untimed pass warms the
    // page cache for both sides; the reference is timed before and after the refresh and the faster run is kept.
    const reference = async (): Promise<number> => {
      const t = performance.now();
      // one scan per source table, also when its tags are computed by two queries
      for (const source of new Set(cat.compiled.sourceQueries.map((q) => q.source))) {
        const src = getSource(source);
        if (!src) continue;
        await an.query(
          `SELECT count() AS groups, sum(c) AS rows FROM (SELECT customer_id, count() AS c FROM ${src.table}${src.final ? ' FINAL' : ''} GROUP BY customer_id)`,
        );
      }
      return performance.now() - t;
    };
    await reference();
    const refBefore = await reference();
    const r = await refreshTags(ctx, { asOf: AS_OF, rebuildIndex: false });
    log(`refresh ${secs(r.durationMs)} s; measuring the reference scans again…`);
    const refAfter = await reference();
    const referenceS = secs(Math.min(refBefore, refAfter));

    const i0 = performance.now();
    const ix = await loadTagIndex(an, AS_OF, cat.defs);
    if (ix) getTagIndexHolder(ctx).swap(ix);
    const indexS = secs(performance.now() - i0);
    log(`index built in ${indexS} s; timing a 10-condition audience…`);

    const expression = {
      and: [
        { tag: 'lifecycle.stage', op: 'in', value: ['active', 'cooling', 'new'] },
        { tag: 'wealth.tier', op: 'ne', value: 'hnw' },
        { tag: 'fin.age', op: 'between', value: [25, 55] },
        { tag: 'value.aum', op: 'gte', value: 1_000_000 },
        { tag: 'fin.city_tier', op: 'lte', value: 3 },
        { not: { tag: 'warn.fraud_restricted', op: 'eq', value: true } },
        { tag: 'risk.level', op: 'in', value: ['C2', 'C3', 'C4'] },
        {
          or: [
            { tag: 'hist.spend_90d', op: 'gt', value: 500_000 },
            { tag: 'app.viewed_wealth_7d', op: 'eq', value: true },
          ],
        },
        { tag: 'basic.customer_status', op: 'eq', value: 'active' },
        { tag: 'app.last_login_days_ago', op: 'lte', value: 60 },
      ],
    };
    const bitmapMs: number[] = [];
    let count = 0;
    for (let i = 0; i < 60; i++) {
      const t = performance.now();
      const c = await countAudience(ctx, expression, 'marketing');
      bitmapMs.push(performance.now() - t);
      count = c.count;
    }
    const sqlMs: number[] = [];
    let sqlCount = 0;
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      sqlCount = (await sqlCountAudience(ctx, expression, 'marketing', AS_OF)).count;
      sqlMs.push(performance.now() - t);
    }
    const bitmapP50 = percentile(bitmapMs.slice(10), 0.5);
    const sqlP50 = percentile(sqlMs.slice(1), 0.5);
    const refreshS = secs(r.durationMs);
    process.stdout.write(
      `${JSON.stringify({
        bench: 'tags',
        data,
        customers: r.customers,
        transactions: Number(txns),
        tags: r.tags,
        non_null_values: r.rows,
        snapshot_layout: 'wide (one row per customer, one column per tag version)',
        load_s: loadS,
        refresh_s: refreshS,
        reference_scan_s: referenceS,
        reference_runs_s: [secs(refBefore), secs(refAfter)],
        refresh_vs_reference: Math.round((refreshS / referenceS) * 100) / 100,
        refresh_goal_max_ratio: 3,
        refresh_sources_ms: Object.fromEntries(r.sources.map((s) => [s.query, s.ms])),
        refresh_write_ms: r.combineMs,
        refresh_stats_ms: r.statsMs,
        index_build_s: indexS,
        audience_conditions: 10,
        audience_count: count,
        audience_sql_count: sqlCount,
        bitmap_count_p50_ms: Math.round(bitmapP50 * 100) / 100,
        bitmap_count_p99_ms: Math.round(percentile(bitmapMs.slice(10), 0.99) * 100) / 100,
        sql_count_p50_ms: Math.round(sqlP50),
        bitmap_speedup_vs_sql: Math.round(sqlP50 / bitmapP50),
        bitmap_goal_min_speedup: 20,
        bitmap_goal_p50_ms: 20,
      })}\n`,
    );
  } finally {
    await an.close();
    await op.close();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
