/** SQL of the bank models (bound parameters only): tag matrices, label facts, scores, registry and monitoring. */
import { columnSql, SNAPSHOT_TABLE } from '@lingxi/core/tags/snapshot';
import type { AnalyticsDb } from '../../db/analytics.ts';
import type { OperationalDb, OperationalQueryable } from '../../db/operational.ts';
import { snapshotColumns, snapshotDates } from '../tags/tags.repo.ts';

// ------------------------------------------------------------------------------------------------ analytics: tags

export async function snapshotRows(an: AnalyticsDb, asOf: string): Promise<number> {
  const r = await an.query<{ n: number }>(
    `SELECT toUInt32(count()) AS n FROM ${SNAPSHOT_TABLE} WHERE as_of = {d:Date}`,
    { d: asOf },
  );
  return Number(r[0]?.n ?? 0);
}

/** The newest tag snapshot date, else the newest month-end holdings snapshot; null for an empty bank. */
export async function latestDataDate(an: AnalyticsDb): Promise<string | null> {
  const [newest] = await snapshotDates(an);
  if (newest) return newest;
  const h = await an.query<{ d: string; n: number }>(
    'SELECT toString(max(date)) AS d, toUInt32(count()) AS n FROM holdings_daily',
  );
  return h[0] && Number(h[0].n) > 0 ? h[0].d : null;
}

export interface TagColumnRows {
  tag_id: string;
  ids: number[];
  nums?: number[];
  strs?: string[];
}

/** The customers with a value and those values, per tag, read from the snapshot's columns. */
async function tagColumns(an: AnalyticsDb, asOf: string, tags: string[], as: 'num' | 'str'): Promise<TagColumnRows[]> {
  if (tags.length === 0) return [];
  const columns = (await snapshotColumns(an, asOf)).filter((c) => tags.includes(c.tagId));
  if (columns.length === 0) return [];
  const selects = columns.map((c, k) => {
    const x = columnSql(c);
    const v = as === 'num' ? `assumeNotNull(${x.num})` : x.str;
    return `groupArrayIf(customer_id, ${x.present}) AS i${k}, groupArrayIf(${v}, ${x.present}) AS v${k}`;
  });
  const [row] = await an.query<Record<string, unknown[]>>(
    `SELECT ${selects.join(', ')} FROM ${SNAPSHOT_TABLE} WHERE as_of = {d:Date}`,
    { d: asOf },
  );
  if (!row) return [];
  return columns.map((c, k) => {
    const ids = (row[`i${k}`] ?? []).map(Number);
    return as === 'num'
      ? { tag_id: c.tagId, ids, nums: (row[`v${k}`] ?? []).map(Number) }
      : { tag_id: c.tagId, ids, strs: (row[`v${k}`] ?? []).map(String) };
  });
}

/** Numeric (and date) tags as (ids, values) per tag; customers without a value are left out. */
export async function numericTagColumns(an: AnalyticsDb, asOf: string, tags: string[]): Promise<TagColumnRows[]> {
  return tagColumns(an, asOf, tags, 'num');
}

/** Boolean, enum and set tags as (ids, value strings) per tag. */
export async function stringTagColumns(an: AnalyticsDb, asOf: string, tags: string[]): Promise<TagColumnRows[]> {
  return tagColumns(an, asOf, tags, 'str');
}

// ------------------------------------------------------------------------------------------------ analytics: labels

export async function customerIds(an: AnalyticsDb): Promise<number[]> {
  const r = await an.query<{ ids: number[] }>(
    'SELECT groupArray(customer_id) AS ids FROM (SELECT customer_id FROM dim_customers FINAL ORDER BY customer_id)',
  );
  return (r[0]?.ids ?? []).map(Number);
}

/** The newest month-end (or as-of) holdings snapshot date ≤ d (null before the first). */
export async function snapshotDateAtOrBefore(an: AnalyticsDb, d: string): Promise<string | null> {
  const r = await an.query<{ d: string; n: number }>(
    'SELECT toString(max(date)) AS d, toUInt32(count()) AS n FROM holdings_daily WHERE date <= {d:Date}',
    { d },
  );
  return r[0] && Number(r[0].n) > 0 ? r[0].d : null;
}

export async function snapshotDatesBetween(an: AnalyticsDb, after: string, upTo: string): Promise<string[]> {
  const r = await an.query<{ d: string }>(
    `SELECT DISTINCT toString(date) AS d FROM holdings_daily WHERE date > {a:Date} AND date <= {b:Date} ORDER BY d`,
    { a: after, b: upTo },
  );
  return r.map((x) => x.d);
}

/** Sum of balances per customer at one snapshot date (fen). */
export async function aumAt(an: AnalyticsDb, date: string): Promise<Map<number, number>> {
  const r = await an.query<{ ids: number[]; aum: number[] }>(
    `SELECT groupArray(customer_id) AS ids, groupArray(aum) AS aum FROM (
       SELECT customer_id, toFloat64(sum(balance_fen)) AS aum FROM holdings_daily FINAL
        WHERE date = {d:Date} GROUP BY customer_id)`,
    { d: date },
  );
  const out = new Map<number, number>();
  const row = r[0];
  if (row)
    row.ids.forEach((id, i) => {
      out.set(Number(id), Number(row.aum[i]));
    });
  return out;
}

/** Channels of transactions the bank initiates (not the customer). */
export const PASSIVE_CHANNELS = ['system', 'payroll', 'auto_debit'];

/** Latest customer-initiated activity (transaction or app login) on or before each date, per customer. */
export async function lastActivity(
  an: AnalyticsDb,
  tz: string,
  a: string,
  h: string,
): Promise<Map<number, { atA: string | null; atH: string | null }>> {
  const r = await an.query<{ customer_id: number; la: string; lh: string }>(
    `SELECT customer_id, toString(maxIf(d, d <= {a:Date})) AS la, toString(max(d)) AS lh FROM (
        SELECT customer_id, toDate(ts, {tz:String}) AS d FROM transactions FINAL
         WHERE toDate(ts, {tz:String}) <= {h:Date} AND channel NOT IN {passive:Array(String)}
        UNION ALL
        SELECT customer_id, toDate(ts, {tz:String}) AS d FROM app_events FINAL
         WHERE toDate(ts, {tz:String}) <= {h:Date} AND event_type = 'login'
     ) GROUP BY customer_id`,
    { a, h, tz, passive: PASSIVE_CHANNELS },
  );
  const out = new Map<number, { atA: string | null; atH: string | null }>();
  for (const x of r) {
    const atA = x.la && !x.la.startsWith('1970-01-01') ? x.la : null;
    out.set(Number(x.customer_id), { atA, atH: x.lh });
  }
  return out;
}

export async function accountCounts(
  an: AnalyticsDb,
  h: string,
): Promise<Map<number, { opened: number; closed: number }>> {
  const r = await an.query<{ customer_id: number; opened: number; closed: number }>(
    `SELECT customer_id, toUInt32(countIf(opened_at <= {h:Date})) AS opened,
            toUInt32(countIf(opened_at <= {h:Date} AND closed_at IS NOT NULL AND closed_at <= {h:Date})) AS closed
       FROM dim_accounts FINAL GROUP BY customer_id`,
    { h },
  );
  return new Map(r.map((x) => [Number(x.customer_id), { opened: Number(x.opened), closed: Number(x.closed) }]));
}

/** Customers onboarded, or registered in the app, on or before d. */
export async function existingCustomers(an: AnalyticsDb, tz: string, d: string): Promise<Set<number>> {
  const r = await an.query<{ ids: number[] }>(
    `SELECT groupArray(customer_id) AS ids FROM (
        SELECT customer_id FROM dim_customers FINAL WHERE onboarded_at IS NOT NULL AND onboarded_at <= {d:Date}
        UNION DISTINCT
        SELECT DISTINCT customer_id FROM app_events FINAL WHERE toDate(ts, {tz:String}) <= {d:Date})`,
    { d, tz },
  );
  return new Set((r[0]?.ids ?? []).map(Number));
}

/** Take-up dates (YYYY-MM-DD) of a product family in (after, upTo], per customer. */
export async function takeUps(
  an: AnalyticsDb,
  tz: string,
  family: string,
  after: string,
  upTo: string,
): Promise<Map<number, string[]>> {
  const p = { a: after, b: upTo, tz, family };
  let sql: string;
  if (family === 'credit_card')
    sql = `SELECT customer_id, toString(issued_at) AS d FROM dim_cards FINAL
            WHERE issued_at > {a:Date} AND issued_at <= {b:Date}`;
  else if (family === 'consumer_loan' || family === 'mortgage')
    sql = `SELECT customer_id, toString(disbursed_at) AS d FROM dim_loans FINAL
            WHERE family = {family:String} AND disbursed_at > {a:Date} AND disbursed_at <= {b:Date}`;
  else
    sql = `SELECT customer_id, toString(toDate(signed_at, {tz:String})) AS d FROM dim_holdings FINAL
            WHERE family = {family:String} AND toDate(signed_at, {tz:String}) > {a:Date}
              AND toDate(signed_at, {tz:String}) <= {b:Date}`;
  const r = await an.query<{ customer_id: number; d: string }>(sql, p);
  const out = new Map<number, string[]>();
  for (const x of r) {
    const id = Number(x.customer_id);
    const list = out.get(id) ?? [];
    list.push(x.d);
    out.set(id, list);
  }
  return out;
}

export interface RevenueRow {
  customer_id: number;
  fees: number;
  card_spend: number;
}

/** Fees charged and credit-card spend per customer in (after, upTo] (fen). */
export async function feesAndCardSpend(
  an: AnalyticsDb,
  tz: string,
  after: string,
  upTo: string,
): Promise<RevenueRow[]> {
  return an.query<RevenueRow>(
    `SELECT customer_id,
            toFloat64(sumIf(amount_fen, txn_type = 'fee' AND direction = 'out')) AS fees,
            toFloat64(sumIf(amount_fen, channel = 'credit_card' AND direction = 'out')) AS card_spend
       FROM transactions FINAL
      WHERE toDate(ts, {tz:String}) > {a:Date} AND toDate(ts, {tz:String}) <= {b:Date}
      GROUP BY customer_id`,
    { a: after, b: upTo, tz },
  );
}

export interface LoanRow {
  customer_id: number;
  principal_fen: number;
  disbursed_at: string;
  maturity_date: string;
}

export async function loans(an: AnalyticsDb): Promise<LoanRow[]> {
  return an.query<LoanRow>(
    `SELECT customer_id, toFloat64(principal_fen) AS principal_fen, toString(disbursed_at) AS disbursed_at,
            toString(maturity_date) AS maturity_date
       FROM dim_loans FINAL`,
  );
}

/** Ground truth of the synthetic bank: customers whose planned churn date falls in (after, upTo]; null = no truth. */
export async function synthChurners(an: AnalyticsDb, after: string, upTo: string): Promise<Set<number> | null> {
  const n = await an.query<{ n: number }>('SELECT toUInt32(count()) AS n FROM synth_truth');
  if (Number(n[0]?.n ?? 0) === 0) return null;
  const r = await an.query<{ ids: number[] }>(
    `SELECT groupArray(customer_id) AS ids FROM synth_truth FINAL
      WHERE churn_date IS NOT NULL AND churn_date > {a:Date} AND churn_date <= {b:Date}`,
    { a: after, b: upTo },
  );
  return new Set((r[0]?.ids ?? []).map(Number));
}

// ------------------------------------------------------------------------------------------------ analytics: scores

export type ScoreRow = {
  as_of: string;
  customer_id: number;
  model_id: string;
  score: number;
  band: string;
  reasons: string;
  version: number;
};

/** Replaces the scores of one model key at one date. */
export async function replaceScores(an: AnalyticsDb, key: string, asOf: string, rows: ScoreRow[]): Promise<void> {
  await an.command(
    'ALTER TABLE model_scores DELETE WHERE model_id = {m:String} AND as_of = {d:Date} SETTINGS mutations_sync = 2',
    { m: key, d: asOf },
  );
  const chunk = 50_000;
  for (let i = 0; i < rows.length; i += chunk) await an.insert('model_scores', rows.slice(i, i + chunk));
}

export async function scoreCount(an: AnalyticsDb, key: string, asOf: string): Promise<number> {
  const r = await an.query<{ n: number }>(
    'SELECT toUInt32(count()) AS n FROM model_scores WHERE model_id = {m:String} AND as_of = {d:Date}',
    { m: key, d: asOf },
  );
  return Number(r[0]?.n ?? 0);
}

// ------------------------------------------------------------------------------------------------ operational: registry

export interface ModelRow {
  id: string;
  model_key: string;
  kind: 'churn' | 'propensity' | 'ltv';
  family: string | null;
  version: number;
  status: 'candidate' | 'active' | 'retired';
  params: unknown;
  metrics: unknown;
  curves: unknown;
  importance: unknown;
  features: unknown;
  reference: unknown;
  trained_at: Date | string;
  trained_on_as_of: string;
  model_json: unknown;
  promoted_at: Date | string | null;
}

const MODEL_COLS =
  "id, model_key, kind, family, version, status, params, metrics, curves, importance, features, reference, trained_at, to_char(trained_on_as_of, 'YYYY-MM-DD') AS trained_on_as_of, model_json, promoted_at";
const SUMMARY_COLS =
  "id, model_key, kind, family, version, status, params, metrics, '{}'::jsonb AS curves, '[]'::jsonb AS importance, '{}'::jsonb AS features, '{}'::jsonb AS reference, trained_at, to_char(trained_on_as_of, 'YYYY-MM-DD') AS trained_on_as_of, '{}'::jsonb AS model_json, promoted_at";

export async function nextVersion(op: OperationalQueryable, key: string): Promise<number> {
  const r = await op.query<{ v: number }>(
    'SELECT COALESCE(MAX(version), 0)::int + 1 AS v FROM models WHERE model_key = $1',
    [key],
  );
  return Number(r.rows[0]?.v ?? 1);
}

export interface NewModel {
  id: string;
  key: string;
  kind: string;
  family: string | null;
  version: number;
  params: unknown;
  metrics: unknown;
  curves: unknown;
  importance: unknown;
  features: unknown;
  reference: unknown;
  trainedOnAsOf: string;
  modelJson: unknown;
}

export async function insertModel(op: OperationalQueryable, m: NewModel): Promise<void> {
  await op.query(
    `INSERT INTO models (id, model_key, kind, family, version, status, params, metrics, curves, importance, features,
                         reference, trained_on_as_of, model_json)
     VALUES ($1, $2, $3, $4, $5, 'candidate', $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      m.id,
      m.key,
      m.kind,
      m.family,
      m.version,
      JSON.stringify(m.params),
      JSON.stringify(m.metrics),
      JSON.stringify(m.curves),
      JSON.stringify(m.importance),
      JSON.stringify(m.features),
      JSON.stringify(m.reference),
      m.trainedOnAsOf,
      JSON.stringify(m.modelJson),
    ],
  );
}

export async function activeModel(op: OperationalQueryable, key: string): Promise<ModelRow | undefined> {
  const r = await op.query<ModelRow>(`SELECT ${MODEL_COLS} FROM models WHERE model_key = $1 AND status = 'active'`, [
    key,
  ]);
  return r.rows[0];
}

export async function getModel(op: OperationalQueryable, id: string): Promise<ModelRow | undefined> {
  const r = await op.query<ModelRow>(`SELECT ${MODEL_COLS} FROM models WHERE id = $1`, [id]);
  return r.rows[0];
}

/** All versions without the heavy columns (model JSON, curves, references). */
export async function listModels(op: OperationalQueryable): Promise<ModelRow[]> {
  const r = await op.query<ModelRow>(`SELECT ${SUMMARY_COLS} FROM models ORDER BY model_key, version DESC`);
  return r.rows;
}

/** Makes `id` the active version of its key (the previous active one is retired). */
/** Makes `id` the active version of `key`, retiring the previous one. Call it in a transaction (two statements). */
export async function promote(tx: OperationalQueryable, key: string, id: string): Promise<void> {
  await tx.query("UPDATE models SET status = 'retired' WHERE model_key = $1 AND status = 'active' AND id <> $2", [
    key,
    id,
  ]);
  await tx.query("UPDATE models SET status = 'active', promoted_at = now() WHERE id = $1", [id]);
}

export async function updateMetrics(op: OperationalQueryable, id: string, metrics: unknown): Promise<void> {
  await op.query('UPDATE models SET metrics = $2 WHERE id = $1', [id, JSON.stringify(metrics)]);
}

// ------------------------------------------------------------------------------------------------ operational: runs

export interface RunRow {
  model_id: string;
  as_of: string;
  scored: number;
  bands: unknown;
  histogram: unknown;
  score_psi: number | null;
  max_feature_psi: number | null;
  drift_warning: boolean;
  evaluation: unknown;
}

export async function upsertRun(op: OperationalQueryable, r: RunRow): Promise<void> {
  await op.query(
    `INSERT INTO model_runs (model_id, as_of, scored, bands, histogram, score_psi, max_feature_psi, drift_warning,
                             evaluation)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (model_id, as_of) DO UPDATE SET scored = EXCLUDED.scored, bands = EXCLUDED.bands,
       histogram = EXCLUDED.histogram, score_psi = EXCLUDED.score_psi, max_feature_psi = EXCLUDED.max_feature_psi,
       drift_warning = EXCLUDED.drift_warning, evaluation = EXCLUDED.evaluation, scored_at = now()`,
    [
      r.model_id,
      r.as_of,
      r.scored,
      JSON.stringify(r.bands),
      JSON.stringify(r.histogram),
      r.score_psi,
      r.max_feature_psi,
      r.drift_warning,
      r.evaluation === null ? null : JSON.stringify(r.evaluation),
    ],
  );
}

export async function runs(op: OperationalQueryable, modelIds: string[]): Promise<RunRow[]> {
  if (modelIds.length === 0) return [];
  const r = await op.query<RunRow>(
    `SELECT model_id, to_char(as_of, 'YYYY-MM-DD') AS as_of, scored, bands, histogram, score_psi, max_feature_psi,
            drift_warning, evaluation
       FROM model_runs WHERE model_id = ANY($1::text[]) ORDER BY as_of`,
    [modelIds],
  );
  return r.rows;
}

export async function replaceDrift(
  op: OperationalDb,
  modelId: string,
  asOf: string,
  rows: { feature: string; psi: number }[],
): Promise<void> {
  await op.transaction(async (tx) => {
    await tx.query('DELETE FROM model_drift WHERE model_id = $1 AND as_of = $2', [modelId, asOf]);
    const chunk = 500;
    for (let i = 0; i < rows.length; i += chunk) {
      const part = rows.slice(i, i + chunk);
      await tx.query(
        `INSERT INTO model_drift (model_id, as_of, feature, psi)
         SELECT $1, $2::date, f, p FROM unnest($3::text[], $4::float8[]) AS t(f, p)`,
        [modelId, asOf, part.map((r) => r.feature), part.map((r) => r.psi)],
      );
    }
  });
}

export async function driftRows(
  op: OperationalQueryable,
  modelId: string,
): Promise<{ as_of: string; feature: string; psi: number }[]> {
  const r = await op.query<{ as_of: string; feature: string; psi: number }>(
    `SELECT to_char(as_of, 'YYYY-MM-DD') AS as_of, feature, psi FROM model_drift WHERE model_id = $1
      ORDER BY as_of, psi DESC`,
    [modelId],
  );
  return r.rows;
}

// ------------------------------------------------------------------------------------------------ operational: reasons

export interface ReasonRow {
  customer_id: number;
  score: number;
  band: string;
  reasons: string;
}

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Replaces the latest scores with reasons of one model key (one COPY). */
export async function replaceReasons(
  op: OperationalDb,
  key: string,
  modelId: string,
  asOf: string,
  rows: ReasonRow[],
): Promise<void> {
  await op.query('DELETE FROM model_reasons WHERE model_key = $1', [key]);
  const chunk = 20_000;
  for (let i = 0; i < rows.length; i += chunk) {
    const csv = rows
      .slice(i, i + chunk)
      .map((r) => [key, r.customer_id, modelId, asOf, r.score, r.band, r.reasons].map(csvField).join(','))
      .join('\n');
    await op.copyCsv(
      'model_reasons',
      ['model_key', 'customer_id', 'model_id', 'as_of', 'score', 'band', 'reasons'],
      `${csv}\n`,
    );
  }
}

export interface CustomerReasonRow {
  model_key: string;
  model_id: string;
  as_of: string;
  score: number;
  band: string;
  reasons: unknown;
  version: number;
  status: string;
}

export async function customerReasons(op: OperationalQueryable, customerIds: number[]): Promise<CustomerReasonRow[]> {
  const r = await op.query<CustomerReasonRow>(
    `SELECT r.model_key, r.model_id, to_char(r.as_of, 'YYYY-MM-DD') AS as_of, r.score, r.band, r.reasons,
            m.version, m.status
       FROM model_reasons r JOIN models m ON m.id = r.model_id
      WHERE r.customer_id = ANY($1::bigint[])
      ORDER BY r.model_key, r.as_of DESC`,
    [customerIds],
  );
  return r.rows;
}
