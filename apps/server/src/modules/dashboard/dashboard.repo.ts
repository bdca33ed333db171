import { columnSql, SNAPSHOT_TABLE, type SnapshotColumn } from '@lingxi/core/tags/snapshot';
import type { AnalyticsDb, ChParams } from '../../db/analytics.ts';
import { snapshotColumns, snapshotDates } from '../tags/tags.repo.ts';

/** Which customers a dashboard covers: the whole bank, some branches, or one RM's book (data scope of the caller). */
export type DashboardScope = { kind: 'all' } | { kind: 'branch'; branchIds: string[] } | { kind: 'rm'; userId: string };

/** A bound-parameter filter on `customer_id` for the scope (dim_customers carries branch and RM). */
function scopeFilter(scope: DashboardScope, column = 'customer_id'): { sql: string; params: ChParams } {
  switch (scope.kind) {
    case 'all':
      return { sql: '1', params: {} };
    case 'branch':
      return {
        sql: `${column} IN (SELECT customer_id FROM dim_customers FINAL WHERE home_branch_id IN {scope_branches:Array(String)})`,
        params: { scope_branches: scope.branchIds },
      };
    case 'rm':
      return {
        sql: `${column} IN (SELECT customer_id FROM dim_customers FINAL WHERE rm_user_id = {scope_rm:String})`,
        params: { scope_rm: scope.userId },
      };
  }
}

/** The newest tag snapshot date (from the table's partitions), or null before the first refresh. */
export async function latestTagDate(an: AnalyticsDb): Promise<string | null> {
  return (await snapshotDates(an))[0] ?? null;
}

/** SQL reading a tag of the snapshot; a tag the snapshot lacks reads as "no value". */
async function tagReader(an: AnalyticsDb, asOf: string) {
  const columns = await snapshotColumns(an, asOf);
  const byTag = new Map(columns.map((c) => [c.tagId, c]));
  const none = {
    present: '0',
    str: "''",
    num: 'CAST(NULL AS Nullable(Float64))',
    elements: 'CAST([] AS Array(String))',
  };
  return { columns, col: (tag: string) => (byTag.has(tag) ? columnSql(byTag.get(tag) as SnapshotColumn) : none) };
}

/** Customers and AUM per value of an enum tag, or per true persona.* boolean. */
export async function segments(
  an: AnalyticsDb,
  asOf: string,
  dimension: 'lifecycle' | 'tier' | 'persona',
  scope: DashboardScope,
): Promise<{ segment: string; customers: number; aumFen: number }[]> {
  const f = scopeFilter(scope);
  const { columns, col } = await tagReader(an, asOf);
  const params: ChParams = { as_of: asOf, ...f.params };
  let segment: string;
  if (dimension === 'persona') {
    const personas = columns.filter((c) => c.tagId.startsWith('persona.') && c.valueType === 'boolean');
    const names = personas.map((c) => c.tagId.slice('persona.'.length));
    params.personas = names;
    const flags = personas.map((c) => `${columnSql(c).str} = 'true'`);
    segment =
      personas.length > 0
        ? `arrayJoin(arrayFilter((n, on) -> on, {personas:Array(String)}, [${flags.join(', ')}]))`
        : 'arrayJoin(CAST([] AS Array(String)))';
  } else {
    const x = col(dimension === 'lifecycle' ? 'lifecycle.stage' : 'wealth.tier');
    segment = `arrayJoin(${x.elements})`;
  }
  const rows = await an.query<{ segment: string; customers: number; aum: number }>(
    `SELECT segment, toUInt32(count()) AS customers, toFloat64(sum(aum)) AS aum FROM (
       SELECT ${segment} AS segment, ifNull(${col('value.aum').num}, 0) AS aum
         FROM ${SNAPSHOT_TABLE} WHERE as_of = {as_of:Date} AND ${f.sql})
      GROUP BY segment ORDER BY customers DESC`,
    params,
  );
  return rows.map((r) => ({ segment: r.segment, customers: Number(r.customers), aumFen: Number(r.aum) }));
}

/** Counts behind the activation, first-swipe and churn rates, and the scope's size and AUM. */
export async function rateCounts(an: AnalyticsDb, asOf: string, scope: DashboardScope) {
  const f = scopeFilter(scope);
  const { col } = await tagReader(an, asOf);
  const stage = col('lifecycle.stage');
  const rows = await an.query<Record<string, number>>(
    `SELECT
       toUInt32(countIf(${col('card.mob_stage').present})) AS card_holders,
       toUInt32(countIf(${col('card.activated').present} AND ${col('card.activated').str} = 'true')) AS activated,
       toUInt32(countIf(${col('card.first_swipe_done').present} AND ${col('card.first_swipe_done').str} = 'true')) AS first_swiped,
       toUInt32(countIf(${stage.present} AND ${stage.str} = 'churned')) AS churned,
       toUInt32(countIf(${stage.present} AND ${stage.str} != 'potential')) AS onboarded,
       toUInt32(countIf(${stage.present})) AS customers,
       toFloat64(sum(ifNull(${col('value.aum').num}, 0))) AS aum
     FROM ${SNAPSHOT_TABLE} WHERE as_of = {as_of:Date} AND ${f.sql}`,
    { as_of: asOf, ...f.params },
  );
  const r = rows[0] ?? {};
  const n = (k: string) => Number(r[k] ?? 0);
  return {
    cardHolders: n('card_holders'),
    activated: n('activated'),
    firstSwiped: n('first_swiped'),
    churned: n('churned'),
    onboarded: n('onboarded'),
    customers: n('customers'),
    aumFen: n('aum'),
  };
}

const periodExpr = {
  day: 'toDate(ts, {tz:String})',
  week: 'toMonday(ts, {tz:String})',
  month: 'toStartOfMonth(ts, {tz:String})',
};
const datePeriodExpr = { day: 'd', week: 'toMonday(d)', month: 'toStartOfMonth(d)' };

/** Activity, spend and new customers per period, ending at the latest transaction date; AUM at each period's end. */
export async function trend(
  an: AnalyticsDb,
  grain: 'day' | 'week' | 'month',
  periods: number,
  scope: DashboardScope,
  tz: string,
) {
  const f = scopeFilter(scope);
  const span = { day: periods, week: periods * 7, month: periods * 31 }[grain];
  const p = periodExpr[grain];
  const base = { tz, span, ...f.params };
  const activity = await an.query<{ period: string; active: number; txns: number; spend: number }>(
    `WITH (SELECT max(ts) FROM transactions) AS last_ts
     SELECT toString(${p}) AS period, toUInt32(uniqExact(customer_id)) AS active, toUInt32(count()) AS txns,
            toFloat64(sumIf(amount_fen, direction = 'out' AND txn_type = 'purchase')) AS spend
       FROM transactions
      WHERE ts > last_ts - toIntervalDay({span:UInt32}) AND ${f.sql}
      GROUP BY period ORDER BY period`,
    base,
  );
  const newCustomers = await an.query<{ period: string; n: number }>(
    `WITH (SELECT toDate(max(ts), {tz:String}) FROM transactions) AS last_d
     SELECT toString(${datePeriodExpr[grain]}) AS period, toUInt32(count()) AS n
       FROM (SELECT customer_id, assumeNotNull(onboarded_at) AS d FROM dim_customers FINAL WHERE isNotNull(onboarded_at))
      WHERE d > last_d - {span:UInt32} AND d <= last_d AND ${f.sql}
      GROUP BY period`,
    base,
  );
  const aum = await an.query<{ period: string; aum: number }>(
    `WITH (SELECT toDate(max(ts), {tz:String}) FROM transactions) AS last_d
     SELECT toString(${datePeriodExpr[grain]}) AS period, toFloat64(argMax(total, d)) AS aum
       FROM (SELECT date AS d, sum(balance_fen) AS total FROM holdings_daily FINAL
              WHERE date > last_d - {span:UInt32} AND ${f.sql} GROUP BY date)
      GROUP BY period`,
    base,
  );
  const newBy = new Map(newCustomers.map((r) => [r.period, Number(r.n)]));
  const aumBy = new Map(aum.map((r) => [r.period, Number(r.aum)]));
  return activity.map((r) => ({
    period: r.period,
    activeCustomers: Number(r.active),
    transactions: Number(r.txns),
    spendFen: Number(r.spend),
    newCustomers: newBy.get(r.period) ?? 0,
    aumFen: aumBy.get(r.period) ?? null,
  }));
}
