/**
 * The deterministic synthetic bank (see docs/synthetic-bank.md): `createSyntheticBank(config)` returns the fixed world
 * (branches, RM users, products) and a generator of streaming batches of customers with everything that belongs to them.
 * Same (seed, customers, as-of, duplicates) → byte-identical output, independent of batch size and of today's date.
 * Pure: no I/O; the loader (apps/server/src/modules/synth) encrypts PII and writes the rows.
 */
import { z } from 'zod';
import { planCustomer } from './customer.ts';
import { sourceRecords } from './duplicates.ts';
import { emitFacts } from './facts.ts';
import { Rng } from './prng.ts';
import type { SynthProduct } from './products.ts';
import { ByteSink } from './tsv.ts';
import type { SynthBatch, SynthBranch, SynthUser, TsvTable } from './types.ts';
import { buildWorld, STREAM, type World } from './world.ts';

export const DEFAULT_AS_OF = '2026-06-30';
export const MAX_CUSTOMERS = 16_000_000;

export const synthConfigSchema = z.object({
  customers: z
    .number({ error: 'customers: must be a number' })
    .int('customers: must be an integer')
    .min(1, 'customers: must be at least 1')
    .max(MAX_CUSTOMERS, `customers: at most ${MAX_CUSTOMERS}`),
  seed: z
    .number({ error: 'seed: must be a number' })
    .int('seed: must be an integer')
    .min(0, 'seed: must be ≥ 0')
    .max(Number.MAX_SAFE_INTEGER, 'seed: too large'),
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'asOf: expected YYYY-MM-DD')
    .refine(
      (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
      'asOf: not a calendar date',
    )
    .refine((s) => s >= '2021-01-01' && s <= '2030-12-31', 'asOf: must be between 2021-01-01 and 2030-12-31')
    .default(DEFAULT_AS_OF),
  duplicates: z.boolean().default(false),
  /** Customers per batch (memory/throughput trade-off; does not change the data). */
  batchSize: z.number().int().min(1).max(200_000).default(5_000),
});
export type SynthConfigInput = z.input<typeof synthConfigSchema>;
export type SynthConfig = z.output<typeof synthConfigSchema>;

export interface SyntheticBank {
  config: SynthConfig;
  asOf: string;
  /** Month-end snapshot dates of holdings_daily (ascending; the last is as-of). */
  snapshotDates: string[];
  branches: SynthBranch[];
  users: SynthUser[];
  products: readonly SynthProduct[];
  batches(): Generator<SynthBatch>;
}

const TABLES: readonly TsvTable[] = ['transactions', 'app_events', 'holdings_daily', 'contacts', 'synth_truth'];

function* generateBatches(world: World, config: SynthConfig): Generator<SynthBatch> {
  const profileRng = new Rng();
  const factsRng = new Rng();
  const dupRng = new Rng();
  const settingsRng = new Rng();
  const sinks = Object.fromEntries(TABLES.map((t) => [t, new ByteSink(1 << 22)])) as Record<TsvTable, ByteSink>;
  let index = 0;
  for (let first = 1; first <= config.customers; first += config.batchSize) {
    const last = Math.min(config.customers, first + config.batchSize - 1);
    for (const t of TABLES) sinks[t].reset();
    const batch = {
      index: index++,
      firstCustomerId: first,
      customerCount: last - first + 1,
      customers: [] as SynthBatch['customers'],
      sourceRecords: [] as SynthBatch['sourceRecords'],
      accounts: [] as SynthBatch['accounts'],
      holdings: [] as SynthBatch['holdings'],
      cards: [] as SynthBatch['cards'],
      loans: [] as SynthBatch['loans'],
      consents: [] as SynthBatch['consents'],
      sinks,
    };
    for (let id = first; id <= last; id++) {
      const plan = planCustomer(world, id, profileRng.reseed(config.seed, id, STREAM.profile));
      const holdingsBefore = batch.holdings.length;
      const cardsBefore = batch.cards.length;
      emitFacts(
        world,
        plan,
        factsRng.reseed(config.seed, id, STREAM.facts),
        batch,
        settingsRng.reseed(config.seed, id, STREAM.settings),
      );
      batch.customers.push(plan.c);
      let hasWealth = false;
      for (let i = holdingsBefore; i < batch.holdings.length; i++) {
        const pid = batch.holdings[i]?.productId ?? '';
        if (pid.startsWith('WM-') || pid.startsWith('FD-')) hasWealth = true;
      }
      const recs = sourceRecords(plan.c, config.duplicates ? dupRng.reseed(config.seed, id, STREAM.duplicates) : null, {
        hasCard: batch.cards.length > cardsBefore,
        hasWealth,
        onboardDay: plan.onboardDay ?? plan.appDay,
        asOfDay: world.asOfDay,
      });
      for (const r of recs) batch.sourceRecords.push(r);
    }
    const tsv = {} as Record<TsvTable, Uint8Array>;
    const tsvRows = {} as Record<TsvTable, number>;
    for (const t of TABLES) {
      tsv[t] = sinks[t].bytes();
      tsvRows[t] = sinks[t].rows;
    }
    const { sinks: _sinks, ...rest } = batch;
    yield { ...rest, tsv, tsvRows };
  }
}

export function createSyntheticBank(input: SynthConfigInput): SyntheticBank {
  const parsed = synthConfigSchema.safeParse(input);
  if (!parsed.success) throw new RangeError(parsed.error.issues.map((i) => i.message).join('; '));
  const config = parsed.data;
  const world = buildWorld(config.seed, config.customers, config.asOf);
  return {
    config,
    asOf: config.asOf,
    snapshotDates: world.snapshotDays.map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10)),
    branches: world.branches,
    users: world.users,
    products: world.products,
    batches: () => generateBatches(world, config),
  };
}
