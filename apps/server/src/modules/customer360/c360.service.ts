import type { AnalyticsDb } from '../../db/analytics.ts';
import type { OperationalDb } from '../../db/operational.ts';
import { notFound } from '../../http/problem.ts';
import { lineageOf, mergeHistory, pendingReviews } from '../golden/golden.repo.ts';
import * as repo from './c360.repo.ts';

/** Extra sections contributed by other modules (tags, model scores), keyed by section name. */
export type C360Section = (customerId: number, identityIds: number[]) => Promise<unknown>;

export interface C360Deps {
  op: OperationalDb;
  an: AnalyticsDb;
  /** True when the caller may see this customer (role and branch scope); false answers 404, never 403. */
  inScope: (customerId: number) => Promise<boolean>;
  sections?: Record<string, C360Section>;
}

/**
 * The customer 360 view: masked profile, source records and match evidence, holdings and AUM trend, products held,
 * spend by category and recent transactions, app activity, consents, contact history and campaigns received, plus
 * the sections other modules contribute (tags, scores with reasons). PII stays masked; unmasking is a separate,
 * audited call.
 */
export async function customer360(deps: C360Deps, id: number, opts: { asOf?: string } = {}) {
  if (!(await deps.inScope(id))) throw notFound(`customer ${id}`);
  const profile = await repo.profile(deps.op, id);
  if (!profile) throw notFound(`customer ${id}`);
  const ids = await repo.identityIds(deps.op, id);
  const asOf = opts.asOf ?? (await repo.latestFactDate(deps.an));

  const [sourceRecords, lineage, merges, holdings, productsHeld, cards, loans, consents] = await Promise.all([
    repo.sourceRecords(deps.op, id),
    lineageOf(deps.op, id),
    mergeHistory(deps.op, id),
    repo.holdings(deps.op, id),
    repo.productsHeld(deps.op, id),
    repo.cards(deps.op, id),
    repo.loans(deps.op, id),
    repo.consentHistory(deps.op, id),
  ]);
  const recordIds = new Set(sourceRecords.map((r) => r.id));
  const reviews = (await pendingReviews(deps.op, 500, 0)).filter(
    (r) => recordIds.has(r.record_a) || recordIds.has(r.record_b),
  );
  const aumTrend = await repo.aumTrend(deps.an, ids);
  const spend = await repo.spendByCategory(deps.an, ids, asOf, 90);
  const transactions = await repo.recentTransactions(deps.an, ids, 20);
  const app = await repo.appActivity(deps.an, ids, asOf, 30);
  const contacts = await repo.contactHistory(deps.an, ids, 50);
  const campaigns = await repo.campaignsReceived(deps.an, ids);

  const byDate = new Map<string, number>();
  for (const p of aumTrend) byDate.set(p.date, (byDate.get(p.date) ?? 0) + p.balance_fen);
  const consentState = new Map<string, (typeof consents)[number]>();
  for (const c of consents) consentState.set(`${c.purpose}|${c.channel}`, c);

  const extra: Record<string, unknown> = {};
  for (const [name, section] of Object.entries(deps.sections ?? {})) extra[name] = await section(id, ids);

  return {
    asOf,
    profile,
    identity: {
      sourceRecords,
      lineage,
      merges: merges.map((m) => ({ ...m, at: new Date(m.at).toISOString() })),
      pendingReviews: reviews,
      mergedIds: ids.slice(1),
    },
    holdings: {
      current: holdings,
      aumTrend: [...byDate.entries()].map(([date, aum_fen]) => ({ date, aum_fen })),
      aumTrendByFamily: aumTrend,
    },
    productsHeld,
    cards,
    loans,
    transactions: { spendByCategory90d: spend, recent: transactions },
    appActivity30d: app,
    consents: { current: [...consentState.values()], history: consents },
    contacts,
    campaigns,
    ...extra,
  };
}
